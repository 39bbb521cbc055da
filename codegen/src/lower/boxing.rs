//! Boxing: struct fields that would make a type contain itself by value.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::*;

/// Boxes struct fields whose type contains the struct again by value, which Rust cannot size.
pub(super) fn mark_boxed(types: &mut [TypeDef]) {
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

pub(super) fn by_value_targets(kind: &TypeKind) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    match kind {
        TypeKind::Struct(fields) => fields.iter().for_each(|f| by_value(&f.ty, &mut out)),
        TypeKind::Union(variants) => variants.iter().for_each(|v| by_value(&v.ty, &mut out)),
        TypeKind::Enum(_) => {}
    }
    out
}

/// Named types held inline (not behind a `Vec`, map or box).
pub(super) fn by_value(ty: &Ty, out: &mut BTreeSet<String>) {
    match ty {
        Ty::Named(n) => {
            out.insert(n.clone());
        }
        Ty::Unsettable(inner) => by_value(inner, out),
        _ => {}
    }
}
