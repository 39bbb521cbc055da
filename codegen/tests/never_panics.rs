//! The generator returns `Err` rather than panicking on malformed, truncated or mutated specs.

use std::path::Path;

use proptest::prelude::*;

fn subset() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/checkout_session.yaml");
    std::fs::read_to_string(path).expect("spec/checkout_session.yaml is committed")
}

fn fixtures() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut specs: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    specs.sort();
    specs
}

/// Runs the whole pipeline; a panic fails the test, `Ok` and `Err` both pass.
fn survives(text: &str) {
    let _ = codegen::generate(text);
}

#[test]
fn truncations_of_the_real_subset() {
    let text = subset();
    // Every 1999th byte boundary: ~160 truncations spread over the whole 320 KB file.
    let mut cut = 0;
    while cut < text.len() {
        if text.is_char_boundary(cut) {
            survives(&text[..cut]);
        }
        cut += 1999;
    }
}

#[test]
fn deleted_lines_of_the_real_subset() {
    let text = subset();
    let lines: Vec<&str> = text.lines().collect();
    // Remove one line at a time, every 107th line.
    for skip in (0..lines.len()).step_by(107) {
        let text: String = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        survives(&text);
    }
}

/// Structural mutations of the parsed document: replace one value anywhere with an odd one.
fn mutate(value: &mut serde_json::Value, target: &mut usize, replacement: &serde_json::Value) {
    use serde_json::Value;
    if *target == 0 {
        *value = replacement.clone();
        *target = usize::MAX;
        return;
    }
    *target -= 1;
    match value {
        Value::Object(map) => map.values_mut().for_each(|v| {
            if *target != usize::MAX {
                mutate(v, target, replacement)
            }
        }),
        Value::Array(items) => items.iter_mut().for_each(|v| {
            if *target != usize::MAX {
                mutate(v, target, replacement)
            }
        }),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_value_replacements(fixture in 0usize..10, target in 0usize..400, kind in 0usize..8) {
        let specs = fixtures();
        let text = &specs[fixture % specs.len()];
        let mut doc: serde_json::Value = serde_yaml::from_str(text).unwrap();
        let replacement = match kind {
            0 => serde_json::json!(null),
            1 => serde_json::json!(42),
            2 => serde_json::json!("#/components/schemas/missing"),
            3 => serde_json::json!({"$ref": "#/components/schemas/missing"}),
            4 => serde_json::json!([]),
            5 => serde_json::json!({"anyOf": []}),
            6 => serde_json::json!({"type": "array"}),
            _ => serde_json::json!({"enum": [true, 1, null]}),
        };
        let mut t = target;
        mutate(&mut doc, &mut t, &replacement);
        survives(&serde_yaml::to_string(&doc).unwrap());
    }

    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        survives(&String::from_utf8_lossy(&bytes));
    }
}
