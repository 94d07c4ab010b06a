//! The store's test rows, kept in the parts the files were read into.
//!
//! Copying every file's rows into one table cost a pass over all of them and as much fresh
//! memory again, on the one thread that absorbs files in order while the others parse. A
//! part is moved in as it is; its strings are renumbered into the store's table later, on
//! every core ([`TestRows::map_pending`]). Rows are numbered across the parts in absorb order.

use rayon::prelude::*;

use super::rows::{NONE, Sym, TestRow};

/// Every test row, in parts.
#[derive(Debug, Default)]
pub struct TestRows {
    parts: Vec<Part>,
    /// The first row number of each part.
    starts: Vec<u32>,
    len: usize,
}

#[derive(Debug)]
struct Part {
    rows: Vec<TestRow>,
    /// Local symbol -> store symbol and the part's first detail, until the rows are mapped.
    pending: Option<(Vec<Sym>, u32)>,
}

impl TestRows {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds a file's rows; `syms` maps its symbols into the store's, `first_detail` is where
    /// its details start in the store's. They are applied by [`TestRows::map_pending`].
    pub(super) fn push_part(&mut self, rows: Vec<TestRow>, syms: Vec<Sym>, first_detail: u32) {
        self.starts.push(self.len as u32);
        self.len += rows.len();
        self.parts.push(Part {
            rows,
            pending: Some((syms, first_detail)),
        });
    }

    /// Maps every part's symbols and details into the store's, on every core.
    pub(super) fn map_pending(&mut self) {
        self.parts.par_iter_mut().for_each(|p| {
            let Some((map, first_detail)) = p.pending.take() else {
                return;
            };
            let m = |s: Sym| if s == NONE { s } else { map[s as usize] };
            for t in &mut p.rows {
                t.path = m(t.path);
                t.platform = m(t.platform);
                t.lab = m(t.lab);
                if t.detail != u32::MAX {
                    t.detail += first_detail;
                }
            }
        });
    }

    /// The part holding `row`, and the row's place in it.
    fn locate(&self, row: usize) -> (usize, usize) {
        let p = self.starts.partition_point(|&s| s as usize <= row) - 1;
        (p, row - self.starts[p] as usize)
    }

    pub fn get(&self, row: usize) -> Option<&TestRow> {
        if row >= self.len {
            return None;
        }
        let (p, i) = self.locate(row);
        self.parts[p].rows.get(i)
    }

    pub fn get_mut(&mut self, row: usize) -> Option<&mut TestRow> {
        if row >= self.len {
            return None;
        }
        let (p, i) = self.locate(row);
        self.parts[p].rows.get_mut(i)
    }

    /// Every row, in row order.
    pub fn iter(&self) -> impl Iterator<Item = &TestRow> {
        self.parts.iter().flat_map(|p| p.rows.iter())
    }

    /// Every row, on every core.
    pub fn par_iter(&self) -> impl ParallelIterator<Item = &TestRow> {
        self.parts.par_iter().flat_map(|p| p.rows.par_iter())
    }

    /// Every (row number, row), on every core.
    pub fn par_enumerate(&self) -> impl ParallelIterator<Item = (u32, &TestRow)> {
        self.parts
            .par_iter()
            .zip(&self.starts)
            .flat_map(|(p, &start)| {
                p.rows
                    .par_iter()
                    .enumerate()
                    .map(move |(i, t)| (start + i as u32, t))
            })
    }

    /// The ids that more than one row has. Ids are hashes, so their top byte splits them into
    /// even buckets: every id is written once into its bucket's place in one array (each part
    /// into its own slots, on every core), then each bucket is sorted on its own, small enough
    /// to stay in cache. (One parallel sort of every id cost three times as much, and buckets
    /// grown part by part twice as much, mostly in fresh memory.)
    pub fn repeated_ids(&self) -> rustc_hash::FxHashSet<u64> {
        const BUCKETS: usize = 256;
        let bucket = |id: u64| (id >> 56) as usize;
        let counts: Vec<[usize; BUCKETS]> = self
            .parts
            .par_iter()
            .map(|p| {
                let mut c = [0; BUCKETS];
                for t in &p.rows {
                    c[bucket(t.id)] += 1;
                }
                c
            })
            .collect();
        let mut ids = vec![0u64; self.len];
        // slots[part][bucket]: where that part writes that bucket's ids.
        let mut slots: Vec<Vec<&mut [u64]>> = counts.iter().map(|_| Vec::new()).collect();
        let mut rest: &mut [u64] = &mut ids;
        let mut bucket_lens = Vec::with_capacity(BUCKETS);
        for b in 0..BUCKETS {
            for (p, c) in counts.iter().enumerate() {
                let (mine, after) = std::mem::take(&mut rest).split_at_mut(c[b]);
                slots[p].push(mine);
                rest = after;
            }
            bucket_lens.push(counts.iter().map(|c| c[b]).sum::<usize>());
        }
        self.parts.par_iter().zip(slots).for_each(|(p, mut slots)| {
            let mut at = [0usize; BUCKETS];
            for t in &p.rows {
                let b = bucket(t.id);
                slots[b][at[b]] = t.id;
                at[b] += 1;
            }
        });
        let mut rest: &mut [u64] = &mut ids;
        let mut chunks: Vec<&mut [u64]> = Vec::with_capacity(BUCKETS);
        for len in bucket_lens {
            let (chunk, after) = std::mem::take(&mut rest).split_at_mut(len);
            chunks.push(chunk);
            rest = after;
        }
        chunks
            .into_par_iter()
            .map_init(Vec::new, |table, ids| repeated_in(ids, table))
            .flatten_iter()
            .collect()
    }

    /// Keeps the rows `keep(row number, row)` accepts, every part on its own core. A part
    /// whose rows are all kept is left as it is: no row moves, no memory is touched.
    pub fn retain(&mut self, keep: impl Fn(usize, &TestRow) -> bool + Sync) {
        self.parts
            .par_iter_mut()
            .zip(&self.starts)
            .for_each(|(p, &start)| {
                let start = start as usize;
                let all_kept = p.rows.iter().enumerate().all(|(i, t)| keep(start + i, t));
                if !all_kept {
                    let mut i = start;
                    p.rows.retain(|t| {
                        i += 1;
                        keep(i - 1, t)
                    });
                }
            });
        self.len = 0;
        for (p, start) in self.parts.iter().zip(&mut self.starts) {
            *start = self.len as u32;
            self.len += p.rows.len();
        }
    }
}

/// The ids seen more than once in `ids`, through an open-addressing table (`table`, reused
/// from bucket to bucket): ids are hashes, so their low bits place them evenly. Sorting each
/// bucket instead cost four times as long.
fn repeated_in(ids: &[u64], table: &mut Vec<u64>) -> Vec<u64> {
    /// An empty slot; an id of 0 is tallied on its own.
    const EMPTY: u64 = 0;
    let size = (ids.len() * 2).next_power_of_two().max(16);
    table.clear();
    table.resize(size, EMPTY);
    let mask = size - 1;
    let mut zeros = 0;
    let mut twice = Vec::new();
    for &id in ids {
        if id == EMPTY {
            zeros += 1;
            if zeros == 2 {
                twice.push(id);
            }
            continue;
        }
        let mut i = id as usize & mask;
        loop {
            match table[i] {
                EMPTY => {
                    table[i] = id;
                    break;
                }
                x if x == id => {
                    twice.push(id);
                    break;
                }
                _ => i = (i + 1) & mask,
            }
        }
    }
    twice.sort_unstable();
    twice.dedup();
    twice
}

impl std::ops::Index<usize> for TestRows {
    type Output = TestRow;
    fn index(&self, row: usize) -> &TestRow {
        self.get(row).expect("test row out of range")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{NO_ID, NO_TIME, NONE};

    fn row(id: u64, path: Sym) -> TestRow {
        TestRow {
            id,
            build: NO_ID,
            path,
            status: 0,
            start: NO_TIME,
            platform: NONE,
            lab: NONE,
            detail: if id.is_multiple_of(2) { 0 } else { u32::MAX },
        }
    }

    #[test]
    fn rows_are_numbered_across_parts_and_mapped_later() {
        let mut t = TestRows::default();
        t.push_part(vec![row(1, 0), row(2, 1)], vec![10, 11], 0);
        t.push_part(vec![], vec![], 1);
        t.push_part(vec![row(3, 0), row(4, NONE)], vec![11], 1);
        assert_eq!(t.len(), 4);
        t.map_pending();
        let ids: Vec<u64> = t.iter().map(|r| r.id).collect();
        assert_eq!(ids, [1, 2, 3, 4]);
        assert_eq!(
            [t[0].path, t[1].path, t[2].path, t[3].path],
            [10, 11, 11, NONE]
        );
        assert_eq!([t[1].detail, t[3].detail], [0, 1]);
        let mut par: Vec<(u32, u64)> = t.par_enumerate().map(|(i, r)| (i, r.id)).collect();
        par.sort();
        assert_eq!(par, [(0, 1), (1, 2), (2, 3), (3, 4)]);
        assert!(t.get(4).is_none());
        t.retain(|i, r| i != 0 && r.id != 3);
        assert_eq!(t.iter().map(|r| r.id).collect::<Vec<_>>(), [2, 4]);
        assert_eq!((t.len(), t[1].id), (2, 4));
        t.get_mut(1).unwrap().id = 9;
        assert_eq!(t[1].id, 9);
    }

    #[test]
    fn repeated_in_one_bucket_counts_every_id_once_whatever_its_copies() {
        let mut table = vec![7; 3]; // stale contents of the previous bucket
        let ids = [0, 5, 0, 5, 5, 7, 21, 37, 53]; // 5, 21, 37 and 53 share low bits
        assert_eq!(repeated_in(&ids, &mut table), [0, 5]);
        assert_eq!(repeated_in(&[21, 37, 53, 37], &mut table), [37]);
        assert!(repeated_in(&[], &mut table).is_empty());
    }

    #[test]
    fn repeated_ids_are_found_in_every_bucket_and_across_parts() {
        let mut t = TestRows::default();
        // Ids spread over the top byte; every 7th id seen again in a later part, one id three
        // times in the same part.
        let ids: Vec<u64> = (1..5000u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        t.push_part(ids.iter().map(|&i| row(i, NONE)).collect(), vec![], 0);
        let again: Vec<u64> = ids.iter().copied().step_by(7).collect();
        let mut second: Vec<TestRow> = again.iter().map(|&i| row(i, NONE)).collect();
        second.extend([row(42, NONE), row(42, NONE), row(42, NONE)]);
        t.push_part(second, vec![], 0);
        let mut found: Vec<u64> = t.repeated_ids().into_iter().collect();
        found.sort();
        let mut want = again;
        want.push(42);
        want.sort();
        assert_eq!(found, want);
    }
}
