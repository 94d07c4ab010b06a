//! The compact store of results: what regtrack keeps in memory for millions of test runs.
//!
//! Strings that repeat (paths, boards, trees, configs...) are interned once and rows hold
//! 32-bit symbols; ids are 64-bit hashes (xxh3) of the KCIDB id strings, which are only ever
//! compared, never shown; times are microseconds since the epoch. Log URLs and excerpts are
//! kept only for FAIL and ERROR runs, the only ones a page shows. A test run costs ~48 bytes.
//!
//! Parsing builds [`FileRows`] per file with a file-local string table (no shared lock while
//! files are parsed in parallel); [`Store::absorb`] maps them into the global table and
//! appends their tests; [`Store::finish`] then merges tests seen more than once, with one
//! parallel sort rather than a hash map grown test by test on the sequential path.

mod test_rows;

pub use test_rows::TestRows;

use std::borrow::Cow;

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
    // The checks chrono's constructors make, and the civil-date arithmetic they do: a
    // visible share of ingest when every test has a time of its own.
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&mo) || d == 0 || d > month_days[mo as usize - 1] {
        return None;
    }
    if h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    let secs = days_from_civil(i64::from(y), mo, d) * 86_400 + i64::from(h * 3600 + mi * 60 + sec)
        - offset_secs;
    Some(secs * 1_000_000 + i64::from(micros))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
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
fn read_span(path: &std::path::Path, start: u32, len: u32) -> Option<String> {
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
    pub fn detail(&mut self, log_url: Option<Text>, log_excerpt: Option<Text>) -> u32 {
        if log_url.is_none() && log_excerpt.is_none() {
            return u32::MAX;
        }
        self.details.push(Detail {
            file: 0,
            log_url,
            log_excerpt,
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
    pub tests: TestRows,
    pub details: Vec<Detail>,
    checkout_ix: rustc_hash::FxHashMap<u64, u32>,
    build_ix: rustc_hash::FxHashMap<u64, u32>,
    /// (id, row) of every test, sorted: the test index, built on first use (only lookups by
    /// id need it, and a month of tests makes it hundreds of megabytes).
    test_ix: std::sync::OnceLock<Vec<(u64, u32)>>,
    /// Where each absorbed file's tests start, to name the file of a clash found later.
    segments: Vec<Segment>,
    /// Each absorbed file, when its details point into it.
    sources: Vec<Option<Source>>,
}

/// The tests one file added to the store.
#[derive(Debug)]
struct Segment {
    first_row: u32,
    file: u32,
    /// Row in the file -> object index, when some objects were rejected (else the same).
    index: Vec<u32>,
}

/// One clash found while absorbing: (kind, index of the object in its file, fields).
pub type Clash = (&'static str, u32, Clashes);

impl Store {
    /// Maps a file's rows into the store, merging sightings of known checkouts and builds
    /// (returning their clashes) and appending its tests; `file_no` names the file in the
    /// clashes [`Store::finish`] finds.
    pub fn absorb(&mut self, file: FileRows, file_no: u32, source: Option<Source>) -> Vec<Clash> {
        if self.sources.len() <= file_no as usize {
            self.sources.resize(file_no as usize + 1, None);
        }
        self.sources[file_no as usize] = source;
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
        self.details.extend(file.details.into_iter().map(|mut d| {
            d.file = file_no;
            d
        }));
        self.segments.push(Segment {
            first_row: self.tests.len() as u32,
            file: file_no,
            index: if file
                .test_index
                .iter()
                .enumerate()
                .all(|(i, &x)| x as usize == i)
            {
                Vec::new()
            } else {
                file.test_index
            },
        });
        self.tests.push_part(file.tests, map, detail_base);
        clashes
    }

    /// Merges tests seen more than once (first sighting wins, in absorb order, as for the
    /// other kinds) and builds the test index. Returns the clashes as (file number, clash),
    /// in file order.
    pub fn finish(&mut self) -> Vec<(u32, Clash)> {
        use rayon::prelude::*;
        let mut tm = crate::timings::Timer::start();
        self.tests.map_pending();
        tm.mark("  map symbols into the store's");
        self.test_ix = Default::default();
        let twice = self.tests.repeated_ids();
        tm.mark("  find ids seen twice");
        if twice.is_empty() {
            self.segments = Vec::new();
            return Vec::new();
        }
        // Only the sightings of those ids, by (id, row): each id's sightings together, in
        // absorb order (a second sort of every test would cost as much as the first).
        let mut ix: Vec<(u64, u32)> = self
            .tests
            .par_enumerate()
            .filter(|(_, t)| twice.contains(&t.id))
            .map(|(row, t)| (t.id, row))
            .collect();
        ix.par_sort_unstable();
        let mut removed: Vec<bool> = Vec::new();
        let mut clashes = Vec::new();
        for group in ix.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
            if removed.is_empty() {
                removed = vec![false; self.tests.len()];
            }
            let keep = group[0].1 as usize;
            for &(_, row) in &group[1..] {
                let later = self.tests[row as usize].clone();
                let fields = self.tests.get_mut(keep).expect("a row").merge(&later);
                if !fields.is_empty() {
                    clashes.push((row, fields));
                }
                removed[row as usize] = true;
            }
        }
        clashes.sort_by_key(|c| c.0);
        let clashes = clashes
            .into_iter()
            .map(|(row, fields)| {
                let seg = &self.segments[self.segments.partition_point(|s| s.first_row <= row) - 1];
                let n = (row - seg.first_row) as usize;
                let index = seg.index.get(n).copied().unwrap_or(n as u32);
                (seg.file, ("tests", index, fields))
            })
            .collect();
        self.segments = Vec::new();
        drop(ix);
        self.tests.retain(|row, _| !removed[row]);
        clashes
    }

    /// (id, row) of every test, sorted by id then row.
    fn index_pairs(&self) -> Vec<(u64, u32)> {
        use rayon::prelude::*;
        let mut ix: Vec<(u64, u32)> = self
            .tests
            .par_enumerate()
            .map(|(row, t)| (t.id, row))
            .collect();
        ix.par_sort_unstable();
        ix
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
        let id = id_hash(id);
        let ix = self.test_ix.get_or_init(|| self.index_pairs());
        let i = ix.partition_point(|e| e.0 < id);
        ix.get(i)
            .filter(|e| e.0 == id)
            .map(|e| &self.tests[e.1 as usize])
    }

    pub fn detail(&self, row: &TestRow) -> Option<&Detail> {
        self.details.get(row.detail as usize)
    }

    /// The text of a detail's string: `None` when its file can no longer give it (it changed
    /// since it was read).
    pub fn text<'s>(&'s self, d: &Detail, t: &'s Text) -> Option<Cow<'s, str>> {
        match t {
            Text::Owned(s) => Some(Cow::Borrowed(s)),
            &Text::InFile {
                start,
                len,
                escaped,
            } => {
                let path = self.sources.get(d.file as usize)?.as_deref()?;
                let raw = read_span(path, start, len)?;
                match escaped {
                    false => Some(Cow::Owned(raw)),
                    true => crate::json_scan::unescape(&raw).map(Cow::Owned),
                }
            }
        }
    }

    /// A failing run's log URL.
    pub fn log_url(&self, row: &TestRow) -> Option<Cow<'_, str>> {
        let d = self.detail(row)?;
        self.text(d, d.log_url.as_ref()?)
    }

    /// A failing run's log excerpt (read from its file when kept there).
    pub fn log_excerpt(&self, row: &TestRow) -> Option<Cow<'_, str>> {
        let d = self.detail(row)?;
        self.text(d, d.log_excerpt.as_ref()?)
    }

    /// Drops rows dated after `last` (microseconds); returns how many.
    pub fn drop_after(&mut self, last: i64) -> usize {
        use rayon::prelude::*;
        let before = self.checkouts.len() + self.builds.len() + self.tests.len();
        let keep = |t: i64| t == NO_TIME || t <= last;
        let any_later = !self.checkouts.iter().all(|c| keep(c.start))
            || !self.builds.iter().all(|b| keep(b.start))
            || !self.tests.par_iter().all(|t| keep(t.start));
        if !any_later {
            return 0;
        }
        self.checkouts.retain(|c| keep(c.start));
        self.builds.retain(|b| keep(b.start));
        self.tests.retain(|_, t| keep(t.start));
        let dropped = before - (self.checkouts.len() + self.builds.len() + self.tests.len());
        if dropped > 0 {
            self.reindex();
        }
        dropped
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
        self.test_ix = Default::default();
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
        assert!(s.absorb(a.clone(), 0, None).is_empty());
        assert!(s.absorb(b.clone(), 1, None).is_empty());
        assert!(s.finish().is_empty(), "filling gaps is no clash");
        assert_eq!(s.tests.len(), 1, "one test, seen twice");
        let t = s.test("o:1").unwrap();
        assert_eq!(s.str(t.path), Some("boot"));
        assert_eq!(s.str(t.platform), Some("unrelated"));
        assert_eq!(byte_status(t.status), Some(Status::Pass));
        assert!(s.test("o:2").is_none());

        // A third sighting disagrees on status: reported against its file and object index.
        let mut s = Store::default();
        s.absorb(a, 0, None);
        s.absorb(b.clone(), 1, None);
        b.tests.insert(0, b.tests[0].clone());
        b.tests[0].id = id_hash("o:other");
        b.tests[1].status = status_byte(Some(Status::Fail));
        b.test_index = vec![0, 3];
        s.absorb(b, 2, None);
        assert_eq!(s.finish(), vec![(2, ("tests", 3, vec!["status"]))]);
        assert_eq!(s.tests.len(), 2);
        assert_eq!(
            byte_status(s.test("o:1").unwrap().status),
            Some(Status::Pass)
        );
        assert!(s.test("o:other").is_some());
    }

    #[test]
    fn canonical_rows_do_not_depend_on_interning_order() {
        let row = |r: &mut FileRows, path: &str, platform: &str| TestRow {
            id: id_hash(path),
            build: NO_ID,
            path: r.sym(Some(path)),
            status: 4,
            start: NO_TIME,
            platform: r.sym(Some(platform)),
            lab: NONE,
            detail: u32::MAX,
        };
        let mut a = FileRows::default();
        a.sym(Some("zeta"));
        let t = row(&mut a, "boot", "rk3399");
        a.tests.push(t);
        let mut b = FileRows::default();
        let t = row(&mut b, "boot", "rk3399");
        b.tests.push(t);
        b.sym(Some("zeta"));
        a.canonicalize();
        b.canonicalize();
        assert_eq!(
            postcard::to_stdvec(&a).unwrap(),
            postcard::to_stdvec(&b).unwrap()
        );
        assert_eq!(
            a.strings.iter().collect::<Vec<_>>(),
            ["boot", "rk3399", "zeta"]
        );
    }

    #[test]
    fn fast_timestamps_agree_with_chrono_on_every_calendar_day() {
        let mut checked = 0;
        for y in (0..=9999).step_by(3).chain([1900, 2000, 2024, 2100]) {
            for m in 1..=12 {
                for d in [1, 28, 29, 30, 31] {
                    for (time, zone) in [("00:00:00", "Z"), ("23:59:59.999999", "-07:30")] {
                        let t = format!("{y:04}-{m:02}-{d:02}T{time}{zone}");
                        let chrono = chrono::DateTime::parse_from_rfc3339(&t)
                            .ok()
                            .map(|t| t.timestamp_micros());
                        assert_eq!(fast_micros(&t), chrono, "{t}");
                        assert_eq!(parse_micros(&t), chrono, "{t}");
                        checked += chrono.is_some() as usize;
                    }
                }
            }
        }
        assert!(checked > 100_000);
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
