//! Rust names for spec names: idiomatic (heck), valid identifiers, collisions resolved in a
//! fixed order so the same spec always yields the same names.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict and reserved) that cannot be field or variant names as they are.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keeps ASCII letters, digits and `_`; everything else separates words.
fn words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Names the generated code uses unqualified. The generated modules glob-import each other
/// (`use super::*`), and a glob import shadows the prelude, so a generated type called `String`
/// or `Option` would silently change the meaning of every other type. [`Namer::for_types`]
/// holds these back, so a schema named `string` becomes `String2`.
pub const PRELUDE_TYPES: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Self",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// The runtime's own names at the crate root (`stripe-checkout/src/lib.rs`), where every
/// generated type is re-exported too, each by name (`generated/exports.rs`). A generated type of
/// the same name would not compile there (E0252), so the generator gives it another name (the
/// whole spec's `error` schema becomes `Error2`). The compiler keeps this list honest: a runtime
/// name missing from it fails the build as soon as the spec has a type of that name.
pub const RUNTIME_TYPES: &[&str] = &[
    "ApiError",
    "ApiErrorObject",
    "ApiErrorType",
    "Client",
    "ClientBuilder",
    "ConfigError",
    "DecodeError",
    "EncodeError",
    "Error",
    "Event",
    "EventData",
    "EventObject",
    "EventRequest",
    "EventType",
    "Expandable",
    "ExtraFields",
    "Identified",
    "List",
    "ListCheckoutSessionsCreated",
    "ListCheckoutSessionsCreatedRangeQuerySpecs",
    "ListCheckoutSessionsCustomerDetails",
    "ListCheckoutSessionsParams",
    "MetaFuture",
    "Method",
    "PaginationError",
    "Paginator",
    "Request",
    "RequestFuture",
    "Response",
    "Timestamp",
    "TooLargeError",
    "TransportError",
    "UnknownValue",
    "Unsettable",
    "Webhook",
    "WebhookError",
];

/// Module names the generated code uses as path roots (`std::`, `serde::`, …), which a
/// generated module of the same name would shadow.
pub const PATH_ROOTS: &[&str] = &["alloc", "core", "serde", "serde_json", "std"];

/// `checkout.session` → `CheckoutSession`, `self` → `Self_`; never empty, never starts with a
/// digit, never a keyword. Used for type and variant names.
pub fn type_name(raw: &str) -> String {
    let name = words(raw).to_upper_camel_case();
    match name.chars().next() {
        None => "Unnamed".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("V{name}"),
        // `Self` is the only keyword that is UpperCamelCase, and it cannot be a raw identifier.
        Some(_) if KEYWORDS.contains(&name.as_str()) => format!("{name}_"),
        Some(_) => name,
    }
}

/// A module name for a resource: [`field_name`], kept clear of the path roots the generated
/// code relies on.
pub fn module_name(raw: &str) -> String {
    let name = field_name(raw);
    if PATH_ROOTS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// `line_items` → `line_items`, `type` → `type_`; never empty, never starts with a digit,
/// never a keyword (a trailing `_` rather than `r#`, since `self`, `super` and `crate` cannot be
/// raw identifiers). Used for fields, methods, arguments and modules.
pub fn field_name(raw: &str) -> String {
    let name = words(raw).to_snake_case();
    let name = match name.chars().next() {
        None => "field".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("n{name}"),
        Some(_) => name,
    };
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// Hands out unique names: the first claimant keeps the name, later ones get `2`, `3`, ….
#[derive(Debug, Default, Clone)]
pub struct Namer {
    taken: BTreeSet<String>,
}

impl Namer {
    /// A namer with `reserved` already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namer {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// A namer for type names: [`PRELUDE_TYPES`] and [`RUNTIME_TYPES`] are taken.
    pub fn for_types() -> Self {
        let mut namer = Self::with_reserved(PRELUDE_TYPES);
        namer
            .taken
            .extend(RUNTIME_TYPES.iter().map(|name| (*name).to_owned()));
        namer
    }

    /// Claims `name`, else `name` + `suffix`, else as [`Namer::claim`] would.
    pub fn claim_or_suffix(&mut self, name: String, suffix: &str) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        self.claim(format!("{name}{suffix}"))
    }

    /// Claims `name`, or the first free `name2`, `name3`, ….
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let mut n = 2usize;
        loop {
            let candidate = format!("{name}{n}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_idiomatic_and_valid() {
        assert_eq!(type_name("checkout.session"), "CheckoutSession");
        assert_eq!(type_name("es-419"), "Es419");
        assert_eq!(type_name("3d_secure"), "V3dSecure");
        assert_eq!(type_name(""), "Unnamed");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("line_items"), "line_items");
        assert_eq!(field_name("en-GB"), "en_gb");
        assert_eq!(field_name("1st"), "n1st");
    }

    #[test]
    fn keywords_never_become_identifiers() {
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(type_name("Self"), "Self_");
        for keyword in KEYWORDS {
            let field = field_name(keyword);
            assert!(!KEYWORDS.contains(&field.as_str()), "{keyword} -> {field}");
            assert!(
                syn::parse_str::<syn::Ident>(&field).is_ok(),
                "{keyword} -> {field}"
            );
            let ty = type_name(keyword);
            assert!(
                syn::parse_str::<syn::Ident>(&ty).is_ok(),
                "{keyword} -> {ty}"
            );
        }
        assert_eq!(module_name("std"), "std_");
        assert_eq!(module_name("checkout.session"), "checkout_session");
    }

    #[test]
    fn prelude_names_are_held_back_for_types() {
        let mut namer = Namer::for_types();
        assert_eq!(namer.claim(type_name("string")), "String2");
        assert_eq!(namer.claim(type_name("option")), "Option2");
        assert_eq!(namer.claim(type_name("self")), "Self_");
        assert_eq!(namer.claim(type_name("send")), "Send2");
        assert_eq!(namer.claim(type_name("client")), "Client2");
        assert_eq!(namer.claim(type_name("unknown_value")), "UnknownValue2");
    }

    #[test]
    fn collisions_get_numbered_in_claim_order() {
        let mut namer = Namer::with_reserved(&["Unknown"]);
        assert_eq!(namer.claim("Mode".into()), "Mode");
        assert_eq!(namer.claim("Mode".into()), "Mode2");
        assert_eq!(namer.claim("Unknown".into()), "Unknown2");
    }
}
