//! The generator's intermediate representation: named types and operations, already resolved,
//! named and checked, so emitting is a plain walk.

/// The generated module for identity stubs of pruned expansion targets.
pub const PRUNED_MODULE: &str = "pruned";
/// The generated module for component schemas no operation returns, and for shared enums whose
/// copies sit in different modules.
pub const SHARED_MODULE: &str = "shared";

/// Everything to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Ir {
    /// `info.version` of the spec.
    pub api_version: String,
    /// Named types, in emission order.
    pub types: Vec<TypeDef>,
    /// API operations grouped by resource.
    pub services: Vec<Service>,
    /// Operations left out of the output, each with the reason.
    pub skipped: Vec<Skipped>,
}

/// An operation the generator represents but does not emit, and why (e.g. a request encoding
/// the runtime deliberately does not support).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// JSON pointer of the operation.
    pub pointer: String,
    /// One line: why it is not generated.
    pub reason: String,
}

/// A named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust type name.
    pub name: String,
    /// Docs from the spec's description.
    pub doc: Option<String>,
    /// JSON pointer of the schema it came from.
    pub pointer: String,
    /// Which generated file holds it.
    pub module: String,
    /// Whether it is sent (request params) or received (response objects).
    pub direction: Direction,
    /// What it is.
    pub kind: TypeKind,
    /// For a type inside a form request body, the bracketed form key it is sent under
    /// (`line_items[][price_data]`; `""` for the body itself); `None` elsewhere.
    pub form_key: Option<String>,
    /// For a request param type, its entry in Stripe's API reference, e.g.
    /// `https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-line_items-price_data`;
    /// a field's entry adds `-<field>`.
    pub reference: Option<String>,
}

/// Whether a type is received from Stripe or sent to it; decides the derives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Direction {
    /// Deserialized from responses (and serializable back).
    Response,
    /// Serialized into a request.
    Request,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with named fields.
    Struct(Vec<Field>),
    /// A string enum, with an `Unknown(String)` fallback for values added later.
    Enum(Vec<EnumValue>),
    /// One of several types.
    Union(Vec<Variant>),
}

/// A struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust field name.
    pub name: String,
    /// The property name on the wire.
    pub wire_name: String,
    /// Docs.
    pub doc: Option<String>,
    /// Its type, without the `Option`.
    pub ty: Ty,
    /// Whether the key may be absent.
    pub optional: bool,
    /// Whether the value may be `null`.
    pub nullable: bool,
    /// Whether the field must be boxed to break a cycle.
    pub boxed: bool,
}

/// A string enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// The Rust variant name.
    pub variant: String,
    /// The value on the wire.
    pub wire: String,
}

/// A union member.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The Rust variant name.
    pub name: String,
    /// The member's type.
    pub ty: Ty,
    /// How a response tells this member apart (`None` for request unions, which only serialize).
    pub tag: Option<Tag>,
}

/// What identifies a union member in a response: its `object` value and whether it is the
/// `deleted: true` form of that object.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tag {
    /// The `object` property's only value.
    pub object: String,
    /// Whether the member has `deleted: true`.
    pub deleted: bool,
}

/// A type reference.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ty {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i64`.
    Integer,
    /// `f64`.
    Number,
    /// `crate::Timestamp` (`format: unix-time`).
    Timestamp,
    /// `serde_json::Value`, for schemas that say nothing about their shape.
    Json,
    /// A named type.
    Named(String),
    /// `Vec<T>`.
    Array(Box<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
    /// `crate::Expandable<T>`: an id, or the object when expanded.
    Expandable(Box<Ty>),
    /// `crate::Unsettable<T>`: a request value that may be sent as `""` to clear it.
    Unsettable(Box<Ty>),
    /// `crate::List<T>`: one page of a list.
    List(Box<Ty>),
    /// `crate::BinaryResponse`: a binary (non-JSON) response body, e.g. a PDF, with its content
    /// type.
    Bytes,
    /// `crate::FileUpload`: a file sent as a part of a `multipart/form-data` body (a request
    /// schema `type: string, format: binary`).
    File,
}

impl Ty {
    /// The Rust type as a reader writes it, without crate paths (`Vec<Expandable<Customer>>`):
    /// for the API listing and the api-diff report.
    pub fn rust_name(&self) -> String {
        match self {
            Ty::String => "String".to_owned(),
            Ty::Bool => "bool".to_owned(),
            Ty::Integer => "i64".to_owned(),
            Ty::Number => "f64".to_owned(),
            Ty::Timestamp => "Timestamp".to_owned(),
            Ty::Json => "Value".to_owned(),
            Ty::Named(name) => name.clone(),
            Ty::Array(inner) => format!("Vec<{}>", inner.rust_name()),
            Ty::Map(inner) => format!("BTreeMap<String, {}>", inner.rust_name()),
            Ty::Expandable(inner) => format!("Expandable<{}>", inner.rust_name()),
            Ty::Unsettable(inner) => format!("Unsettable<{}>", inner.rust_name()),
            Ty::List(inner) => format!("List<{}>", inner.rust_name()),
            Ty::Bytes => "BinaryResponse".to_owned(),
            Ty::File => "FileUpload".to_owned(),
        }
    }
}

/// The operations under one resource path, e.g. `/v1/checkout/sessions`.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// The Rust struct name, e.g. `CheckoutSessions`.
    pub name: String,
    /// The accessor on `Client`, e.g. `checkout_sessions`.
    pub accessor: String,
    /// The path prefix.
    pub base_path: String,
    /// The generated module of the resource its operations return (where its params live too).
    pub module: String,
    /// Its operations, in path then method order.
    pub operations: Vec<Operation>,
}

/// One endpoint method.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The Rust method name, e.g. `create`, `list_line_items`.
    pub method_name: String,
    /// Stripe's operation id.
    pub operation_id: String,
    /// Docs from the operation description.
    pub doc: Option<String>,
    /// The HTTP method.
    pub http_method: HttpMethod,
    /// The path template, e.g. `/v1/checkout/sessions/{session}`.
    pub path: String,
    /// Path parameters, in template order.
    pub path_params: Vec<PathParam>,
    /// The params struct (query for GET/DELETE, form body for POST).
    pub params: String,
    /// The success response type.
    pub response: Ty,
    /// How the params travel: query string or a body encoding.
    pub body: BodyEncoding,
    /// How the success response is encoded.
    pub response_encoding: ResponseEncoding,
    /// The origin the spec serves this operation from when it is not the API's own
    /// (`https://files.stripe.com` for uploads and PDFs), without a trailing `/`.
    pub server: Option<String>,
}

/// How an operation's params are sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyEncoding {
    /// In the query string (GET and DELETE).
    Query,
    /// `application/x-www-form-urlencoded` with Stripe's bracket syntax (v1).
    Form,
    /// `application/json` (v2).
    Json,
    /// `multipart/form-data` (file uploads).
    Multipart,
    /// Any other media type, as the spec names it.
    Other(String),
}

impl BodyEncoding {
    /// How the listing and the api-diff report name it: `query`, `form`, `json`, `multipart`,
    /// or the media type.
    pub fn label(&self) -> &str {
        match self {
            BodyEncoding::Query => "query",
            BodyEncoding::Form => "form",
            BodyEncoding::Json => "json",
            BodyEncoding::Multipart => "multipart",
            BodyEncoding::Other(media) => media,
        }
    }
}

/// How an operation's success response is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseEncoding {
    /// `application/json`.
    Json,
    /// Any other media type (e.g. `application/pdf`), read as bytes.
    Binary(String),
}

/// A path parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct PathParam {
    /// The Rust argument name.
    pub name: String,
    /// The name in the path template.
    pub wire_name: String,
    /// Docs.
    pub doc: Option<String>,
}

/// HTTP methods Stripe uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    /// GET.
    Get,
    /// POST.
    Post,
    /// DELETE.
    Delete,
}

impl HttpMethod {
    /// The operation's key under its OpenAPI path item (`get`, `post`, `delete`), as JSON
    /// pointers into the spec name it.
    pub fn key(self) -> &'static str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Post => "post",
            HttpMethod::Delete => "delete",
        }
    }

    /// The method as HTTP spells it (`GET`, `POST`, `DELETE`), for docs and reports.
    pub fn verb(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
        }
    }
}
