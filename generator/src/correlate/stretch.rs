//! Failure stretches of one series, and whether each is a change or noise.
//!
//! A *stretch* is a maximal sequence of FAIL runs with no PASS between them (ERROR, MISS,
//! SKIP and DONE are ignored: they say nothing about the kernel). Whether a stretch is a
//! regression is a question about change: under the failure rate the rest of the series shows,
//! how likely is a stretch this long? A series that never fails elsewhere makes any stretch a
//! change (so a regression opens on its first bad day); a flaky series needs a stretch long
//! enough to be improbable at its own rate.

use crate::model::Status;
use crate::series::Series;

/// A change is a stretch that noise would produce this rarely: the expected number of such
/// streaks over the series' history, at its usual failure rate, is below this.
pub const NOISE_ALPHA: f64 = 0.001;
/// A series whose usual failure rate is above this fails more often than not: another streak
/// of failures is its normal state, not a change.
pub const MAX_USUAL_RATE: f64 = 0.5;

/// One maximal run of failures in a series (indices into `series.runs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stretch {
    pub first_fail: usize,
    pub last_fail: usize,
    /// Number of FAIL runs in it.
    pub len: usize,
    /// The PASS right before it; `None` when the series failed from its first verdict.
    pub prev_pass: Option<usize>,
    /// The PASS right after it; `None` while it is still failing.
    pub next_pass: Option<usize>,
}

/// A recovered failure stretch at most this long is a sporadic failure.
pub const SPORADIC_MAX_LEN: usize = 2;

impl Stretch {
    /// A short failure with passes on both sides: a one-off, or noise.
    pub fn is_sporadic(&self) -> bool {
        self.prev_pass.is_some() && self.next_pass.is_some() && self.len <= SPORADIC_MAX_LEN
    }
}

/// What a series' verdict runs add up to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SeriesStats {
    /// PASS + FAIL runs.
    pub verdicts: usize,
    pub fails: usize,
    /// PASS<->FAIL changes between consecutive verdicts.
    pub flips: usize,
    /// Failures followed by another failure at the next verdict, out of `followed`: how much
    /// its failures cluster (a sticky flake fails in streaks by itself).
    pub stuck: usize,
    /// Failures followed by any verdict.
    pub followed: usize,
    /// Wilson lower bound (95%) of the flip rate, not counting one change (a regression is
    /// one change; flakiness is the flips beyond it): 0 with little evidence, high only when
    /// the series keeps changing its mind over many runs. Shown as evidence.
    pub flaky_score: f64,
}

/// Splits a series into its failure stretches.
pub fn stretches(series: &Series) -> Vec<Stretch> {
    let mut out: Vec<Stretch> = Vec::new();
    let mut prev_pass = None;
    let mut open: Option<Stretch> = None;
    for (i, run) in series.runs.iter().enumerate() {
        match run.status {
            Status::Pass => {
                if let Some(mut s) = open.take() {
                    s.next_pass = Some(i);
                    out.push(s);
                }
                prev_pass = Some(i);
            }
            Status::Fail => match &mut open {
                Some(s) => {
                    s.last_fail = i;
                    s.len += 1;
                }
                None => {
                    open = Some(Stretch {
                        first_fail: i,
                        last_fail: i,
                        len: 1,
                        prev_pass,
                        next_pass: None,
                    });
                }
            },
            Status::Error | Status::Miss | Status::Done | Status::Skip => {}
        }
    }
    out.extend(open);
    out
}

/// Counts verdicts, failures and flips, and scores flakiness.
pub fn stats(series: &Series) -> SeriesStats {
    let (mut verdicts, mut fails, mut flips, mut stuck, mut followed) = (0, 0, 0, 0, 0);
    let mut last: Option<bool> = None;
    for r in &series.runs {
        let failed = match r.status {
            Status::Pass => false,
            Status::Fail => true,
            _ => continue,
        };
        verdicts += 1;
        fails += failed as usize;
        flips += last.is_some_and(|l| l != failed) as usize;
        if last == Some(true) {
            followed += 1;
            stuck += failed as usize;
        }
        last = Some(failed);
    }
    SeriesStats {
        verdicts,
        fails,
        flips,
        stuck,
        followed,
        flaky_score: super::chance::wilson_lower(
            flips.saturating_sub(1),
            verdicts.saturating_sub(1),
        ),
    }
}

/// Why a stretch is a change of failure rate rather than the series' usual noise.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Nothing else failed: the series, and the test elsewhere, were clean before it.
    Clean,
    /// At the usual failure rate `rate` (the series' own noise or the test's on other
    /// boards, whichever is higher), a streak this long over `runs` verdicts is expected
    /// `chance` times: too rarely to be noise.
    Improbable {
        rate: f64,
        cling: f64,
        runs: usize,
        chance: f64,
    },
    /// It started at one commit together with other boards (see `facts::Sync`).
    Together {
        failing: usize,
        ran: usize,
        commits: usize,
        chance: f64,
    },
}

impl Change {
    /// One sentence for the regression's page: why this environment's failures are a change.
    pub fn explain(&self, len: usize) -> String {
        let runs = |n: usize| {
            if n == 1 {
                "1 run".to_string()
            } else {
                format!("{n} runs")
            }
        };
        match *self {
            Change::Clean => format!(
                "failed {} in a row after passing, and had never failed otherwise",
                runs(len)
            ),
            Change::Improbable {
                rate,
                cling,
                runs: n,
                chance,
            } => format!(
                "failed {} in a row; at its usual failure rate ({:.0}%, and {:.0}% right after a \
                 failure) a streak that long would come {} times in {n} runs by chance",
                runs(len),
                rate * 100.0,
                cling * 100.0,
                short_number(chance)
            ),
            Change::Together {
                failing,
                ran,
                commits,
                chance,
            } => format!(
                "started failing at this commit together with {} of the {ran} boards that ran it; \
                 from their usual failure rates such a coincidence would come {} times in the \
                 {commits} commits tested",
                failing - 1,
                short_number(chance)
            ),
        }
    }
}

/// A small probability or expectation, readable: `0.0004`, `3e-9`.
fn short_number(x: f64) -> String {
    if x >= 0.001 {
        format!("{x:.3}")
    } else {
        format!("{x:.0e}")
    }
}

/// The expected number of failure streaks at least `len` long that noise produces over `runs`
/// verdicts, when it fails a fraction `p` of runs and, after a failure, fails again a fraction
/// `q` (`q = p` for independent flakes; more for flakes that cluster): a streak can start
/// after any pass. How often chance alone would show what is seen; one long history gives
/// noise many chances.
pub fn streak_chance(p: f64, q: f64, len: usize, runs: usize) -> f64 {
    let starts = 1.0 + runs.saturating_sub(len) as f64 * (1.0 - p);
    starts * p * q.powi(len.saturating_sub(1) as i32)
}

/// How often a series fails again right after a failure, outside one of its stretches (which
/// adds `len - 1` such repeats), never below `p`; with few repeats seen it leans on `p` (two
/// pseudo-counts of independent failures), so a short history does not invent streaks.
pub fn cling(stats: &SeriesStats, st: &Stretch, p: f64) -> f64 {
    let repeats = st.len.saturating_sub(1);
    let stuck = stats.stuck.saturating_sub(repeats);
    let followed = stats
        .followed
        .saturating_sub(repeats + usize::from(st.next_pass.is_some()));
    ((stuck as f64 + 2.0 * p) / (followed as f64 + 2.0)).max(p)
}

/// Whether a stretch of `len` failures is a change of failure rate, and why. The noise rate is
/// the larger of the series' own noise (its unsynchronised failures outside this stretch,
/// add-one smoothed so a short history is not over-trusted; zero when there are none) and
/// `test_noise`, the rate at which the same test fails as noise elsewhere; `own_cling` is how
/// often the series' own failures repeat (see [`cling`]), so a flake that fails in streaks is
/// not mistaken for a change. With no
/// noise anywhere any failure is a change; a series that usually fails more than
/// [`MAX_USUAL_RATE`] of its runs has no change to show; otherwise the stretch must be one
/// that noise would produce less than [`NOISE_ALPHA`] times over the series' `runs` verdicts.
pub fn change(
    len: usize,
    noise_fails: usize,
    rest_verdicts: usize,
    test_noise: f64,
    runs: usize,
    own_cling: f64,
) -> Option<Change> {
    let own = if noise_fails == 0 {
        0.0
    } else {
        (noise_fails as f64 + 1.0) / (rest_verdicts as f64 + 2.0)
    };
    let p = own.max(test_noise);
    if p == 0.0 {
        return Some(Change::Clean);
    }
    if p > MAX_USUAL_RATE {
        return None;
    }
    // How failures cluster: the series' own habit when its own noise sets the rate.
    let q = match own >= test_noise {
        true => own_cling.max(p),
        false => p,
    };
    let chance = streak_chance(p, q, len, runs);
    (chance < NOISE_ALPHA).then_some(Change::Improbable {
        rate: p,
        cling: q,
        runs,
        chance,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::series::{Run, SeriesKey};
    use crate::store::NO_TIME;
    use Status::*;

    /// A series of test `x` on board `platform`, one run per timeline position.
    pub(crate) fn series_on(platform: &str, statuses: &[Status]) -> Series {
        Series {
            key: SeriesKey {
                tree_key: "t".into(),
                branch: "b".into(),
                test: "x".into(),
                platform: platform.into(),
                arch: "a".into(),
                config: "c".into(),
                compiler: "g".into(),
            },
            tree_name: None,
            repository_url: None,
            lab: None,
            origin: None,
            runs: statuses
                .iter()
                .enumerate()
                .map(|(i, &status)| Run {
                    row: i as u32,
                    job: crate::series::NO_JOB,
                    pos: i as u32,
                    status,
                    time: NO_TIME,
                })
                .collect(),
        }
    }

    pub(crate) fn series(statuses: &[Status]) -> Series {
        series_on("p", statuses)
    }

    #[test]
    fn stretches_skip_infra_statuses() {
        let s = series(&[Pass, Fail, Miss, Fail, Pass, Error, Fail]);
        let st = stretches(&s);
        assert_eq!(st.len(), 2);
        assert_eq!((st[0].first_fail, st[0].last_fail, st[0].len), (1, 3, 2));
        assert_eq!((st[0].prev_pass, st[0].next_pass), (Some(0), Some(4)));
        assert_eq!(
            (st[1].first_fail, st[1].prev_pass, st[1].next_pass),
            (6, Some(4), None)
        );
    }

    #[test]
    fn clean_history_makes_one_failure_a_change() {
        assert_eq!(change(1, 0, 4, 0.0, 5, 0.0), Some(Change::Clean));
        assert_eq!(
            change(1, 0, 4, 0.3, 5, 0.0),
            None,
            "a flaky test elsewhere makes one failure noise"
        );
    }

    #[test]
    fn noise_is_not_a_change_but_a_lasting_rise_is() {
        // One failure in ten, over a hundred runs: single failures and pairs are noise.
        assert_eq!(change(1, 9, 99, 0.0, 100, 0.1), None);
        assert_eq!(change(2, 9, 98, 0.0, 100, 0.1), None);
        // From 10% to failing every run: four in a row happen ~0.01 times in 100 runs by
        // chance, five ~0.001 times, six rarely enough.
        assert_eq!(change(4, 9, 96, 0.0, 100, 0.1), None);
        assert!(matches!(
            change(6, 9, 94, 0.0, 100, 0.1),
            Some(Change::Improbable { .. })
        ));
        // A streak of six at 30% is what a flaky test does now and then.
        assert_eq!(change(6, 30, 94, 0.0, 100, 0.3), None);
        // Ten in a row at 10% is a change for an independent flake, not for one that fails
        // again after a failure half of the time.
        assert!(change(10, 9, 90, 0.0, 100, 0.1).is_some());
        assert_eq!(change(10, 9, 90, 0.0, 100, 0.5), None);
    }

    #[test]
    fn the_chance_grows_with_the_history() {
        assert!(streak_chance(0.2, 0.2, 4, 200) > 10.0 * streak_chance(0.2, 0.2, 4, 10));
        assert!(streak_chance(0.2, 0.2, 5, 50) < streak_chance(0.2, 0.2, 4, 50));
        // A flake that fails in streaks makes long streaks far likelier.
        assert!(streak_chance(0.2, 0.5, 6, 50) > 50.0 * streak_chance(0.2, 0.2, 6, 50));
    }
}
