//! Shares string enums that list the same values: Stripe repeats lists such as the 41 locales or
//! the ~240 `allowed_countries` in responses and params, and in each payment method's options.
//! One type per list keeps the generated code, and the build, smaller, and lets an app pass the
//! `mode` it read from a session straight into a new params value.
//!
//! Which copies are shared: those that list the same values (in order) **for fields of the same
//! name**, as async-stripe does. `coupon.object` and `discount.source.type` both list `[coupon]`,
//! but a tag of one field says nothing about the other, so each keeps a type of its own; the 41
//! `locale`s of a session and of its create params are one type.
//!
//! A shared enum's name fits every field it types and depends only on its own copies, so adding
//! or removing an unrelated schema renames nothing, and neither does a new list with the same
//! values under another field name (it never joins an existing group). The first that applies:
//!
//! 1. a name a person chose for the field's list in `codegen/shared_enum_names.yaml` (the few
//!    lists the rule below names after one copy);
//! 2. the longest run of words all the copies' names end with, when it has at least two words:
//!    a parent's name and the field's (`CheckoutSessionLocale` and `CreateCheckoutSessionLocale`
//!    → `CheckoutSessionLocale`), or the field's name alone when no other list of that field
//!    wants it (`TaxBehavior`; the two `verification_method` lists both want
//!    `VerificationMethod`, so neither has it);
//! 3. when exactly one copy is in a response, its name: the params mirror that object
//!    (`CheckoutSessionStatus` over the list filter's `ListCheckoutSessionsStatus`);
//! 4. the field's name after its nearest common parent: each copy's name without the field's
//!    words is its parent's, and the words those parents' own parents end with in common come
//!    first (`…BrandingSettingsIconType` and `…BrandingSettingsLogoType` →
//!    `CheckoutSessionBrandingSettingsType`);
//! 5. for a component enum typing fields of several names, a list of two or three values is
//!    named by them (`[auto, never]` → `AutoOrNever`); never for one field's copies, as another
//!    field's list of the same values would want the name too, and take it away;
//! 6. the shortest copy's name (ties: alphabetical).
//!
//! A candidate is passed over when a type outside the shared lists already has that name, when it
//! is another list's copy, or when another list wants it too (then neither gets it, whatever the
//! order): only lists whose names collide affect each other, and step 6 is always free. What this
//! does not promise: a new copy of the *same* field and values joins the list, and can change
//! which step names it (a second response copy passes step 3 by).
//!
//! A shared enum's doc is its copies' doc when they all say the same; otherwise a neutral one
//! naming the values, so one field's text does not describe every other field's.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::*;
use crate::names::type_name;

/// Merges the enum types of fields of one name that list the same values (in order) into one,
/// rewriting every reference.
pub fn share_enums(mut ir: Ir) -> Ir {
    share_enums_in(&mut ir);
    ir
}

fn share_enums_in(ir: &mut Ir) {
    let fields = field_names(ir);
    let mut groups: BTreeMap<(Vec<String>, String), Vec<usize>> = BTreeMap::new();
    for (i, def) in ir.types.iter().enumerate() {
        if let TypeKind::Enum(values) = &def.kind {
            let wires = values.iter().map(|v| v.wire.clone()).collect();
            let field = fields.get(def.name.as_str()).cloned().unwrap_or_default();
            groups.entry((wires, field)).or_default().push(i);
        }
    }
    // Keyed by value list and field, so the order is that of the lists, not of the spec.
    let groups: Vec<Group> = groups
        .into_iter()
        .filter(|(_, g)| g.len() > 1)
        .map(|((wires, field), members)| Group {
            wires,
            field,
            members,
        })
        .collect();
    if groups.is_empty() {
        return;
    }
    let names = shared_names(ir, &groups);
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    let mut drop = BTreeSet::new();
    for (
        Group {
            wires,
            members: group,
            ..
        },
        shared,
    ) in groups.iter().zip(names)
    {
        let keep = group[0];
        let modules: BTreeSet<&str> = group.iter().map(|&i| ir.types[i].module.as_str()).collect();
        let module = match modules.len() {
            1 => ir.types[keep].module.clone(),
            _ => SHARED_MODULE.to_owned(),
        };
        let doc = shared_doc(group.iter().map(|&i| ir.types[i].doc.as_deref()), wires);
        for &i in group {
            renames.insert(ir.types[i].name.clone(), shared.clone());
            if i != keep {
                drop.insert(i);
            }
        }
        // A type used by requests and responses needs both derives.
        let response = group
            .iter()
            .any(|&i| ir.types[i].direction == Direction::Response);
        let def = &mut ir.types[keep];
        def.name = shared;
        def.module = module;
        def.doc = doc;
        if response {
            def.direction = Direction::Response;
        }
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

/// Copies of one list of values for fields of one name.
struct Group {
    wires: Vec<String>,
    /// The wire name of the fields the copies type (names joined by `,` for an enum that types
    /// fields of several names, which lowering gives only to component enums).
    field: String,
    /// Indices of the copies in `ir.types`, in the IR's order.
    members: Vec<usize>,
}

/// The wire name of the fields each enum types, by enum name.
fn field_names(ir: &Ir) -> BTreeMap<&str, String> {
    let mut names: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for def in &ir.types {
        if let TypeKind::Struct(fields) = &def.kind {
            for field in fields {
                if let Some(name) = named(&field.ty) {
                    names.entry(name).or_default().insert(&field.wire_name);
                }
            }
        }
    }
    names
        .into_iter()
        .map(|(ty, fields)| (ty, fields.into_iter().collect::<Vec<_>>().join(",")))
        .collect()
}

/// The named type a field holds, through arrays, maps and the runtime's wrappers.
fn named(ty: &Ty) -> Option<&str> {
    match ty {
        Ty::Named(name) => Some(name),
        Ty::Array(inner)
        | Ty::Map(inner)
        | Ty::Expandable(inner)
        | Ty::Unsettable(inner)
        | Ty::List(inner) => named(inner),
        _ => None,
    }
}

/// The names people chose for some value lists: `codegen/shared_enum_names.yaml`, name → values.
const OVERRIDES: &str = include_str!("../shared_enum_names.yaml");

/// One entry of the overrides file.
#[derive(serde::Deserialize)]
struct Override {
    field: String,
    values: Vec<String>,
}

/// The overrides, by field and value list.
fn overrides() -> BTreeMap<(Vec<String>, String), String> {
    let by_name: BTreeMap<String, Override> = serde_yaml::from_str(OVERRIDES).unwrap_or_default();
    by_name
        .into_iter()
        .map(|(name, o)| ((o.values, o.field), name))
        .collect()
}

/// The name of each group (value list and its copies' indices), as the module docs say.
fn shared_names(ir: &Ir, groups: &[Group]) -> Vec<String> {
    let overrides = overrides();
    let chosen = |g: &Group| overrides.get(&(g.wires.clone(), g.field.clone())).cloned();
    let grouped: BTreeSet<usize> = groups
        .iter()
        .flat_map(|g| g.members.iter().copied())
        .collect();
    // Names of the types that keep their own: taken for every list.
    let standing: BTreeSet<&str> = ir
        .types
        .iter()
        .enumerate()
        .filter(|(i, _)| !grouped.contains(i))
        .map(|(_, t)| t.name.as_str())
        .collect();
    // Each copy's name belongs to its own list.
    let copy_of: BTreeMap<&str, usize> = groups
        .iter()
        .enumerate()
        .flat_map(|(g, group)| group.members.iter().map(move |&i| (i, g)))
        .map(|(i, g)| (ir.types[i].name.as_str(), g))
        .collect();
    let candidates: Vec<Vec<String>> = groups
        .iter()
        .map(
            |Group {
                 wires,
                 field,
                 members,
             }| match overrides.get(&(wires.clone(), field.clone())) {
                Some(name) => vec![name.clone()],
                _ => {
                    let names: Vec<&str> =
                        members.iter().map(|&i| ir.types[i].name.as_str()).collect();
                    let responses: Vec<&str> = members
                        .iter()
                        .filter(|&&i| ir.types[i].direction == Direction::Response)
                        .map(|&i| ir.types[i].name.as_str())
                        .collect();
                    let variants: Vec<&str> = match &ir.types[members[0]].kind {
                        TypeKind::Enum(values) => {
                            values.iter().map(|v| v.variant.as_str()).collect()
                        }
                        _ => Vec::new(),
                    };
                    let field = if field.contains(',') {
                        String::new()
                    } else {
                        type_name(field)
                    };
                    candidate_names(&names, &responses, &variants, &field)
                }
            },
        )
        .collect();
    // A person's choice comes first; the rule's candidates pass over it.
    let mut assigned: Vec<Option<String>> = groups.iter().map(chosen).collect();
    let mut blocked: Vec<BTreeSet<String>> = vec![BTreeSet::new(); groups.len()];
    loop {
        let taken: BTreeSet<&str> = assigned.iter().flatten().map(String::as_str).collect();
        let mut wants: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (g, cands) in candidates.iter().enumerate() {
            if assigned[g].is_some() {
                continue;
            }
            let want = cands.iter().find(|c| {
                !standing.contains(c.as_str())
                    && copy_of.get(c.as_str()).is_none_or(|&owner| owner == g)
                    && !taken.contains(c.as_str())
                    && !blocked[g].contains(*c)
            });
            // The last candidate (an own copy's name) is never blocked by the rule; numbered
            // only if a person's override took it.
            let want = want.cloned().unwrap_or_else(|| {
                let base = cands.last().cloned().unwrap_or_else(|| "Shared".to_owned());
                (2..)
                    .map(|n| format!("{base}{n}"))
                    .find(|c| {
                        !taken.contains(c.as_str())
                            && !standing.contains(c.as_str())
                            && !blocked[g].contains(c)
                    })
                    .unwrap_or_default()
            });
            wants.entry(want).or_default().push(g);
        }
        if wants.is_empty() {
            break;
        }
        for (name, wanting) in wants {
            if let [g] = wanting[..] {
                assigned[g] = Some(name);
            } else {
                for g in wanting {
                    blocked[g].insert(name.clone());
                }
            }
        }
    }
    assigned
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect()
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
        Ty::String
        | Ty::Bool
        | Ty::Integer
        | Ty::Number
        | Ty::Timestamp
        | Ty::Json
        | Ty::Bytes
        | Ty::File => {}
    }
}

/// The names a list's copies could share, best first (steps 2 to 6 of the module docs); the
/// last is always one of the copies' own names. `field` is the fields' name in UpperCamel
/// (empty when the copies type fields of several names).
fn candidate_names(
    names: &[&str],
    responses: &[&str],
    variants: &[&str],
    field: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    let field_words = camel_words(field)
        .into_iter()
        .filter(|w| !w.is_empty())
        .count();
    let split: Vec<Vec<&str>> = names.iter().map(|n| camel_words(n)).collect();
    let common = common_suffix(&split);
    if common >= 2 {
        let first = &split[0];
        out.push(first[first.len() - common..].concat());
    }
    if let [response] = responses {
        out.push((*response).to_owned());
    }
    if field_words > 0 && split.iter().all(|w| w.len() > field_words + 1) {
        // Each copy's parent's parent: the name without the field's words and one more.
        let grandparents: Vec<Vec<&str>> = split
            .iter()
            .map(|w| w[..w.len() - field_words - 1].to_vec())
            .collect();
        let common = common_suffix(&grandparents);
        if common > 0 {
            let first = &grandparents[0];
            out.push(format!("{}{field}", first[first.len() - common..].concat()));
        }
    }
    // Values say nothing of the field: another field's list of the same values would want the
    // same name, and take it away. Only an enum typing fields of several names is named by them.
    if field_words == 0 && (2..=3).contains(&variants.len()) {
        let words: Vec<&str> = variants.iter().map(|v| v.trim_end_matches('_')).collect();
        out.push(words.join("Or"));
    }
    let mut by_length: Vec<&str> = names.to_vec();
    by_length.sort_by_key(|n| (n.len(), *n));
    out.extend(by_length.iter().map(|n| (*n).to_owned()));
    out
}

/// How many words all the word lists end with in common.
fn common_suffix(split: &[Vec<&str>]) -> usize {
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
    common
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

/// The copies' doc when they all have the same one; otherwise a doc of the list's own.
fn shared_doc<'a>(
    mut docs: impl Iterator<Item = Option<&'a str>>,
    wires: &[String],
) -> Option<String> {
    let first = docs.next().flatten();
    if first.is_some() && docs.all(|d| d == first) {
        return first.map(str::to_owned);
    }
    let quoted: Vec<String> = wires.iter().map(|w| format!("`{w}`")).collect();
    let values = match quoted.len() {
        0 => String::new(),
        1 => format!("Always {}", quoted[0]),
        n if n <= 4 => format!("{} or {}", quoted[..n - 1].join(", "), quoted[n - 1]),
        n => format!("One of {n} values: {}, …", quoted[..4].join(", ")),
    };
    Some(format!(
        "{values}.\n\nOne type for every field that takes exactly these values; each field's doc says what they mean there."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_come_from_the_copies_alone() {
        assert_eq!(
            candidate_names(
                &["CheckoutSessionLocale", "CreateCheckoutSessionLocale"],
                &["CheckoutSessionLocale"],
                &["Auto", "Bg", "Cs", "Da"],
                "Locale",
            )[0],
            "CheckoutSessionLocale"
        );
        assert_eq!(
            candidate_names(
                &["AutomaticTaxLiabilityType", "InvoiceLiabilityType"],
                &[],
                &["Account", "Self_", "Platform", "Other"],
                "Type",
            ),
            [
                "LiabilityType",
                "InvoiceLiabilityType",
                "AutomaticTaxLiabilityType"
            ]
        );
        assert_eq!(
            candidate_names(
                &["CustomerUpdateName", "WalletOptionsDisplay"],
                &["WalletOptionsDisplay"],
                &["Auto", "Never"],
                "",
            )[1],
            "AutoOrNever"
        );
        assert_eq!(
            candidate_names(
                &["CheckoutSessionStatus", "ListCheckoutSessionsStatus"],
                &["CheckoutSessionStatus"],
                &["Complete", "Expired", "Open"],
                "Status",
            )[0],
            "CheckoutSessionStatus"
        );
        // Two responses: named from the field and the parents' common parent, not from one.
        assert_eq!(
            candidate_names(
                &[
                    "PaymentPagesCheckoutSessionBrandingSettingsIconType",
                    "PaymentPagesCheckoutSessionBrandingSettingsLogoType",
                    "CreateCheckoutSessionBrandingSettingsIconType",
                ],
                &[
                    "PaymentPagesCheckoutSessionBrandingSettingsIconType",
                    "PaymentPagesCheckoutSessionBrandingSettingsLogoType",
                ],
                &["File", "Url"],
                "Type",
            )[0],
            "CheckoutSessionBrandingSettingsType"
        );
        // Values name only a component enum typing fields of several names.
        assert_eq!(
            candidate_names(&["AType", "BType"], &[], &["Account", "Self_"], "Type"),
            ["AType", "BType"]
        );
        assert_eq!(
            candidate_names(&["AType", "BKind"], &[], &["Account", "Self_"], "")[0],
            "AccountOrSelf"
        );
        assert_eq!(camel_words("Es419Locale"), ["Es419", "Locale"]);
    }

    #[test]
    fn the_overrides_file_parses_and_names_distinct_lists() {
        let by_name: BTreeMap<String, Override> = serde_yaml::from_str(OVERRIDES).unwrap();
        assert_eq!(overrides().len(), by_name.len(), "two names for one list");
    }

    #[test]
    fn shared_docs_are_their_own_unless_the_copies_agree() {
        let wires = ["auto".to_owned(), "never".to_owned()];
        assert_eq!(
            shared_doc([Some("Same."), Some("Same.")].into_iter(), &wires).as_deref(),
            Some("Same.")
        );
        let doc = shared_doc([Some("Link's text."), Some("Other.")].into_iter(), &wires).unwrap();
        assert!(doc.starts_with("`auto` or `never`."), "{doc}");
    }
}
