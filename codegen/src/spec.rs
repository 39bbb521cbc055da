//! The part of the OpenAPI 3.0 document model the generator reads, with Stripe's extensions.
//!
//! Unknown keys are ignored (OpenAPI has many the generator has no use for); keys it does use
//! must have the right shape, or parsing fails with the JSON pointer of the bad value.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::error::Error;

/// An OpenAPI document.
#[derive(Debug, Clone, Deserialize)]
pub struct Spec {
    /// `info`: the API version lives here.
    pub info: Info,
    /// Path templates to their operations.
    #[serde(default)]
    pub paths: BTreeMap<String, PathItem>,
    /// Reusable schemas.
    #[serde(default)]
    pub components: Components,
    /// Where the API is served (`https://api.stripe.com/`).
    #[serde(default)]
    pub servers: Vec<Server>,
}

/// An entry of `servers`.
#[derive(Debug, Clone, Deserialize)]
pub struct Server {
    /// The origin, e.g. `https://files.stripe.com/`.
    pub url: String,
}

/// `info`.
#[derive(Debug, Clone, Deserialize)]
pub struct Info {
    /// The API version (`2023-08-16`), pinned as `Stripe-Version`.
    pub version: String,
}

/// `components`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Components {
    /// Named schemas, referenced as `#/components/schemas/<name>`.
    #[serde(default)]
    pub schemas: BTreeMap<String, Schema>,
}

/// The operations of one path.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PathItem {
    /// `GET`.
    pub get: Option<Operation>,
    /// `POST`.
    pub post: Option<Operation>,
    /// `DELETE`.
    pub delete: Option<Operation>,
}

/// One operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    /// Stripe's operation id, e.g. `PostCheckoutSessions`.
    pub operation_id: Option<String>,
    /// What the operation does (HTML in Stripe's spec).
    pub description: Option<String>,
    /// Path and query parameters.
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// The form body (Stripe gives even GETs an empty one).
    pub request_body: Option<RequestBody>,
    /// Responses by status code, and `default`.
    #[serde(default)]
    pub responses: BTreeMap<String, Response>,
    /// Where this operation is served when not where the rest of the API is
    /// (`https://files.stripe.com/` for uploads).
    #[serde(default)]
    pub servers: Vec<Server>,
}

/// A path or query parameter.
#[derive(Debug, Clone, Deserialize)]
pub struct Parameter {
    /// Its name on the wire.
    pub name: String,
    /// `path`, `query` or `header`.
    #[serde(rename = "in")]
    pub location: String,
    /// Whether the caller must give it.
    #[serde(default)]
    pub required: bool,
    /// What it means.
    pub description: Option<String>,
    /// Its type.
    pub schema: Schema,
}

/// A request body.
#[derive(Debug, Clone, Deserialize)]
pub struct RequestBody {
    /// Media type to content; Stripe uses `application/x-www-form-urlencoded`.
    #[serde(default)]
    pub content: BTreeMap<String, MediaType>,
}

/// One media type's schema.
#[derive(Debug, Clone, Deserialize)]
pub struct MediaType {
    /// The body's schema.
    pub schema: Option<Schema>,
}

/// A response.
#[derive(Debug, Clone, Deserialize)]
pub struct Response {
    /// Media type to content; absent for pruned error responses.
    #[serde(default)]
    pub content: BTreeMap<String, MediaType>,
}

/// A JSON schema, as far as Stripe's spec uses it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    /// `$ref` to `#/components/schemas/<name>`.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// `string`, `integer`, `number`, `boolean`, `object` or `array`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `unix-time`, `decimal`, …
    pub format: Option<String>,
    /// Becomes the `///` docs.
    pub description: Option<String>,
    /// Stripe's name for inline schemas; informational.
    pub title: Option<String>,
    /// `null` is a valid value.
    #[serde(default)]
    pub nullable: bool,
    /// The longest string allowed (`maxLength`); the fake's validator enforces it.
    pub max_length: Option<u64>,
    /// Allowed values.
    #[serde(rename = "enum")]
    pub enumeration: Option<Vec<Value>>,
    /// Object properties, in name order.
    pub properties: Option<BTreeMap<String, Schema>>,
    /// Required property names.
    #[serde(default)]
    pub required: Vec<String>,
    /// Array item schema.
    pub items: Option<Box<Schema>>,
    /// Map value schema (or `false`).
    pub additional_properties: Option<AdditionalProperties>,
    /// Union members.
    pub any_of: Option<Vec<Schema>>,
    /// Union members.
    pub one_of: Option<Vec<Schema>>,
    /// Stripe wraps nullable `$ref`s in a one-element `allOf`.
    pub all_of: Option<Vec<Schema>>,
    /// Marks an id-or-object field.
    #[serde(rename = "x-expansionResources")]
    pub expansion_resources: Option<Value>,
    /// Marks an enum Stripe may extend without notice.
    #[serde(rename = "x-stripeBypassValidation", default)]
    pub bypass_validation: bool,
    /// Set by the subset tool on identity stubs.
    #[serde(rename = "x-stripePrunedFromSubset", default)]
    pub pruned: bool,
}

/// `additionalProperties`: `true`/`false` or a schema.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum AdditionalProperties {
    /// `true` or `false`.
    Bool(bool),
    /// The schema of every value.
    Schema(Box<Schema>),
}

impl Spec {
    /// Parses a YAML (or JSON) document; errors name the JSON pointer of the offending value.
    /// A document starting with `{` is read as JSON, with serde_json ([`Spec::from_json`]).
    pub fn from_yaml(text: &str) -> Result<Spec, Error> {
        if text.trim_start().starts_with('{') {
            return Spec::from_json(text);
        }
        let value: Value = serde_yaml::from_str(text)
            .map_err(|e| Error::new("", format!("malformed YAML: {e}")))?;
        Spec::from_value(value)
    }

    /// Parses a JSON document straight into the model: no intermediate `Value`, which for the
    /// 9 MB full spec is most of the parse time and memory.
    pub fn from_json(text: &str) -> Result<Spec, Error> {
        let mut de = serde_json::Deserializer::from_str(text);
        let spec: Spec = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let pointer = pointer_of(e.path());
            Error::new(pointer, e.into_inner().to_string())
        })?;
        de.end()
            .map_err(|e| Error::new("", format!("trailing characters after the document: {e}")))?;
        Ok(spec)
    }

    /// Reads the model out of an already-parsed document.
    pub fn from_value(value: Value) -> Result<Spec, Error> {
        serde_path_to_error::deserialize(value).map_err(|e| {
            let pointer = pointer_of(e.path());
            Error::new(pointer, e.into_inner().to_string())
        })
    }
}

/// Turns serde_path_to_error's path into a JSON pointer.
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        let part = match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.clone(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => continue,
        };
        out = crate::error::join(&out, &part);
    }
    out
}
