//! Boxing: struct fields that would make a type contain itself by value.

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
