//! JSON helpers: keep what was read before a syntax error (truncated uploads are common), as
//! raw slices of the input, so every value's position is known.

use serde::de::{DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;

/// Collects the raw elements of a JSON array into `out`, keeping them on error.
pub(crate) struct SeqInto<'o, 'a>(pub &'o mut Vec<&'a RawValue>);

impl<'de, 'o> DeserializeSeed<'de> for SeqInto<'o, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, 'o> Visitor<'de> for SeqInto<'o, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(v) = seq.next_element::<&'de RawValue>()? {
            self.0.push(v);
        }
        Ok(())
    }
}
