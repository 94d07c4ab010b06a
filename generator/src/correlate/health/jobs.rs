//! Jobs (one build booted on one board): what each one's runs add up to, tallied on every
//! core, and the chunked tally the checks that visit every run share.

use crate::model::Status;
use crate::series::Series;

use super::super::families::is_boot;

/// Tallies every series into a `T` on every core (one `T` per chunk of series, the chunks'
/// tallies merged after): the checks that look at every run of a month are the slow part of
/// the health checks.
pub fn tally<'s, T: Default + Send>(
    series: &'s [Series],
    add: impl Fn(&mut T, &'s Series) + Sync,
    merge: impl Fn(&mut T, T),
) -> T {
    use rayon::prelude::*;
    let chunk = series
        .len()
        .div_ceil(rayon::current_num_threads() * 4)
        .max(1);
    let parts: Vec<T> = series
        .par_chunks(chunk)
        .map(|c| {
            let mut t = T::default();
            for s in c {
                add(&mut t, s);
            }
            t
        })
        .collect();
    let mut all = T::default();
    for t in parts {
        merge(&mut all, t);
    }
    all
}

/// What the runs of one job (see `Run::job`) add up to.
#[derive(Clone, Copy, Default)]
pub struct JobTally {
    /// PASS and FAIL runs.
    pub verdicts: u32,
    /// Tests with a FAIL run.
    pub failed: u32,
    /// 1 + the series last counted in `failed` (a test run twice in a job fails it once).
    last_failed: u32,
    pub misses: u32,
    /// A series that ran in it, for its board.
    pub series: u32,
    /// Its boot failed: the MISSes that follow are the kernel's, not the lab's.
    pub boot_failed: bool,
}

/// Every job's tally, on every core: each core tallies its share of the series into a table
/// of every job (small: a job is a build on a board), and the tables are added up. (Each core
/// owning a range of jobs instead meant each read every run of the month.)
pub fn job_tallies(series: &[Series]) -> Vec<JobTally> {
    use rayon::prelude::*;
    let chunk = series.len().div_ceil(rayon::current_num_threads()).max(1);
    let parts: Vec<Vec<JobTally>> = series
        .par_chunks(chunk)
        .enumerate()
        .map(|(k, mine)| {
            let mut tallies: Vec<JobTally> = Vec::new();
            for (n, s) in mine.iter().enumerate() {
                let i = (k * chunk + n) as u32;
                let boot = is_boot(&s.key.test);
                for r in &s.runs {
                    let Some(j) = r.job() else {
                        continue;
                    };
                    if j >= tallies.len() {
                        tallies.resize(j + 1, JobTally::default());
                    }
                    let t = &mut tallies[j];
                    t.series = i;
                    match r.status {
                        Status::Pass => t.verdicts += 1,
                        Status::Fail => {
                            t.verdicts += 1;
                            if t.last_failed != i + 1 {
                                t.failed += 1;
                                t.last_failed = i + 1;
                            }
                            t.boot_failed |= boot;
                        }
                        Status::Miss => t.misses += 1,
                        _ => {}
                    }
                }
            }
            tallies
        })
        .collect();
    let jobs = parts.iter().map(Vec::len).max().unwrap_or(0);
    let mut all = vec![JobTally::default(); jobs];
    // A series is in one part only, so its failures are counted once; later parts hold
    // later series, so the largest index is the last series seen, as in one pass.
    for part in parts {
        for (a, b) in all.iter_mut().zip(part) {
            a.verdicts += b.verdicts;
            a.failed += b.failed;
            a.last_failed = a.last_failed.max(b.last_failed);
            a.misses += b.misses;
            a.series = a.series.max(b.series);
            a.boot_failed |= b.boot_failed;
        }
    }
    all
}
