//! Auto-paging: forward and backward cursors, stopping rules, errors ending the stream.

mod common;

use common::{client, header};
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::{json, Value};
use stripe_checkout::{Error, Identified, Paginator};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PATH: &str = "/v1/checkout/sessions";

fn page(ids: &[&str], has_more: bool) -> ResponseTemplate {
    let data: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "object": "checkout.session", "amount_total": 100}))
        .collect();
    ResponseTemplate::new(200).set_body_json(json!({
        "object": "list", "data": data, "has_more": has_more, "url": PATH
    }))
}

async fn mount(server: &MockServer, cursor: Option<(&str, &str)>, response: ResponseTemplate) {
    let mock = Mock::given(method("GET")).and(path(PATH));
    let mock = match cursor {
        Some((name, value)) => mock.and(query_param(name, value)),
        None => mock
            .and(query_param_is_missing("starting_after"))
            .and(query_param_is_missing("ending_before")),
    };
    mock.respond_with(response).expect(1).mount(server).await;
}

async fn collect_ids(server: &MockServer, params: Value) -> (Vec<String>, Option<Error>) {
    collect_from(client(server).paginate::<Value>(PATH.to_owned(), &params)).await
}

async fn collect_from(stream: Paginator<Value>) -> (Vec<String>, Option<Error>) {
    let items: Vec<Result<Value, Error>> = stream.collect().await;
    let mut ids = Vec::new();
    let mut error = None;
    for (i, item) in items.into_iter().enumerate() {
        match item {
            Ok(v) => ids.push(v["id"].as_str().unwrap_or("<no id>").to_owned()),
            Err(e) => {
                error = Some(e);
                // The error is the stream's last item.
                assert_eq!(i, ids.len());
            }
        }
    }
    (ids, error)
}

async fn queries(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.query().unwrap_or("").to_owned())
        .collect()
}

#[tokio::test]
async fn forward_across_three_pages() {
    let server = MockServer::start().await;
    mount(&server, None, page(&["cs_1", "cs_2"], true)).await;
    mount(
        &server,
        Some(("starting_after", "cs_2")),
        page(&["cs_3", "cs_4"], true),
    )
    .await;
    mount(
        &server,
        Some(("starting_after", "cs_4")),
        page(&["cs_5"], false),
    )
    .await;

    let params = json!({"limit": 2, "expand": ["data.line_items"]});
    let stream = client(&server)
        .paginate(PATH.to_owned(), &params)
        .stripe_account("acct_1");
    let (ids, error) = collect_from(stream).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(ids, ["cs_1", "cs_2", "cs_3", "cs_4", "cs_5"]);
    assert_eq!(
        queries(&server).await,
        [
            "expand[0]=data.line_items&limit=2",
            "expand[0]=data.line_items&limit=2&starting_after=cs_2",
            "expand[0]=data.line_items&limit=2&starting_after=cs_4",
        ]
    );
    for r in server.received_requests().await.unwrap() {
        assert_eq!(header(&r, "stripe-account"), Some("acct_1"));
        assert_eq!(header(&r, "idempotency-key"), None);
    }
}

#[tokio::test]
async fn caller_starting_after_is_replaced_by_the_cursor() {
    let server = MockServer::start().await;
    mount(
        &server,
        Some(("starting_after", "cs_0")),
        page(&["cs_1"], true),
    )
    .await;
    mount(
        &server,
        Some(("starting_after", "cs_1")),
        page(&["cs_2"], false),
    )
    .await;
    let (ids, error) = collect_ids(&server, json!({"starting_after": "cs_0"})).await;
    assert!(error.is_none());
    assert_eq!(ids, ["cs_1", "cs_2"]);
    assert_eq!(
        queries(&server).await,
        ["starting_after=cs_0", "starting_after=cs_1"]
    );
}

#[tokio::test]
async fn backward_with_ending_before_yields_each_page_reversed() {
    // The list is newest first: n1 n2 n3 n4 n5 z ...; walking back from z.
    let server = MockServer::start().await;
    mount(
        &server,
        Some(("ending_before", "z")),
        page(&["n4", "n5"], true),
    )
    .await;
    mount(
        &server,
        Some(("ending_before", "n4")),
        page(&["n2", "n3"], true),
    )
    .await;
    mount(&server, Some(("ending_before", "n2")), page(&["n1"], false)).await;

    let (ids, error) = collect_ids(&server, json!({"ending_before": "z", "limit": 2})).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(ids, ["n5", "n4", "n3", "n2", "n1"]);
    assert_eq!(
        queries(&server).await,
        [
            // The cursor is set on the params, so it keeps its place among them.
            "ending_before=z&limit=2",
            "ending_before=n4&limit=2",
            "ending_before=n2&limit=2",
        ]
    );
}

#[tokio::test]
async fn empty_first_page_yields_nothing() {
    let server = MockServer::start().await;
    mount(&server, None, page(&[], false)).await;
    let (ids, error) = collect_ids(&server, json!({})).await;
    assert!(ids.is_empty() && error.is_none());
}

#[tokio::test]
async fn has_more_with_an_empty_page_stops() {
    let server = MockServer::start().await;
    mount(&server, None, page(&["cs_1"], true)).await;
    mount(&server, Some(("starting_after", "cs_1")), page(&[], true)).await;
    let (ids, error) = collect_ids(&server, json!({})).await;
    assert_eq!(ids, ["cs_1"]);
    assert!(error.is_none());
    assert_eq!(queries(&server).await.len(), 2);
}

#[tokio::test]
async fn missing_cursor_id_stops() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "object": "list", "data": [{"id": "cs_1"}, {"no_id": true}], "has_more": true, "url": PATH
        })))
        .expect(1)
        .mount(&server)
        .await;
    let (ids, error) = collect_ids(&server, json!({})).await;
    assert_eq!(ids, ["cs_1", "<no id>"]);
    assert!(error.is_none());
}

#[tokio::test]
async fn an_error_page_is_yielded_once_and_ends_the_stream() {
    let server = MockServer::start().await;
    mount(&server, None, page(&["cs_1", "cs_2"], true)).await;
    mount(
        &server,
        Some(("starting_after", "cs_2")),
        ResponseTemplate::new(404)
            .insert_header("request-id", "req_404")
            .set_body_json(
                json!({"error": {"type": "invalid_request_error", "code": "resource_missing"}}),
            ),
    )
    .await;
    let (ids, error) = collect_ids(&server, json!({})).await;
    assert_eq!(ids, ["cs_1", "cs_2"]);
    let error = error.expect("an error");
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.request_id(), Some("req_404"));
}

#[derive(Debug, Deserialize)]
struct Session {
    id: String,
    amount_total: Option<i64>,
}

impl Identified for Session {
    fn object_id(&self) -> Option<&str> {
        Some(&self.id)
    }
}

#[tokio::test]
async fn a_bad_item_is_a_decode_error_with_its_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "object": "list",
            "data": [{"id": "cs_1", "amount_total": 1}, {"id": "cs_2", "amount_total": "ten"}],
            "has_more": true,
            "url": PATH
        })))
        .expect(1)
        .mount(&server)
        .await;
    let items: Vec<Result<Session, Error>> = client(&server)
        .paginate(PATH.to_owned(), &json!({}))
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    match &items[0] {
        Err(Error::Decode(e)) => assert_eq!(e.path, "data[1].amount_total"),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn typed_items_stream() {
    let server = MockServer::start().await;
    mount(&server, None, page(&["cs_1"], true)).await;
    mount(
        &server,
        Some(("starting_after", "cs_1")),
        page(&["cs_2"], false),
    )
    .await;
    let sessions: Vec<Session> = client(&server)
        .paginate::<Session>(PATH.to_owned(), &json!({}))
        .map(|r| r.unwrap())
        .collect()
        .await;
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[1].id, "cs_2");
    assert_eq!(sessions[1].amount_total, Some(100));
}

#[tokio::test]
async fn unencodable_params_yield_one_error_and_send_nothing() {
    let server = MockServer::start().await;
    let items: Vec<Result<Value, Error>> = client(&server)
        .paginate(PATH.to_owned(), &json!([1, 2]))
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    assert!(matches!(items[0], Err(Error::Encode(_))));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[cfg(feature = "serde")]
#[test]
fn list_serde_and_default() {
    use stripe_checkout::List;
    let list: List<Value> = serde_json::from_value(json!({
        "object": "list", "data": [{"id": "a"}], "has_more": true, "url": "/v1/x"
    }))
    .unwrap();
    assert!(list.has_more);
    assert_eq!(
        serde_json::to_value(&list).unwrap(),
        json!({"object": "list", "data": [{"id": "a"}], "has_more": true, "url": "/v1/x"})
    );
    let empty: List<Value> = List::default();
    assert_eq!(empty.object, "list");
    assert!(empty.data.is_empty() && !empty.has_more);
    // Lenient about everything but `data`.
    let minimal: List<Value> = serde_json::from_value(json!({"data": []})).unwrap();
    assert_eq!(minimal, empty);
}

#[test]
fn paginator_is_send_and_static() {
    fn assert_send_static<T: Send + 'static>(_: &T) {}
    let client = stripe_checkout::Client::new("sk_test_x");
    let params = json!({"limit": 1});
    let stream = client.paginate::<Value>(PATH.to_owned(), &params);
    drop(params);
    assert_send_static(&stream);
}

#[tokio::test]
async fn a_server_that_ignores_the_cursor_is_stopped_with_a_typed_error() {
    // The new user's trial: the same non-empty page with `has_more: true` forever was followed
    // for 1,000 requests. Now the second sight of the same cursor ends the walk.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(page(&["cs_1", "cs_2"], true))
        .mount(&server)
        .await;
    let (ids, error) = collect_ids(&server, json!({"limit": 2})).await;
    assert_eq!(ids, ["cs_1", "cs_2"]);
    match error {
        Some(Error::Pagination(e)) => {
            assert_eq!(e.repeated_cursor, "cs_2");
            assert_eq!(e.cursor_param, "starting_after");
            assert_eq!(e.path, PATH);
        }
        other => panic!("expected a pagination error, got {other:?}"),
    }
    assert_eq!(
        queries(&server).await,
        ["limit=2", "limit=2&starting_after=cs_2"]
    );
}

#[tokio::test]
async fn a_cycle_of_pages_is_stopped_too() {
    let server = MockServer::start().await;
    mount(&server, None, page(&["cs_1"], true)).await;
    mount(
        &server,
        Some(("starting_after", "cs_1")),
        page(&["cs_2"], true),
    )
    .await;
    // Back to the first page: its cursor was used already.
    mount(
        &server,
        Some(("starting_after", "cs_2")),
        page(&["cs_1"], true),
    )
    .await;
    let (ids, error) = collect_ids(&server, json!({})).await;
    assert_eq!(ids, ["cs_1", "cs_2"]);
    assert!(matches!(error, Some(Error::Pagination(_))), "{error:?}");
}

#[tokio::test]
async fn a_page_ending_at_the_callers_own_cursor_is_a_loop() {
    let server = MockServer::start().await;
    mount(&server, Some(("ending_before", "z")), page(&["z"], true)).await;
    let (ids, error) = collect_ids(&server, json!({"ending_before": "z"})).await;
    assert!(ids.is_empty());
    assert!(matches!(error, Some(Error::Pagination(_))), "{error:?}");
}

#[tokio::test]
async fn collect_vec_stops_at_the_limit_without_fetching_more_pages() {
    let server = MockServer::start().await;
    mount(&server, None, page(&["cs_1", "cs_2"], true)).await;
    mount(
        &server,
        Some(("starting_after", "cs_2")),
        page(&["cs_3", "cs_4"], true),
    )
    .await;
    let items = client(&server)
        .paginate::<Value>(PATH.to_owned(), &json!({"limit": 2}))
        .collect_vec(3)
        .await
        .unwrap();
    let ids: Vec<&str> = items.iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["cs_1", "cs_2", "cs_3"]);
    assert_eq!(queries(&server).await.len(), 2);

    // Fewer items than the limit: all of them; an error: the error.
    let server = MockServer::start().await;
    mount(&server, None, page(&["cs_1"], false)).await;
    let all = client(&server)
        .paginate::<Value>(PATH.to_owned(), &json!({}))
        .collect_vec(100)
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    let err = client(&server)
        .paginate::<Value>(PATH.to_owned(), &json!([1]))
        .collect_vec(100)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Encode(_)), "{err:?}");
}

#[tokio::test]
async fn paginator_timeout_applies_to_each_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(page(&["cs_1"], false).set_delay(std::time::Duration::from_millis(400)))
        .mount(&server)
        .await;
    let client = common::builder(&server).max_retries(0).build().unwrap();
    let err = client
        .paginate::<Value>(PATH.to_owned(), &json!({}))
        .timeout(std::time::Duration::from_millis(50))
        .collect_vec(10)
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
}
