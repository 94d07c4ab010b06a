//! Which series are intermittent (flaky), from the whole history and the whole fleet.
//!
//! A series is intermittent when it fails in several *separate* stretches with passes between
//! them, not counting stretches that started together with other environments (those are code
//! changes): a regression fails once and stays failed until it is fixed; a flaky test keeps
//! coming back. Its own history decides with [`OWN_STRETCHES`] separate stretches; with fewer,
//! the fleet decides: two separate stretches are enough when the same test is intermittent on
//! its own evidence elsewhere (another board, or the same board on another branch or config).
//! The same test flipping on several boards is the stronger evidence, so it lowers the bar.
//!
//! Being intermittent keeps a series' failures off the regression list unless one of them is a
//! lasting change of its failure rate (see `stretch::change`), and puts it on the flaky list
//! with its evidence.

use std::collections::BTreeSet;

use serde::Serialize;

use super::facts::{FleetNoise, SeriesFacts};
use crate::series::Series;

/// Separate failure stretches that make a series intermittent on its own evidence.
pub const OWN_STRETCHES: usize = 3;
/// Separate failure stretches that make it intermittent when the test is elsewhere.
pub const FLEET_STRETCHES: usize = 2;

/// Why a series is intermittent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "evidence", rename_all = "snake_case")]
pub enum Intermittent {
    /// It failed in this many separate stretches.
    Own { stretches: usize },
    /// It failed in this many separate stretches, and the same test is intermittent on its
    /// own evidence in these other environments (board names, or `board (branch)`).
    Fleet {
        stretches: usize,
        elsewhere: Vec<String>,
    },
}

/// Separate failure stretches of a series that are noise (not synchronised code changes).
fn noise_stretches(f: &SeriesFacts) -> usize {
    f.noise_stretches().count()
}

/// The intermittency verdict of every series, in series order.
pub fn intermittency(series: &[Series], facts: &[SeriesFacts]) -> Vec<Option<Intermittent>> {
    // Tests intermittent on their own evidence, with where: (test, board, branch, config).
    let mut own: rustc_hash::FxHashMap<&str, BTreeSet<(&str, &str, &str)>> = Default::default();
    for (s, f) in series.iter().zip(facts) {
        if noise_stretches(f) >= OWN_STRETCHES {
            own.entry(&s.key.test).or_default().insert((
                &s.key.platform,
                &s.key.branch,
                &s.key.config,
            ));
        }
    }
    // One verdict per series of the history: over the cores, in series order.
    use rayon::prelude::*;
    series
        .par_iter()
        .zip(facts)
        .map(|(s, f)| {
            let stretches = noise_stretches(f);
            if stretches >= OWN_STRETCHES {
                return Some(Intermittent::Own { stretches });
            }
            if stretches < FLEET_STRETCHES {
                return None;
            }
            let here = (&*s.key.platform, &*s.key.branch, &*s.key.config);
            let elsewhere: BTreeSet<String> = own
                .get(&*s.key.test)?
                .iter()
                .filter(|w| **w != here)
                .map(|&(board, branch, _)| match board == here.0 {
                    true => format!("{board} ({branch})"),
                    false => board.to_string(),
                })
                .collect();
            (!elsewhere.is_empty()).then(|| Intermittent::Fleet {
                stretches,
                elsewhere: elsewhere.into_iter().collect(),
            })
        })
        .collect()
}

/// The usual failure rate and cling of each test intermittent on two or more boards, pooled
/// over its intermittent series (any branch): how that test's noise behaves, for boards too
/// young to know (see `facts::resync`).
pub fn fleet_noise<'s>(
    series: &'s [Series],
    facts: &[SeriesFacts],
    intermittent: &[Option<Intermittent>],
) -> FleetNoise<'s> {
    #[derive(Default)]
    struct Pool<'a> {
        verdicts: usize,
        fails: usize,
        stuck: usize,
        followed: usize,
        boards: BTreeSet<&'a str>,
    }
    let mut pools: rustc_hash::FxHashMap<&str, Pool> = Default::default();
    for ((s, f), why) in series.iter().zip(facts).zip(intermittent) {
        if why.is_none() {
            continue;
        }
        let p = pools.entry(&s.key.test).or_default();
        p.verdicts += f.stats.verdicts;
        p.fails += f.noise_fails();
        p.stuck += f.stats.stuck;
        p.followed += f.stats.followed;
        p.boards.insert(&s.key.platform);
    }
    pools
        .into_iter()
        .filter(|(_, p)| p.boards.len() >= 2)
        .map(|(t, p)| {
            let rate = (p.fails as f64 + 1.0) / (p.verdicts as f64 + 2.0);
            let cling = ((p.stuck as f64 + 2.0 * rate) / (p.followed as f64 + 2.0)).max(rate);
            (t, (rate, cling))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::correlate::facts::facts;
    use crate::correlate::stretch::tests::series_on;
    use crate::model::Status::*;

    #[test]
    fn three_separate_stretches_are_intermittent_one_regression_is_not() {
        let flaky = series_on("a", &[Pass, Fail, Pass, Pass, Fail, Fail, Pass, Fail, Pass]);
        let regression = series_on("b", &[Pass, Pass, Pass, Fail, Fail, Fail, Fail, Fail]);
        let fixed_twice = series_on("c", &[Pass, Fail, Fail, Pass, Pass, Fail, Fail, Pass]);
        let all = [flaky, regression, fixed_twice];
        let v = intermittency(&all, &facts(&all));
        assert_eq!(v[0], Some(Intermittent::Own { stretches: 3 }));
        assert_eq!(v[1], None);
        // Two stretches, and the test is intermittent on board a: the fleet decides.
        assert_eq!(
            v[2],
            Some(Intermittent::Fleet {
                stretches: 2,
                elsewhere: vec!["a".into()]
            })
        );
    }

    #[test]
    fn two_stretches_alone_are_not_enough() {
        let all = [series_on(
            "c",
            &[Pass, Fail, Fail, Pass, Pass, Fail, Fail, Pass],
        )];
        assert_eq!(intermittency(&all, &facts(&all)), vec![None]);
    }
}
