//! The trait impls of structs (`FromJson` for responses, `FormValue` for params) without a
//! token round trip per struct. They have a statement or arm per field, so for a subset of a few
//! hundred structs quoting then re-parsing them cost more than the rest of emitting together.
//!
//! As for enums (`template.rs`): each impl is rendered once by its `quote!` function in
//! [`super`] for a placeholder struct with two fields, `A` and `B`, of the two kinds the impl
//! tells apart (e.g. nullable or required), and parsed once. A real struct's impl is a clone in
//! which each run of per-field parts (locals, match arms, checks, struct-literal fields,
//! statements) is repeated once per real field, from the `A` or `B` part by the field's kind, with
//! the placeholders renamed. The output is the same as quoting each impl (`regen --check` and the
//! snapshots hold it to that).

use proc_macro2::Span;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

use super::Error;
use crate::ir::{Direction, Field, Ty, TypeDef, TypeKind};

const NAME: &str = "__TemplateStruct";
const FIELD_A: &str = "__template_field_a";
const FIELD_B: &str = "__template_field_b";
const WIRE_A: &str = "__template_wire_a";
const WIRE_B: &str = "__template_wire_b";

/// Which placeholder a per-field part was rendered for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    A,
    B,
}

/// One impl, parsed, and how it tells its two kinds of field apart.
struct Template {
    items: Vec<syn::Item>,
    /// The field's kind in this impl: `A` for the first placeholder's kind.
    kind: fn(Direction, &Field) -> Kind,
}

/// The parsed impls for one direction.
pub(super) struct StructTemplates {
    templates: Vec<Template>,
}

impl StructTemplates {
    pub(super) fn new(direction: Direction) -> Result<Self, Error> {
        let field = |name: &str, wire: &str, optional: bool| Field {
            name: name.to_owned(),
            wire_name: wire.to_owned(),
            doc: None,
            ty: Ty::String,
            optional,
            nullable: false,
            boxed: false,
        };
        let fields = [field(FIELD_A, WIRE_A, true), field(FIELD_B, WIRE_B, false)];
        let def = TypeDef {
            name: NAME.to_owned(),
            doc: None,
            pointer: String::new(),
            module: String::new(),
            direction,
            kind: TypeKind::Struct(fields.to_vec()),
            form_key: None,
            reference: None,
        };
        let name = proc_macro2::Ident::new(NAME, Span::call_site());
        let parse = |tokens: proc_macro2::TokenStream| -> Result<Vec<syn::Item>, Error> {
            syn::parse2::<syn::File>(tokens)
                .map(|file| file.items)
                .map_err(|e| Error::new("", format!("a struct impl template does not parse: {e}")))
        };
        let mut templates = Vec::new();
        match direction {
            Direction::Response => {
                templates.push(Template {
                    items: parse(super::struct_decode_impl(&def, &name, &fields)?)?,
                    kind: |_, field| kind(super::decodes_nullable(field)),
                });
            }
            Direction::Request => {
                templates.push(Template {
                    items: parse(super::struct_form_impl(&def, &name, &fields)?)?,
                    kind: |_, field| kind(super::form_skips_none(field)),
                });
            }
        }
        Ok(StructTemplates { templates })
    }

    /// The impls of one struct, as the `quote!` functions would render them.
    pub(super) fn render(
        &self,
        def: &TypeDef,
        fields: &[Field],
        idents: &[proc_macro2::Ident],
    ) -> Vec<syn::Item> {
        let mut out = Vec::new();
        for template in &self.templates {
            let kinds: Vec<Kind> = fields
                .iter()
                .map(|f| (template.kind)(def.direction, f))
                .collect();
            let mut expand = Expand {
                fields,
                idents,
                kinds: &kinds,
            };
            for item in &template.items {
                let mut item = item.clone();
                // The struct's own names first: a real field may be called `extra` (and the
                // map `extra_fields` then), which must not be renamed again.
                Rename {
                    replace: &[
                        (NAME, def.name.as_str()),
                        ("extra", super::extra_field_name(fields)),
                    ],
                    field: None,
                    expected: Some(format!("struct {}", def.name)),
                }
                .visit_item_mut(&mut item);
                expand.visit_item_mut(&mut item);
                out.push(item);
            }
        }
        out
    }
}

fn kind(first: bool) -> Kind {
    if first {
        Kind::A
    } else {
        Kind::B
    }
}

/// Repeats the per-field runs of every list in an impl.
struct Expand<'a> {
    fields: &'a [Field],
    idents: &'a [proc_macro2::Ident],
    kinds: &'a [Kind],
}

impl Expand<'_> {
    /// `parts` with each run of per-field parts replaced by one copy per field: the part of the
    /// field's kind, renamed to it. A run with no part of a kind skips fields of that kind.
    fn expand<T: Clone>(
        &self,
        parts: Vec<T>,
        kind_of: impl Fn(&T) -> Option<Kind>,
        rename: impl Fn(&mut Rename<'_>, &mut T),
    ) -> Vec<T> {
        let mut out = Vec::with_capacity(parts.len() + self.fields.len());
        let mut run: Vec<(Kind, T)> = Vec::new();
        let flush = |run: &mut Vec<(Kind, T)>, out: &mut Vec<T>| {
            if run.is_empty() {
                return;
            }
            for ((field, ident), kind) in self.fields.iter().zip(self.idents).zip(self.kinds) {
                for (part_kind, part) in run.iter() {
                    if part_kind == kind {
                        let mut part = part.clone();
                        let ident = ident.to_string();
                        let replace = [(FIELD_A, ident.as_str()), (FIELD_B, ident.as_str())];
                        let mut renamer = Rename {
                            replace: &replace,
                            field: Some(&field.wire_name),
                            expected: None,
                        };
                        rename(&mut renamer, &mut part);
                        out.push(part);
                    }
                }
            }
            run.clear();
        };
        for part in parts {
            match kind_of(&part) {
                Some(kind) => run.push((kind, part)),
                None => {
                    flush(&mut run, &mut out);
                    out.push(part);
                }
            }
        }
        flush(&mut run, &mut out);
        out
    }
}

impl VisitMut for Expand<'_> {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let stmts = std::mem::take(&mut block.stmts);
        block.stmts = self.expand(
            stmts,
            |s| placeholder_in(|v| v.visit_stmt(s)),
            |r, s| r.visit_stmt_mut(s),
        );
        for stmt in &mut block.stmts {
            if placeholder_in(|v| v.visit_stmt(stmt)).is_none() {
                self.visit_stmt_mut(stmt);
            }
        }
    }

    fn visit_expr_match_mut(&mut self, m: &mut syn::ExprMatch) {
        let arms = std::mem::take(&mut m.arms);
        m.arms = self.expand(
            arms,
            |a| placeholder_in(|v| v.visit_arm(a)),
            |r, a| r.visit_arm_mut(a),
        );
    }

    fn visit_expr_struct_mut(&mut self, s: &mut syn::ExprStruct) {
        let fields: Vec<syn::FieldValue> = std::mem::take(&mut s.fields).into_iter().collect();
        let fields = self.expand(
            fields,
            |f| placeholder_in(|v| v.visit_field_value(f)),
            |r, f| r.visit_field_value_mut(f),
        );
        s.fields = fields.into_iter().collect();
    }
}

/// Which placeholder field, if any, the syntax visited by `visit` mentions.
fn placeholder_in(visit: impl FnOnce(&mut FindPlaceholder)) -> Option<Kind> {
    let mut find = FindPlaceholder(None);
    visit(&mut find);
    find.0
}

struct FindPlaceholder(Option<Kind>);

/// Nested lists are runs of their own: a `while` holding the arms, or the struct literal holding
/// the fields, is not itself a per-field part.
impl<'ast> Visit<'ast> for FindPlaceholder {
    fn visit_expr_while(&mut self, _: &'ast syn::ExprWhile) {}

    fn visit_expr_match(&mut self, _: &'ast syn::ExprMatch) {}

    fn visit_expr_struct(&mut self, _: &'ast syn::ExprStruct) {}

    fn visit_ident(&mut self, ident: &'ast proc_macro2::Ident) {
        if ident == FIELD_A {
            self.0 = Some(Kind::A);
        } else if ident == FIELD_B {
            self.0 = Some(Kind::B);
        }
    }
}

/// Renames placeholder identifiers, and the placeholder wire strings to `field`'s.
struct Rename<'a> {
    replace: &'a [(&'a str, &'a str)],
    field: Option<&'a str>,
    expected: Option<String>,
}

impl VisitMut for Rename<'_> {
    fn visit_ident_mut(&mut self, ident: &mut proc_macro2::Ident) {
        if let Some((_, to)) = self.replace.iter().find(|(from, _)| ident == from) {
            *ident = proc_macro2::Ident::new(to, ident.span());
        }
    }

    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        let text = lit.value();
        if let (Some(wire), true) = (self.field, text == WIRE_A || text == WIRE_B) {
            *lit = syn::LitStr::new(wire, lit.span());
        } else if let (Some(expected), true) = (&self.expected, text == format!("struct {NAME}")) {
            *lit = syn::LitStr::new(expected, lit.span());
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    /// Every struct of the Checkout subset and of the keyword fixture (fields named `extra`,
    /// keywords): the templated impls are token for token what the `quote!` functions give.
    #[test]
    fn templated_impls_equal_the_quoted_ones() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut checked = 0;
        for path in [
            "../spec/checkout_session.yaml",
            "tests/fixtures/keywords.yaml",
        ] {
            let text = std::fs::read_to_string(root.join(path)).unwrap();
            let spec = crate::spec::Spec::from_yaml(&text).unwrap();
            let ir = crate::ir(&spec).unwrap();
            let templates = [
                StructTemplates::new(Direction::Response).unwrap(),
                StructTemplates::new(Direction::Request).unwrap(),
            ];
            for def in &ir.types {
                let TypeKind::Struct(fields) = &def.kind else {
                    continue;
                };
                let name = super::super::ident(&def.name, &def.pointer).unwrap();
                let idents: Vec<_> = fields
                    .iter()
                    .map(|f| super::super::ident(&f.name, &def.pointer).unwrap())
                    .collect();
                let templated = templates[usize::from(def.direction == Direction::Request)]
                    .render(def, fields, &idents);
                let quoted = match def.direction {
                    Direction::Response => super::super::struct_decode_impl(def, &name, fields),
                    Direction::Request => super::super::struct_form_impl(def, &name, fields),
                }
                .unwrap();
                let quoted: syn::File = syn::parse2(quoted).unwrap();
                let render = |items: &[syn::Item]| {
                    items
                        .iter()
                        .map(|i| i.to_token_stream().to_string())
                        .collect::<Vec<_>>()
                };
                assert_eq!(render(&templated), render(&quoted.items), "{}", def.name);
                checked += 1;
            }
        }
        assert!(checked > 150, "only {checked} structs");
    }
}
