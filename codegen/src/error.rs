//! The one error type of the generator: what went wrong and where in the spec.

use std::fmt;

/// A problem with the input spec, located by a JSON pointer (RFC 6901) into the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Where in the spec the problem is, e.g. `/components/schemas/checkout.session/properties/mode`.
    pub pointer: String,
    /// What was expected or found there.
    pub message: String,
}

impl Error {
    /// An error at `pointer` (a JSON pointer into the spec).
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "at {pointer}: {}", self.message)
    }
}

impl std::error::Error for Error {}

/// Escapes one JSON pointer segment (`~` → `~0`, `/` → `~1`).
pub fn escape_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Joins a pointer and one more (unescaped) segment.
pub fn join(pointer: &str, segment: &str) -> String {
    format!("{pointer}/{}", escape_segment(segment))
}
