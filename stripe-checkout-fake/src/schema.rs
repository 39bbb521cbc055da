//! The shape of the generated parameter tables (`generated/params.rs`) and the validator that
//! walks them: a parsed form in, typed JSON out (integers as numbers, booleans as booleans,
//! arrays in index order), or the error Stripe gives for the first problem.

use serde_json::{Map, Value};

use crate::error::FakeError;
use crate::form::Node;

/// What a parameter holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string (maybe one of `values`, at most `max_length` characters).
    String,
    /// An integer.
    Integer,
    /// A decimal number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A hash with the named `children`.
    Object,
    /// A hash with any keys, each value shaped like `children[0]`.
    Map,
    /// A list, each element shaped like `children[0]`.
    Array,
    /// One of `children`.
    AnyOf,
}

/// One parameter as the spec declares it.
#[derive(Debug)]
pub struct Param {
    /// Its name (empty for array elements, map values and union members).
    pub name: &'static str,
    /// Its kind.
    pub kind: Kind,
    /// Whether it must be given (when its parent is).
    pub required: bool,
    /// Whether `""` is accepted (to unset it).
    pub empty_ok: bool,
    /// The longest string accepted.
    pub max_length: Option<u32>,
    /// The values accepted, when it is an enum.
    pub values: &'static [&'static str],
    /// Properties, the element or value shape, or union members (see [`Kind`]).
    pub children: &'static [Param],
}

/// One API operation.
#[derive(Debug)]
pub struct Operation {
    /// Which operation this is, for the exhaustive dispatch in `api.rs`.
    pub op: crate::params::OpId,
    /// Stripe's operation id as the spec writes it, e.g. `PostCheckoutSessions` (for `Debug`
    /// output and tests; code matches on `op`).
    #[allow(dead_code)]
    pub id: &'static str,
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The path template.
    pub path: &'static str,
    /// Its parameters (query for GET, form for POST).
    pub params: &'static [Param],
}

/// The generated description of an operation.
#[cfg(test)]
pub fn operation(op: crate::params::OpId) -> Option<&'static Operation> {
    crate::params::OPERATIONS.iter().find(|o| o.op == op)
}

/// Parses a form and validates it against an operation's parameters.
pub fn parse_and_validate(op: &Operation, text: &str) -> Result<Map<String, Value>, FakeError> {
    let tree = crate::form::parse(text).map_err(|e| {
        FakeError::invalid(None, Some(e.param).filter(|p| !p.is_empty()), e.message)
    })?;
    validate(op.params, &tree)
}

/// A validated string parameter, unless absent or `""`.
pub fn str_param<'a>(p: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    p.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// Validates a parsed form against an operation's parameters.
pub fn validate(
    params: &[Param],
    form: &[(String, Node)],
) -> Result<Map<String, Value>, FakeError> {
    let mut out = Map::new();
    for (key, node) in form {
        let Some(param) = params.iter().find(|p| p.name == key) else {
            return Err(unknown(key));
        };
        out.insert(key.clone(), value(param, node, key)?);
    }
    for param in params {
        if param.required && !out.contains_key(param.name) {
            return Err(FakeError::missing_param(param.name));
        }
    }
    Ok(out)
}

fn unknown(path: &str) -> FakeError {
    FakeError::invalid(
        Some("parameter_unknown"),
        Some(path.to_owned()),
        format!("Received unknown parameter: {path}"),
    )
}

fn value(param: &Param, node: &Node, path: &str) -> Result<Value, FakeError> {
    if matches!(node, Node::Leaf(s) if s.is_empty()) {
        // Stripe reads `""` as "unset this", allowed only where the spec lists `""`.
        if param.empty_ok {
            return Ok(Value::String(String::new()));
        }
        return Err(FakeError::invalid(
            Some("parameter_invalid_empty"),
            Some(path.to_owned()),
            format!(
                "You passed an empty string for '{path}'. We assume empty values are an attempt to unset a parameter; however '{path}' cannot be unset. You should remove '{path}' from your request or supply a non-empty value."
            ),
        ));
    }
    match (param.kind, node) {
        (Kind::String, Node::Leaf(s)) => {
            if !param.values.is_empty() && !param.values.contains(&s.as_str()) {
                return Err(FakeError::param(
                    path,
                    format!("Invalid {path}: must be one of {}", one_of(param.values)),
                ));
            }
            if let Some(max) = param.max_length {
                if s.chars().count() > max as usize {
                    return Err(FakeError::param(
                        path,
                        format!(
                            "Invalid string: {}...; must be at most {max} characters",
                            s.chars().take(10).collect::<String>()
                        ),
                    ));
                }
            }
            Ok(Value::String(s.clone()))
        }
        (Kind::Integer, Node::Leaf(s)) => s.parse::<i64>().map(Value::from).map_err(|_| {
            FakeError::invalid(
                Some("parameter_invalid_integer"),
                Some(path.to_owned()),
                format!("Invalid integer: {}", shorten(s)),
            )
        }),
        (Kind::Number, Node::Leaf(s)) => match s.parse::<f64>() {
            // A JSON number, as Stripe echoes it (`"percent_off": 25.5`).
            Ok(n) if n.is_finite() => Ok(serde_json::Number::from_f64(n)
                .map(Value::Number)
                .unwrap_or_else(|| Value::String(s.clone()))),
            _ => Err(FakeError::param(
                path,
                format!("Invalid decimal: {}", shorten(s)),
            )),
        },
        (Kind::Boolean, Node::Leaf(s)) => match s.as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(FakeError::param(
                path,
                format!("Invalid boolean: {}", shorten(s)),
            )),
        },
        (Kind::Object, Node::Tree(children)) => {
            let mut out = Map::new();
            for (key, child) in children {
                let child_path = format!("{path}[{key}]");
                let Some(spec) = param.children.iter().find(|p| p.name == key) else {
                    return Err(unknown(&child_path));
                };
                out.insert(key.clone(), value(spec, child, &child_path)?);
            }
            for spec in param.children {
                if spec.required && !out.contains_key(spec.name) {
                    return Err(FakeError::missing_param(&format!("{path}[{}]", spec.name)));
                }
            }
            Ok(Value::Object(out))
        }
        (Kind::Map, Node::Tree(children)) => {
            let mut out = Map::new();
            let Some(spec) = param.children.first() else {
                return Err(FakeError::param(path, format!("Invalid hash: {path}")));
            };
            for (key, child) in children {
                let child_path = format!("{path}[{key}]");
                // Map values (metadata) may be `""`: that unsets the key.
                let v = match child {
                    Node::Leaf(s) if s.is_empty() => Value::String(String::new()),
                    _ => value(spec, child, &child_path)?,
                };
                out.insert(key.clone(), v);
            }
            Ok(Value::Object(out))
        }
        (Kind::Array, Node::Tree(children)) => {
            let Some(spec) = param.children.first() else {
                return Err(FakeError::param(path, format!("Invalid array: {path}")));
            };
            let mut indexed = Vec::with_capacity(children.len());
            for (key, child) in children {
                let Ok(index) = key.parse::<u32>() else {
                    return Err(FakeError::param(
                        format!("{path}[{key}]"),
                        format!("Invalid array: {path} has a non-integer index `{key}`"),
                    ));
                };
                indexed.push((index, key, child));
            }
            indexed.sort_by_key(|(index, _, _)| *index);
            let mut out = Vec::with_capacity(indexed.len());
            for (_, key, child) in indexed {
                out.push(value(spec, child, &format!("{path}[{key}]"))?);
            }
            Ok(Value::Array(out))
        }
        (Kind::AnyOf, _) => {
            let tree = matches!(node, Node::Tree(_));
            let member = param
                .children
                .iter()
                .find(|m| matches!(m.kind, Kind::Object | Kind::Map | Kind::Array) == tree)
                .or(param.children.first());
            match member {
                Some(member) => value(member, node, path),
                None => Err(FakeError::param(path, format!("Invalid value for {path}"))),
            }
        }
        (Kind::Object | Kind::Map, Node::Leaf(_)) => Err(FakeError::param(
            path,
            format!("Invalid object: {path} must be a hash (e.g. {path}[key]=value)"),
        )),
        (Kind::Array, Node::Leaf(_)) => Err(FakeError::param(
            path,
            format!("Invalid array: {path} must be a list (e.g. {path}[0]=value)"),
        )),
        (_, Node::Tree(_)) => Err(FakeError::param(
            path,
            format!(
                "Invalid {}: {path} must be a single value, not a hash",
                kind_name(param.kind)
            ),
        )),
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::String => "string",
        Kind::Integer => "integer",
        Kind::Number => "decimal",
        Kind::Boolean => "boolean",
        _ => "value",
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}...", s.chars().take(40).collect::<String>())
    } else {
        s.to_owned()
    }
}

/// `a, b, or c`, as Stripe lists enum values.
fn one_of(values: &[&str]) -> String {
    match values {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{}, or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::parse;

    fn create(body: &str) -> Result<Map<String, Value>, FakeError> {
        let op = operation(crate::params::OpId::PostCheckoutSessions).unwrap();
        validate(op.params, &parse(body).unwrap())
    }

    #[test]
    fn typed_output() {
        let v = create("mode=payment&line_items[1][quantity]=3&line_items[0][quantity]=2&allow_promotion_codes=true").unwrap();
        assert_eq!(v["line_items"][0]["quantity"], 2);
        assert_eq!(v["line_items"][1]["quantity"], 3);
        assert_eq!(v["allow_promotion_codes"], true);
    }

    #[test]
    fn errors_name_the_param() {
        let e = create("line_items[0][price_data][unit_amount]=5").unwrap_err();
        assert_eq!(e.code, Some("parameter_missing"));
        assert_eq!(
            e.param.as_deref(),
            Some("line_items[0][price_data][currency]")
        );
        let e = create("line_items[0][quantity]=two").unwrap_err();
        assert_eq!(e.code, Some("parameter_invalid_integer"));
        assert_eq!(e.param.as_deref(), Some("line_items[0][quantity]"));
        let e = create("nope=1").unwrap_err();
        assert_eq!(e.code, Some("parameter_unknown"));
        let e = create("mode=nope").unwrap_err();
        assert_eq!(
            e.message,
            "Invalid mode: must be one of payment, setup, or subscription"
        );
        let e = create("mode=").unwrap_err();
        assert_eq!(e.code, Some("parameter_invalid_empty"));
    }

    /// Text that looks like Stripe's form encoding often enough to get past the parser.
    fn formish() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let key = prop::sample::select(vec![
            "mode",
            "line_items",
            "metadata",
            "expand",
            "limit",
            "created",
            "ui_mode",
            "expires_at",
            "customer_details",
            "price_data",
            "quantity",
            "0",
            "",
            "[",
            "]",
            "%5B",
            "x",
        ]);
        let piece = prop_oneof![
            key.prop_map(str::to_owned),
            "[a-z0-9_\\[\\]%=&+]{0,12}",
            any::<String>(),
        ];
        prop::collection::vec(piece, 0..24).prop_map(|parts| parts.join(""))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, ..Default::default() })]

        /// Bad input never hurts the parser or the validator: any text gives a value or a 400.
        #[test]
        fn parser_and_validator_never_panic(text in formish()) {
            let _ = parse(&text);
            for op in crate::params::OPERATIONS {
                match parse_and_validate(op, &text) {
                    Ok(_) => {}
                    Err(e) => proptest::prop_assert!(e.status == 400 && !e.message.is_empty()),
                }
            }
        }
    }
}
