//! Operations: endpoint groups (services), method names, params structs and response types.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;

use super::{clean_doc, Ctx, Lowerer, PARAMS_MODULE, SCHEMA_PREFIX, SHARED_MODULE};
use crate::error::{join, Error};
use crate::ir::*;
use crate::names::{field_name, type_name, Namer};
use crate::spec::Operation as SpecOperation;

impl<'a> Lowerer<'a> {
    pub(super) fn services(&mut self) -> Result<Vec<Service>, Error> {
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
                let service = services.entry(base.to_owned()).or_insert_with(|| {
                    let resource = resource_words(base);
                    Service {
                        name: resource.to_upper_camel_case(),
                        accessor: field_name(&resource),
                        base_path: base.to_owned(),
                        operations: Vec::new(),
                    }
                });
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
}

pub(super) fn method_key(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "get",
        HttpMethod::Post => "post",
        HttpMethod::Delete => "delete",
    }
}

/// The path up to its first parameter: `/v1/checkout/sessions/{session}/expire` → `/v1/checkout/sessions`.
pub(super) fn base_path(path: &str) -> &str {
    match path.find("/{") {
        Some(i) => &path[..i],
        None => path,
    }
}

/// `/v1/checkout/sessions` → `checkout_sessions`.
pub(super) fn resource_words(base: &str) -> String {
    let trimmed = base.trim_start_matches('/');
    let trimmed = trimmed.strip_prefix("v1/").unwrap_or(trimmed);
    trimmed.replace('/', "_")
}

/// `checkout_sessions` → `checkout_session`, `line_entries` → `line_entry`.
pub(super) fn singular(words: &str) -> String {
    if let Some(stem) = words.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = words.strip_suffix('s') {
        stem.to_owned()
    } else {
        words.to_owned()
    }
}

pub(super) fn path_template_params(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .collect()
}

/// Stripe's method names, as its SDKs use them: `create`, `list`, `retrieve`, `update`,
/// `delete`, then `<action>` for `POST /{id}/<action>` and `list_<sub>` for lists under an id.
pub(super) fn method_name(path: &str, base: &str, method: HttpMethod, response: &Ty) -> String {
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
