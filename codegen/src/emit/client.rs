//! The client's generated files: one per IR module plus `mod.rs` and `exports.rs`. This file
//! schedules the work (modules rendered in chunks on all cores) and lays out the files; the
//! items come from `super::endpoints`, `super::codecs` and `super::types`.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::codecs::{json_impl, json_types, struct_codec_impl, union_def};
use super::endpoints::{codec_impls, service_def, service_pointer};
use super::syntax::{ident, render, GeneratedFile, Piece, HEADER};
use super::types::{enum_def, struct_def, TypeCache};
use crate::error::Error;
use crate::ir::{Ir, TypeDef, TypeKind};

/// The module holding the endpoint-group structs and the codec impls.
const ENDPOINTS_MODULE: &str = "endpoints";

/// Types per rendering job: a module is rendered in chunks of this many types, so that one large
/// module (the session's holds most of a subset) is spread over all cores too.
const CHUNK: usize = 48;

/// Renders the IR as source files, in a fixed order.
///
/// Modules are rendered in chunks of `CHUNK` types on all cores (most of the time goes to
/// building syntax, parsing what is still quoted and printing with prettyplease). Each worker
/// builds and prints one chunk at a time, so only that chunk's syntax tree is alive; a module's
/// chunks are joined in order (prettyplease prints items one after another, so the joined text is
/// what printing the whole module would give), and the files come back sorted by name, so the
/// output does not depend on the scheduling.
pub fn emit(ir: &Ir) -> Result<Vec<GeneratedFile>, Error> {
    emit_in_chunks(ir, CHUNK)
}

/// [`emit`] with `chunk` types per job.
fn emit_in_chunks(ir: &Ir, chunk: usize) -> Result<Vec<GeneratedFile>, Error> {
    let mut modules: BTreeMap<&str, Vec<&TypeDef>> = BTreeMap::new();
    for def in &ir.types {
        modules.entry(def.module.as_str()).or_default().push(def);
    }
    let has_endpoints = !ir.services.is_empty();
    let json = json_types(ir);
    let mut names: Vec<&str> = modules.keys().copied().collect();
    if has_endpoints && !modules.contains_key(ENDPOINTS_MODULE) {
        names.push(ENDPOINTS_MODULE);
        names.sort_unstable();
    }
    // (module, chunk index, its types, whether it is the module's last chunk).
    let mut jobs: Vec<(&str, usize, &[&TypeDef], bool)> = Vec::new();
    for module in &names {
        let defs = modules.get(module).map_or(&[][..], Vec::as_slice);
        let chunks: Vec<&[&TypeDef]> = if defs.is_empty() {
            vec![defs]
        } else {
            defs.chunks(chunk).collect()
        };
        let last = chunks.len() - 1;
        for (i, chunk) in chunks.into_iter().enumerate() {
            jobs.push((module, i, chunk, i == last));
        }
    }
    let render_chunk =
        |&(module, index, defs, last): &(&str, usize, &[&TypeDef], bool)| -> Result<String, Error> {
            // Each item keeps the pointer of the spec location it came from, so output that does
            // not parse is reported against the schema or operation that produced it.
            let mut items = Vec::new();
            let mut types = TypeCache::default();
            for def in defs {
                match &def.kind {
                    TypeKind::Struct(fields) => {
                        let (item, impls) = struct_def(def, fields, &mut types)?;
                        items.push(Piece::Items(vec![item]));
                        let codec = struct_codec_impl(def, fields)?;
                        items.push(Piece::Tokens(quote!(#impls #codec), def.pointer.clone()));
                    }
                    TypeKind::Enum(values) => {
                        items.push(Piece::Tokens(enum_def(def, values)?, def.pointer.clone()))
                    }
                    TypeKind::Union(variants) => items.push(Piece::Tokens(
                        union_def(def, variants)?,
                        def.pointer.clone(),
                    )),
                }
            }
            // JSON bodies (v2): their types' writers, after the types.
            for def in defs.iter().filter(|def| json.contains(&def.name)) {
                items.push(Piece::Tokens(json_impl(def)?, def.pointer.clone()));
            }
            if has_endpoints && module == ENDPOINTS_MODULE && last {
                for service in &ir.services {
                    items.push(Piece::Tokens(
                        service_def(service, ir)?,
                        service_pointer(service),
                    ));
                }
                let codecs = codec_impls(ir)?;
                items.extend(codecs.into_iter().map(|(t, p)| Piece::Tokens(t, p)));
            }
            // Types refer to each other across modules by bare name; `mod.rs` re-exports them all.
            let prelude = if index == 0 {
                let doc = module_doc(module);
                quote! {
                    #![doc = #doc]
                    #[allow(unused_imports)]
                    use super::*;
                }
            } else {
                TokenStream::new()
            };
            render(prelude, items, module)
        };
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len())
        .max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut rendered: Vec<(usize, Result<String, Error>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break };
                        done.push((i, render_chunk(job)));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    if rendered.len() != jobs.len() {
        return Err(Error::new("", "a module renderer panicked"));
    }
    // Back in job order (modules by name, chunks in order); the first error in that order,
    // whichever worker found it.
    rendered.sort_by_key(|(i, _)| *i);
    let mut files: Vec<GeneratedFile> = Vec::new();
    for ((module, index, _, _), (_, text)) in jobs.iter().zip(rendered) {
        let text = text?;
        if *index == 0 {
            files.push(GeneratedFile {
                name: format!("{module}.rs"),
                contents: format!("{HEADER}{text}"),
            });
        } else if let Some(file) = files.last_mut() {
            file.contents.push_str(&text);
        }
    }

    let aliases = renamed(ir);
    if !aliases.is_empty() {
        files.push(deprecated(&aliases)?);
        names.push(DEPRECATED_MODULE);
        names.sort_unstable();
    }
    let mut mod_items = Vec::new();
    for module in &names {
        let ident = ident(module, "/paths")?;
        mod_items.push(quote! {
            mod #ident;
            pub use #ident::*;
        });
    }
    let version = &ir.api_version;
    let version_doc =
        " The Stripe API version these types were generated from; sent as `Stripe-Version`.";
    let root_doc = " Types and endpoint methods generated from Stripe's OpenAPI spec (`spec/checkout_session.yaml`).";
    let root = quote! {
        #![doc = #root_doc]
        #[doc = #version_doc]
        pub const API_VERSION: &str = #version;
        #(#mod_items)*
    };
    files.push(GeneratedFile {
        name: "mod.rs".to_owned(),
        contents: format!("{HEADER}{}", render(root, Vec::new(), "mod")?),
    });
    files.push(exports(ir, &aliases)?);
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

/// `exports.rs`, which the crate root `include!`s: every public generated name re-exported one
/// by one. Beside the runtime's own `pub use`s, a generated name equal to one of them is then a
/// compile error (E0252, defined multiple times), where a glob would silently lose it.
fn exports(ir: &Ir, aliases: &[Renamed]) -> Result<GeneratedFile, Error> {
    let mut names = vec![ident("API_VERSION", "/info/version")?];
    for def in &ir.types {
        names.push(ident(&def.name, &def.pointer)?);
    }
    for service in &ir.services {
        names.push(ident(&service.name, &service_pointer(service))?);
    }
    names.sort_by_key(|name| name.to_string());
    let old = aliases
        .iter()
        .map(|a| ident(&a.old, "/components/schemas"))
        .collect::<Result<Vec<_>, _>>()?;
    let deprecated = (!old.is_empty()).then(|| {
        quote! {
            #[allow(deprecated)]
            pub use crate::generated::{#(#old),*};
        }
    });
    let file = syn::parse2::<syn::File>(quote! {
        pub use crate::generated::{#(#names),*};
        #deprecated
    })
    .map_err(|e| Error::new("", format!("generated re-exports do not parse: {e}")))?;
    let note = "// Included by `lib.rs`: each generated name re-exported at the crate root by itself, so one that\n\
                // equals a runtime name is a compile error (E0252) instead of being hidden by a glob.\n";
    Ok(GeneratedFile {
        name: "exports.rs".to_owned(),
        contents: format!("{HEADER}{note}{}", prettyplease::unparse(&file)),
    })
}

/// The module of the deprecated aliases.
const DEPRECATED_MODULE: &str = "deprecated";

/// Old names of generated types and their new ones: `codegen/renamed_types.yaml`.
const RENAMED: &str = include_str!("../../renamed_types.yaml");

/// An old name kept as a deprecated alias.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
struct Renamed {
    #[serde(skip)]
    old: String,
    to: String,
    since: String,
}

/// The aliases of `RENAMED` that apply to this IR: the new name is generated, the old one is not.
fn renamed(ir: &Ir) -> Vec<Renamed> {
    let by_old: BTreeMap<String, Renamed> = serde_yaml::from_str(RENAMED).unwrap_or_default();
    let generated: std::collections::BTreeSet<&str> =
        ir.types.iter().map(|t| t.name.as_str()).collect();
    by_old
        .into_iter()
        .filter(|(old, r)| generated.contains(r.to.as_str()) && !generated.contains(old.as_str()))
        .map(|(old, r)| Renamed { old, ..r })
        .collect()
}

/// `deprecated.rs`: one `#[deprecated]` type alias per old name.
fn deprecated(aliases: &[Renamed]) -> Result<GeneratedFile, Error> {
    let mut items = Vec::new();
    for alias in aliases {
        let old = ident(&alias.old, "/components/schemas")?;
        let new = ident(&alias.to, "/components/schemas")?;
        let doc = format!(" Old name of [`{}`].", alias.to);
        let note = format!("renamed to `{}`", alias.to);
        let since = &alias.since;
        items.push(Piece::Tokens(
            quote! {
                #[doc = #doc]
                #[deprecated(since = #since, note = #note)]
                pub type #old = #new;
            },
            String::new(),
        ));
    }
    let doc = module_doc(DEPRECATED_MODULE);
    let head = quote! {
        #![doc = #doc]
        #[allow(unused_imports)]
        use super::*;
    };
    Ok(GeneratedFile {
        name: format!("{DEPRECATED_MODULE}.rs"),
        contents: format!("{HEADER}{}", render(head, items, DEPRECATED_MODULE)?),
    })
}

fn module_doc(module: &str) -> String {
    match module {
        "endpoints" => " Endpoint methods, grouped by resource.".to_owned(),
        "pruned" => " Identity stubs of expansion targets outside Checkout: only `id` (and `object`, `deleted`) are typed.".to_owned(),
        "shared" => " Types no endpoint returns directly.".to_owned(),
        "deprecated" => " Old names of renamed types, kept as deprecated aliases (`codegen/renamed_types.yaml`).".to_owned(),
        other => format!(" The `{other}` resource, the types it embeds and the params of the endpoints returning it."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Chunking is invisible in the output: one type per job and one job per module give the
    /// same files as the default.
    #[test]
    fn output_does_not_depend_on_chunking() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(root.join("../spec/checkout_session.yaml")).unwrap();
        let spec = crate::spec::Spec::from_yaml(&text).unwrap();
        let ir = crate::ir(&spec).unwrap();
        let default = emit(&ir).unwrap();
        assert_eq!(emit_in_chunks(&ir, 1).unwrap(), default);
        assert_eq!(emit_in_chunks(&ir, usize::MAX).unwrap(), default);
    }
}
