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
pub use flaky_tests::{FlakyTest, NoisePool};
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
    /// Per (tree key, branch, test): its sporadic failures on healthy boards, per board, when
    /// two or more boards show them (a flaky test).
    #[serde(skip)]
    pub test_noise: BTreeMap<(String, String, String), NoisePool>,
    /// Per test path: the failures of its intermittent series, per healthy board, when it is
    /// intermittent on two or more (on any branch): one failure of it elsewhere is then likely
    /// the same noise.
    #[serde(skip)]
    pub intermittent_rate: BTreeMap<String, NoisePool>,
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

    /// [`Self::test_noise`] and [`Self::intermittent_rate`] looked up by borrowed keys.
    pub fn noise_index(&self) -> NoiseIndex<'_> {
        NoiseIndex {
            sporadic: self
                .test_noise
                .iter()
                .map(|((t, b, n), p)| ((t.as_str(), b.as_str(), n.as_str()), p))
                .collect(),
            intermittent: self
                .intermittent_rate
                .iter()
                .map(|(t, p)| (t.as_str(), p))
                .collect(),
        }
    }
}

/// The noise of each noisy test: its sporadic failures on its branch, and its failures where it
/// is intermittent (across the fleet), per board.
pub struct NoiseIndex<'h> {
    sporadic: rustc_hash::FxHashMap<(&'h str, &'h str, &'h str), &'h NoisePool>,
    intermittent: rustc_hash::FxHashMap<&'h str, &'h NoisePool>,
}

impl NoiseIndex<'_> {
    /// The rate at which a series' test fails as noise on the other boards (the higher of its
    /// sporadic rate on the branch and its rate where it is intermittent): the series' own
    /// board is left out, so its own failures are never their own excuse.
    pub fn of(&self, s: &Series) -> f64 {
        let key = (&*s.key.tree_key, &*s.key.branch, &*s.key.test);
        let board = &*s.key.platform;
        let sporadic = self
            .sporadic
            .get(&key)
            .map_or(0.0, |p| p.rate_besides(board));
        let intermittent = self
            .intermittent
            .get(&*s.key.test)
            .map_or(0.0, |p| p.rate_besides(board));
        sporadic.max(intermittent)
    }
}

/// Runs every health check.
pub fn analyse(
    series: &[Series],
    facts: &[SeriesFacts],
    intermittent: &[Option<Intermittent>],
) -> Health {
    let tally = jobs::job_tallies(series);
    let jobs = &tally.tallies;
    let mass_failure_jobs: Vec<bool> = jobs
        .iter()
        .map(|j| {
            let failed = j.failed as usize;
            failed >= MASS_FAILURE_TESTS && failed * 2 >= j.verdicts as usize
        })
        .collect();
    // Boards, then test noise depend on each other; the rest is independent and runs beside
    // them.
    let (
        (suspect_boards, test_noise, intermittent_rate),
        (flaky_tests, (lab_outages, always_failing)),
    ) = rayon::join(
        || {
            let suspect_boards = boards::suspect_boards(series, facts, jobs, &mass_failure_jobs);
            let suspects: BTreeSet<&str> =
                suspect_boards.iter().map(|b| b.platform.as_str()).collect();
            let test_noise = flaky_tests::test_noise(series, facts, &suspects);
            let intermittent_rate =
                flaky_tests::intermittent_rate(series, facts, intermittent, &suspects);
            (suspect_boards, test_noise, intermittent_rate)
        },
        || {
            rayon::join(
                || flaky_tests::flaky_tests(series, facts, intermittent),
                || {
                    (
                        labs::lab_outages(&tally),
                        always_failing::always_failing(series, facts),
                    )
                },
            )
        },
    );
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
