//! The compact store of results: what regtrack keeps in memory for millions of test runs.
//!
//! Strings that repeat (paths, boards, trees, configs...) are interned once and rows hold
//! 32-bit symbols; ids are 64-bit hashes (xxh3) of the KCIDB id strings, which are only ever
//! compared, never shown; times are microseconds since the epoch. Log URLs and excerpts are
//! kept only for FAIL and ERROR runs, the only ones a page shows. A test run costs ~48 bytes.
//!
//! Parsing builds [`FileRows`] per file with a file-local string table (no shared lock while
//! files are parsed in parallel); [`Store::absorb`] maps them into the global table.

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

/// RFC 3339 to microseconds since the epoch.
///
/// The shape every CI writes (`2026-11-20T08:00:00.123456+00:00`, `...Z`) is split by hand
/// and validated by chrono's constructors, which is several times faster than chrono's
/// general parser on tens of millions of timestamps; anything else goes to that parser.
pub fn parse_micros(s: &str) -> Option<i64> {
    fast_micros(s).or_else(|| {
        chrono::DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.timestamp_micros())
    })
}

fn fast_micros(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut i = 19;
    let mut micros = 0u32;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start < 6 {
                micros = micros * 10 + u32::from(b[i] - b'0');
            }
            i += 1;
        }
        let digits = i - start;
        if digits == 0 {
            return None;
        }
        for _ in digits..6 {
            micros *= 10;
        }
    }
    let offset_secs: i64 = match &b[i..] {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let hh = num(i + 1..i + 3)?;
            let mm = num(i + 4..i + 6)?;
            let v = i64::from(hh * 3600 + mm * 60);
            if *sign == b'-' { -v } else { v }
        }
        _ => return None,
    };
    let t = chrono::NaiveDate::from_ymd_opt(y as i32, mo, d)?
        .and_hms_micro_opt(h, mi, sec, micros)?
        .and_utc()
        .timestamp_micros();
    Some(t - offset_secs * 1_000_000)
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

    fn iter(&self) -> impl Iterator<Item = &str> {
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
    pub log_url: Option<Box<str>>,
    pub log_excerpt: Option<Box<str>>,
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
    /// Per row of each kind, its index among the file's objects of that kind (diagnostics).
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

impl FileRows {
    /// Interns a string in this file's table.
    pub fn sym(&mut self, s: Option<&str>) -> Sym {
        self.strings.intern_opt(s.filter(|s| !s.is_empty()))
    }

    /// Adds a detail for a failing run and returns its index.
    pub fn detail(&mut self, status: u8, log_url: Option<&str>, excerpt: Option<&str>) -> u32 {
        if !keeps_detail(status) || (log_url.is_none() && excerpt.is_none()) {
            return u32::MAX;
        }
        self.details.push(Detail {
            log_url: log_url.map(Into::into),
            log_excerpt: excerpt.map(Into::into),
        });
        (self.details.len() - 1) as u32
    }
}

/// Every row read, merged by id.
#[derive(Debug, Default)]
pub struct Store {
    pub strings: Strings,
    pub checkouts: Vec<CheckoutRow>,
    pub builds: Vec<BuildRow>,
    pub tests: Vec<TestRow>,
    pub details: Vec<Detail>,
    checkout_ix: rustc_hash::FxHashMap<u64, u32>,
    build_ix: rustc_hash::FxHashMap<u64, u32>,
    test_ix: rustc_hash::FxHashMap<u64, u32>,
}

/// One clash found while absorbing: (kind, index of the object in its file, fields).
pub type Clash = (&'static str, u32, Clashes);

impl Store {
    /// Maps a file's rows into the store, merging sightings of known ids. Returns the clashes.
    pub fn absorb(&mut self, file: FileRows) -> Vec<Clash> {
        let map: Vec<Sym> = file
            .strings
            .iter()
            .map(|s| self.strings.intern(s))
            .collect();
        let m = |s: Sym| if s == NONE { NONE } else { map[s as usize] };
        let mut clashes = Vec::new();
        let at = |ix: &[u32], i: usize| ix.get(i).copied().unwrap_or(i as u32);
        for (n, mut c) in file.checkouts.into_iter().enumerate() {
            c.origin = m(c.origin);
            c.tree_name = m(c.tree_name);
            c.repository_url = m(c.repository_url);
            c.branch = m(c.branch);
            c.commit = m(c.commit);
            c.describe = m(c.describe);
            c.start_text = m(c.start_text);
            match self.checkout_ix.get(&c.id) {
                Some(&i) => {
                    let cl = self.checkouts[i as usize].merge(&c);
                    if !cl.is_empty() {
                        clashes.push(("checkouts", at(&file.checkout_index, n), cl));
                    }
                }
                None => {
                    self.checkout_ix.insert(c.id, self.checkouts.len() as u32);
                    self.checkouts.push(c);
                }
            }
        }
        for (n, mut b) in file.builds.into_iter().enumerate() {
            b.arch = m(b.arch);
            b.config = m(b.config);
            b.compiler = m(b.compiler);
            match self.build_ix.get(&b.id) {
                Some(&i) => {
                    let cl = self.builds[i as usize].merge(&b);
                    if !cl.is_empty() {
                        clashes.push(("builds", at(&file.build_index, n), cl));
                    }
                }
                None => {
                    self.build_ix.insert(b.id, self.builds.len() as u32);
                    self.builds.push(b);
                }
            }
        }
        let detail_base = self.details.len() as u32;
        self.details.extend(file.details);
        self.tests.reserve(file.tests.len());
        for (n, mut t) in file.tests.into_iter().enumerate() {
            t.path = m(t.path);
            t.platform = m(t.platform);
            t.lab = m(t.lab);
            if t.detail != u32::MAX {
                t.detail += detail_base;
            }
            match self.test_ix.get(&t.id) {
                Some(&i) => {
                    let cl = self.tests[i as usize].merge(&t);
                    if !cl.is_empty() {
                        clashes.push(("tests", at(&file.test_index, n), cl));
                    }
                }
                None => {
                    self.test_ix.insert(t.id, self.tests.len() as u32);
                    self.tests.push(t);
                }
            }
        }
        clashes
    }

    pub fn str(&self, s: Sym) -> Option<&str> {
        self.strings.get(s)
    }

    pub fn checkout(&self, id: u64) -> Option<&CheckoutRow> {
        self.checkout_ix
            .get(&id)
            .map(|&i| &self.checkouts[i as usize])
    }

    /// Row index of a checkout by id hash.
    pub fn checkout_index(&self, id: u64) -> Option<u32> {
        self.checkout_ix.get(&id).copied()
    }

    /// Row index of a build by id hash.
    pub fn build_index(&self, id: u64) -> Option<u32> {
        self.build_ix.get(&id).copied()
    }

    pub fn build(&self, id: u64) -> Option<&BuildRow> {
        self.build_ix.get(&id).map(|&i| &self.builds[i as usize])
    }

    /// A test by its KCIDB id.
    pub fn test(&self, id: &str) -> Option<&TestRow> {
        self.test_ix
            .get(&id_hash(id))
            .map(|&i| &self.tests[i as usize])
    }

    pub fn detail(&self, row: &TestRow) -> Option<&Detail> {
        self.details.get(row.detail as usize)
    }

    /// Drops rows dated after `last` (microseconds); returns how many.
    pub fn drop_after(&mut self, last: i64) -> usize {
        let before = self.checkouts.len() + self.builds.len() + self.tests.len();
        let keep = |t: i64| t == NO_TIME || t <= last;
        self.checkouts.retain(|c| keep(c.start));
        self.builds.retain(|b| keep(b.start));
        self.tests.retain(|t| keep(t.start));
        self.reindex();
        before - (self.checkouts.len() + self.builds.len() + self.tests.len())
    }

    fn reindex(&mut self) {
        self.checkout_ix = self
            .checkouts
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id, i as u32))
            .collect();
        self.build_ix = self
            .builds
            .iter()
            .enumerate()
            .map(|(i, b)| (b.id, i as u32))
            .collect();
        self.test_ix = self
            .tests
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id, i as u32))
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absorb_interns_merges_and_reports_clashes() {
        let mut a = FileRows::default();
        let p = a.sym(Some("boot"));
        a.tests.push(TestRow {
            id: id_hash("o:1"),
            build: NO_ID,
            path: p,
            status: 0,
            start: NO_TIME,
            platform: NONE,
            lab: NONE,
            detail: u32::MAX,
        });
        let mut b = FileRows::default();
        let other = b.sym(Some("unrelated"));
        let p2 = b.sym(Some("boot"));
        assert_ne!(other, p2);
        b.tests.push(TestRow {
            id: id_hash("o:1"),
            build: id_hash("o:b"),
            path: p2,
            status: status_byte(Some(Status::Pass)),
            start: 5,
            platform: other,
            lab: NONE,
            detail: u32::MAX,
        });
        let mut s = Store::default();
        assert!(s.absorb(a).is_empty());
        assert!(s.absorb(b.clone()).is_empty(), "filling gaps is no clash");
        let t = s.test("o:1").unwrap();
        assert_eq!(s.str(t.path), Some("boot"));
        assert_eq!(s.str(t.platform), Some("unrelated"));
        assert_eq!(byte_status(t.status), Some(Status::Pass));
        b.tests[0].status = status_byte(Some(Status::Fail));
        assert_eq!(s.absorb(b), vec![("tests", 0, vec!["status"])]);
    }

    #[test]
    fn fast_timestamps_agree_with_chrono() {
        for t in [
            "2026-11-20T08:00:00+00:00",
            "2026-11-20T08:00:00Z",
            "2026-11-20T08:00:00.1Z",
            "2025-07-17T19:01:23.626770+00:00",
            "2025-07-17T19:01:23.626770123-07:30",
            "2024-02-29T23:59:59.999999+14:00",
            "1970-01-01t00:00:00z",
        ] {
            let chrono = chrono::DateTime::parse_from_rfc3339(t)
                .unwrap()
                .timestamp_micros();
            assert_eq!(fast_micros(t), Some(chrono), "{t}");
        }
        for bad in [
            "2026-02-30T00:00:00Z",
            "2026-11-20T25:00:00Z",
            "2026-11-20T08:00:00",
            "yesterday",
            "2026-11-20T08:00:00.Z",
        ] {
            assert_eq!(fast_micros(bad), None, "{bad}");
            assert_eq!(
                parse_micros(bad),
                chrono::DateTime::parse_from_rfc3339(bad)
                    .ok()
                    .map(|t| t.timestamp_micros()),
                "{bad}"
            );
        }
    }

    #[test]
    fn status_bytes_round_trip() {
        for s in [
            Status::Fail,
            Status::Error,
            Status::Miss,
            Status::Pass,
            Status::Done,
            Status::Skip,
        ] {
            assert_eq!(byte_status(status_byte(Some(s))), Some(s));
        }
        assert_eq!(byte_status(0), None);
    }
}
