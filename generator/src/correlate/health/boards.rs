//! Suspect boards: boards whose failures do not follow the kernel.
//!
//! A failure follows the kernel when the same commit fails the same test on the other boards
//! of its architecture too; it follows the board when they pass it ("board-only"). A broken
//! board fails whatever it runs, so its board-only failures are many and scattered; a board
//! that merely runs more, or runs tests that are flaky everywhere, or has one test that always
//! fails on its hardware (a CPU-vulnerability check, a missing device), is not broken.
//!
//! So only tests that are quiet on the other boards count (they fail there board-only less than
//! [`QUIET_RATE`] of their runs, add-one smoothed so a test seldom run elsewhere is not taken
//! for quiet), each at most twice (a test failing board-only every run weighs no more than two
//! one-offs), and each is expected to fail board-only as often as it does on the other boards
//! of the architecture, given how often this board ran it. A board is suspect
//! when its count is at least [`SUSPECT_RATE_FACTOR`] times that expectation, chance would
//! rarely reach it ([`SUSPECT_ALPHA`], normal approximation), and it is scattered: at least
//! [`SUSPECT_BOARD_TESTS`] tests of [`SUSPECT_BOARD_FAMILIES`] families failed that way once or
//! twice. Comparing within an architecture keeps arch-specific kernel bugs from blaming the
//! board.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::super::chance::{capped_poisson, normal_tail};
use super::super::facts::SeriesFacts;
use super::super::families::family;
use super::jobs::JobTally;
use crate::model::Status;
use crate::series::Series;

/// How many times its expected (capped) board-only failures a suspect board must have...
pub const SUSPECT_RATE_FACTOR: f64 = 2.0;
/// ... with chance reaching that count below this.
pub const SUSPECT_ALPHA: f64 = 0.001;
/// Scattered: at least this many tests failed board-only once or twice (a broken board fails
/// whatever runs; a board-specific test bug, like a CPU-vulnerability check, fails the same
/// test every run), of at least this many families.
pub const SUSPECT_BOARD_TESTS: usize = 5;
pub const SUSPECT_BOARD_FAMILIES: usize = 3;
/// "Once or twice": a test failing board-only at most this often on the board.
const ONE_OFF: usize = 2;
/// A test is quiet elsewhere when the other boards fail it board-only less often than this.
pub const QUIET_RATE: f64 = 0.01;

/// A board whose failures point at the hardware or the lab, not the kernel.
#[derive(Debug, Clone, Serialize)]
pub struct SuspectBoard {
    pub platform: String,
    pub labs: Vec<String>,
    /// Tests it failed at a commit where another board of its architecture passed them.
    pub sporadic_tests: Vec<String>,
    /// Its failures at commits where another board of its architecture passed the test.
    pub sporadic_failures: usize,
    /// Jobs on this board where many unrelated tests failed at once.
    pub mass_failure_jobs: usize,
    /// Its PASS and FAIL runs.
    pub runs: usize,
    /// `sporadic_failures / runs`.
    pub failure_rate: f64,
    /// Its board-only failures with each test counted at most twice ...
    pub counted: usize,
    /// ... and what its tests' rates on the other boards give for that count.
    pub expected: f64,
    /// Families of `sporadic_tests`.
    pub families: usize,
    /// Why it is suspect, one sentence each.
    pub evidence: Vec<String>,
}

/// What one board's runs add up to.
#[derive(Default)]
struct BoardTally<'a> {
    verdicts: usize,
    board_only: usize,
    tests: BTreeSet<&'a str>,
    labs: BTreeSet<&'a str>,
    /// Per test path (its index in the sorted list of paths): (verdicts, board-only
    /// failures) on this board. Indexes, not strings: there is one entry per series.
    per_test: rustc_hash::FxHashMap<u32, (usize, usize)>,
}

/// Per board of one test group: (board, verdicts, board-only failures).
type GroupTally<'s> = Vec<(&'s str, usize, usize)>;

/// Per board of one (tree, branch, test) group: its verdicts and its failures at commits where
/// another board of the same architecture passed the test.
fn group_tally<'s>(
    series: &'s [Series],
    facts: &[SeriesFacts],
    members: &[usize],
) -> GroupTally<'s> {
    // Boards and architectures by index (a group's series are one test on one branch, so
    // boards are a few thousand at most, architectures a handful): tables, not maps, since
    // every run of the group is looked at.
    let (names, board_of) = crate::series::group_boards(series, members);
    let mut archs: Vec<&str> = Vec::new();
    let at: Vec<(usize, usize)> = members
        .iter()
        .zip(board_of)
        .map(|(&i, board)| {
            let s = &series[i];
            let arch = match archs.iter().position(|a| *a == &*s.key.arch) {
                Some(a) => a,
                None => {
                    archs.push(&s.key.arch);
                    archs.len() - 1
                }
            };
            (board, arch)
        })
        .collect();
    // Per board: (verdicts, board-only failures); emitted in name order.
    let mut out: Vec<(usize, usize)> = vec![(0, 0); names.len()];
    for (&i, &(b, _)) in members.iter().zip(&at) {
        out[b].0 += facts[i].stats.verdicts;
    }
    let emit = |out: Vec<(usize, usize)>| {
        names
            .iter()
            .zip(out)
            .map(|(&name, (v, f))| (name, v, f))
            .collect()
    };
    if members.iter().all(|&i| facts[i].stats.fails == 0) {
        return emit(out);
    }
    // Only the places (position, arch) where a member failed matter: there, the first board
    // that passed, and whether another one did too (one that is not the failing board is all
    // a failure asks for). Positions are dense on a branch: one row per position.
    let (lo, hi) = crate::series::group_span(series, members);
    const UNSEEN: usize = usize::MAX;
    #[derive(Clone, Copy)]
    struct Place {
        failed_here: bool,
        first: usize,
        another: bool,
    }
    let cells = (hi.saturating_sub(lo) as usize + 1) * archs.len();
    let mut places = vec![
        Place {
            failed_here: false,
            first: UNSEEN,
            another: false,
        };
        cells
    ];
    let cell = |pos: u32, arch: usize| (pos - lo) as usize * archs.len() + arch;
    let failing = || {
        members
            .iter()
            .zip(&at)
            .filter(|&(&i, _)| facts[i].stats.fails > 0)
    };
    for (&i, &(_, arch)) in failing() {
        for r in series[i].runs.iter().filter(|r| r.status == Status::Fail) {
            places[cell(r.pos, arch)].failed_here = true;
        }
    }
    for (&i, &(board, arch)) in members.iter().zip(&at) {
        for r in series[i].runs.iter().filter(|r| r.status == Status::Pass) {
            let p = &mut places[cell(r.pos, arch)];
            if !p.failed_here {
                continue;
            }
            match p.first {
                UNSEEN => p.first = board,
                first if first != board => p.another = true,
                _ => {}
            }
        }
    }
    for (&i, &(board, arch)) in failing() {
        let alone = series[i]
            .runs
            .iter()
            .filter(|r| r.status == Status::Fail)
            .filter(|r| {
                let p = &places[cell(r.pos, arch)];
                p.first != UNSEEN && (p.first != board || p.another)
            })
            .count();
        out[board].1 += alone;
    }
    emit(out)
}

/// Boards whose failures do not follow the kernel (see the module doc).
pub fn suspect_boards(
    series: &[Series],
    facts: &[SeriesFacts],
    jobs: &[JobTally],
    mass: &[bool],
) -> Vec<SuspectBoard> {
    use rayon::prelude::*;
    let groups = crate::series::groups_by_test(series);
    let tallies: Vec<(usize, GroupTally)> = groups
        .par_iter()
        .map(|members| (members[0], group_tally(series, facts, members)))
        .collect();
    // Test paths by index, in their order (a path is tested on several trees).
    let mut paths: Vec<&str> = tallies
        .iter()
        .map(|(start, _)| &*series[*start].key.test)
        .collect();
    paths.par_sort_unstable();
    paths.dedup();
    let mut boards: rustc_hash::FxHashMap<&str, BoardTally> = Default::default();
    for (start, t) in &tallies {
        let test: &str = &series[*start].key.test;
        let id = paths.binary_search(&test).expect("every path is listed") as u32;
        for &(board, verdicts, alone) in t {
            let b = boards.entry(board).or_default();
            b.verdicts += verdicts;
            b.board_only += alone;
            if alone > 0 {
                b.tests.insert(test);
            }
            let t = b.per_test.entry(id).or_default();
            t.0 += verdicts;
            t.1 += alone;
        }
    }
    for s in series {
        if let (Some(b), Some(lab)) = (boards.get_mut(&*s.key.platform), s.lab.as_deref()) {
            b.labs.insert(lab);
        }
    }
    let mut mass_per_board: BTreeMap<&str, usize> = BTreeMap::new();
    for (job, _) in jobs.iter().zip(mass).filter(|(_, mass)| **mass) {
        *mass_per_board
            .entry(&series[job.series as usize].key.platform)
            .or_default() += 1;
    }
    // Per test path, over every board: (verdicts, board-only failures).
    let mut per_test: Vec<(usize, usize)> = vec![(0, 0); paths.len()];
    for b in boards.values() {
        for (&t, (v, f)) in &b.per_test {
            let e = &mut per_test[t as usize];
            e.0 += v;
            e.1 += f;
        }
    }
    let mut boards: Vec<(&str, BoardTally)> = boards.into_iter().collect();
    boards.sort_unstable_by_key(|(board, _)| *board);
    let mut out = Vec::new();
    for (board, b) in &boards {
        // Its tests in path order, so the sums below come out the same on every run.
        let mut tests: Vec<(u32, (usize, usize))> =
            b.per_test.iter().map(|(&t, &c)| (t, c)).collect();
        tests.sort_unstable_by_key(|(t, _)| *t);
        // Quiet tests only (those that rarely fail board-only on the other boards, add-one
        // smoothed so a test seldom run elsewhere is not taken for quiet), each counted at most
        // twice, against what its rate on the other boards gives for this board's runs.
        let (mut observed, mut expected, mut variance) = (0usize, 0.0, 0.0);
        let mut one_offs: Vec<&str> = Vec::new();
        for (t, (v, f)) in tests {
            let (all_v, all_f) = per_test[t as usize];
            let t = paths[t as usize];
            let rate = ((all_f - f) as f64 + 1.0) / ((all_v - v) as f64 + 2.0);
            if rate >= QUIET_RATE {
                continue;
            }
            let (mean, var) = capped_poisson(v as f64 * rate);
            observed += f.min(2);
            expected += mean;
            variance += var;
            if (1..=ONE_OFF).contains(&f) {
                one_offs.push(t);
            }
        }
        let chance = match variance > 0.0 {
            true => normal_tail((observed as f64 - expected) / variance.sqrt()),
            false => f64::from(u8::from(observed == 0)),
        };
        let families: BTreeSet<String> = one_offs.iter().map(|t| family(t)).collect();
        let suspect = observed as f64 >= SUSPECT_RATE_FACTOR * expected
            && chance < SUSPECT_ALPHA
            && one_offs.len() >= SUSPECT_BOARD_TESTS
            && families.len() >= SUSPECT_BOARD_FAMILIES;
        if !suspect {
            continue;
        }
        let rate = b.board_only as f64 / b.verdicts.max(1) as f64;
        let mass_jobs = mass_per_board.get(board).copied().unwrap_or(0);
        let mut evidence = vec![
            format!(
                "it failed tests that another board of its architecture passed at the same \
                 commit {observed} times (each test counted at most twice), where its tests, run \
                 as often on the other boards, give {expected:.1} (chance of this many: \
                 {chance:.0e})"
            ),
            format!(
                "they are scattered: {} tests of {} families failed that way only once or twice, \
                 not one bug failing every run",
                one_offs.len(),
                families.len()
            ),
        ];
        if mass_jobs > 0 {
            evidence.push(format!(
                "{mass_jobs} of its jobs failed many unrelated tests at once"
            ));
        }
        out.push(SuspectBoard {
            platform: board.to_string(),
            labs: b.labs.iter().map(|l| l.to_string()).collect(),
            sporadic_tests: b.tests.iter().map(|t| t.to_string()).collect(),
            sporadic_failures: b.board_only,
            mass_failure_jobs: mass_jobs,
            runs: b.verdicts,
            failure_rate: rate,
            counted: observed,
            expected,
            families: families.len(),
            evidence,
        });
    }
    out
}
