//! Always-failing tests: failing on every run since the history window began (no change to
//! find; the window starts inside their failure).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::super::facts::SeriesFacts;
use crate::model::Status;
use crate::series::Series;

/// A test that has failed on every run since the history window began.
#[derive(Debug, Clone, Serialize)]
pub struct AlwaysFailing {
    pub tree: Option<String>,
    pub branch: String,
    pub test: String,
    pub platforms: Vec<String>,
    pub since: Option<NaiveDate>,
    pub runs: usize,
    /// The known-issue rule it matches, if any.
    pub known_issue: Option<crate::content::KnownIssueRef>,
}

/// Tests with no passing run in their series.
pub fn always_failing(series: &[Series], facts: &[SeriesFacts]) -> Vec<AlwaysFailing> {
    let mut by_test: BTreeMap<(String, String, String), AlwaysFailing> = BTreeMap::new();
    for (s, f) in series.iter().zip(facts) {
        if f.stats.fails == 0 || f.stats.fails != f.stats.verdicts {
            continue;
        }
        let since = s
            .runs
            .iter()
            .filter(|r| r.status == Status::Fail)
            .filter_map(|r| r.day())
            .min();
        let e = by_test
            .entry((
                s.key.tree_key.to_string(),
                s.key.branch.to_string(),
                s.key.test.to_string(),
            ))
            .or_insert_with(|| AlwaysFailing {
                tree: s.tree_name.as_deref().map(String::from),
                branch: s.key.branch.to_string(),
                test: s.key.test.to_string(),
                platforms: Vec::new(),
                since,
                runs: 0,
                known_issue: None,
            });
        if !e.platforms.iter().any(|p| **p == *s.key.platform) {
            e.platforms.push(s.key.platform.to_string());
            e.platforms.sort();
        }
        e.since = match (e.since, since) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        e.runs += f.stats.verdicts;
    }
    by_test.into_values().collect()
}
