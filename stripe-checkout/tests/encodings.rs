//! The request and response encodings beyond Checkout's forms, against wiremock: a v2 JSON body
//! (and the v2 error shape), a multipart file upload, a binary (PDF) response and an operation
//! served from its own origin. Each call goes through the `__private` function the generator
//! emits for it (`codegen/tests/snapshots/constructs__encodings.snap` shows the generated
//! methods), with params whose `Encode`/`JsonValue`/`FormValue` impls are written as the
//! generator writes them; the exact method, path, headers and body are checked.

mod common;

use std::collections::BTreeMap;

use common::{client, header, KEY};
use serde_json::{json, Value};
use stripe_checkout::__private::{
    call_binary, call_json, call_multipart, encode_json, encode_params, on_server, Encode,
    EncodeError, FormValue, FormWriter, JsonValue, JsonWriter, Method,
};
use stripe_checkout::{ApiErrorType, Error, FileUpload, Unsettable, API_VERSION};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// `CreateV2CoreThingParams` of the encodings fixture, with its generated impls.
#[derive(Default)]
struct CreateThing {
    amount: Option<i64>,
    include: Option<Vec<&'static str>>,
    metadata: Option<BTreeMap<String, Unsettable<String>>>,
    name: String,
    settings: Option<Settings>,
}

#[derive(Default)]
struct Settings {
    enabled: Option<bool>,
    ratio: Option<f64>,
}

impl JsonValue for CreateThing {
    fn write_json(&self, __w: &mut JsonWriter) -> Result<(), EncodeError> {
        __w.begin_object();
        if let Some(__value) = &self.amount {
            __w.field("amount", __value)?;
        }
        if let Some(__value) = &self.include {
            __w.field("include", __value)?;
        }
        if let Some(__value) = &self.metadata {
            __w.field("metadata", __value)?;
        }
        __w.field("name", &self.name)?;
        if let Some(__value) = &self.settings {
            __w.field("settings", __value)?;
        }
        __w.end_object();
        Ok(())
    }
}

impl JsonValue for Settings {
    fn write_json(&self, __w: &mut JsonWriter) -> Result<(), EncodeError> {
        __w.begin_object();
        if let Some(__value) = &self.enabled {
            __w.field("enabled", __value)?;
        }
        if let Some(__value) = &self.ratio {
            __w.field("ratio", __value)?;
        }
        __w.end_object();
        Ok(())
    }
}

impl Encode for CreateThing {
    fn encode(&self) -> Result<String, stripe_checkout::Error> {
        encode_json(self)
    }
}

/// `EnableV2CoreThingParams`: a body-less v2 POST, sent as `{}`.
struct Enable;

impl JsonValue for Enable {
    fn write_json(&self, __w: &mut JsonWriter) -> Result<(), EncodeError> {
        __w.begin_object();
        __w.end_object();
        Ok(())
    }
}

impl Encode for Enable {
    fn encode(&self) -> Result<String, stripe_checkout::Error> {
        encode_json(self)
    }
}

/// `CreateFileParams`, written as a form (its parts) like every params type.
struct CreateFile {
    expand: Option<Vec<String>>,
    file: FileUpload,
    file_link_data: Option<FileLinkData>,
    purpose: &'static str,
}

struct FileLinkData {
    create: bool,
}

impl FormValue for CreateFile {
    fn write_form(&self, __w: &mut FormWriter) -> Result<(), EncodeError> {
        if let Some(__value) = &self.expand {
            __w.field("expand", __value)?;
        }
        __w.field("file", &self.file)?;
        if let Some(__value) = &self.file_link_data {
            __w.field("file_link_data", __value)?;
        }
        __w.field("purpose", &self.purpose)?;
        Ok(())
    }
}

impl FormValue for FileLinkData {
    fn write_form(&self, __w: &mut FormWriter) -> Result<(), EncodeError> {
        __w.field("create", &self.create)
    }
}

/// `RetrieveFilePdfParams`: a query string.
struct RetrievePdf {
    expand: Option<Vec<String>>,
}

impl FormValue for RetrievePdf {
    fn write_form(&self, __w: &mut FormWriter) -> Result<(), EncodeError> {
        if let Some(__value) = &self.expand {
            __w.field("expand", __value)?;
        }
        Ok(())
    }
}

impl Encode for RetrievePdf {
    fn encode(&self) -> Result<String, stripe_checkout::Error> {
        encode_params(self)
    }
}

/// The one request the server received.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

/// The headers every call sends.
fn check_common_headers(r: &Request) {
    assert_eq!(header(r, "authorization"), Some(&*format!("Bearer {KEY}")));
    assert_eq!(header(r, "stripe-version"), Some(API_VERSION));
}

#[tokio::test]
async fn a_json_body_is_sent_as_json_with_its_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/core/things"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "thing_1", "object": "v2.core.thing"})),
        )
        .mount(&server)
        .await;
    let params = CreateThing {
        amount: Some(-5),
        include: Some(vec!["configuration", "identity"]),
        metadata: Some(BTreeMap::from([
            ("clear".to_owned(), Unsettable::Unset),
            ("order".to_owned(), Unsettable::Set("6735 \"é\"".to_owned())),
        ])),
        name: "Thing\n1".to_owned(),
        settings: Some(Settings {
            enabled: Some(true),
            ratio: Some(0.25),
        }),
    };
    let client = client(&server);
    let thing: Value = call_json(&client, Method::Post, "/v2/core/things".to_owned(), &params)
        .idempotency_key("thing-1")
        .await
        .unwrap();
    assert_eq!(thing["id"], "thing_1");

    let r = only_request(&server).await;
    check_common_headers(&r);
    assert_eq!(r.method.as_str(), "POST");
    assert_eq!(r.url.path(), "/v2/core/things");
    assert_eq!(r.url.query(), None);
    assert_eq!(header(&r, "content-type"), Some("application/json"));
    assert_eq!(header(&r, "idempotency-key"), Some("thing-1"));
    assert_eq!(
        std::str::from_utf8(&r.body).unwrap(),
        r#"{"amount":-5,"include":["configuration","identity"],"metadata":{"clear":null,"order":"6735 \"é\""},"name":"Thing\n1","settings":{"enabled":true,"ratio":0.25}}"#
    );
}

#[tokio::test]
async fn a_body_less_v2_post_sends_an_empty_object() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "thing_1"})))
        .mount(&server)
        .await;
    let client = client(&server);
    let path = format!(
        "/v2/core/things/{}/enable",
        stripe_checkout::__private::encode_path_segment("thing_1")
    );
    let _: Value = call_json(&client, Method::Post, path, &Enable)
        .await
        .unwrap();
    let r = only_request(&server).await;
    assert_eq!(r.url.path(), "/v2/core/things/thing_1/enable");
    assert_eq!(header(&r, "content-type"), Some("application/json"));
    assert_eq!(std::str::from_utf8(&r.body).unwrap(), "{}");
    // A POST always carries a key, v2 as v1.
    assert!(header(&r, "idempotency-key").is_some_and(|k| k.len() == 36));
}

/// v2's error body: `{"error": {"type", "code", "message", "user_message"}}`, with v2's status
/// codes; the type is one v1 does not have, kept as sent.
#[tokio::test]
async fn the_v2_error_shape_is_read() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(409)
                .insert_header("request-id", "req_v2")
                .insert_header("stripe-should-retry", "false")
                .set_body_json(json!({"error": {
                    "type": "invalid_request",
                    "code": "account_rate_limit_exceeded",
                    "message": "Too many updates.",
                    "user_message": "Try again later.",
                    "doc_url": "https://docs.stripe.com/error-codes"
                }})),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let params = CreateThing {
        name: "x".to_owned(),
        ..CreateThing::default()
    };
    let err = call_json::<_, Value>(&client, Method::Post, "/v2/core/things".to_owned(), &params)
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status, 409);
    assert_eq!(api.request_id.as_deref(), Some("req_v2"));
    assert_eq!(
        api.error.r#type,
        ApiErrorType::Other("invalid_request".to_owned())
    );
    assert_eq!(
        api.error.code.as_deref(),
        Some("account_rate_limit_exceeded")
    );
    assert_eq!(api.error.message.as_deref(), Some("Too many updates."));
    assert_eq!(api.error.user_message.as_deref(), Some("Try again later."));
    // Stripe said not to retry: one request.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_file_upload_is_sent_as_multipart() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/files"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "file_1", "object": "file"})),
        )
        .mount(&server)
        .await;
    let params = CreateFile {
        expand: Some(vec!["links".to_owned()]),
        file: FileUpload::new(
            "evidence \"1\".png",
            "image/png",
            vec![0x89, b'P', b'N', b'G', 0, 255],
        ),
        file_link_data: Some(FileLinkData { create: true }),
        purpose: "dispute_evidence",
    };
    let client = client(&server);
    // As the generated `files().create` sends it: to files.stripe.com, which a client pointed
    // at another base URL (this mock) replaces.
    let request = call_multipart(&client, Method::Post, "/v1/files".to_owned(), &params);
    let file: Value = on_server(request, "https://files.stripe.com")
        .await
        .unwrap();
    assert_eq!(file["id"], "file_1");

    let r = only_request(&server).await;
    check_common_headers(&r);
    assert_eq!(r.method.as_str(), "POST");
    assert_eq!(r.url.path(), "/v1/files");
    let content_type = header(&r, "content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("{content_type}"));
    assert!(boundary.starts_with("stripe-checkout-"), "{boundary}");
    let part = |name: &str, value: &str| {
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        )
    };
    // Fields in struct order; a file part names its file (`"` encoded) and content type.
    let mut with_file = part("expand[0]", "links").into_bytes();
    with_file.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"evidence %221%22.png\"\r\nContent-Type: image/png\r\n\r\n"
        )
        .as_bytes(),
    );
    with_file.extend_from_slice(&[0x89, b'P', b'N', b'G', 0, 255]);
    with_file.extend_from_slice(b"\r\n");
    with_file.extend_from_slice(part("file_link_data[create]", "true").as_bytes());
    with_file.extend_from_slice(part("purpose", "dispute_evidence").as_bytes());
    with_file.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    assert_eq!(
        String::from_utf8_lossy(&r.body),
        String::from_utf8_lossy(&with_file)
    );
    assert_eq!(r.body, with_file);
}

#[tokio::test]
async fn a_file_in_a_form_body_is_an_encode_error() {
    let params = CreateFile {
        expand: None,
        file: FileUpload::new("a.txt", "text/plain", "a"),
        file_link_data: None,
        purpose: "dispute_evidence",
    };
    let err = encode_params(&params).unwrap_err();
    assert!(err.to_string().contains("multipart"), "{err}");
}

#[tokio::test]
async fn a_pdf_is_returned_as_bytes_with_its_content_type() {
    let server = MockServer::start().await;
    // Not JSON: decoding it would fail.
    let pdf = b"%PDF-1.7\n\xe2\xe3\xcf\xd3\n{not json".to_vec();
    Mock::given(method("GET"))
        .and(path("/v1/files/file_1/pdf"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("request-id", "req_pdf")
                .set_body_raw(pdf.clone(), "application/pdf"),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let params = RetrievePdf {
        expand: Some(vec!["x".to_owned()]),
    };
    let request = call_binary(
        &client,
        Method::Get,
        "/v1/files/file_1/pdf".to_owned(),
        &params,
    );
    let response = on_server(request, "https://files.stripe.com")
        .send_with_meta()
        .await
        .unwrap();
    assert_eq!(response.value.bytes, pdf);
    assert_eq!(
        response.value.content_type.as_deref(),
        Some("application/pdf")
    );
    assert_eq!(response.request_id.as_deref(), Some("req_pdf"));

    let r = only_request(&server).await;
    check_common_headers(&r);
    assert_eq!(r.method.as_str(), "GET");
    assert_eq!(r.url.query(), Some("expand[0]=x"));
    assert_eq!(header(&r, "content-type"), None);
    assert!(r.body.is_empty());
}
