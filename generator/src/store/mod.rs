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

pub mod rows;
mod test_rows;

pub use rows::{
    BuildRow, CheckoutRow, Clashes, Detail, FileRows, MIN_TEST_BYTES, NO_ID, NO_TIME, NONE, Source,
    Strings, Sym, TestRow, Text, byte_status, id_hash, keeps_detail, status_byte,
};
pub use test_rows::TestRows;

use std::borrow::Cow;

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
        self.test_by_hash(id_hash(id))
    }

    /// A test by the hash of its KCIDB id ([`id_hash`]).
    pub fn test_by_hash(&self, id: u64) -> Option<&TestRow> {
        let ix = self.test_ix.get_or_init(|| self.index_pairs());
        let i = ix.partition_point(|e| e.0 < id);
        ix.get(i)
            .filter(|e| e.0 == id)
            .map(|e| &self.tests[e.1 as usize])
    }

    /// The file a detail was read from, when it is kept (a plain or cached KCIDB file).
    pub fn source(&self, d: &Detail) -> Option<&std::path::Path> {
        self.sources.get(d.file as usize)?.as_deref()
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
                let raw = rows::read_span(path, start, len)?;
                match escaped {
                    false => Some(Cow::Owned(raw)),
                    true => crate::json::unescape(&raw).map(Cow::Owned),
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
    use crate::model::Status;

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
