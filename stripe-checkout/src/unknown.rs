//! [`UnknownValue`]: what an enum holds for a value this version of the crate does not know.

use std::fmt;
use std::ops::Deref;

/// A value of a Stripe enum that this version of the crate does not know, as Stripe spelled it
/// (the `Unknown` variant of every generated enum). Stripe adds values over time, so decoding
/// never fails on one, and sending it back sends the same text.
///
/// It behaves like a `&str` (it derefs to one, compares with one and displays as one). It is one
/// pointer wide, so that an enum with it is two words, not three as with a `String`: a session
/// holds a few dozen enums.
///
/// ```
/// use stripe_checkout::{CheckoutSessionMode, UnknownValue};
///
/// let mode = CheckoutSessionMode::from("some_future_mode");
/// assert_eq!(mode, CheckoutSessionMode::Unknown("some_future_mode".into()));
/// if let CheckoutSessionMode::Unknown(value) = &mode {
///     assert_eq!(value, "some_future_mode");
///     assert_eq!(value.len(), 16);
/// }
/// assert_eq!(mode.as_str(), "some_future_mode");
/// let _: String = UnknownValue::from("x").into();
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(clippy::box_collection)] // a thin pointer on purpose: `Box<str>` is two words
pub struct UnknownValue(Box<String>);

impl UnknownValue {
    /// The value as Stripe spelled it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for UnknownValue {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for UnknownValue {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for UnknownValue {
    fn from(value: &str) -> Self {
        UnknownValue(Box::new(value.to_owned()))
    }
}

impl From<String> for UnknownValue {
    fn from(value: String) -> Self {
        UnknownValue(Box::new(value))
    }
}

impl From<UnknownValue> for String {
    fn from(value: UnknownValue) -> Self {
        *value.0
    }
}

impl PartialEq<str> for UnknownValue {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for UnknownValue {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_one_pointer_so_an_enum_with_it_is_two_words() {
        assert_eq!(std::mem::size_of::<UnknownValue>(), 8);
        assert_eq!(std::mem::size_of::<crate::CheckoutSessionMode>(), 16);
        assert_eq!(
            std::mem::size_of::<Option<crate::CheckoutSessionMode>>(),
            16
        );
    }

    #[test]
    fn reads_as_the_text_it_holds() {
        let value = UnknownValue::from("brand_new");
        assert_eq!(value, "brand_new");
        assert_eq!(format!("{value} {value:?}"), "brand_new \"brand_new\"");
        assert_eq!(String::from(value.clone()), "brand_new");
        assert_eq!(value, UnknownValue::from(String::from("brand_new")));
    }
}
