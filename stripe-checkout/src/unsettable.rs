//! Request parameters Stripe lets you clear by sending the empty string.

use serde::{Serialize, Serializer};

/// A request parameter the spec allows to be sent as `""` to unset a previously stored value
/// (`anyOf [..., {enum: [""]}]` in Stripe's OpenAPI spec).
///
/// Wrap it in `Option` as the generated params do: `None` sends nothing, `Some(Unset)` sends
/// `field=` and `Some(Set(v))` sends the value.
///
/// ```
/// use stripe_checkout::Unsettable;
/// let clear: Unsettable<u64> = Unsettable::Unset;
/// assert_eq!(serde_json::to_string(&clear).unwrap(), r#""""#);
/// assert_eq!(serde_json::to_string(&Unsettable::from(5u64)).unwrap(), "5");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsettable<T> {
    /// Send this value.
    Set(T),
    /// Send the empty string, which clears the field on Stripe's side.
    Unset,
}

impl<T> From<T> for Unsettable<T> {
    fn from(value: T) -> Self {
        Unsettable::Set(value)
    }
}

impl<T: Serialize> Serialize for Unsettable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Unsettable::Set(value) => value.serialize(serializer),
            Unsettable::Unset => serializer.serialize_str(""),
        }
    }
}
