//! From series to regressions: find pass-to-fail transitions and group them.
//!
//! First cut: a PASS followed by a FAIL opens a test regression (an [`Episode`]) with its
//! window last-pass..first-fail; ERROR, MISS, SKIP and DONE neither open nor close one.
//! Episodes on the same tree/branch with the same test and first-fail commit are one
//! regression seen in several environments.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::model::Status;
use crate::series::{CommitRef, Series};

/// One series' pass-to-fail transition, as run indices into that series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Episode {
    pub series: usize,
    pub last_pass: usize,
    pub first_fail: usize,
    pub last_fail: usize,
    /// The first PASS after the failures, when the series recovered.
    pub fixed_by: Option<usize>,
}

/// Finds the episodes of one series (`index` is its position, stored in each episode).
pub fn episodes(index: usize, series: &Series) -> Vec<Episode> {
    let mut out = Vec::new();
    let mut last_pass = None;
    let mut open: Option<Episode> = None;
    for (i, run) in series.runs.iter().enumerate() {
        match run.status {
            Status::Pass => {
                if let Some(mut e) = open.take() {
                    e.fixed_by = Some(i);
                    out.push(e);
                }
                last_pass = Some(i);
            }
            Status::Fail => match (&mut open, last_pass) {
                (Some(e), _) => e.last_fail = i,
                (None, Some(lp)) => {
                    open = Some(Episode {
                        series: index,
                        last_pass: lp,
                        first_fail: i,
                        last_fail: i,
                        fixed_by: None,
                    })
                }
                (None, None) => {}
            },
            Status::Error | Status::Miss | Status::Done | Status::Skip => {}
        }
    }
    out.extend(open);
    out
}

/// Where a regression stands on the report date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RegressionStatus {
    /// First seen on the report date.
    New,
    /// Seen before the report date and not fixed.
    Ongoing,
    /// Passes again in every affected environment.
    Fixed,
}

impl RegressionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RegressionStatus::New => "new",
            RegressionStatus::Ongoing => "ongoing",
            RegressionStatus::Fixed => "fixed",
        }
    }
}

/// One environment a regression shows up in (one series).
#[derive(Debug, Clone, Serialize)]
pub struct Occurrence {
    pub test: String,
    pub platform: String,
    pub arch: String,
    pub config: String,
    pub compiler: String,
    pub lab: Option<String>,
    pub last_pass_commit: Option<String>,
    pub first_fail_commit: Option<String>,
    /// Status of the series' newest run.
    pub latest_status: Status,
    /// Log of the first failing run.
    #[serde(skip)]
    pub log_url: Option<String>,
    #[serde(skip)]
    pub log_excerpt: Option<String>,
}

/// A kernel regression: the unit the site lists and the permalink names.
#[derive(Debug, Clone, Serialize)]
pub struct Regression {
    pub id: String,
    /// Relative permalink, `r/<id>/`.
    pub url: String,
    pub status: RegressionStatus,
    pub title: String,
    pub tree: Option<String>,
    pub branch: Option<String>,
    pub repository_url: Option<String>,
    pub first_seen: Option<NaiveDate>,
    pub last_seen: Option<NaiveDate>,
    pub last_pass: CommitRef,
    pub first_fail: CommitRef,
    pub tests: Vec<String>,
    pub occurrences: Vec<Occurrence>,
}

impl Regression {
    /// Number of distinct boards it was seen on.
    pub fn board_count(&self) -> usize {
        let mut boards: Vec<&str> = self
            .occurrences
            .iter()
            .map(|o| o.platform.as_str())
            .collect();
        boards.sort_unstable();
        boards.dedup();
        boards.len()
    }
}

/// The permalink id: a short hash of what never changes for this regression. 16 hex digits
/// (64 bits) keeps collisions negligible at millions of regressions and is URL-safe whatever
/// the data holds.
pub fn stable_id(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(b"regtrack-regression-v1");
    for p in parts {
        h.update([0u8]);
        h.update(p.as_bytes());
    }
    h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Groups every series' episodes into regressions, sorted newest first, then by id.
pub fn correlate(series: &[Series], report_date: Option<NaiveDate>) -> Vec<Regression> {
    let mut groups: BTreeMap<(String, String, String, String), Vec<Episode>> = BTreeMap::new();
    for (i, s) in series.iter().enumerate() {
        for e in episodes(i, s) {
            let ff = &s.runs[e.first_fail];
            let commit = ff
                .checkout
                .commit
                .clone()
                .or_else(|| ff.checkout.describe.clone())
                .unwrap_or_default();
            let key = (
                s.key.tree_key.clone(),
                s.key.branch.clone(),
                commit,
                s.key.test.clone(),
            );
            groups.entry(key).or_default().push(e);
        }
    }
    let mut out: Vec<Regression> = groups
        .into_iter()
        .map(|((tree_key, branch, commit, test), eps)| {
            build_regression(
                series,
                &eps,
                &[&tree_key, &branch, &commit, &test],
                report_date,
            )
        })
        .collect();
    out.sort_by(|a, b| (b.first_seen, &a.title, &a.id).cmp(&(a.first_seen, &b.title, &b.id)));
    out
}

fn build_regression(
    series: &[Series],
    eps: &[Episode],
    id_parts: &[&str],
    report_date: Option<NaiveDate>,
) -> Regression {
    let id = stable_id(id_parts);
    let first = &eps[0];
    let s0 = &series[first.series];
    let mut tests: Vec<String> = eps
        .iter()
        .map(|e| series[e.series].key.test.clone())
        .collect();
    tests.sort();
    tests.dedup();
    let occurrences: Vec<Occurrence> = eps
        .iter()
        .map(|e| {
            let s = &series[e.series];
            let ff = &s.runs[e.first_fail];
            Occurrence {
                test: s.key.test.clone(),
                platform: s.key.platform.clone(),
                arch: s.key.arch.clone(),
                config: s.key.config.clone(),
                compiler: s.key.compiler.clone(),
                lab: ff.lab.clone(),
                last_pass_commit: s.runs[e.last_pass].checkout.commit.clone(),
                first_fail_commit: ff.checkout.commit.clone(),
                latest_status: s.runs.last().map(|r| r.status).unwrap_or(Status::Fail),
                log_url: ff.log_url.clone(),
                log_excerpt: ff.log_excerpt.clone(),
            }
        })
        .collect();
    let first_seen = eps
        .iter()
        .filter_map(|e| series[e.series].runs[e.first_fail].day())
        .min();
    let last_seen = eps
        .iter()
        .filter_map(|e| series[e.series].runs[e.last_fail].day())
        .max();
    let status = if eps.iter().all(|e| e.fixed_by.is_some()) {
        RegressionStatus::Fixed
    } else if first_seen.is_some() && first_seen == report_date {
        RegressionStatus::New
    } else {
        RegressionStatus::Ongoing
    };
    // The window every environment agrees on: the latest last-pass, the earliest first-fail.
    let last_pass = eps
        .iter()
        .map(|e| &series[e.series].runs[e.last_pass])
        .max_by_key(|r| r.checkout_time)
        .map(|r| r.checkout.clone())
        .unwrap_or_default();
    let first_fail = s0.runs[first.first_fail].checkout.clone();
    let title = match tests.as_slice() {
        [one] => format!("{one} fails"),
        many => format!("{} and {} more fail", many[0], many.len() - 1),
    };
    Regression {
        url: format!("r/{id}/"),
        id,
        status,
        title,
        tree: s0.tree_name.clone(),
        branch: Some(s0.key.branch.clone()).filter(|b| !b.is_empty()),
        repository_url: s0.repository_url.clone(),
        first_seen,
        last_seen,
        last_pass,
        first_fail,
        tests,
        occurrences,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::series::{Run, SeriesKey};

    fn series(statuses: &[Status]) -> Series {
        Series {
            key: SeriesKey {
                tree_key: "https://git.example/linux.git".into(),
                branch: "master".into(),
                test: "kselftest.net.tls".into(),
                platform: "juno-r2".into(),
                arch: "arm64".into(),
                config: "defconfig".into(),
                compiler: "gcc-14".into(),
            },
            tree_name: Some("mainline".into()),
            repository_url: Some("https://git.example/linux.git".into()),
            runs: statuses
                .iter()
                .enumerate()
                .map(|(i, &status)| Run {
                    test_id: format!("o:{i}"),
                    status,
                    checkout_time: crate::ingest::parse_time(&format!(
                        "2026-11-{:02}T00:00:00Z",
                        i + 1
                    )),
                    time: None,
                    checkout: CommitRef {
                        commit: Some(format!("c{i}")),
                        describe: Some(format!("v6.18-{i}")),
                        start_time: None,
                    },
                    lab: None,
                    log_url: None,
                    log_excerpt: None,
                })
                .collect(),
        }
    }

    use Status::*;

    #[test]
    fn pass_then_fail_opens_with_window() {
        let e = episodes(0, &series(&[Pass, Pass, Fail, Fail]));
        assert_eq!(
            e,
            vec![Episode {
                series: 0,
                last_pass: 1,
                first_fail: 2,
                last_fail: 3,
                fixed_by: None
            }]
        );
    }

    #[test]
    fn infra_statuses_never_open_and_do_not_break_windows() {
        assert!(episodes(0, &series(&[Pass, Error, Miss, Skip, Done])).is_empty());
        let e = episodes(0, &series(&[Pass, Miss, Fail]));
        assert_eq!((e[0].last_pass, e[0].first_fail), (0, 2));
    }

    #[test]
    fn fail_without_earlier_pass_opens_nothing() {
        assert!(episodes(0, &series(&[Fail, Fail, Fail])).is_empty());
    }

    #[test]
    fn recovery_closes_and_a_new_failure_reopens() {
        let e = episodes(0, &series(&[Pass, Fail, Pass, Fail]));
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].fixed_by, Some(2));
        assert_eq!((e[1].last_pass, e[1].first_fail), (2, 3));
    }

    #[test]
    fn regression_status_and_id_are_stable() {
        let s = vec![series(&[Pass, Fail, Fail])];
        let date = NaiveDate::from_ymd_opt(2026, 11, 3);
        let r = correlate(&s, date);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].status, RegressionStatus::Ongoing);
        assert_eq!(r[0].first_fail.commit.as_deref(), Some("c1"));
        assert_eq!(r[0].last_pass.commit.as_deref(), Some("c0"));
        assert_eq!(r[0].id.len(), 16);
        assert_eq!(r[0].id, correlate(&s, date)[0].id);
        let r = correlate(&s, NaiveDate::from_ymd_opt(2026, 11, 2));
        assert_eq!(r[0].status, RegressionStatus::New);
        let fixed = correlate(&[series(&[Pass, Fail, Pass])], date);
        assert_eq!(fixed[0].status, RegressionStatus::Fixed);
    }
}
