//! Request parameters Stripe lets you clear by sending the empty string.

#[cfg(feature = "serde")]
use serde::{Serialize, Serializer};

/// A request parameter the spec allows to be sent as `""` to unset a previously stored value
/// (`anyOf [..., {enum: [""]}]` in Stripe's OpenAPI spec).
///
/// Wrap it in `Option` as the generated params do: `None` sends nothing, `Some(Unset)` sends
/// `field=` and `Some(Set(v))` sends the value.
///
/// ```
/// use std::collections::BTreeMap;
/// use stripe_checkout::{form::to_form_string, Unsettable};
/// let clear = BTreeMap::from([("description", Unsettable::<String>::Unset)]);
/// assert_eq!(to_form_string(&clear).unwrap(), "description=");
/// let set = BTreeMap::from([("quantity", Unsettable::from(5u64))]);
/// assert_eq!(to_form_string(&set).unwrap(), "quantity=5");
/// ```
///
/// With the `serde` feature it is the value's own JSON, or `""` for `Unset`.
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

#[cfg(feature = "serde")]
impl<T: Serialize> Serialize for Unsettable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Unsettable::Set(value) => value.serialize(serializer),
            Unsettable::Unset => serializer.serialize_str(""),
        }
    }
}

/// `""` is `Unset`; anything else is the value.
#[cfg(feature = "serde")]
impl<'de, T: serde::de::DeserializeOwned> serde::Deserialize<'de> for Unsettable<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        if value.as_str() == Some("") {
            return Ok(Unsettable::Unset);
        }
        T::deserialize(value)
            .map(Unsettable::Set)
            .map_err(serde::de::Error::custom)
    }
}
