//! Retrieving, updating, deleting and listing catalogue objects, and expanding the ids they
//! hold. <https://docs.stripe.com/api/expanding_objects>, <https://docs.stripe.com/api/pagination>.

use serde_json::{json, Map, Value};

use super::{merge_metadata, str_param, text, unset_empty, Kind, Stored};
use crate::error::FakeError;
use crate::lists;
use crate::rules;
use crate::state::State;

impl State {
    /// `GET /v1/<objects>/{id}`.
    pub fn retrieve_object(
        &self,
        kind: Kind,
        account: &Option<String>,
        id: &str,
        p: &Map<String, Value>,
    ) -> Result<Map<String, Value>, FakeError> {
        let object = self
            .catalogue
            .require(kind, account, id, "id", 404)?
            .clone();
        self.expand_object(account, object, p)
    }

    /// `POST /v1/<objects>/{id}`: the fields the spec lets an update change (it has checked
    /// which), `metadata` merged.
    pub fn update_object(
        &mut self,
        kind: Kind,
        account: &Option<String>,
        id: &str,
        p: &Map<String, Value>,
    ) -> Result<Map<String, Value>, FakeError> {
        rules::metadata_limits(p)?;
        if kind == Kind::Product {
            if let Some(price) = str_param(p, "default_price") {
                let found =
                    self.catalogue
                        .require(Kind::Price, account, price, "default_price", 400)?;
                if text(found, "product") != id {
                    return Err(FakeError::param(
                        "default_price",
                        format!("The price `{price}` does not belong to product `{id}`."),
                    ));
                }
            }
        }
        if kind == Kind::Price {
            self.check_price_update(account, id, p)?;
        }
        let now = self.now();
        let object = self
            .catalogue
            .get_mut(kind, account, id)
            .ok_or_else(|| FakeError::missing(kind.object(), id, "id", 404))?;
        for (key, value) in p {
            match key.as_str() {
                "expand" | "transfer_lookup_key" => {}
                "metadata" => merge_metadata(object, Some(value)),
                "restrictions" | "fixed_amount" => {
                    if let (Some(Value::Object(current)), Value::Object(changes)) =
                        (object.get_mut(key.as_str()), value)
                    {
                        for (k, v) in changes {
                            current.insert(k.clone(), v.clone());
                        }
                    }
                }
                _ => {
                    object.insert(key.clone(), unset_empty(value));
                }
            }
        }
        if kind == Kind::Product {
            object.insert("updated".into(), json!(now));
        }
        let object = object.clone();
        self.expand_object(account, object, p)
    }

    /// A price's `tax_behavior` cannot change once it is `inclusive` or `exclusive`
    /// (<https://docs.stripe.com/api/prices/update#update_price-tax_behavior>), and a lookup key
    /// moves only with `transfer_lookup_key`.
    fn check_price_update(
        &self,
        account: &Option<String>,
        id: &str,
        p: &Map<String, Value>,
    ) -> Result<(), FakeError> {
        let current = self
            .catalogue
            .require(Kind::Price, account, id, "id", 404)?;
        if let Some(behavior) = str_param(p, "tax_behavior") {
            let was = text(current, "tax_behavior");
            if was != "unspecified" && was != behavior {
                return Err(FakeError::param(
                    "tax_behavior",
                    "You cannot change `tax_behavior` once it has been set to `inclusive` or `exclusive`.",
                ));
            }
        }
        if let Some(key) = str_param(p, "lookup_key") {
            let taken = self.catalogue.objects.iter().any(|((k, other), s)| {
                *k == Kind::Price
                    && other != id
                    && &s.account == account
                    && s.object.get("lookup_key") == Some(&json!(key))
            });
            if taken && p.get("transfer_lookup_key") != Some(&json!(true)) {
                return Err(FakeError::param(
                    "lookup_key",
                    format!("A price (`{key}`) already uses that lookup key. Pass `transfer_lookup_key=true` to move it to this price."),
                ));
            }
        }
        Ok(())
    }

    /// `DELETE /v1/products/{id}` and `/v1/coupons/{coupon}`. A product with prices cannot be
    /// deleted (<https://docs.stripe.com/api/products/delete>); a deleted coupon stops applying
    /// to new sessions (<https://docs.stripe.com/api/coupons/delete>).
    pub fn delete_object(
        &mut self,
        kind: Kind,
        account: &Option<String>,
        id: &str,
    ) -> Result<Map<String, Value>, FakeError> {
        self.catalogue.require(kind, account, id, "id", 404)?;
        if kind == Kind::Product {
            let has_prices = self.catalogue.objects.iter().any(|((k, _), s)| {
                *k == Kind::Price && &s.account == account && text(&s.object, "product") == id
            });
            if has_prices {
                return Err(FakeError::invalid(
                    None,
                    None,
                    "This product cannot be deleted because it has one or more user-created prices.".to_owned(),
                ));
            }
        }
        self.catalogue.objects.remove(&(kind, id.to_owned()));
        let mut deleted = Map::new();
        deleted.insert("id".into(), json!(id));
        deleted.insert("object".into(), json!(kind.object()));
        deleted.insert("deleted".into(), json!(true));
        Ok(deleted)
    }

    /// `GET /v1/<objects>`: newest first, paged, filtered by the list's params that name a
    /// field (`active`, `currency`, `product`, `type`, `code`, `coupon`, `customer`,
    /// `inclusive`, `shippable`, `url`), `created`, `ids[]`, `lookup_keys[]` and
    /// `recurring[interval]`.
    pub fn list_objects(
        &self,
        kind: Kind,
        account: &Option<String>,
        p: &Map<String, Value>,
    ) -> Result<String, FakeError> {
        let mut all: Vec<&Stored> = self
            .catalogue
            .objects
            .iter()
            .filter(|((k, _), s)| *k == kind && &s.account == account)
            .map(|(_, s)| s)
            .filter(|s| matches_list_filters(kind, &s.object, p))
            .collect();
        all.sort_by_key(|s| std::cmp::Reverse(s.seq));
        let ids: Vec<&str> = all.iter().map(|s| text(&s.object, "id")).collect();
        let (start, end, has_more) = lists::page(&ids, p, |id| {
            self.catalogue.get(kind, account, id).is_some()
        })?;
        let mut data = Vec::with_capacity(end - start);
        for s in &all[start..end] {
            let object = self.expand_object(account, s.object.clone(), &list_expand(p)?)?;
            data.push(Value::Object(object).to_string());
        }
        Ok(lists::list_json(&data, has_more, kind.path()))
    }

    /// Replaces expandable ids named in `expand[]` (`product`, `default_price`,
    /// `promotion.coupon`, …) by their objects. <https://docs.stripe.com/api/expanding_objects>
    pub(super) fn expand_object(
        &self,
        account: &Option<String>,
        mut object: Map<String, Value>,
        p: &Map<String, Value>,
    ) -> Result<Map<String, Value>, FakeError> {
        let Some(Value::Array(paths)) = p.get("expand") else {
            return Ok(object);
        };
        for (i, path) in paths.iter().enumerate() {
            let path = path.as_str().unwrap_or_default();
            let (parents, field) = match path.rsplit_once('.') {
                Some((parents, field)) => (Some(parents), field),
                None => (None, path),
            };
            let cannot = || {
                FakeError::param(
                    format!("expand[{i}]"),
                    format!("This property cannot be expanded ({path})."),
                )
            };
            let kind = Kind::of_field(field).ok_or_else(cannot)?;
            let mut target = &mut object;
            for parent in parents.into_iter().flat_map(|p| p.split('.')) {
                target = target
                    .get_mut(parent)
                    .and_then(Value::as_object_mut)
                    .ok_or_else(cannot)?;
            }
            let Some(id) = target.get(field).and_then(Value::as_str).map(str::to_owned) else {
                continue; // null, or expanded already
            };
            if let Some(found) = self.catalogue.get(kind, account, &id) {
                target.insert(field.into(), Value::Object(found.clone()));
            }
        }
        Ok(object)
    }
}

/// A list's `expand[]` of `data.x` as the per-object `x`.
fn list_expand(p: &Map<String, Value>) -> Result<Map<String, Value>, FakeError> {
    let mut out = Map::new();
    if let Some(Value::Array(paths)) = p.get("expand") {
        let mut inner = Vec::new();
        for (i, path) in paths.iter().enumerate() {
            let path = path.as_str().unwrap_or_default();
            match path.strip_prefix("data.") {
                Some(rest) => inner.push(json!(rest)),
                None => {
                    return Err(FakeError::param(
                        format!("expand[{i}]"),
                        format!("This property cannot be expanded ({path}). You may want to try expanding 'data.{path}' instead."),
                    ))
                }
            }
        }
        out.insert("expand".into(), Value::Array(inner));
    }
    Ok(out)
}

fn matches_list_filters(kind: Kind, o: &Map<String, Value>, p: &Map<String, Value>) -> bool {
    for (key, want) in p {
        let ok = match key.as_str() {
            "limit" | "starting_after" | "ending_before" | "expand" => true,
            "created" => {
                lists::created_matches(o.get("created").and_then(Value::as_i64).unwrap_or(0), want)
            }
            "ids" => want
                .as_array()
                .is_some_and(|ids| ids.iter().any(|id| o.get("id") == Some(id))),
            "lookup_keys" => want
                .as_array()
                .is_some_and(|keys| keys.iter().any(|k| o.get("lookup_key") == Some(k))),
            "recurring" => want.get("interval").is_none_or(|interval| {
                o.get("recurring").and_then(|r| r.get("interval")) == Some(interval)
            }),
            "coupon" if kind == Kind::PromotionCode => {
                o.get("promotion").and_then(|pr| pr.get("coupon")) == Some(want)
            }
            "currency" if kind == Kind::ShippingRate => {
                o.get("fixed_amount").and_then(|f| f.get("currency")) == Some(want)
            }
            "code" => want
                .as_str()
                .is_some_and(|w| text(o, "code").eq_ignore_ascii_case(w)),
            field => o.get(field) == Some(want),
        };
        if !ok {
            return false;
        }
    }
    true
}
