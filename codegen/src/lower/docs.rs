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
    let out = escape_reference_links(&absolute_links(out.trim()));
    (!out.is_empty()).then_some(out)
}

/// Where the spec's site-relative links point: Stripe's docs.
const DOCS_ORIGIN: &str = "https://docs.stripe.com";

/// The spec links to Stripe's docs by path (`[PaymentIntent](/api/payment_intents/object)`, once
/// `<a href="/payments/…">…</a>`), which would be broken on docs.rs: every link becomes an
/// absolute Markdown link. Old `/docs/…` paths map to the same page on docs.stripe.com.
fn absolute_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let markdown = rest.find("](/");
        let html = rest.find("<a href=\"");
        match (markdown, html) {
            (Some(at), h) if h.is_none_or(|h| at < h) => {
                out.push_str(&rest[..at + 2]);
                rest = &rest[at + 2..];
                let end = rest.find(')').unwrap_or(rest.len());
                out.push_str(&absolute_url(&rest[..end]));
                rest = &rest[end..];
            }
            (_, Some(at)) => {
                out.push_str(&rest[..at]);
                let after = &rest[at + "<a href=\"".len()..];
                // `<a href="URL">TEXT</a>` → `[TEXT](URL)`; anything malformed stays as it is.
                let parsed = after.split_once('"').and_then(|(url, tail)| {
                    let tail = tail.trim_start().strip_prefix('>')?;
                    let (label, tail) = tail.split_once("</a>")?;
                    Some((url, label, tail))
                });
                match parsed {
                    Some((url, label, tail)) => {
                        out.push_str(&format!("[{label}]({})", absolute_url(url)));
                        rest = tail;
                    }
                    None => {
                        out.push_str("<a href=\"");
                        rest = after;
                    }
                }
            }
            _ => break,
        }
    }
    out.push_str(rest);
    out
}

fn absolute_url(url: &str) -> String {
    if !url.starts_with('/') {
        return url.to_owned();
    }
    let path = url
        .strip_prefix("/docs")
        .filter(|p| p.starts_with('/'))
        .unwrap_or(url);
    format!("{DOCS_ORIGIN}{path}")
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

#[cfg(test)]
mod tests {
    use super::clean_doc;

    #[test]
    fn site_relative_links_become_absolute() {
        let doc = clean_doc(Some(
            "See [PaymentIntent](/api/payment_intents/object) and [docs](/docs/payments/checkout), \
             <a href=\"/payments/advanced/dynamic-updates\">Dynamically update</a>, \
             [abs](https://example.com/x) and [anchor](#y).",
        ))
        .unwrap();
        assert_eq!(
            doc,
            "See [PaymentIntent](https://docs.stripe.com/api/payment_intents/object) and \
             [docs](https://docs.stripe.com/payments/checkout), \
             [Dynamically update](https://docs.stripe.com/payments/advanced/dynamic-updates), \
             [abs](https://example.com/x) and [anchor](#y)."
        );
    }

    #[test]
    fn malformed_links_are_left_alone_without_panicking() {
        for text in [
            "<a href=\"/x",
            "<a href=\"/x\">no end",
            "](/",
            "[a](/b",
            "<a href=\"\"></a>",
        ] {
            let _ = clean_doc(Some(text));
        }
        assert_eq!(
            clean_doc(Some("[a](/b")).unwrap(),
            "[a](https://docs.stripe.com/b"
        );
    }
}
