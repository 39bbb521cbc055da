//! Which operation a method and path name, from the generated operation table
//! ([`crate::params::OPERATIONS`]): a path matches a template such as
//! `/v1/checkout/sessions/{session}/expire` segment by segment, literal segments exactly and
//! `{name}` segments as a non-empty, percent-decoded value. Paths and methods:
//! <https://docs.stripe.com/api/checkout/sessions>.

use percent_encoding::percent_decode_str;

use crate::params::OPERATIONS;
use crate::schema::Operation;

/// A matched operation and its path parameters.
#[derive(Debug)]
pub(crate) struct Route {
    pub operation: &'static Operation,
    params: Vec<(&'static str, String)>,
}

impl Route {
    /// A path parameter by the name its template gives it (`session` for `{session}`).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The path's one parameter, for operations on one object (`/v1/prices/{price}`).
    pub fn only_param(&self) -> Option<&str> {
        match self.params.as_slice() {
            [(_, value)] => Some(value),
            _ => None,
        }
    }
}

/// The operation `method` and `path` name, if any.
pub(crate) fn route(method: &str, path: &str) -> Option<Route> {
    OPERATIONS
        .iter()
        .filter(|op| op.method == method)
        .find_map(|op| {
            let params = match_template(op.path, path)?;
            Some(Route {
                operation: op,
                params,
            })
        })
}

/// The path parameters when `path` matches `template`. One trailing `/` is accepted after a
/// literal last segment (`/v1/checkout/sessions/`), not after a parameter.
fn match_template(template: &'static str, path: &str) -> Option<Vec<(&'static str, String)>> {
    let wanted: Vec<&'static str> = template.split('/').collect();
    let mut given: Vec<&str> = path.split('/').collect();
    let last_is_literal = wanted.last().is_some_and(|s| !is_param(s));
    if given.len() == wanted.len() + 1 && given.last() == Some(&"") && last_is_literal {
        given.pop();
    }
    if given.len() != wanted.len() {
        return None;
    }
    let mut params = Vec::new();
    for (want, got) in wanted.into_iter().zip(given) {
        if let Some(name) = want.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            let value = percent_decode_str(got).decode_utf8().ok()?.into_owned();
            if value.is_empty() {
                return None;
            }
            params.push((name, value));
        } else if want != got {
            return None;
        }
    }
    Some(params)
}

fn is_param(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::OpId;

    fn op(method: &str, path: &str) -> Option<(OpId, Option<String>)> {
        route(method, path).map(|r| (r.operation.op, r.param("session").map(str::to_owned)))
    }

    #[test]
    fn every_operation_is_reachable() {
        let id = Some("cs_1".to_owned());
        assert_eq!(
            op("GET", "/v1/checkout/sessions"),
            Some((OpId::GetCheckoutSessions, None))
        );
        assert_eq!(
            op("POST", "/v1/checkout/sessions/"),
            Some((OpId::PostCheckoutSessions, None))
        );
        assert_eq!(
            op("GET", "/v1/checkout/sessions/cs_1"),
            Some((OpId::GetCheckoutSessionsSession, id.clone()))
        );
        assert_eq!(
            op("POST", "/v1/checkout/sessions/cs_1"),
            Some((OpId::PostCheckoutSessionsSession, id.clone()))
        );
        assert_eq!(
            op("POST", "/v1/checkout/sessions/cs_1/expire"),
            Some((OpId::PostCheckoutSessionsSessionExpire, id.clone()))
        );
        assert_eq!(
            op("GET", "/v1/checkout/sessions/cs%5F1/line_items"),
            Some((OpId::GetCheckoutSessionsSessionLineItems, id))
        );
    }

    #[test]
    fn near_misses_are_not_routes() {
        assert!(op("DELETE", "/v1/checkout/sessions").is_none());
        assert!(op("GET", "/v1/checkout/sessionsx").is_none());
        assert!(op("GET", "/v1/checkout/sessions//line_items").is_none());
        assert!(op("GET", "/v1/checkout/sessions/cs_1/").is_none());
        assert!(op("GET", "/v1/checkout/sessions/cs_1/expire").is_none());
        assert!(op("GET", "/v1/checkout/sessions/%FF").is_none());
    }
}
