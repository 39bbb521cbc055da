//! Which generated module each component schema lands in.

use std::collections::{BTreeMap, BTreeSet};

use super::{PRUNED_MODULE, SCHEMA_PREFIX, SHARED_MODULE};
use crate::names::module_name;
use crate::spec::{AdditionalProperties, Schema, Spec};

/// Assigns each component schema to a generated module: the resource an operation returns whose
/// closure is smallest among those that reach it (so line-item types sit with `item`, not with the
/// session that embeds them); pruned stubs go together; the rest is shared.
pub(super) fn assign_modules(spec: &Spec) -> BTreeMap<String, String> {
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
pub(super) fn resource_of(schema: &Schema) -> Option<String> {
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
pub(super) fn closure(spec: &Spec, root: &str) -> BTreeSet<String> {
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

pub(super) fn visit_refs(schema: &Schema, f: &mut dyn FnMut(&str)) {
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
