//! The rows: one file's objects as compact rows with a string table of their own
//! ([`FileRows`]), the symbols, id hashes and status bytes they hold, and the places of the
//! failing runs' log excerpts ([`Text`]).

use indexmap::IndexSet;
use serde::{Deserialize, Serialize};

use crate::model::Status;

/// An interned string; [`NONE`] for an absent value.
pub type Sym = u32;
/// The absent symbol.
pub const NONE: Sym = u32::MAX;
/// An absent time.
pub const NO_TIME: i64 = i64::MIN;
/// An absent id.
pub const NO_ID: u64 = 0;

/// Hash of a KCIDB id; never [`NO_ID`].
pub fn id_hash(id: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(id.as_bytes()).max(1)
}

/// The status byte: 0 absent, else 1 + the [`Status`] discriminant order.
pub fn status_byte(s: Option<Status>) -> u8 {
    match s {
        None => 0,
        Some(Status::Fail) => 1,
        Some(Status::Error) => 2,
        Some(Status::Miss) => 3,
        Some(Status::Pass) => 4,
        Some(Status::Done) => 5,
        Some(Status::Skip) => 6,
    }
}

/// Inverse of [`status_byte`].
pub fn byte_status(b: u8) -> Option<Status> {
    Some(match b {
        1 => Status::Fail,
        2 => Status::Error,
        3 => Status::Miss,
        4 => Status::Pass,
        5 => Status::Done,
        6 => Status::Skip,
        _ => return None,
    })
}

/// A string table (FxHash: interning is on the hot path and the keys are not adversarial
/// enough to need SipHash).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Strings {
    set: IndexSet<Box<str>, rustc_hash::FxBuildHasher>,
}

impl Strings {
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(i) = self.set.get_index_of(s) {
            return i as Sym;
        }
        self.set.insert_full(s.into()).0 as Sym
    }

    pub fn intern_opt(&mut self, s: Option<&str>) -> Sym {
        s.map_or(NONE, |s| self.intern(s))
    }

    pub fn get(&self, sym: Sym) -> Option<&str> {
        if sym == NONE {
            return None;
        }
        self.set.get_index(sym as usize).map(|s| &**s)
    }

    pub fn len(&self) -> usize {
        self.set.len()
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.set.iter().map(|s| &**s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckoutRow {
    pub id: u64,
    pub origin: Sym,
    pub tree_name: Sym,
    pub repository_url: Sym,
    pub branch: Sym,
    pub commit: Sym,
    pub describe: Sym,
    pub start: i64,
    /// The start time as sent (shown in windows).
    pub start_text: Sym,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuildRow {
    pub id: u64,
    pub checkout: u64,
    pub arch: Sym,
    pub config: Sym,
    pub compiler: Sym,
    pub start: i64,
    pub status: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestRow {
    pub id: u64,
    pub build: u64,
    pub path: Sym,
    pub status: u8,
    pub start: i64,
    pub platform: Sym,
    pub lab: Sym,
    /// Index into the details, or `u32::MAX`.
    pub detail: u32,
}

/// What a failing run's page needs beyond its row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detail {
    /// The file it was read from, by absorb order (0 within a [`FileRows`]).
    pub file: u32,
    pub log_url: Option<Text>,
    pub log_excerpt: Option<Text>,
    /// Its KCIDB id as submitted, for a failing run read from KCIDB (the row keeps only its
    /// hash): what `api/v1/kcidb.json`'s incidents name. Kept now, while the file is open,
    /// rather than searched for in the file again for every published failure.
    pub kcidb_id: Option<Box<str>>,
}

/// A string kept for a page. Excerpts are most of a month of KCIDB's text (kilobytes per
/// failing test) and would be most of regtrack's memory, yet only a few are ever read again
/// (for crash signatures and pages): one read from a plain file is kept as its place in the
/// file and read back and decoded when it is looked at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Text {
    Owned(Box<str>),
    /// Bytes `start..start + len` of its file: a JSON string as written between its quotes,
    /// with escapes to decode when `escaped`.
    InFile {
        start: u32,
        len: u32,
        escaped: bool,
    },
}

/// The file [`Text::InFile`] strings are read from.
pub type Source = std::path::PathBuf;

/// Reads `len` bytes of text at `start` of a file. Each read opens the file: pages show a few
/// thousand excerpts at most, and holding every input file open (or mapped) would not scale
/// to a history of a million small submissions.
pub(super) fn read_span(path: &std::path::Path, start: u32, len: u32) -> Option<String> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path).ok()?;
    f.seek(SeekFrom::Start(u64::from(start))).ok()?;
    let mut buf = vec![0; len as usize];
    f.read_exact(&mut buf).ok()?;
    String::from_utf8(buf).ok()
}

/// Keeps the log of FAIL and ERROR runs only.
pub fn keeps_detail(status: u8) -> bool {
    status == 1 || status == 2
}

/// Rows of one file, with their own string table.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FileRows {
    pub strings: Strings,
    pub checkouts: Vec<CheckoutRow>,
    pub builds: Vec<BuildRow>,
    pub tests: Vec<TestRow>,
    pub details: Vec<Detail>,
    /// Per row of each kind, its index among the file's objects of that kind (diagnostics);
    /// empty while they are numbered alike (no object refused).
    #[serde(skip)]
    pub checkout_index: Vec<u32>,
    #[serde(skip)]
    pub build_index: Vec<u32>,
    #[serde(skip)]
    pub test_index: Vec<u32>,
}

/// Identifying fields that clashed between two sightings of one id.
pub type Clashes = Vec<&'static str>;

macro_rules! merge_rows {
    ($ty:ty, none: $none:expr; checked: [$($c:ident),*]; rest: [$($r:ident),*]) => {
        impl $ty {
            /// First non-absent value wins; checked fields that differ are reported.
            pub fn merge(&mut self, later: &$ty) -> Clashes {
                #[allow(unused_mut)]
                let mut clashes = Vec::new();
                $(
                    if self.$c == $none(&self.$c) {
                        self.$c = later.$c.clone();
                    } else if later.$c != $none(&later.$c) && self.$c != later.$c {
                        clashes.push(stringify!($c));
                    }
                )*
                $( if self.$r == $none(&self.$r) { self.$r = later.$r.clone(); } )*
                clashes
            }
        }
    };
}

/// The absent value of a field's type, by type.
trait Absent {
    fn absent() -> Self;
}
impl Absent for u32 {
    fn absent() -> Self {
        NONE
    }
}
impl Absent for u64 {
    fn absent() -> Self {
        NO_ID
    }
}
impl Absent for i64 {
    fn absent() -> Self {
        NO_TIME
    }
}
impl Absent for u8 {
    fn absent() -> Self {
        0
    }
}
fn absent<T: Absent>(_: &T) -> T {
    T::absent()
}

merge_rows!(CheckoutRow, none: absent;
    checked: [repository_url, branch, commit, start];
    rest: [origin, tree_name, describe, start_text]);
merge_rows!(BuildRow, none: absent;
    checked: [checkout, arch, config, compiler, status];
    rest: [start]);
merge_rows!(TestRow, none: absent;
    checked: [build, path, status, start];
    rest: [platform, lab, detail]);

/// A KCIDB test object takes at least about this many bytes of text (id, build id, path,
/// status, time): rows reserved from a text's size at this rate never move while they grow,
/// and capacity that is never filled is only address space, not memory.
pub const MIN_TEST_BYTES: u64 = 190;

impl FileRows {
    /// Reserves room for the tests of one file's `text_bytes` (see [`MIN_TEST_BYTES`]).
    pub fn reserve_for_text(&mut self, text_bytes: usize) {
        let rows = text_bytes / MIN_TEST_BYTES as usize;
        self.tests.reserve(rows);
    }

    /// Renumbers the file's strings in sorted order, so its rows do not depend on the order
    /// they were read in (the fast path reads a document's arrays in the order it wrote them,
    /// the lenient path kind by kind): both give the same bytes, cached and site alike.
    pub fn canonicalize(&mut self) {
        let strings: Vec<&str> = self.strings.iter().collect();
        let mut order: Vec<usize> = (0..strings.len()).collect();
        order.sort_unstable_by_key(|&i| strings[i]);
        if order.iter().enumerate().all(|(new, &old)| new == old) {
            return;
        }
        let mut new_of = vec![NONE; strings.len()];
        for (new, &old) in order.iter().enumerate() {
            new_of[old] = new as Sym;
        }
        let mut sorted = Strings::default();
        for &old in &order {
            sorted.intern(strings[old]);
        }
        let m = |s: &mut Sym| {
            if *s != NONE {
                *s = new_of[*s as usize];
            }
        };
        for c in &mut self.checkouts {
            for s in [
                &mut c.origin,
                &mut c.tree_name,
                &mut c.repository_url,
                &mut c.branch,
                &mut c.commit,
                &mut c.describe,
                &mut c.start_text,
            ] {
                m(s);
            }
        }
        for b in &mut self.builds {
            for s in [&mut b.arch, &mut b.config, &mut b.compiler] {
                m(s);
            }
        }
        for t in &mut self.tests {
            for s in [&mut t.path, &mut t.platform, &mut t.lab] {
                m(s);
            }
        }
        self.strings = sorted;
    }

    /// Interns a string in this file's table.
    pub fn sym(&mut self, s: Option<&str>) -> Sym {
        self.strings.intern_opt(s.filter(|s| !s.is_empty()))
    }

    /// Adds a failing run's detail (see [`keeps_detail`]) and returns its index.
    pub fn detail(
        &mut self,
        log_url: Option<Text>,
        log_excerpt: Option<Text>,
        kcidb_id: Option<Box<str>>,
    ) -> u32 {
        if log_url.is_none() && log_excerpt.is_none() && kcidb_id.is_none() {
            return u32::MAX;
        }
        self.details.push(Detail {
            file: 0,
            log_url,
            log_excerpt,
            kcidb_id,
        });
        (self.details.len() - 1) as u32
    }
}
