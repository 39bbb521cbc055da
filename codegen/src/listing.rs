//! A compact listing of the API as the IR sees it, for review: every type with its fields (wire
//! name, Rust type), every enum with its values, every union with its members, every operation
//! with its params. One line per field, value list or operation, so an upgrade's snapshot diff
//! reads as what changed for users, without the generated code around it.

use std::fmt::Write;

use crate::ir::*;

/// The listing of `ir`, types in emission order.
pub fn listing(ir: &Ir) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "API {}", ir.api_version);
    for def in &ir.types {
        let direction = match def.direction {
            Direction::Response => "response",
            Direction::Request => "params",
        };
        match &def.kind {
            TypeKind::Struct(fields) => {
                let _ = writeln!(out, "\nstruct {} ({}, {direction})", def.name, def.module);
                for field in fields {
                    let mut ty = field.ty.rust_name();
                    if field.boxed {
                        ty = format!("Box<{ty}>");
                    }
                    if field.optional || field.nullable {
                        ty = format!("Option<{ty}>");
                    }
                    let mut notes = Vec::new();
                    if field.name != field.wire_name {
                        notes.push(format!("field `{}`", field.name));
                    }
                    // An `Option` says whether the key may be absent, `null`, or both.
                    if field.optional {
                        notes.push("may be absent".to_owned());
                    }
                    if field.nullable {
                        notes.push("nullable".to_owned());
                    }
                    let notes = if notes.is_empty() {
                        String::new()
                    } else {
                        format!("  ({})", notes.join(", "))
                    };
                    let _ = writeln!(out, "  {}: {ty}{notes}", field.wire_name);
                }
            }
            TypeKind::Enum(values) => {
                let wires: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
                let _ = writeln!(
                    out,
                    "\nenum {} ({}, {direction}) = {}",
                    def.name,
                    def.module,
                    wires.join(" | ")
                );
            }
            TypeKind::Union(variants) => {
                let _ = writeln!(out, "\nunion {} ({}, {direction})", def.name, def.module);
                for variant in variants {
                    let tag = match &variant.tag {
                        Some(tag) if tag.deleted => format!("  (object `{}`, deleted)", tag.object),
                        Some(tag) => format!("  (object `{}`)", tag.object),
                        None => String::new(),
                    };
                    let _ = writeln!(out, "  {}({}){tag}", variant.name, variant.ty.rust_name());
                }
            }
        }
    }
    for service in &ir.services {
        let _ = writeln!(
            out,
            "\nservice {} (client.{}(), {})",
            service.name, service.accessor, service.base_path
        );
        for op in &service.operations {
            let mut notes = vec![op.params.clone(), op.body.label().to_owned()];
            if let ResponseEncoding::Binary(media) = &op.response_encoding {
                notes.push(format!("answers {media}"));
            }
            if let Some(server) = &op.server {
                notes.push(format!("on {server}"));
            }
            let _ = writeln!(
                out,
                "  {}: {} {} ({}) -> {}",
                op.method_name,
                op.http_method.verb(),
                op.path,
                notes.join(", "),
                op.response.rust_name()
            );
        }
    }
    if !ir.skipped.is_empty() {
        out.push_str("\nskipped\n");
        for skipped in &ir.skipped {
            let _ = writeln!(out, "  {}: {}", skipped.pointer, skipped.reason);
        }
    }
    out
}
