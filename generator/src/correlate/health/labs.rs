//! Lab outages: lab-days on which jobs could not run.
//!
//! A job (one build booted on one board) that ends in MISS or ERROR without a failed boot
//! never reached a verdict about the kernel: the lab could not deploy, boot or run it (in
//! LAVA's terms, the boot never reached the kernel). One such job is a hiccup; a lab-day with
//! [`OUTAGE_MIN_JOBS`] of them, and at least [`OUTAGE_MIN_SHARE`] of the lab's jobs that day
//! (so a lab running hundreds of jobs a day is held to its size), is an outage. MISSes after a
//! failed boot are the kernel's (the boot regression explains them), not the lab's.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::Serialize;

use super::jobs::Jobs;
use crate::model::Status;
use crate::time::MICROS_PER_DAY;

/// Jobs that could not run, in one lab on one day, that make an outage.
pub const OUTAGE_MIN_JOBS: usize = 2;
/// ... and the share of the lab's jobs that day they must be at least.
pub const OUTAGE_MIN_SHARE: f64 = 0.05;

/// A lab-day on which jobs could not run.
#[derive(Debug, Clone, Serialize)]
pub struct LabOutage {
    pub lab: String,
    pub day: NaiveDate,
    pub runs: usize,
    pub errors: usize,
    pub misses: usize,
    /// Boards of the jobs that could not run.
    pub platforms: Vec<String>,
    /// The lab's jobs that day, and how many of them could not run.
    pub jobs: usize,
    pub failed_jobs: usize,
}

/// Lab-days with jobs that could not run (see the module doc), from the jobs' tally.
pub fn lab_outages(jobs: &Jobs) -> Vec<LabOutage> {
    #[derive(Default)]
    struct Day<'a> {
        runs: usize,
        errors: usize,
        misses: usize,
        platforms: BTreeSet<&'a str>,
        jobs: rustc_hash::FxHashSet<u32>,
        failed_jobs: rustc_hash::FxHashSet<u32>,
    }
    // Days as whole UTC days since the epoch: a date per run is a visible cost at a month.
    let mut days: rustc_hash::FxHashMap<(u32, i64), Day> = Default::default();
    let own_days = jobs.tallies.iter().enumerate().filter_map(|(j, t)| {
        t.lab_day()
            .map(|(lab, day)| ((lab, day, j as u32), t.day_runs))
    });
    for ((lab, day, job), runs) in own_days.chain(jobs.other_days.iter().map(|(k, n)| (*k, *n))) {
        let d = days.entry((lab, day)).or_default();
        d.runs += runs as usize;
        d.jobs.insert(job);
    }
    for &(lab, day, job, status, platform) in &jobs.not_run {
        // MISSes after a failed boot are the kernel's (the boot regression explains them).
        let boot_failed = jobs
            .tallies
            .get(job as usize)
            .is_some_and(|j| j.boot_failed);
        if status == Status::Miss && boot_failed {
            continue;
        }
        let d = days.entry((lab, day)).or_default();
        d.runs += 1;
        d.jobs.insert(job);
        match status {
            Status::Error => d.errors += 1,
            _ => d.misses += 1,
        }
        d.failed_jobs.insert(job);
        d.platforms.insert(platform);
    }
    let mut out: Vec<LabOutage> = days
        .into_iter()
        .filter(|(_, d)| {
            let failed = d.failed_jobs.len();
            failed >= OUTAGE_MIN_JOBS && failed as f64 >= OUTAGE_MIN_SHARE * d.jobs.len() as f64
        })
        .filter_map(|((lab, day), d)| {
            let day = chrono::DateTime::from_timestamp_micros(day * MICROS_PER_DAY)?;
            Some((jobs.labs[lab as usize], day.date_naive(), d))
        })
        .map(|(lab, day, d)| LabOutage {
            lab: lab.to_string(),
            day,
            runs: d.runs,
            errors: d.errors,
            misses: d.misses,
            platforms: d.platforms.into_iter().map(String::from).collect(),
            jobs: d.jobs.len(),
            failed_jobs: d.failed_jobs.len(),
        })
        .collect();
    out.sort_by(|a, b| (&a.lab, a.day).cmp(&(&b.lab, b.day)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::correlate::health::jobs::job_tallies;
    use crate::correlate::stretch::tests::series_on;
    use crate::series::{NO_JOB, Series};
    use Status::*;

    const DAY: i64 = MICROS_PER_DAY;

    /// A series on `board` in `lab` whose runs are (job, day, status).
    fn on(board: &str, lab: &str, test: &str, runs: &[(u32, i64, Status)]) -> Series {
        let mut s = series_on(board, &vec![Pass; runs.len()]);
        s.key.test = test.into();
        s.lab = Some(lab.into());
        for (r, &(job, day, status)) in s.runs.iter_mut().zip(runs) {
            (r.job, r.time, r.status) = (job, 20_000 * DAY + day * DAY + 3_600_000_000, status);
        }
        s
    }

    #[test]
    fn lab_days_count_each_job_once_per_day_wherever_its_runs_are() {
        let series = [
            // Job 0 runs on days 0 and 1 (across midnight); job 1 could not run on day 1.
            on("b1", "lab-a", "t1", &[(0, 0, Pass), (1, 1, Error)]),
            on("b1", "lab-a", "t2", &[(0, 1, Pass), (1, 1, Miss)]),
            // Job 2 could not run either; a run of no known job counts for its day too.
            on("b2", "lab-a", "t1", &[(2, 1, Miss), (NO_JOB, 1, Pass)]),
            // Job 3 failed its boot: its MISS is the kernel's, not the lab's.
            on("b3", "lab-b", "boot", &[(3, 1, Fail)]),
            on("b3", "lab-b", "t1", &[(3, 1, Miss)]),
            on("b4", "lab-b", "t1", &[(4, 1, Error)]),
        ];
        let out = lab_outages(&job_tallies(&series));
        assert_eq!(out.len(), 1, "{out:?}");
        let o = &out[0];
        assert_eq!(
            (o.lab.as_str(), o.day.to_string()),
            ("lab-a", "2024-10-05".into())
        );
        // Day 1 of lab-a: job 0 (one run), job 1 (two), job 2, and no job: 5 runs, 4 jobs.
        assert_eq!((o.runs, o.errors, o.misses), (5, 1, 2));
        assert_eq!((o.jobs, o.failed_jobs), (4, 2));
        assert_eq!(o.platforms, ["b1", "b2"]);
    }
}
