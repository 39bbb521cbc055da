//! The JSON path of a position in a document, for decode errors.
//!
//! Decoding tracks no path (tracking costs time on every response). A failure of the crate's
//! own decoder (`decode.rs`) knows its byte offset, and a failure of serde_json (the
//! hand-written serde types) its line and column, which [`offset_of`] turns into one; this
//! module walks the document's structure up to that offset, with no typing at all, and names
//! the value there the way `serde_path_to_error` would: `data[0].amount_total`, `.` for the
//! document itself.

/// One step of a path.
#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// A container being scanned: an object (with the key of its current member, if read) or an
/// array (with the index of its current element).
enum Frame {
    Object(Option<String>),
    Array(usize),
}

/// The path of the innermost value open at byte `offset`. Malformed input yields the path as
/// far as it could be followed.
pub(crate) fn path_at_offset(bytes: &[u8], offset: usize) -> String {
    render(&walk(bytes, offset.min(bytes.len())))
}

/// The byte offset of a 1-based line and column (as serde_json reports them), clamped to the
/// document.
pub(crate) fn offset_of(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut current = 1;
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        if current == line {
            break;
        }
        if *b == b'\n' {
            current += 1;
            start = i + 1;
        }
    }
    (start + column.saturating_sub(1)).min(bytes.len())
}

/// The path of the value being read at `offset`.
fn walk(bytes: &[u8], offset: usize) -> Vec<Segment> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < bytes.len() && i < offset {
        match bytes[i] {
            b'{' => stack.push(Frame::Object(None)),
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(index)) => *index += 1,
                Some(Frame::Object(key)) => *key = None,
                None => {}
            },
            b'"' => {
                let (text, end) = string_at(bytes, i);
                // A string right after `{` or `,` in an object is a key.
                if let Some(Frame::Object(key @ None)) = stack.last_mut() {
                    *key = Some(text);
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    // serde_json reports an error about a whole container (a missing field, a wrong length)
    // right at its closing bracket: that names the container, not its last member.
    let closing = bytes.get(offset).copied();
    match (stack.last_mut(), closing) {
        (Some(Frame::Object(key)), Some(b'}')) => *key = None,
        (Some(Frame::Array(_)), Some(b']')) => {
            stack.pop();
            stack.push(Frame::Object(None));
        }
        _ => {}
    }
    // An object with no key read yet names only itself.
    let mut path = Vec::new();
    for frame in stack {
        match frame {
            Frame::Object(Some(key)) => path.push(Segment::Key(key)),
            Frame::Object(None) => break,
            Frame::Array(index) => path.push(Segment::Index(index)),
        }
    }
    path
}

/// The string starting at the quote at `start`, unescaped for the common escapes, and the
/// offset just past its closing quote.
fn string_at(bytes: &[u8], start: usize) -> (String, usize) {
    let mut out = Vec::new();
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return (String::from_utf8_lossy(&out).into_owned(), i + 1),
            b'\\' if i + 1 < bytes.len() => {
                let escaped = bytes[i + 1];
                out.push(match escaped {
                    b'n' => b'\n',
                    b't' => b'\t',
                    b'r' => b'\r',
                    other => other,
                });
                i += 2;
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    (String::from_utf8_lossy(&out).into_owned(), i)
}

/// `serde_path_to_error`'s rendering: keys joined by `.`, indices in brackets, `.` for none.
fn render(path: &[Segment]) -> String {
    if path.is_empty() {
        return ".".to_owned();
    }
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Index(index) => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The path at a 1-based line and column.
    fn path_at(bytes: &[u8], line: usize, column: usize) -> String {
        path_at_offset(bytes, offset_of(bytes, line, column))
    }

    /// Where serde_json stops on `text` when decoding `T`, as a path.
    fn failing_path<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
        let err = serde_json::from_str::<T>(text).unwrap_err();
        path_at(text.as_bytes(), err.line(), err.column())
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Page {
        data: Vec<Item>,
        has_more: bool,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: String,
        amount: i64,
        nested: Option<Nested>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Nested {
        city: Option<String>,
    }

    #[test]
    fn paths_match_what_path_tracking_reports() {
        let cases = [
            (
                r#"{"data":[{"id":"a","amount":1},{"id":"b","amount":"x"}],"has_more":false}"#,
                "data[1].amount",
            ),
            (
                "{\n  \"data\": [\n    {\"id\": \"a\", \"amount\": 1, \"nested\": {\"city\": 5}}\n  ],\n  \"has_more\": false\n}",
                "data[0].nested.city",
            ),
            (r#"{"data":[],"has_more":"no"}"#, "has_more"),
            (r#"{"data":[{"amount":1}],"has_more":true}"#, "data[0]"),
            (r#"{"data":[{"id":"a\"}","amount":true}],"has_more":true}"#, "data[0].amount"),
            (r#""just a string""#, "."),
        ];
        for (text, want) in cases {
            assert_eq!(failing_path::<Page>(text), want, "{text}");
            // The same as serde_path_to_error says, which decoding used to run every time.
            let mut de = serde_json::Deserializer::from_str(text);
            let tracked = serde_path_to_error::deserialize::<_, Page>(&mut de).unwrap_err();
            assert_eq!(tracked.path().to_string(), want, "{text}");
        }
    }

    #[test]
    fn malformed_and_truncated_documents_do_not_panic() {
        for text in [
            "",
            "{",
            "{\"a\":[1,",
            "\"unterminated",
            "{\"k\\",
            "]]]}}}",
            "{\"a\":{\"b\":",
        ] {
            for line in 0..3 {
                for column in 0..text.len() + 3 {
                    let _ = path_at(text.as_bytes(), line, column);
                }
            }
        }
        assert_eq!(path_at(b"{\"a\":{\"b\":", 1, 10), "a.b");
    }
}

#[cfg(test)]
mod session_tests {
    use serde_json::Value;

    use crate::decode::decode_json;
    use crate::CheckoutSession;

    /// Every leaf of a real session replaced by a value of the wrong type, and every member
    /// removed: wherever decoding fails, the error names exactly the value that was changed
    /// (or, for a removed required member, the object it was removed from).
    #[test]
    fn every_wrong_leaf_of_a_session_is_located_exactly() {
        let original: Value =
            serde_json::from_str(include_str!("../tests/fixtures/session_2026-08.json")).unwrap();
        let mut leaves_found = Vec::new();
        walk(&original, String::new(), ".".to_owned(), &mut leaves_found);
        let mut checked = 0;
        for (pointer, path, parent_path) in &leaves_found {
            for wrong in [
                Some(Value::from(12)),
                Some(serde_json::json!({"x": 1})),
                Some(Value::from("text")),
                None,
            ] {
                let mut doc = original.clone();
                let want = match &wrong {
                    Some(wrong) => {
                        *doc.pointer_mut(pointer).unwrap() = wrong.clone();
                        path
                    }
                    None => {
                        let (parent, key) = pointer.rsplit_once('/').unwrap();
                        let Some(Value::Object(map)) = doc.pointer_mut(parent) else {
                            continue;
                        };
                        map.remove(key);
                        parent_path
                    }
                };
                let text = serde_json::to_string_pretty(&doc).unwrap();
                let Err(err) = decode_json::<CheckoutSession>(text.as_bytes()) else {
                    continue;
                };
                let path = err.path(text.as_bytes());
                // An object put where a scalar was may fail inside itself (`metadata.x`).
                let inside = want == "." || path.starts_with(&format!("{want}."));
                assert!(
                    path == *want || (inside && wrong.as_ref().is_some_and(Value::is_object)),
                    "{pointer} -> {wrong:?}: {} at {path}",
                    err.message,
                );
                checked += 1;
            }
        }
        assert!(checked > 200, "only {checked} failing mutations");
    }

    /// (JSON pointer, path, path of the containing object) of every leaf.
    fn walk(value: &Value, pointer: String, path: String, out: &mut Vec<(String, String, String)>) {
        let join = |key: &str| {
            if path == "." {
                key.to_owned()
            } else {
                format!("{path}.{key}")
            }
        };
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    let child = join(k);
                    if !matches!(v, Value::Object(_) | Value::Array(_)) {
                        out.push((format!("{pointer}/{k}"), child.clone(), path.clone()));
                    }
                    walk(v, format!("{pointer}/{k}"), child, out);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    let child = format!("{}[{i}]", if path == "." { "" } else { &path });
                    if !matches!(v, Value::Object(_) | Value::Array(_)) {
                        out.push((format!("{pointer}/{i}"), child.clone(), path.clone()));
                    }
                    walk(v, format!("{pointer}/{i}"), child, out);
                }
            }
            _ => {}
        }
    }
}
