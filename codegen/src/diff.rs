//! What an API upgrade changes for Rust users: two lowered specs compared as the generated code
//! sees them (operations, params and response fields with their Rust types, `Option`-ness and
//! enum values), each change marked breaking or not. `cargo xtask api-diff` prints it as Markdown
//! for the changelog, so a reviewer reads a page instead of a 15,000-line snapshot diff.
//!
//! Types are matched by the spec location they come from (their JSON pointer), which survives
//! renames, and fields by their wire name. What counts as breaking, for code written against the
//! old version:
//! - removing an operation, a field or an enum value, or changing a field's Rust type
//!   (including a rename of the type it names);
//! - a field becoming or ceasing to be an `Option`;
//! - a new *required* request param (it joins the params' `new(...)` arguments).
//!
//! Adding operations, optional params, response fields or enum values is not: response structs
//! are only read, params are built with `new()`/`Default` and enums are `#[non_exhaustive]`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::ir::*;

/// One change between two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Whether code written against the old version may stop compiling or change meaning.
    pub breaking: bool,
    /// The heading it is listed under: an operation group or a type.
    pub subject: String,
    /// What changed, in Markdown.
    pub text: String,
}

/// The changes from `old` to `new`, in a stable order (operations first, then types by pointer).
pub fn diff(old: &Ir, new: &Ir) -> Vec<Change> {
    let mut changes = Vec::new();
    operations(old, new, &mut changes);
    types(old, new, &mut changes);
    changes
}

fn operations(old: &Ir, new: &Ir, out: &mut Vec<Change>) {
    let index = |ir: &Ir| -> BTreeMap<(String, String), (String, Operation)> {
        ir.services
            .iter()
            .flat_map(|s| {
                s.operations.iter().map(move |o| {
                    (
                        (o.path.clone(), o.http_method.verb().to_owned()),
                        (s.name.clone(), o.clone()),
                    )
                })
            })
            .collect()
    };
    let (before, after) = (index(old), index(new));
    let subject = "Operations".to_owned();
    for (key, (service, op)) in &after {
        match before.get(key) {
            None => out.push(Change {
                breaking: false,
                subject: subject.clone(),
                text: format!(
                    "added `{service}::{}` (`{} {}`, params `{}` as {}{})",
                    op.method_name,
                    key.1,
                    key.0,
                    op.params,
                    op.body.label(),
                    match &op.response_encoding {
                        ResponseEncoding::Binary(media) => format!(", answers {media}"),
                        ResponseEncoding::Json => String::new(),
                    }
                ),
            }),
            Some((old_service, old_op)) => {
                if old_op.method_name != op.method_name || *old_service != *service {
                    out.push(Change {
                        breaking: true,
                        subject: subject.clone(),
                        text: format!(
                            "`{} {}` renamed: `{old_service}::{}` → `{service}::{}`",
                            key.1, key.0, old_op.method_name, op.method_name
                        ),
                    });
                }
                if old_op.response != op.response {
                    out.push(Change {
                        breaking: true,
                        subject: subject.clone(),
                        text: format!(
                            "`{service}::{}` returns `{}` instead of `{}`",
                            op.method_name,
                            op.response.rust_name(),
                            old_op.response.rust_name()
                        ),
                    });
                }
                // The wire changes; the Rust call does not.
                if old_op.body != op.body {
                    out.push(Change {
                        breaking: false,
                        subject: subject.clone(),
                        text: format!(
                            "`{service}::{}` sends its params as {} instead of {}",
                            op.method_name,
                            op.body.label(),
                            old_op.body.label()
                        ),
                    });
                }
                if old_op.server != op.server {
                    out.push(Change {
                        breaking: false,
                        subject: subject.clone(),
                        text: format!(
                            "`{service}::{}` is served from {} instead of {}",
                            op.method_name,
                            op.server.as_deref().unwrap_or("the API's origin"),
                            old_op.server.as_deref().unwrap_or("the API's origin")
                        ),
                    });
                }
                if old_op.params != op.params {
                    out.push(Change {
                        breaking: true,
                        subject: subject.clone(),
                        text: format!(
                            "`{service}::{}` takes `{}` instead of `{}`",
                            op.method_name, op.params, old_op.params
                        ),
                    });
                }
            }
        }
    }
    for (key, (service, op)) in &before {
        if !after.contains_key(key) {
            out.push(Change {
                breaking: true,
                subject: subject.clone(),
                text: format!(
                    "removed `{service}::{}` (`{} {}`)",
                    op.method_name, key.1, key.0
                ),
            });
        }
    }
}

fn types(old: &Ir, new: &Ir, out: &mut Vec<Change>) {
    let by_pointer = |ir: &Ir| -> BTreeMap<String, TypeDef> {
        ir.types
            .iter()
            .map(|t| (t.pointer.clone(), t.clone()))
            .collect()
    };
    let (before, after) = (by_pointer(old), by_pointer(new));
    let enums = |ir: &Ir| -> BTreeMap<String, Vec<String>> {
        ir.types
            .iter()
            .filter_map(|t| match &t.kind {
                TypeKind::Enum(values) => Some((
                    t.name.clone(),
                    values.iter().map(|v| v.wire.clone()).collect(),
                )),
                _ => None,
            })
            .collect()
    };
    let (old_enums, new_enums) = (enums(old), enums(new));
    let mut enums_reported = BTreeSet::new();
    // Listed after the types, once per enum however many fields share it.
    let mut enum_changes = Vec::new();

    // Only component schemas are reported as whole types: an inline type appears and disappears
    // with the field that holds it, which is reported on its parent.
    for (pointer, def) in &after {
        if is_component(pointer) && !before.contains_key(pointer) {
            out.push(Change {
                breaking: false,
                subject: "Types".to_owned(),
                text: format!("added `{}` (`{pointer}`)", def.name),
            });
        }
    }
    for (pointer, def) in &before {
        if is_component(pointer) && !after.contains_key(pointer) {
            out.push(Change {
                breaking: true,
                subject: "Types".to_owned(),
                text: format!("removed `{}` (`{pointer}`)", def.name),
            });
        }
    }

    for (pointer, new_def) in &after {
        let Some(old_def) = before.get(pointer) else {
            continue;
        };
        let subject = if old_def.name == new_def.name {
            format!("`{}`", new_def.name)
        } else {
            format!("`{}` (was `{}`)", new_def.name, old_def.name)
        };
        let mut push = |breaking: bool, text: String| {
            out.push(Change {
                breaking,
                subject: subject.clone(),
                text,
            })
        };
        if old_def.name != new_def.name && !matches!(new_def.kind, TypeKind::Enum(_)) {
            push(true, format!("renamed from `{}`", old_def.name));
        }
        let (TypeKind::Struct(old_fields), TypeKind::Struct(new_fields)) =
            (&old_def.kind, &new_def.kind)
        else {
            continue;
        };
        let request = new_def.direction == Direction::Request;
        let old_by_wire: BTreeMap<&str, &Field> = old_fields
            .iter()
            .map(|f| (f.wire_name.as_str(), f))
            .collect();
        let new_by_wire: BTreeMap<&str, &Field> = new_fields
            .iter()
            .map(|f| (f.wire_name.as_str(), f))
            .collect();
        for (wire, field) in &new_by_wire {
            let Some(old_field) = old_by_wire.get(wire) else {
                let required = request && !field.optional;
                push(
                    required,
                    format!(
                        "added {}`{}: {}`",
                        if required { "required " } else { "" },
                        field.name,
                        rust_field_ty(field)
                    ),
                );
                continue;
            };
            let (old_ty, new_ty) = (rust_field_ty(old_field), rust_field_ty(field));
            if old_ty != new_ty {
                push(
                    true,
                    format!("`{}`: type `{old_ty}` → `{new_ty}`", field.name),
                );
            }
            if request && old_field.optional != field.optional {
                push(
                    true,
                    format!(
                        "`{}`: {}",
                        field.name,
                        if field.optional {
                            "now optional (left `new(...)`)"
                        } else {
                            "now required (joins `new(...)`)"
                        }
                    ),
                );
            } else if !request
                && (old_field.optional, old_field.nullable) != (field.optional, field.nullable)
                && old_ty == new_ty
            {
                push(
                    false,
                    format!(
                        "`{}`: {} → {} (same Rust type)",
                        field.name,
                        presence(old_field),
                        presence(field)
                    ),
                );
            }
            if let (Some(old_enum), Some(new_enum)) =
                (enum_name(&old_field.ty), enum_name(&field.ty))
            {
                if let (Some(old_values), Some(new_values)) =
                    (old_enums.get(old_enum), new_enums.get(new_enum))
                {
                    if enums_reported.insert((old_enum.to_owned(), new_enum.to_owned())) {
                        enum_values(new_enum, old_values, new_values, &mut enum_changes);
                    }
                }
            }
        }
        for (wire, field) in &old_by_wire {
            if !new_by_wire.contains_key(wire) {
                push(
                    true,
                    format!("removed `{}: {}`", field.name, rust_field_ty(field)),
                );
            }
        }
    }
    out.extend(enum_changes);
}

fn enum_values(name: &str, old: &[String], new: &[String], out: &mut Vec<Change>) {
    let subject = format!("enum `{name}`");
    let added: Vec<&String> = new.iter().filter(|v| !old.contains(v)).collect();
    let removed: Vec<&String> = old.iter().filter(|v| !new.contains(v)).collect();
    let list = |values: &[&String]| {
        values
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !added.is_empty() {
        out.push(Change {
            breaking: false,
            subject: subject.clone(),
            text: format!("values added: {}", list(&added)),
        });
    }
    if !removed.is_empty() {
        out.push(Change {
            breaking: true,
            subject,
            text: format!(
                "values removed: {} (they now read as `Unknown`)",
                list(&removed)
            ),
        });
    }
}

/// The Markdown report: a summary line, then one list per subject, breaking changes first.
pub fn render(old_version: &str, new_version: &str, changes: &[Change]) -> String {
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let mut out = String::new();
    let _ = writeln!(out, "### API {old_version} → {new_version}\n");
    let _ = writeln!(
        out,
        "{} changes for Rust users, {breaking} of them breaking (marked **breaking**).\n",
        changes.len()
    );
    let mut subjects: Vec<&str> = Vec::new();
    for change in changes {
        if !subjects.contains(&change.subject.as_str()) {
            subjects.push(&change.subject);
        }
    }
    for subject in subjects {
        let _ = writeln!(out, "#### {subject}\n");
        let mut items: Vec<&Change> = changes.iter().filter(|c| c.subject == subject).collect();
        items.sort_by_key(|c| !c.breaking);
        for change in items {
            let mark = if change.breaking { "**breaking** " } else { "" };
            let _ = writeln!(out, "- {mark}{}", change.text);
        }
        out.push('\n');
    }
    out
}

fn is_component(pointer: &str) -> bool {
    pointer
        .strip_prefix("/components/schemas/")
        .is_some_and(|rest| !rest.contains('/'))
}

fn presence(field: &Field) -> &'static str {
    match (field.optional, field.nullable) {
        (false, false) => "required",
        (false, true) => "required, nullable",
        (true, false) => "optional",
        (true, true) => "optional, nullable",
    }
}

/// The named enum a field holds, through `Vec`, `Unsettable` and the like.
fn enum_name(ty: &Ty) -> Option<&str> {
    match ty {
        Ty::Named(name) => Some(name),
        Ty::Array(inner)
        | Ty::Map(inner)
        | Ty::Expandable(inner)
        | Ty::Unsettable(inner)
        | Ty::List(inner) => enum_name(inner),
        _ => None,
    }
}

/// The field's type as the generated code spells it.
fn rust_field_ty(field: &Field) -> String {
    let ty = field.ty.rust_name();
    if field.optional || field.nullable {
        format!("Option<{ty}>")
    } else {
        ty
    }
}

/// The report for two spec documents, each a full Stripe spec (reduced to the Checkout subset
/// first, by the same rule as `cargo xtask subset`) or a subset already.
pub fn report(old: &serde_json::Value, new: &serde_json::Value) -> Result<String, crate::Error> {
    let (old_ir, new_ir) = (lower_document(old)?, lower_document(new)?);
    let changes = diff(&old_ir, &new_ir);
    Ok(render(&old_ir.api_version, &new_ir.api_version, &changes))
}

fn lower_document(document: &serde_json::Value) -> Result<Ir, crate::Error> {
    // A full Stripe spec holds the Checkout paths among hundreds of others; anything else (a
    // subset, or a small spec of its own) is lowered as it is.
    let paths = document.get("paths").and_then(serde_json::Value::as_object);
    let is_full_spec = paths.is_some_and(|paths| {
        paths.contains_key(crate::subset::CHECKOUT_PATHS[0])
            && paths
                .keys()
                .any(|p| !crate::subset::CHECKOUT_PATHS.contains(&p.as_str()))
    });
    let document = if is_full_spec {
        crate::subset::extract(document, &crate::subset::CHECKOUT_PATHS)?.document
    } else {
        document.clone()
    };
    let spec = crate::spec::Spec::from_value(document)?;
    crate::ir(&spec)
}
