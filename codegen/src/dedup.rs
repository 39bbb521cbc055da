//! Shares string enums that list the same values: Stripe repeats lists such as the 41 locales or
//! the ~240 `allowed_countries` in responses and params, and in each payment method's options.
//! One type per list keeps the generated code, and the build, smaller, and lets an app pass the
//! `mode` it read from a session straight into a new params value.
//!
//! The shared name is the longest run of words all the copies' names end with
//! (`CheckoutSessionLocale` and `CreateCheckoutSessionLocale` → `CheckoutSessionLocale`), when
//! that run has at least two words and names no other type. Otherwise, when the copies at least
//! end in the same word, a response copy's name (`CheckoutSessionStatus` over the list filter's
//! `ListCheckoutSessionStatus`); else a list of up to three values is named by them
//! (`[auto, never]` → `AutoOrNever`), and a longer one takes the shortest copy's name (ties:
//! alphabetical). All depend only on the copies themselves, not on emission
//! order, so names stay put as the spec grows elsewhere.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::*;
use crate::lower::SHARED_MODULE;

/// Merges enum types with identical values (in order) into one, rewriting every reference.
pub fn share_enums(ir: &mut Ir) {
    let mut groups: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
    for (i, def) in ir.types.iter().enumerate() {
        if let TypeKind::Enum(values) = &def.kind {
            let wires = values.iter().map(|v| v.wire.clone()).collect();
            groups.entry(wires).or_default().push(i);
        }
    }
    let taken: BTreeSet<String> = ir.types.iter().map(|t| t.name.clone()).collect();
    let mut claimed = BTreeSet::new();
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    let mut drop = BTreeSet::new();
    // Groups in order of their first member, so claims are deterministic.
    let mut ordered: Vec<&Vec<usize>> = groups.values().filter(|g| g.len() > 1).collect();
    ordered.sort_by_key(|g| g[0]);
    for group in ordered {
        let names: Vec<&str> = group.iter().map(|&i| ir.types[i].name.as_str()).collect();
        let values: Vec<&str> = match &ir.types[group[0]].kind {
            TypeKind::Enum(values) => values.iter().map(|v| v.variant.as_str()).collect(),
            _ => Vec::new(),
        };
        let responses: Vec<&str> = group
            .iter()
            .filter(|&&i| ir.types[i].direction == Direction::Response)
            .map(|&i| ir.types[i].name.as_str())
            .collect();
        let shared = shared_name(&names, &responses, &values, &taken, &claimed);
        claimed.insert(shared.clone());
        let keep = group[0];
        let modules: BTreeSet<&str> = group.iter().map(|&i| ir.types[i].module.as_str()).collect();
        let module = match modules.len() {
            1 => ir.types[keep].module.clone(),
            _ => SHARED_MODULE.to_owned(),
        };
        let doc = common_doc(group.iter().map(|&i| ir.types[i].doc.as_deref()));
        for &i in group {
            renames.insert(ir.types[i].name.clone(), shared.clone());
            if i != keep {
                drop.insert(i);
            }
        }
        let def = &mut ir.types[keep];
        def.name = shared;
        def.module = module;
        def.doc = doc;
        // A type used by requests and responses needs both derives.
        if group
            .iter()
            .any(|&i| ir.types[i].direction == Direction::Response)
        {
            ir.types[keep].direction = Direction::Response;
        }
    }
    if renames.is_empty() {
        return;
    }
    let mut i = 0;
    ir.types.retain(|_| {
        i += 1;
        !drop.contains(&(i - 1))
    });
    for def in &mut ir.types {
        match &mut def.kind {
            TypeKind::Struct(fields) => {
                for field in fields {
                    rename(&mut field.ty, &renames);
                }
            }
            TypeKind::Union(variants) => {
                for variant in variants {
                    rename(&mut variant.ty, &renames);
                }
            }
            TypeKind::Enum(_) => {}
        }
    }
    for operation in ir.services.iter_mut().flat_map(|s| &mut s.operations) {
        rename(&mut operation.response, &renames);
    }
}

fn rename(ty: &mut Ty, renames: &BTreeMap<String, String>) {
    match ty {
        Ty::Named(name) => {
            if let Some(new) = renames.get(name) {
                *name = new.clone();
            }
        }
        Ty::Array(inner)
        | Ty::Map(inner)
        | Ty::Expandable(inner)
        | Ty::Unsettable(inner)
        | Ty::List(inner) => rename(inner, renames),
        Ty::String | Ty::Bool | Ty::Integer | Ty::Number | Ty::Timestamp | Ty::Json | Ty::Bytes => {
        }
    }
}

/// The name the copies share; see the module docs.
fn shared_name(
    names: &[&str],
    responses: &[&str],
    variants: &[&str],
    taken: &BTreeSet<String>,
    claimed: &BTreeSet<String>,
) -> String {
    let own: BTreeSet<&str> = names.iter().copied().collect();
    let free = |candidate: &str| {
        (own.contains(candidate) || !taken.contains(candidate)) && !claimed.contains(candidate)
    };
    let split: Vec<Vec<&str>> = names.iter().map(|n| camel_words(n)).collect();
    let shortest = split.iter().map(Vec::len).min().unwrap_or(0);
    let mut common = 0;
    while common < shortest {
        let word = split[0][split[0].len() - 1 - common];
        if split.iter().all(|w| w[w.len() - 1 - common] == word) {
            common += 1;
        } else {
            break;
        }
    }
    if common >= 2 {
        let first = &split[0];
        let suffix = first[first.len() - common..].concat();
        if free(&suffix) {
            return suffix;
        }
    }
    if common == 1 {
        let mut responses = responses.to_vec();
        responses.sort_by_key(|n| (n.len(), *n));
        if let Some(name) = responses.into_iter().find(|n| free(n)) {
            return name.to_owned();
        }
    }
    if (2..=3).contains(&variants.len()) {
        let words: Vec<&str> = variants.iter().map(|v| v.trim_end_matches('_')).collect();
        let by_values = words.join("Or");
        if free(&by_values) {
            return by_values;
        }
    }
    let mut by_length: Vec<&str> = names.to_vec();
    by_length.sort_by_key(|n| (n.len(), *n));
    by_length
        .iter()
        .find(|n| free(n))
        .map(|n| (*n).to_owned())
        // Every copy's own name is free unless an earlier group took it; number the shortest.
        .unwrap_or_else(|| {
            let base = by_length.first().copied().unwrap_or("Shared");
            (2..)
                .map(|n| format!("{base}{n}"))
                .find(|c| free(c))
                .unwrap_or_default()
        })
}

/// `CheckoutSessionLocale` → `["Checkout", "Session", "Locale"]`; digits stay with the word
/// before them (`Es419`), and a `_` (as in `Self_`) ends a word.
fn camel_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            words.push(&name[start..i]);
            start = i;
        }
    }
    words.push(&name[start..]);
    words
}

/// The first copy's doc, if any has one (copies of one list describe the same thing).
fn common_doc<'a>(mut docs: impl Iterator<Item = Option<&'a str>>) -> Option<String> {
    docs.find_map(|d| d.map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_names() {
        let none = BTreeSet::new();
        assert_eq!(
            shared_name(
                &["CheckoutSessionLocale", "CreateCheckoutSessionLocale"],
                &["CheckoutSessionLocale"],
                &["Auto", "Bg", "Cs", "Da"],
                &none,
                &none
            ),
            "CheckoutSessionLocale"
        );
        let taken: BTreeSet<String> = ["LiabilityType".to_owned()].into();
        assert_eq!(
            shared_name(
                &["AutomaticTaxLiabilityType", "InvoiceLiabilityType"],
                &[],
                &["Account", "Self_", "Platform", "Other"],
                &taken,
                &none
            ),
            "InvoiceLiabilityType"
        );
        assert_eq!(
            shared_name(
                &["IssuerType", "LiabilityType"],
                &[],
                &["A", "B", "C", "D"],
                &none,
                &none
            ),
            "IssuerType"
        );
        assert_eq!(
            shared_name(
                &["CustomerUpdateName", "WalletOptionsDisplay"],
                &["WalletOptionsDisplay"],
                &["Auto", "Never"],
                &none,
                &none
            ),
            "AutoOrNever"
        );
        assert_eq!(
            shared_name(
                &["CheckoutSessionStatus", "ListCheckoutSessionsStatus"],
                &["CheckoutSessionStatus"],
                &["Complete", "Expired", "Open"],
                &none,
                &none
            ),
            "CheckoutSessionStatus"
        );
        assert_eq!(
            shared_name(
                &["AType", "BType"],
                &[],
                &["Account", "Self_"],
                &none,
                &none
            ),
            "AccountOrSelf"
        );
        assert_eq!(camel_words("Es419Locale"), ["Es419", "Locale"]);
    }
}
