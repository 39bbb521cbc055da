//! What a session asks the customer for besides payment, and where the answers land when it
//! completes: the create parameters echoed on the session (`custom_fields`,
//! `consent_collection`, `phone_number_collection`, `shipping_address_collection`,
//! `billing_address_collection`), and on completion `customer_details.phone`/`address`,
//! `collected_information.shipping_details`, `custom_fields[].{text,numeric,dropdown}.value`
//! and `consent`. A completion that leaves out what the session requires is refused with a
//! message naming the missing part, as Checkout's page refuses to submit.
//!
//! Sources: <https://docs.stripe.com/payments/checkout/custom-fields> (text up to 255
//! characters, numeric digits only up to 255, dropdown one of up to 200 options, `optional`),
//! <https://docs.stripe.com/payments/collect-addresses> (billing address `required`, shipping
//! address limited to `allowed_countries`, `collected_information.shipping_details`),
//! <https://docs.stripe.com/payments/checkout/phone-numbers> (`customer_details.phone`),
//! <https://docs.stripe.com/payments/checkout/customization/policies> (`consent_collection
//! [terms_of_service]=required`, `consent.terms_of_service=accepted`),
//! <https://docs.stripe.com/api/checkout/sessions/object>.

use serde_json::{json, Map, Value};

use crate::error::FakeError;
use crate::lifecycle::{Completion, PostalAddress};

/// The longest text or numeric custom field value Stripe accepts (and the default
/// `maximum_length`).
pub(crate) const CUSTOM_FIELD_MAX: usize = 255;

/// Copies the collection parameters of a create request onto the new session object, shaped
/// as the object carries them (`custom_fields[].text.value` etc. start `null`).
pub(crate) fn echo_on_create(p: &Map<String, Value>, s: &mut Map<String, Value>) {
    if let Some(Value::Array(fields)) = p.get("custom_fields") {
        let echoed: Vec<Value> = fields.iter().map(custom_field_object).collect();
        s.insert("custom_fields".into(), Value::Array(echoed));
    }
    if let Some(Value::Object(consent)) = p.get("consent_collection") {
        s.insert(
            "consent_collection".into(),
            json!({
                "payment_method_reuse_agreement": consent.get("payment_method_reuse_agreement").cloned().unwrap_or(Value::Null),
                "promotions": consent.get("promotions").cloned().unwrap_or(json!("none")),
                "terms_of_service": consent.get("terms_of_service").cloned().unwrap_or(json!("none")),
            }),
        );
    }
    if let Some(Value::Object(phone)) = p.get("phone_number_collection") {
        s.insert(
            "phone_number_collection".into(),
            json!({ "enabled": phone.get("enabled") == Some(&json!(true)) }),
        );
    }
    if let Some(Value::Object(shipping)) = p.get("shipping_address_collection") {
        s.insert(
            "shipping_address_collection".into(),
            json!({ "allowed_countries": shipping.get("allowed_countries").cloned().unwrap_or(json!([])) }),
        );
    }
}

/// One `custom_fields[]` entry as the session object shows it.
fn custom_field_object(raw: &Value) -> Value {
    let kind = raw["type"].as_str().unwrap_or("text");
    let mut field = json!({
        "key": raw["key"],
        "label": { "custom": raw["label"]["custom"], "type": "custom" },
        "optional": raw["optional"] == json!(true),
        "type": kind,
    });
    let Some(o) = field.as_object_mut() else {
        return field;
    };
    let given = &raw[kind];
    let entry = match kind {
        "dropdown" => json!({
            "default_value": given.get("default_value").cloned().unwrap_or(Value::Null),
            "options": given.get("options").cloned().unwrap_or(json!([])),
            "value": null,
        }),
        _ => json!({
            "default_value": given.get("default_value").cloned().unwrap_or(Value::Null),
            "maximum_length": given.get("maximum_length").cloned().unwrap_or(Value::Null),
            "minimum_length": given.get("minimum_length").cloned().unwrap_or(Value::Null),
            "value": null,
        }),
    };
    o.insert(kind.to_owned(), entry);
    field
}

/// What the session asks for, read from its object.
#[derive(Debug, Clone, Default)]
pub(crate) struct Asks {
    pub billing_address: bool,
    pub phone: bool,
    /// `shipping_address_collection[allowed_countries]`, when a shipping address is collected.
    pub shipping_countries: Option<Vec<String>>,
    pub terms_of_service: bool,
    pub custom_fields: Vec<CustomField>,
}

/// One custom field as the page shows it.
#[derive(Debug, Clone)]
pub(crate) struct CustomField {
    pub key: String,
    pub label: String,
    pub kind: CustomKind,
    pub optional: bool,
    pub default_value: Option<String>,
    pub minimum_length: Option<usize>,
    pub maximum_length: Option<usize>,
    /// Dropdown options: (value, label).
    pub options: Vec<(String, String)>,
}

/// A custom field's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CustomKind {
    Text,
    Numeric,
    Dropdown,
}

impl Asks {
    /// Reads what `o` (a session object) asks for.
    pub fn of(o: &Map<String, Value>) -> Asks {
        let custom_fields = o
            .get("custom_fields")
            .and_then(Value::as_array)
            .map(|fields| fields.iter().filter_map(CustomField::of).collect())
            .unwrap_or_default();
        Asks {
            billing_address: o.get("billing_address_collection") == Some(&json!("required")),
            phone: o
                .get("phone_number_collection")
                .and_then(|p| p.get("enabled"))
                == Some(&json!(true)),
            shipping_countries: o
                .get("shipping_address_collection")
                .and_then(|s| s.get("allowed_countries"))
                .and_then(Value::as_array)
                .map(|cs| {
                    cs.iter()
                        .filter_map(|c| c.as_str().map(str::to_owned))
                        .collect()
                }),
            terms_of_service: o
                .get("consent_collection")
                .and_then(|c| c.get("terms_of_service"))
                == Some(&json!("required")),
            custom_fields,
        }
    }
}

impl CustomField {
    fn of(v: &Value) -> Option<CustomField> {
        let kind = match v["type"].as_str()? {
            "numeric" => CustomKind::Numeric,
            "dropdown" => CustomKind::Dropdown,
            _ => CustomKind::Text,
        };
        let detail = &v[v["type"].as_str()?];
        let length = |k: &str| {
            detail
                .get(k)
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
        };
        let options = detail
            .get("options")
            .and_then(Value::as_array)
            .map(|os| {
                os.iter()
                    .filter_map(|o| {
                        Some((
                            o["value"].as_str()?.to_owned(),
                            o["label"].as_str()?.to_owned(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(CustomField {
            key: v["key"].as_str()?.to_owned(),
            label: v["label"]["custom"].as_str().unwrap_or_default().to_owned(),
            kind,
            optional: v["optional"] == json!(true),
            default_value: detail
                .get("default_value")
                .and_then(Value::as_str)
                .map(str::to_owned),
            minimum_length: length("minimum_length"),
            maximum_length: length("maximum_length"),
            options,
        })
    }

    /// Why `value` does not fit this field, in the page's words; `None` when it fits. Empty
    /// means not given.
    pub fn problem(&self, value: &str) -> Option<String> {
        if value.is_empty() {
            return (!self.optional).then(|| "This field is incomplete.".to_owned());
        }
        let chars = value.chars().count();
        match self.kind {
            CustomKind::Dropdown => {
                if !self.options.iter().any(|(v, _)| v == value) {
                    return Some("Select one of the options.".to_owned());
                }
                return None;
            }
            CustomKind::Numeric if !value.bytes().all(|b| b.is_ascii_digit()) => {
                return Some("Enter digits only.".to_owned());
            }
            _ => {}
        }
        let max = self
            .maximum_length
            .unwrap_or(CUSTOM_FIELD_MAX)
            .min(CUSTOM_FIELD_MAX);
        if chars > max {
            return Some(format!("Enter at most {max} characters."));
        }
        if let Some(min) = self.minimum_length {
            if chars < min {
                return Some(format!("Enter at least {min} characters."));
            }
        }
        None
    }
}

/// The session fields a completion fills from what the customer entered: `customer_details`
/// parts, `collected_information`, `custom_fields` with values, `consent`. Refuses what the
/// session requires but `how` lacks, and values that do not fit.
pub(crate) fn collected_fields(
    o: &Map<String, Value>,
    how: &Completion,
) -> Result<Map<String, Value>, FakeError> {
    let asks = Asks::of(o);
    let mut out = Map::new();
    if asks.billing_address && !how.address.as_ref().is_some_and(is_full_address) {
        return Err(FakeError::param(
            "address",
            "This session collects a billing address (billing_address_collection=required): complete it with one (line1, city, postal_code, country), e.g. Completion::paid().address(PostalAddress { .. }), or address[line1]=…&address[city]=…&address[postal_code]=…&address[country]=US on the control endpoint.",
        ));
    }
    if asks.phone && how.phone.as_deref().is_none_or(str::is_empty) {
        return Err(FakeError::param(
            "phone",
            "This session collects a phone number (phone_number_collection[enabled]=true): complete it with one, e.g. Completion::paid().phone(\"+15555550123\"), or phone=+15555550123 on the control endpoint.",
        ));
    }
    if let Some(phone) = &how.phone {
        if !is_phone(phone) {
            return Err(FakeError::param(
                "phone",
                "Invalid phone: give digits, spaces, `-`, `(`, `)` and a leading `+` (e.g. +15555550123).",
            ));
        }
    }
    match (&asks.shipping_countries, &how.shipping) {
        (Some(_), None) => {
            return Err(FakeError::param(
                "shipping",
                "This session collects a shipping address (shipping_address_collection): complete it with one, e.g. Completion::paid().shipping(\"Jenny Rosen\", PostalAddress { .. }), or shipping[name]=…&shipping[address][country]=US&… on the control endpoint.",
            ))
        }
        (Some(allowed), Some(shipping)) => {
            let country = shipping.address.country.clone().unwrap_or_default();
            if !allowed.iter().any(|c| c.eq_ignore_ascii_case(&country)) {
                return Err(FakeError::param(
                    "shipping[address][country]",
                    format!(
                        "This session ships only to {} (shipping_address_collection[allowed_countries]), not to {}.",
                        allowed.join(", "),
                        if country.is_empty() { "an address without a country" } else { &country }
                    ),
                ));
            }
            if !is_full_address(&shipping.address) || shipping.name.trim().is_empty() {
                return Err(FakeError::param(
                    "shipping",
                    "A shipping address needs a name, line1, city, postal_code and country.",
                ));
            }
            out.insert(
                "collected_information".into(),
                json!({
                    "business_name": null,
                    "individual_name": null,
                    "shipping_details": {
                        "address": shipping.address.to_json(),
                        "name": shipping.name,
                    },
                }),
            );
        }
        (None, Some(_)) => {
            return Err(FakeError::param(
                "shipping",
                "This session does not collect a shipping address (no shipping_address_collection).",
            ))
        }
        (None, None) => {}
    }
    if asks.terms_of_service && !how.terms_of_service_accepted {
        return Err(FakeError::param(
            "terms_of_service",
            "This session requires accepting the terms of service (consent_collection[terms_of_service]=required): complete it with Completion::paid().accept_terms_of_service(), or terms_of_service=accepted on the control endpoint.",
        ));
    }
    if o.get("consent_collection").is_some_and(Value::is_object) {
        out.insert(
            "consent".into(),
            json!({
                "promotions": null,
                "terms_of_service": if how.terms_of_service_accepted { json!("accepted") } else { Value::Null },
            }),
        );
    }
    for (key, _) in &how.custom_fields {
        if !asks.custom_fields.iter().any(|f| &f.key == key) {
            return Err(FakeError::param(
                format!("custom_fields[{key}]"),
                format!("This session has no custom field with key `{key}`."),
            ));
        }
    }
    if let Some(Value::Array(fields)) = o.get("custom_fields") {
        let mut filled = fields.clone();
        for (field, object) in asks.custom_fields.iter().zip(filled.iter_mut()) {
            let value = how
                .custom_fields
                .iter()
                .rev()
                .find(|(k, _)| k == &field.key)
                .map(|(_, v)| v.as_str())
                .unwrap_or_default();
            if let Some(problem) = field.problem(value) {
                return Err(FakeError::param(
                    format!("custom_fields[{}]", field.key),
                    format!("Custom field `{}` ({}): {problem}", field.key, field.label),
                ));
            }
            let kind = match field.kind {
                CustomKind::Text => "text",
                CustomKind::Numeric => "numeric",
                CustomKind::Dropdown => "dropdown",
            };
            if let Some(Value::Object(entry)) = object.get_mut(kind) {
                let value = if value.is_empty() {
                    Value::Null
                } else {
                    json!(value)
                };
                entry.insert("value".into(), value);
            }
        }
        out.insert("custom_fields".into(), Value::Array(filled));
    }
    Ok(out)
}

/// An address with what Checkout's address form requires: line 1, city, postal code, country.
fn is_full_address(a: &PostalAddress) -> bool {
    [&a.line1, &a.city, &a.postal_code, &a.country]
        .iter()
        .all(|part| part.as_deref().is_some_and(|s| !s.trim().is_empty()))
}

/// A phone number as a person types one: digits with spaces, `-`, `(`, `)`, `.` and a leading
/// `+`; 5 to 20 digits.
pub(crate) fn is_phone(s: &str) -> bool {
    let s = s.trim();
    let body = s.strip_prefix('+').unwrap_or(s);
    let digits = body.bytes().filter(u8::is_ascii_digit).count();
    (5..=20).contains(&digits)
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || b" -().".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(kind: CustomKind) -> CustomField {
        CustomField {
            key: "k".into(),
            label: "L".into(),
            kind,
            optional: false,
            default_value: None,
            minimum_length: Some(2),
            maximum_length: Some(4),
            options: vec![("a".into(), "A".into())],
        }
    }

    #[test]
    fn custom_field_values_are_checked_by_type_and_length() {
        let text = field(CustomKind::Text);
        assert_eq!(
            text.problem("").as_deref(),
            Some("This field is incomplete.")
        );
        assert_eq!(
            text.problem("x").as_deref(),
            Some("Enter at least 2 characters.")
        );
        assert_eq!(
            text.problem("xxxxx").as_deref(),
            Some("Enter at most 4 characters.")
        );
        assert_eq!(text.problem("xyz"), None);
        let numeric = field(CustomKind::Numeric);
        assert_eq!(
            numeric.problem("12a").as_deref(),
            Some("Enter digits only.")
        );
        assert_eq!(numeric.problem("123"), None);
        let dropdown = field(CustomKind::Dropdown);
        assert!(dropdown.problem("b").is_some());
        assert_eq!(dropdown.problem("a"), None);
        let optional = CustomField {
            optional: true,
            ..field(CustomKind::Text)
        };
        assert_eq!(optional.problem(""), None);
    }

    #[test]
    fn phones() {
        assert!(is_phone("+1 (555) 555-0123"));
        assert!(!is_phone("call me"));
        assert!(!is_phone("+1"));
    }
}
