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

use super::jobs::{JobTally, tally};
use crate::model::Status;
use crate::series::Series;
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

/// Lab-days with jobs that could not run (see the module doc).
pub fn lab_outages(series: &[Series], jobs: &[JobTally]) -> Vec<LabOutage> {
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
    type Days<'s> = rustc_hash::FxHashMap<(&'s str, i64), Day<'s>>;
    let days = tally(
        series,
        |days: &mut Days, s| {
            let lab = s.lab.as_deref().unwrap_or("unknown");
            for r in &s.runs {
                if r.time == crate::store::NO_TIME {
                    continue;
                }
                if r.status == Status::Miss && r.job().is_some_and(|j| jobs[j].boot_failed) {
                    continue;
                }
                let d = days
                    .entry((lab, r.time.div_euclid(MICROS_PER_DAY)))
                    .or_default();
                d.runs += 1;
                d.jobs.insert(r.job);
                match r.status {
                    Status::Error => d.errors += 1,
                    Status::Miss => d.misses += 1,
                    _ => continue,
                }
                d.failed_jobs.insert(r.job);
                d.platforms.insert(&s.key.platform);
            }
        },
        |all: &mut Days, part| {
            for (k, d) in part {
                let e = all.entry(k).or_default();
                e.runs += d.runs;
                e.errors += d.errors;
                e.misses += d.misses;
                e.platforms.extend(d.platforms);
                e.jobs.extend(d.jobs);
                e.failed_jobs.extend(d.failed_jobs);
            }
        },
    );
    let mut out: Vec<LabOutage> = days
        .into_iter()
        .filter(|(_, d)| {
            let failed = d.failed_jobs.len();
            failed >= OUTAGE_MIN_JOBS && failed as f64 >= OUTAGE_MIN_SHARE * d.jobs.len() as f64
        })
        .filter_map(|((lab, day), d)| {
            let day = chrono::DateTime::from_timestamp_micros(day * MICROS_PER_DAY)?;
            Some((lab, day.date_naive(), d))
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
