//! A tiny template filler for the hosted page's markup (`templates/*.html`): each
//! `{{name}}` is replaced by its value, HTML-escaped; each `{{{name}}}` by markup the caller
//! built (and escaped) itself. Values are not scanned again, and an unknown name is left as
//! written.

/// `template` with each `{{name}}` of `values` filled in, escaped.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    fill_html(template, values, &[])
}

/// `template` with each `{{name}}` of `values` filled in, escaped, and each `{{{name}}}` of
/// `markup` as it is (markup built by the caller from escaped parts).
pub(crate) fn fill_html(
    template: &str,
    values: &[(&str, &str)],
    markup: &[(&str, &str)],
) -> String {
    let extra: usize = markup.iter().map(|(_, m)| m.len()).sum();
    let mut out = String::with_capacity(template.len() + extra);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let raw = rest[start + 2..].starts_with('{');
        let (open, close) = if raw { (3, "}}}") } else { (2, "}}") };
        let after = &rest[start + open..];
        let Some(end) = after.find(close) else {
            rest = &rest[start..];
            break;
        };
        let name = &after[..end];
        let whole = &rest[start..start + open + end + close.len()];
        if raw {
            match markup.iter().find(|(n, _)| *n == name) {
                Some((_, html)) => out.push_str(html),
                None => out.push_str(whole),
            }
        } else {
            match values.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => out.push_str(&escape_html(value)),
                None => out.push_str(whole),
            }
        }
        rest = &after[end + close.len()..];
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

    #[test]
    fn markup_goes_in_as_given() {
        let out = fill_html(
            "{{{m}}}|{{v}}|{{{none}}}|{{{m",
            &[("v", "<b>")],
            &[("m", "<i>{{v}}</i>")],
        );
        assert_eq!(out, "<i>{{v}}</i>|&lt;b&gt;|{{{none}}}|{{{m");
    }
}
