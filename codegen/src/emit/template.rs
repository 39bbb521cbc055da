//! String enums without the token round trip. They are most of a whole spec's output (five
//! impls each, two matches with an arm per value), and quoting then re-parsing them was the
//! largest single cost of emitting. One enum is rendered through [`super::enum_def`] with
//! placeholder names and parsed once; each real enum is a clone of that syntax tree with the
//! placeholders replaced and the per-value parts repeated. The output is the same as rendering
//! each enum through tokens (the snapshot and `regen --check` tests hold it to that).

use proc_macro2::Span;
use syn::visit_mut::VisitMut;

use super::{type_doc, variant_doc, Error, TypeDef};
use crate::ir::{Direction, EnumValue, TypeKind};

const NAME: &str = "__TemplateName";
const VARIANT: &str = "__TemplateVariant";
const WIRE: &str = "__template_wire";
const DOC: &str = "__template_doc";

/// The parsed placeholder enum.
pub(super) struct EnumTemplate {
    items: Vec<syn::Item>,
}

impl EnumTemplate {
    pub(super) fn new() -> Result<Self, Error> {
        let def = TypeDef {
            name: NAME.to_owned(),
            doc: Some(DOC.to_owned()),
            pointer: String::new(),
            module: String::new(),
            direction: Direction::Response,
            kind: TypeKind::Enum(Vec::new()),
            form_key: None,
            reference: None,
        };
        let value = EnumValue {
            variant: VARIANT.to_owned(),
            wire: WIRE.to_owned(),
        };
        let tokens = super::enum_def(&def, std::slice::from_ref(&value))?;
        let file: syn::File = syn::parse2(tokens)
            .map_err(|e| Error::new("", format!("the string enum template does not parse: {e}")))?;
        Ok(EnumTemplate { items: file.items })
    }

    /// The items of one enum, as [`super::enum_def`] would render them.
    pub(super) fn render(&self, def: &TypeDef, values: &[EnumValue]) -> Vec<syn::Item> {
        let mut items = self.items.clone();
        for item in &mut items {
            match item {
                syn::Item::Enum(e) => {
                    e.attrs = expand_doc(&e.attrs, &type_doc(def));
                    e.variants = repeat_first(&e.variants, values);
                }
                syn::Item::Impl(i) => {
                    for impl_item in &mut i.items {
                        if let syn::ImplItem::Fn(f) = impl_item {
                            for stmt in &mut f.block.stmts {
                                if let syn::Stmt::Expr(syn::Expr::Match(m), _) = stmt {
                                    m.arms = repeat_first_arm(&m.arms, values);
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
            Rename {
                name: &def.name,
                value: None,
            }
            .visit_item_mut(item);
        }
        items
    }
}

/// Replaces the placeholders: the type name everywhere, and, inside one value's parts, its
/// variant, wire string and variant doc.
struct Rename<'a> {
    name: &'a str,
    value: Option<&'a EnumValue>,
}

impl VisitMut for Rename<'_> {
    fn visit_ident_mut(&mut self, ident: &mut proc_macro2::Ident) {
        if ident == NAME {
            *ident = proc_macro2::Ident::new(self.name, ident.span());
        } else if let (true, Some(value)) = (ident == VARIANT, self.value) {
            *ident = proc_macro2::Ident::new(&value.variant, ident.span());
        }
    }

    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        let Some(value) = self.value else { return };
        let text = lit.value();
        if text == WIRE {
            *lit = syn::LitStr::new(&value.wire, lit.span());
        } else if text == variant_doc(WIRE) {
            *lit = syn::LitStr::new(&variant_doc(&value.wire), lit.span());
        }
    }
}

/// The template's first (placeholder) variant once per value, then the rest (`Unknown`).
fn repeat_first(
    variants: &syn::punctuated::Punctuated<syn::Variant, syn::token::Comma>,
    values: &[EnumValue],
) -> syn::punctuated::Punctuated<syn::Variant, syn::token::Comma> {
    let mut out = syn::punctuated::Punctuated::new();
    let mut iter = variants.iter();
    if let Some(first) = iter.next() {
        for value in values {
            let mut variant = first.clone();
            Rename {
                name: NAME,
                value: Some(value),
            }
            .visit_variant_mut(&mut variant);
            out.push(variant);
        }
    }
    out.extend(iter.cloned());
    out
}

fn repeat_first_arm(arms: &[syn::Arm], values: &[EnumValue]) -> Vec<syn::Arm> {
    let mut out = Vec::with_capacity(values.len() + 1);
    if let Some((first, rest)) = arms.split_first() {
        for value in values {
            let mut arm = first.clone();
            Rename {
                name: NAME,
                value: Some(value),
            }
            .visit_arm_mut(&mut arm);
            out.push(arm);
        }
        out.extend(rest.iter().cloned());
    }
    out
}

/// Replaces the placeholder doc attribute with one `#[doc]` per line of `doc`, as
/// [`super::docs`] writes them.
fn expand_doc(attrs: &[syn::Attribute], doc: &str) -> Vec<syn::Attribute> {
    let mut out = Vec::with_capacity(attrs.len() + 4);
    for attr in attrs {
        let is_placeholder = match &attr.meta {
            syn::Meta::NameValue(nv) => matches!(
                &nv.value,
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) if s.value() == format!(" {DOC}")
            ),
            _ => false,
        };
        if !is_placeholder {
            out.push(attr.clone());
            continue;
        }
        for line in doc.lines() {
            let text = if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            };
            let mut line_attr = attr.clone();
            if let syn::Meta::NameValue(nv) = &mut line_attr.meta {
                nv.value = syn::Expr::Lit(syn::ExprLit {
                    attrs: Vec::new(),
                    lit: syn::Lit::Str(syn::LitStr::new(&text, Span::call_site())),
                });
            }
            out.push(line_attr);
        }
    }
    out
}
