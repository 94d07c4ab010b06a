//! Series: the history of one test in one environment, in commit order.
//!
//! A series is one (tree/branch, test path, platform, arch, config, compiler). Its runs are
//! placed on the branch's [`Timeline`] (its tested commits in first-tested order) and ordered
//! by that position, then by the run's own time and row. Runs are compact (they point back
//! into the [`Store`] for logs), since a month of KernelCI holds tens of millions.

use chrono::{DateTime, NaiveDate};
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::ingest::Dataset;
use crate::model::Status;
use crate::store::{NO_ID, NO_TIME, NONE, Store, Sym, byte_status};

/// What identifies a series. Missing values are empty strings, so they still group.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SeriesKey {
    /// Repository URL, or the tree name when the URL is unknown.
    pub tree_key: String,
    pub branch: String,
    pub test: String,
    pub platform: String,
    pub arch: String,
    pub config: String,
    pub compiler: String,
}

/// A tested commit, as shown in windows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct CommitRef {
    pub commit: Option<String>,
    pub describe: Option<String>,
    pub start_time: Option<String>,
}

/// One run of a series' test.
#[derive(Debug, Clone)]
pub struct Run {
    /// Its row in the store's tests (for its id, log URL and excerpt).
    pub row: u32,
    /// Hash of the build it ran on ([`NO_ID`] when unknown): with the platform and position it
    /// identifies one job (one boot of one kernel).
    pub build: u64,
    /// Position of the tested commit on its tree/branch's timeline.
    pub pos: usize,
    pub status: Status,
    /// When the test ran (µs since the epoch, [`NO_TIME`] when unknown).
    pub time: i64,
    /// When the tested commit was checked out.
    pub checkout_time: i64,
}

impl Run {
    /// The day this run counts for: the test's own date, else its checkout's.
    pub fn day(&self) -> Option<NaiveDate> {
        let t = if self.time != NO_TIME {
            self.time
        } else {
            self.checkout_time
        };
        (t != NO_TIME)
            .then(|| DateTime::from_timestamp_micros(t))
            .flatten()
            .map(|t| t.date_naive())
    }

    /// The job key, when the build is known.
    pub fn job(&self) -> Option<(u64, usize)> {
        (self.build != NO_ID).then_some((self.build, self.pos))
    }
}

/// The tested commits of each tree/branch in order: a run's `pos` indexes into it, so windows
/// of different series on the same branch compare as plain integer ranges.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// Per (tree key, branch): commits in first-tested order.
    pub commits: FxHashMap<(String, String), Vec<CommitRef>>,
}

impl Timeline {
    /// The commits of one branch.
    pub fn of(&self, tree_key: &str, branch: &str) -> &[CommitRef] {
        self.commits
            .get(&(tree_key.to_string(), branch.to_string()))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

/// One test in one environment over time.
#[derive(Debug, Clone)]
pub struct Series {
    pub key: SeriesKey,
    pub tree_name: Option<String>,
    pub repository_url: Option<String>,
    /// The lab of its most recent run that named one.
    pub lab: Option<String>,
    pub runs: Vec<Run>,
}

/// Symbols of a series key: (tree key, branch, path, platform, arch, config, compiler).
type KeySyms = (Sym, Sym, Sym, Sym, Sym, Sym, Sym);

/// Symbols of a commit on a branch: identity is the hash, else describe, else time.
type CommitKey = (Sym, Sym, Sym, Sym);

/// Builds every series from the dataset. Runs without a status (still running) are skipped:
/// they say nothing yet. Deterministic: series sorted by key, runs by position, time, row.
pub fn build_series(ds: &Dataset) -> (Vec<Series>, Timeline) {
    let st = &ds.store;
    let s = |sym: Sym| st.str(sym).unwrap_or("").to_string();
    let mut index: FxHashMap<KeySyms, usize> = FxHashMap::default();
    let mut keys: Vec<KeySyms> = Vec::new();
    let mut runs: Vec<Vec<Run>> = Vec::new();
    let mut labs: Vec<(i64, Sym)> = Vec::new();
    let mut tree_names: Vec<Sym> = Vec::new();
    let mut repo_syms: Vec<Sym> = Vec::new();
    // Per (tree, branch) symbols: commit identity -> (first tested, checkout row).
    let mut first_tested: FxHashMap<(Sym, Sym), FxHashMap<CommitKey, (i64, u32)>> =
        FxHashMap::default();
    let mut run_commit: Vec<Vec<CommitKey>> = Vec::new();
    for (row, t) in st.tests.iter().enumerate() {
        let Some(status) = byte_status(t.status) else {
            continue;
        };
        let build = st.build(t.build);
        let checkout_row = build.and_then(|b| st.checkout_index(b.checkout));
        let checkout = checkout_row.map(|i| &st.checkouts[i as usize]);
        let (tree_key, branch) = match checkout {
            Some(c) => (
                if c.repository_url != NONE {
                    c.repository_url
                } else {
                    c.tree_name
                },
                c.branch,
            ),
            None => (NONE, NONE),
        };
        let key: KeySyms = (
            tree_key,
            branch,
            t.path,
            t.platform,
            build.map_or(NONE, |b| b.arch),
            build.map_or(NONE, |b| b.config),
            build.map_or(NONE, |b| b.compiler),
        );
        let i = *index.entry(key).or_insert_with(|| {
            keys.push(key);
            runs.push(Vec::new());
            run_commit.push(Vec::new());
            labs.push((NO_TIME, NONE));
            tree_names.push(checkout.map_or(NONE, |c| c.tree_name));
            repo_syms.push(checkout.map_or(NONE, |c| c.repository_url));
            keys.len() - 1
        });
        let checkout_time = checkout.map_or(NO_TIME, |c| c.start);
        let commit: CommitKey = match checkout {
            Some(c) if c.commit != NONE => (c.commit, NONE, NONE, NONE),
            Some(c) if c.describe != NONE => (NONE, c.describe, NONE, NONE),
            Some(c) => (NONE, NONE, c.start_text, NONE),
            None => (NONE, NONE, NONE, NONE),
        };
        if let Some(rowc) = checkout_row {
            let branch_map = first_tested.entry((tree_key, branch)).or_default();
            let t0 = if checkout_time != NO_TIME {
                checkout_time
            } else {
                t.start
            };
            let e = branch_map.entry(commit).or_insert((t0, rowc));
            if t0 != NO_TIME && (e.0 == NO_TIME || t0 < e.0) {
                *e = (t0, rowc);
            }
        }
        if t.lab != NONE && t.start >= labs[i].0 {
            labs[i] = (t.start, t.lab);
        }
        runs[i].push(Run {
            row: row as u32,
            build: t.build,
            pos: 0,
            status,
            time: t.start,
            checkout_time,
        });
        run_commit[i].push(commit);
    }

    // Each branch's commits, ordered by when they were first tested.
    let mut timeline = Timeline::default();
    let mut positions: FxHashMap<(Sym, Sym), FxHashMap<CommitKey, usize>> = FxHashMap::default();
    for ((tree, branch), commits) in first_tested {
        let mut ordered: Vec<(i64, String, CommitKey, u32)> = commits
            .into_iter()
            .map(|(k, (t, row))| {
                let c = &st.checkouts[row as usize];
                let ident = st
                    .str(c.commit)
                    .or(st.str(c.describe))
                    .or(st.str(c.start_text))
                    .unwrap_or("")
                    .to_string();
                (t, ident, k, row)
            })
            .collect();
        ordered.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        positions.insert(
            (tree, branch),
            ordered
                .iter()
                .enumerate()
                .map(|(i, (_, _, k, _))| (*k, i))
                .collect(),
        );
        timeline.commits.insert(
            (s(tree), s(branch)),
            ordered
                .iter()
                .map(|(_, _, _, row)| {
                    let c = &st.checkouts[*row as usize];
                    CommitRef {
                        commit: st.str(c.commit).map(String::from),
                        describe: st.str(c.describe).map(String::from),
                        start_time: st.str(c.start_text).map(String::from),
                    }
                })
                .collect(),
        );
    }

    let mut all: Vec<Series> = Vec::with_capacity(keys.len());
    for (i, key) in keys.iter().enumerate() {
        let mut rs = std::mem::take(&mut runs[i]);
        if let Some(pos) = positions.get(&(key.0, key.1)) {
            for (r, c) in rs.iter_mut().zip(&run_commit[i]) {
                r.pos = pos.get(c).copied().unwrap_or(0);
            }
        }
        rs.sort_by_key(|r| (r.pos, r.time, r.row));
        all.push(Series {
            key: SeriesKey {
                tree_key: s(key.0),
                branch: s(key.1),
                test: s(key.2),
                platform: s(key.3),
                arch: s(key.4),
                config: s(key.5),
                compiler: s(key.6),
            },
            tree_name: st.str(tree_names[i]).map(String::from),
            repository_url: st.str(repo_syms[i]).map(String::from),
            lab: st.str(labs[i].1).map(String::from),
            runs: rs,
        });
    }
    all.sort_by(|a, b| a.key.cmp(&b.key));
    (all, timeline)
}

/// The log URL and excerpt of a run (FAIL and ERROR runs keep them).
pub fn run_log<'s>(store: &'s Store, run: &Run) -> (Option<&'s str>, Option<&'s str>) {
    match store.detail(&store.tests[run.row as usize]) {
        Some(d) => (d.log_url.as_deref(), d.log_excerpt.as_deref()),
        None => (None, None),
    }
}
