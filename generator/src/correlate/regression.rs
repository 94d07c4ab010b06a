//! What correlation hands on: a kernel regression, the environments it shows up in, and its
//! permalink id.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::model::Status;
use crate::series::CommitRef;

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
    /// Was fixed, fails again.
    Reopened,
    /// Seen failing in one run on one board, with no second run, second environment or crash
    /// signature behind it yet: listed apart, not published as a regression until confirmed.
    Unconfirmed,
}

impl RegressionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RegressionStatus::New => "new",
            RegressionStatus::Ongoing => "ongoing",
            RegressionStatus::Fixed => "fixed",
            RegressionStatus::Reopened => "reopened",
            RegressionStatus::Unconfirmed => "unconfirmed",
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
    /// The CI system that ran it (KCIDB origin of the checkout), when known.
    pub origin: Option<String>,
    pub last_pass_commit: Option<String>,
    pub first_fail_commit: Option<String>,
    /// Status of the series' newest run.
    pub latest_status: Status,
    /// Flip-rate lower bound of the series (0 = steady; see README).
    pub flaky_score: f64,
    /// The series is intermittent (fails in separate stretches; see `flakiness`): this
    /// environment's failures are only a regression because they are a lasting change.
    pub intermittent: bool,
    /// Why its failures are a change rather than its usual noise (one sentence).
    pub change: String,
    /// Crash title found in this environment's failing logs.
    pub signature: Option<String>,
    /// Log of the first failing run.
    #[serde(skip)]
    pub log_url: Option<String>,
    #[serde(skip)]
    pub log_excerpt: Option<String>,
    /// The series' most recent runs, oldest first (for history strips).
    #[serde(skip)]
    pub recent: Vec<RecentRun>,
}

/// One run of a history strip: its status and which run it is.
#[derive(Debug, Clone)]
pub struct RecentRun {
    pub status: Status,
    /// The tested commit: its hash and `git describe` name, when known.
    pub commit: Option<String>,
    pub describe: Option<String>,
    /// The day it counts for (`YYYY-MM-DD`).
    pub day: Option<String>,
    /// Its log (FAIL and ERROR runs keep one).
    pub log_url: Option<String>,
}

/// A KCIDB issue attached (through incidents) to a regression's failing tests.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct KcidbIssueRef {
    pub id: String,
    pub version: Option<i64>,
    pub origin: Option<String>,
    pub comment: Option<String>,
    pub report_url: Option<String>,
    pub report_subject: Option<String>,
    pub culprit: Option<crate::model::Culprit>,
    pub categories: Vec<String>,
    /// Failing runs of this regression the issue was seen in.
    pub incidents: usize,
}

/// What confirmed a regression, and when: the evidence that lets it be published.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Confirmation {
    /// The day the evidence was complete (the night it could first be published).
    pub day: Option<NaiveDate>,
    /// `a second failing run`, `a second environment` or `a crash signature`.
    pub by: String,
}

/// Where the fix came in: last failing commit .. first passing commit.
#[derive(Debug, Clone, Serialize)]
pub struct FixWindow {
    pub last_fail: CommitRef,
    pub first_pass: CommitRef,
}

/// Which environments a regression hits.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Scope {
    /// `all` (every board that ran it), `board`, `arch`, `config`, `compiler`, or `partial`.
    pub kind: &'static str,
    /// The one board/arch/config/compiler, for those kinds.
    pub value: Option<String>,
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
    pub signature: Option<String>,
    pub scope: Scope,
    pub fixed_in: Option<FixWindow>,
    /// Tests that did not run (MISS) because this regression's boot failure stopped them:
    /// one problem, not hundreds.
    pub explained_misses: usize,
    /// The first known-issue rule its failures match (from `content/known-issues.toml`).
    pub known_issue: Option<crate::content::KnownIssueRef>,
    /// What maintainers wrote about it (`content/regressions/<id>.md`).
    pub annotations: Option<crate::content::Annotation>,
    /// KCIDB issues whose incidents name its failing tests.
    pub kcidb_issues: Vec<KcidbIssueRef>,
    /// What confirmed it (`None`: unconfirmed).
    pub confirmed: Option<Confirmation>,
    /// Why it is one regression and what else happened in its window, one sentence each, for
    /// its page: which rule grouped its tests, which co-failures were kept apart and why.
    pub evidence: Vec<String>,
    /// Id hashes of the failing runs (to attach KCIDB incidents).
    #[serde(skip)]
    pub failing_tests: Vec<u64>,
    /// KCIDB ids of the failing runs read from KCIDB, sorted (the incidents
    /// `api/v1/kcidb.json` links a published regression's issue to).
    #[serde(skip)]
    pub kcidb_runs: Vec<String>,
    /// Identity used to recognise it on later nights (see `ledger`).
    #[serde(skip)]
    pub tree_key: String,
}

impl Regression {
    /// Whether it is published as a regression (confirmed), not listed apart.
    pub fn is_published(&self) -> bool {
        self.status != RegressionStatus::Unconfirmed
    }

    /// Number of distinct boards it was seen on.
    pub fn board_count(&self) -> usize {
        self.occurrences
            .iter()
            .map(|o| o.platform.as_str())
            .collect::<BTreeSet<_>>()
            .len()
    }
}

/// The permalink id: 16 hex digits (64 bits) of a hash of what never changes for this
/// regression; collisions are negligible at millions, and it is URL-safe whatever the data.
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
