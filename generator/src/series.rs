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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CommitRef {
    pub commit: Option<String>,
    pub describe: Option<String>,
    pub start_time: Option<String>,
}

/// One run of a series' test.
#[derive(Debug, Clone)]
pub struct Run {
    pub test_id: String,
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
pub fn build_series(ds: &Dataset) -> Vec<Series> {
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
    for series in &mut all {
        series.runs.sort_by(|a, b| {
            (a.checkout_time.or(a.time), a.time, &a.test_id).cmp(&(
                b.checkout_time.or(b.time),
                b.time,
                &b.test_id,
            ))
        });
    }
    all
}
