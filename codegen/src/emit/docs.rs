//! Doc text of generated items: the spec's descriptions, and words for what the spec leaves
//! undocumented (a field's kind of value, its form key, whether it is required).

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Direction, Field, Ty, TypeDef};

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

/// Docs for a type the spec does not describe: what it is, in words, and for a request param
/// a link to its entry in Stripe's API reference.
pub(super) fn type_doc(def: &TypeDef) -> String {
    if let Some(doc) = &def.doc {
        return doc.clone();
    }
    match (&def.form_key, &def.reference) {
        (Some(key), Some(url)) if !key.is_empty() => format!(
            "{}, a request parameter: see [Stripe's API reference]({url}).",
            upper_first(&describe_key(key))
        ),
        _ => match describe_pointer(&def.pointer) {
            Some(words) => format!("{}.", upper_first(&words)),
            None => format!("Stripe's `{}`.", def.pointer),
        },
    }
}

/// Docs for a field the spec does not describe: what kind of value it holds and, for request
/// params, whether it is required, where it goes and its entry in Stripe's API reference.
pub(super) fn field_doc(def: &TypeDef, field: &Field) -> String {
    if let Some(doc) = &field.doc {
        return doc.clone();
    }
    let wire = &field.wire_name;
    let what = lower_first(&describe_ty(&field.ty));
    match def.direction {
        Direction::Request => {
            let presence = if field.optional {
                "optional"
            } else {
                "required"
            };
            match (&def.form_key, &def.reference) {
                (Some(parent), Some(url)) if !parent.is_empty() => format!(
                    "`{wire}` in {}: {what}; {presence}. See [Stripe's API \
                     reference]({url}-{wire}).",
                    describe_key(parent)
                ),
                _ => format!("`{wire}`: {what}; {presence}."),
            }
        }
        Direction::Response => {
            let null = if field.nullable { ", or `null`" } else { "" };
            format!("`{wire}`: {what}{null}.")
        }
    }
}

/// A form key in words: `line_items[][price_data]` → ``
/// `price_data` of each entry of `line_items` ``; `after_expiration[recovery]` →
/// `` `recovery` of `after_expiration` ``.
pub(super) fn describe_key(key: &str) -> String {
    // Segments outermost first; `""` stands for `[]`, an entry of the list before it.
    let mut segments = Vec::new();
    let mut rest = key;
    if let Some(open) = rest.find('[') {
        segments.push(&rest[..open]);
        rest = &rest[open..];
    } else {
        segments.push(rest);
        rest = "";
    }
    while let Some(inner) = rest.strip_prefix('[') {
        let Some(close) = inner.find(']') else { break };
        segments.push(&inner[..close]);
        rest = &inner[close + 1..];
    }
    let mut words = String::new();
    for (i, segment) in segments.iter().enumerate().rev() {
        if segment.is_empty() || *segment == "*" {
            continue;
        }
        if !words.is_empty() {
            words.push_str(" of ");
        }
        // `[]` (an entry of a list) or `[*]` (a value of a map) right after this segment.
        match segments.get(i + 1) {
            Some(&"") => words.push_str("each entry of "),
            Some(&"*") => words.push_str("each value of "),
            _ => {}
        }
        words.push_str(&format!("`{segment}`"));
    }
    words
}

/// Where a schema sits in the spec, in words: `/components/schemas/address` → ``Stripe's
/// `address` object``; `…/checkout_session/properties/custom_fields/items` → ``an entry of
/// `custom_fields` in Stripe's `checkout_session` object``. `None` for a pointer it cannot
/// read.
pub(super) fn describe_pointer(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("/components/schemas/")?;
    let mut segments = rest
        .split('/')
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"));
    let object = segments.next()?;
    let mut path: Vec<String> = Vec::new();
    let mut entry = false;
    let mut member = false;
    while let Some(segment) = segments.next() {
        match segment.as_str() {
            "properties" => path.push(segments.next()?),
            "items" => entry = true,
            "additionalProperties" => path.push("…".to_owned()),
            "anyOf" | "oneOf" | "allOf" => {
                segments.next()?;
                member = true;
            }
            _ => return None,
        }
    }
    let place = format!("Stripe's `{object}` object");
    let mut words = match path.last() {
        None => place,
        Some(field) => {
            let parents = &path[..path.len() - 1];
            let mut text = format!("`{field}`");
            for parent in parents.iter().rev() {
                text.push_str(&format!(" of `{parent}`"));
            }
            format!("{text} in {place}")
        }
    };
    if entry {
        words = format!("an entry of {words}");
    }
    if member {
        words = format!("one form of {words}");
    }
    Some(words)
}

fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
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
        Ty::Bytes => "The bytes of a document, with its content type".to_owned(),
        Ty::File => {
            "A file (bytes, file name and content type), sent as a multipart part".to_owned()
        }
    }
}

pub(super) fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `#[doc = " line"]` attributes, one per line, as [`docs()`] writes them.
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

#[cfg(test)]
mod tests {
    use super::{describe_key, describe_pointer};

    #[test]
    fn form_keys_in_words() {
        assert_eq!(describe_key("line_items"), "`line_items`");
        assert_eq!(
            describe_key("line_items[][price_data]"),
            "`price_data` of each entry of `line_items`"
        );
        assert_eq!(
            describe_key("after_expiration[recovery]"),
            "`recovery` of `after_expiration`"
        );
        assert_eq!(
            describe_key("line_items[][price_data][product_data]"),
            "`product_data` of `price_data` of each entry of `line_items`"
        );
        assert_eq!(
            describe_key("custom_fields[]"),
            "each entry of `custom_fields`"
        );
        assert_eq!(describe_key("a[b"), "`a`");
        assert_eq!(
            describe_key("fixed_amount[currency_options][*]"),
            "each value of `currency_options` of `fixed_amount`"
        );
    }

    #[test]
    fn pointers_in_words() {
        assert_eq!(
            describe_pointer("/components/schemas/address").as_deref(),
            Some("Stripe's `address` object")
        );
        assert_eq!(
            describe_pointer(
                "/components/schemas/checkout_acss_debit_mandate_options/properties/default_for/items"
            )
            .as_deref(),
            Some("an entry of `default_for` in Stripe's `checkout_acss_debit_mandate_options` object")
        );
        assert_eq!(describe_pointer("/paths/~1v1~1x/get"), None);
        assert_eq!(describe_pointer("/components/schemas/a/weird"), None);
    }
}
