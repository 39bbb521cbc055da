//! Boxing, the stage after [`crate::dedup`]: struct fields that would make a type contain itself
//! by value, and optional nested response structs whose inline space would be wasted whenever
//! they are absent. It runs on the shared types, so a shared enum is measured once.

use std::collections::BTreeMap;

use crate::ir::*;

/// Sets [`Field::boxed`] on every struct field: first to break by-value cycles
/// (`mark_boxed`), then for large optional sub-objects (`box_large_optionals`).
pub fn box_fields(mut ir: Ir) -> Ir {
    mark_boxed(&mut ir.types);
    box_large_optionals(&mut ir.types);
    ir
}

/// Boxes struct fields whose type contains the struct again by value, which Rust cannot size.
/// A field of `Owner` holding `T` by value closes such a cycle exactly when `T` reaches `Owner`
/// back, i.e. when both sit in one strongly connected component of the by-value graph; the
/// components are computed once (Tarjan), so this is linear in the number of fields.
fn mark_boxed(types: &mut [TypeDef]) {
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

/// An optional nested value (`Option<T>`, its tag included) held inline takes at most this many
/// bytes (three words); a larger one goes behind a `Box`.
///
/// Why three: a box costs its pointer when the value is absent, and the pointer plus the
/// allocation (the value and glibc's 8-byte header, in 16-byte steps, 32 at least) when present.
/// At even odds of presence that is a loss up to 16 bytes, a tie at 24 and 32, and a gain from 40
/// on. Stripe sends many sub-objects on every session, most of them full of `null`s, so ties stay
/// inline. Measured (`cargo xtask bench`, peak RSS per held session) against 16 and 32 on the
/// 2026, 2023 and API-reference sessions, 24 is the best on the first and within 1.5% of the
/// best on the others.
pub const INLINE_LIMIT: usize = 24;

/// Boxes the optional (or nullable) fields of response structs whose type is a struct, union or
/// list page that would take more than [`INLINE_LIMIT`] bytes inline, so an object holds a
/// pointer, not the whole of `T`, for each sub-object it lacks.
///
/// A struct made only of optional sub-objects is a table of alternatives, of which an object
/// holds few (`payment_method_options` has one entry per payment method, and usually `{}`):
/// all its fields are boxed, whatever their size.
///
/// Sizes are measured on the IR with a model of Rust's layout on 64-bit targets
/// ([`Layout`]), bottom-up, so a parent is measured with its children already boxed.
/// Request params are left as they are: they are built by hand, where a `Box` would be in the
/// way, and one is alive per call.
fn box_large_optionals(types: &mut [TypeDef]) {
    let index: BTreeMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    let mut sizes: Vec<Option<Layout>> = vec![None; types.len()];
    for i in 0..types.len() {
        measure(types, &index, &mut sizes, i, &mut Vec::new());
    }
}

/// What the model knows of a type's layout: its size, and how many spare bit patterns (niches)
/// it has for `Option` to use for `None` instead of adding a tag.
#[derive(Clone, Copy)]
struct Layout {
    size: usize,
    spare: Spare,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Spare {
    /// Every bit pattern is a value (`i64`, `Option<Box<T>>`, `ExtraFields`).
    None,
    /// Exactly one (the null of a `Box`).
    One,
    /// Plenty (a `String`'s capacity above `isize::MAX`, a `bool`, an enum's tag).
    Many,
}

impl Layout {
    const fn new(size: usize, spare: Spare) -> Self {
        Layout { size, spare }
    }

    /// The layout of `Option<Self>`.
    fn optional(self) -> Self {
        match self.spare {
            Spare::None => Layout::new(self.size + 8, Spare::Many),
            Spare::One => Layout::new(self.size, Spare::None),
            Spare::Many => self,
        }
    }
}

/// What a boxed field takes in its parent.
const BOXED: Layout = Layout::new(POINTER, Spare::One);

/// The layout of `types[i]`, boxing its large optional fields first (memoised; `stack`
/// guards against by-value cycles, which `mark_boxed` has already broken).
fn measure(
    types: &mut [TypeDef],
    index: &BTreeMap<String, usize>,
    sizes: &mut Vec<Option<Layout>>,
    i: usize,
    stack: &mut Vec<usize>,
) -> Layout {
    if let Some(layout) = sizes[i] {
        return layout;
    }
    if stack.contains(&i) {
        return BOXED;
    }
    stack.push(i);
    let layout = match types[i].kind.clone() {
        // A tag, and `Unknown(UnknownValue)`: one pointer.
        TypeKind::Enum(_) => Layout::new(16, Spare::Many),
        TypeKind::Union(variants) => {
            let largest = variants
                .iter()
                .map(|v| ty_layout(types, index, sizes, &v.ty, stack).size)
                .max()
                .unwrap_or(0);
            // The tag, and `Unknown(serde_json::Value)` for response unions.
            Layout::new(largest.max(32) + 8, Spare::Many)
        }
        TypeKind::Struct(mut fields) => {
            let response = types[i].direction == Direction::Response;
            // `extra`: `ExtraFields`.
            let mut total = Layout::new(if response { POINTER } else { 0 }, Spare::None);
            let nested: Vec<bool> = fields
                .iter()
                .map(|f| is_nested(types, index, &f.ty))
                .collect();
            // A table of alternatives (see `box_large_optionals`).
            let table = fields
                .iter()
                .zip(&nested)
                .all(|(f, &nested)| (f.optional || f.nullable) && nested);
            let limit = if table { 0 } else { INLINE_LIMIT };
            for (field, &nested) in fields.iter_mut().zip(&nested) {
                let optional = field.optional || field.nullable;
                let mut layout = if field.boxed {
                    BOXED
                } else {
                    ty_layout(types, index, sizes, &field.ty, stack)
                };
                if optional {
                    layout = layout.optional();
                }
                if response && optional && nested && !field.boxed && layout.size > limit {
                    field.boxed = true;
                    layout = BOXED.optional();
                }
                // Rust stores `None` of the struct in its field with the most spare patterns.
                total = Layout::new(total.size + layout.size, total.spare.max(layout.spare));
            }
            types[i].kind = TypeKind::Struct(fields);
            total
        }
    };
    stack.pop();
    sizes[i] = Some(layout);
    layout
}

/// Whether values of `ty` are nested objects (a struct, union or list page), as opposed to
/// scalars, enums and plain lists.
fn is_nested(types: &[TypeDef], index: &BTreeMap<String, usize>, ty: &Ty) -> bool {
    match ty {
        Ty::Named(name) => index
            .get(name)
            .is_some_and(|&t| !matches!(types[t].kind, TypeKind::Enum(_))),
        Ty::List(_) => true,
        _ => false,
    }
}

/// The inline layout of a field type (before any `Option`), sizes rounded to 8 bytes.
fn ty_layout(
    types: &mut [TypeDef],
    index: &BTreeMap<String, usize>,
    sizes: &mut Vec<Option<Layout>>,
    ty: &Ty,
    stack: &mut Vec<usize>,
) -> Layout {
    match ty {
        Ty::String | Ty::Array(_) | Ty::Bytes | Ty::Expandable(_) => Layout::new(24, Spare::Many),
        // A `BTreeMap`'s root pointer already holds the empty map in its null.
        Ty::Map(_) => Layout::new(24, Spare::None),
        Ty::Bool => Layout::new(8, Spare::Many),
        Ty::Integer | Ty::Number | Ty::Timestamp => Layout::new(8, Spare::None),
        Ty::Json => Layout::new(32, Spare::Many),
        Ty::List(_) => Layout::new(80, Spare::Many),
        // Two `String`s and a `Vec<u8>`.
        Ty::File => Layout::new(72, Spare::Many),
        Ty::Unsettable(inner) => ty_layout(types, index, sizes, inner, stack),
        Ty::Named(name) => match index.get(name) {
            Some(&t) => measure(types, index, sizes, t, stack),
            None => BOXED,
        },
    }
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
