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

/// A stretch this improbable under the series' own failure rate is a change, not noise.
pub const NOISE_ALPHA: f64 = 0.001;

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

/// What a series' verdict runs add up to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SeriesStats {
    /// PASS + FAIL runs.
    pub verdicts: usize,
    pub fails: usize,
    /// PASS<->FAIL changes between consecutive verdicts.
    pub flips: usize,
    /// Wilson lower bound (95%) of the flip rate, not counting one change (a regression is
    /// one change; flakiness is the flips beyond it): 0 with little evidence, high only when
    /// the series keeps changing its mind over many runs.
    pub flaky_score: f64,
}

/// Minimum verdict runs before a series can be called flaky: three runs make no verdict.
pub const FLAKY_MIN_RUNS: usize = 6;
/// Flip-rate lower bound above which (with two or more stretches) a series is flaky.
pub const FLAKY_SCORE: f64 = 0.1;

/// Wilson score interval lower bound for `k` successes in `n` trials at 95%.
pub fn wilson_lower(k: usize, n: usize) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let (k, n, z) = (k as f64, n as f64, 1.959_963_984_540_054_f64);
    let p = k / n;
    let z2 = z * z;
    let centre = p + z2 / (2.0 * n);
    let margin = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - margin) / (1.0 + z2 / n)).max(0.0)
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
    let (mut verdicts, mut fails, mut flips) = (0, 0, 0);
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
        last = Some(failed);
    }
    SeriesStats {
        verdicts,
        fails,
        flips,
        flaky_score: wilson_lower(flips.saturating_sub(1), verdicts.saturating_sub(1)),
    }
}

/// Flaky: enough runs, failed more than once apart, and keeps flipping.
pub fn is_flaky(stats: &SeriesStats, stretch_count: usize) -> bool {
    stats.verdicts >= FLAKY_MIN_RUNS && stretch_count >= 2 && stats.flaky_score >= FLAKY_SCORE
}

/// True when a stretch of `len` failures is a change of failure rate rather than noise. The
/// noise rate is the larger of the series' own noise (its failures outside this stretch that
/// no other board shared, add-one smoothed so a short history is not over-trusted; zero when
/// there are none) and `test_noise`, the rate at which the same test fails sporadically on
/// other boards. With no noise anywhere any failure is a change; otherwise the stretch must be
/// improbable (< [`NOISE_ALPHA`]) at that rate.
pub fn is_change(len: usize, noise_fails: usize, rest_verdicts: usize, test_noise: f64) -> bool {
    let own = if noise_fails == 0 {
        0.0
    } else {
        (noise_fails as f64 + 1.0) / (rest_verdicts as f64 + 2.0)
    };
    let p = own.max(test_noise);
    p == 0.0 || p.powi(len as i32) < NOISE_ALPHA
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::series::{Run, SeriesKey};
    use crate::store::NO_TIME;
    use Status::*;

    pub(crate) fn series(statuses: &[Status]) -> Series {
        Series {
            key: SeriesKey {
                tree_key: "t".into(),
                branch: "b".into(),
                test: "x".into(),
                platform: "p".into(),
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
        assert!(is_change(1, 0, 4, 0.0));
        assert!(
            !is_change(1, 0, 4, 0.3),
            "a flaky test elsewhere makes one failure noise"
        );
    }

    #[test]
    fn flaky_noise_is_not_a_change_but_a_long_stretch_is() {
        let base = [
            Pass, Fail, Pass, Pass, Fail, Pass, Pass, Pass, Fail, Pass, Pass, Fail, Pass,
        ];
        let s = series(&base);
        let st_ = stats(&s);
        let st = stretches(&s);
        // Each single failure against the other three (in 12 runs): noise.
        assert!(st.iter().all(|x| !is_change(x.len, 3, 12, 0.0)));
        assert!(is_flaky(&st_, st.len()), "{st_:?}");
        // Eight in a row at that rate is a change.
        assert!(is_change(8, 4, 13, 0.0));
    }

    #[test]
    fn three_runs_make_no_flaky_verdict() {
        let s = series(&[Fail, Pass, Fail]);
        assert!(!is_flaky(&stats(&s), stretches(&s).len()));
    }

    #[test]
    fn a_fixed_regression_is_not_flaky() {
        let s = series(&[
            Pass, Pass, Pass, Fail, Fail, Fail, Fail, Fail, Pass, Pass, Pass, Pass,
        ]);
        let st = stats(&s);
        assert!(!is_flaky(&st, stretches(&s).len()));
        assert!(st.flaky_score < FLAKY_SCORE);
    }

    #[test]
    fn wilson_bound_behaves() {
        assert_eq!(wilson_lower(0, 0), 0.0);
        assert!(wilson_lower(2, 2) < 0.5);
        assert!(wilson_lower(50, 100) > 0.39 && wilson_lower(50, 100) < 0.5);
    }
}
