//! Where a test came and went lately anywhere in the fleet: every tree, every board, every
//! build. A failure streak of a test that keeps failing and passing again on other boards or
//! other kernels (or on this board under another kernel, or earlier in this very series) is
//! what a flaky test does, so such a streak needs more evidence before it is published (see
//! `describe::confirmation`).
//!
//! Only *noise* counts: a recovered stretch that did not start together with other
//! environments (a synchronised start is a code change, see `facts::Sync`), so a real
//! regression fixed on one tree does not make the same bug on another tree look flaky.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use super::facts::SeriesFacts;
use crate::series::Series;
use crate::store::NO_TIME;
use crate::time::MICROS_PER_DAY;

/// How far before a streak the fleet's flakes of its test still count, in days: long enough
/// to see a flaky test come back, short enough that a test fixed months ago is clean again.
pub const LOOKBACK_DAYS: i64 = 30;

/// One recovered noise stretch of a test.
#[derive(Debug, Clone, Copy)]
struct Flake {
    series: usize,
    /// When its first failure ran (µs since the epoch).
    time: i64,
    /// Failures in a row.
    len: usize,
}

/// The fleet's recent flakes of a streak's tests, but for the streak's own stretches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoisyTest {
    /// Boards it flaked on (any tree, any build).
    pub boards: BTreeSet<String>,
    /// Its longest flake there, in failures in a row.
    pub longest: usize,
    /// Flakes counted.
    pub flakes: usize,
    /// Their failures, and those followed by another failure (how its flakes cluster).
    pub fails: usize,
    pub repeats: usize,
    /// Flakes of any test anywhere in the fleet over the same days: each was a chance for a
    /// streak this long by luck, and a nightly page lists every such streak.
    pub fleet_flakes: usize,
}

/// A streak in one environment of a test noisy elsewhere confirms a regression when a flake of
/// it would run that long at most this often.
pub const STREAK_ALPHA: f64 = 0.05;

impl NoisyTest {
    /// How often a failure of its flakes is followed by another, with one pseudo-count each
    /// way (a single short flake does not prove flakes never repeat).
    pub fn cling(&self) -> f64 {
        (self.repeats as f64 + 1.0) / (self.fails as f64 + 2.0)
    }

    /// Failures in a row one environment needs: a streak that, at their cling, the fleet's
    /// flakes over those days (of any test, this one included) would reach [`STREAK_ALPHA`]
    /// times at most between them; longer than the longest flake seen, and at least three.
    /// Each flake was a chance for a long streak: judged by its own test's flakes only, one
    /// streak in a few hundred of a fleet's would be published as a regression (the sticky
    /// flakes of a long history did).
    pub fn streak_needed(&self) -> usize {
        let q = self.cling();
        let alpha = STREAK_ALPHA / (self.flakes.max(self.fleet_flakes) + 1) as f64;
        // q^(k-1) <= alpha
        let by_chance = 1 + (alpha.ln() / q.ln()).ceil().max(0.0) as usize;
        by_chance.max(self.longest + 1).max(3)
    }

    /// One phrase for a page: the evidence that the test is noisy.
    pub fn explain(&self) -> String {
        let boards: Vec<&str> = self.boards.iter().map(String::as_str).collect();
        format!(
            "it came and went {} in the last {LOOKBACK_DAYS} days elsewhere in the fleet \
             (on {}), at most {} failures in a row, a failure followed by another {:.0}% of the \
             time (tests of the whole fleet came and went {} times over those days, each a \
             chance of a long streak by luck)",
            match self.flakes {
                1 => "once".to_string(),
                2 => "twice".to_string(),
                n => format!("{n} times"),
            },
            boards.join(", "),
            self.longest,
            self.cling() * 100.0,
            self.fleet_flakes
        )
    }
}

/// Every recovered noise stretch, by test path.
#[derive(Debug, Default)]
pub struct FleetFlakes<'s> {
    by_test: FxHashMap<&'s str, Vec<Flake>>,
    /// When every flake started, sorted.
    times: Vec<i64>,
    series: &'s [Series],
}

impl<'s> FleetFlakes<'s> {
    pub fn new(series: &'s [Series], facts: &[SeriesFacts]) -> Self {
        let mut by_test: FxHashMap<&'s str, Vec<Flake>> = FxHashMap::default();
        for (i, (s, f)) in series.iter().zip(facts).enumerate() {
            for st in f.noise_stretches().filter(|st| st.next_pass.is_some()) {
                let time = s.runs[st.first_fail].time;
                if time == NO_TIME {
                    continue;
                }
                by_test.entry(&s.key.test).or_default().push(Flake {
                    series: i,
                    time,
                    len: st.len,
                });
            }
        }
        let mut times: Vec<i64> = by_test.values().flatten().map(|f| f.time).collect();
        times.sort_unstable();
        FleetFlakes {
            by_test,
            times,
            series,
        }
    }

    /// The flakes of `tests` that started from [`LOOKBACK_DAYS`] before `from` up to `to`
    /// (µs), but for the streak's own stretches, `own` (series, time of its first failure):
    /// its own series' earlier flakes count (it came and went here before), its streak not.
    /// `None` when there are none.
    pub fn around<'t>(
        &self,
        tests: impl IntoIterator<Item = &'t str>,
        own: &BTreeSet<(usize, i64)>,
        from: i64,
        to: i64,
    ) -> Option<NoisyTest> {
        let since = from.saturating_sub(LOOKBACK_DAYS * MICROS_PER_DAY);
        let mut found = NoisyTest {
            boards: BTreeSet::new(),
            longest: 0,
            flakes: 0,
            fails: 0,
            repeats: 0,
            fleet_flakes: self.times.partition_point(|&t| t <= to)
                - self.times.partition_point(|&t| t < since),
        };
        for test in tests {
            let flakes = self.by_test.get(test).into_iter().flatten();
            let counts =
                |f: &&Flake| !own.contains(&(f.series, f.time)) && (since..=to).contains(&f.time);
            for f in flakes.filter(counts) {
                found
                    .boards
                    .insert(self.series[f.series].key.platform.to_string());
                found.longest = found.longest.max(f.len);
                found.flakes += 1;
                found.fails += f.len;
                found.repeats += f.len - 1;
            }
        }
        (found.flakes > 0).then_some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::correlate::facts;
    use crate::correlate::stretch::tests::series_on;
    use crate::model::Status::*;

    fn timed(mut s: Series) -> Series {
        for (i, r) in s.runs.iter_mut().enumerate() {
            r.time = i as i64 * MICROS_PER_DAY;
        }
        s
    }

    #[test]
    fn only_recovered_noise_elsewhere_and_lately_counts() {
        let series = vec![
            timed(series_on("a", &[Pass, Pass, Fail, Fail])),
            timed(series_on("b", &[Pass, Fail, Fail, Fail, Pass])),
            timed(series_on("c", &[Pass, Pass, Pass, Fail, Pass])),
            timed(series_on("d", &[Pass, Pass, Pass, Pass, Fail])),
        ];
        let facts = facts::facts(&series);
        let flakes = FleetFlakes::new(&series, &facts);
        let own = BTreeSet::from([(0, 2 * MICROS_PER_DAY)]);
        let noisy = flakes.around(["x"], &own, 2 * MICROS_PER_DAY, 3 * MICROS_PER_DAY);
        let noisy = noisy.expect("b and c came and went");
        assert_eq!(noisy.boards, BTreeSet::from(["b".into(), "c".into()]));
        // Its own streak is no flake of it, even once it recovered; an earlier one is.
        let own_b = BTreeSet::from([(1, MICROS_PER_DAY)]);
        let c_only = flakes.around(["x"], &own_b, 0, 5 * MICROS_PER_DAY).unwrap();
        assert_eq!(c_only.boards, BTreeSet::from(["c".into()]));
        assert_eq!((noisy.longest, noisy.flakes), (3, 2));
        assert_eq!((noisy.fails, noisy.repeats), (4, 2));
        // Flakes that repeat half of the time, two of them: a streak of 7 (0.5^6 < 0.05/3).
        assert_eq!(noisy.cling(), 0.5);
        assert_eq!(noisy.fleet_flakes, 2);
        assert_eq!(noisy.streak_needed(), 7);
        // The same flakes in a fleet where 200 flakes of any test came and went over those
        // days: each was a chance, so 13 in a row (0.5^12 < 0.05/201 < 0.5^11).
        let busy = NoisyTest {
            fleet_flakes: 200,
            ..noisy.clone()
        };
        assert_eq!(busy.streak_needed(), 13);
        assert!(
            busy.explain()
                .contains("came and went 200 times over those days")
        );
        // d's failure has not recovered: not a flake. Nothing before the window counts.
        // (Each board starts failing at its own commit: none of it is a synchronised change.)
        let later = (LOOKBACK_DAYS + 4) * MICROS_PER_DAY;
        assert_eq!(flakes.around(["x"], &own, later, later), None);
        assert_eq!(flakes.around(["y"], &own, 0, later), None);
    }
}
