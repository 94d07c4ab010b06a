//! The second reader: serde_json's typed fast path, into the same borrowed [`super::fields`]
//! as the scanner, streaming test objects into rows as they are parsed. It takes a document
//! only whole: a type mismatch in one object, an unknown top-level key or a bad version gives
//! `None`, and the lenient path decides.

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, Visitor};

use super::fields::{
    FastDoc, FastEnv, FastMisc, FastTest, FastVersion, LogText, StrField, StrValue,
};
use super::rows::{FileResult, Rows, fast_with};

/// A string field that tolerates any JSON value: strings are kept, anything else is "unknown"
/// (free-form `misc` objects put numbers and objects where others put strings).
struct Lenient;

impl<'de> de::DeserializeSeed<'de> for Lenient {
    type Value = StrField<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<StrField<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Lenient {
    type Value = StrField<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any value")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(StrValue(Cow::Borrowed(v))))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(StrValue(Cow::Owned(v.to_string()))))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(StrValue(Cow::Owned(v))))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
        while a.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
        while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

impl<'de> FastObject<'de> for FastMisc<'de> {
    const NAMES: &'static [&'static str] = &["platform", "lab", "runtime"];
    fn read<A: de::MapAccess<'de>>(&mut self, field: usize, map: &mut A) -> Result<(), A::Error> {
        let slot = match field {
            0 => &mut self.platform,
            1 => &mut self.lab,
            _ => &mut self.runtime,
        };
        *slot = map.next_value_seed(Lenient)?;
        Ok(())
    }
}

/// The first element of a string array, without building the array.
struct FirstStr;

impl<'de> de::DeserializeSeed<'de> for FirstStr {
    type Value = StrField<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<StrField<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FirstStr {
    type Value = StrField<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of strings")
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
        let first = a.next_element::<StrValue>()?;
        while a.next_element::<StrValue>()?.is_some() {}
        Ok(first)
    }
}

impl<'de> FastObject<'de> for FastEnv<'de> {
    const NAMES: &'static [&'static str] = &["compatible", "misc"];
    fn read<A: de::MapAccess<'de>>(&mut self, field: usize, map: &mut A) -> Result<(), A::Error> {
        match field {
            0 => self.compatible = map.next_value_seed(FirstStr)?,
            _ => self.misc = map.next_value()?,
        }
        Ok(())
    }
}

impl<'de> FastObject<'de> for FastTest<'de> {
    const NAMES: &'static [&'static str] = &[
        "id",
        "build_id",
        "path",
        "status",
        "start_time",
        "log_url",
        "log_excerpt",
        "environment",
        "misc",
    ];
    fn read<A: de::MapAccess<'de>>(&mut self, field: usize, map: &mut A) -> Result<(), A::Error> {
        let slot = match field {
            0 => &mut self.id,
            1 => &mut self.build_id,
            2 => &mut self.path,
            3 => &mut self.status,
            4 => &mut self.start_time,
            5 | 6 => {
                let text = map.next_value_seed(StrOrNull)?.map(|s| LogText::Text(s.0));
                match field {
                    5 => self.log_url = text,
                    _ => self.log_excerpt = text,
                }
                return Ok(());
            }
            7 => {
                self.environment = map.next_value()?;
                return Ok(());
            }
            _ => {
                self.misc = map.next_value()?;
                return Ok(());
            }
        };
        *slot = map.next_value_seed(StrOrNull)?;
        Ok(())
    }
    fn check<E: de::Error>(&self) -> Result<(), E> {
        match self.id {
            Some(_) => Ok(()),
            None => Err(E::missing_field("id")),
        }
    }
}

/// The objects of the fast path, read field by field. Their `Deserialize` is written out
/// ([`ObjectVisitor`]): tests are nearly all of a month's input, and derived ones (a field
/// enum, `Option` and newtype layers per string) cost about 13% more. They are as strict as
/// derived ones: a repeated field, or a string field holding another type, fails the fast
/// path and sends the document to the lenient one.
trait FastObject<'de>: Default {
    /// The fields read; any other is skipped.
    const NAMES: &'static [&'static str];
    /// Reads the value of field `NAMES[field]`.
    fn read<A: de::MapAccess<'de>>(&mut self, field: usize, map: &mut A) -> Result<(), A::Error>;
    /// Checks the object once read (required fields).
    fn check<E: de::Error>(&self) -> Result<(), E> {
        Ok(())
    }
}

struct ObjectVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: FastObject<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut out = T::default();
        let mut seen = 0u32;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match T::NAMES.iter().position(|n| *n == key) {
                Some(i) if seen & 1 << i != 0 => {
                    return Err(de::Error::duplicate_field(T::NAMES[i]));
                }
                Some(i) => {
                    seen |= 1 << i;
                    out.read(i, &mut map)?;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        out.check()?;
        Ok(out)
    }
}

macro_rules! fast_object_deserialize {
    ($($ty:ident),*) => {$(
        impl<'de> Deserialize<'de> for $ty<'de> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_map(ObjectVisitor(std::marker::PhantomData))
            }
        }
    )*};
}
fast_object_deserialize!(FastTest, FastEnv, FastMisc);

/// An object key, borrowed unless it has escapes.
struct KeySeed;

impl<'de> de::DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a field name")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
}

/// A string field: a string (borrowed unless it has escapes) or null; any other type fails.
struct StrOrNull;

impl<'de> de::DeserializeSeed<'de> for StrOrNull {
    type Value = StrField<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrOrNull {
    type Value = StrField<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string or null")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(StrValue(Cow::Borrowed(v))))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(StrValue(Cow::Owned(v.to_string()))))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// The top-level keys of a document; any other key sends the file to the lenient path.
#[derive(Clone, Copy, Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum Key {
    Version,
    Checkouts,
    Builds,
    Tests,
    Issues,
    Incidents,
}

/// Reads a whole document, streaming `tests` (nearly all of a file) into `rows` one object at
/// a time, so no array of parsed tests is ever built.
struct DocSeed<'r, 'f>(&'r mut Rows<'f>);

impl<'de> de::DeserializeSeed<'de> for DocSeed<'_, '_> {
    type Value = FastDoc<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for DocSeed<'_, '_> {
    type Value = FastDoc<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a KCIDB document")
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut doc = FastDoc::default();
        let mut seen = [false; 6];
        while let Some(key) = map.next_key::<Key>()? {
            let slot = &mut seen[key as usize];
            if std::mem::replace(slot, true) {
                return Err(de::Error::custom("duplicate top-level key"));
            }
            match key {
                Key::Version => doc.major = Some(map.next_value::<FastVersion>()?.major),
                Key::Checkouts => doc.checkouts = map.next_value()?,
                Key::Builds => doc.builds = map.next_value()?,
                Key::Tests => doc.tests = map.next_value_seed(TestsSeed(&mut *self.0))?,
                Key::Issues => doc.issues = map.next_value()?,
                Key::Incidents => doc.incidents = map.next_value()?,
            }
        }
        Ok(doc)
    }
}

/// The `tests` array, each object handed to [`Rows::fast_test`] as soon as it is parsed.
struct TestsSeed<'r, 'f>(&'r mut Rows<'f>);

impl<'de> de::DeserializeSeed<'de> for TestsSeed<'_, '_> {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for TestsSeed<'_, '_> {
    type Value = usize;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of tests")
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut n = 0;
        while let Some(t) = seq.next_element::<FastTest>()? {
            self.0.fast_test(n, &t);
            n += 1;
        }
        Ok(n)
    }
}

/// The serde_json fast path alone: `None` when the document does not fit its shape.
pub(super) fn parse(file: &str, text: &str) -> Option<FileResult> {
    fast_with(file, text, false, |rows| {
        let mut de = serde_json::Deserializer::from_str(text);
        de::DeserializeSeed::deserialize(DocSeed(rows), &mut de)
            .and_then(|doc| de.end().map(|()| doc))
            .ok()
    })
}
