//! The two codecs of generated types: `FromJson` for responses and `FormValue` for params (and
//! serde's derives behind the `serde` feature), for structs and unions.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::docs::{docs, type_doc};
use super::syntax::ident;
use super::types::{extra_field_name, ty_tokens};
use crate::error::Error;
use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{BodyEncoding, Direction, Field, Ir, Ty, TypeDef, TypeKind, Variant};

/// Whether a response field decodes with `set_nullable` (absent or `null` is `None`).
fn decodes_nullable(field: &Field) -> bool {
    field.optional || field.nullable
}

/// A struct's codec: `FromJson` for a response, `FormValue` for params.
pub(super) fn struct_codec_impl(def: &TypeDef, fields: &[Field]) -> Result<TokenStream, Error> {
    let name = ident(&def.name, &def.pointer)?;
    match def.direction {
        Direction::Response => struct_decode_impl(def, &name, fields),
        Direction::Request => struct_form_impl(def, &name, fields),
    }
}

/// `FromJson` for a response struct: one non-generic function that matches keys and calls the
/// field types' decoders (`decode.rs` says why not serde's derive). serde's derive, behind the
/// `serde` feature, reads the same JSON (`tests/roundtrip.rs` holds the two to each other).
pub(super) fn struct_decode_impl(
    def: &TypeDef,
    name: &Ident,
    fields: &[Field],
) -> Result<TokenStream, Error> {
    let extra = extra_field_name(fields);
    let extra_ident = Ident::new(extra, Span::call_site());
    let mut locals = Vec::new();
    let mut arms = Vec::new();
    let mut checks = Vec::new();
    for field in fields {
        let field_ident = ident(&field.name, &def.pointer)?;
        let wire = &field.wire_name;
        locals.push(quote!(let mut #field_ident = None;));
        if decodes_nullable(field) {
            arms.push(quote!(#wire => __p.set_nullable(&mut #field_ident),));
        } else {
            arms.push(quote!(#wire => __p.set(&mut #field_ident),));
            checks.push(quote! {
                let Some(#field_ident) = #field_ident else {
                    return Err(__p.missing(#wire));
                };
            });
        }
    }
    let inits = fields
        .iter()
        .map(|field| ident(&field.name, &def.pointer))
        .collect::<Result<Vec<_>, _>>()?;
    let expected = format!("struct {}", def.name);
    Ok(quote! {
        impl crate::__private::FromJson for #name {
            fn from_json(__p: &mut crate::__private::Parser<'_>) -> crate::__private::DecodeResult<Self> {
                #(#locals)*
                let mut #extra_ident = std::collections::BTreeMap::new();
                let mut __object = __p.object(#expected)?;
                while let Some(__key) = __object.next_key(__p)? {
                    match &*__key {
                        #(#arms)*
                        _ => __p.keep(__key, &mut #extra_ident),
                    }
                }
                #(#checks)*
                Ok(#name { #(#inits,)* #extra_ident: #extra_ident.into() })
            }
        }
    })
}

/// `FormValue` for a params struct: its fields in order, under their wire names; a `None` is
/// skipped before its key is built.
pub(super) fn struct_form_impl(
    def: &TypeDef,
    name: &Ident,
    fields: &[Field],
) -> Result<TokenStream, Error> {
    let mut writes = Vec::new();
    for field in fields {
        let field_ident = ident(&field.name, &def.pointer)?;
        let wire = &field.wire_name;
        // A `None` is skipped before its key is built.
        writes.push(if form_skips_none(field) {
            quote! {
                if let Some(__value) = &self.#field_ident {
                    __w.field(#wire, __value)?;
                }
            }
        } else {
            quote!(__w.field(#wire, &self.#field_ident)?;)
        });
    }
    Ok(quote! {
        impl crate::__private::FormValue for #name {
            fn write_form(&self, __w: &mut crate::__private::FormWriter) -> Result<(), crate::__private::EncodeError> {
                #(#writes)*
                Ok(())
            }
        }
    })
}

/// Whether a params field is an `Option` (written only when `Some`).
fn form_skips_none(field: &Field) -> bool {
    field.optional || field.nullable
}

/// serde's `Deserialize` through the type's `FromJson`, so serde and the client decode alike.
pub(super) fn deserialize_via_json(name: &Ident) -> TokenStream {
    quote! {
        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::__private::deserialize_via_json(deserializer)
            }
        }
    }
}

pub(super) fn union_def(def: &TypeDef, variants: &[Variant]) -> Result<TokenStream, Error> {
    if def.direction == Direction::Response && variants.iter().any(|v| v.tag.is_none()) {
        return untagged_response_union(def, variants);
    }
    let name = ident(&def.name, &def.pointer)?;
    let doc = docs(Some(&type_doc(def)));
    let mut variant_tokens = Vec::new();
    for variant in variants {
        let variant_ident = ident(&variant.name, &def.pointer)?;
        let ty = ty_tokens(&variant.ty, &def.pointer)?;
        let variant_doc = format!(" {}", variant.name);
        variant_tokens.push(quote!(#[doc = #variant_doc] #variant_ident(#ty),));
    }
    let serde_attrs = union_serde_attrs(def.direction);
    if def.direction == Direction::Request {
        let write = delegate_match(
            def,
            &name,
            variants,
            false,
            quote!(crate::__private::FormValue::write_form(value, __w)),
        )?;
        return Ok(quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            #serde_attrs
            pub enum #name {
                #(#variant_tokens)*
            }
            impl crate::__private::FormValue for #name {
                fn write_form(&self, __w: &mut crate::__private::FormWriter) -> Result<(), crate::__private::EncodeError> {
                    #write
                }
            }
        });
    }

    let mut arms = Vec::new();
    for variant in variants {
        let variant_ident = ident(&variant.name, &def.pointer)?;
        let Some(tag) = &variant.tag else {
            return Err(Error::new(
                &def.pointer,
                format!("union member `{}` has no tag", variant.name),
            ));
        };
        let object = &tag.object;
        let deleted = tag.deleted;
        arms.push(quote! {
            (Some(#object), #deleted) => __p.decode().map(#name::#variant_ident),
        });
    }
    let unknown_doc = " An object of a type this version of the crate does not know.";
    let deserialize = deserialize_via_json(&name);
    let object_id = delegate_match(
        def,
        &name,
        variants,
        true,
        quote!(crate::__private::Identified::object_id(value)),
    )?;
    Ok(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #serde_attrs
        #[non_exhaustive]
        pub enum #name {
            #(#variant_tokens)*
            #[doc = #unknown_doc]
            Unknown(serde_json::Value),
        }
        impl crate::__private::FromJson for #name {
            fn from_json(__p: &mut crate::__private::Parser<'_>) -> crate::__private::DecodeResult<Self> {
                let (object, deleted) = __p.object_tag()?;
                match (object.as_deref(), deleted) {
                    #(#arms)*
                    _ => __p.decode().map(#name::Unknown),
                }
            }
        }
        #deserialize
        impl crate::__private::Identified for #name {
            fn object_id(&self) -> Option<&str> {
                #object_id
            }
        }
    })
}

/// `match self` with an arm per member (and `Unknown` when the union has one), each passing the
/// member's value to `call` (an expression using `value`): the body of a delegating method.
pub(super) fn delegate_match(
    def: &TypeDef,
    name: &Ident,
    variants: &[Variant],
    unknown: bool,
    call: TokenStream,
) -> Result<TokenStream, Error> {
    let mut arms = Vec::new();
    for variant in variants {
        let variant_ident = ident(&variant.name, &def.pointer)?;
        arms.push(quote!(#name::#variant_ident(value) => #call,));
    }
    if unknown {
        arms.push(quote!(#name::Unknown(value) => #call,));
    }
    Ok(quote! {
        match self {
            #(#arms)*
        }
    })
}

/// serde's derives for a union, behind the `serde` feature: untagged, so a value is the
/// member's own JSON (what Stripe sends). Response unions are decoded by their `FromJson`
/// (which reads the `object` tag), so only `Serialize` is derived for them.
pub(super) fn union_serde_attrs(direction: Direction) -> TokenStream {
    match direction {
        Direction::Request => quote! {
            #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(untagged))]
        },
        Direction::Response => quote! {
            #[cfg_attr(feature = "serde", derive(serde::Serialize), serde(untagged))]
        },
    }
}

/// A response union without tags: decoded by trying each member in the IR's order (see
/// `lower::unions`), the first that decodes winning; the error lists every member's failure.
pub(super) fn untagged_response_union(
    def: &TypeDef,
    variants: &[Variant],
) -> Result<TokenStream, Error> {
    let name = ident(&def.name, &def.pointer)?;
    let doc = docs(Some(&type_doc(def)));
    let order = variants
        .iter()
        .map(|v| format!("`{}`", v.name))
        .collect::<Vec<_>>()
        .join(", ");
    let order_doc = format!(
        " Decoded by trying {order}, in that order (most required fields first); the first that decodes wins."
    );
    let mut variant_tokens = Vec::new();
    let mut attempts = Vec::new();
    for variant in variants {
        let variant_ident = ident(&variant.name, &def.pointer)?;
        let ty = ty_tokens(&variant.ty, &def.pointer)?;
        let variant_doc = format!(" {}", variant.name);
        variant_tokens.push(quote!(#[doc = #variant_doc] #variant_ident(#ty),));
        let label = &variant.name;
        attempts.push(quote! {
            match __p.decode::<#ty>() {
                Ok(member) => return Ok(#name::#variant_ident(member)),
                Err(e) => {
                    errors.push(format!("{}: {}", #label, e.message));
                    __p.reset(start);
                }
            }
        });
    }
    let type_name = def.name.as_str();
    let deserialize = deserialize_via_json(&name);
    let serde_attrs = union_serde_attrs(Direction::Response);
    Ok(quote! {
        #doc
        #[doc = ""]
        #[doc = #order_doc]
        #[derive(Debug, Clone, PartialEq)]
        #serde_attrs
        pub enum #name {
            #(#variant_tokens)*
        }
        impl crate::__private::FromJson for #name {
            fn from_json(__p: &mut crate::__private::Parser<'_>) -> crate::__private::DecodeResult<Self> {
                let start = __p.mark();
                let mut errors: Vec<String> = Vec::new();
                #(#attempts)*
                Err(__p.error_here(format!(
                    "no member of `{}` matched: {}",
                    #type_name,
                    errors.join("; ")
                )))
            }
        }
        #deserialize
    })
}

/// The types a JSON-bodied operation's params reach (the params, and the structs, unions and
/// enums inside them): the ones that get a `JsonValue` impl. Form-only params get none, so the
/// Checkout subset's code is the same as before JSON bodies existed.
pub(super) fn json_types(ir: &Ir) -> BTreeSet<String> {
    let index: BTreeMap<&str, &TypeDef> = ir.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut reached = BTreeSet::new();
    let mut stack: Vec<&str> = ir
        .services
        .iter()
        .flat_map(|s| &s.operations)
        .filter(|op| op.body == BodyEncoding::Json)
        .map(|op| op.params.as_str())
        .collect();
    while let Some(name) = stack.pop() {
        if !reached.insert(name.to_owned()) {
            continue;
        }
        let Some(def) = index.get(name) else { continue };
        let tys: Vec<&Ty> = match &def.kind {
            TypeKind::Struct(fields) => fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Union(variants) => variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Enum(_) => Vec::new(),
        };
        for ty in tys {
            named_in(ty, &mut |n| stack.push(n));
        }
    }
    reached
}

/// Every named type `ty` mentions.
fn named_in<'t>(ty: &'t Ty, f: &mut dyn FnMut(&'t str)) {
    match ty {
        Ty::Named(name) => f(name),
        Ty::Array(inner)
        | Ty::Map(inner)
        | Ty::Expandable(inner)
        | Ty::Unsettable(inner)
        | Ty::List(inner) => named_in(inner, f),
        _ => {}
    }
}

/// `JsonValue` for a params type a JSON body reaches: a struct's fields in order under their
/// wire names (a `None` left out), a union's member, an enum's wire value.
pub(super) fn json_impl(def: &TypeDef) -> Result<TokenStream, Error> {
    let name = ident(&def.name, &def.pointer)?;
    let body = match &def.kind {
        TypeKind::Struct(fields) => {
            let mut writes = Vec::new();
            for field in fields {
                let field_ident = ident(&field.name, &def.pointer)?;
                let wire = &field.wire_name;
                writes.push(if form_skips_none(field) {
                    quote! {
                        if let Some(__value) = &self.#field_ident {
                            __w.field(#wire, __value)?;
                        }
                    }
                } else {
                    quote!(__w.field(#wire, &self.#field_ident)?;)
                });
            }
            quote! {
                __w.begin_object();
                #(#writes)*
                __w.end_object();
                Ok(())
            }
        }
        TypeKind::Union(variants) => delegate_match(
            def,
            &name,
            variants,
            false,
            quote!(crate::__private::JsonValue::write_json(value, __w)),
        )?,
        TypeKind::Enum(_) => quote! {
            __w.string(self.as_str());
            Ok(())
        },
    };
    Ok(quote! {
        impl crate::__private::JsonValue for #name {
            fn write_json(&self, __w: &mut crate::__private::JsonWriter) -> Result<(), crate::__private::EncodeError> {
                #body
            }
        }
    })
}
