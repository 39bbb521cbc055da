//! Boxing: struct fields that would make a type contain itself by value, and optional nested
//! response structs whose inline space would be wasted whenever they are absent.

use std::collections::BTreeMap;

use crate::ir::*;

/// Boxes struct fields whose type contains the struct again by value, which Rust cannot size.
/// A field of `Owner` holding `T` by value closes such a cycle exactly when `T` reaches `Owner`
/// back, i.e. when both sit in one strongly connected component of the by-value graph; the
/// components are computed once (Tarjan), so this is linear in the number of fields.
pub(super) fn mark_boxed(types: &mut [TypeDef]) {
    let index: BTreeMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            by_value_targets(&t.kind, &mut |name| out.extend(index.get(name)));
            out
        })
        .collect();
    let component = strongly_connected(&edges);
    for (owner, def) in types.iter_mut().enumerate() {
        if let TypeKind::Struct(fields) = &mut def.kind {
            for field in fields {
                let mut boxed = false;
                by_value(&field.ty, &mut |name| {
                    if let Some(&target) = index.get(name) {
                        boxed |= component[target] == component[owner];
                    }
                });
                field.boxed = boxed;
            }
        }
    }
}

/// A pointer: what a boxed field takes in its parent (`Option<Box<T>>` too).
const POINTER: usize = 8;

/// Optional nested types held inline take at most this many bytes (four words); larger ones go
/// behind a `Box`. Smaller ones (`{enabled: bool}` and its `extra`, 16 bytes) stay inline: when
/// present, a box would cost its pointer and the allocator's overhead on top of the value.
pub const INLINE_LIMIT: usize = 16;

/// Boxes the optional (or nullable) fields of response structs whose type is a struct, union or
/// list page that would take more than [`INLINE_LIMIT`] bytes inline: most of them are absent
/// from any one object (a session has a few dozen such sub-objects, most of them `null`), and a
/// box is one pointer when absent, while an inline `Option<T>` is the whole of `T` either way.
///
/// Sizes are measured on the IR with a model of Rust's layout on 64-bit targets
/// ([`inline_size`]), bottom-up, so a parent is measured with its children already boxed.
/// Request params are left as they are: they are built by hand, where a `Box` would be in the
/// way, and one is alive per call.
pub(super) fn box_large_optionals(types: &mut [TypeDef]) {
    let index: BTreeMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    let mut sizes: Vec<Option<usize>> = vec![None; types.len()];
    for i in 0..types.len() {
        measure(types, &index, &mut sizes, i, &mut Vec::new());
    }
}

/// The inline size of `types[i]`, boxing its large optional fields first (memoised; `stack`
/// guards against by-value cycles, which `mark_boxed` has already broken).
fn measure(
    types: &mut [TypeDef],
    index: &BTreeMap<String, usize>,
    sizes: &mut Vec<Option<usize>>,
    i: usize,
    stack: &mut Vec<usize>,
) -> usize {
    if let Some(size) = sizes[i] {
        return size;
    }
    if stack.contains(&i) {
        return POINTER;
    }
    stack.push(i);
    let size = match types[i].kind.clone() {
        TypeKind::Enum(_) => 24,
        TypeKind::Union(variants) => {
            let largest = variants
                .iter()
                .map(|v| ty_size(types, index, sizes, &v.ty, stack))
                .max()
                .unwrap_or(0);
            // The tag, and `Unknown(serde_json::Value)` for response unions.
            largest.max(32) + 8
        }
        TypeKind::Struct(mut fields) => {
            let response = types[i].direction == Direction::Response;
            let mut total = if response { POINTER } else { 0 }; // `extra`: `ExtraFields`
            for field in &mut fields {
                let optional = field.optional || field.nullable;
                let mut size = if field.boxed {
                    POINTER
                } else {
                    ty_size(types, index, sizes, &field.ty, stack)
                };
                let nested = match &field.ty {
                    Ty::Named(name) => index
                        .get(name)
                        .is_some_and(|&t| !matches!(types[t].kind, TypeKind::Enum(_))),
                    Ty::List(_) => true,
                    _ => false,
                };
                if response && optional && nested && !field.boxed && size > INLINE_LIMIT {
                    field.boxed = true;
                    size = POINTER;
                }
                if optional && !has_niche(&field.ty, field.boxed) {
                    size += 8;
                }
                total += size;
            }
            types[i].kind = TypeKind::Struct(fields);
            total
        }
    };
    stack.pop();
    sizes[i] = Some(size);
    size
}

/// The inline size of a field type (before any `Option`), rounded to 8 bytes.
fn ty_size(
    types: &mut [TypeDef],
    index: &BTreeMap<String, usize>,
    sizes: &mut Vec<Option<usize>>,
    ty: &Ty,
    stack: &mut Vec<usize>,
) -> usize {
    match ty {
        Ty::String | Ty::Array(_) | Ty::Map(_) | Ty::Bytes | Ty::Expandable(_) => 24,
        Ty::Bool => 8,
        Ty::Integer | Ty::Number | Ty::Timestamp => 8,
        Ty::Json => 32,
        Ty::List(_) => 80,
        Ty::Unsettable(inner) => ty_size(types, index, sizes, inner, stack),
        Ty::Named(name) => match index.get(name) {
            Some(&t) => measure(types, index, sizes, t, stack),
            None => POINTER,
        },
    }
}

/// Whether `Option` of this type needs no extra tag (a pointer, a `String`, a `bool` inside).
fn has_niche(ty: &Ty, boxed: bool) -> bool {
    boxed || !matches!(ty, Ty::Integer | Ty::Number | Ty::Timestamp | Ty::Map(_))
}

fn by_value_targets(kind: &TypeKind, f: &mut dyn FnMut(&str)) {
    match kind {
        TypeKind::Struct(fields) => fields.iter().for_each(|field| by_value(&field.ty, f)),
        TypeKind::Union(variants) => variants.iter().for_each(|v| by_value(&v.ty, f)),
        TypeKind::Enum(_) => {}
    }
}

/// Named types held inline (not behind a `Vec`, map or box).
fn by_value(ty: &Ty, f: &mut dyn FnMut(&str)) {
    match ty {
        Ty::Named(n) => f(n),
        Ty::Unsettable(inner) => by_value(inner, f),
        _ => {}
    }
}

/// Tarjan's algorithm, iterative (the graph can be thousands deep): the component of each node.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![UNSEEN; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, next edge to look at)
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[node] == UNSEEN {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&next) = edges[node].get(*edge) {
                *edge += 1;
                if index[next] == UNSEEN {
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    #[test]
    fn components_follow_cycles_only() {
        // 0 → 1 → 2 → 0 is a cycle; 3 → 0 and 4 (self loop) are not part of it.
        let edges = vec![vec![1], vec![2], vec![0], vec![0], vec![4]];
        let c = strongly_connected(&edges);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
        assert_ne!(c[4], c[3]);
    }
}
