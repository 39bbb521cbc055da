//! Named types: components, objects, string enums, `$ref`s, and the shape tests that decide
//! which schemas become named types.

use serde_json::Value;

use super::{clean_doc, Ctx, FormKey, Lowerer, SCHEMA_PREFIX};
use crate::error::{join, Error};
use crate::ir::*;
use crate::names::{field_name, type_name, Namer};
use crate::spec::{AdditionalProperties, Schema};

impl<'a> Lowerer<'a> {
    pub(super) fn component(&mut self, name: &str, schema: &Schema) -> Result<(), Error> {
        // Other components (aliases, arrays, maps) are inlined where they are used.
        if !is_named_type(schema) {
            return Ok(());
        }
        let type_name = self
            .component_types
            .get(name)
            .cloned()
            .unwrap_or_else(|| type_name(name));
        let module = self
            .component_modules
            .get(name)
            .cloned()
            .unwrap_or_else(|| SHARED_MODULE.to_owned());
        let ctx = Ctx {
            pointer: join("/components/schemas", name),
            hint: type_name.clone(),
            fixed_name: Some(type_name),
            direction: Direction::Response,
            module: &module,
            form_key: FormKey::None,
            reference: None,
        };
        self.ty(schema, &ctx).map(drop)
    }

    /// The type of `schema`, creating named types for inline objects, enums and unions.
    pub(super) fn ty(&mut self, schema: &Schema, ctx: &Ctx<'_>) -> Result<Ty, Error> {
        if let Some(reference) = &schema.reference {
            return self.reference(reference, &ctx.at(&["$ref"]));
        }
        if let Some(all) = &schema.all_of {
            return match all.as_slice() {
                [only] => self.ty(only, &ctx.at(&["allOf", "0"])),
                _ => Err(Error::new(
                    join(&ctx.pointer, "allOf"),
                    format!(
                        "expected `allOf` with exactly one member, found {}",
                        all.len()
                    ),
                )),
            };
        }
        if let Some((key, members)) = schema
            .any_of
            .as_ref()
            .map(|m| ("anyOf", m))
            .or_else(|| schema.one_of.as_ref().map(|m| ("oneOf", m)))
        {
            return self.union(schema, key, members, ctx);
        }
        match schema.kind.as_deref() {
            // A file part of a multipart body; a binary response body never reaches here.
            Some("string")
                if schema.format.as_deref() == Some("binary")
                    && ctx.direction == Direction::Request =>
            {
                Ok(Ty::File)
            }
            Some("string") => match &schema.enumeration {
                Some(values) => self.string_enum(schema, values, ctx),
                None => Ok(Ty::String),
            },
            Some("integer") if schema.format.as_deref() == Some("unix-time") => Ok(Ty::Timestamp),
            Some("integer") => Ok(Ty::Integer),
            Some("number") => Ok(Ty::Number),
            Some("boolean") => Ok(Ty::Bool),
            Some("array") => {
                let items = schema.items.as_deref().ok_or_else(|| {
                    Error::new(&ctx.pointer, "expected `items` on an array schema")
                })?;
                Ok(Ty::Array(Box::new(self.ty(items, &ctx.at(&["items"]))?)))
            }
            Some("object") | None => self.object(schema, ctx),
            Some(other) => Err(Error::new(
                join(&ctx.pointer, "type"),
                format!("unsupported type `{other}`: expected string, integer, number, boolean, array or object"),
            )),
        }
    }

    pub(super) fn reference(&mut self, reference: &str, ctx: &Ctx<'_>) -> Result<Ty, Error> {
        let target = reference.strip_prefix(SCHEMA_PREFIX).ok_or_else(|| {
            Error::new(
                &ctx.pointer,
                format!("unsupported `$ref` `{reference}`: expected `{SCHEMA_PREFIX}<name>`"),
            )
        })?;
        let (Some(name), Some(schema)) = (
            self.component_types.get(target),
            self.spec.components.schemas.get(target),
        ) else {
            return Err(Error::new(
                &ctx.pointer,
                format!("unresolvable `$ref` `{reference}`: no such schema"),
            ));
        };
        if is_named_type(schema) {
            return Ok(Ty::Named(name.clone()));
        }
        if self.inlining.iter().any(|t| t == target) {
            return Err(Error::new(
                &ctx.pointer,
                format!("`$ref` cycle through `{target}` with no object to break it"),
            ));
        }
        self.inlining.push(target.to_owned());
        let inline = Ctx {
            pointer: join("/components/schemas", target),
            hint: type_name(target),
            fixed_name: None,
            direction: ctx.direction,
            module: ctx.module,
            form_key: FormKey::None,
            reference: None,
        };
        let ty = self.ty(schema, &inline);
        self.inlining.pop();
        ty
    }

    fn object(&mut self, schema: &Schema, ctx: &Ctx<'_>) -> Result<Ty, Error> {
        if is_list_page(schema) {
            let items = schema
                .properties
                .as_ref()
                .and_then(|p| p.get("data"))
                .and_then(|d| d.items.as_deref())
                .ok_or_else(|| {
                    Error::new(&ctx.pointer, "expected `data.items` on a list object")
                })?;
            let item = self.ty(items, &ctx.at(&["properties", "data", "items"]))?;
            return Ok(Ty::List(Box::new(item)));
        }
        match (&schema.properties, &schema.additional_properties) {
            (None, Some(AdditionalProperties::Schema(values))) => {
                let value = self.ty(values, &ctx.at(&["additionalProperties"]))?;
                Ok(Ty::Map(Box::new(value)))
            }
            (None, Some(AdditionalProperties::Bool(true))) => Ok(Ty::Map(Box::new(Ty::Json))),
            (None, _) if schema.kind.is_none() => Ok(Ty::Json),
            (None, _) => Ok(Ty::Map(Box::new(Ty::Json))),
            (Some(properties), _) => {
                let name = self.claim_for(ctx);
                let slot = self.reserve();
                let mut fields = Vec::new();
                let mut field_names = Namer::default();
                for (wire, property) in properties {
                    let child = ctx
                        .child("properties", format!("{}{}", name, type_name(wire)))
                        .at(&[wire]);
                    let ty = self.ty(property, &child)?;
                    fields.push(Field {
                        name: field_names.claim(field_name(wire)),
                        wire_name: wire.clone(),
                        doc: clean_doc(property.description.as_deref()),
                        ty,
                        optional: !schema.required.contains(wire),
                        nullable: property.nullable,
                        boxed: false,
                    });
                }
                for required in &schema.required {
                    if !properties.contains_key(required) {
                        return Err(Error::new(
                            join(&ctx.pointer, "required"),
                            format!("required property `{required}` is not among the properties"),
                        ));
                    }
                }
                self.fill(
                    slot,
                    TypeDef {
                        name: name.clone(),
                        doc: clean_doc(schema.description.as_deref()),
                        pointer: ctx.pointer.clone(),
                        module: ctx.module.to_owned(),
                        direction: ctx.direction,
                        kind: TypeKind::Struct(fields),
                        form_key: ctx.form_key.key(),
                        reference: ctx.reference(),
                    },
                );
                Ok(Ty::Named(name))
            }
        }
    }

    fn string_enum(
        &mut self,
        schema: &Schema,
        values: &[Value],
        ctx: &Ctx<'_>,
    ) -> Result<Ty, Error> {
        let mut wires = Vec::new();
        for (i, value) in values.iter().enumerate() {
            match value {
                Value::String(s) => wires.push(s.clone()),
                // `nullable` enums list `null`; that is the `Option`, not a variant.
                Value::Null if schema.nullable => {}
                other => {
                    return Err(Error::new(
                        join(&join(&ctx.pointer, "enum"), &i.to_string()),
                        format!("expected a string enum value, found {other}"),
                    ))
                }
            }
        }
        if wires.is_empty() {
            return Err(Error::new(
                join(&ctx.pointer, "enum"),
                "expected at least one enum value",
            ));
        }
        let name = self.claim_for(ctx);
        let mut variants = Namer::with_reserved(&["Unknown"]);
        let values = wires
            .into_iter()
            .map(|wire| {
                // `Unknown` is the fallback variant, so a real `unknown` value gets a longer name.
                let variant = match type_name(&wire).as_str() {
                    _ if wire.is_empty() => "Empty".to_owned(),
                    "Unknown" => "UnknownValue".to_owned(),
                    other => other.to_owned(),
                };
                EnumValue {
                    variant: variants.claim(variant),
                    wire,
                }
            })
            .collect();
        self.push(TypeDef {
            name: name.clone(),
            doc: clean_doc(schema.description.as_deref()),
            pointer: ctx.pointer.clone(),
            module: ctx.module.to_owned(),
            direction: ctx.direction,
            kind: TypeKind::Enum(values),
            form_key: ctx.form_key.key(),
            reference: ctx.reference(),
        });
        Ok(Ty::Named(name))
    }
}

/// Whether a component schema becomes a named type (rather than being inlined where used).
/// Must agree with what [`Lowerer::ty`] makes of the schema under a fixed name.
pub(super) fn is_named_type(schema: &Schema) -> bool {
    if schema.reference.is_some() || schema.all_of.is_some() {
        return false;
    }
    if let Some(members) = schema.any_of.as_ref().or(schema.one_of.as_ref()) {
        let real = members.iter().filter(|m| !is_empty_string(m)).count();
        return schema.expansion_resources.is_none() && real >= 2;
    }
    match schema.kind.as_deref() {
        Some("string") => schema.enumeration.is_some(),
        Some("object") | None => schema.properties.is_some() && !is_list_page(schema),
        _ => false,
    }
}

/// Stripe's list page: `object: list` with `data`, `has_more`, `url`.
pub(super) fn is_list_page(schema: &Schema) -> bool {
    let Some(properties) = &schema.properties else {
        return false;
    };
    let is_list = properties
        .get("object")
        .and_then(|o| o.enumeration.as_deref())
        .is_some_and(|values| values == [Value::String("list".into())]);
    is_list
        && properties
            .get("data")
            .is_some_and(|d| d.kind.as_deref() == Some("array"))
        && properties.contains_key("has_more")
        && properties.contains_key("url")
}

pub(super) fn is_empty_string(schema: &Schema) -> bool {
    schema.reference.is_none()
        && schema
            .enumeration
            .as_deref()
            .is_some_and(|v| v == [Value::String(String::new())])
}
