//! Lowers the spec model to the IR: resolves `$ref`s, names inline types, recognises Stripe's
//! conventions (expandable fields, unsettable params, list pages, timestamps) and rejects what it
//! cannot represent faithfully, naming the JSON pointer.
//!
//! Each inline type it creates is its own, named from where it sits; sharing the copies
//! ([`crate::dedup`]) and boxing ([`crate::boxing`]) are the stages after this one.

mod docs;
mod modules;
mod operations;
mod types;
mod unions;

use std::collections::BTreeMap;

use crate::error::{join, Error};
use crate::ir::*;
use crate::names::{type_name, Namer};
use crate::spec::Spec;

use modules::assign_modules;

pub use docs::clean_doc;
pub use operations::CLIENT_METHODS;

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Lowers a parsed spec to the IR.
pub fn lower(spec: &Spec) -> Result<Ir, Error> {
    let mut lowerer = Lowerer::new(spec);
    for (name, schema) in &spec.components.schemas {
        lowerer.component(name, schema)?;
    }
    let services = lowerer.services()?;
    let types = lowerer.types.into_iter().flatten().collect::<Vec<_>>();
    Ok(Ir {
        api_version: spec.info.version.clone(),
        types,
        services,
        skipped: Vec::new(),
    })
}

struct Lowerer<'a> {
    spec: &'a Spec,
    namer: Namer,
    /// Component schema name → Rust type name.
    component_types: BTreeMap<String, String>,
    /// Component schema name → generated module.
    component_modules: BTreeMap<String, String>,
    /// Slots keep parents ahead of the inline types their fields create.
    types: Vec<Option<TypeDef>>,
    /// Response unions already emitted, by name, to reuse identical ones.
    unions: BTreeMap<String, Vec<Variant>>,
    /// Components being inlined right now, to turn a `$ref` cycle into an error.
    inlining: Vec<String>,
}

/// Where an inline schema sits: names and modules for the types it may create.
#[derive(Clone)]
struct Ctx<'c> {
    pointer: String,
    /// Name for an inline type created here.
    hint: String,
    /// The already-claimed name of the component being lowered, used instead of `hint`.
    fixed_name: Option<String>,
    direction: Direction,
    module: &'c str,
    /// Where this is in a form body, which gives its params' form key.
    form_key: FormKey,
    /// The operation whose params these are, for links to Stripe's API reference.
    reference: Option<OpReference>,
}

/// An operation's entry in Stripe's API reference: its page and the anchor its parameters'
/// anchors start with (`create_checkout_session`, then `-line_items-price_data`).
#[derive(Clone, Debug)]
struct OpReference {
    page: String,
    anchor: String,
}

impl Ctx<'_> {
    /// This param's entry in Stripe's API reference, when it is a param with a form key.
    fn reference(&self) -> Option<String> {
        let op = self.reference.as_ref()?;
        let key = self.form_key.key()?;
        // `line_items[][price_data]` → `line_items-price_data`.
        let path: Vec<&str> = key
            .split(['[', ']'])
            .filter(|segment| !segment.is_empty() && *segment != "*")
            .collect();
        Some(if path.is_empty() {
            format!("{}#{}", op.page, op.anchor)
        } else {
            format!("{}#{}-{}", op.page, op.anchor, path.join("-"))
        })
    }
}

/// The form key of a value in a request body as lowering descends into it: the body is `""`,
/// its property `line_items` is `line_items`, that array's items `line_items[]`, their property
/// `price_data` `line_items[][price_data]`; a union member keeps its union's key. Anything else
/// (query parameters, responses, components reached by `$ref`) has none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
enum FormKey {
    #[default]
    None,
    /// The key of the value here.
    At(String),
    /// Under `properties`, before the property's name.
    Properties(String),
    /// Under `anyOf`/`oneOf`, before the member's index.
    Member(String),
}

impl FormKey {
    fn step(self, segment: &str) -> FormKey {
        match self {
            FormKey::None => FormKey::None,
            FormKey::At(key) => match segment {
                "properties" => FormKey::Properties(key),
                "items" => FormKey::At(format!("{key}[]")),
                // A map's values: any key, written `[*]` here (`currency_options[*]`).
                "additionalProperties" => FormKey::At(format!("{key}[*]")),
                "anyOf" | "oneOf" => FormKey::Member(key),
                _ => FormKey::None,
            },
            FormKey::Properties(key) if key.is_empty() => FormKey::At(segment.to_owned()),
            FormKey::Properties(key) => FormKey::At(format!("{key}[{segment}]")),
            FormKey::Member(key) => FormKey::At(key),
        }
    }

    fn key(&self) -> Option<String> {
        match self {
            FormKey::At(key) => Some(key.clone()),
            _ => None,
        }
    }
}

impl<'c> Ctx<'c> {
    fn child(&self, segment: &str, hint: String) -> Ctx<'c> {
        Ctx {
            pointer: join(&self.pointer, segment),
            hint,
            fixed_name: None,
            direction: self.direction,
            module: self.module,
            form_key: self.form_key.clone().step(segment),
            reference: self.reference.clone(),
        }
    }

    fn at(&self, path: &[&str]) -> Ctx<'c> {
        let mut pointer = self.pointer.clone();
        let mut form_key = self.form_key.clone();
        for segment in path {
            pointer = join(&pointer, segment);
            form_key = form_key.step(segment);
        }
        Ctx {
            pointer,
            hint: self.hint.clone(),
            fixed_name: self.fixed_name.clone(),
            direction: self.direction,
            module: self.module,
            form_key,
            reference: self.reference.clone(),
        }
    }
}

impl<'a> Lowerer<'a> {
    fn new(spec: &'a Spec) -> Self {
        // Component names are claimed first, so they never depend on inline names.
        let mut namer = Namer::for_types();
        let component_types = spec
            .components
            .schemas
            .keys()
            .map(|name| (name.clone(), namer.claim(type_name(name))))
            .collect();
        let component_modules = assign_modules(spec);
        Lowerer {
            spec,
            namer,
            component_types,
            component_modules,
            types: Vec::new(),
            unions: BTreeMap::new(),
            inlining: Vec::new(),
        }
    }

    fn claim(&mut self, hint: &str) -> String {
        self.namer.claim(type_name(hint))
    }

    /// The component's own (already claimed) name, or a fresh one from the hint.
    fn claim_for(&mut self, ctx: &Ctx<'_>) -> String {
        match &ctx.fixed_name {
            Some(name) => name.clone(),
            None => self.claim(&ctx.hint),
        }
    }

    fn reserve(&mut self) -> usize {
        self.types.push(None);
        self.types.len() - 1
    }

    fn fill(&mut self, slot: usize, def: TypeDef) {
        if let Some(entry) = self.types.get_mut(slot) {
            *entry = Some(def);
        }
    }

    fn push(&mut self, def: TypeDef) {
        self.types.push(Some(def));
    }
}
