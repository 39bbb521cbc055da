//! Stripe list pages and the stream that walks through all of them.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use futures_core::Stream;
#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};
use serde_json::Value;

use std::sync::Arc;

use crate::decode::{DecodeResult, FromJson, ParseError, Parser};
use crate::error::{Error, PaginationError};
use crate::expandable::Identified;
use crate::form::FormValue;
use crate::method::Method;
use crate::response::Decoder;
use crate::transport::{Call, Options, Payload, SendFuture, Transport};

/// One page of a Stripe list endpoint (`"object": "list"`).
#[derive(Debug, Clone, PartialEq)]
pub struct List<T> {
    /// Always `"list"`.
    pub object: String,
    /// The items on this page, in the order Stripe returned them.
    pub data: Vec<T>,
    /// Whether more items exist past this page (in the direction being paged).
    pub has_more: bool,
    /// The endpoint path, e.g. `/v1/checkout/sessions`.
    pub url: String,
}

fn list_object() -> String {
    "list".to_owned()
}

#[cfg(feature = "serde")]
impl<T: Serialize> Serialize for List<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("object", &self.object)?;
        map.serialize_entry("data", &self.data)?;
        map.serialize_entry("has_more", &self.has_more)?;
        map.serialize_entry("url", &self.url)?;
        map.end()
    }
}

/// serde's `Deserialize` for any item type (the client decodes the generated ones through its
/// own parser; this is for reading a stored list with serde).
#[cfg(feature = "serde")]
impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        SerdeList::deserialize(deserializer).map(|list| list.0)
    }
}

/// A page of a caller's own serde types, for [`Client::paginate`](crate::Client::paginate); built with or without the
/// `serde` feature.
pub(crate) struct SerdeList<T>(pub(crate) List<T>);

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for SerdeList<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for ListVisitor<T> {
            type Value = List<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Stripe list object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<List<T>, A::Error> {
                let mut list = List::default();
                let mut data = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "object" => list.object = map.next_value()?,
                        "data" => data = Some(map.next_value()?),
                        "has_more" => list.has_more = map.next_value()?,
                        "url" => list.url = map.next_value()?,
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                list.data = data.ok_or_else(|| serde::de::Error::missing_field("data"))?;
                Ok(list)
            }
        }

        deserializer
            .deserialize_map(ListVisitor(std::marker::PhantomData))
            .map(SerdeList)
    }
}

impl<T> Default for List<T> {
    fn default() -> Self {
        List {
            object: list_object(),
            data: Vec::new(),
            has_more: false,
            url: String::new(),
        }
    }
}

impl<T: FromJson> FromJson for List<T> {
    fn from_json(p: &mut Parser<'_>) -> DecodeResult<Self> {
        let mut list = List::default();
        let mut data = None;
        let mut object = p.object("struct List")?;
        while let Some(key) = object.next_key(p)? {
            match &*key {
                "object" => list.object = p.decode()?,
                "data" => data = Some(p.decode()?),
                "has_more" => list.has_more = p.decode()?,
                "url" => list.url = p.decode()?,
                // A page is only its items and cursor; other keys (none today) are not kept.
                _ => p.skip()?,
            }
        }
        let Some(data) = data else {
            return Err(p.missing("data"));
        };
        list.data = data;
        Ok(list)
    }
}

impl<T> IntoIterator for List<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.data.into_iter()
    }
}

/// A stream of every item of a list endpoint, fetching pages as it goes.
///
/// Forward by default: each next page is requested with `starting_after` set to the id of the
/// last item of the previous page. When the first request's parameters contain `ending_before`
/// and no `starting_after`, it pages backwards instead, with `ending_before` set to the id of
/// the first item of the previous page, and yields each page's items in reverse, so items come
/// out in the direction of travel (what stripe-python's `auto_paging_iter` does).
///
/// The stream ends when a page says `has_more: false`, when a page is empty (even if it claims
/// `has_more: true`), or when the item that should give the next cursor has no id. A server
/// that ignores the cursor cannot make it loop: a cursor that was already used (the same page
/// again, or a cycle of pages) ends the stream with [`Error::Pagination`], without yielding
/// that page's items again. An error is yielded once and ends the stream; each request itself
/// has already been retried per the client's retry settings.
///
/// ```no_run
/// # async fn run(client: stripe_checkout::Client) -> Result<(), stripe_checkout::Error> {
/// use stripe_checkout::ListCheckoutSessionParams;
///
/// let params = ListCheckoutSessionParams { limit: Some(100), ..Default::default() };
/// let mut sessions = client.checkout_sessions().list_auto_paging(&params);
/// while let Some(session) = sessions.next().await {
///     let session = session?;
///     println!("{} {:?}", session.id, session.status);
/// }
///
/// // Or at most 1,000 of them in a Vec (stripe-node's `autoPagingToArray`):
/// let first_1000 = client
///     .checkout_sessions()
///     .list_auto_paging(&params)
///     .collect_vec(1000)
///     .await?;
/// # Ok(()) }
/// ```
///
/// It is also a `futures` [`Stream`], for `StreamExt` combinators.
#[must_use = "streams do nothing unless polled"]
pub struct Paginator<T> {
    transport: Arc<Transport>,
    path: String,
    /// The caller's params; the cursor is set on them before each page.
    params: Box<dyn PageParams>,
    options: Options,
    backward: bool,
    buffer: VecDeque<T>,
    next: Next,
    in_flight: Option<SendFuture>,
    /// Every cursor sent so far: one per page, so this stays small.
    cursors: HashSet<String>,
    decode: DecodePage<T>,
}

// Items are only moved in and out of the buffer, never pinned.
impl<T> Unpin for Paginator<T> {}

impl<T> fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("path", &self.path)
            .field("options", &self.options)
            .field("buffered", &self.buffer.len())
            .finish_non_exhaustive()
    }
}

enum Next {
    Fetch,
    Fail(Error),
    Done,
}

/// Decodes one page; a plain function so the paginator itself is not tied to serde.
pub(crate) type DecodePage<T> = fn(&[u8]) -> Result<List<T>, ParseError>;

impl<T: Identified> Paginator<T> {
    /// `params` are the caller's own (a copy): the paginator sets their cursor page by page.
    pub(crate) fn new(
        transport: Arc<Transport>,
        path: String,
        params: Box<dyn PageParams>,
        decode: DecodePage<T>,
    ) -> Self {
        let backward = params.cursor(true).is_some() && params.cursor(false).is_none();
        // The caller's own cursor counts as used: a page that ends there again is a loop.
        let cursors = params
            .cursor(backward)
            .map(str::to_owned)
            .into_iter()
            .collect();
        Paginator {
            transport,
            path,
            params,
            options: Options::default(),
            backward,
            buffer: VecDeque::new(),
            next: Next::Fetch,
            in_flight: None,
            cursors,
            decode,
        }
    }

    /// Fetches every page on behalf of this connected account (`Stripe-Account`).
    pub fn stripe_account(mut self, account: impl Into<String>) -> Self {
        self.options.stripe_account = Some(account.into());
        self
    }

    /// Time allowed for each attempt of each page request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// The next item, fetching the next page when the current one is used up; `None` at the
    /// end. The same as `StreamExt::next`, without needing the `futures` crates.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Up to `limit` items in a `Vec`, fetching only the pages needed; the first error is
    /// returned instead. stripe-node's `autoPagingToArray({limit})`, without the `futures`
    /// crates.
    pub async fn collect_vec(mut self, limit: usize) -> Result<Vec<T>, Error> {
        let mut items = Vec::new();
        while items.len() < limit {
            match self.next().await {
                Some(item) => items.push(item?),
                None => break,
            }
        }
        Ok(items)
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, Error>>> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(in_flight) = self.in_flight.as_mut() {
                let response = ready!(in_flight.as_mut().poll(cx));
                self.in_flight = None;
                match response.and_then(|r| r.decode_with(Decoder::Json(self.decode))) {
                    Ok(page) => self.take_page(page),
                    Err(e) => return Poll::Ready(Some(Err(e))),
                }
                continue;
            }
            match std::mem::replace(&mut self.next, Next::Done) {
                Next::Done => return Poll::Ready(None),
                Next::Fail(e) => return Poll::Ready(Some(Err(e))),
                Next::Fetch => {
                    let call = Call {
                        transport: self.transport.clone(),
                        method: Method::Get,
                        path: self.path.clone(),
                        payload: crate::form::encode_params(&*self.params).map(Payload::Form),
                        server: None,
                        options: self.options.clone(),
                    };
                    self.in_flight = Some(call.start());
                }
            }
        }
    }

    /// Buffers a page's items and decides what comes next.
    fn take_page(&mut self, page: List<T>) {
        let cursor_item = if self.backward {
            page.data.first()
        } else {
            page.data.last()
        };
        // An empty page has no cursor item, so it also ends the walk here.
        let cursor = cursor_item
            .and_then(Identified::object_id)
            .map(str::to_owned);
        if let (true, Some(cursor)) = (page.has_more, cursor) {
            if self.cursors.contains(&cursor) {
                // This page was seen before: its items would be repeats.
                self.next = Next::Fail(Error::Pagination(PaginationError {
                    path: self.path.clone(),
                    cursor_param: cursor_name(self.backward),
                    repeated_cursor: cursor,
                }));
                return;
            }
            self.cursors.insert(cursor.clone());
            self.params.set_cursor(self.backward, cursor);
            self.next = Next::Fetch;
        }
        if self.backward {
            self.buffer.extend(page.data.into_iter().rev());
        } else {
            self.buffer.extend(page.data);
        }
    }
}

impl<T: Identified> Stream for Paginator<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

/// The params of a list endpoint, which a [`Paginator`] moves through the pages by setting their
/// cursor (`starting_after`, or `ending_before` when paging backwards) before each request. The
/// generator implements it for every list params type with both cursors.
pub trait PageParams: FormValue + Send + Sync {
    /// `ending_before` when `backward`, else `starting_after`.
    fn cursor(&self, backward: bool) -> Option<&str>;
    /// Sets `ending_before` when `backward`, else `starting_after`.
    fn set_cursor(&mut self, backward: bool, cursor: String);
}

/// For [`Client::paginate`](crate::Client::paginate) with untyped params: the cursors are
/// members of the object (`null` becomes an object when a cursor is set).
impl PageParams for Value {
    fn cursor(&self, backward: bool) -> Option<&str> {
        self.get(cursor_name(backward))?.as_str()
    }

    fn set_cursor(&mut self, backward: bool, cursor: String) {
        if self.is_null() {
            *self = Value::Object(serde_json::Map::new());
        }
        if let Value::Object(map) = self {
            map.insert(cursor_name(backward).to_owned(), Value::String(cursor));
        }
    }
}

/// `ending_before` when `backward`, else `starting_after`.
fn cursor_name(backward: bool) -> &'static str {
    if backward {
        "ending_before"
    } else {
        "starting_after"
    }
}
