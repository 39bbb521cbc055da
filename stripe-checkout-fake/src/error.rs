//! Stripe-shaped errors: `{"error": {"type", "code", "param", "message", "doc_url"}}`.
//!
//! Shape and statuses: <https://docs.stripe.com/api/errors>; codes:
//! <https://docs.stripe.com/error-codes>.

use serde_json::{json, Map, Value};

/// An error the fake answers with, as Stripe would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeError {
    /// HTTP status.
    pub status: u16,
    /// `type`: `invalid_request_error`, `idempotency_error`, `api_error`, …
    pub kind: &'static str,
    /// `code`, e.g. `parameter_unknown`.
    pub code: Option<&'static str>,
    /// `param`, as Stripe writes it (`line_items[0][price_data][currency]`).
    pub param: Option<String>,
    /// `message`.
    pub message: String,
}

impl std::fmt::Display for FakeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}", self.message, self.kind)?;
        if let Some(code) = self.code {
            write!(f, ", {code}")?;
        }
        if let Some(param) = &self.param {
            write!(f, ", param {param}")?;
        }
        write!(f, ", status {})", self.status)
    }
}

impl std::error::Error for FakeError {}

impl FakeError {
    /// A 400 `invalid_request_error`.
    pub fn invalid(code: Option<&'static str>, param: Option<String>, message: String) -> Self {
        FakeError {
            status: 400,
            kind: "invalid_request_error",
            code,
            param,
            message,
        }
    }

    /// A 400 `invalid_request_error` on a parameter, without a code.
    pub fn param(param: impl Into<String>, message: impl Into<String>) -> Self {
        FakeError::invalid(None, Some(param.into()), message.into())
    }

    /// 404 `resource_missing`: `No such <object>: '<id>'`.
    pub fn missing(object: &str, id: &str, param: &str, status: u16) -> Self {
        FakeError {
            status,
            kind: "invalid_request_error",
            code: Some("resource_missing"),
            param: Some(param.to_owned()),
            message: format!("No such {object}: '{id}'"),
        }
    }

    /// `Missing required param: <param>.` (`parameter_missing`).
    pub fn missing_param(param: &str) -> Self {
        FakeError::invalid(
            Some("parameter_missing"),
            Some(param.to_owned()),
            format!("Missing required param: {param}."),
        )
    }

    /// The same error about a parameter nested under `parent` (`currency` under
    /// `fixed_amount` becomes `fixed_amount[currency]`).
    pub(crate) fn nested(mut self, parent: &str) -> Self {
        self.param = Some(match self.param.take() {
            Some(inner) => match inner.split_once('[') {
                Some((head, rest)) => format!("{parent}[{head}][{rest}"),
                None => format!("{parent}[{inner}]"),
            },
            None => parent.to_owned(),
        });
        self
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        let mut error = Map::new();
        if let Some(code) = self.code {
            error.insert("code".into(), json!(code));
            error.insert(
                "doc_url".into(),
                json!(format!(
                    "https://stripe.com/docs/error-codes/{}",
                    code.replace('_', "-")
                )),
            );
        }
        error.insert("message".into(), json!(self.message));
        if let Some(param) = &self.param {
            error.insert("param".into(), json!(param));
        }
        error.insert("type".into(), json!(self.kind));
        json!({ "error": error })
    }
}
