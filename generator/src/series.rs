//! Series: the history of one test in one environment, in commit order.
//!
//! A series is one (tree/branch, test path, platform, arch, config, compiler). Its runs are
//! ordered by their checkout's start time (then the run's own time and id), which is the
//! order the commits were tested in.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::ingest::{Dataset, parse_time};
use crate::model::Status;

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
    pub test_id: String,
    /// The build it ran on: with the platform, identifies one job (one boot of one kernel).
    pub build_id: Option<String>,
    /// Position of the tested commit on its tree/branch's timeline (see [`Timeline`]).
    pub pos: usize,
    pub status: Status,
    /// When the tested commit was checked out (orders the series).
    pub checkout_time: Option<DateTime<Utc>>,
    /// When the test ran.
    pub time: Option<DateTime<Utc>>,
    pub checkout: CommitRef,
    pub lab: Option<String>,
    pub log_url: Option<String>,
    pub log_excerpt: Option<String>,
}

impl Run {
    /// The day this run counts for: the test's own date, else its checkout's.
    pub fn day(&self) -> Option<NaiveDate> {
        self.time.or(self.checkout_time).map(|t| t.date_naive())
    }
}

/// The tested commits of each tree/branch in order: a run's `pos` indexes into it, so windows
/// of different series on the same branch compare as plain integer ranges.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// Per (tree key, branch): commits (hash, else describe) in first-tested order.
    pub commits: BTreeMap<(String, String), Vec<CommitRef>>,
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

/// When a commit was first tested on a branch, and the commit.
type FirstTested = (Option<DateTime<Utc>>, CommitRef);

/// Identity of a tested commit: the same hash from two CI systems is one point in history.
fn commit_identity(c: &CommitRef) -> String {
    c.commit
        .clone()
        .or_else(|| c.describe.clone())
        .or_else(|| c.start_time.clone())
        .unwrap_or_default()
}

/// One test in one environment over time.
#[derive(Debug, Clone)]
pub struct Series {
    pub key: SeriesKey,
    pub tree_name: Option<String>,
    pub repository_url: Option<String>,
    pub runs: Vec<Run>,
}

/// Builds every series from the dataset. Runs without a status (still running) are skipped:
/// they say nothing yet. Deterministic: series sorted by key, runs by time then id.
pub fn build_series(ds: &Dataset) -> (Vec<Series>, Timeline) {
    let mut map: BTreeMap<SeriesKey, Series> = BTreeMap::new();
    for test in ds.tests.values() {
        let Some(status) = test.status() else {
            continue;
        };
        let build = test.build_id.as_ref().and_then(|b| ds.builds.get(b));
        let checkout = build
            .and_then(|b| b.checkout_id.as_ref())
            .and_then(|c| ds.checkouts.get(c));
        let s = |v: Option<&String>| v.cloned().unwrap_or_default();
        let repository_url = checkout.and_then(|c| c.git_repository_url.clone());
        let tree_name = checkout.and_then(|c| c.tree_name.clone());
        let key = SeriesKey {
            tree_key: repository_url
                .clone()
                .or_else(|| tree_name.clone())
                .unwrap_or_default(),
            branch: s(checkout.and_then(|c| c.git_repository_branch.as_ref())),
            test: s(test.path.as_ref()),
            platform: test.platform().unwrap_or_default(),
            arch: s(build.and_then(|b| b.architecture.as_ref())),
            config: s(build.and_then(|b| b.config_name.as_ref())),
            compiler: s(build.and_then(|b| b.compiler.as_ref())),
        };
        let run = Run {
            test_id: test.id.clone(),
            build_id: test.build_id.clone(),
            pos: 0,
            status,
            checkout_time: checkout
                .and_then(|c| c.start_time.as_deref())
                .and_then(parse_time),
            time: test.start_time.as_deref().and_then(parse_time),
            checkout: CommitRef {
                commit: checkout.and_then(|c| c.git_commit_hash.clone()),
                describe: checkout.and_then(|c| c.git_commit_name.clone()),
                start_time: checkout.and_then(|c| c.start_time.clone()),
            },
            lab: test.lab(),
            log_url: test.log_url.clone(),
            log_excerpt: test.log_excerpt.clone(),
        };
        map.entry(key.clone())
            .or_insert_with(|| Series {
                key,
                tree_name: tree_name.clone(),
                repository_url: repository_url.clone(),
                runs: Vec::new(),
            })
            .runs
            .push(run);
    }
    let mut all: Vec<Series> = map.into_values().collect();
    // Each branch's commits, ordered by when they were first tested.
    let mut first_seen: BTreeMap<(String, String), BTreeMap<String, FirstTested>> = BTreeMap::new();
    for s in &all {
        let branch = first_seen
            .entry((s.key.tree_key.clone(), s.key.branch.clone()))
            .or_default();
        for r in &s.runs {
            let t = r.checkout_time.or(r.time);
            let e = branch
                .entry(commit_identity(&r.checkout))
                .or_insert_with(|| (t, r.checkout.clone()));
            if t.is_some() && (e.0.is_none() || t < e.0) {
                *e = (t, r.checkout.clone());
            }
        }
    }
    let mut timeline = Timeline::default();
    let mut positions: BTreeMap<(String, String), BTreeMap<String, usize>> = BTreeMap::new();
    for (key, commits) in first_seen {
        let mut ordered: Vec<(Option<DateTime<Utc>>, String, CommitRef)> =
            commits.into_iter().map(|(id, (t, c))| (t, id, c)).collect();
        ordered.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        positions.insert(
            key.clone(),
            ordered
                .iter()
                .enumerate()
                .map(|(i, (_, id, _))| (id.clone(), i))
                .collect(),
        );
        timeline
            .commits
            .insert(key, ordered.into_iter().map(|(_, _, c)| c).collect());
    }
    for series in &mut all {
        let pos = &positions[&(series.key.tree_key.clone(), series.key.branch.clone())];
        for r in &mut series.runs {
            r.pos = pos[&commit_identity(&r.checkout)];
        }
        series
            .runs
            .sort_by(|a, b| (a.pos, a.time, &a.test_id).cmp(&(b.pos, b.time, &b.test_id)));
    }
    (all, timeline)
}
