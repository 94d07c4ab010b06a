//! Series: the history of one test in one environment, in commit order.
//!
//! A series is one (tree/branch, test path, platform, arch, config, compiler). Its runs are
//! placed on the branch's [`Timeline`] (its tested commits in first-tested order) and ordered
//! by that position, then by the run's own time and row. Runs are compact (they point back
//! into the [`Store`] for logs), since a month of KernelCI holds tens of millions.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate};
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::ingest::Dataset;
use crate::model::Status;
use crate::store::{NO_TIME, NONE, Store, Sym, TestRow, byte_status};

/// A name shared by every series that has it (a board is in thousands of series): one
/// allocation per distinct string, not one per series and field.
pub type Name = std::sync::Arc<str>;

/// What identifies a series. Missing values are empty strings, so they still group.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SeriesKey {
    /// Repository URL, or the tree name when the URL is unknown.
    pub tree_key: Name,
    pub branch: Name,
    pub test: Name,
    pub platform: Name,
    pub arch: Name,
    pub config: Name,
    pub compiler: Name,
}

/// A tested commit, as shown in windows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct CommitRef {
    pub commit: Option<String>,
    pub describe: Option<String>,
    pub start_time: Option<String>,
}

/// One run of a series' test: 24 bytes, since a month of KernelCI holds tens of millions.
#[derive(Debug, Clone)]
pub struct Run {
    /// Its row in the store's tests (for its id, log URL and excerpt).
    pub row: u32,
    /// The job it ran in (one build booted on one board), [`NO_JOB`] when its build is
    /// unknown. Jobs are numbered from 0 in the order the store first names them, so tallies
    /// per job are arrays rather than hash maps.
    pub job: u32,
    /// Position of the tested commit on its tree/branch's timeline.
    pub pos: u32,
    pub status: Status,
    /// When the test ran, else when its commit was checked out (µs since the epoch,
    /// [`NO_TIME`] when neither is known).
    pub time: i64,
}

impl Run {
    /// The day this run counts for: the test's own date, else its checkout's.
    pub fn day(&self) -> Option<NaiveDate> {
        (self.time != NO_TIME)
            .then(|| DateTime::from_timestamp_micros(self.time))
            .flatten()
            .map(|t| t.date_naive())
    }

    /// [`Run::day`] as whole UTC days since the epoch: the same day gives the same number, at
    /// a division instead of a calendar conversion (checks that compare every run's day).
    pub fn day_number(&self) -> Option<i64> {
        (self.time != NO_TIME).then(|| self.time.div_euclid(crate::time::MICROS_PER_DAY))
    }

    /// Its job, when its build is known (see [`Run::job`](field@Run::job)).
    pub fn job(&self) -> Option<usize> {
        (self.job != NO_JOB).then_some(self.job as usize)
    }
}

/// The series of each (tree key, branch, test), each group in series order, the groups in the
/// order of their first series. Series come sorted by key, so a key's series are neighbours:
/// found by comparing names (interned: mostly one pointer compare), a hash per key rather
/// than per series; in any other order a key's runs of neighbours are joined by hash.
pub fn groups_by_test(series: &[Series]) -> Vec<Vec<usize>> {
    let same = |a: &Name, b: &Name| std::sync::Arc::ptr_eq(a, b) || a == b;
    let mut at: rustc_hash::FxHashMap<(&str, &str, &str), usize> = Default::default();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut from = 0;
    for i in 1..=series.len() {
        let a = &series[from].key;
        let split = series.get(i).is_none_or(|s| {
            let b = &s.key;
            !(same(&a.test, &b.test)
                && same(&a.branch, &b.branch)
                && same(&a.tree_key, &b.tree_key))
        });
        if split {
            let g = *at
                .entry((&a.tree_key, &a.branch, &a.test))
                .or_insert_with(|| {
                    groups.push(Vec::new());
                    groups.len() - 1
                });
            groups[g].extend(from..i);
            from = i;
        }
    }
    groups
}

/// The boards of a group of series (one test on one branch: [`groups_by_test`]) as indexes:
/// their names, sorted, and each member's board as its index there. Checks that visit every
/// run of a group keep tables by board, not maps by name.
pub fn group_boards<'s>(series: &'s [Series], members: &[usize]) -> (Vec<&'s str>, Vec<usize>) {
    let mut names: Vec<&str> = members.iter().map(|&i| &*series[i].key.platform).collect();
    names.sort_unstable();
    names.dedup();
    let board_of = members
        .iter()
        .map(|&i| {
            names
                .binary_search(&&*series[i].key.platform)
                .expect("every board is listed")
        })
        .collect();
    (names, board_of)
}

/// The first and last timeline positions a group of series ran at (`(u32::MAX, 0)` when
/// none did): a branch's positions are dense, so a table with a row per position in between
/// takes the place of a map.
pub fn group_span(series: &[Series], members: &[usize]) -> (u32, u32) {
    members
        .iter()
        .flat_map(|&i| series[i].runs.first().zip(series[i].runs.last()))
        .fold((u32::MAX, 0), |(lo, hi), (a, b)| {
            (lo.min(a.pos), hi.max(b.pos))
        })
}

/// The tested commits of each tree/branch in order: a run's `pos` indexes into it, so windows
/// of different series on the same branch compare as plain integer ranges.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// Per tree key, per branch: commits in first-tested order (nested, so that a lookup by
    /// borrowed names allocates nothing: pages look commits up for every run they show).
    pub commits: FxHashMap<String, FxHashMap<String, Vec<CommitRef>>>,
}

impl Timeline {
    /// The commits of one branch.
    pub fn of(&self, tree_key: &str, branch: &str) -> &[CommitRef] {
        self.commits
            .get(tree_key)
            .and_then(|b| b.get(branch))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

/// One test in one environment over time.
#[derive(Debug, Clone)]
pub struct Series {
    pub key: SeriesKey,
    pub tree_name: Option<Name>,
    pub repository_url: Option<Name>,
    /// The lab of its most recent run that named one.
    pub lab: Option<Name>,
    /// The CI system (KCIDB origin) of its most recent run's checkout.
    pub origin: Option<Name>,
    pub runs: Vec<Run>,
}

impl Series {
    /// The lab its runs count for: [`Series::lab`], `"unknown"` when no run named one.
    pub fn lab_name(&self) -> &str {
        self.lab.as_deref().unwrap_or("unknown")
    }
}

/// Symbols of a series key: (tree key, branch, path, platform, arch, config, compiler).
type KeySyms = (Sym, Sym, Sym, Sym, Sym, Sym, Sym);

/// A series key without its path: (tree key, branch, platform, arch, config, compiler).
type EnvSyms = (Sym, Sym, Sym, Sym, Sym, Sym);

/// Runs hold their checkout row in `pos` until the timeline is known.
const NO_CHECKOUT: u32 = u32::MAX;

/// The job of a run whose build is unknown.
pub const NO_JOB: u32 = u32::MAX;

/// One series' runs and what it keeps of them, together: gathering touches one series per run,
/// in no useful order, so its state is one cache line, not several.
struct SeriesState {
    runs: Vec<Run>,
    /// (time, lab) of its most recent run that named a lab.
    lab: (i64, Sym),
    /// (time, origin) of its most recent run whose checkout named an origin.
    origin: (i64, Sym),
}

/// The series of one shard of the tests, in first-seen order.
struct Gathered {
    keys: Vec<KeySyms>,
    runs: Vec<SeriesState>,
    tree_names: Vec<Sym>,
    repo_syms: Vec<Sym>,
    /// Earliest test time per checkout row, for checkouts that did not say when they started.
    first_test: Vec<i64>,
}

/// Which shard a test's series falls in: the path and platform are in the key, so a series
/// never spans two shards.
fn shard_of(t: &TestRow, shards: usize) -> usize {
    let mix = (u64::from(t.path) << 32 | u64::from(t.platform)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ((mix >> 32) % shards as u64) as usize
}

/// Keeps the value of the newest run that named one (ties: the later row).
fn keep_newest(slot: &mut (i64, Sym), time: i64, value: Sym) {
    if value != NONE && time >= slot.0 {
        *slot = (time, value);
    }
}

/// What the tests of one job (build, board) share.
#[derive(Clone, Copy)]
struct Job {
    key: (u64, Sym),
    /// Its number, [`NO_JOB`] when the build is unknown.
    id: u32,
    checkout_row: Option<u32>,
    env_ix: usize,
    env: EnvSyms,
}

/// A run on its way into its series.
#[derive(Clone)]
struct PendingRun {
    series: u32,
    /// The test's own start time, lab and its checkout's origin, for [`SeriesState::lab`] and
    /// [`SeriesState::origin`].
    start: i64,
    lab: Sym,
    origin: Sym,
    run: Run,
}

impl PendingRun {
    fn apply(self, states: &mut [SeriesState]) {
        let acc = &mut states[self.series as usize];
        keep_newest(&mut acc.lab, self.start, self.lab);
        keep_newest(&mut acc.origin, self.start, self.origin);
        acc.runs.push(self.run);
    }
}

/// How many runs wait between finding their series and joining it.
const LAG: usize = 16;

/// Runs held back [`LAG`] rows, first in first out. Consecutive tests go to series far
/// apart in memory: each series' state is prefetched when its run is found, the end of its
/// runs half way, and the run joins them LAG rows later, when both have arrived, so the
/// cache misses overlap instead of stalling one by one.
#[derive(Default)]
struct LagQueue {
    slots: [Option<PendingRun>; LAG],
    at: usize,
}

impl LagQueue {
    /// Holds `a`; returns the run that is due, if any.
    #[inline]
    fn push(&mut self, a: PendingRun, states: &[SeriesState]) -> Option<PendingRun> {
        let half = &self.slots[(self.at + LAG / 2) % LAG];
        if let Some(h) = half {
            let runs = &states[h.series as usize].runs;
            prefetch(runs.as_ptr().wrapping_add(runs.len()));
        }
        let due = self.slots[self.at].replace(a);
        self.at = (self.at + 1) % LAG;
        due
    }

    /// The runs still held, oldest first.
    fn drain(&mut self) -> impl Iterator<Item = PendingRun> + '_ {
        let at = self.at;
        (0..LAG).filter_map(move |k| self.slots[(at + k) % LAG].take())
    }
}

/// Asks the CPU to start loading the `T` at `x` into the cache (a hint: no effect on
/// results, and any address will do).
#[inline]
fn prefetch<T>(x: *const T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        let p = x.cast::<i8>();
        // SAFETY: prefetching is a hint that never faults, whatever the address.
        unsafe {
            _mm_prefetch::<_MM_HINT_T0>(p);
            _mm_prefetch::<_MM_HINT_T0>(p.wrapping_add(std::mem::size_of::<T>() - 1));
        }
    }
}

/// Groups one shard's tests into series (every thread scans all rows, keeping its own).
fn gather(st: &Store, shard: usize, shards: usize) -> Gathered {
    // Every shard meets every job in the same order, so all number the jobs alike.
    let mut job_ids: FxHashMap<(u64, Sym), u32> = FxHashMap::default();
    let mut envs: FxHashMap<EnvSyms, usize> = FxHashMap::default();
    let mut env_series: Vec<FxHashMap<Sym, usize>> = Vec::new();
    let mut last_job: Option<Job> = None;
    let mut lag = LagQueue::default();
    let mut g = Gathered {
        keys: Vec::new(),
        runs: Vec::new(),
        tree_names: Vec::new(),
        repo_syms: Vec::new(),
        first_test: vec![NO_TIME; st.checkouts.len()],
    };
    for (row, t) in st.tests.iter().enumerate() {
        // A job's tests come together: its build, checkout and environment are looked up
        // once, and its series found in that environment's small map (hot while the job's
        // tests go by) rather than in one map of every series.
        let job = match last_job {
            Some(j) if j.key == (t.build, t.platform) => j,
            _ => {
                let build_row = st.build_index(t.build);
                let build = build_row.map(|b| &st.builds[b as usize]);
                let checkout_row = build.and_then(|b| st.checkout_index(b.checkout));
                let (tree_key, branch) = match checkout_row.map(|i| &st.checkouts[i as usize]) {
                    Some(c) if c.repository_url != NONE => (c.repository_url, c.branch),
                    Some(c) => (c.tree_name, c.branch),
                    None => (NONE, NONE),
                };
                let env: EnvSyms = (
                    tree_key,
                    branch,
                    t.platform,
                    build.map_or(NONE, |b| b.arch),
                    build.map_or(NONE, |b| b.config),
                    build.map_or(NONE, |b| b.compiler),
                );
                let n = envs.len();
                let env_ix = *envs.entry(env).or_insert(n);
                if env_ix == n {
                    env_series.push(FxHashMap::default());
                }
                let id = match build_row {
                    Some(_) => {
                        let n = job_ids.len() as u32;
                        *job_ids.entry((t.build, t.platform)).or_insert(n)
                    }
                    None => NO_JOB,
                };
                let j = Job {
                    key: (t.build, t.platform),
                    id,
                    checkout_row,
                    env_ix,
                    env,
                };
                last_job = Some(j);
                j
            }
        };
        if shards > 1 && shard_of(t, shards) != shard {
            continue;
        }
        let Some(status) = byte_status(t.status) else {
            continue;
        };
        let (checkout_row, env) = (job.checkout_row, job.env);
        let checkout = checkout_row.map(|i| &st.checkouts[i as usize]);
        let key: KeySyms = (env.0, env.1, t.path, env.2, env.3, env.4, env.5);
        let i = *env_series[job.env_ix].entry(t.path).or_insert_with(|| {
            g.keys.push(key);
            g.runs.push(SeriesState {
                runs: Vec::new(),
                lab: (NO_TIME, NONE),
                origin: (NO_TIME, NONE),
            });
            g.tree_names.push(checkout.map_or(NONE, |c| c.tree_name));
            g.repo_syms
                .push(checkout.map_or(NONE, |c| c.repository_url));
            g.keys.len() - 1
        });
        if let Some(c) = checkout_row {
            let f = &mut g.first_test[c as usize];
            if t.start != NO_TIME && (*f == NO_TIME || t.start < *f) {
                *f = t.start;
            }
        }
        let time = match (t.start, checkout) {
            (NO_TIME, Some(c)) => c.start,
            (t, _) => t,
        };
        let add = PendingRun {
            series: i as u32,
            start: t.start,
            lab: t.lab,
            origin: checkout.map_or(NONE, |c| c.origin),
            run: Run {
                row: row as u32,
                job: job.id,
                pos: checkout_row.unwrap_or(NO_CHECKOUT),
                status,
                time,
            },
        };
        prefetch(&g.runs[i] as *const SeriesState);
        if let Some(due) = lag.push(add, &g.runs) {
            due.apply(&mut g.runs);
        }
    }
    for due in lag.drain() {
        due.apply(&mut g.runs);
    }
    g
}

/// Builds every series from the dataset. Runs without a status (still running) are skipped:
/// they say nothing yet. Deterministic: series sorted by key, runs by position, time, row.
pub fn build_series(ds: &Dataset) -> (Vec<Series>, Timeline) {
    use rayon::prelude::*;
    let st = &ds.store;
    let s = |sym: Sym| st.str(sym).unwrap_or("").to_string();
    // Grouping runs into series is a hash lookup per run: shard it over the cores.
    let shards = rayon::current_num_threads().max(1);
    let mut tm = crate::timings::Timer::start();
    let gathered: Vec<Gathered> = (0..shards)
        .into_par_iter()
        .map(|shard| gather(st, shard, shards))
        .collect();
    tm.mark("  gather runs");
    let mut keys: Vec<KeySyms> = Vec::new();
    let mut runs: Vec<Vec<Run>> = Vec::new();
    let mut labs: Vec<(i64, Sym)> = Vec::new();
    let mut origins: Vec<(i64, Sym)> = Vec::new();
    let mut tree_names: Vec<Sym> = Vec::new();
    let mut repo_syms: Vec<Sym> = Vec::new();
    let mut first_test = vec![NO_TIME; st.checkouts.len()];
    for g in gathered {
        keys.extend(g.keys);
        for a in g.runs {
            runs.push(a.runs);
            labs.push(a.lab);
            origins.push(a.origin);
        }
        tree_names.extend(g.tree_names);
        repo_syms.extend(g.repo_syms);
        for (f, t) in first_test.iter_mut().zip(g.first_test) {
            if t != NO_TIME && (*f == NO_TIME || t < *f) {
                *f = t;
            }
        }
    }

    // Each branch's commits, ordered by when they were first tested; one commit sent by two
    // CI systems (two checkouts) is one position.
    // (first tested, commit identity, checkout row) per (tree key, branch).
    type Sighting = (i64, String, usize);
    let mut branches: FxHashMap<(Sym, Sym), Vec<Sighting>> = FxHashMap::default();
    for (i, c) in st.checkouts.iter().enumerate() {
        let (tree_key, branch) = if c.repository_url != NONE {
            (c.repository_url, c.branch)
        } else {
            (c.tree_name, c.branch)
        };
        let t = if c.start != NO_TIME {
            c.start
        } else {
            first_test[i]
        };
        let ident = st
            .str(c.commit)
            .or(st.str(c.describe))
            .or(st.str(c.start_text))
            .unwrap_or("")
            .to_string();
        branches
            .entry((tree_key, branch))
            .or_default()
            .push((t, ident, i));
    }
    let mut pos_of_checkout = vec![0usize; st.checkouts.len()];
    let mut timeline = Timeline::default();
    for ((tree, branch), mut cs) in branches {
        // Earliest sighting of each commit first; ties by identity then row.
        cs.sort_by(|a, b| (&a.1, a.0, a.2).cmp(&(&b.1, b.0, b.2)));
        let mut commits: Vec<Sighting> = Vec::new();
        let mut members: Vec<Vec<usize>> = Vec::new();
        for (t, ident, row) in cs {
            match commits.last() {
                Some(last) if last.1 == ident => members.last_mut().unwrap().push(row),
                _ => {
                    commits.push((t, ident, row));
                    members.push(vec![row]);
                }
            }
        }
        let mut order: Vec<usize> = (0..commits.len()).collect();
        order.sort_by(|&a, &b| (commits[a].0, &commits[a].1).cmp(&(commits[b].0, &commits[b].1)));
        let mut refs = Vec::with_capacity(order.len());
        for (pos, &k) in order.iter().enumerate() {
            for &row in &members[k] {
                pos_of_checkout[row] = pos;
            }
            let c = &st.checkouts[commits[k].2];
            refs.push(CommitRef {
                commit: st.str(c.commit).map(String::from),
                describe: st.str(c.describe).map(String::from),
                start_time: st.str(c.start_text).map(String::from),
            });
        }
        timeline
            .commits
            .entry(s(tree))
            .or_default()
            .insert(s(branch), refs);
    }

    tm.mark("  timeline");
    // Series in key order: strings compared once to rank the symbols, then integer tuples.
    let mut syms: Vec<Sym> = keys
        .iter()
        .flat_map(|k| [k.0, k.1, k.2, k.3, k.4, k.5, k.6])
        .collect();
    syms.sort_unstable();
    syms.dedup();
    syms.sort_by(|a, b| st.str(*a).unwrap_or("").cmp(st.str(*b).unwrap_or("")));
    // Per symbol (NONE last): its rank among the keys' strings, and its shared name.
    let slot = |s: Sym| {
        if s == NONE {
            st.strings.len()
        } else {
            s as usize
        }
    };
    let mut rank = vec![0u32; st.strings.len() + 1];
    for (i, &s) in syms.iter().enumerate() {
        rank[slot(s)] = i as u32;
    }
    let ranked = |k: &KeySyms| [k.0, k.1, k.2, k.3, k.4, k.5, k.6].map(|s| rank[slot(s)]);
    let mut names: Vec<Option<Name>> = vec![None; st.strings.len() + 1];
    let extra = tree_names.iter().chain(&repo_syms).copied();
    let extra = extra.chain(labs.iter().chain(&origins).map(|l| l.1));
    for s in syms.iter().copied().chain(extra) {
        let n = &mut names[slot(s)];
        if n.is_none() {
            *n = Some(Name::from(st.str(s).unwrap_or("")));
        }
    }
    let name = |s: Sym| names[slot(s)].clone().unwrap_or_else(|| Name::from(""));
    let named = |s: Sym| (s != NONE).then(|| name(s));
    let mut parts: Vec<(usize, Vec<Run>)> = runs.into_iter().enumerate().collect();
    parts.par_sort_by_cached_key(|(i, _)| ranked(&keys[*i]));
    tm.mark("  sort series");
    let all: Vec<Series> = parts
        .into_par_iter()
        .map(|(i, mut rs)| {
            let key = &keys[i];
            for r in &mut rs {
                r.pos = if r.pos == NO_CHECKOUT {
                    0
                } else {
                    pos_of_checkout[r.pos as usize] as u32
                };
            }
            rs.sort_by_key(|r| (r.pos, r.time, r.row));
            Series {
                key: SeriesKey {
                    tree_key: name(key.0),
                    branch: name(key.1),
                    test: name(key.2),
                    platform: name(key.3),
                    arch: name(key.4),
                    config: name(key.5),
                    compiler: name(key.6),
                },
                tree_name: named(tree_names[i]),
                repository_url: named(repo_syms[i]),
                lab: named(labs[i].1),
                origin: named(origins[i].1),
                runs: rs,
            }
        })
        .collect();
    tm.mark("  order runs, name series");
    (all, timeline)
}

/// The log URL of a run (FAIL and ERROR runs keep one).
pub fn run_log_url<'s>(store: &'s Store, run: &Run) -> Option<Cow<'s, str>> {
    store.log_url(&store.tests[run.row as usize])
}

/// The log excerpt of a run (FAIL and ERROR runs keep one).
pub fn run_excerpt<'s>(store: &'s Store, run: &Run) -> Option<Cow<'s, str>> {
    store.log_excerpt(&store.tests[run.row as usize])
}

/// Whether a run kept a log excerpt (without reading it).
pub fn has_excerpt(store: &Store, run: &Run) -> bool {
    store
        .detail(&store.tests[run.row as usize])
        .is_some_and(|d| d.log_excerpt.is_some())
}

#[cfg(test)]
mod tests {
    #[test]
    fn groups_by_test_joins_a_key_s_series_in_any_order() {
        use crate::correlate::stretch::tests::series_on;
        let on = |test: &str, board: &str| {
            let mut s = series_on(board, &[]);
            s.key.test = test.into();
            s
        };
        // Sorted, a key's series are neighbours; out of order, they are joined all the same.
        let sorted = [on("x", "a"), on("x", "b"), on("y", "a")];
        assert_eq!(super::groups_by_test(&sorted), vec![vec![0, 1], vec![2]]);
        let mixed = [on("x", "a"), on("y", "a"), on("x", "b"), on("x", "c")];
        assert_eq!(super::groups_by_test(&mixed), vec![vec![0, 2, 3], vec![1]]);
        assert!(super::groups_by_test(&[]).is_empty());
    }

    #[test]
    fn a_run_is_24_bytes() {
        // Tens of millions of them live at once: keep it that way.
        assert_eq!(std::mem::size_of::<super::Run>(), 24);
    }
}
