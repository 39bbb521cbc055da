//! Operations: endpoint groups (services), method names, params structs and response types.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;

use super::modules::resource_of;
use super::types::is_list_page;
use super::{clean_doc, Ctx, FormKey, Lowerer, OpReference, SCHEMA_PREFIX};
use crate::error::{join, Error};
use crate::ir::*;
use crate::names::{field_name, module_name, type_name, Namer};
use crate::spec::{Operation as SpecOperation, Schema};

/// The methods of `Client` itself (`stripe-checkout/src/client.rs`: its public API, nothing
/// else; generated code calls the runtime through `__private` functions), which an endpoint-group
/// accessor must not take. A clash would not compile (E0592, duplicate definitions), so the
/// compiler keeps this list honest; it lets the generator pick another name instead.
pub const CLIENT_METHODS: &[&str] = &["builder", "from_env", "new", "paginate", "send"];

/// One endpoint group before lowering: its operations with their method names decided.
struct PlannedService<'s> {
    base: String,
    module: String,
    operations: Vec<PlannedOperation<'s>>,
}

struct PlannedOperation<'s> {
    path: &'s str,
    method: HttpMethod,
    operation: &'s SpecOperation,
    name: String,
}

impl<'a> Lowerer<'a> {
    pub(super) fn services(&mut self) -> Result<Vec<Service>, Error> {
        let planned = self.plan_services();
        // Endpoint-group structs share the type namespace, so their names come from the same
        // namer; a clash (`/v1/account` vs the `account` schema) takes the `Endpoints` suffix.
        let mut accessors = Namer::with_reserved(CLIENT_METHODS);
        let mut services = Vec::new();
        for plan in planned {
            let resource = resource_words(&plan.base);
            let name = self
                .namer
                .claim_or_suffix(type_name(&resource), "Endpoints");
            let mut service = Service {
                name,
                accessor: accessors.claim(field_name(&resource)),
                base_path: plan.base.clone(),
                module: plan.module.clone(),
                operations: Vec::new(),
            };
            for op in &plan.operations {
                let lowered = self.operation(op.path, op.method, op.operation, &op.name, &plan)?;
                service.operations.push(lowered);
            }
            services.push(service);
        }
        Ok(services)
    }

    /// Groups the paths into endpoint groups and names every method, unique within its group.
    fn plan_services(&self) -> Vec<PlannedService<'a>> {
        let spec = self.spec;
        let bases: BTreeSet<&str> = spec.paths.keys().map(|p| base_path(p)).collect();
        let mut groups: BTreeMap<String, Vec<(&'a str, HttpMethod, &'a SpecOperation)>> =
            BTreeMap::new();
        for (path, item) in &spec.paths {
            for (method, operation) in [
                (HttpMethod::Get, &item.get),
                (HttpMethod::Post, &item.post),
                (HttpMethod::Delete, &item.delete),
            ] {
                if let Some(operation) = operation {
                    let base = group_base(path, &bases);
                    groups.entry(base.to_owned()).or_default().push((
                        path.as_str(),
                        method,
                        operation,
                    ));
                }
            }
        }
        groups
            .into_iter()
            .map(|(base, ops)| {
                let shapes: Vec<Shape<'_>> = ops
                    .iter()
                    .map(|(path, method, op)| Shape {
                        segments: segments(&path[base.len()..]),
                        method: *method,
                        is_list: self.returns_list(op),
                    })
                    .collect();
                let mut names = Namer::default();
                let operations = ops
                    .iter()
                    .zip(&shapes)
                    .map(|((path, method, operation), shape)| PlannedOperation {
                        path,
                        method: *method,
                        operation,
                        name: names.claim(method_name(shape, &shapes)),
                    })
                    .collect();
                let module = self.service_module(&base, &ops);
                PlannedService {
                    base,
                    module,
                    operations,
                }
            })
            .collect()
    }

    /// The module of the resource the group's own operations (`/base`, `/base/{id}`) return,
    /// else of any resource it returns.
    fn service_module(&self, base: &str, ops: &[(&str, HttpMethod, &SpecOperation)]) -> String {
        let module_of = |op: &SpecOperation| {
            success_schema(op)
                .and_then(|s| resource_of(self.spec, s))
                .and_then(|target| self.component_modules.get(&target).cloned())
        };
        let own = ops
            .iter()
            .filter(|(path, _, _)| segments(&path[base.len()..]).len() <= 1)
            .find_map(|(_, _, op)| module_of(op));
        own.or_else(|| ops.iter().find_map(|(_, _, op)| module_of(op)))
            .unwrap_or_else(|| module_name(&resource_words(base)))
    }

    /// Whether the operation returns a list page (inline or through a `$ref`), v1 or v2.
    fn returns_list(&self, operation: &SpecOperation) -> bool {
        let Some(schema) = success_schema(operation) else {
            return false;
        };
        let target = schema
            .reference
            .as_deref()
            .and_then(|r| r.strip_prefix(SCHEMA_PREFIX))
            .and_then(|t| self.spec.components.schemas.get(t));
        let schema = target.unwrap_or(schema);
        // v2 lists page by URL (`next_page_url`) rather than `object: list`; they are lists to
        // name, though not to the v1 paginator.
        let v2_list = schema.properties.as_ref().is_some_and(|p| {
            p.contains_key("next_page_url")
                && p.get("data")
                    .is_some_and(|d| d.kind.as_deref() == Some("array"))
        });
        is_list_page(schema) || v2_list
    }

    fn operation(
        &mut self,
        path: &str,
        method: HttpMethod,
        operation: &SpecOperation,
        method_name: &str,
        plan: &PlannedService<'_>,
    ) -> Result<Operation, Error> {
        let pointer = join(&join("/paths", path), method.key());
        let base = plan.base.as_str();
        let module = plan.module.as_str();
        let method_name = method_name.to_owned();
        let (response_ty, response_encoding) = self.response(operation, &pointer, module)?;
        let resource = resource_words(base);
        let singular = singular(&resource).to_upper_camel_case();
        // One rule for every operation: verb, then the resource in the singular, then what the
        // rest of the method names (`ListCheckoutSessionParams`,
        // `ListCheckoutSessionLineItemsParams`, `RetrieveCheckoutSessionParams`).
        let params_name = match method_name.split_once('_') {
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
            module,
            form_key: FormKey::None,
            reference: Some(op_reference(base, &method_name)),
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
                        // Query strings use the same bracketed keys as form bodies.
                        form_key: FormKey::At(parameter.name.clone()),
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
        let mut body = BodyEncoding::Query;
        if let Some(request_body) = &operation.request_body {
            // Stripe gives each body one media type; if it ever lists several, form wins, as the
            // one encoding every v1 endpoint accepts.
            let chosen = request_body
                .content
                .iter()
                .find(|(media, _)| *media == FORM)
                .or_else(|| request_body.content.iter().next());
            if let Some((media, content)) = chosen {
                // The body's properties are the top-level form keys.
                let at = Ctx {
                    form_key: FormKey::At(String::new()),
                    ..ctx.at(&["requestBody", "content", media, "schema"])
                };
                body = match media.as_str() {
                    // GETs carry an empty form body in Stripe's spec; their params stay in the query.
                    FORM if method != HttpMethod::Post => BodyEncoding::Query,
                    FORM => BodyEncoding::Form,
                    "application/json" => BodyEncoding::Json,
                    "multipart/form-data" => BodyEncoding::Multipart,
                    other => BodyEncoding::Other(other.to_owned()),
                };
                let schema = content.schema.as_ref();
                let required = schema.map(|s| s.required.as_slice()).unwrap_or_default();
                let properties = schema.and_then(|s| s.properties.as_ref());
                for (wire, property) in properties.into_iter().flatten() {
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
        // The v2 API takes every POST as JSON, a body-less one as `{}` (its params are empty).
        if operation.request_body.is_none()
            && method == HttpMethod::Post
            && path.starts_with("/v2/")
        {
            body = BodyEncoding::Json;
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
                    method.verb()
                )),
                pointer: pointer.clone(),
                module: module.to_owned(),
                direction: Direction::Request,
                kind: TypeKind::Struct(fields),
                // Its fields are the body's and the query's top-level keys.
                form_key: None,
                reference: None,
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
            body,
            response_encoding,
            server: self.operation_server(operation),
        })
    }

    /// The operation's own origin, when the spec gives it one other than the API's.
    fn operation_server(&self, operation: &SpecOperation) -> Option<String> {
        let own = operation.servers.first()?.url.trim_end_matches('/');
        let api = self
            .spec
            .servers
            .first()
            .map(|s| s.url.trim_end_matches('/'));
        (api != Some(own)).then(|| own.to_owned())
    }

    fn response(
        &mut self,
        operation: &SpecOperation,
        pointer: &str,
        service_module: &str,
    ) -> Result<(Ty, ResponseEncoding), Error> {
        let (status, response) = operation
            .responses
            .iter()
            .find(|(status, _)| status.starts_with('2'))
            .ok_or_else(|| Error::new(join(pointer, "responses"), "expected a 2xx response"))?;
        let at = join(&join(&join(pointer, "responses"), status), "content");
        let Some(media) = response.content.get(JSON) else {
            // A document (`application/pdf`), not data: the body is the value.
            return match response.content.keys().next() {
                Some(other) => Ok((Ty::Bytes, ResponseEncoding::Binary(other.clone()))),
                None => Err(Error::new(&at, "expected a response media type")),
            };
        };
        let schema = media
            .schema
            .as_ref()
            .ok_or_else(|| Error::new(join(&at, JSON), "expected an `application/json` schema"))?;
        let module = match &schema.reference {
            Some(r) => r
                .strip_prefix(SCHEMA_PREFIX)
                .and_then(|t| self.component_modules.get(t).cloned())
                .unwrap_or_else(|| SHARED_MODULE.to_owned()),
            None => service_module.to_owned(),
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
            pointer: join(&join(&at, JSON), "schema"),
            hint,
            fixed_name: None,
            direction: Direction::Response,
            module: &module,
            form_key: FormKey::None,
            reference: None,
        };
        Ok((self.ty(schema, &ctx)?, ResponseEncoding::Json))
    }
}

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

/// The schema of the operation's first 2xx JSON response.
fn success_schema(operation: &SpecOperation) -> Option<&Schema> {
    let (_, response) = operation
        .responses
        .iter()
        .find(|(status, _)| status.starts_with('2'))?;
    response.content.get(JSON)?.schema.as_ref()
}

/// The path up to its first parameter: `/v1/checkout/sessions/{session}/expire` → `/v1/checkout/sessions`.
pub(super) fn base_path(path: &str) -> &str {
    match path.find("/{") {
        Some(i) => &path[..i],
        None => path,
    }
}

/// The endpoint group of a path: its [`base_path`], or the shortest ancestor of that which is
/// itself a group, so `/v1/customers/search` joins `/v1/customers` (as Stripe's SDKs have
/// `customers.search`). Ancestors are whole segments below the version (`/v1/x`, not `/v1`).
fn group_base<'p>(path: &'p str, bases: &BTreeSet<&str>) -> &'p str {
    let base = base_path(path);
    let mut ends = base.match_indices('/').map(|(i, _)| i).skip(2);
    ends.find(|end| bases.contains(&base[..*end]))
        .map_or(base, |end| &base[..end])
}

/// A path's segments after its group base, ids as `None`.
fn segments(rest: &str) -> Vec<Option<&str>> {
    rest.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| (!s.starts_with('{')).then_some(s))
        .collect()
}

/// What method naming looks at: the path shape under the base, the verb, and whether the
/// response is a list page.
struct Shape<'p> {
    segments: Vec<Option<&'p str>>,
    method: HttpMethod,
    is_list: bool,
}

/// Stripe's SDK method names. On the group itself: `list`, `retrieve`, `create`, `update`,
/// `delete` (`update` for a `POST` on a singleton such as `/v1/balance_settings`). Below an id, the literal segments name the sub-resource, singular where an id
/// follows: `GET /{id}/refunds` → `list_refunds`, `POST` there → `create_refund` (a collection:
/// it has a list or `/{id}` below it), `GET|POST|DELETE /{id}/sources/{id}` →
/// `retrieve_source`/`update_source`/`delete_source`, `POST /{id}/sources/{id}/verify` →
/// `verify_source`, `POST /{id}/expire` → `expire` (an action), `POST /{id}/cash_balance` beside
/// a `GET` of it → `update_cash_balance`. Literal-only paths under the group (`/search`) use
/// their words as they are.
fn method_name(shape: &Shape<'_>, siblings: &[Shape<'_>]) -> String {
    let segs = &shape.segments;
    let mut words = Vec::new();
    for (i, seg) in segs.iter().enumerate() {
        if let Some(lit) = seg {
            let before_id = matches!(segs.get(i + 1), Some(None));
            words.push(if before_id {
                singular(lit)
            } else {
                (*lit).to_owned()
            });
        }
    }
    let joined = words.join("_");
    let verb = |v: &str| {
        if joined.is_empty() {
            v.to_owned()
        } else {
            format!("{v}_{joined}")
        }
    };
    let ends_in_literal = matches!(segs.last(), Some(Some(_)));
    let name = match shape.method {
        _ if segs.iter().all(Option::is_some) && !segs.is_empty() => match shape.method {
            HttpMethod::Get if shape.is_list => format!("list_{joined}"),
            HttpMethod::Delete => format!("delete_{joined}"),
            _ => joined.clone(),
        },
        HttpMethod::Get if shape.is_list => verb("list"),
        HttpMethod::Get => verb("retrieve"),
        HttpMethod::Delete => verb("delete"),
        // A singleton (`/v1/balance_settings`: a GET that is not a list) is updated, not created.
        HttpMethod::Post if segs.is_empty() => {
            let singleton = siblings
                .iter()
                .any(|s| s.segments.is_empty() && s.method == HttpMethod::Get && !s.is_list);
            if singleton { "update" } else { "create" }.to_owned()
        }
        HttpMethod::Post if !ends_in_literal => verb("update"),
        HttpMethod::Post => {
            let same_path = |s: &Shape<'_>| s.segments == *segs;
            let is_collection = siblings.iter().any(|s| {
                (same_path(s) && s.method == HttpMethod::Get && s.is_list)
                    || (s.segments.len() == segs.len() + 1
                        && s.segments.starts_with(segs)
                        && s.segments.last() == Some(&None))
            });
            let has_retrieve = siblings
                .iter()
                .any(|s| same_path(s) && s.method == HttpMethod::Get && !s.is_list);
            let (last, init) = match words.split_last() {
                Some((last, init)) => (last.clone(), init.join("_")),
                None => (String::new(), String::new()),
            };
            if is_collection {
                let mut all = words.clone();
                if let Some(last) = all.last_mut() {
                    *last = singular(last);
                }
                format!("create_{}", all.join("_"))
            } else if has_retrieve {
                verb("update")
            } else if init.is_empty() {
                last
            } else {
                // An action on a sub-resource: `verify_source`.
                format!("{last}_{init}")
            }
        }
    };
    field_name(&name)
}

/// Where Stripe's API reference documents an operation: the page
/// (`https://docs.stripe.com/api/checkout/sessions/create`) and its parameters' anchor prefix
/// (`create_checkout_session`), following the reference's naming: the page is the method, less a
/// `list_` before a sub-list; the anchor is the method and the object, plural for `list`.
fn op_reference(base: &str, method_name: &str) -> OpReference {
    let resource = resource_words(base);
    let object = if method_name == "list" {
        resource.clone()
    } else {
        singular(&resource)
    };
    let page_name = method_name.strip_prefix("list_").unwrap_or(method_name);
    OpReference {
        page: format!(
            "https://docs.stripe.com/api/{}/{page_name}",
            api_section(base)
        ),
        anchor: format!("{method_name}_{object}"),
    }
}

/// `/v1/checkout/sessions` → `checkout/sessions`.
fn api_section(base: &str) -> &str {
    let trimmed = base.trim_start_matches('/');
    trimmed.strip_prefix("v1/").unwrap_or(trimmed)
}

/// `/v1/checkout/sessions` → `checkout_sessions`.
pub(super) fn resource_words(base: &str) -> String {
    api_section(base).replace('/', "_")
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
