//! Test and hardware health: flaky tests, suspect boards, lab outages, always-failing tests.
//!
//! These are what must *not* become kernel regressions, listed with their evidence so a
//! maintainer can see why something was kept off the front page.

mod always_failing;
mod boards;
mod flaky_tests;
mod jobs;
mod labs;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::facts::SeriesFacts;
use super::flakiness::Intermittent;
use crate::series::{Run, Series};

pub use always_failing::AlwaysFailing;
pub use boards::SuspectBoard;
pub use flaky_tests::FlakyTest;
pub use labs::{LabOutage, OUTAGE_MIN_JOBS};

/// A job (one kernel booted on one board) failing at least this many tests, and at least half
/// of what it ran, failed "many unrelated tests at once".
pub const MASS_FAILURE_TESTS: usize = 5;

/// Everything health analysis found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Health {
    pub flaky_tests: Vec<FlakyTest>,
    pub suspect_boards: Vec<SuspectBoard>,
    pub lab_outages: Vec<LabOutage>,
    pub always_failing: Vec<AlwaysFailing>,
    /// Per job (see `Run::job`): it failed many tests at once.
    #[serde(skip)]
    pub mass_failure_jobs: Vec<bool>,
    /// Per job: its MISS runs (a failed boot explains them).
    #[serde(skip)]
    pub misses_per_job: Vec<u32>,
    /// Per test path: the rate of its sporadic failures on healthy boards (every tree), when
    /// two or more boards show them (a flaky test); absent means 0.
    #[serde(skip)]
    pub test_noise: BTreeMap<String, f64>,
    /// Per test path: the failure rate of its intermittent series, when it is intermittent on
    /// two or more healthy boards (on any branch): one failure of it anywhere is then likely
    /// the same noise.
    #[serde(skip)]
    pub intermittent_rate: BTreeMap<String, f64>,
}

impl Health {
    pub fn is_suspect(&self, platform: &str) -> bool {
        self.suspect_boards.iter().any(|b| b.platform == platform)
    }

    /// Whether the job a run belongs to failed many tests at once.
    pub fn in_mass_failure(&self, r: &Run) -> bool {
        r.job().is_some_and(|j| self.mass_failure_jobs[j])
    }

    /// The MISS runs of the job a run belongs to.
    pub fn misses_in_job(&self, r: &Run) -> usize {
        r.job().map_or(0, |j| self.misses_per_job[j] as usize)
    }

    /// [`Self::test_noise`] looked up by borrowed keys, for lookups per series.
    pub fn noise_index(&self) -> NoiseIndex<'_> {
        NoiseIndex {
            sporadic: self
                .test_noise
                .iter()
                .map(|(t, &rate)| (t.as_str(), rate))
                .collect(),
            intermittent: self
                .intermittent_rate
                .iter()
                .map(|(t, &rate)| (t.as_str(), rate))
                .collect(),
        }
    }
}

/// The noise rate of each noisy test: its sporadic failures across the fleet, and its failure
/// rate where it is intermittent.
pub struct NoiseIndex<'h> {
    sporadic: rustc_hash::FxHashMap<&'h str, f64>,
    intermittent: rustc_hash::FxHashMap<&'h str, f64>,
}

impl NoiseIndex<'_> {
    /// The rate at which a series' test fails as noise elsewhere (see `Health::test_noise` and
    /// `Health::intermittent_rate`), the higher of the two.
    pub fn of(&self, s: &Series) -> f64 {
        let sporadic = self.sporadic.get(&*s.key.test).copied().unwrap_or(0.0);
        let intermittent = self.intermittent.get(&*s.key.test).copied().unwrap_or(0.0);
        sporadic.max(intermittent)
    }
}

/// Runs every health check.
pub fn analyse(
    series: &[Series],
    facts: &[SeriesFacts],
    intermittent: &[Option<Intermittent>],
) -> Health {
    let jobs = jobs::job_tallies(series);
    let mass_failure_jobs: Vec<bool> = jobs
        .iter()
        .map(|j| {
            let failed = j.failed as usize;
            failed >= MASS_FAILURE_TESTS && failed * 2 >= j.verdicts as usize
        })
        .collect();
    // Boards, then test noise, then flaky tests depend on each other; the rest is
    // independent and runs beside them.
    let (boards, (lab_outages, always_failing)) = rayon::join(
        || {
            let suspect_boards = boards::suspect_boards(series, facts, &jobs, &mass_failure_jobs);
            let suspects: BTreeSet<&str> =
                suspect_boards.iter().map(|b| b.platform.as_str()).collect();
            let test_noise = flaky_tests::test_noise(series, facts, &suspects);
            let intermittent_rate =
                flaky_tests::intermittent_rate(series, facts, intermittent, &suspects);
            let flaky_tests = flaky_tests::flaky_tests(series, facts, intermittent);
            (suspect_boards, (test_noise, intermittent_rate), flaky_tests)
        },
        || {
            rayon::join(
                || labs::lab_outages(series, &jobs),
                || always_failing::always_failing(series, facts),
            )
        },
    );
    let (suspect_boards, (test_noise, intermittent_rate), flaky_tests) = boards;
    let misses_per_job = jobs.iter().map(|j| j.misses).collect();
    Health {
        flaky_tests,
        lab_outages,
        misses_per_job,
        always_failing,
        suspect_boards,
        mass_failure_jobs,
        test_noise,
        intermittent_rate,
    }
}
