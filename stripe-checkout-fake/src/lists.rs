//! Lists: newest first, `limit` 1–100 (default 10), cursors `starting_after`/`ending_before`,
//! `has_more`; the list object's JSON; and the session list's filters (`created`, `status`,
//! `customer`, `customer_details[email]`, `payment_intent`, `subscription`, `payment_link`,
//! `customer_account`), read from an [`Index`] kept beside each session.
//!
//! <https://docs.stripe.com/api/pagination>, <https://docs.stripe.com/api/checkout/sessions/list>.

use serde_json::{Map, Value};

use crate::error::FakeError;
use crate::schema::str_param;

/// The fields of a session that lists filter and page on.
#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    pub id: String,
    pub status: String,
    pub created: i64,
    pub expires_at: i64,
    email: Option<String>,
    /// `customer`, `payment_intent`, `subscription`, `payment_link`, `customer_account`.
    ids: [Option<String>; 5],
}

const FILTERED_IDS: [&str; 5] = [
    "customer",
    "payment_intent",
    "subscription",
    "payment_link",
    "customer_account",
];

impl Index {
    /// The index of a session object.
    pub fn of(o: &Map<String, Value>) -> Index {
        let text = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_owned);
        Index {
            id: text("id").unwrap_or_default(),
            status: text("status").unwrap_or_default(),
            created: o.get("created").and_then(Value::as_i64).unwrap_or(0),
            expires_at: o.get("expires_at").and_then(Value::as_i64).unwrap_or(0),
            email: o
                .get("customer_details")
                .and_then(|d| d.get("email"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            ids: FILTERED_IDS.map(text),
        }
    }

    /// Whether the session passes the list's filters in `p`.
    pub fn matches(&self, p: &Map<String, Value>) -> bool {
        if str_param(p, "status").is_some_and(|want| want != self.status) {
            return false;
        }
        for (key, have) in FILTERED_IDS.iter().zip(&self.ids) {
            if let Some(want) = str_param(p, key) {
                if have.as_deref() != Some(want) {
                    return false;
                }
            }
        }
        if let Some(email) = p
            .get("customer_details")
            .and_then(|d| d.get("email"))
            .and_then(Value::as_str)
        {
            if self.email.as_deref() != Some(email) {
                return false;
            }
        }
        created_matches(self.created, p.get("created").unwrap_or(&Value::Null))
    }
}

/// Whether `created` passes a list's `created` filter: a timestamp, or a range of `gt`, `gte`,
/// `lt`, `lte` (anything else passes).
pub(crate) fn created_matches(created: i64, filter: &Value) -> bool {
    match filter {
        Value::Number(n) => n.as_i64() == Some(created),
        Value::Object(range) => {
            let bound = |k: &str| range.get(k).and_then(Value::as_i64);
            bound("gt").is_none_or(|b| created > b)
                && bound("gte").is_none_or(|b| created >= b)
                && bound("lt").is_none_or(|b| created < b)
                && bound("lte").is_none_or(|b| created <= b)
        }
        _ => true,
    }
}

/// Which slice of `ids` (in list order) a page is, from `limit`, `starting_after` and
/// `ending_before`, and whether more follow; `exists` says whether a cursor names an object
/// at all.
pub(crate) fn page(
    ids: &[&str],
    p: &Map<String, Value>,
    exists: impl Fn(&str) -> bool,
) -> Result<(usize, usize, bool), FakeError> {
    let limit = match p.get("limit").and_then(Value::as_i64) {
        None => 10,
        Some(n) if (1..=100).contains(&n) => n as usize,
        Some(n) => {
            return Err(FakeError::param(
                "limit",
                format!("Invalid limit: must be between 1 and 100 (it currently is {n})."),
            ))
        }
    };
    let cursor = |name: &str| -> Result<Option<usize>, FakeError> {
        let Some(id) = str_param(p, name) else {
            return Ok(None);
        };
        if !exists(id) {
            return Err(FakeError::missing("object", id, name, 400));
        }
        // A cursor that exists but is filtered out: position it by its place in the list.
        Ok(Some(ids.iter().position(|x| *x == id).unwrap_or(ids.len())))
    };
    if let Some(after) = cursor("starting_after")? {
        let start = (after + 1).min(ids.len());
        let end = (start + limit).min(ids.len());
        return Ok((start, end, end < ids.len()));
    }
    if let Some(before) = cursor("ending_before")? {
        let end = before.min(ids.len());
        let start = end.saturating_sub(limit);
        return Ok((start, end, start > 0));
    }
    let end = limit.min(ids.len());
    Ok((0, end, end < ids.len()))
}

/// `{"object":"list","data":[…],"has_more":…,"url":…}` from already-rendered objects.
pub(crate) fn list_json<S: AsRef<str>>(data: &[S], has_more: bool, url: &str) -> String {
    let mut out =
        String::with_capacity(64 + data.iter().map(|d| d.as_ref().len() + 1).sum::<usize>());
    out.push_str("{\"object\":\"list\",\"data\":[");
    for (i, item) in data.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(item.as_ref());
    }
    out.push_str("],\"has_more\":");
    out.push_str(if has_more { "true" } else { "false" });
    out.push_str(",\"url\":");
    out.push_str(&Value::from(url).to_string());
    out.push('}');
    out
}
