//! Fields Stripe can return either as an id or, when requested with `expand`, as the full object.

#[cfg(feature = "serde")]
use std::fmt;

#[cfg(feature = "serde")]
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
#[cfg(feature = "serde")]
use serde::{Serialize, Serializer};

use crate::decode::{DecodeResult, FromJson, Parser};

/// A field that holds an object's id unless the request asked Stripe to expand it
/// (`expand[]=customer`), in which case it holds the object itself.
///
/// ```
/// use stripe_checkout::Expandable;
/// let id: Expandable<serde_json::Value> = Expandable::Id("cus_123".into());
/// assert_eq!(id.id(), Some("cus_123"));
/// assert!(id.as_object().is_none());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Expandable<T> {
    /// The object's id (the field was not expanded).
    Id(String),
    /// The expanded object.
    Object(Box<T>),
}

/// Objects that carry a Stripe id, so an [`Expandable`] can answer [`Expandable::id`] either way.
pub trait Identified {
    /// The object's id, when it has one.
    fn object_id(&self) -> Option<&str>;
}

impl Identified for serde_json::Value {
    fn object_id(&self) -> Option<&str> {
        self.get("id").and_then(serde_json::Value::as_str)
    }
}

impl<T> Expandable<T> {
    /// The expanded object, or `None` when only the id was returned.
    pub fn as_object(&self) -> Option<&T> {
        match self {
            Expandable::Id(_) => None,
            Expandable::Object(object) => Some(object),
        }
    }

    /// Consumes the field and returns the expanded object, if it was expanded.
    pub fn into_object(self) -> Option<T> {
        match self {
            Expandable::Id(_) => None,
            Expandable::Object(object) => Some(*object),
        }
    }

    /// Whether the field holds the expanded object.
    pub fn is_object(&self) -> bool {
        matches!(self, Expandable::Object(_))
    }
}

impl<T: Identified> Expandable<T> {
    /// The id, whether or not the field was expanded.
    pub fn id(&self) -> Option<&str> {
        match self {
            Expandable::Id(id) => Some(id),
            Expandable::Object(object) => object.object_id(),
        }
    }
}

#[cfg(feature = "serde")]
impl<T: Serialize> Serialize for Expandable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Expandable::Id(id) => serializer.serialize_str(id),
            Expandable::Object(object) => object.serialize(serializer),
        }
    }
}

#[cfg(feature = "serde")]
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Expandable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A string is an id, a map is the object; decided on the first token, without buffering,
        // so a bad field inside an expanded object still reports its own path.
        struct ExpandableVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for ExpandableVisitor<T> {
            type Value = Expandable<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an id string or an expanded object")
            }

            fn visit_str<E: de::Error>(self, id: &str) -> Result<Self::Value, E> {
                Ok(Expandable::Id(id.to_owned()))
            }

            fn visit_string<E: de::Error>(self, id: String) -> Result<Self::Value, E> {
                Ok(Expandable::Id(id))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|object| Expandable::Object(Box::new(object)))
            }
        }

        deserializer.deserialize_any(ExpandableVisitor(std::marker::PhantomData))
    }
}

impl<T: FromJson> FromJson for Expandable<T> {
    fn from_json(p: &mut Parser<'_>) -> DecodeResult<Self> {
        // A string is an id, anything else must be the object.
        if p.peek_string() {
            p.string().map(|id| Expandable::Id(id.into_owned()))
        } else {
            T::from_json(p).map(|object| Expandable::Object(Box::new(object)))
        }
    }
}

#[cfg(all(test, feature = "serde"))]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
    struct Customer {
        id: String,
        email: Option<String>,
    }

    impl Identified for Customer {
        fn object_id(&self) -> Option<&str> {
            Some(&self.id)
        }
    }

    #[test]
    fn id_and_object_both_answer_id() {
        let id: Expandable<Customer> = serde_json::from_str(r#""cus_1""#).unwrap();
        assert_eq!(id, Expandable::Id("cus_1".into()));
        assert_eq!(id.id(), Some("cus_1"));

        let obj: Expandable<Customer> =
            serde_json::from_str(r#"{"id":"cus_2","email":"a@b.c"}"#).unwrap();
        assert_eq!(obj.id(), Some("cus_2"));
        assert_eq!(obj.as_object().unwrap().email.as_deref(), Some("a@b.c"));
        assert_eq!(
            serde_json::to_string(&obj).unwrap(),
            r#"{"id":"cus_2","email":"a@b.c"}"#
        );
        assert_eq!(serde_json::to_string(&id).unwrap(), r#""cus_1""#);
    }

    #[test]
    fn other_shapes_are_errors_with_a_path() {
        let err = serde_json::from_str::<Expandable<Customer>>("42").unwrap_err();
        assert!(
            err.to_string()
                .contains("an id string or an expanded object"),
            "{err}"
        );
        let err = serde_json::from_str::<Expandable<Customer>>(r#"{"id":5}"#).unwrap_err();
        assert!(err.to_string().contains("invalid type"), "{err}");
    }
}
