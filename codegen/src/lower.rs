//! Lowers the spec model to the IR: resolves `$ref`s, names inline types, recognises Stripe's
//! conventions (expandable fields, unsettable params, list pages, timestamps) and rejects what it
//! cannot represent faithfully, naming the JSON pointer.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use serde_json::Value;

use crate::error::{join, Error};
use crate::ir::*;
use crate::names::{field_name, module_name, type_name, Namer};
use crate::spec::{AdditionalProperties, Operation as SpecOperation, Schema, Spec};

const SCHEMA_PREFIX: &str = "#/components/schemas/";
/// The generated module for request parameter types.
pub const PARAMS_MODULE: &str = "params";
/// The generated module for identity stubs of pruned expansion targets.
pub const PRUNED_MODULE: &str = "pruned";
/// The generated module for component schemas no operation returns.
pub const SHARED_MODULE: &str = "shared";

/// Lowers a parsed spec to the IR.
pub fn lower(spec: &Spec) -> Result<Ir, Error> {
    let mut lowerer = Lowerer::new(spec);
    for (name, schema) in &spec.components.schemas {
        lowerer.component(name, schema)?;
    }
    let services = lowerer.services()?;
    let types = lowerer.types.into_iter().flatten().collect::<Vec<_>>();
    let mut ir = Ir {
        api_version: spec.info.version.clone(),
        types,
        services,
    };
    crate::dedup::share_enums(&mut ir);
    mark_boxed(&mut ir.types);
    Ok(ir)
}

struct Lowerer<'a> {
    spec: &'a Spec,
    namer: Namer,
    /// Component schema name → Rust type name.
    component_types: BTreeMap<String, String>,
    /// Component schema name → generated module.
    component_modules: BTreeMap<String, String>,
    /// Slots keep parents ahead of the inline types their fields create.
    types: Vec<Option<TypeDef>>,
    /// Response unions already emitted, by name, to reuse identical ones.
    unions: BTreeMap<String, Vec<Variant>>,
    /// Components being inlined right now, to turn a `$ref` cycle into an error.
    inlining: Vec<String>,
}

/// Where an inline schema sits: names and modules for the types it may create.
#[derive(Clone)]
struct Ctx<'c> {
    pointer: String,
    /// Name for an inline type created here.
    hint: String,
    /// The already-claimed name of the component being lowered, used instead of `hint`.
    fixed_name: Option<String>,
    direction: Direction,
    module: &'c str,
}

impl<'c> Ctx<'c> {
    fn child(&self, segment: &str, hint: String) -> Ctx<'c> {
        Ctx {
            pointer: join(&self.pointer, segment),
            hint,
            fixed_name: None,
            direction: self.direction,
            module: self.module,
        }
    }

    fn at(&self, path: &[&str]) -> Ctx<'c> {
        let mut pointer = self.pointer.clone();
        for segment in path {
            pointer = join(&pointer, segment);
        }
        Ctx {
            pointer,
            hint: self.hint.clone(),
            fixed_name: self.fixed_name.clone(),
            direction: self.direction,
            module: self.module,
        }
    }
}

impl<'a> Lowerer<'a> {
    fn new(spec: &'a Spec) -> Self {
        // Component names are claimed first, so they never depend on inline names.
        let mut namer = Namer::for_types();
        let component_types = spec
            .components
            .schemas
            .keys()
            .map(|name| (name.clone(), namer.claim(type_name(name))))
            .collect();
        let component_modules = assign_modules(spec);
        Lowerer {
            spec,
            namer,
            component_types,
            component_modules,
            types: Vec::new(),
            unions: BTreeMap::new(),
            inlining: Vec::new(),
        }
    }

    fn component(&mut self, name: &str, schema: &Schema) -> Result<(), Error> {
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
        };
        self.ty(schema, &ctx).map(drop)
    }

    /// The type of `schema`, creating named types for inline objects, enums and unions.
    fn ty(&mut self, schema: &Schema, ctx: &Ctx<'_>) -> Result<Ty, Error> {
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

    fn reference(&mut self, reference: &str, ctx: &Ctx<'_>) -> Result<Ty, Error> {
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
                    let ty = if wire == "object" && is_single_string(property) {
                        // `object` always holds the one value; an enum of one variant adds nothing.
                        Ty::String
                    } else {
                        self.ty(property, &child)?
                    };
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
        });
        Ok(Ty::Named(name))
    }

    fn union(
        &mut self,
        schema: &Schema,
        key: &str,
        members: &[Schema],
        ctx: &Ctx<'_>,
    ) -> Result<Ty, Error> {
        let pointer = join(&ctx.pointer, key);
        // `{enum: [""]}` members say the param may be sent empty to unset it.
        let (empties, rest): (Vec<_>, Vec<_>) = members
            .iter()
            .enumerate()
            .partition(|(_, m)| is_empty_string(m));
        let inner = if schema.expansion_resources.is_some() {
            let targets: Vec<_> = rest.iter().filter(|(_, m)| m.reference.is_some()).collect();
            let target = match targets.as_slice() {
                [] => {
                    return Err(Error::new(
                        &pointer,
                        "`x-expansionResources` without a `$ref` member",
                    ))
                }
                [(i, only)] => self.ty(only, &ctx.at(&[key, &i.to_string()]))?,
                _ => {
                    let refs = targets.iter().map(|(i, m)| (*i, *m)).collect::<Vec<_>>();
                    self.tagged_union(&refs, &pointer, ctx)?
                }
            };
            Ty::Expandable(Box::new(target))
        } else {
            match rest.as_slice() {
                [] => Ty::String,
                [(i, only)] => self.ty(only, &ctx.at(&[key, &i.to_string()]))?,
                _ if ctx.direction == Direction::Response => {
                    let refs = rest.iter().map(|(i, m)| (*i, *m)).collect::<Vec<_>>();
                    self.tagged_union(&refs, &pointer, ctx)?
                }
                _ => self.untagged_union(&rest, key, ctx)?,
            }
        };
        match (empties.is_empty(), ctx.direction) {
            (true, _) => Ok(inner),
            (false, Direction::Request) => Ok(Ty::Unsettable(Box::new(inner))),
            (false, Direction::Response) => Err(Error::new(
                pointer,
                "an empty-string union member in a response schema is not supported",
            )),
        }
    }

    /// A response union told apart by each member's `object` (and `deleted`) value.
    fn tagged_union(
        &mut self,
        members: &[(usize, &Schema)],
        pointer: &str,
        ctx: &Ctx<'_>,
    ) -> Result<Ty, Error> {
        let mut variants = Vec::new();
        let mut tags = BTreeSet::new();
        for (i, member) in members {
            let at = join(pointer, &i.to_string());
            let target = member
                .reference
                .as_deref()
                .and_then(|r| r.strip_prefix(SCHEMA_PREFIX))
                .ok_or_else(|| Error::new(&at, "expected a `$ref` member: union members must be named objects to be told apart"))?;
            let target_schema = self.spec.components.schemas.get(target).ok_or_else(|| {
                Error::new(
                    join(&at, "$ref"),
                    format!("unresolvable `$ref` to `{target}`"),
                )
            })?;
            let tag = object_tag(target_schema).ok_or_else(|| {
                Error::new(&at, format!("union member `{target}` has no single-valued `object` property to tell it apart"))
            })?;
            if !tags.insert(tag.clone()) {
                return Err(Error::new(
                    &at,
                    format!(
                        "union members share `object: {}` and cannot be told apart",
                        tag.object
                    ),
                ));
            }
            let ty = self.reference(
                &format!("{SCHEMA_PREFIX}{target}"),
                &Ctx {
                    pointer: at,
                    fixed_name: None,
                    ..ctx.clone()
                },
            )?;
            let name = match &ty {
                Ty::Named(n) => n.clone(),
                _ => type_name(target),
            };
            variants.push(Variant {
                name,
                ty,
                tag: Some(tag),
            });
        }
        let name = match &ctx.fixed_name {
            Some(fixed) => fixed.clone(),
            None => {
                let name = variants
                    .iter()
                    .map(|v| v.name.as_str())
                    .collect::<Vec<_>>()
                    .join("Or");
                if self
                    .unions
                    .get(&name)
                    .is_some_and(|existing| *existing == variants)
                {
                    return Ok(Ty::Named(name));
                }
                self.claim(&name)
            }
        };
        let first = members
            .first()
            .and_then(|(_, m)| m.reference.as_deref())
            .and_then(|r| r.strip_prefix(SCHEMA_PREFIX));
        let module = first
            .and_then(|t| self.component_modules.get(t).cloned())
            .unwrap_or_else(|| ctx.module.to_owned());
        self.unions.insert(name.clone(), variants.clone());
        self.push(TypeDef {
            name: name.clone(),
            doc: Some(format!(
                "One of {}, told apart by the `object` field.",
                variants
                    .iter()
                    .map(|v| format!("[`{}`]", v.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            pointer: pointer.to_owned(),
            module,
            direction: Direction::Response,
            kind: TypeKind::Union(variants),
        });
        Ok(Ty::Named(name))
    }

    /// A request union: serialized as whichever member it holds.
    fn untagged_union(
        &mut self,
        members: &[(usize, &Schema)],
        key: &str,
        ctx: &Ctx<'_>,
    ) -> Result<Ty, Error> {
        let name = self.claim_for(ctx);
        let slot = self.reserve();
        let mut variant_names = Namer::default();
        let mut variants = Vec::new();
        for (i, member) in members {
            let hint = format!(
                "{name}{}",
                member
                    .title
                    .as_deref()
                    .map(type_name)
                    .unwrap_or_else(|| "Object".into())
            );
            let ty = self.ty(
                member,
                &Ctx {
                    hint,
                    fixed_name: None,
                    ..ctx.at(&[key, &i.to_string()])
                },
            )?;
            let variant = match &ty {
                Ty::Named(n) => n
                    .strip_prefix(&name)
                    .filter(|s| !s.is_empty())
                    .unwrap_or(n)
                    .to_owned(),
                other => variant_name(other),
            };
            variants.push(Variant {
                name: variant_names.claim(variant),
                ty,
                tag: None,
            });
        }
        self.fill(
            slot,
            TypeDef {
                name: name.clone(),
                doc: None,
                pointer: join(&ctx.pointer, key),
                module: ctx.module.to_owned(),
                direction: ctx.direction,
                kind: TypeKind::Union(variants),
            },
        );
        Ok(Ty::Named(name))
    }

    fn services(&mut self) -> Result<Vec<Service>, Error> {
        let mut services: BTreeMap<String, Service> = BTreeMap::new();
        for (path, item) in &self.spec.paths {
            for (method, operation) in [
                (HttpMethod::Get, &item.get),
                (HttpMethod::Post, &item.post),
                (HttpMethod::Delete, &item.delete),
            ] {
                let Some(operation) = operation else { continue };
                let op = self.operation(path, method, operation)?;
                let base = base_path(path);
                if !services.contains_key(base) {
                    let resource = resource_words(base);
                    // Endpoint groups share the type namespace: a `/v1/self` group must not
                    // take the name of a `self` schema.
                    let name = self.claim(&resource);
                    services.insert(
                        base.to_owned(),
                        Service {
                            name,
                            accessor: field_name(&resource),
                            base_path: base.to_owned(),
                            operations: Vec::new(),
                        },
                    );
                }
                let Some(service) = services.get_mut(base) else {
                    continue;
                };
                if service
                    .operations
                    .iter()
                    .any(|o| o.method_name == op.method_name)
                {
                    return Err(Error::new(
                        join(&join("/paths", path), method_key(method)),
                        format!("a second operation maps to method `{}`", op.method_name),
                    ));
                }
                service.operations.push(op);
            }
        }
        Ok(services.into_values().collect())
    }

    fn operation(
        &mut self,
        path: &str,
        method: HttpMethod,
        operation: &SpecOperation,
    ) -> Result<Operation, Error> {
        let pointer = join(&join("/paths", path), method_key(method));
        let base = base_path(path);
        let response_ty = self.response(operation, &pointer)?;
        let method_name = method_name(path, base, method, &response_ty);
        let resource = resource_words(base);
        let singular = singular(&resource).to_upper_camel_case();
        let params_name = match method_name.split_once('_') {
            None if method_name == "list" => {
                format!("List{}Params", resource.to_upper_camel_case())
            }
            None => format!("{}{singular}Params", method_name.to_upper_camel_case()),
            Some((verb, rest)) => {
                format!(
                    "{}{singular}{}Params",
                    verb.to_upper_camel_case(),
                    rest.to_upper_camel_case()
                )
            }
        };
        let params_name = self.claim(&params_name);
        let ctx = Ctx {
            pointer: pointer.clone(),
            hint: params_name.trim_end_matches("Params").to_owned(),
            fixed_name: None,
            direction: Direction::Request,
            module: PARAMS_MODULE,
        };

        let slot = self.reserve();
        let mut fields = Vec::new();
        let mut field_names = Namer::default();
        let mut path_params = Vec::new();
        for (i, parameter) in operation.parameters.iter().enumerate() {
            let at = ctx.at(&["parameters", &i.to_string()]);
            match parameter.location.as_str() {
                "path" => path_params.push(PathParam {
                    name: field_name(&parameter.name),
                    wire_name: parameter.name.clone(),
                    doc: clean_doc(parameter.description.as_deref()),
                }),
                "query" => {
                    let child = Ctx {
                        hint: format!("{}{}", ctx.hint, type_name(&parameter.name)),
                        ..at.at(&["schema"])
                    };
                    let ty = self.ty(&parameter.schema, &child)?;
                    fields.push(Field {
                        name: field_names.claim(field_name(&parameter.name)),
                        wire_name: parameter.name.clone(),
                        doc: clean_doc(parameter.description.as_deref()),
                        ty,
                        optional: !parameter.required,
                        nullable: false,
                        boxed: false,
                    });
                }
                other => {
                    return Err(Error::new(
                        join(&at.pointer, "in"),
                        format!("unsupported parameter location `{other}`: expected path or query"),
                    ))
                }
            }
        }
        for template in path_template_params(path) {
            if !path_params.iter().any(|p| p.wire_name == template) {
                return Err(Error::new(
                    &pointer,
                    format!("path parameter `{{{template}}}` is not declared"),
                ));
            }
        }
        if let Some(body) = &operation.request_body {
            for (media, content) in &body.content {
                let at = ctx.at(&["requestBody", "content", media, "schema"]);
                if media != "application/x-www-form-urlencoded" {
                    return Err(Error::new(
                        at.pointer,
                        format!("unsupported request media type `{media}`: Stripe requests are form encoded"),
                    ));
                }
                let Some(schema) = &content.schema else {
                    continue;
                };
                let required = &schema.required;
                for (wire, property) in schema.properties.iter().flatten() {
                    let child = Ctx {
                        hint: format!("{}{}", ctx.hint, type_name(wire)),
                        ..at.at(&["properties", wire])
                    };
                    let ty = self.ty(property, &child)?;
                    fields.push(Field {
                        name: field_names.claim(field_name(wire)),
                        wire_name: wire.clone(),
                        doc: clean_doc(property.description.as_deref()),
                        ty,
                        optional: !required.contains(wire),
                        nullable: false,
                        boxed: false,
                    });
                }
            }
        }
        fields.sort_by(|a, b| a.wire_name.cmp(&b.wire_name));
        let operation_id = operation
            .operation_id
            .clone()
            .unwrap_or_else(|| method_name.clone());
        self.fill(
            slot,
            TypeDef {
                name: params_name.clone(),
                doc: Some(format!(
                    "Parameters for `{} {path}` ({operation_id}).",
                    method_key(method).to_uppercase()
                )),
                pointer: pointer.clone(),
                module: PARAMS_MODULE.to_owned(),
                direction: Direction::Request,
                kind: TypeKind::Struct(fields),
            },
        );
        Ok(Operation {
            method_name,
            operation_id,
            doc: clean_doc(operation.description.as_deref()),
            http_method: method,
            path: path.to_owned(),
            path_params,
            params: params_name,
            response: response_ty,
        })
    }

    fn response(&mut self, operation: &SpecOperation, pointer: &str) -> Result<Ty, Error> {
        let (status, response) = operation
            .responses
            .iter()
            .find(|(status, _)| status.starts_with('2'))
            .ok_or_else(|| Error::new(join(pointer, "responses"), "expected a 2xx response"))?;
        let at = join(&join(&join(pointer, "responses"), status), "content");
        let schema = response
            .content
            .get("application/json")
            .and_then(|m| m.schema.as_ref())
            .ok_or_else(|| Error::new(&at, "expected an `application/json` schema"))?;
        let module = match &schema.reference {
            Some(r) => r
                .strip_prefix(SCHEMA_PREFIX)
                .and_then(|t| self.component_modules.get(t).cloned())
                .unwrap_or_else(|| SHARED_MODULE.to_owned()),
            None => SHARED_MODULE.to_owned(),
        };
        let hint = format!(
            "{}Response",
            operation
                .operation_id
                .as_deref()
                .map(type_name)
                .unwrap_or_default()
        );
        let ctx = Ctx {
            pointer: join(&join(&at, "application/json"), "schema"),
            hint,
            fixed_name: None,
            direction: Direction::Response,
            module: &module,
        };
        self.ty(schema, &ctx)
    }

    fn claim(&mut self, hint: &str) -> String {
        self.namer.claim(type_name(hint))
    }

    /// The component's own (already claimed) name, or a fresh one from the hint.
    fn claim_for(&mut self, ctx: &Ctx<'_>) -> String {
        match &ctx.fixed_name {
            Some(name) => name.clone(),
            None => self.claim(&ctx.hint),
        }
    }

    fn reserve(&mut self) -> usize {
        self.types.push(None);
        self.types.len() - 1
    }

    fn fill(&mut self, slot: usize, def: TypeDef) {
        if let Some(entry) = self.types.get_mut(slot) {
            *entry = Some(def);
        }
    }

    fn push(&mut self, def: TypeDef) {
        self.types.push(Some(def));
    }
}

/// Whether a component schema becomes a named type (rather than being inlined where used).
/// Must agree with what [`Lowerer::ty`] makes of the schema under a fixed name.
fn is_named_type(schema: &Schema) -> bool {
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
fn is_list_page(schema: &Schema) -> bool {
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

fn is_single_string(schema: &Schema) -> bool {
    schema.kind.as_deref() == Some("string")
        && schema.enumeration.as_ref().is_some_and(|v| v.len() == 1)
}

fn is_empty_string(schema: &Schema) -> bool {
    schema.reference.is_none()
        && schema
            .enumeration
            .as_deref()
            .is_some_and(|v| v == [Value::String(String::new())])
}

/// The `(object, deleted)` pair that identifies a member of a response union.
fn object_tag(schema: &Schema) -> Option<Tag> {
    let properties = schema.properties.as_ref()?;
    let object = match properties.get("object")?.enumeration.as_deref()? {
        [Value::String(only)] => only.clone(),
        _ => return None,
    };
    let deleted = properties
        .get("deleted")
        .and_then(|d| d.enumeration.as_deref())
        .is_some_and(|v| v == [Value::Bool(true)]);
    Some(Tag { object, deleted })
}

fn variant_name(ty: &Ty) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::Bool => "Bool".into(),
        Ty::Integer => "Integer".into(),
        Ty::Number => "Number".into(),
        Ty::Timestamp => "Timestamp".into(),
        Ty::Json => "Json".into(),
        Ty::Named(n) => n.clone(),
        Ty::Array(_) => "Array".into(),
        Ty::Map(_) => "Map".into(),
        Ty::Expandable(_) => "Expandable".into(),
        Ty::Unsettable(_) => "Unsettable".into(),
        Ty::List(_) => "List".into(),
    }
}

fn method_key(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "get",
        HttpMethod::Post => "post",
        HttpMethod::Delete => "delete",
    }
}

/// The path up to its first parameter: `/v1/checkout/sessions/{session}/expire` → `/v1/checkout/sessions`.
fn base_path(path: &str) -> &str {
    match path.find("/{") {
        Some(i) => &path[..i],
        None => path,
    }
}

/// `/v1/checkout/sessions` → `checkout_sessions`.
fn resource_words(base: &str) -> String {
    let trimmed = base.trim_start_matches('/');
    let trimmed = trimmed.strip_prefix("v1/").unwrap_or(trimmed);
    trimmed.replace('/', "_")
}

/// `checkout_sessions` → `checkout_session`, `line_entries` → `line_entry`.
fn singular(words: &str) -> String {
    if let Some(stem) = words.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = words.strip_suffix('s') {
        stem.to_owned()
    } else {
        words.to_owned()
    }
}

fn path_template_params(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .collect()
}

/// Stripe's method names, as its SDKs use them: `create`, `list`, `retrieve`, `update`,
/// `delete`, then `<action>` for `POST /{id}/<action>` and `list_<sub>` for lists under an id.
fn method_name(path: &str, base: &str, method: HttpMethod, response: &Ty) -> String {
    let rest = &path[base.len()..];
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let is_list = matches!(response, Ty::List(_));
    let name = match (segments.as_slice(), method) {
        ([], HttpMethod::Get) if is_list => "list".to_owned(),
        ([], HttpMethod::Get) => "retrieve".to_owned(),
        ([], HttpMethod::Post) => "create".to_owned(),
        ([], HttpMethod::Delete) => "delete".to_owned(),
        ([_id], HttpMethod::Get) => "retrieve".to_owned(),
        ([_id], HttpMethod::Post) => "update".to_owned(),
        ([_id], HttpMethod::Delete) => "delete".to_owned(),
        ([_id, action], HttpMethod::Post) => (*action).to_owned(),
        ([_id, sub], HttpMethod::Get) if is_list => format!("list_{sub}"),
        ([_id, sub], HttpMethod::Get) => format!("retrieve_{sub}"),
        ([_id, sub], HttpMethod::Delete) => format!("delete_{sub}"),
        (other, _) => other
            .iter()
            .filter(|s| !s.starts_with('{'))
            .copied()
            .collect::<Vec<_>>()
            .join("_"),
    };
    field_name(&name)
}

/// Assigns each component schema to a generated module: the resource an operation returns whose
/// closure is smallest among those that reach it (so line-item types sit with `item`, not with the
/// session that embeds them); pruned stubs go together; the rest is shared.
fn assign_modules(spec: &Spec) -> BTreeMap<String, String> {
    let mut roots = Vec::new();
    for item in spec.paths.values() {
        for operation in [&item.get, &item.post, &item.delete].into_iter().flatten() {
            for response in operation.responses.values() {
                for media in response.content.values() {
                    if let Some(root) = media.schema.as_ref().and_then(resource_of) {
                        if !roots.contains(&root) {
                            roots.push(root);
                        }
                    }
                }
            }
        }
    }
    let closures: Vec<(String, BTreeSet<String>)> = roots
        .into_iter()
        .filter(|r| spec.components.schemas.contains_key(r))
        .map(|root| {
            let closure = closure(spec, &root);
            (root, closure)
        })
        .collect();
    let mut modules = BTreeMap::new();
    for (name, schema) in &spec.components.schemas {
        let module = if schema.pruned {
            PRUNED_MODULE.to_owned()
        } else {
            closures
                .iter()
                .filter(|(_, closure)| closure.contains(name))
                .min_by_key(|(_, closure)| closure.len())
                .map(|(root, _)| module_name(root))
                .unwrap_or_else(|| SHARED_MODULE.to_owned())
        };
        modules.insert(name.clone(), module);
    }
    modules
}

/// The component an operation response is about: a `$ref`, or the items of a list page.
fn resource_of(schema: &Schema) -> Option<String> {
    if let Some(r) = &schema.reference {
        return r.strip_prefix(SCHEMA_PREFIX).map(str::to_owned);
    }
    let data = schema.properties.as_ref()?.get("data")?;
    data.items
        .as_ref()?
        .reference
        .as_ref()?
        .strip_prefix(SCHEMA_PREFIX)
        .map(str::to_owned)
}

/// Component schemas reachable from `root` through `$ref`s, including `root`.
fn closure(spec: &Spec, root: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![root.to_owned()];
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = spec.components.schemas.get(&name) {
            visit_refs(schema, &mut |r| {
                if let Some(t) = r.strip_prefix(SCHEMA_PREFIX) {
                    if !seen.contains(t) {
                        stack.push(t.to_owned());
                    }
                }
            });
        }
    }
    seen
}

fn visit_refs(schema: &Schema, f: &mut dyn FnMut(&str)) {
    if let Some(r) = &schema.reference {
        f(r);
    }
    for child in schema.properties.iter().flat_map(|p| p.values()) {
        visit_refs(child, f);
    }
    if let Some(items) = &schema.items {
        visit_refs(items, f);
    }
    if let Some(AdditionalProperties::Schema(values)) = &schema.additional_properties {
        visit_refs(values, f);
    }
    for members in [&schema.any_of, &schema.one_of, &schema.all_of]
        .into_iter()
        .flatten()
    {
        for member in members {
            visit_refs(member, f);
        }
    }
}

/// Boxes struct fields whose type contains the struct again by value, which Rust cannot size.
fn mark_boxed(types: &mut [TypeDef]) {
    let edges: BTreeMap<String, BTreeSet<String>> = types
        .iter()
        .map(|t| (t.name.clone(), by_value_targets(&t.kind)))
        .collect();
    let reaches = |from: &str, to: &str| -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(name) = stack.pop() {
            if name == to {
                return true;
            }
            if seen.insert(name.clone()) {
                stack.extend(edges.get(&name).into_iter().flatten().cloned());
            }
        }
        false
    };
    for def in types.iter_mut() {
        let owner = def.name.clone();
        if let TypeKind::Struct(fields) = &mut def.kind {
            for field in fields {
                let mut targets = BTreeSet::new();
                by_value(&field.ty, &mut targets);
                field.boxed = targets.iter().any(|t| reaches(t, &owner));
            }
        }
    }
}

fn by_value_targets(kind: &TypeKind) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    match kind {
        TypeKind::Struct(fields) => fields.iter().for_each(|f| by_value(&f.ty, &mut out)),
        TypeKind::Union(variants) => variants.iter().for_each(|v| by_value(&v.ty, &mut out)),
        TypeKind::Enum(_) => {}
    }
    out
}

/// Named types held inline (not behind a `Vec`, map or box).
fn by_value(ty: &Ty, out: &mut BTreeSet<String>) {
    match ty {
        Ty::Named(n) => {
            out.insert(n.clone());
        }
        Ty::Unsettable(inner) => by_value(inner, out),
        _ => {}
    }
}

/// Spec descriptions as Rust docs: HTML paragraphs unwrapped, lines trimmed so nothing reads
/// as an indented code block (which rustdoc would try to compile as a doctest).
pub fn clean_doc(description: Option<&str>) -> Option<String> {
    let text = description?
        .replace("<p>", "")
        .replace("</p>", "\n\n")
        .replace("<code>", "`")
        .replace("</code>", "`")
        .replace("<strong>", "**")
        .replace("</strong>", "**")
        .replace("```", "'''");
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut out = lines.join("\n");
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    let out = escape_reference_links(out.trim());
    (!out.is_empty()).then_some(out)
}

/// `[word]` not followed by `(` would be a broken intra-doc link to rustdoc; escape it.
fn escape_reference_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        match after.find(']') {
            Some(close)
                if !after[close + 1..].starts_with('(') && !after[1..close].contains('[') =>
            {
                out.push_str("\\[");
                out.push_str(&after[1..close]);
                out.push_str("\\]");
                rest = &after[close + 1..];
            }
            _ => {
                out.push('[');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
