//! Faceted filtering over the index: selections, free text, live counts and sorting.
//!
//! **Semantics.** Values selected within one facet are alternatives (OR); facets, the
//! first-seen range and the free text all have to hold (AND). A multi-valued facet (a
//! regression runs on many boards) matches a row when *any* of its values is selected.
//!
//! **Facet counts** are the standard "disjunctive" counts: the count shown beside value `v` of
//! facet `F` is the number of rows that would match if `v` were the only value selected in `F`,
//! all other active filters (text, date range, the other facets) unchanged. So a facet's own
//! selection never zeroes its siblings (you can widen `status=new` to `new + fixed` by looking
//! at the number beside `fixed`), while every other filter narrows it. When `F` has no
//! selection this is simply the number of matching rows having `v`.
//!
//! **How it is fast.** Each facet value has a posting list (its rows, ascending); values
//! holding more than 1/32 of the rows also get a bitset. A facet's selection is the OR of its
//! values' postings, cached until the selection changes; the text filter is cached until the
//! query changes. Per update: AND the active masks (a few thousand words), then for each facet
//! count its values under the AND of the *other* masks, either by walking the matching rows'
//! values or by intersecting each value's posting/bitset with that mask, whichever costs less
//! (known from the mask's size). Sort orders are permutations computed once per key. Buffers
//! are reused: an update allocates nothing proportional to the rows.

use crate::bits::Bitset;
use crate::index::{Column, IndexData, List, Scalar};
use crate::text::TextIndex;

/// Facets, in the order the viewer shows them: each is the index column of the same name.
/// `first_seen` is selected as a date range.
pub const FACETS: [Column; 15] = [
    Column::Scalar(Scalar::Status),
    Column::List(List::Flags),
    Column::List(List::Subsystem),
    Column::List(List::Maintainer),
    Column::Scalar(Scalar::Tree),
    Column::Scalar(Scalar::Branch),
    Column::Scalar(Scalar::Scope),
    Column::List(List::Suite),
    Column::List(List::Arch),
    Column::List(List::Platform),
    Column::List(List::Config),
    Column::List(List::Compiler),
    Column::List(List::Lab),
    Column::List(List::Origin),
    RANGE,
];

/// The facet selected as a date range.
const RANGE: Column = Column::Scalar(Scalar::FirstSeen);

/// A posting list gets a bitset when it holds more than `rows / DENSE` rows.
const DENSE: usize = 32;

/// One facet: its values and, both ways, which rows have which value.
struct Facet {
    /// String index of each value, values sorted by their text.
    values: Vec<u32>,
    /// Row -> value numbers: `row_vals[row_start[r]..row_start[r + 1]]`.
    row_start: Vec<u32>,
    row_vals: Vec<u32>,
    /// Value -> rows (ascending): `post_rows[post_start[v]..post_start[v + 1]]`.
    post_start: Vec<u32>,
    post_rows: Vec<u32>,
    /// The rows of large values as bitsets.
    dense: Vec<Option<Bitset>>,
    /// Cost of counting every value against a mask, in word/row operations.
    values_cost: usize,
    /// Selected value numbers; `active` also when the selection names unknown values only.
    selected: Vec<u32>,
    active: bool,
    mask: Bitset,
    mask_dirty: bool,
}

impl Facet {
    fn new(n: usize, strings: usize, index: &IndexData, column: Column) -> Self {
        // Value numbers by first use, then renumbered in text order.
        let mut slot = vec![u32::MAX; strings];
        let mut values: Vec<u32> = Vec::new();
        let mut row_start = Vec::with_capacity(n + 1);
        let mut row_vals = Vec::with_capacity(n);
        row_start.push(0u32);
        let mut buf = Vec::new();
        for r in 0..n {
            buf.clear();
            buf.extend_from_slice(index.values(column, r));
            // A value counts once per row, however often the data lists it.
            buf.sort_unstable();
            buf.dedup();
            for &sid in &buf {
                let s = &mut slot[sid as usize];
                if *s == u32::MAX {
                    *s = values.len() as u32;
                    values.push(sid);
                }
                row_vals.push(*s);
            }
            row_start.push(row_vals.len() as u32);
        }
        let mut order: Vec<u32> = (0..values.len() as u32).collect();
        order.sort_by(|&a, &b| {
            index
                .str(values[a as usize])
                .cmp(index.str(values[b as usize]))
        });
        let mut renumber = vec![0u32; values.len()];
        for (new, &old) in order.iter().enumerate() {
            renumber[old as usize] = new as u32;
        }
        let values: Vec<u32> = order.iter().map(|&o| values[o as usize]).collect();
        for v in &mut row_vals {
            *v = renumber[*v as usize];
        }
        let mut post_start = vec![0u32; values.len() + 1];
        for &v in &row_vals {
            post_start[v as usize + 1] += 1;
        }
        for i in 0..values.len() {
            post_start[i + 1] += post_start[i];
        }
        let mut fill = post_start.clone();
        let mut post_rows = vec![0u32; row_vals.len()];
        for r in 0..n {
            for &v in &row_vals[row_start[r] as usize..row_start[r + 1] as usize] {
                post_rows[fill[v as usize] as usize] = r as u32;
                fill[v as usize] += 1;
            }
        }
        let words = n.div_ceil(64);
        let mut values_cost = 0;
        let dense = (0..values.len())
            .map(|v| {
                let rows = &post_rows[post_start[v] as usize..post_start[v + 1] as usize];
                if rows.len() * DENSE > n {
                    values_cost += words;
                    let mut b = Bitset::new(n);
                    rows.iter().for_each(|&r| b.insert(r));
                    Some(b)
                } else {
                    values_cost += rows.len();
                    None
                }
            })
            .collect();
        Facet {
            values,
            row_start,
            row_vals,
            post_start,
            post_rows,
            dense,
            values_cost,
            selected: Vec::new(),
            active: false,
            mask: Bitset::new(n),
            mask_dirty: false,
        }
    }

    fn postings(&self, v: usize) -> &[u32] {
        &self.post_rows[self.post_start[v] as usize..self.post_start[v + 1] as usize]
    }

    fn refresh_mask(&mut self) {
        if !self.mask_dirty {
            return;
        }
        self.mask.clear();
        for &v in &self.selected {
            match &self.dense[v as usize] {
                Some(b) => self.mask.or_with(b),
                None => {
                    for i in self.post_start[v as usize]..self.post_start[v as usize + 1] {
                        self.mask.insert(self.post_rows[i as usize]);
                    }
                }
            }
        }
        self.mask_dirty = false;
    }

    /// Counts per value of the rows in `base` (`None`: every row), into `out`.
    fn count(&self, base: Option<(&Bitset, usize)>, out: &mut [u32]) {
        let Some((base, base_rows)) = base else {
            for (v, c) in out.iter_mut().enumerate() {
                *c = self.post_start[v + 1] - self.post_start[v];
            }
            return;
        };
        let n = self.row_start.len() - 1;
        let per_row = self.row_vals.len() / n.max(1) + 1;
        let rows_cost = base_rows * per_row + n.div_ceil(64);
        if rows_cost <= self.values_cost {
            out.fill(0);
            base.for_each(|r| {
                let r = r as usize;
                for &v in &self.row_vals[self.row_start[r] as usize..self.row_start[r + 1] as usize]
                {
                    out[v as usize] += 1;
                }
            });
        } else {
            for (v, c) in out.iter_mut().enumerate() {
                *c = match &self.dense[v] {
                    Some(b) => base.and_count(b) as u32,
                    None => self
                        .postings(v)
                        .iter()
                        .filter(|&&r| base.contains(r))
                        .count() as u32,
                };
            }
        }
    }
}

/// What the result list is ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKey {
    /// The report's own order (the static list's).
    Report,
    FirstSeen,
    LastSeen,
    Boards,
    Occurrences,
}

impl SortKey {
    pub fn parse(s: &str) -> Option<SortKey> {
        Some(match s {
            "" | "report" => SortKey::Report,
            "first_seen" => SortKey::FirstSeen,
            "last_seen" => SortKey::LastSeen,
            "boards" => SortKey::Boards,
            "occurrences" => SortKey::Occurrences,
            _ => return None,
        })
    }
}

/// The filtering state over one index.
pub struct Engine {
    index: IndexData,
    text: TextIndex,
    facets: Vec<Facet>,
    counts: Vec<Vec<u32>>,
    query: String,
    text_active: bool,
    text_mask: Bitset,
    word_mask: Bitset,
    result: Bitset,
    scratch: Bitset,
    result_count: usize,
    sort: (SortKey, bool),
    perms: Vec<((SortKey, bool), Vec<u32>)>,
    rows: Vec<u32>,
}

impl Engine {
    /// Builds the facets and text index of `index`.
    pub fn new(index: IndexData) -> Self {
        let n = index.len();
        let strings = index.strings();
        let facets: Vec<Facet> = FACETS
            .iter()
            .map(|&column| Facet::new(n, strings, &index, column))
            .collect();
        let counts = facets.iter().map(|f| vec![0; f.values.len()]).collect();
        let text = TextIndex::new(&index);
        let mut e = Engine {
            index,
            text,
            facets,
            counts,
            query: String::new(),
            text_active: false,
            text_mask: Bitset::new(n),
            word_mask: Bitset::new(n),
            result: Bitset::full(n),
            scratch: Bitset::new(n),
            result_count: n,
            sort: (SortKey::Report, false),
            perms: Vec::new(),
            rows: Vec::with_capacity(n),
        };
        e.update();
        e
    }

    pub fn index(&self) -> &IndexData {
        &self.index
    }

    /// Number of regressions.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Position of the facet called `name` in [`FACETS`].
    pub fn facet(name: &str) -> Option<usize> {
        FACETS.iter().position(|f| f.name() == name)
    }

    /// True for the facet selected as a date range rather than by values.
    pub fn is_range(f: usize) -> bool {
        FACETS[f] == RANGE
    }

    /// The values of facet `f`, as text, in their (text) order.
    pub fn values(&self, f: usize) -> impl Iterator<Item = &str> {
        self.facets[f].values.iter().map(|&s| self.index.str(s))
    }

    /// Rows having each value of facet `f`, ignoring every filter.
    pub fn totals(&self, f: usize) -> Vec<u32> {
        let mut out = vec![0; self.facets[f].values.len()];
        self.facets[f].count(None, &mut out);
        out
    }

    /// The live counts of facet `f` (see the module doc), as of the last [`Engine::update`].
    pub fn counts(&self, f: usize) -> &[u32] {
        &self.counts[f]
    }

    /// Sets the free-text query.
    pub fn set_query(&mut self, q: &str) {
        if q != self.query {
            self.query = q.to_string();
            self.text_active = self.text.query(q, &mut self.text_mask, &mut self.word_mask);
        }
    }

    /// Selects `values` (by text) in facet `f`; an empty list clears it. Values the index does
    /// not have match nothing (a link naming a board absent tonight shows no rows, not all).
    pub fn set_facet(&mut self, f: usize, values: &[String]) {
        let index = &self.index;
        let facet = &mut self.facets[f];
        let mut sel: Vec<u32> = facet
            .values
            .iter()
            .enumerate()
            .filter(|(_, s)| values.iter().any(|v| v == index.str(**s)))
            .map(|(i, _)| i as u32)
            .collect();
        sel.sort_unstable();
        let active = !values.is_empty();
        if sel != facet.selected || active != facet.active {
            facet.selected = sel;
            facet.active = active;
            facet.mask_dirty = true;
        }
    }

    /// Restricts `first_seen` to `from..=to` (`YYYY-MM-DD`, either may be empty for open).
    pub fn set_range(&mut self, from: &str, to: &str) {
        let f = FACETS.iter().position(|&c| c == RANGE).expect("facet");
        let index = &self.index;
        let facet = &mut self.facets[f];
        let active = !from.is_empty() || !to.is_empty();
        let sel: Vec<u32> = if active {
            facet
                .values
                .iter()
                .enumerate()
                .filter(|(_, s)| {
                    let d = index.str(**s);
                    !d.is_empty() && (from.is_empty() || d >= from) && (to.is_empty() || d <= to)
                })
                .map(|(i, _)| i as u32)
                .collect()
        } else {
            Vec::new()
        };
        if sel != facet.selected || active != facet.active {
            facet.selected = sel;
            facet.active = active;
            facet.mask_dirty = true;
        }
    }

    /// Orders the result list.
    pub fn set_sort(&mut self, key: SortKey, descending: bool) {
        self.sort = (key, descending);
    }

    /// Clears every filter (the sort stays).
    pub fn clear(&mut self) {
        self.set_query("");
        for f in 0..self.facets.len() {
            self.set_facet(f, &[]);
        }
    }

    /// Recomputes the result list and every facet's counts; returns the number of results.
    pub fn update(&mut self) -> usize {
        for f in &mut self.facets {
            f.refresh_mask();
        }
        let active: Vec<usize> = (0..self.facets.len())
            .filter(|&f| self.facets[f].active)
            .collect();
        let masks = active.len() + usize::from(self.text_active);
        self.result.fill();
        if self.text_active {
            self.result.and_with(&self.text_mask);
        }
        for &f in &active {
            self.result.and_with(&self.facets[f].mask);
        }
        self.result_count = if masks == 0 {
            self.len()
        } else {
            self.result.count()
        };
        for f in 0..self.facets.len() {
            let own = self.facets[f].active;
            let base = if masks == 0 || (own && masks == 1) {
                None
            } else if !own {
                Some((&self.result, self.result_count))
            } else {
                self.scratch.fill();
                if self.text_active {
                    self.scratch.and_with(&self.text_mask);
                }
                for &g in &active {
                    if g != f {
                        self.scratch.and_with(&self.facets[g].mask);
                    }
                }
                let c = self.scratch.count();
                Some((&self.scratch, c))
            };
            self.facets[f].count(base, &mut self.counts[f]);
        }
        self.fill_rows();
        self.result_count
    }

    fn fill_rows(&mut self) {
        self.rows.clear();
        let (key, desc) = self.sort;
        if key == SortKey::Report && !desc {
            let rows = &mut self.rows;
            self.result.for_each(|r| rows.push(r));
            return;
        }
        let p = match self.perms.iter().position(|(k, _)| *k == self.sort) {
            Some(p) => p,
            None => {
                let perm = self.permutation(key, desc);
                self.perms.push(((key, desc), perm));
                self.perms.len() - 1
            }
        };
        let perm = &self.perms[p].1;
        self.rows
            .extend(perm.iter().copied().filter(|&r| self.result.contains(r)));
    }

    /// Rows ordered by `key` (stable: ties keep the report's order).
    fn permutation(&self, key: SortKey, desc: bool) -> Vec<u32> {
        let n = self.len();
        let keys: Vec<u32> = match key {
            SortKey::Report => (0..n as u32).collect(),
            SortKey::Boards => self.index.scalar(Scalar::Boards).to_vec(),
            SortKey::Occurrences => self.index.scalar(Scalar::Occurrences).to_vec(),
            SortKey::FirstSeen | SortKey::LastSeen => {
                let col = self.index.scalar(if key == SortKey::FirstSeen {
                    Scalar::FirstSeen
                } else {
                    Scalar::LastSeen
                });
                let mut dates: Vec<u32> = col.to_vec();
                dates.sort_unstable();
                dates.dedup();
                dates.sort_by(|&a, &b| self.index.str(a).cmp(self.index.str(b)));
                let mut rank = std::collections::HashMap::new();
                for (i, d) in dates.iter().enumerate() {
                    rank.insert(*d, i as u32);
                }
                col.iter().map(|d| rank[d]).collect()
            }
        };
        let mut perm: Vec<u32> = (0..n as u32).collect();
        if desc {
            perm.sort_by_key(|&r| std::cmp::Reverse(keys[r as usize]));
        } else {
            perm.sort_by_key(|&r| keys[r as usize]);
        }
        perm
    }

    /// Number of rows matching the current filters.
    pub fn result_len(&self) -> usize {
        self.result_count
    }

    /// Matching rows, in the current order.
    pub fn rows(&self) -> &[u32] {
        &self.rows
    }

    /// The row of regression `id`.
    pub fn find(&self, id: &str) -> Option<usize> {
        let col = self.index.scalar(Scalar::Id);
        (0..self.len()).find(|&r| self.index.str(col[r]) == id)
    }

    /// Size of the searchable text (for diagnostics).
    pub fn text_stats(&self) -> (usize, usize) {
        (self.text.strings(), self.text.bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regtrack_viewer_format::index::{Builder, Row};

    /// A small index: (id, status, tree, platforms, first_seen, boards).
    fn sample() -> IndexData {
        type Spec<'a> = (
            &'a str,
            &'a str,
            &'a str,
            &'a [&'a str],
            &'a str,
            &'a str,
            &'a [&'a str],
        );
        let rows: &[Spec] = &[
            (
                "01",
                "new",
                "mainline",
                &["a", "b"],
                "2026-11-20",
                "2",
                &["flaky"],
            ),
            ("02", "ongoing", "mainline", &["b"], "2026-11-18", "1", &[]),
            (
                "03",
                "fixed",
                "next",
                &["a", "c"],
                "2026-11-10",
                "2",
                &["known"],
            ),
            ("04", "new", "next", &["c"], "2026-11-20", "1", &[]),
            ("05", "ongoing", "stable", &[], "", "0", &["known", "flaky"]),
        ];
        let mut b = Builder::new();
        for &(id, status, tree, platforms, day, boards, flags) in rows {
            let title = format!("t{id} fails");
            let test = format!("suite{}.t{id}", id.len());
            b.push(&Row {
                id,
                title: &title,
                status,
                tree,
                branch: "master",
                scope: "all",
                first_seen: day,
                last_seen: day,
                boards: boards.parse().unwrap(),
                occurrences: 1,
                tests: vec![&test],
                suite: vec!["suite2"],
                flags: flags.to_vec(),
                platform: platforms.to_vec(),
                ..Row::default()
            });
        }
        b.finish(2).decode().unwrap()
    }

    fn counts(e: &Engine, facet: &str) -> Vec<(String, u32)> {
        let f = Engine::facet(facet).unwrap();
        e.values(f)
            .map(str::to_string)
            .zip(e.counts(f).iter().copied())
            .collect()
    }

    fn pairs(v: &[(&str, u32)]) -> Vec<(String, u32)> {
        v.iter().map(|(s, n)| (s.to_string(), *n)).collect()
    }

    /// The definition, row by row: what the engine must agree with.
    fn brute(e: &Engine, sel: &[(&str, &[&str])], facet: &str) -> Vec<(String, u32)> {
        let idx = e.index();
        let f = Engine::facet(facet).unwrap();
        let vals = |name: &str, r: usize| -> Vec<String> {
            idx.values(Column::by_name(name).unwrap(), r)
                .iter()
                .map(|&s| idx.str(s).to_string())
                .collect()
        };
        e.values(f)
            .map(|v| {
                let n = (0..e.len())
                    .filter(|&r| {
                        sel.iter()
                            .filter(|(name, _)| *name != facet)
                            .all(|(name, want)| {
                                vals(name, r).iter().any(|x| want.contains(&x.as_str()))
                            })
                            && vals(facet, r).iter().any(|x| x == v)
                    })
                    .count();
                (v.to_string(), n as u32)
            })
            .collect()
    }

    fn select(e: &mut Engine, sel: &[(&str, &[&str])]) {
        e.clear();
        for (name, values) in sel {
            let v: Vec<String> = values.iter().map(|s| s.to_string()).collect();
            e.set_facet(Engine::facet(name).unwrap(), &v);
        }
        e.update();
    }

    #[test]
    fn no_filter_counts_are_totals() {
        let e = Engine::new(sample());
        assert_eq!(e.result_len(), 5);
        assert_eq!(e.rows(), [0, 1, 2, 3, 4]);
        assert_eq!(
            counts(&e, "status"),
            pairs(&[("fixed", 1), ("new", 2), ("ongoing", 2)])
        );
        assert_eq!(
            counts(&e, "platform"),
            pairs(&[("a", 2), ("b", 2), ("c", 2)])
        );
        assert_eq!(counts(&e, "flags"), pairs(&[("flaky", 2), ("known", 2)]));
    }

    #[test]
    fn own_facet_counts_ignore_own_selection() {
        let mut e = Engine::new(sample());
        select(&mut e, &[("status", &["new"])]);
        assert_eq!(e.rows(), [0, 3]);
        // Status still shows what each status would give.
        assert_eq!(
            counts(&e, "status"),
            pairs(&[("fixed", 1), ("new", 2), ("ongoing", 2)])
        );
        // Other facets are narrowed to the new rows.
        assert_eq!(
            counts(&e, "platform"),
            pairs(&[("a", 1), ("b", 1), ("c", 1)])
        );
        assert_eq!(
            counts(&e, "tree"),
            pairs(&[("mainline", 1), ("next", 1), ("stable", 0)])
        );
    }

    #[test]
    fn combinations_match_the_definition() {
        let mut e = Engine::new(sample());
        let cases: &[&[(&str, &[&str])]] = &[
            &[("status", &["new", "fixed"]), ("platform", &["a"])],
            &[("platform", &["c", "b"]), ("tree", &["next"])],
            &[
                ("flags", &["known"]),
                ("status", &["ongoing"]),
                ("tree", &["stable"]),
            ],
            &[("platform", &["nope"])],
        ];
        for sel in cases {
            select(&mut e, sel);
            for facet in ["status", "tree", "platform", "flags", "first_seen"] {
                assert_eq!(counts(&e, facet), brute(&e, sel, facet), "{sel:?} {facet}");
            }
        }
        select(&mut e, &[("platform", &["nope"])]);
        assert_eq!(e.result_len(), 0);
    }

    #[test]
    fn text_and_date_range_and_sort() {
        let mut e = Engine::new(sample());
        e.set_query("T0");
        e.update();
        assert_eq!(e.result_len(), 5);
        e.set_query("t03");
        e.update();
        assert_eq!(e.rows(), [2]);
        assert_eq!(
            counts(&e, "status"),
            pairs(&[("fixed", 1), ("new", 0), ("ongoing", 0)])
        );
        e.set_query("");
        e.set_range("2026-11-18", "");
        e.update();
        assert_eq!(e.rows(), [0, 1, 3]);
        // The range's own counts are not narrowed by it.
        let fs = counts(&e, "first_seen");
        assert_eq!(fs.iter().map(|p| p.1).sum::<u32>(), 5);
        e.set_range("", "2026-11-18");
        e.update();
        assert_eq!(e.rows(), [1, 2]);
        e.set_range("", "");
        e.set_sort(SortKey::Boards, true);
        e.update();
        assert_eq!(e.rows(), [0, 2, 1, 3, 4]);
        e.set_sort(SortKey::FirstSeen, false);
        e.update();
        assert_eq!(e.rows(), [4, 2, 1, 0, 3]);
        e.set_sort(SortKey::FirstSeen, true);
        e.update();
        assert_eq!(e.rows(), [0, 3, 1, 2, 4]);
        assert_eq!(e.find("04"), Some(3));
        assert_eq!(e.find("zz"), None);
    }

    #[test]
    fn subsystems_and_maintainers_are_facets_and_searchable() {
        let mut b = Builder::new();
        let routed: [(&str, &[&str], &[&str]); 3] = [
            (
                "01",
                &["NETWORKING [TLS]", "NETWORKING [GENERAL]"],
                &["Jakub Kicinski <kuba@kernel.org>", "netdev@vger.kernel.org"],
            ),
            ("02", &["NETWORKING [GENERAL]"], &["netdev@vger.kernel.org"]),
            ("03", &[], &[]),
        ];
        for &(id, subsystem, maintainer) in &routed {
            b.push(&Row {
                id,
                title: "x fails",
                status: "new",
                subsystem: subsystem.to_vec(),
                maintainer: maintainer.to_vec(),
                ..Row::default()
            });
        }
        let mut e = Engine::new(b.finish(2).decode().unwrap());
        assert_eq!(
            counts(&e, "subsystem"),
            pairs(&[("NETWORKING [GENERAL]", 2), ("NETWORKING [TLS]", 1)])
        );
        let f = Engine::facet("subsystem").unwrap();
        e.set_facet(f, &["NETWORKING [TLS]".into()]);
        e.update();
        assert_eq!(e.rows(), [0]);
        assert_eq!(
            counts(&e, "maintainer"),
            pairs(&[
                ("Jakub Kicinski <kuba@kernel.org>", 1),
                ("netdev@vger.kernel.org", 1)
            ])
        );
        e.clear();
        // Free text finds maintainers' names and list addresses.
        e.set_query("KICINSKI");
        e.update();
        assert_eq!(e.rows(), [0]);
        e.set_query("netdev@vger");
        e.update();
        assert_eq!(e.rows(), [0, 1]);
    }

    #[test]
    fn both_counting_strategies_agree() {
        // Many rows so that some postings become dense bitsets and both paths run.
        let mut b = Builder::new();
        let boards: Vec<String> = (0..40).map(|i| format!("board{i}")).collect();
        for r in 0..3000usize {
            let id = format!("{r:04}");
            let title = format!("test{} fails", r % 97);
            let p: Vec<&str> = (0..(r % 5) + 1)
                .map(|k| boards[(r * 7 + k * 13) % if k == 0 { 3 } else { 40 }].as_str())
                .collect();
            let status = ["new", "ongoing", "fixed", "reopened"][r % 4];
            let tree = ["mainline", "next", "stable"][r % 3];
            b.push(&Row {
                id: &id,
                title: &title,
                status,
                tree,
                branch: "master",
                scope: "all",
                first_seen: "2026-11-01",
                last_seen: "2026-11-02",
                boards: 1,
                occurrences: 1,
                platform: p,
                ..Row::default()
            });
        }
        let mut e = Engine::new(b.finish(100).decode().unwrap());
        let cases: &[&[(&str, &[&str])]] = &[
            &[("status", &["new"])],
            &[
                ("status", &["new", "fixed"]),
                ("platform", &["board1", "board17"]),
            ],
            &[("platform", &["board0"]), ("tree", &["next"])],
        ];
        for sel in cases {
            for q in ["", "test1", "test5 fails"] {
                select(&mut e, sel);
                e.set_query(q);
                e.update();
                let mut want = Vec::new();
                for facet in ["status", "platform", "tree"] {
                    let got = counts(&e, facet);
                    // Recompute with the text filter applied by hand.
                    let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
                    let keep = |r: usize| {
                        let t = e
                            .index()
                            .str(e.index().scalar(Scalar::Title)[r])
                            .to_lowercase();
                        words.iter().all(|w| t.contains(w.as_str()))
                    };
                    let f = Engine::facet(facet).unwrap();
                    let idx = e.index();
                    let brute: Vec<(String, u32)> = e
                        .values(f)
                        .map(|v| {
                            let n = (0..e.len())
                                .filter(|&r| keep(r))
                                .filter(|&r| {
                                    sel.iter().filter(|(n, _)| *n != facet).all(|(n, want)| {
                                        let vals: Vec<&str> = idx
                                            .values(Column::by_name(n).unwrap(), r)
                                            .iter()
                                            .map(|&s| idx.str(s))
                                            .collect();
                                        vals.iter().any(|x| want.contains(x))
                                    })
                                })
                                .filter(|&r| {
                                    let vals: Vec<&str> = idx
                                        .values(Column::by_name(facet).unwrap(), r)
                                        .iter()
                                        .map(|&s| idx.str(s))
                                        .collect();
                                    vals.contains(&v)
                                })
                                .count();
                            (v.to_string(), n as u32)
                        })
                        .collect();
                    assert_eq!(got, brute, "{sel:?} {q:?} {facet}");
                    want.push(got);
                }
            }
        }
    }
}
