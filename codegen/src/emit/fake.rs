//! Emits the `stripe-checkout-fake` crate's generated part: a static description of every
//! operation's parameters (kind, enum values, `maxLength`, `required`, whether `""` may unset
//! it, nested children), walked by the fake's hand-written validator, and JSON skeletons of the
//! objects it serves (`checkout.session`, `item`, the catalogue objects, …) with every property
//! present. It reads several specs (the Checkout subset, then `spec/fake_resources.yaml`): their
//! operations are concatenated, and each skeleton comes from the first spec that holds its
//! schema whole (not pruned to an identity stub).
//!
//! It reads the spec model ([`crate::spec`]) rather than the IR: the IR keeps what the client
//! needs (Rust names and types), while validation needs what the IR drops (`maxLength`, the
//! `""` member of an `anyOf`, query parameter schemas as written). It shares only
//! [`super::syntax`] with the client's emitter, so the two evolve independently.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::{Map, Value};

use super::syntax::{ident, render, GeneratedFile, Piece, FAKE_HEADER};
use crate::error::{join, Error};
use crate::spec::{AdditionalProperties, Operation, Schema, Spec};

/// The file name of the fake's generated module.
pub const FILE_NAME: &str = "params.rs";

/// The response objects a skeleton is emitted for (schema names).
const SKELETONS: &[&str] = &[
    "charge",
    "checkout.session",
    "coupon",
    "customer",
    "discount",
    "event",
    "invoice",
    "invoice_payment",
    "item",
    "line_item",
    "payment_intent",
    "payment_method",
    "price",
    "product",
    "promotion_code",
    "setup_intent",
    "shipping_rate",
    "subscription",
    "subscription_item",
    "tax_rate",
];

/// How deep parameter schemas and skeletons may nest before the spec is called cyclic.
const MAX_DEPTH: usize = 16;

/// Generates the fake's `params.rs` from spec documents (YAML or JSON text), in order.
pub fn generate_fake(spec_texts: &[&str]) -> Result<GeneratedFile, Error> {
    let specs = spec_texts
        .iter()
        .map(|text| Spec::from_yaml(text))
        .collect::<Result<Vec<_>, _>>()?;
    emit_fake(&specs)
}

/// Renders the fake's `params.rs` for parsed specs (the first one gives the API version).
pub fn emit_fake(specs: &[Spec]) -> Result<GeneratedFile, Error> {
    let first = specs
        .first()
        .ok_or_else(|| Error::new("", "the fake needs at least one spec"))?;
    let mut ids: Vec<(String, &str, &str)> = Vec::new();
    let mut operations = Vec::new();
    for (path, item, spec) in specs.iter().flat_map(|spec| {
        spec.paths
            .iter()
            .map(move |(path, item)| (path, item, spec))
    }) {
        let methods = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("DELETE", &item.delete),
        ];
        for (method, op) in methods {
            let Some(op) = op else { continue };
            let pointer = join(&join("/paths", path), &method.to_ascii_lowercase());
            let params = operation_params(spec, op, method, &pointer)?;
            let id = operation_variant(op, &pointer)?;
            if ids.iter().any(|(seen, _, _)| seen == id) {
                return Err(Error::new(
                    join(&pointer, "operationId"),
                    format!("operationId `{id}` is used twice"),
                ));
            }
            ids.push((id.to_owned(), method, path));
            let variant = ident(id, &join(&pointer, "operationId"))?;
            let params = params.iter().map(Param::tokens);
            operations.push(quote! {
                Operation { id: #id, op: OpId::#variant, method: #method, path: #path, params: &[#(#params),*] }
            });
        }
    }

    // One variant per operation, so the fake's dispatch is an exhaustive `match`: an operation
    // added to the spec without a handler is a compile error.
    let mut variants = Vec::new();
    for (id, method, path) in &ids {
        let doc = format!(" `{method} {path}`.");
        let variant = ident(id, "/paths")?;
        variants.push(quote!(#[doc = #doc] #variant,));
    }

    let mut skeletons = Vec::new();
    for schema_name in SKELETONS {
        let pointer = join("/components/schemas", schema_name);
        let (spec, schema) = specs
            .iter()
            .find_map(|spec| {
                let schema = spec.components.schemas.get(*schema_name)?;
                (!schema.pruned).then_some((spec, schema))
            })
            .ok_or_else(|| Error::new(&pointer, "the fake needs this schema"))?;
        let value = skeleton(spec, schema, &pointer, 0)?;
        let text = serde_json::to_string(&value)
            .map_err(|e| Error::new(&pointer, format!("skeleton does not serialize: {e}")))?;
        // A raw string, so the JSON reads as JSON in the generated file.
        let json: Literal = format!("r###\"{text}\"###")
            .parse()
            .map_err(|e| Error::new(&pointer, format!("skeleton is not a raw string: {e:?}")))?;
        skeletons.push(quote!((#schema_name, #json)));
    }

    let version = &first.info.version;
    let head = quote! {
        #![doc = " Every operation's parameters as the spec declares them, and JSON"]
        #![doc = " skeletons of the objects the fake serves (every property present, nullable ones null)."]
        use crate::schema::{Kind, Operation, Param};
    };
    let items = quote! {
        #[doc = " The API version of the spec (`info.version`)."]
        pub const API_VERSION: &str = #version;
        #[doc = " Every operation, named by its `operationId`."]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum OpId {
            #(#variants)*
        }
        #[doc = " The operations, in path then method order."]
        pub static OPERATIONS: &[Operation] = &[#(#operations),*];
        #[doc = " Each object the fake serves, by `object` name, with every property: nullable ones"]
        #[doc = " `null`, the rest a default the fake overwrites."]
        pub static SKELETONS: &[(&str, &str)] = &[#(#skeletons),*];
    };
    let text = render(head, vec![Piece::Tokens(items, String::new())], "params")?;
    Ok(GeneratedFile {
        name: FILE_NAME.to_owned(),
        contents: format!("{FAKE_HEADER}{text}"),
    })
}

/// An operation's `operationId`, checked to be usable as an enum variant (Stripe writes them
/// UpperCamel, e.g. `PostCheckoutSessionsSessionExpire`).
fn operation_variant<'a>(op: &'a Operation, pointer: &str) -> Result<&'a str, Error> {
    let pointer = join(pointer, "operationId");
    let id = op
        .operation_id
        .as_deref()
        .ok_or_else(|| Error::new(&pointer, "the fake needs an operationId"))?;
    let mut chars = id.chars();
    let starts_upper = chars.next().is_some_and(|c| c.is_ascii_uppercase());
    if !starts_upper || !chars.all(|c| c.is_ascii_alphanumeric()) {
        return Err(Error::new(
            &pointer,
            format!("operationId `{id}` is not an UpperCamel identifier"),
        ));
    }
    Ok(id)
}

/// One parameter, ready to render.
#[derive(Debug)]
struct Param {
    name: String,
    kind: &'static str,
    required: bool,
    empty_ok: bool,
    max_length: Option<u64>,
    values: Vec<String>,
    children: Vec<Param>,
}

impl Param {
    /// `Param { name, kind, … children: &[…] }`, as `crate::schema::Param` declares it.
    fn tokens(&self) -> TokenStream {
        let name = &self.name;
        let kind = proc_macro2::Ident::new(self.kind, proc_macro2::Span::call_site());
        let required = self.required;
        let empty_ok = self.empty_ok;
        let max_length = match self.max_length {
            Some(n) => {
                let n = Literal::u64_unsuffixed(n);
                quote!(Some(#n))
            }
            None => quote!(None),
        };
        let values = &self.values;
        let children = self.children.iter().map(Param::tokens);
        quote! {
            Param {
                name: #name,
                kind: Kind::#kind,
                required: #required,
                empty_ok: #empty_ok,
                max_length: #max_length,
                values: &[#(#values),*],
                children: &[#(#children),*],
            }
        }
    }
}

/// The parameters of an operation: query parameters for GET, form properties for POST, both
/// for DELETE (Stripe's spec gives DELETE's parameters, e.g. a subscription's `invoice_now`, as a
/// form body; the SDKs send them in the query string).
fn operation_params(
    spec: &Spec,
    op: &Operation,
    method: &str,
    pointer: &str,
) -> Result<Vec<Param>, Error> {
    let mut params = Vec::new();
    if method == "POST" || method == "DELETE" {
        let body = op
            .request_body
            .as_ref()
            .and_then(|b| b.content.get("application/x-www-form-urlencoded"))
            .and_then(|m| m.schema.as_ref());
        if let Some(body) = body {
            let body_pointer = join(
                &join(&join(pointer, "requestBody"), "content"),
                "application/x-www-form-urlencoded",
            );
            let body = resolve(spec, body, &body_pointer)?;
            let required = &body.required;
            for (name, schema) in body.properties.iter().flatten() {
                let p = join(&join(&join(&body_pointer, "schema"), "properties"), name);
                params.push(param(spec, name, schema, required.contains(name), &p, 0)?);
            }
        }
    }
    if method != "POST" {
        for (i, parameter) in op.parameters.iter().enumerate() {
            if parameter.location != "query" {
                continue;
            }
            let p = join(&join(pointer, "parameters"), &i.to_string());
            params.push(param(
                spec,
                &parameter.name,
                &parameter.schema,
                parameter.required,
                &join(&p, "schema"),
                0,
            )?);
        }
        params.sort_by(|a, b| a.name.cmp(&b.name));
    }
    Ok(params)
}

/// Follows `$ref`s and one-element `allOf`s.
fn resolve<'a>(spec: &'a Spec, schema: &'a Schema, pointer: &str) -> Result<&'a Schema, Error> {
    let mut current = schema;
    for _ in 0..MAX_DEPTH {
        if let Some(reference) = &current.reference {
            let name = reference
                .strip_prefix("#/components/schemas/")
                .ok_or_else(|| Error::new(pointer, format!("unsupported $ref `{reference}`")))?;
            current = spec
                .components
                .schemas
                .get(name)
                .ok_or_else(|| Error::new(pointer, format!("dangling $ref `{reference}`")))?;
        } else if let Some([only]) = current.all_of.as_deref() {
            current = only;
        } else {
            return Ok(current);
        }
    }
    Err(Error::new(pointer, "$ref chain too long"))
}

/// Whether a schema is the `""` member Stripe adds to say a parameter may be unset.
fn is_empty_string_member(schema: &Schema) -> bool {
    schema.kind.as_deref() == Some("string")
        && matches!(schema.enumeration.as_deref(), Some([Value::String(s)]) if s.is_empty())
}

fn param(
    spec: &Spec,
    name: &str,
    schema: &Schema,
    required: bool,
    pointer: &str,
    depth: usize,
) -> Result<Param, Error> {
    if depth > MAX_DEPTH {
        return Err(Error::new(pointer, "parameters nest too deeply"));
    }
    let schema = resolve(spec, schema, pointer)?;
    let mut out = Param {
        name: name.to_owned(),
        kind: "String",
        required,
        empty_ok: false,
        max_length: None,
        values: Vec::new(),
        children: Vec::new(),
    };
    if let Some(members) = schema.any_of.as_ref().or(schema.one_of.as_ref()) {
        let rest: Vec<(usize, &Schema)> = members
            .iter()
            .enumerate()
            .filter(|(_, m)| !is_empty_string_member(m))
            .collect();
        out.empty_ok = rest.len() < members.len();
        let members_pointer = join(
            pointer,
            if schema.any_of.is_some() {
                "anyOf"
            } else {
                "oneOf"
            },
        );
        if let [(i, only)] = rest.as_slice() {
            let mut inner = param(
                spec,
                name,
                only,
                required,
                &join(&members_pointer, &i.to_string()),
                depth + 1,
            )?;
            inner.empty_ok |= out.empty_ok;
            return Ok(inner);
        }
        out.kind = "AnyOf";
        for (i, member) in rest {
            out.children.push(param(
                spec,
                name,
                member,
                required,
                &join(&members_pointer, &i.to_string()),
                depth + 1,
            )?);
        }
        return Ok(out);
    }
    match schema.kind.as_deref() {
        Some("string") | None => {
            out.max_length = schema.max_length;
            for value in schema.enumeration.iter().flatten() {
                match value {
                    Value::String(s) if s.is_empty() => out.empty_ok = true,
                    Value::String(s) => out.values.push(s.clone()),
                    other => out.values.push(other.to_string()),
                }
            }
            if schema.bypass_validation {
                // Stripe accepts values it has not documented yet here.
                out.values.clear();
            }
        }
        Some("integer") => out.kind = "Integer",
        Some("number") => out.kind = "Number",
        Some("boolean") => out.kind = "Boolean",
        Some("array") => {
            out.kind = "Array";
            let items = schema
                .items
                .as_deref()
                .ok_or_else(|| Error::new(pointer, "array without `items`"))?;
            out.children.push(param(
                spec,
                "",
                items,
                false,
                &join(pointer, "items"),
                depth + 1,
            )?);
        }
        Some("object") => {
            if let Some(properties) = &schema.properties {
                out.kind = "Object";
                for (child, child_schema) in properties {
                    out.children.push(param(
                        spec,
                        child,
                        child_schema,
                        schema.required.contains(child),
                        &join(&join(pointer, "properties"), child),
                        depth + 1,
                    )?);
                }
            } else {
                out.kind = "Map";
                let value = match &schema.additional_properties {
                    Some(AdditionalProperties::Schema(value)) => param(
                        spec,
                        "",
                        value,
                        false,
                        &join(pointer, "additionalProperties"),
                        depth + 1,
                    )?,
                    _ => Param {
                        name: String::new(),
                        kind: "String",
                        required: false,
                        empty_ok: false,
                        max_length: None,
                        values: Vec::new(),
                        children: Vec::new(),
                    },
                };
                out.children.push(value);
            }
        }
        Some(other) => {
            return Err(Error::new(pointer, format!("unknown type `{other}`")));
        }
    }
    Ok(out)
}

/// A JSON value with every property of `schema`: nullable ones `null`, required and object or
/// array ones a default (the first enum value, `""`, `0`, `false`, `[]`, `{}` or an object of
/// the same kind); optional scalars are left out, as Stripe leaves them out when they do not
/// apply.
fn skeleton(spec: &Spec, schema: &Schema, pointer: &str, depth: usize) -> Result<Value, Error> {
    if depth > MAX_DEPTH {
        return Err(Error::new(
            pointer,
            "schema nests too deeply for a skeleton",
        ));
    }
    let schema = resolve(spec, schema, pointer)?;
    if let Some(members) = schema.any_of.as_ref().or(schema.one_of.as_ref()) {
        let first = members
            .first()
            .ok_or_else(|| Error::new(pointer, "empty anyOf"))?;
        return skeleton(spec, first, &join(&join(pointer, "anyOf"), "0"), depth + 1);
    }
    if let Some(first) = schema.enumeration.as_ref().and_then(|e| e.first()) {
        return Ok(first.clone());
    }
    Ok(match schema.kind.as_deref() {
        Some("integer") | Some("number") => Value::from(0),
        Some("boolean") => Value::Bool(false),
        Some("array") => Value::Array(Vec::new()),
        Some("object") => {
            let mut object = Map::new();
            let properties: BTreeMap<&String, &Schema> =
                schema.properties.iter().flatten().collect();
            for (name, property) in properties {
                let p = join(&join(pointer, "properties"), name);
                let required = schema.required.contains(name);
                if property.nullable {
                    object.insert(name.clone(), Value::Null);
                    continue;
                }
                let resolved = resolve(spec, property, &p)?;
                let structured = matches!(resolved.kind.as_deref(), Some("object") | Some("array"))
                    && resolved.properties.is_some()
                    || resolved.kind.as_deref() == Some("array");
                let is_list = resolved
                    .properties
                    .as_ref()
                    .and_then(|props| props.get("object"))
                    .and_then(|o| o.enumeration.as_ref())
                    .is_some_and(|e| e.iter().any(|v| v == "list"));
                if required || (structured && !is_list) {
                    object.insert(name.clone(), skeleton(spec, property, &p, depth + 1)?);
                }
            }
            Value::Object(object)
        }
        _ => Value::String(String::new()),
    })
}
