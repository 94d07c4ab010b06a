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

/// Sporadic failure rate per test path, pooled over its series on healthy boards on every tree
/// and branch, for tests that fail sporadically (short, recovered, not together with other
/// boards) on at least two boards: one board alone is that board's problem; a test that flakes
/// here and there across the fleet makes its next single failure anywhere likely noise.
pub fn test_noise(
    series: &[Series],
    facts: &[SeriesFacts],
    suspects: &BTreeSet<&str>,
) -> BTreeMap<String, f64> {
    #[derive(Default)]
    struct Pool<'a> {
        verdicts: usize,
        sporadic: usize,
        boards: BTreeSet<&'a str>,
    }
    let mut pools: rustc_hash::FxHashMap<&str, Pool> = Default::default();
    for (s, f) in series.iter().zip(facts) {
        if suspects.contains(&*s.key.platform) {
            continue;
        }
        let p = pools.entry(&s.key.test).or_default();
        p.verdicts += f.stats.verdicts;
        for st in f.sporadic() {
            p.sporadic += st.len;
            p.boards.insert(&s.key.platform);
        }
    }
    pools
        .into_iter()
        .filter(|(_, p)| p.boards.len() >= 2)
        .map(|(t, p)| (t.to_string(), p.sporadic as f64 / p.verdicts.max(1) as f64))
        .collect()
}

/// Per test path, the failure rate of its intermittent series on healthy boards, for tests
/// intermittent on two or more boards (on any branch): the same test flipping on several
/// boards is the strongest evidence that a failure of it is noise.
pub fn intermittent_rate(
    series: &[Series],
    facts: &[SeriesFacts],
    intermittent: &[Option<Intermittent>],
    suspects: &BTreeSet<&str>,
) -> BTreeMap<String, f64> {
    #[derive(Default)]
    struct Pool<'a> {
        verdicts: usize,
        fails: usize,
        boards: BTreeSet<&'a str>,
    }
    let mut pools: BTreeMap<&str, Pool> = BTreeMap::new();
    for ((s, f), why) in series.iter().zip(facts).zip(intermittent) {
        if why.is_none() || suspects.contains(&*s.key.platform) {
            continue;
        }
        let p = pools.entry(&s.key.test).or_default();
        p.verdicts += f.stats.verdicts;
        p.fails += f.noise_fails();
        p.boards.insert(&s.key.platform);
    }
    pools
        .into_iter()
        .filter(|(_, p)| p.boards.len() >= 2)
        .map(|(t, p)| (t.to_string(), p.fails as f64 / p.verdicts.max(1) as f64))
        .collect()
}
