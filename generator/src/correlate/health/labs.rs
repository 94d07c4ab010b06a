//! Lab outages: lab-days where most runs could not run or broke.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::Serialize;

use super::jobs::{JobTally, tally};
use crate::model::Status;
use crate::series::Series;

/// A lab-day with at least this many ERROR/MISS runs, and at least half its runs, is an outage.
pub const OUTAGE_MIN_RUNS: usize = 10;
const MICROS_PER_DAY: i64 = 86_400_000_000;

/// A lab-day where most runs could not run or broke.
#[derive(Debug, Clone, Serialize)]
pub struct LabOutage {
    pub lab: String,
    pub day: NaiveDate,
    pub runs: usize,
    pub errors: usize,
    pub misses: usize,
    pub platforms: Vec<String>,
}

/// Lab-days where most runs were ERROR or MISS; MISSes after a failed boot are the kernel's.
pub fn lab_outages(series: &[Series], jobs: &[JobTally]) -> Vec<LabOutage> {
    #[derive(Default)]
    struct Day<'a> {
        runs: usize,
        errors: usize,
        misses: usize,
        platforms: BTreeSet<&'a str>,
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
                match r.status {
                    Status::Error => d.errors += 1,
                    Status::Miss => d.misses += 1,
                    _ => continue,
                }
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
            }
        },
    );
    let mut out: Vec<LabOutage> = days
        .into_iter()
        .filter(|(_, d)| {
            let bad = d.errors + d.misses;
            bad >= OUTAGE_MIN_RUNS && bad * 2 >= d.runs
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
        })
        .collect();
    out.sort_by(|a, b| (&a.lab, a.day).cmp(&(&b.lab, b.day)));
    out
}
