//! Reading a response: the body up to a size limit, Stripe's error object, decoding a 2xx body.

use bytes::Bytes;
use reqwest::header::HeaderMap;

use crate::decode::{decode_json, DecodeResult, FromJson, ParseError, Parser};
use crate::error::{
    describe_body, looks_like_json, ApiError, ApiErrorObject, Body, DecodeError, Error,
    TooLargeError,
};
use crate::method::Method;
use crate::retry::RetryHeaders;

/// A whole response, body included.
pub(crate) struct Raw {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) bytes: Bytes,
}

/// Why a body could not be read.
pub(crate) enum ReadError {
    Transport(reqwest::Error),
    /// The body is (or announced itself as) longer than the limit; what was read is dropped.
    TooLarge {
        status: u16,
        headers: HeaderMap,
    },
}

/// Reads the body, stopping as soon as it would exceed `limit` bytes, so a huge or endless
/// body costs at most `limit` bytes of memory. A body that arrives as one chunk (the usual
/// case for a Content-Length response that fits one read) is kept as it is, without a copy;
/// more chunks are gathered into one buffer sized from Content-Length.
pub(crate) async fn read_bounded(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Raw, ReadError> {
    let status = response.status().as_u16();
    let announced = response.content_length();
    let headers = std::mem::take(response.headers_mut());
    let limit_u64 = u64::try_from(limit).unwrap_or(u64::MAX);
    if announced.is_some_and(|len| len > limit_u64) {
        return Err(ReadError::TooLarge { status, headers });
    }
    let first = match next_chunk(&mut response).await? {
        Some(first) if first.len() > limit => {
            return Err(ReadError::TooLarge { status, headers });
        }
        Some(first) => first,
        None => Bytes::new(),
    };
    let Some(second) = next_chunk(&mut response).await? else {
        return Ok(Raw {
            status,
            headers,
            bytes: first,
        });
    };
    // Trust Content-Length only up to the limit for the allocation.
    let capacity = announced.map_or(0, |len| usize::try_from(len).unwrap_or(limit).min(limit));
    let mut bytes = Vec::with_capacity(capacity.max(first.len()));
    bytes.extend_from_slice(&first);
    let mut next = Some(second);
    while let Some(part) = next {
        if part.len() > limit - bytes.len() {
            return Err(ReadError::TooLarge { status, headers });
        }
        bytes.extend_from_slice(&part);
        next = next_chunk(&mut response).await?;
    }
    Ok(Raw {
        status,
        headers,
        bytes: Bytes::from(bytes),
    })
}

async fn next_chunk(response: &mut reqwest::Response) -> Result<Option<Bytes>, ReadError> {
    response.chunk().await.map_err(ReadError::Transport)
}

pub(crate) fn too_large(
    status: u16,
    headers: &HeaderMap,
    limit: usize,
    method: Method,
    idempotency_key: Option<String>,
) -> Error {
    Error::ResponseTooLarge(Box::new(TooLargeError {
        limit,
        status,
        request_id: header_str(headers, "request-id").map(str::to_owned),
        method,
        idempotency_key,
    }))
}

pub(crate) fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A decoded value with what the response said about the call, from
/// [`Request::send_with_meta`](crate::Request::send_with_meta).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Response<T> {
    /// The decoded response body.
    pub value: T,
    /// Stripe's `Request-Id` response header: quote it to Stripe support.
    pub request_id: Option<String>,
    /// The `Idempotency-Key` sent (given or generated; always set for POST).
    pub idempotency_key: Option<String>,
    /// The HTTP status.
    pub status: u16,
    /// How many times the call was retried before this response.
    pub retries: u32,
}

/// A 2xx response, not yet decoded.
pub(crate) struct Success {
    pub(crate) status: u16,
    pub(crate) content_type: Option<reqwest::header::HeaderValue>,
    pub(crate) request_id: Option<String>,
    pub(crate) method: Method,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) retries: u32,
    pub(crate) bytes: Bytes,
}

/// How a call reads its 2xx body.
pub(crate) enum Decoder<T> {
    /// Decodes JSON.
    Json(fn(&[u8]) -> Result<T, ParseError>),
    /// Takes the body as it is, with its `Content-Type` (a document such as a PDF).
    Raw(fn(Bytes, Option<String>) -> T),
}

impl<T> Clone for Decoder<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Decoder<T> {}

impl Success {
    /// Decodes the body; a failure is [`Error::Decode`], with the JSON path and this response.
    pub(crate) fn decode_with<R>(self, decoder: Decoder<R>) -> Result<R, Error> {
        match decoder {
            Decoder::Json(decode) => match decode(&self.bytes) {
                Ok(value) => Ok(value),
                Err(failure) => Err(self.decode_error(failure)),
            },
            Decoder::Raw(take) => Ok(take(self.bytes, content_type_text(self.content_type))),
        }
    }

    /// [`Success::decode_with`], keeping the response's metadata.
    pub(crate) fn decode_meta<R>(self, decoder: Decoder<R>) -> Result<Response<R>, Error> {
        let value = match decoder {
            Decoder::Json(decode) => match decode(&self.bytes) {
                Ok(value) => value,
                Err(failure) => return Err(self.decode_error(failure)),
            },
            Decoder::Raw(take) => take(self.bytes, content_type_text(self.content_type)),
        };
        Ok(Response {
            value,
            request_id: self.request_id,
            idempotency_key: self.idempotency_key,
            status: self.status,
            retries: self.retries,
        })
    }

    // Not generic: built once whatever the response type.
    #[cold]
    #[inline(never)]
    fn decode_error(self, failure: ParseError) -> Error {
        Error::Decode(Box::new(DecodeError {
            content_type: content_type_text(self.content_type),
            path: failure.path(&self.bytes),
            body: Body(self.bytes),
            message: failure.message,
            status: self.status,
            request_id: self.request_id,
            method: self.method,
            idempotency_key: self.idempotency_key,
        }))
    }
}

fn content_type_text(value: Option<reqwest::header::HeaderValue>) -> Option<String> {
    value.and_then(|v| v.to_str().ok().map(str::to_owned))
}

/// The error of a non-2xx response; `retries` and `idempotency_key` are filled in by the caller.
///
/// A body that is not Stripe's error object is never quoted in the message (a proxy may echo
/// the request, customer email included): the message gives its type and length, and the body
/// itself stays reachable through [`ApiError::body`].
pub(crate) fn api_error(raw: Raw) -> ApiError {
    let headers = &raw.headers;
    let content_type = header_str(headers, "content-type").map(str::to_owned);
    let error = match decode_json::<ErrorBody>(&raw.bytes) {
        Ok(ErrorBody(error)) => error,
        Err(_) => {
            let mut message = String::new();
            if (300..400).contains(&raw.status) {
                message.push_str("unexpected redirect");
                if let Some(location) = header_str(headers, "location") {
                    message.push_str(" to ");
                    message.push_str(&url_text_without_query(location));
                }
                message.push_str(
                    ": Stripe does not redirect (check the base URL, or a proxy in between)",
                );
            } else {
                message.push_str("response had no Stripe error object (");
                if !looks_like_json(&raw.bytes) {
                    message.push_str("not JSON: ");
                }
                // Writing to a String cannot fail.
                let _ = describe_body(&mut message, content_type.as_deref(), raw.bytes.len());
                message.push(')');
            }
            ApiErrorObject {
                message: Some(message),
                ..ApiErrorObject::default()
            }
        }
    };
    let RetryHeaders {
        should_retry,
        retry_after,
    } = RetryHeaders::read(headers);
    ApiError {
        status: raw.status,
        request_id: header_str(headers, "request-id").map(str::to_owned),
        should_retry,
        retry_after,
        retries: 0,
        idempotency_key: None,
        error,
        content_type,
        body: Body(raw.bytes),
    }
}

/// A URL for an error message: scheme, host and path only. The query and fragment (which may
/// carry tokens or personal data) are dropped.
pub(crate) fn url_without_query(url: &reqwest::Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.set_fragment(None);
    // Credentials too, as in `Debug` of the client.
    let _ = url.set_password(None);
    let _ = url.set_username("");
    url.to_string()
}

/// [`url_without_query`] for a `Location` header, which may be relative or not a URL at all.
fn url_text_without_query(location: &str) -> String {
    match reqwest::Url::parse(location) {
        Ok(url) => url_without_query(&url),
        Err(_) => location
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect(),
    }
}

/// `{"error": {...}}`, the body of Stripe's error responses.
struct ErrorBody(ApiErrorObject);

impl FromJson for ErrorBody {
    fn from_json(p: &mut Parser<'_>) -> DecodeResult<Self> {
        let mut error = None;
        let mut object = p.object("a Stripe error body")?;
        while let Some(key) = object.next_key(p)? {
            match &*key {
                "error" => error = Some(p.decode()?),
                _ => p.skip()?,
            }
        }
        error.map(ErrorBody).ok_or_else(|| p.missing("error"))
    }
}
