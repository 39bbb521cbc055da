//! Reading a response: the body up to a size limit, Stripe's error object, decoding a 2xx body.

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;

use crate::__private::JsonError;
use crate::client::Method;
use crate::decode::{DecodeResult, FromJson, Parser};
use crate::error::{ApiError, ApiErrorObject, DecodeError, TooLargeError};
use crate::request::Response;
use crate::Error;

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

/// A 2xx response, not yet decoded.
pub(crate) struct Success {
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) method: Method,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) retries: u32,
    pub(crate) bytes: Bytes,
}

impl Success {
    /// Decodes the body, turning a failure into [`Error::Decode`] with the JSON path.
    pub(crate) fn decode_with<R>(
        self,
        decode: fn(&[u8]) -> Result<R, JsonError>,
    ) -> Result<R, Error> {
        match decode(&self.bytes) {
            Ok(value) => Ok(value),
            Err(failure) => Err(self.decode_error(failure)),
        }
    }

    /// [`Success::decode_with`], keeping the response's metadata.
    pub(crate) fn decode_meta<R>(
        self,
        decode: fn(&[u8]) -> Result<R, JsonError>,
    ) -> Result<Response<R>, Error> {
        match decode(&self.bytes) {
            Ok(value) => Ok(Response {
                value,
                request_id: self.request_id,
                idempotency_key: self.idempotency_key,
                status: self.status,
                retries: self.retries,
            }),
            Err(failure) => Err(self.decode_error(failure)),
        }
    }

    // Not generic: built once whatever the response type.
    fn decode_error(self, failure: JsonError) -> Error {
        Error::Decode(Box::new(DecodeError {
            body_excerpt: non_json_excerpt(&self.bytes),
            path: failure.path,
            message: failure.message,
            status: self.status,
            request_id: self.request_id,
            method: self.method,
            idempotency_key: self.idempotency_key,
        }))
    }
}

/// The first characters of a body that is clearly not JSON; `None` for anything JSON-shaped.
pub(crate) fn non_json_excerpt(bytes: &[u8]) -> Option<String> {
    // Only the start is quoted, so only the start is converted.
    let head = &bytes[..bytes.len().min(512)];
    let text = String::from_utf8_lossy(head);
    let trimmed = text.trim_start();
    if trimmed.is_empty() || trimmed.starts_with(['{', '[']) {
        return None;
    }
    Some(trimmed.chars().take(120).collect())
}

/// The error of a non-2xx response; `retries` and `idempotency_key` are filled in by the caller.
pub(crate) fn api_error(raw: &Raw) -> ApiError {
    let error = match crate::__private::decode_json::<ErrorBody>(&raw.bytes) {
        Ok(ErrorBody(error)) => error,
        Err(_) => ApiErrorObject {
            message: Some(match non_json_excerpt(&raw.bytes) {
                Some(excerpt) => format!("response had no Stripe error object: {excerpt:?}"),
                None => "response had no Stripe error object".to_owned(),
            }),
            ..ApiErrorObject::default()
        },
    };
    let headers = &raw.headers;
    let should_retry = match header_str(headers, "stripe-should-retry") {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    };
    let retry_after = header_str(headers, "retry-after")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|secs| secs.is_finite() && *secs >= 0.0)
        // Clamped before conversion so `from_secs_f64` cannot overflow; capped again later.
        .map(|secs| Duration::from_secs_f64(secs.min(86_400.0)));
    ApiError {
        status: raw.status,
        request_id: header_str(headers, "request-id").map(str::to_owned),
        should_retry,
        retry_after,
        retries: 0,
        idempotency_key: None,
        error,
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
