//! Jobs (one build booted on one board): what each one's runs add up to, tallied in one pass
//! over every run of the month on every core, for the checks that judge jobs (mass failures,
//! failed boots) and lab-days (outages).

use crate::model::Status;
use crate::series::Series;

use super::super::families::is_boot;

/// No lab-day yet (see [`JobTally::lab`]).
const NO_LAB: u32 = u32::MAX;

/// What the runs of one job (see `Run::job`) add up to.
#[derive(Clone, Copy)]
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
    /// The lab-day of its first timed run that was not ERROR or MISS (a job is one build
    /// booted on one board: nearly always one lab on one day), as an index into
    /// [`Jobs::labs`] and a day number, and its timed runs there that were not ERROR or MISS.
    pub lab: u32,
    pub day: i64,
    pub day_runs: u32,
}

impl Default for JobTally {
    fn default() -> Self {
        JobTally {
            verdicts: 0,
            failed: 0,
            last_failed: 0,
            misses: 0,
            series: 0,
            boot_failed: false,
            lab: NO_LAB,
            day: 0,
            day_runs: 0,
        }
    }
}

/// Every job's tally, and the timed runs the per-job lab-day does not hold.
#[derive(Default)]
pub struct Jobs<'s> {
    pub tallies: Vec<JobTally>,
    /// Every lab the series name (`"unknown"` for none), sorted.
    pub labs: Vec<&'s str>,
    /// Timed runs, not ERROR or MISS, of a job on another lab-day than its own (or of no
    /// known job): (lab index, day number, job) -> runs.
    pub other_days: rustc_hash::FxHashMap<(u32, i64, u32), u32>,
    /// Timed ERROR and MISS runs: (lab index, day number, job, status, board).
    pub not_run: Vec<(u32, i64, u32, Status, &'s str)>,
}

impl Jobs<'_> {
    /// Adds `n` runs of `job` on a lab-day to the job's own lab-day or to [`Self::other_days`].
    fn add_day(&mut self, job: u32, lab: u32, day: i64, n: u32) {
        match self.tallies.get_mut(job as usize) {
            Some(t) if t.lab == NO_LAB => (t.lab, t.day, t.day_runs) = (lab, day, n),
            Some(t) if (t.lab, t.day) == (lab, day) => t.day_runs += n,
            _ => *self.other_days.entry((lab, day, job)).or_default() += n,
        }
    }
}

/// Every job's tally, on every core: each core tallies its share of the series into a table
/// of every job (small: a job is a build on a board), and the tables are added up. (Each core
/// owning a range of jobs instead meant each read every run of the month.) The lab-days ride
/// along: a pass of their own over the month's runs cost more than this whole tally.
pub fn job_tallies(series: &[Series]) -> Jobs<'_> {
    use rayon::prelude::*;
    let mut labs: Vec<&str> = series.iter().map(Series::lab_name).collect();
    labs.sort_unstable();
    labs.dedup();
    let chunk = series.len().div_ceil(rayon::current_num_threads()).max(1);
    let parts: Vec<Jobs> = series
        .par_chunks(chunk)
        .enumerate()
        .map(|(k, mine)| {
            let mut part = Jobs::default();
            let mut lab: (Option<&str>, u32) = (None, NO_LAB);
            for (n, s) in mine.iter().enumerate() {
                let i = (k * chunk + n) as u32;
                let boot = is_boot(&s.key.test);
                // Series of one lab are mostly neighbours: one search per change of lab.
                let name = s.lab_name();
                if lab.0 != Some(name) {
                    let at = labs.binary_search(&name).expect("every lab is listed");
                    lab = (Some(name), at as u32);
                }
                for r in &s.runs {
                    let job = r.job();
                    if let Some(j) = job
                        && j >= part.tallies.len()
                    {
                        part.tallies.resize(j + 1, JobTally::default());
                    }
                    if let Some(day) = r.day_number() {
                        if matches!(r.status, Status::Error | Status::Miss) {
                            let platform = &*s.key.platform;
                            part.not_run.push((lab.1, day, r.job, r.status, platform));
                        } else {
                            part.add_day(r.job, lab.1, day, 1);
                        }
                    }
                    let Some(j) = job else {
                        continue;
                    };
                    let t = &mut part.tallies[j];
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
            part
        })
        .collect();
    let jobs = parts.iter().map(|p| p.tallies.len()).max().unwrap_or(0);
    let mut all = Jobs {
        tallies: vec![JobTally::default(); jobs],
        ..Jobs::default()
    };
    // A series is in one part only, so its failures are counted once; later parts hold
    // later series, so the largest index is the last series seen, as in one pass.
    for part in parts {
        for (j, b) in part.tallies.into_iter().enumerate() {
            let a = &mut all.tallies[j];
            a.verdicts += b.verdicts;
            a.failed += b.failed;
            a.last_failed = a.last_failed.max(b.last_failed);
            a.misses += b.misses;
            a.series = a.series.max(b.series);
            a.boot_failed |= b.boot_failed;
            if b.lab != NO_LAB {
                all.add_day(j as u32, b.lab, b.day, b.day_runs);
            }
        }
        for (key, n) in part.other_days {
            *all.other_days.entry(key).or_default() += n;
        }
        all.not_run.extend(part.not_run);
    }
    all.labs = labs;
    all
}

impl JobTally {
    /// Its own lab-day (see [`JobTally::lab`]), if it had a timed run that was not ERROR or
    /// MISS.
    pub fn lab_day(&self) -> Option<(u32, i64)> {
        (self.lab != NO_LAB).then_some((self.lab, self.day))
    }
}
