//! Flaky tests: tests whose series are intermittent (see `flakiness`), listed per branch with
//! their evidence, and the rate at which a test fails sporadically across the fleet, which
//! makes a single failure of it elsewhere noise rather than news.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::super::facts::SeriesFacts;
use super::super::flakiness::Intermittent;
use crate::series::Series;

/// A test that fails intermittently somewhere.
#[derive(Debug, Clone, Serialize)]
pub struct FlakyTest {
    pub tree: Option<String>,
    pub branch: String,
    pub test: String,
    /// Boards where its series is intermittent.
    pub platforms: Vec<String>,
    /// Its intermittent series (board × arch × config × compiler).
    pub environments: usize,
    /// PASS and FAIL runs of those series.
    pub runs: usize,
    pub fails: usize,
    /// fails / runs over those series.
    pub failure_rate: f64,
    /// Highest flip-rate lower bound among them.
    pub flaky_score: f64,
    /// PASS<->FAIL changes over them.
    pub flips: usize,
    /// Separate failure stretches over them (passes between): the evidence of intermittency.
    pub stretches: usize,
    /// Why it is listed, one line per piece of evidence.
    pub evidence: Vec<String>,
    /// The known-issue rule it matches, if any.
    pub known_issue: Option<crate::content::KnownIssueRef>,
}

/// Every test with an intermittent series, per (tree, branch, test), with the figures of its
/// intermittent series.
pub fn flaky_tests(
    series: &[Series],
    facts: &[SeriesFacts],
    intermittent: &[Option<Intermittent>],
) -> Vec<FlakyTest> {
    #[derive(Default)]
    struct Tally<'a> {
        platforms: BTreeSet<&'a str>,
        own: BTreeMap<&'a str, usize>,
        elsewhere: BTreeSet<&'a str>,
    }
    let mut by_test: BTreeMap<(&str, &str, &str), (FlakyTest, Tally)> = BTreeMap::new();
    for ((s, f), why) in series.iter().zip(facts).zip(intermittent) {
        let Some(why) = why else { continue };
        let (t, tally) = by_test
            .entry((&s.key.tree_key, &s.key.branch, &s.key.test))
            .or_insert_with(|| {
                (
                    FlakyTest {
                        tree: s.tree_name.as_deref().map(String::from),
                        branch: s.key.branch.to_string(),
                        test: s.key.test.to_string(),
                        platforms: Vec::new(),
                        environments: 0,
                        runs: 0,
                        fails: 0,
                        failure_rate: 0.0,
                        flaky_score: 0.0,
                        flips: 0,
                        stretches: 0,
                        evidence: Vec::new(),
                        known_issue: None,
                    },
                    Tally::default(),
                )
            });
        t.environments += 1;
        t.runs += f.stats.verdicts;
        t.fails += f.stats.fails;
        t.flips += f.stats.flips;
        t.stretches += f.stretches.len();
        t.flaky_score = t.flaky_score.max(f.stats.flaky_score);
        tally.platforms.insert(&s.key.platform);
        match why {
            Intermittent::Own { stretches } => {
                let n = tally.own.entry(&s.key.platform).or_default();
                *n = (*n).max(*stretches);
            }
            Intermittent::Fleet { elsewhere, .. } => {
                tally.elsewhere.extend(elsewhere.iter().map(String::as_str));
            }
        }
    }
    by_test
        .into_values()
        .map(|(mut t, tally)| {
            t.platforms = tally.platforms.iter().map(|p| p.to_string()).collect();
            t.failure_rate = t.fails as f64 / t.runs.max(1) as f64;
            for (board, n) in &tally.own {
                t.evidence.push(format!(
                    "fails in {n} separate stretches with passes between them on {board}"
                ));
            }
            let elsewhere: Vec<&str> = tally
                .elsewhere
                .iter()
                .copied()
                .filter(|b| !tally.own.contains_key(b))
                .collect();
            if !elsewhere.is_empty() {
                t.evidence.push(format!(
                    "fails in separate stretches here too, and is intermittent on {}",
                    elsewhere.join(", ")
                ));
            }
            t
        })
        .collect()
}

/// How one test fails as noise on each board: per board, (noise failures, verdicts). A
/// series' test noise leaves its own board out (see `NoisePool::rate_besides`), so a short
/// real regression on two boards is not its own evidence of noise.
#[derive(Debug, Clone, Default)]
pub struct NoisePool {
    boards: BTreeMap<String, (usize, usize)>,
    /// Sums over every board (failures, verdicts, boards with failures), so the rate besides
    /// one board is a subtraction: it is asked once per series, and a test runs on hundreds
    /// of boards in a large lab.
    totals: (usize, usize, usize),
}

impl NoisePool {
    /// Counts `fails` noise failures out of `verdicts` on `board`.
    fn add(&mut self, board: &str, fails: usize, verdicts: usize) {
        let b = self.boards.entry(board.to_string()).or_default();
        if b.0 == 0 && fails > 0 {
            self.totals.2 += 1;
        }
        b.0 += fails;
        b.1 += verdicts;
        self.totals.0 += fails;
        self.totals.1 += verdicts;
    }

    /// The noise rate on the boards other than `board`, when two or more of them show noise.
    pub fn rate_besides(&self, board: &str) -> f64 {
        let (own_fails, own_verdicts) = self.boards.get(board).copied().unwrap_or_default();
        let (fails, verdicts, noisy) = self.totals;
        if noisy - usize::from(own_fails > 0) < 2 {
            return 0.0;
        }
        (fails - own_fails) as f64 / (verdicts - own_verdicts).max(1) as f64
    }
}

/// Sporadic failures per test on one branch, per healthy board (short, recovered, not together
/// with other boards). Pooled per branch, not across trees: a test flaking now and then
/// elsewhere must not hide a bug that several boards show here.
pub fn test_noise(
    series: &[Series],
    facts: &[SeriesFacts],
    suspects: &BTreeSet<&str>,
) -> BTreeMap<(String, String, String), NoisePool> {
    let mut pools: BTreeMap<(String, String, String), NoisePool> = BTreeMap::new();
    let mut noisy: BTreeSet<(&str, &str, &str)> = BTreeSet::new();
    for (s, f) in series.iter().zip(facts) {
        if f.sporadic().next().is_some() && !suspects.contains(&*s.key.platform) {
            noisy.insert((&s.key.tree_key, &s.key.branch, &s.key.test));
        }
    }
    for (s, f) in series.iter().zip(facts) {
        let key = (&*s.key.tree_key, &*s.key.branch, &*s.key.test);
        if !noisy.contains(&key) || suspects.contains(&*s.key.platform) {
            continue;
        }
        let pool = pools
            .entry((key.0.to_string(), key.1.to_string(), key.2.to_string()))
            .or_default();
        pool.add(
            &s.key.platform,
            f.sporadic().map(|st| st.len).sum::<usize>(),
            f.stats.verdicts,
        );
    }
    pools.retain(|_, p| p.totals.2 >= 2);
    pools
}

/// Per test path, the failures of its intermittent series on healthy boards (any branch), per
/// board: the same test flipping on several other boards is the strongest evidence that a
/// failure of it is noise.
pub fn intermittent_rate(
    series: &[Series],
    facts: &[SeriesFacts],
    intermittent: &[Option<Intermittent>],
    suspects: &BTreeSet<&str>,
) -> BTreeMap<String, NoisePool> {
    let mut pools: BTreeMap<String, NoisePool> = BTreeMap::new();
    for ((s, f), why) in series.iter().zip(facts).zip(intermittent) {
        if why.is_none() || suspects.contains(&*s.key.platform) {
            continue;
        }
        let pool = pools.entry(s.key.test.to_string()).or_default();
        pool.add(&s.key.platform, f.noise_fails(), f.stats.verdicts);
    }
    pools.retain(|_, p| p.boards.len() >= 2);
    pools
}
