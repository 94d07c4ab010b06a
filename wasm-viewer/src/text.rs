//! Free-text search: every whitespace-separated word of the query must occur, case-insensitively,
//! in the row's title, crash signature, one of its test paths, subsystems, maintainers or lists
//! (substring), or be a prefix of its id.
//!
//! Searching works on *distinct strings*, not rows: a test path shared by 500 regressions is
//! lowercased once at load and scanned once per keystroke. The lowercased strings sit in one
//! buffer (`\n`-separated: a word never contains whitespace, so it cannot match across two
//! strings), scanned with `memchr::memmem`; each matching string then marks its rows through a
//! string-to-rows posting list. Typing usually extends a word ("n", "ne", "net"): the strings
//! matching the longer word are a subset of those matching a cached shorter word it contains,
//! so only those are re-checked. Nothing is allocated in proportion to the rows per keystroke.

use memchr::memmem;

use crate::bits::Bitset;
use crate::index::{IndexData, List, Scalar};

/// How many recent words keep their matching strings.
const CACHE_WORDS: usize = 32;

/// The searchable text of an index.
pub struct TextIndex {
    /// Lowercased searchable strings, each followed by `\n`.
    buf: Vec<u8>,
    /// Start of each searchable string in `buf`, plus `buf.len()` at the end.
    starts: Vec<u32>,
    /// Rows of each searchable string: `rows[rows_start[i]..rows_start[i + 1]]`.
    rows_start: Vec<u32>,
    rows: Vec<u32>,
    /// Lowercased ids with their row, sorted by id.
    ids: Vec<(Box<str>, u32)>,
    /// Recently searched words and the searchable strings that contain them, most recent last.
    cache: Vec<(String, Vec<u32>)>,
}

impl TextIndex {
    /// Prepares the search text of `index`.
    pub fn new(index: &IndexData) -> Self {
        let n = index.len();
        let title = index.scalar(Scalar::Title);
        let signature = index.scalar(Scalar::Signature);
        let tests = index.list(List::Tests);
        let routed = [index.list(List::Subsystem), index.list(List::Maintainer)];
        // Searchable strings get dense numbers in order of first use.
        let mut slot = vec![u32::MAX; index.strings()];
        let mut sids: Vec<u32> = Vec::new();
        let mut counts: Vec<u32> = Vec::new();
        let mut touch = |sid: u32, slot: &mut Vec<u32>, sids: &mut Vec<u32>| {
            if sid == 0 {
                return;
            }
            let s = &mut slot[sid as usize];
            if *s == u32::MAX {
                *s = sids.len() as u32;
                sids.push(sid);
                counts.push(0);
            }
            counts[*s as usize] += 1;
        };
        for r in 0..n {
            touch(title[r], &mut slot, &mut sids);
            touch(signature[r], &mut slot, &mut sids);
            for &t in tests.row(r) {
                touch(t, &mut slot, &mut sids);
            }
            for &t in routed.iter().flat_map(|l| l.row(r)) {
                touch(t, &mut slot, &mut sids);
            }
        }
        let mut rows_start = Vec::with_capacity(sids.len() + 1);
        rows_start.push(0u32);
        for c in &counts {
            rows_start.push(rows_start.last().unwrap() + c);
        }
        let mut fill = rows_start.clone();
        let mut rows = vec![0u32; *rows_start.last().unwrap() as usize];
        let mut put = |sid: u32, r: usize| {
            if sid != 0 {
                let s = slot[sid as usize] as usize;
                rows[fill[s] as usize] = r as u32;
                fill[s] += 1;
            }
        };
        for r in 0..n {
            put(title[r], r);
            put(signature[r], r);
            for &t in tests.row(r) {
                put(t, r);
            }
            for &t in routed.iter().flat_map(|l| l.row(r)) {
                put(t, r);
            }
        }
        let mut buf = Vec::new();
        let mut starts = Vec::with_capacity(sids.len() + 1);
        for &sid in &sids {
            starts.push(buf.len() as u32);
            lower_into(index.str(sid), &mut buf);
            buf.push(b'\n');
        }
        starts.push(buf.len() as u32);
        let id = index.scalar(Scalar::Id);
        let mut ids: Vec<(Box<str>, u32)> = (0..n)
            .map(|r| (index.str(id[r]).to_lowercase().into_boxed_str(), r as u32))
            .collect();
        ids.sort_unstable();
        TextIndex {
            buf,
            starts,
            rows_start,
            rows,
            ids,
            cache: Vec::new(),
        }
    }

    /// Number of distinct searchable strings.
    pub fn strings(&self) -> usize {
        self.starts.len() - 1
    }

    /// Bytes scanned by a full search.
    pub fn bytes(&self) -> usize {
        self.buf.len()
    }

    /// Sets `out` to the rows matching every word of `query`; returns false (leaving `out`
    /// alone) when the query has no words. `word` is scratch space of the same size.
    pub fn query(&mut self, query: &str, out: &mut Bitset, word: &mut Bitset) -> bool {
        let mut words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        if words.is_empty() {
            return false;
        }
        words.sort_unstable();
        words.dedup();
        out.fill();
        for w in &words {
            self.word_rows(w, word);
            out.and_with(word);
        }
        true
    }

    /// Sets `out` to the rows matching one (lowercased) word.
    pub fn word_rows(&mut self, word: &str, out: &mut Bitset) {
        out.clear();
        let matched = self.strings_matching(word);
        for &i in &self.cache[matched].1 {
            let i = i as usize;
            for &r in &self.rows[self.rows_start[i] as usize..self.rows_start[i + 1] as usize] {
                out.insert(r);
            }
        }
        let from = self.ids.partition_point(|(id, _)| &**id < word);
        for (id, r) in &self.ids[from..] {
            if !id.starts_with(word) {
                break;
            }
            out.insert(*r);
        }
    }

    /// The searchable strings containing `word`, as a position in the cache.
    fn strings_matching(&mut self, word: &str) -> usize {
        if let Some(p) = self.cache.iter().position(|(w, _)| w == word) {
            let hit = self.cache.remove(p);
            self.cache.push(hit);
            return self.cache.len() - 1;
        }
        let needle = word.as_bytes();
        // The smallest cached superset: strings matching a word that `word` contains.
        let narrow = self
            .cache
            .iter()
            .filter(|(w, _)| word.contains(w.as_str()))
            .min_by_key(|(_, m)| m.len())
            .map(|(_, m)| m);
        let found: Vec<u32> = match narrow {
            Some(candidates) => {
                let finder = memmem::Finder::new(needle);
                candidates
                    .iter()
                    .copied()
                    .filter(|&i| {
                        let (a, b) = (self.starts[i as usize], self.starts[i as usize + 1]);
                        finder.find(&self.buf[a as usize..b as usize]).is_some()
                    })
                    .collect()
            }
            None => self.scan(needle),
        };
        if self.cache.len() >= CACHE_WORDS {
            self.cache.remove(0);
        }
        self.cache.push((word.to_string(), found));
        self.cache.len() - 1
    }

    /// Every searchable string containing `needle`, by one pass over the buffer.
    fn scan(&self, needle: &[u8]) -> Vec<u32> {
        let mut found = Vec::new();
        let finder = memmem::Finder::new(needle);
        let mut pos = 0usize;
        while pos < self.buf.len() {
            let Some(at) = finder.find(&self.buf[pos..]) else {
                break;
            };
            let abs = (pos + at) as u32;
            let i = self.starts.partition_point(|&s| s <= abs) - 1;
            found.push(i as u32);
            pos = self.starts[i + 1] as usize;
        }
        found
    }
}

/// Appends the lowercase form of `s` (ASCII fast path; Unicode rules otherwise).
fn lower_into(s: &str, out: &mut Vec<u8>) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| b.to_ascii_lowercase()));
    } else {
        out.extend_from_slice(s.to_lowercase().as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regtrack_viewer_format::index::{Builder, Row};

    fn rows(titles: &[(&str, &str, &[&str], &str)]) -> IndexData {
        let mut b = Builder::new();
        for &(id, title, tests, signature) in titles {
            b.push(&Row {
                id,
                title,
                status: "new",
                tree: "t",
                branch: "b",
                scope: "all",
                signature,
                boards: 1,
                occurrences: 1,
                tests: tests.to_vec(),
                ..Row::default()
            });
        }
        b.finish(10).decode().unwrap()
    }

    fn hits(t: &mut TextIndex, n: usize, q: &str) -> Vec<u32> {
        let mut out = Bitset::new(n);
        let mut w = Bitset::new(n);
        if !t.query(q, &mut out, &mut w) {
            return (0..n as u32).collect();
        }
        let mut v = Vec::new();
        out.for_each(|r| v.push(r));
        v
    }

    #[test]
    fn words_are_anded_substrings_over_title_signature_and_tests() {
        let d = rows(&[
            (
                "aa01",
                "kselftest.net.tls fails",
                &["kselftest.net.tls"],
                "WARNING in tls_sw_recvmsg",
            ),
            ("bb02", "LTP vma05 fails", &["ltp.mm.vma05"], ""),
            ("cc03", "Ünïcode BUG", &["kunit.x"], ""),
        ]);
        let mut t = TextIndex::new(&d);
        assert_eq!(hits(&mut t, 3, ""), [0, 1, 2]);
        assert_eq!(hits(&mut t, 3, "TLS"), [0]);
        assert_eq!(hits(&mut t, 3, "t"), [0, 1, 2]);
        assert_eq!(hits(&mut t, 3, "fails mm"), [1]);
        assert_eq!(hits(&mut t, 3, "fails kunit"), Vec::<u32>::new());
        assert_eq!(hits(&mut t, 3, "tls_sw_recvmsg"), [0]);
        assert_eq!(hits(&mut t, 3, "ünï"), [2]);
        assert_eq!(hits(&mut t, 3, "ÜNÏ"), [2]);
        // Ids match by prefix only.
        assert_eq!(hits(&mut t, 3, "bb"), [1]);
        assert_eq!(hits(&mut t, 3, "b02"), Vec::<u32>::new());
        // No match across two fields of a row.
        assert_eq!(hits(&mut t, 3, "failskselftest"), Vec::<u32>::new());
    }

    #[test]
    fn narrowing_from_the_cache_gives_the_same_answer_as_a_scan() {
        let d = rows(&[
            ("01", "net tls", &["kselftest.net.tls"], ""),
            ("02", "netfilter", &["kselftest.netfilter.nft"], ""),
            ("03", "ne", &["x.ne"], ""),
        ]);
        let mut t = TextIndex::new(&d);
        let mut fresh = TextIndex::new(&d);
        for q in ["n", "ne", "net", "netf", "net", "ne", "tls", "nft"] {
            let a = hits(&mut t, 3, q);
            fresh.cache.clear();
            assert_eq!(a, hits(&mut fresh, 3, q), "{q}");
        }
        assert_eq!(hits(&mut t, 3, "netf"), [1]);
    }
}
