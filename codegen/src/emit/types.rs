//! Type definitions: Rust types for IR types, the structs (built as syntax), their constructors
//! and `Identified` impls, and string enums.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::docs::{doc_attrs, docs, field_doc, type_doc, variant_doc};
use super::syntax::ident;
use crate::error::Error;
use crate::ir::{Direction, EnumValue, Field, Ty, TypeDef};

pub(super) fn ty_tokens(ty: &Ty, pointer: &str) -> Result<TokenStream, Error> {
    Ok(match ty {
        Ty::String => quote!(String),
        Ty::Bool => quote!(bool),
        Ty::Integer => quote!(i64),
        Ty::Number => quote!(f64),
        Ty::Timestamp => quote!(crate::__private::Timestamp),
        Ty::Json => quote!(serde_json::Value),
        Ty::Named(name) => {
            let name = ident(name, pointer)?;
            quote!(#name)
        }
        Ty::Array(inner) => {
            let inner = ty_tokens(inner, pointer)?;
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = ty_tokens(inner, pointer)?;
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        Ty::Expandable(inner) => {
            let inner = ty_tokens(inner, pointer)?;
            quote!(crate::__private::Expandable<#inner>)
        }
        Ty::Unsettable(inner) => {
            let inner = ty_tokens(inner, pointer)?;
            quote!(crate::__private::Unsettable<#inner>)
        }
        Ty::List(inner) => {
            let inner = ty_tokens(inner, pointer)?;
            quote!(crate::__private::List<#inner>)
        }
        Ty::Bytes => quote!(crate::__private::BinaryResponse),
        Ty::File => quote!(crate::__private::FileUpload),
    })
}

/// The derives of every generated struct. Responses decode through `FromJson` and params
/// encode through `FormValue` (both written out), so without the `serde` feature the crate
/// builds no serde code for its types; with it, serde's derives use the wire names and produce
/// the JSON `FromJson` reads.
pub(super) fn derives() -> TokenStream {
    quote! {
        #[derive(Debug, Clone, PartialEq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
    }
}

/// A struct, built as syntax directly (structs and their fields are most of a spec's output, and
/// quoting then re-parsing them cost more than building them): the struct item, then the tokens
/// of its `new` and `Identified` impls. Field types repeat a lot, so each distinct one is parsed
/// once per module (`types`).
pub(super) fn struct_def(
    def: &TypeDef,
    fields: &[Field],
    types: &mut TypeCache,
) -> Result<(syn::Item, TokenStream), Error> {
    let name = ident(&def.name, &def.pointer)?;
    let required: Vec<&Field> = fields.iter().filter(|f| !f.optional).collect();
    let mut attrs = doc_attrs(&type_doc(def));
    attrs.extend(types.derives()?);
    if def.direction == Direction::Request && required.is_empty() {
        attrs.extend(types.derive_default()?);
    }

    let mut named = syn::punctuated::Punctuated::new();
    for field in fields {
        let field_ident = ident(&field.name, &def.pointer)?;
        let is_option = field.optional || field.nullable;
        let ty = types.field_type(&field.ty, field.boxed, is_option, &def.pointer)?;
        let mut field_attrs = doc_attrs(&field_doc(def, field));
        let rename = (field.name != field.wire_name).then_some(field.wire_name.as_str());
        field_attrs.extend(types.serde_field(rename, serializes_if_some(def.direction, field))?);
        named.push(syn::Field {
            attrs: field_attrs,
            vis: syn::Visibility::Public(Default::default()),
            mutability: syn::FieldMutability::None,
            ident: Some(field_ident),
            colon_token: Some(Default::default()),
            ty,
        });
    }
    if def.direction == Direction::Response {
        // Older and newer API versions send fields this spec does not have (a 2023 session's
        // `shipping_details`, a newer price's `trial_period_days`): keep them rather than drop
        // them silently, and write them back on serialization.
        let extra = extra_field_name(fields);
        let extra_doc = "Fields this version of the crate has no type for (from an older or newer API version), kept as JSON so nothing is lost.";
        let mut attrs = doc_attrs(extra_doc);
        attrs.extend(types.attrs(
            (true, true),
            || quote!(#[cfg_attr(feature = "serde", serde(flatten))]),
        )?);
        named.push(syn::Field {
            attrs,
            vis: syn::Visibility::Public(Default::default()),
            mutability: syn::FieldMutability::None,
            ident: Some(Ident::new(extra, Span::call_site())),
            colon_token: Some(Default::default()),
            ty: types.extra_type()?,
        });
    }
    let item = syn::Item::Struct(syn::ItemStruct {
        attrs,
        vis: syn::Visibility::Public(Default::default()),
        struct_token: Default::default(),
        ident: name.clone(),
        generics: Default::default(),
        fields: syn::Fields::Named(syn::FieldsNamed {
            brace_token: Default::default(),
            named,
        }),
        semi_token: None,
    });

    let constructor = match (def.direction, required.is_empty()) {
        (Direction::Request, false) => constructor(def, &name, fields)?,
        (Direction::Request, true) => {
            let doc = " Parameters with every field left out; set the ones you need.";
            quote! {
                impl #name {
                    #[doc = #doc]
                    pub fn new() -> Self {
                        Self::default()
                    }
                }
            }
        }
        (Direction::Response, _) => TokenStream::new(),
    };
    let identified = identified_impl(&name, fields);
    Ok((item, quote!(#constructor #identified)))
}

/// Whether a field is serialized (with the `serde` feature) only when it is `Some`: params left
/// out, and response fields Stripe only sometimes includes (`line_items`); nullable response
/// fields are written as `null`.
pub(super) fn serializes_if_some(direction: Direction, field: &Field) -> bool {
    match direction {
        Direction::Response => field.optional && !field.nullable,
        Direction::Request => field.optional || field.nullable,
    }
}

/// The name of the field that keeps unknown keys: `extra`, unless the spec has an `extra`.
pub(super) fn extra_field_name(fields: &[Field]) -> &'static str {
    if fields.iter().any(|f| f.name == "extra") {
        "extra_fields"
    } else {
        "extra"
    }
}

/// Syntax parsed once per module and cloned where it repeats.
#[derive(Default)]
pub(super) struct TypeCache {
    /// By type, then `[plain, boxed, optional, boxed and optional]`.
    fields: BTreeMap<Ty, [Option<syn::Type>; 4]>,
    derives: BTreeMap<(bool, bool), Vec<syn::Attribute>>,
    serde_fields: BTreeMap<(Option<String>, bool), Vec<syn::Attribute>>,
    extra: Option<syn::Type>,
}

impl TypeCache {
    fn field_type(
        &mut self,
        ty: &Ty,
        boxed: bool,
        optional: bool,
        pointer: &str,
    ) -> Result<syn::Type, Error> {
        let slot = usize::from(boxed) + 2 * usize::from(optional);
        if let Some(Some(parsed)) = self.fields.get(ty).map(|forms| &forms[slot]) {
            return Ok(parsed.clone());
        }
        let mut tokens = ty_tokens(ty, pointer)?;
        if boxed {
            tokens = quote!(Box<#tokens>);
        }
        if optional {
            tokens = quote!(Option<#tokens>);
        }
        let parsed: syn::Type = syn::parse2(tokens).map_err(|e| {
            Error::new(pointer, format!("a field type does not parse as Rust: {e}"))
        })?;
        self.fields.entry(ty.clone()).or_default()[slot] = Some(parsed.clone());
        Ok(parsed)
    }

    /// `#[cfg_attr(feature = "serde", serde(…))]` for a field: its wire name when the Rust name
    /// differs, and skipping `None` when the field is left out rather than written as `null`.
    fn serde_field(
        &mut self,
        rename: Option<&str>,
        skip_none: bool,
    ) -> Result<Vec<syn::Attribute>, Error> {
        let key = (rename.map(str::to_owned), skip_none);
        if let Some(attrs) = self.serde_fields.get(&key) {
            return Ok(attrs.clone());
        }
        let mut args = Vec::new();
        if let Some(wire) = rename {
            args.push(quote!(rename = #wire));
        }
        if skip_none {
            args.push(quote!(skip_serializing_if = "Option::is_none"));
        }
        let attrs = if args.is_empty() {
            Vec::new()
        } else {
            let item: syn::ItemStruct = syn::parse2(quote!(
                #[cfg_attr(feature = "serde", serde(#(#args),*))]
                struct S;
            ))
            .map_err(|e| Error::new("", format!("serde attributes do not parse: {e}")))?;
            item.attrs
        };
        self.serde_fields.insert(key, attrs.clone());
        Ok(attrs)
    }

    /// `crate::ExtraFields`, the type of a response struct's `extra`.
    fn extra_type(&mut self) -> Result<syn::Type, Error> {
        if let Some(ty) = &self.extra {
            return Ok(ty.clone());
        }
        let ty: syn::Type = syn::parse2(quote!(crate::__private::ExtraFields))
            .map_err(|e| Error::new("", format!("the extra type does not parse: {e}")))?;
        self.extra = Some(ty.clone());
        Ok(ty)
    }

    fn derives(&mut self) -> Result<Vec<syn::Attribute>, Error> {
        self.attrs((false, false), derives)
    }

    fn derive_default(&mut self) -> Result<Vec<syn::Attribute>, Error> {
        self.attrs((false, true), || quote!(#[derive(Default)]))
    }

    fn attrs(
        &mut self,
        key: (bool, bool),
        tokens: impl FnOnce() -> TokenStream,
    ) -> Result<Vec<syn::Attribute>, Error> {
        if let Some(attrs) = self.derives.get(&key) {
            return Ok(attrs.clone());
        }
        let tokens = tokens();
        let item: syn::ItemStruct = syn::parse2(quote!(#tokens struct S;))
            .map_err(|e| Error::new("", format!("derive attributes do not parse: {e}")))?;
        self.derives.insert(key, item.attrs.clone());
        Ok(item.attrs)
    }
}

/// `new(required…)` for params with required fields, all optional ones `None`.
pub(super) fn constructor(
    def: &TypeDef,
    name: &Ident,
    fields: &[Field],
) -> Result<TokenStream, Error> {
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for field in fields {
        let field_ident = ident(&field.name, &def.pointer)?;
        if field.optional {
            inits.push(quote!(#field_ident: None));
            continue;
        }
        let ty = ty_tokens(&field.ty, &def.pointer)?;
        let (arg_ty, value) = match (&field.ty, field.boxed) {
            (Ty::String, false) => (quote!(impl Into<String>), quote!(#field_ident.into())),
            (_, true) => (ty, quote!(Box::new(#field_ident))),
            _ => (ty, quote!(#field_ident)),
        };
        args.push(quote!(#field_ident: #arg_ty));
        inits.push(
            match (field.nullable, field.ty == Ty::String || field.boxed) {
                (false, false) => quote!(#field_ident),
                (false, true) => quote!(#field_ident: #value),
                (true, _) => quote!(#field_ident: Some(#value)),
            },
        );
    }
    let doc = " Parameters with the required fields set and every optional one left out.";
    Ok(quote! {
        impl #name {
            #[doc = #doc]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
        }
    })
}

/// `Identified` for objects with an `id`, so `Expandable::id` and pagination can read it.
pub(super) fn identified_impl(name: &Ident, fields: &[Field]) -> TokenStream {
    let Some(id) = fields
        .iter()
        .find(|f| f.wire_name == "id" && f.ty == Ty::String)
    else {
        return TokenStream::new();
    };
    let body = if id.optional || id.nullable {
        quote!(self.id.as_deref())
    } else {
        quote!(Some(&self.id))
    };
    quote! {
        impl crate::__private::Identified for #name {
            fn object_id(&self) -> Option<&str> {
                #body
            }
        }
    }
}

pub(super) fn enum_def(def: &TypeDef, values: &[EnumValue]) -> Result<TokenStream, Error> {
    let name = ident(&def.name, &def.pointer)?;
    let doc = docs(Some(&type_doc(def)));
    let mut variants = Vec::new();
    let mut to_str = Vec::new();
    let mut from_str = Vec::new();
    for value in values {
        let variant = ident(&value.variant, &def.pointer)?;
        let wire = &value.wire;
        let variant_doc = variant_doc(wire);
        variants.push(quote!(#[doc = #variant_doc] #variant,));
        to_str.push(quote!(#name::#variant => #wire,));
        from_str.push(quote!(#wire => #name::#variant,));
    }
    let unknown_doc =
        " A value this version of the crate does not know; Stripe adds values over time.";
    let as_str_doc = " The value as Stripe spells it.";
    Ok(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = #unknown_doc]
            Unknown(crate::__private::UnknownValue),
        }
        impl #name {
            #[doc = #as_str_doc]
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    #name::Unknown(value) => value,
                }
            }
        }
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => #name::Unknown(other.into()),
                }
            }
        }
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        #[cfg(feature = "serde")]
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value: String = serde::Deserialize::deserialize(deserializer)?;
                Ok(#name::from(value.as_str()))
            }
        }
        impl crate::__private::FromJson for #name {
            fn from_json(__p: &mut crate::__private::Parser<'_>) -> crate::__private::DecodeResult<Self> {
                Ok(#name::from(&*__p.string()?))
            }
        }
        impl crate::__private::FormValue for #name {
            fn write_form(&self, __w: &mut crate::__private::FormWriter) -> Result<(), crate::__private::EncodeError> {
                __w.scalar(self.as_str())
            }
        }
    })
}
