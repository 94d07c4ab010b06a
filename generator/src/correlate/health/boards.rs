//! Suspect boards: boards whose failures point at the hardware or the lab, not the kernel.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::super::facts::SeriesFacts;
use super::jobs::JobTally;
use crate::series::Series;

/// A board with sporadic failures in this many tests nobody else sees fail is suspect.
pub const SUSPECT_BOARD_TESTS: usize = 3;

/// A board whose failures point at the hardware or the lab, not the kernel.
#[derive(Debug, Clone, Serialize)]
pub struct SuspectBoard {
    pub platform: String,
    pub labs: Vec<String>,
    /// Tests that failed sporadically on this board and on no other.
    pub sporadic_tests: Vec<String>,
    pub sporadic_failures: usize,
    /// Jobs on this board where many unrelated tests failed at once.
    pub mass_failure_jobs: usize,
    pub runs: usize,
}

/// Boards whose failures do not follow the kernel.
pub fn suspect_boards(
    series: &[Series],
    facts: &[SeriesFacts],
    jobs: &[JobTally],
    mass: &[bool],
) -> Vec<SuspectBoard> {
    // test -> boards with sporadic failures of it; board -> (tests, failures)
    let mut test_boards: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut board_sporadic: BTreeMap<&str, (BTreeSet<&str>, usize)> = BTreeMap::new();
    for (s, f) in series.iter().zip(facts) {
        {
            for st in f.sporadic() {
                test_boards
                    .entry(&s.key.test)
                    .or_default()
                    .insert(&s.key.platform);
                let e = board_sporadic.entry(&s.key.platform).or_default();
                e.0.insert(&s.key.test);
                e.1 += st.len;
            }
        }
    }
    let mut runs: BTreeMap<&str, (usize, BTreeSet<String>)> = BTreeMap::new();
    for s in series {
        let e = runs.entry(&s.key.platform).or_default();
        e.0 += s.runs.len();
        e.1.extend(s.lab.as_deref().map(String::from));
    }
    let mut mass_per_board: rustc_hash::FxHashMap<&str, usize> = Default::default();
    for (job, _) in jobs.iter().zip(mass).filter(|(_, mass)| **mass) {
        let platform = &*series[job.series as usize].key.platform;
        *mass_per_board.entry(platform).or_default() += 1;
    }
    let mut out = Vec::new();
    for (board, (tests, failures)) in board_sporadic {
        let unique: Vec<String> = tests
            .iter()
            .filter(|t| test_boards[**t].len() == 1)
            .map(|t| t.to_string())
            .collect();
        let mass_jobs = mass_per_board.get(board).copied().unwrap_or(0);
        if unique.len() >= SUSPECT_BOARD_TESTS || mass_jobs >= 2 {
            let (n, labs) = runs.remove(board).unwrap_or_default();
            out.push(SuspectBoard {
                platform: board.to_string(),
                labs: labs.into_iter().collect(),
                sporadic_tests: unique,
                sporadic_failures: failures,
                mass_failure_jobs: mass_jobs,
                runs: n,
            });
        }
    }
    out
}
