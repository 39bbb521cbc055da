//! The HTTP method of an endpoint: shared by the client, one call, responses and errors, so it
//! lives below all of them.

/// The HTTP method of a Stripe endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`: parameters go in the query string; no `Idempotency-Key` is sent (Stripe ignores
    /// it on GET).
    Get,
    /// `POST`: parameters go in a form body; an `Idempotency-Key` is always sent.
    Post,
    /// `DELETE`: parameters go in the query string; an `Idempotency-Key` is sent only when
    /// given.
    Delete,
}

impl Method {
    /// `"GET"`, `"POST"` or `"DELETE"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
        }
    }
}
