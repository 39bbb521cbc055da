//! Stripe's form encoding read back: `a[b][0][c]=v` pairs into a tree. Bounded (pairs, key
//! depth) and total: any input gives a tree or an error, never a panic.

use percent_encoding::percent_decode_str;

/// Most `key=value` pairs one request may carry.
pub const MAX_PAIRS: usize = 4096;
/// Most bracket levels one key may have (`a[b][c]` has 2). Stripe's deepest parameter has 5.
pub const MAX_DEPTH: usize = 12;

/// A parsed value: a string, or named children in the order first seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// `key=value`.
    Leaf(String),
    /// `key[child]=…`: children by name; `key[]=…` children are named by their position.
    Tree(Vec<(String, Node)>),
}

/// Why a form could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError {
    /// The key as far as it was read.
    pub param: String,
    /// What is wrong.
    pub message: String,
}

/// Parses `application/x-www-form-urlencoded` text (a body or a query string).
pub fn parse(input: &str) -> Result<Vec<(String, Node)>, FormError> {
    let mut root: Vec<(String, Node)> = Vec::new();
    for (count, pair) in input.split('&').filter(|p| !p.is_empty()).enumerate() {
        if count >= MAX_PAIRS {
            return Err(FormError {
                param: String::new(),
                message: format!("Too many parameters: at most {MAX_PAIRS} are accepted."),
            });
        }
        let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode(raw_key);
        let value = decode(raw_value);
        let segments = split_key(&key)?;
        insert(&mut root, &segments, value, &key)?;
    }
    Ok(root)
}

fn decode(raw: &str) -> String {
    let plus = raw.replace('+', " ");
    percent_decode_str(&plus).decode_utf8_lossy().into_owned()
}

/// `a[b][]` → `["a", "b", ""]`.
fn split_key(key: &str) -> Result<Vec<&str>, FormError> {
    let invalid = || FormError {
        param: key.to_owned(),
        message: format!("Invalid parameter name: {key}"),
    };
    let (base, mut rest) = match key.find('[') {
        Some(i) => (&key[..i], &key[i..]),
        None => (key, ""),
    };
    if base.is_empty() {
        return Err(invalid());
    }
    let mut segments = vec![base];
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[').ok_or_else(invalid)?;
        let end = inner.find(']').ok_or_else(invalid)?;
        segments.push(&inner[..end]);
        rest = &inner[end + 1..];
        if segments.len() > MAX_DEPTH + 1 {
            return Err(FormError {
                param: key.to_owned(),
                message: format!("Parameters nest at most {MAX_DEPTH} levels deep: {key}"),
            });
        }
    }
    Ok(segments)
}

fn insert(
    level: &mut Vec<(String, Node)>,
    segments: &[&str],
    value: String,
    key: &str,
) -> Result<(), FormError> {
    let conflict = || FormError {
        param: key.to_owned(),
        message: format!("Invalid parameter: {key} mixes a value and nested parameters"),
    };
    let Some((first, rest)) = segments.split_first() else {
        return Ok(());
    };
    let name = if first.is_empty() {
        // `[]`: append. With more segments (`a[][b]=…`), a new element starts when the last
        // one already has that child.
        let starts_new = match (rest.first(), level.last()) {
            (Some(next), Some((_, Node::Tree(children)))) => {
                children.iter().any(|(n, _)| n == next)
            }
            (Some(_), Some(_)) => true,
            (Some(_), None) | (None, _) => true,
        };
        if starts_new {
            level.len().to_string()
        } else {
            (level.len() - 1).to_string()
        }
    } else {
        (*first).to_owned()
    };
    let position = level.iter().position(|(n, _)| *n == name);
    if rest.is_empty() {
        match position {
            Some(i) => match &mut level[i].1 {
                Node::Leaf(old) => *old = value, // the last of repeated keys wins
                Node::Tree(_) => return Err(conflict()),
            },
            None => level.push((name, Node::Leaf(value))),
        }
        return Ok(());
    }
    let i = match position {
        Some(i) => i,
        None => {
            level.push((name, Node::Tree(Vec::new())));
            level.len() - 1
        }
    };
    match &mut level[i].1 {
        Node::Tree(children) => insert(children, rest, value, key),
        Node::Leaf(_) => Err(conflict()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(s: &str) -> Node {
        Node::Leaf(s.to_owned())
    }

    #[test]
    fn brackets_nest_and_decode() {
        let tree =
            parse("line_items[0][price]=price_1&line_items[0][quantity]=2&metadata[k%20x]=a+b")
                .unwrap();
        assert_eq!(
            tree,
            vec![
                (
                    "line_items".into(),
                    Node::Tree(vec![(
                        "0".into(),
                        Node::Tree(vec![
                            ("price".into(), leaf("price_1")),
                            ("quantity".into(), leaf("2"))
                        ])
                    )])
                ),
                (
                    "metadata".into(),
                    Node::Tree(vec![("k x".into(), leaf("a b"))])
                ),
            ]
        );
    }

    #[test]
    fn empty_brackets_append() {
        let tree = parse("expand[]=a&expand[]=b&x[][n]=1&x[][n]=2").unwrap();
        assert_eq!(
            tree[0].1,
            Node::Tree(vec![("0".into(), leaf("a")), ("1".into(), leaf("b"))])
        );
        let Node::Tree(x) = &tree[1].1 else { panic!() };
        assert_eq!(x.len(), 2);
    }

    #[test]
    fn malformed_keys_are_errors() {
        assert!(parse("a[b=1").is_err());
        assert!(parse("[a]=1").is_err());
        assert!(parse("a=1&a[b]=2").is_err());
        assert!(parse(&format!("a{}=1", "[x]".repeat(MAX_DEPTH + 1))).is_err());
    }
}
