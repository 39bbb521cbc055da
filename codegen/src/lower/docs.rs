//! Spec descriptions (HTML-ish Markdown) as rustdoc.

/// Spec descriptions as Rust docs: HTML paragraphs unwrapped, lines trimmed so nothing reads
/// as an indented code block (which rustdoc would try to compile as a doctest).
pub fn clean_doc(description: Option<&str>) -> Option<String> {
    let text = description?
        .replace("<p>", "")
        .replace("</p>", "\n\n")
        .replace("<code>", "`")
        .replace("</code>", "`")
        .replace("<strong>", "**")
        .replace("</strong>", "**")
        .replace("```", "'''");
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut out = lines.join("\n");
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    let out = escape_reference_links(out.trim());
    (!out.is_empty()).then_some(out)
}

/// `[word]` not followed by `(` would be a broken intra-doc link to rustdoc; escape it.
fn escape_reference_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        match after.find(']') {
            Some(close)
                if !after[close + 1..].starts_with('(') && !after[1..close].contains('[') =>
            {
                out.push_str("\\[");
                out.push_str(&after[1..close]);
                out.push_str("\\]");
                rest = &after[close + 1..];
            }
            _ => {
                out.push('[');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
