//! Stripe list pages and the stream that walks through all of them.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::{Deserialize, Serialize};

use crate::__private::JsonError;
use crate::client::{Client, Method, RequestOptions};
use crate::{Error, Identified};

/// One page of a Stripe list endpoint (`"object": "list"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct List<T> {
    /// Always `"list"`.
    #[serde(default = "list_object")]
    pub object: String,
    /// The items on this page, in the order Stripe returned them.
    pub data: Vec<T>,
    /// Whether more items exist past this page (in the direction being paged).
    #[serde(default)]
    pub has_more: bool,
    /// The endpoint path, e.g. `/v1/checkout/sessions`.
    #[serde(default)]
    pub url: String,
}

fn list_object() -> String {
    "list".to_owned()
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
/// `has_more: true`, so a misbehaving server cannot make it loop), or when the item that should
/// give the next cursor has no id. An error is yielded once and ends the stream; the request
/// itself has already been retried per the client's retry settings.
///
/// ```no_run
/// # async fn run(client: stripe_checkout::Client) -> Result<(), stripe_checkout::Error> {
/// use stripe_checkout::ListCheckoutSessionsParams;
///
/// let params = ListCheckoutSessionsParams { limit: Some(100), ..Default::default() };
/// let mut sessions = client.checkout_sessions().list_auto_paging(&params);
/// while let Some(session) = sessions.next().await {
///     let session = session?;
///     println!("{} {:?}", session.id, session.status);
/// }
/// # Ok(()) }
/// ```
///
/// It is also a `futures` [`Stream`], for `StreamExt` combinators.
#[must_use = "streams do nothing unless polled"]
pub struct Paginator<T> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Error>> + Send + 'static>>,
}

impl<T> fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator").finish_non_exhaustive()
    }
}

impl<T> Paginator<T> {
    /// The next item, fetching the next page when the current one is used up; `None` at the
    /// end. The same as `StreamExt::next`, without needing the `futures` crates.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| self.inner.as_mut().poll_next(cx)).await
    }
}

impl<T> Stream for Paginator<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

enum Next {
    Fetch,
    Fail(Error),
    Done,
}

struct State<T> {
    client: Client,
    path: String,
    pairs: Vec<(String, String)>,
    options: RequestOptions,
    backward: bool,
    buffer: VecDeque<T>,
    next: Next,
    decode: DecodePage<T>,
}

const STARTING_AFTER: &str = "starting_after";
const ENDING_BEFORE: &str = "ending_before";

/// Decodes one page; a plain function so the paginator itself is not tied to serde.
pub(crate) type DecodePage<T> = fn(&[u8]) -> Result<List<T>, JsonError>;

impl<T> Paginator<T>
where
    T: Identified + Send + 'static,
{
    /// `pairs` are the caller's params already flattened by [`crate::form`]; an encoding error is
    /// passed as `Err` and yielded as the stream's only item.
    pub(crate) fn new(
        client: Client,
        path: String,
        pairs: Result<Vec<(String, String)>, Error>,
        options: RequestOptions,
        decode: DecodePage<T>,
    ) -> Self {
        let (pairs, next) = match pairs {
            Ok(pairs) => (pairs, Next::Fetch),
            Err(e) => (Vec::new(), Next::Fail(e)),
        };
        let has = |name: &str| pairs.iter().any(|(k, _)| k == name);
        let backward = has(ENDING_BEFORE) && !has(STARTING_AFTER);
        let state = State {
            client,
            path,
            pairs,
            options,
            backward,
            buffer: VecDeque::new(),
            next,
            decode,
        };
        Paginator {
            inner: Box::pin(futures_util::stream::unfold(state, step)),
        }
    }
}

async fn step<T>(mut st: State<T>) -> Option<(Result<T, Error>, State<T>)>
where
    T: Identified + Send + 'static,
{
    loop {
        if let Some(item) = st.buffer.pop_front() {
            return Some((Ok(item), st));
        }
        match std::mem::replace(&mut st.next, Next::Done) {
            Next::Done => return None,
            Next::Fail(e) => return Some((Err(e), st)),
            Next::Fetch => {
                let response = st
                    .client
                    .execute(Method::Get, &st.path, &st.pairs, &st.options)
                    .await;
                let page = match response.and_then(|r| r.decode_with(st.decode)) {
                    Ok(page) => page,
                    Err(e) => return Some((Err(e), st)),
                };
                let (cursor_name, cursor_item) = if st.backward {
                    (ENDING_BEFORE, page.data.first())
                } else {
                    (STARTING_AFTER, page.data.last())
                };
                // An empty page has no cursor item, so it also ends the walk here.
                let cursor = cursor_item
                    .and_then(Identified::object_id)
                    .map(str::to_owned);
                if let (true, Some(cursor)) = (page.has_more, cursor) {
                    st.pairs.retain(|(k, _)| k != cursor_name);
                    st.pairs.push((cursor_name.to_owned(), cursor));
                    st.next = Next::Fetch;
                }
                if st.backward {
                    st.buffer.extend(page.data.into_iter().rev());
                } else {
                    st.buffer.extend(page.data);
                }
            }
        }
    }
}
