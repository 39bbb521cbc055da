//! The fields of a response object that its type has no field for, kept as JSON.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Deref, DerefMut};

use serde_json::Value;

/// The fields of a response object that this version of the crate has no field for (from an
/// older or newer API version), kept as JSON so nothing is lost: a `BTreeMap<String, Value>`
/// through `Deref`/`DerefMut` (`extra.get("shipping_details")`, `extra.is_empty()`,
/// `extra.insert(…)`).
///
/// Almost always empty, so it takes one pointer in its object and allocates only when a field
/// is kept.
///
/// ```
/// use stripe_checkout::ExtraFields;
/// let mut extra = ExtraFields::default();
/// assert!(extra.is_empty());
/// extra.insert("trial_period_days".into(), 7.into());
/// assert_eq!(extra["trial_period_days"], 7);
/// ```
#[derive(Clone, Default)]
// The box is the point: an empty `BTreeMap` is three words, `Option<Box<_>>` one.
#[allow(clippy::box_collection)]
pub struct ExtraFields(Option<Box<BTreeMap<String, Value>>>);

static EMPTY: BTreeMap<String, Value> = BTreeMap::new();

impl Deref for ExtraFields {
    type Target = BTreeMap<String, Value>;

    fn deref(&self) -> &Self::Target {
        self.0.as_deref().unwrap_or(&EMPTY)
    }
}

impl DerefMut for ExtraFields {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.0.get_or_insert_with(Default::default)
    }
}

impl From<BTreeMap<String, Value>> for ExtraFields {
    fn from(map: BTreeMap<String, Value>) -> Self {
        if map.is_empty() {
            ExtraFields(None)
        } else {
            ExtraFields(Some(Box::new(map)))
        }
    }
}

impl From<ExtraFields> for BTreeMap<String, Value> {
    fn from(extra: ExtraFields) -> Self {
        extra.0.map(|map| *map).unwrap_or_default()
    }
}

/// Equal when they hold the same fields (an emptied map equals none).
impl PartialEq for ExtraFields {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl fmt::Debug for ExtraFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for ExtraFields {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for ExtraFields {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        BTreeMap::<String, Value>::deserialize(deserializer).map(ExtraFields::from)
    }
}
