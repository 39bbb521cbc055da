//! Doc text of generated items: the spec's descriptions, and words for what the spec leaves
//! undocumented (a field's kind of value, its form key, whether it is required).

use super::*;

pub(super) fn docs(doc: Option<&str>) -> TokenStream {
    let Some(doc) = doc else {
        return TokenStream::new();
    };
    let lines = doc.lines().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    });
    quote! { #(#[doc = #lines])* }
}

/// Docs for a type the spec does not describe: where it comes from.
pub(super) fn type_doc(def: &TypeDef) -> String {
    match &def.doc {
        Some(doc) => doc.clone(),
        None => format!("Stripe's `{}` (undocumented in the spec).", def.pointer),
    }
}

/// Docs for a field the spec does not describe: what kind of value it holds and, for request
/// params, whether it is required and the form key it is sent as.
pub(super) fn field_doc(def: &TypeDef, field: &Field) -> String {
    if let Some(doc) = &field.doc {
        return doc.clone();
    }
    let wire = &field.wire_name;
    let what = describe_ty(&field.ty);
    match def.direction {
        Direction::Request => {
            let presence = if field.optional {
                "Optional"
            } else {
                "Required"
            };
            match &def.form_key {
                Some(parent) if !parent.is_empty() => {
                    format!("{what}; sent as `{parent}[{wire}]`. {presence}.")
                }
                _ => format!("`{wire}`: {}. {presence}.", lower_first(&what)),
            }
        }
        Direction::Response => {
            let null = if field.nullable { ", or `null`" } else { "" };
            format!("`{wire}`: {}{null}.", lower_first(&what))
        }
    }
}

/// What a value of this type is, in words, for generated docs.
pub(super) fn describe_ty(ty: &Ty) -> String {
    match ty {
        Ty::String => "Text".to_owned(),
        Ty::Bool => "`true` or `false`".to_owned(),
        Ty::Integer => "An integer".to_owned(),
        Ty::Number => "A number".to_owned(),
        Ty::Timestamp => "A Unix timestamp in seconds".to_owned(),
        Ty::Json => "Any JSON value".to_owned(),
        Ty::Named(name) => format!("A [`{name}`]"),
        Ty::Array(inner) => format!("A list, each item: {}", lower_first(&describe_ty(inner))),
        Ty::Map(inner) => format!(
            "Keys (strings) to values: {}",
            lower_first(&describe_ty(inner))
        ),
        Ty::Expandable(inner) => format!(
            "The id, or the whole object when expanded: {}",
            lower_first(&describe_ty(inner))
        ),
        Ty::Unsettable(inner) => {
            format!("{}, or `Unsettable::Unset` to clear it", describe_ty(inner))
        }
        Ty::List(inner) => format!("A page of a list: {}", lower_first(&describe_ty(inner))),
        Ty::Bytes => "The bytes of a document".to_owned(),
    }
}

pub(super) fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `#[doc = " line"]` attributes, one per line, as [`docs`] writes them.
pub(super) fn doc_attrs(doc: &str) -> Vec<syn::Attribute> {
    doc.lines()
        .map(|line| {
            let text = if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            };
            syn::Attribute {
                pound_token: Default::default(),
                style: syn::AttrStyle::Outer,
                bracket_token: Default::default(),
                meta: syn::Meta::NameValue(syn::MetaNameValue {
                    path: syn::Path::from(Ident::new("doc", Span::call_site())),
                    eq_token: Default::default(),
                    value: syn::Expr::Lit(syn::ExprLit {
                        attrs: Vec::new(),
                        lit: syn::Lit::Str(syn::LitStr::new(&text, Span::call_site())),
                    }),
                }),
            }
        })
        .collect()
}

/// The doc of a string enum variant: its wire value.
pub(super) fn variant_doc(wire: &str) -> String {
    if wire.is_empty() {
        " `\"\"` (the empty string)".to_owned()
    } else {
        format!(" `{wire}`")
    }
}
