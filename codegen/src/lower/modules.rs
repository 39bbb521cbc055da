//! Which generated module each component schema lands in.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::types::is_list_page;
use super::SCHEMA_PREFIX;
use crate::ir::{PRUNED_MODULE, SHARED_MODULE};
use crate::names::module_name;
use crate::spec::{AdditionalProperties, Schema, Spec};

/// Assigns each component schema to a generated module. Every resource an operation returns
/// (a root) gets its own module, named after it (`deleted_<x>` joins `<x>`). Every other schema
/// joins the root nearest to it by `$ref` hops, not passing through another root, ties going to
/// the root first in name order; so `checkout.session`'s own types sit with it, line-item types
/// with `item`, and nothing piles up in whichever resource reaches the most. Pruned stubs go
/// together; schemas no root reaches are shared.
pub(super) fn assign_modules(spec: &Spec) -> BTreeMap<String, String> {
    let schemas = &spec.components.schemas;
    let mut roots = BTreeSet::new();
    for item in spec.paths.values() {
        for operation in [&item.get, &item.post, &item.delete].into_iter().flatten() {
            for response in operation.responses.values() {
                for media in response.content.values() {
                    if let Some(root) = media.schema.as_ref().and_then(|s| resource_of(spec, s)) {
                        if schemas.contains_key(&root) {
                            roots.insert(root);
                        }
                    }
                }
            }
        }
    }
    // Multi-source breadth-first search from all roots at once: the first root to reach a
    // schema is the nearest.
    let mut owner: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::new();
    for root in &roots {
        owner.insert(root, root);
        queue.push_back(root.as_str());
    }
    while let Some(name) = queue.pop_front() {
        let Some(schema) = schemas.get(name) else {
            continue;
        };
        let root = owner[name];
        visit_refs(schema, &mut |r| {
            let Some((target, _)) = r
                .strip_prefix(SCHEMA_PREFIX)
                .and_then(|t| schemas.get_key_value(t))
            else {
                return;
            };
            if !owner.contains_key(target.as_str()) {
                owner.insert(target, root);
                queue.push_back(target);
            }
        });
    }
    let module_of_root = |root: &str| match root.strip_prefix("deleted_") {
        Some(live) if roots.contains(live) => module_name(live),
        _ => module_name(root),
    };
    schemas
        .iter()
        .map(|(name, schema)| {
            let module = match owner.get(name.as_str()) {
                _ if schema.pruned => PRUNED_MODULE.to_owned(),
                Some(root) => module_of_root(root),
                None => SHARED_MODULE.to_owned(),
            };
            (name.clone(), module)
        })
        .collect()
}

/// The component an operation response is about: a `$ref` (through a named list-page component
/// to its items), or the items of an inline list page.
pub(super) fn resource_of(spec: &Spec, schema: &Schema) -> Option<String> {
    let own = |schema: &Schema| -> Option<String> {
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
    };
    let target = own(schema)?;
    match spec.components.schemas.get(&target) {
        Some(component) if is_list_page(component) => own(component).or(Some(target)),
        _ => Some(target),
    }
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
