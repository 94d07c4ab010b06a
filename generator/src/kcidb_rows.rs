//! KCIDB documents straight into compact rows.
//!
//! The fast path deserialises a whole document in one pass into borrowed fields (no copy of a
//! string that has no escapes) and interns them into the file's table. Any document that does
//! not fit the fast shape (a type mismatch in one object, an unknown top-level key, a bad
//! version) is re-read by the lenient path in [`crate::kcidb::parse_document`], which isolates
//! each bad object with its own diagnostic. Both paths give the same rows for the same input.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, Visitor};

use crate::diag::{Diagnostic, Location, RejectReason};
use crate::kcidb::{self, ParsedFile, SUPPORTED_MAJOR};
use crate::model::{Build, Checkout, Incident, Issue, Status, Test};
use crate::store::{
    BuildRow, CheckoutRow, FileRows, NO_ID, NO_TIME, NONE, Sym, TestRow, Text, id_hash,
    keeps_detail, parse_micros, status_byte,
};

/// Everything one file yielded.
#[derive(Debug, Default)]
pub struct FileResult {
    pub file: String,
    /// The file the rows' [`Text::InFile`] strings are read back from.
    pub source: Option<crate::store::Source>,
    pub rows: FileRows,
    pub issues: Vec<Issue>,
    pub incidents: Vec<Incident>,
    pub diagnostics: Vec<Diagnostic>,
    /// Objects seen per kind, accepted or not.
    pub seen: BTreeMap<&'static str, usize>,
    /// Objects accepted per kind.
    pub accepted: BTreeMap<&'static str, usize>,
}

impl FileResult {
    /// The first part in which two readings of one file differ (rows byte for byte,
    /// diagnostics, counts, issues, incidents), or `None`: how the parse paths are held to
    /// one another in tests.
    pub fn mismatch(&self, other: &FileResult) -> Option<&'static str> {
        let bytes = |r: &FileRows| postcard::to_stdvec(r).ok();
        if bytes(&self.rows) != bytes(&other.rows) {
            return Some("rows");
        }
        if self.diagnostics != other.diagnostics {
            return Some("diagnostics");
        }
        if (&self.seen, &self.accepted) != (&other.seen, &other.accepted) {
            return Some("counts");
        }
        if self.issues.len() != other.issues.len() || self.incidents.len() != other.incidents.len()
        {
            return Some("issues or incidents");
        }
        None
    }
}

/// A string borrowed from the document unless it has escapes. serde's own `Option<Cow<str>>`
/// always copies (it borrows only a bare `Cow` field), which costs an allocation per field.
#[derive(Deserialize)]
pub(crate) struct Str<'a>(#[serde(borrow)] pub(crate) Cow<'a, str>);

pub(crate) type S<'a> = Option<Str<'a>>;

/// A string field that tolerates any JSON value: strings are kept, anything else is "unknown"
/// (free-form `misc` objects put numbers and objects where others put strings).
struct Lenient;

impl<'de> de::DeserializeSeed<'de> for Lenient {
    type Value = S<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Lenient {
    type Value = S<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any value")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Str(Cow::Borrowed(v))))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Str(Cow::Owned(v.to_string()))))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Str(Cow::Owned(v))))
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

#[derive(Deserialize)]
pub(crate) struct FastVersion {
    pub(crate) major: u64,
}

#[derive(Deserialize)]
pub(crate) struct FastCheckout<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow, default)]
    origin: S<'a>,
    #[serde(borrow, default)]
    tree_name: S<'a>,
    #[serde(borrow, default)]
    git_repository_url: S<'a>,
    #[serde(borrow, default)]
    git_repository_branch: S<'a>,
    #[serde(borrow, default)]
    git_commit_hash: S<'a>,
    #[serde(borrow, default)]
    git_commit_name: S<'a>,
    #[serde(borrow, default)]
    start_time: S<'a>,
}

#[derive(Deserialize)]
pub(crate) struct FastBuild<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow, default)]
    checkout_id: S<'a>,
    #[serde(borrow, default)]
    architecture: S<'a>,
    #[serde(borrow, default)]
    config_name: S<'a>,
    #[serde(borrow, default)]
    compiler: S<'a>,
    #[serde(borrow, default)]
    start_time: S<'a>,
    #[serde(borrow, default)]
    status: S<'a>,
    #[serde(default)]
    valid: Option<bool>,
}

#[derive(Default)]
pub(crate) struct FastMisc<'a> {
    pub(crate) platform: S<'a>,
    pub(crate) lab: S<'a>,
    pub(crate) runtime: S<'a>,
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
    type Value = S<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FirstStr {
    type Value = S<'de>;
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
        let first = a.next_element::<Str>()?;
        while a.next_element::<Str>()?.is_some() {}
        Ok(first)
    }
}

#[derive(Default)]
pub(crate) struct FastEnv<'a> {
    pub(crate) compatible: S<'a>,
    pub(crate) misc: Option<FastMisc<'a>>,
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

/// A test object; `id` is checked present when it is read.
#[derive(Default)]
pub(crate) struct FastTest<'a> {
    pub(crate) id: S<'a>,
    pub(crate) build_id: S<'a>,
    pub(crate) path: S<'a>,
    pub(crate) status: S<'a>,
    pub(crate) start_time: S<'a>,
    pub(crate) environment: Option<FastEnv<'a>>,
    pub(crate) log_url: Log<'a>,
    pub(crate) log_excerpt: Log<'a>,
    pub(crate) misc: Option<FastMisc<'a>>,
}

/// A log URL or excerpt as read: decoded (serde_json), or as written in the document (the
/// scanner), kept by reference when the document stays readable (see [`crate::store::Text`]).
pub(crate) enum LogText<'a> {
    Text(Cow<'a, str>),
    Json { raw: &'a str, escaped: bool },
}

pub(crate) type Log<'a> = Option<LogText<'a>>;

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
    type Value = S<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrOrNull {
    type Value = S<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string or null")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Str(Cow::Borrowed(v))))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Str(Cow::Owned(v.to_string()))))
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

/// A document minus its tests, which were turned into rows while parsing.
#[derive(Default)]
pub(crate) struct FastDoc<'a> {
    pub(crate) major: Option<u64>,
    pub(crate) checkouts: Vec<FastCheckout<'a>>,
    pub(crate) builds: Vec<FastBuild<'a>>,
    pub(crate) tests: usize,
    pub(crate) issues: Vec<Issue>,
    pub(crate) incidents: Vec<Incident>,
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

/// The same checks as the lenient path's `Validate`, on borrowed fields.
fn check(
    times: &mut TimeMemo,
    id: &str,
    start: Option<&str>,
    status: Option<&str>,
) -> Result<(i64, u8), (RejectReason, String)> {
    if id.is_empty() {
        return Err((RejectReason::Malformed, "empty `id`".into()));
    }
    let t = match start {
        None => NO_TIME,
        Some(s) => times.parse(s).ok_or_else(|| {
            (
                RejectReason::Malformed,
                format!("start_time {s:?} is not an RFC 3339 date-time"),
            )
        })?,
    };
    let st = match status {
        None => 0,
        Some(s) => status_byte(Some(Status::parse(s).ok_or_else(|| {
            (
                RejectReason::UnknownStatus,
                format!(
                    "unknown status value {s:?} (expected FAIL, ERROR, MISS, PASS, DONE or SKIP)"
                ),
            )
        })?)),
    };
    Ok((t, st))
}

/// Parsed timestamps of one file: jobs stamp many tests with the same time, and RFC 3339
/// parsing is a visible share of ingest.
#[derive(Default)]
struct TimeMemo {
    text: String,
    value: Option<Option<i64>>,
}

impl TimeMemo {
    fn parse(&mut self, s: &str) -> Option<i64> {
        match self.value {
            Some(v) if self.text == s => v,
            _ => {
                let v = parse_micros(s);
                // The buffer is reused: most tests have a time of their own.
                self.text.clear();
                self.text.push_str(s);
                self.value = Some(v);
                v
            }
        }
    }
}

/// The hash of the last build id seen: a job's tests come together and name one build.
#[derive(Default)]
struct IdMemo {
    text: String,
    hash: u64,
}

impl IdMemo {
    fn hash(&mut self, id: Option<&str>) -> u64 {
        let Some(id) = id else { return NO_ID };
        if self.hash == NO_ID || self.text != id {
            self.text.clear();
            self.text.push_str(id);
            self.hash = id_hash(id);
        }
        self.hash
    }
}

/// The symbol of the last string interned through it: the tests of one job come together
/// and name the same board and lab, so most lookups end at one string comparison.
#[derive(Default)]
struct SymMemo {
    last: Option<(String, Sym)>,
}

impl SymMemo {
    fn sym(&mut self, rows: &mut FileRows, s: Option<&str>) -> Sym {
        let Some(s) = s.filter(|s| !s.is_empty()) else {
            return NONE;
        };
        match &self.last {
            Some((last, sym)) if last == s => *sym,
            _ => {
                let sym = rows.sym(Some(s));
                self.last = Some((s.to_string(), sym));
                sym
            }
        }
    }
}

/// Row builders shared by both paths: they take plain field values.
pub(crate) struct Rows<'f> {
    out: &'f mut FileResult,
    times: TimeMemo,
    builds: IdMemo,
    platforms: SymMemo,
    labs: SymMemo,
    /// Tests accepted so far (added to the counts once, by [`Rows::done`]).
    accepted_tests: usize,
    /// Where the document's text starts and how long it is, when it is its file's text byte
    /// for byte: excerpts in it are then kept as places in the file.
    kept_text: Option<(usize, usize)>,
}

impl<'f> Rows<'f> {
    fn new(out: &'f mut FileResult, kept_text: Option<&str>) -> Self {
        Rows {
            out,
            times: TimeMemo::default(),
            builds: IdMemo::default(),
            platforms: SymMemo::default(),
            labs: SymMemo::default(),
            accepted_tests: 0,
            kept_text: kept_text.map(|t| (t.as_ptr() as usize, t.len())),
        }
    }

    /// A log excerpt to keep: by its place in the document when the document is kept and the
    /// string is written in it, else decoded.
    fn keep(&self, log: &LogText) -> Text {
        if let (&LogText::Json { raw, escaped }, Some((base, len))) = (log, self.kept_text) {
            let at = (raw.as_ptr() as usize).wrapping_sub(base);
            if at + raw.len() <= len && len <= u32::MAX as usize {
                return Text::InFile {
                    start: at as u32,
                    len: raw.len() as u32,
                    escaped,
                };
            }
        }
        owned(log)
    }

    /// One test object of the fast path.
    pub(crate) fn fast_test(&mut self, index: usize, t: &FastTest) {
        let env = t.environment.as_ref();
        let platform = env
            .and_then(|e| e.misc.as_ref())
            .and_then(|m| nonempty(&m.platform))
            .or_else(|| env.and_then(|e| nonempty(&e.compatible)));
        let lab = t
            .misc
            .as_ref()
            .and_then(|m| nonempty(&m.lab).or(nonempty(&m.runtime)));
        self.test(
            index,
            // Present: FastTest::check.
            raw(&t.id).unwrap_or_default(),
            nonempty(&t.build_id),
            nonempty(&t.path),
            raw(&t.status),
            raw(&t.start_time),
            platform,
            lab,
            nonempty_log(&t.log_url),
            nonempty_log(&t.log_excerpt),
        );
    }

    /// Adds the accepted tests to the file's counts.
    fn done(self) {
        if self.accepted_tests > 0 {
            *self.out.accepted.entry("tests").or_default() += self.accepted_tests;
        }
    }

    fn reject(&mut self, kind: &'static str, index: usize, id: &str, e: (RejectReason, String)) {
        let id = Some(id.to_string()).filter(|s| !s.is_empty());
        let file = self.out.file.clone();
        self.out.diagnostics.push(Diagnostic::new(
            &file,
            Location::Object { kind, index, id },
            e.0,
            e.1,
        ));
    }

    #[allow(clippy::too_many_arguments)]
    fn checkout(
        &mut self,
        index: usize,
        id: &str,
        origin: Option<&str>,
        tree_name: Option<&str>,
        repo: Option<&str>,
        branch: Option<&str>,
        commit: Option<&str>,
        describe: Option<&str>,
        start_time: Option<&str>,
    ) {
        match check(&mut self.times, id, start_time, None) {
            Err(e) => self.reject("checkouts", index, id, e),
            Ok((start, _)) => {
                let r = &mut self.out.rows;
                let row = CheckoutRow {
                    id: id_hash(id),
                    origin: r.sym(origin),
                    tree_name: r.sym(tree_name),
                    repository_url: r.sym(repo),
                    branch: r.sym(branch),
                    commit: r.sym(commit),
                    describe: r.sym(describe),
                    start,
                    start_text: r.sym(start_time),
                };
                r.checkouts.push(row);
                r.checkout_index.push(index as u32);
                *self.out.accepted.entry("checkouts").or_default() += 1;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        &mut self,
        index: usize,
        id: &str,
        checkout: Option<&str>,
        arch: Option<&str>,
        config: Option<&str>,
        compiler: Option<&str>,
        start_time: Option<&str>,
        status: Option<&str>,
        valid: Option<bool>,
    ) {
        match check(&mut self.times, id, start_time, status) {
            Err(e) => self.reject("builds", index, id, e),
            Ok((start, mut st)) => {
                if st == 0 {
                    st = status_byte(valid.map(|v| if v { Status::Pass } else { Status::Fail }));
                }
                let r = &mut self.out.rows;
                let row = BuildRow {
                    id: id_hash(id),
                    checkout: checkout.map_or(NO_ID, id_hash),
                    arch: r.sym(arch),
                    config: r.sym(config),
                    compiler: r.sym(compiler),
                    start,
                    status: st,
                };
                r.builds.push(row);
                r.build_index.push(index as u32);
                *self.out.accepted.entry("builds").or_default() += 1;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn test(
        &mut self,
        index: usize,
        id: &str,
        build: Option<&str>,
        path: Option<&str>,
        status: Option<&str>,
        start_time: Option<&str>,
        platform: Option<&str>,
        lab: Option<&str>,
        log_url: Option<&LogText>,
        excerpt: Option<&LogText>,
    ) {
        match check(&mut self.times, id, start_time, status) {
            Err(e) => self.reject("tests", index, id, e),
            Ok((start, st)) => {
                // URLs are short and shown for every run of a history strip: decoded now.
                let (url, excerpt) = match keeps_detail(st) {
                    true => (log_url.map(owned), excerpt.map(|l| self.keep(l))),
                    false => (None, None),
                };
                let r = &mut self.out.rows;
                let row = TestRow {
                    id: id_hash(id),
                    build: self.builds.hash(build),
                    path: r.sym(path),
                    status: st,
                    start,
                    platform: self.platforms.sym(r, platform),
                    lab: self.labs.sym(r, lab),
                    detail: r.detail(url, excerpt),
                };
                // Rows are numbered like their objects until one is refused; from then on
                // each row records its object's index (see `FileRows::test_index`).
                if !r.test_index.is_empty() || r.tests.len() != index {
                    if r.test_index.is_empty() {
                        r.test_index = (0..r.tests.len() as u32).collect();
                    }
                    r.test_index.push(index as u32);
                }
                r.tests.push(row);
                self.accepted_tests += 1;
            }
        }
    }
}

fn raw<'a>(s: &'a S<'_>) -> Option<&'a str> {
    s.as_ref().map(|s| &*s.0)
}

fn nonempty<'a>(s: &'a S<'_>) -> Option<&'a str> {
    raw(s).filter(|s| !s.is_empty())
}

/// A log string decoded.
fn owned(log: &LogText) -> Text {
    match *log {
        LogText::Text(ref s) => Text::Owned((**s).into()),
        LogText::Json {
            raw,
            escaped: false,
        } => Text::Owned(raw.into()),
        LogText::Json { raw, escaped: true } => Text::Owned(
            crate::json_scan::unescape(raw)
                .unwrap_or_default()
                .into_boxed_str(),
        ),
    }
}

fn nonempty_log<'a, 'b>(l: &'b Log<'a>) -> Option<&'b LogText<'a>> {
    l.as_ref().filter(|l| match l {
        LogText::Text(s) => !s.is_empty(),
        LogText::Json { raw, .. } => !raw.is_empty(),
    })
}

/// Parses one KCIDB document into rows: the scanner ([`crate::kcidb_scan`]), else serde_json's
/// fast path, else the lenient path (which isolates each bad object).
pub fn parse_rows(file: &str, text: &str) -> FileResult {
    crate::kcidb_scan::parse(file, text, false).unwrap_or_else(|| parse_rows_serde(file, text))
}

/// [`parse_rows`] for a document that is its file's text byte for byte, so that the scanner can
/// keep its failing runs' excerpts as places in the file ([`Text::InFile`]).
pub fn parse_rows_kept(file: &str, text: &str) -> FileResult {
    crate::kcidb_scan::parse(file, text, true).unwrap_or_else(|| parse_rows_serde(file, text))
}

/// [`parse_rows`] without the scanner: the reference it is tested against.
pub fn parse_rows_serde(file: &str, text: &str) -> FileResult {
    parse_fast(file, text).unwrap_or_else(|| from_parsed(kcidb::parse_document(file, text)))
}

/// The serde_json fast path alone: `None` when the document does not fit its shape.
fn parse_fast(file: &str, text: &str) -> Option<FileResult> {
    fast_with(file, text, false, |rows| {
        let mut de = serde_json::Deserializer::from_str(text);
        de::DeserializeSeed::deserialize(DocSeed(rows), &mut de)
            .and_then(|doc| de.end().map(|()| doc))
            .ok()
    })
}

/// A fast path: `read` streams the document's tests into the rows and returns the rest of it,
/// or `None` when the document does not fit its shape (then no rows are kept).
pub(crate) fn fast_with<'t>(
    file: &str,
    text: &'t str,
    kept: bool,
    read: impl FnOnce(&mut Rows) -> Option<FastDoc<'t>>,
) -> Option<FileResult> {
    let mut out = FileResult {
        file: file.to_string(),
        ..Default::default()
    };
    out.rows.reserve_for_text(text.len());
    let mut rows = Rows::new(&mut out, kept.then_some(text));
    let doc =
        read(&mut rows).filter(|doc| doc.major.is_some_and(|m| SUPPORTED_MAJOR.contains(&m)))?;
    for (i, c) in doc.checkouts.iter().enumerate() {
        rows.checkout(
            i,
            &c.id,
            nonempty(&c.origin),
            nonempty(&c.tree_name),
            nonempty(&c.git_repository_url),
            nonempty(&c.git_repository_branch),
            nonempty(&c.git_commit_hash),
            nonempty(&c.git_commit_name),
            raw(&c.start_time),
        );
    }
    for (i, b) in doc.builds.iter().enumerate() {
        rows.build(
            i,
            &b.id,
            nonempty(&b.checkout_id),
            nonempty(&b.architecture),
            nonempty(&b.config_name),
            nonempty(&b.compiler),
            raw(&b.start_time),
            raw(&b.status),
            b.valid,
        );
    }
    rows.done();
    out.seen.insert("checkouts", doc.checkouts.len());
    out.seen.insert("builds", doc.builds.len());
    out.seen.insert("tests", doc.tests);
    out.seen.insert("issues", doc.issues.len());
    out.seen.insert("incidents", doc.incidents.len());
    out.seen.retain(|_, n| *n > 0);
    accept_small(&mut out, doc.issues, doc.incidents);
    out.rows.canonicalize();
    sort_diagnostics(&mut out.diagnostics);
    Some(out)
}

/// Whole-document problems first (in the order found), then bad objects by kind and index,
/// whatever order the document wrote its arrays in.
fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| match &d.location {
        Location::Object { kind, index, .. } => {
            let rank = ["checkouts", "builds", "tests", "issues", "incidents"]
                .iter()
                .position(|k| k == kind)
                .unwrap_or(5);
            (1, rank, *index)
        }
        _ => (0, 0, 0),
    });
}

/// Issues and incidents are few: they stay full objects. One without an id is refused, as
/// the lenient path refuses it.
fn accept_small(out: &mut FileResult, issues: Vec<Issue>, incidents: Vec<Incident>) {
    fn refuse(out: &mut FileResult, kind: &'static str, index: usize) {
        let d = Diagnostic::new(
            &out.file,
            Location::Object {
                kind,
                index,
                id: None,
            },
            RejectReason::Malformed,
            "empty `id`",
        );
        out.diagnostics.push(d);
    }
    for (index, i) in issues.into_iter().enumerate() {
        if i.id.is_empty() {
            refuse(out, "issues", index);
            continue;
        }
        *out.accepted.entry("issues").or_default() += 1;
        out.issues.push(i);
    }
    for (index, i) in incidents.into_iter().enumerate() {
        if i.id.is_empty() {
            refuse(out, "incidents", index);
            continue;
        }
        *out.accepted.entry("incidents").or_default() += 1;
        out.incidents.push(i);
    }
}

/// Rows from objects already parsed (the lenient path, and other formats via their context).
pub fn from_parsed(pf: ParsedFile) -> FileResult {
    let mut out = FileResult {
        file: pf.file.clone(),
        diagnostics: pf.diagnostics,
        seen: pf.seen,
        ..Default::default()
    };
    out.seen.retain(|_, n| *n > 0);
    let mut rows = Rows::new(&mut out, None);
    fn s(v: &Option<String>) -> Option<&str> {
        v.as_deref().filter(|s| !s.is_empty())
    }
    for (i, c) in pf.checkouts.iter().enumerate() {
        let Checkout {
            id,
            origin,
            tree_name,
            git_repository_url,
            git_repository_branch,
            git_commit_hash,
            git_commit_name,
            start_time,
        } = c;
        rows.checkout(
            i,
            id,
            s(origin),
            s(tree_name),
            s(git_repository_url),
            s(git_repository_branch),
            s(git_commit_hash),
            s(git_commit_name),
            start_time.as_deref(),
        );
    }
    for (i, b) in pf.builds.iter().enumerate() {
        let Build {
            id,
            checkout_id,
            architecture,
            config_name,
            compiler,
            start_time,
            status,
            valid,
            ..
        } = b;
        rows.build(
            i,
            id,
            s(checkout_id),
            s(architecture),
            s(config_name),
            s(compiler),
            start_time.as_deref(),
            status.as_deref(),
            *valid,
        );
    }
    for (i, t) in pf.tests.iter().enumerate() {
        let Test {
            id,
            build_id,
            path,
            status,
            start_time,
            log_url,
            log_excerpt,
            ..
        } = t;
        let platform = t.platform();
        let lab = t.lab();
        rows.test(
            i,
            id,
            s(build_id),
            s(path),
            status.as_deref(),
            start_time.as_deref(),
            platform.as_deref(),
            lab.as_deref(),
            s(log_url).map(|s| LogText::Text(Cow::Borrowed(s))).as_ref(),
            s(log_excerpt)
                .map(|s| LogText::Text(Cow::Borrowed(s)))
                .as_ref(),
        );
    }
    rows.done();
    accept_small(&mut out, pf.issues, pf.incidents);
    out.rows.canonicalize();
    sort_diagnostics(&mut out.diagnostics);
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The fast path and the lenient path must give the same bytes, diagnostics and counts.
    fn assert_paths_agree(doc: &str) -> FileResult {
        let fast = parse_rows("f.json", doc);
        let slow = from_parsed(kcidb::parse_document("f.json", doc));
        assert_eq!(fast.mismatch(&slow), None, "{doc}");
        fast
    }

    /// Test objects that do not fit the fast shape (the lenient path decides on them).
    pub(crate) const ODD_TESTS: &[&str] = &[
        r#"{"path": "no id"}"#,
        r#"{"id": null}"#,
        r#"{"id": "o:t1", "id": "o:t2"}"#,
        r#"{"id": "o:t1", "status": 1}"#,
        r#"{"id": "o:t1", "environment": {"misc": {"platform": "a", "platform": "b"}}}"#,
        r#"{"id": "o:t1", "environment": "qemu"}"#,
    ];

    #[test]
    fn key_order_and_escapes_do_not_change_rows() {
        // Tests first (streamed before the checkouts and builds exist), an escaped string
        // (owned, not borrowed), and one bad object of each kind for the diagnostics' order.
        let doc = r#"{
          "tests": [
            {"id": "o:t1", "build_id": "o:b1", "path": "kselftest.net\u002ftls", "status": "FAIL",
             "environment": {"misc": {"platform": "rk3399"}}, "misc": {"lab": 7},
             "log_excerpt": "BUG: KASAN: use-after-free"},
            {"id": "o:t2", "build_id": "o:b1", "path": "boot", "status": "SOMETIMES"},
            {"id": "o:t3", "build_id": "o:b1", "path": "boot", "status": "PASS",
             "environment": {"compatible": ["qcom,sm8550"]}, "misc": {"runtime": "lava"}}
          ],
          "builds": [
            {"id": "o:b1", "checkout_id": "o:c1", "architecture": "arm64", "valid": true},
            {"id": "o:b2", "start_time": "yesterday"}
          ],
          "checkouts": [
            {"id": "o:c1", "tree_name": "mainline", "git_commit_hash": "abc"},
            {"id": "", "tree_name": "next"}
          ],
          "version": {"major": 5, "minor": 3}
        }"#;
        let r = assert_paths_agree(doc);
        assert_eq!(r.rows.tests.len(), 2);
        assert_eq!(r.rows.builds.len(), 1);
        assert_eq!(r.rows.checkouts.len(), 1);
        let kinds: Vec<_> = r
            .diagnostics
            .iter()
            .map(|d| match &d.location {
                Location::Object { kind, .. } => *kind,
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["checkouts", "builds", "tests"]);
        assert!(r.rows.strings.iter().any(|s| s == "kselftest.net/tls"));
    }

    #[test]
    fn the_fast_path_takes_what_a_derived_reader_would_and_nothing_more() {
        let doc = |test: &str| format!(r#"{{"version": {{"major": 5}}, "tests": [{test}]}}"#);
        let usual = r#"{"id": "o:t1", "build_id": "o:b1", "origin": "o", "path": "a/b",
            "status": "PASS", "start_time": null, "environment": {"compatible": ["x", "y"],
            "misc": {"platform": "rk3399", "board_rev": 2}}, "misc": {"runtime": 3, "lab": "l"},
            "log_url": "https://l/1", "extra": {"nested": [1, 2]}}"#;
        let fast = parse_fast("f.json", &doc(usual)).expect("the usual shape is fast");
        assert_eq!(fast.rows.tests.len(), 1);
        assert_paths_agree(&doc(usual));
        for odd in ODD_TESTS {
            assert!(parse_fast("f.json", &doc(odd)).is_none(), "{odd}");
            assert_paths_agree(&doc(odd));
        }
    }

    #[test]
    fn a_fast_path_failure_midway_leaves_no_partial_rows() {
        // The second test breaks the fast shape after the first was already turned into a
        // row; the lenient path must start from scratch.
        let doc = r#"{"version": {"major": 4},
          "tests": [{"id": "o:t1", "path": "boot", "status": "PASS"},
                    {"id": "o:t2", "path": ["not", "a", "string"], "status": "PASS"},
                    {"id": "o:t3", "path": "boot", "status": "FAIL"}]}"#;
        let r = assert_paths_agree(doc);
        assert_eq!(r.rows.tests.len(), 2);
        assert_eq!(r.diagnostics.len(), 1);
    }

    #[test]
    fn issues_and_incidents_without_an_id_are_refused_on_every_path() {
        let doc = r#"{"version": {"major": 5},
          "issues": [{"id": "", "version": 1}, {"id": "o:i", "version": 1}],
          "incidents": [{"id": "o:n", "issue_id": "o:i"}, {"id": ""}]}"#;
        let r = assert_paths_agree(doc);
        assert!(parse_fast("f.json", doc).is_some());
        assert_eq!((r.issues.len(), r.incidents.len()), (1, 1));
        let seen: usize = r.seen.values().sum();
        let accepted: usize = r.accepted.values().sum();
        assert_eq!((seen, accepted, r.diagnostics.len()), (4, 2, 2));
    }

    #[test]
    fn duplicate_top_level_keys_go_to_the_lenient_path() {
        let doc = r#"{"version": {"major": 4},
          "tests": [{"id": "o:t1", "path": "boot", "status": "PASS"}],
          "tests": [{"id": "o:t2", "path": "boot", "status": "PASS"}]}"#;
        assert_paths_agree(doc);
    }
}
