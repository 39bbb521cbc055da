//! A tiny template filler for the hosted page's markup (`templates/*.html`): each
//! `{{name}}` is replaced by its value, HTML-escaped; values are not scanned again, and an
//! unknown `{{name}}` is left as written.

/// `template` with each `{{name}}` of `values` filled in, escaped.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            rest = &rest[start..];
            break;
        };
        let name = &after[..end];
        match values.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => out.push_str(&escape_html(value)),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// `&`, `<`, `>`, `"` and `'` as entities, for text and attribute values alike.
pub(crate) fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_and_escapes_once() {
        let out = fill(
            "<p>{{a}} {{b}} {{unknown}} {{a}}</p>{{",
            &[("a", "<x>"), ("b", "{{a}}")],
        );
        assert_eq!(out, "<p>&lt;x&gt; {{a}} {{unknown}} &lt;x&gt;</p>{{");
    }
}
