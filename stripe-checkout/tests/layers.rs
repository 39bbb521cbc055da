//! The runtime's layers, as the "Layers" table in `src/lib.rs` states them: every `crate::` path
//! in a runtime module's code names a module of a lower layer, so no two modules import each
//! other, directly or around a circle. Also: every runtime file has a layer, and `__private.rs`
//! only re-exports.
//!
//! The check reads the source. Comments are left out (a doc link is not an import), and so are
//! the `#[cfg(test)] mod …` items that end a file (tests may use anything). A root path
//! (`crate::Timestamp`, `crate::CheckoutSession`) is followed to where `lib.rs` gets the name:
//! a runtime module, `generated/exports.rs`, or `lib.rs` itself.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn read(name: &str) -> String {
    let path = src().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What the check knows: each module's layer, and where each root name comes from.
struct Layers {
    /// Module (file stem, or `generated`) → layer.
    modules: BTreeMap<String, u32>,
    /// Root name → the module `lib.rs` re-exports it from; `lib` for what `lib.rs` defines.
    root_names: BTreeMap<String, String>,
}

/// Constants that depend on nothing, so any layer may use them though they live in a higher
/// place: `lib.rs`'s `Timestamp` and the spec's `API_VERSION` (in `generated/mod.rs`).
const LAYER_ZERO_CONSTANTS: &[&str] = &["Timestamp", "API_VERSION"];

impl Layers {
    fn load() -> Layers {
        let lib = read("lib.rs");
        let mut root_names = BTreeMap::new();
        for text in [code(&lib), code(&read("generated/exports.rs"))] {
            for (name, module) in re_exports(&text) {
                root_names.insert(name, module);
            }
        }
        for line in code(&lib).lines() {
            for item in [
                "pub type ",
                "pub struct ",
                "pub enum ",
                "pub const ",
                "pub fn ",
            ] {
                if let Some(rest) = line.trim().strip_prefix(item) {
                    root_names.insert(ident(rest), "lib".to_owned());
                }
            }
        }
        Layers {
            modules: table(&lib),
            root_names,
        }
    }

    /// The layer of what `crate::first::second` names, or why it may not be used at all.
    fn layer_of(&self, first: &str, second: Option<&str>) -> Result<(String, u32), String> {
        let module = match first {
            "__private" => {
                return Err("the generated code's contract, which only re-exports".into())
            }
            "generated" if second == Some("API_VERSION") => return Ok(("API_VERSION".into(), 0)),
            _ if LAYER_ZERO_CONSTANTS.contains(&first) => return Ok((first.to_owned(), 0)),
            _ if self.modules.contains_key(first) => first,
            _ => match self.root_names.get(first) {
                Some(module) => module.as_str(),
                None => return Err("a name the check cannot place: give it a layer".into()),
            },
        };
        match self.modules.get(module) {
            Some(&layer) => Ok((module.to_owned(), layer)),
            None => Err(format!("from `{module}`, which has no layer")),
        }
    }

    /// Every use in `source` (the text of module `module`) of a module that is not below it.
    fn violations(&self, module: &str, source: &str) -> Vec<String> {
        let own = self.modules[module];
        let mut found = Vec::new();
        for (first, second) in crate_paths(&code(source)) {
            let path = match &second {
                Some(second) => format!("crate::{first}::{second}"),
                None => format!("crate::{first}"),
            };
            match self.layer_of(&first, second.as_deref()) {
                Ok((_, layer)) if layer < own => {}
                Ok((target, layer)) => found.push(format!(
                    "{module} (layer {own}) uses `{path}` ({target}, layer {layer})"
                )),
                Err(why) => found.push(format!("{module} (layer {own}) uses `{path}`: {why}")),
            }
        }
        found.sort();
        found.dedup();
        found
    }
}

/// Module → layer, from the table under `//! # Layers` in `lib.rs`
/// (`//! | 3 | `form`, `response` | what |`).
fn table(lib: &str) -> BTreeMap<String, u32> {
    let section = lib
        .split("//! # Layers")
        .nth(1)
        .expect("lib.rs's docs have a Layers section");
    let mut modules = BTreeMap::new();
    let section = section
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("//!") && !l.starts_with("//! #"));
    for line in section {
        let cells: Vec<&str> = line[3..].split('|').map(str::trim).collect();
        let Some(layer) = cells.get(1).and_then(|cell| cell.parse::<u32>().ok()) else {
            continue;
        };
        for module in cells[2].split(',') {
            let module = module.trim().trim_matches('`').to_owned();
            assert!(
                modules.insert(module.clone(), layer).is_none(),
                "{module} is in two layers"
            );
        }
    }
    assert!(
        modules.len() > 10,
        "the Layers table was not read: {modules:?}"
    );
    modules
}

/// `(name, module)` for each name a `pub use module::{…}` or `pub use module::Name` in `code`
/// re-exports (`crate::` prefixes dropped; an external crate's `pub use reqwest` is skipped).
fn re_exports(code: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for statement in code.split(';') {
        let statement = statement.trim();
        // Attributes before the statement (`#[allow(deprecated)]`).
        let statement = match statement.rfind(']') {
            Some(end) if statement.starts_with("#[") => statement[end + 1..].trim(),
            _ => statement,
        };
        let Some(path) = statement.strip_prefix("pub use ") else {
            continue;
        };
        let path = path.trim().trim_start_matches("crate::");
        let Some((module, names)) = path.split_once("::") else {
            continue;
        };
        let names = names.trim().trim_start_matches('{').trim_end_matches('}');
        for name in names.split(',') {
            let name = name.trim().rsplit("::").next().unwrap_or_default();
            if !name.is_empty() {
                out.push((name.to_owned(), module.to_owned()));
            }
        }
    }
    out
}

/// A file's code: without comments, and without the `#[cfg(test)] mod …` items that end it.
fn code(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let next_is_mod = lines
            .get(i + 1)
            .is_some_and(|next| next.trim_start().starts_with("mod "));
        if line.trim() == "#[cfg(test)]" && next_is_mod {
            break;
        }
        out.push_str(without_comment(line));
        out.push('\n');
    }
    out
}

/// `line` up to a `//` that is not inside a string literal.
fn without_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            // A character literal such as '"'.
            b'\'' if !in_string && bytes.get(i + 2) == Some(&b'\'') => i += 2,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
        i += 1;
    }
    line
}

/// Every `crate::` path in `code` as its first two segments: `crate::error::Error` is
/// `("error", Some("Error"))`, and `crate::{A, b::C}` gives `("A", None)` and `("b", Some("C"))`.
fn crate_paths(code: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        match rest.trim_start().strip_prefix('{') {
            Some(group) => {
                let mut depth = 1;
                let end = group
                    .char_indices()
                    .find_map(|(i, c)| {
                        match c {
                            '{' => depth += 1,
                            '}' => depth -= 1,
                            _ => {}
                        }
                        (depth == 0).then_some(i)
                    })
                    .expect("a `crate::{` group is closed");
                out.extend(top_level_items(&group[..end]).into_iter().map(segments));
            }
            None => out.push(segments(rest)),
        }
    }
    out
}

/// The comma-separated items of a `{…}` group, nested groups kept whole.
fn top_level_items(group: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&group[start..]);
    items.retain(|item| !item.trim().is_empty());
    items
}

fn segments(path: &str) -> (String, Option<String>) {
    let path = path.trim_start();
    let first = ident(path);
    let second = path[first.len()..]
        .trim_start()
        .strip_prefix("::")
        .map(|rest| ident(rest.trim_start()))
        .filter(|second| !second.is_empty());
    (first, second)
}

fn ident(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The runtime's files: `src/*.rs` but `lib.rs` and `__private.rs`, as module names.
fn runtime_modules() -> Vec<String> {
    let mut modules: Vec<String> = std::fs::read_dir(src())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|name| name.strip_suffix(".rs").map(str::to_owned))
        .filter(|name| name != "lib" && name != "__private")
        .collect();
    modules.sort();
    modules
}

#[test]
fn every_runtime_module_uses_only_lower_layers() {
    let layers = Layers::load();
    let mut violations = Vec::new();
    for module in runtime_modules() {
        violations.extend(layers.violations(&module, &read(&format!("{module}.rs"))));
    }
    assert!(
        violations.is_empty(),
        "a module may use only modules of lower layers (the Layers table in lib.rs):\n{}",
        violations.join("\n")
    );
}

#[test]
fn every_runtime_module_has_a_layer_and_every_layer_module_exists() {
    let layers = Layers::load();
    let files = runtime_modules();
    for module in &files {
        assert!(
            layers.modules.contains_key(module),
            "src/{module}.rs is in no layer: add it to the Layers table in lib.rs"
        );
    }
    for module in layers.modules.keys() {
        assert!(
            files.contains(module) || src().join(module).is_dir(),
            "the Layers table names `{module}`, which is no module"
        );
    }
}

#[test]
fn private_only_re_exports() {
    let code = code(&read("__private.rs"));
    for statement in code.split(';') {
        let statement = statement.trim();
        let statement = statement
            .strip_prefix("#[cfg(feature = \"serde\")]")
            .unwrap_or(statement)
            .trim();
        assert!(
            statement.is_empty() || statement.starts_with("pub use crate::"),
            "__private.rs defines something; define it in the module it belongs to and \
             re-export it: {statement}"
        );
    }
}

/// The check itself: an upward path is caught however it is written, and comments and tests
/// are not read.
#[test]
fn an_upward_path_is_caught() {
    let layers = Layers::load();
    let source = r#"
use crate::decode::Parser;
use crate::{method::Method, webhook::{self, Webhook}};
/// Returns a [`crate::Request`]: a doc link, not an import.
fn f() -> crate::Client { todo!() } // crate::event in a comment
const URL: &str = "https://example.com"; fn g() -> crate::__private::Encode {}
type T = crate::Timestamp;

#[cfg(test)]
mod tests {
    use crate::event::Event;
}
"#;
    assert_eq!(
        layers.violations("error", source),
        [
            "error (layer 2) uses `crate::Client` (client, layer 6)",
            "error (layer 2) uses `crate::__private::Encode`: the generated code's contract, \
             which only re-exports",
            "error (layer 2) uses `crate::webhook` (webhook, layer 9)",
        ]
    );
    assert!(layers.violations("client", "use crate::Nowhere;")[0].contains("cannot place"));
}
