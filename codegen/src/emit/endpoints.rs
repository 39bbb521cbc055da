//! Endpoints: one struct per resource with a method per operation, the `Encode` impl of each
//! params type and the `PageParams` impl of each list's params.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::docs;
use super::syntax::ident;
use super::types::ty_tokens;
use crate::error::Error;
use crate::ir::{BodyEncoding, HttpMethod, Ir, Operation, ResponseEncoding, Service, Ty, TypeKind};

pub(super) fn service_pointer(service: &Service) -> String {
    format!(
        "/paths/{}",
        crate::error::escape_segment(&service.base_path)
    )
}

/// One non-generic `Encode` impl per params type, so the encoder for them is compiled once, in
/// this crate, not again in every crate calling an endpoint.
pub(super) fn codec_impls(ir: &Ir) -> Result<Vec<(TokenStream, String)>, Error> {
    let operations = ir.services.iter().flat_map(|s| &s.operations);
    // Each impl is reported against the first operation that needs it. A multipart body is
    // written from the params' `FormValue` by `call_multipart`, with no `Encode`.
    let mut params: Vec<(&str, String, &BodyEncoding)> = Vec::new();
    for operation in operations {
        if !params.iter().any(|(name, _, _)| *name == operation.params) {
            params.push((
                &operation.params,
                operation_pointer(operation),
                &operation.body,
            ));
        }
    }
    let mut impls = Vec::new();
    let listed: Vec<&str> = ir
        .services
        .iter()
        .flat_map(|s| &s.operations)
        .filter(|op| matches!(op.response, Ty::List(_)))
        .map(|op| op.params.as_str())
        .collect();
    for (name, pointer, body) in params {
        let ty = ident(name, &pointer)?;
        if let (true, Some((after, before))) = (listed.contains(&name), cursors(ir, name)) {
            let after = ident(after, &pointer)?;
            let before = ident(before, &pointer)?;
            impls.push((
                quote! {
                    impl crate::__private::PageParams for #ty {
                        fn cursor(&self, backward: bool) -> Option<&str> {
                            if backward { self.#before.as_deref() } else { self.#after.as_deref() }
                        }
                        fn set_cursor(&mut self, backward: bool, cursor: String) {
                            if backward { self.#before = Some(cursor) } else { self.#after = Some(cursor) }
                        }
                    }
                },
                pointer.clone(),
            ));
        }
        let encoder = match body {
            BodyEncoding::Multipart => continue,
            BodyEncoding::Json => quote!(crate::__private::encode_json(self)),
            _ => quote!(crate::__private::encode_params(self)),
        };
        let tokens = quote! {
            impl crate::__private::Encode for #ty {
                #[inline(never)]
                fn encode(&self) -> Result<String, crate::__private::Error> {
                    #encoder
                }
            }
        };
        impls.push((tokens, pointer));
    }
    Ok(impls)
}

/// The Rust names of the `starting_after` and `ending_before` fields of a params struct, when
/// it has both as optional text: the list endpoints a paginator can walk.
pub(super) fn cursors<'a>(ir: &'a Ir, params: &str) -> Option<(&'a str, &'a str)> {
    let def = ir.types.iter().find(|t| t.name == params)?;
    let TypeKind::Struct(fields) = &def.kind else {
        return None;
    };
    let find = |wire: &str| {
        fields
            .iter()
            .find(|f| f.wire_name == wire && f.ty == Ty::String && f.optional && !f.boxed)
            .map(|f| f.name.as_str())
    };
    Some((find("starting_after")?, find("ending_before")?))
}

/// `/paths/~1v1~1checkout~1sessions/post`.
pub(super) fn operation_pointer(operation: &Operation) -> String {
    crate::error::join(
        &crate::error::join("/paths", &operation.path),
        operation.http_method.key(),
    )
}

pub(super) fn service_def(service: &Service, ir: &Ir) -> Result<TokenStream, Error> {
    let pointer = service_pointer(service);
    let name = ident(&service.name, &pointer)?;
    let accessor = ident(&service.accessor, &pointer)?;
    let base = &service.base_path;
    let struct_doc = format!(
        " The endpoints under `{base}`. Get one from [`crate::Client::{}`].",
        service.accessor
    );
    let accessor_doc = format!(" The endpoints under `{base}`.");
    let mut methods = Vec::new();
    for operation in &service.operations {
        methods.push(operation_def(operation, &pointer, ir)?);
    }
    // Methods return an owned `crate::Request` (per-call options, `Send + 'static` future), so
    // this value only needs to borrow the client while a call is built.
    Ok(quote! {
        #[doc = #struct_doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'c> {
            client: &'c crate::__private::Client,
        }
        impl crate::__private::Client {
            #[doc = #accessor_doc]
            pub fn #accessor(&self) -> #name<'_> {
                #name { client: self }
            }
        }
        impl #name<'_> {
            #(#methods)*
        }
    })
}

pub(super) fn operation_def(
    operation: &Operation,
    pointer: &str,
    ir: &Ir,
) -> Result<TokenStream, Error> {
    let method = ident(&operation.method_name, pointer)?;
    let params = ident(&operation.params, pointer)?;
    let response = ty_tokens(&operation.response, pointer)?;
    let http = match operation.http_method {
        HttpMethod::Get => quote!(crate::__private::Method::Get),
        HttpMethod::Post => quote!(crate::__private::Method::Post),
        HttpMethod::Delete => quote!(crate::__private::Method::Delete),
    };
    let verb = operation.http_method.verb();

    // `/v1/checkout/sessions/{session}`: each id is encoded as one path segment into a local of
    // the same name, and the template stays readable as an inline `format!` string.
    let mut args = Vec::new();
    let mut template = String::new();
    let mut rest = operation.path.as_str();
    while let Some(start) = rest.find('{') {
        template.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else {
            return Err(Error::new(
                pointer,
                format!("unclosed `{{` in path `{}`", operation.path),
            ));
        };
        let wire = &rest[start + 1..start + end];
        let param = operation
            .path_params
            .iter()
            .find(|p| p.wire_name == wire)
            .ok_or_else(|| {
                Error::new(pointer, format!("path parameter `{wire}` is not declared"))
            })?;
        template.push_str(&format!("{{{}}}", param.name));
        args.push(ident(&param.name, pointer)?);
        rest = &rest[start + end + 1..];
    }
    template.push_str(rest);
    let path_expr = if args.is_empty() {
        quote!(let path = #template.to_owned();)
    } else {
        quote!(
            #(let #args = crate::__private::encode_path_segment(#args);)*
            let path = format!(#template);
        )
    };
    let arg_decls = args.iter().map(|a| quote!(#a: &str,));

    let mut doc = operation.doc.clone().unwrap_or_default();
    doc.push_str(&format!(
        "\n\n`{verb} {}` ({})",
        operation.path, operation.operation_id
    ));
    for param in &operation.path_params {
        if let Some(param_doc) = &param.doc {
            doc.push_str(&format!("\n\n`{}`: {param_doc}", param.name));
        }
    }
    doc.push_str(
        "\n\nReturns a [`crate::Request`]: `.await` it, after setting per-call options \
         (`.idempotency_key(…)`, `.stripe_account(…)`, `.timeout(…)`) if needed.",
    );
    let doc = docs(Some(doc.trim()));

    // The runtime function for the body and response encodings (`support.rs` leaves out the
    // pairs none fits).
    let call = match (&operation.body, &operation.response_encoding) {
        (_, ResponseEncoding::Binary(_)) => quote!(crate::__private::call_binary),
        (BodyEncoding::Json, _) => quote!(crate::__private::call_json),
        (BodyEncoding::Multipart, _) => quote!(crate::__private::call_multipart),
        _ => quote!(crate::__private::call),
    };
    let mut call = quote!(#call(self.client, #http, path, params));
    if let Some(server) = &operation.server {
        call = quote!(crate::__private::on_server(#call, #server));
    }
    let main = quote! {
        #doc
        pub fn #method(&self, #(#arg_decls)* params: &#params) -> crate::__private::Request<#response> {
            #path_expr
            #call
        }
    };
    let (Ty::List(item), Some(_)) = (&operation.response, cursors(ir, &operation.params)) else {
        return Ok(main);
    };
    let item = ty_tokens(item, pointer)?;
    let paging = ident(&format!("{}_auto_paging", operation.method_name), pointer)?;
    let arg_decls = args.iter().map(|a| quote!(#a: &str,));
    let paging_doc = format!(
        " Every item of [`Self::{}`], fetching further pages as the stream is polled \
         (following `starting_after`, or `ending_before` when the params set it).",
        operation.method_name
    );
    Ok(quote! {
        #main
        #[doc = #paging_doc]
        pub fn #paging(&self, #(#arg_decls)* params: &#params) -> crate::__private::Paginator<#item> {
            #path_expr
            crate::__private::call_paginated(self.client, path, params)
        }
    })
}
