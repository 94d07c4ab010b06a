//! Accuracy on real CI history: what CIP's five years (`../shared/realdata/cip/`) look like
//! through regtrack, measured against what the data itself proves and against the lab's own
//! health-check record. `regtrack accuracy --real DIR` prints it; the real-data tests assert
//! it; `docs/real-history.md` reports it.
//!
//! - **Flip-flopping series** (the issue's definition, computed here from the series' runs, not
//!   from the verdicts): three or more separate failure stretches (passes between them) and a
//!   failure rate of 5-95%. The share listed flaky (their board is among the flaky test's
//!   boards on their branch) and the share inside a published regression.
//! - **Lab outages** against the record: an outage day regtrack reports is *confirmed* when the
//!   lab had a health check that did not complete that day; a recorded outage day is *seen*
//!   when regtrack's data has a job of that lab that day that never reached a verdict (MISS or
//!   ERROR), and *missed* when it is seen but not reported.
//! - **Suspect boards** with their health-check failure rate, beside the fleet's.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::NaiveDate;

use crate::model::Status;
use crate::report::Report;
use crate::report::ledger::Ledger;
use crate::series::{Series, build_series};

/// What one real history gives.
#[derive(Debug, Clone, Default)]
pub struct RealScore {
    pub results: usize,
    pub regressions: usize,
    pub unconfirmed: usize,
    pub flaky_tests: usize,
    /// Flip-flopping series, those of them listed flaky, and those inside a regression.
    pub flip_flops: usize,
    pub flip_flops_flaky: usize,
    pub flip_flops_in_regression: usize,
    /// Lab-days regtrack reports as outages, and how many of them the record confirms.
    pub outage_days: usize,
    pub outage_days_confirmed: usize,
    /// Lab-days with data on which the record has a failed health check (its base rate).
    pub lab_days: usize,
    pub lab_days_recorded: usize,
    /// Recorded outage days with a job that never reached a verdict in the data, and those
    /// regtrack did not report.
    pub recorded_seen: usize,
    pub recorded_missed: usize,
    /// Suspect boards with their health-check failure rate, and the fleet's rate.
    pub suspect_boards: Vec<(String, f64)>,
    pub fleet_health_failure_rate: f64,
}

impl fmt::Display for RealScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
        writeln!(
            f,
            "{} results: {} regressions published, {} unconfirmed, {} flaky tests",
            self.results, self.regressions, self.unconfirmed, self.flaky_tests
        )?;
        writeln!(
            f,
            "flip-flopping series (3+ separate failure stretches, 5-95% failing): {}; listed flaky {} ({:.0}%), in a regression {} ({:.0}%)",
            self.flip_flops,
            self.flip_flops_flaky,
            pct(self.flip_flops_flaky, self.flip_flops),
            self.flip_flops_in_regression,
            pct(self.flip_flops_in_regression, self.flip_flops)
        )?;
        writeln!(
            f,
            "lab outages: {} days reported, {} confirmed by a failed health check ({:.0}%; any lab-day with data: {:.0}%); recorded outage days seen in the data {}, missed {}",
            self.outage_days,
            self.outage_days_confirmed,
            pct(self.outage_days_confirmed, self.outage_days),
            pct(self.lab_days_recorded, self.lab_days),
            self.recorded_seen,
            self.recorded_missed
        )?;
        write!(
            f,
            "suspect boards: {}",
            match self.suspect_boards.is_empty() {
                true => "none".to_string(),
                false => self
                    .suspect_boards
                    .iter()
                    .map(|(b, r)| format!("{b} (health checks failing {:.1}%)", 100.0 * r))
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        )?;
        write!(
            f,
            "; the fleet's health checks fail {:.1}%",
            100.0 * self.fleet_health_failure_rate
        )
    }
}

/// Separate failure stretches and failure rate of a series' verdicts.
fn flip_flop(s: &Series) -> bool {
    let (mut stretches, mut fails, mut verdicts, mut failing) = (0, 0, 0, false);
    for r in &s.runs {
        match r.status {
            Status::Pass => {
                verdicts += 1;
                failing = false;
            }
            Status::Fail => {
                verdicts += 1;
                fails += 1;
                stretches += usize::from(!failing);
                failing = true;
            }
            _ => {}
        }
    }
    let rate = fails as f64 / verdicts.max(1) as f64;
    stretches >= 3 && (0.05..=0.95).contains(&rate)
}

/// One lab health check: lab, device type, day, and whether it completed.
struct HealthCheck {
    lab: String,
    device: String,
    day: NaiveDate,
    complete: bool,
}

/// Reads `healthchecks.csv.gz` (job_id, submitted, started, finished, device_type, hostname,
/// lab, health, ...); cancelled checks say nothing about the board and are left out.
fn health_checks(path: &Path) -> Result<Vec<HealthCheck>> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .with_context(|| format!("reading {}", path.display()))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (Some(started), Some(device), Some(lab), Some(health)) = (
        col("started"),
        col("device_type"),
        col("lab"),
        col("health"),
    ) else {
        anyhow::bail!("{}: unexpected header {header:?}", path.display());
    };
    let mut out = Vec::new();
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        let Some(day) = f
            .get(started)
            .and_then(|t| t.get(..10))
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        else {
            continue;
        };
        let h = f.get(health).copied().unwrap_or("");
        if h == "Canceled" {
            continue;
        }
        out.push(HealthCheck {
            lab: f.get(lab).unwrap_or(&"").to_string(),
            device: f.get(device).unwrap_or(&"").to_string(),
            day,
            complete: h == "Complete",
        });
    }
    Ok(out)
}

/// Builds the report of `results` (CIP's KCIDB folders) and measures it (see the module doc);
/// `realdata` is the folder holding `cip/healthchecks.csv.gz`.
pub fn measure(realdata: &Path, results: &[std::path::PathBuf]) -> Result<(RealScore, Report)> {
    let ds = crate::ingest::load(results, None);
    let results_count = ds.test_count();
    let (series, _) = build_series(&ds);
    let flip_flops: Vec<&Series> = series.iter().filter(|s| flip_flop(s)).collect();
    // Lab-days (lab, day) with a job that never reached a verdict, as the data shows them.
    let mut infra_days: BTreeSet<(String, NaiveDate)> = BTreeSet::new();
    let mut data_days: BTreeSet<(String, NaiveDate)> = BTreeSet::new();
    for s in &series {
        let lab = s.lab_name().to_string();
        for r in &s.runs {
            let Some(day) = r.day() else { continue };
            data_days.insert((lab.clone(), day));
            if matches!(r.status, Status::Miss | Status::Error) {
                infra_days.insert((lab.clone(), day));
            }
        }
    }
    let keys: Vec<(String, String, String, String, String)> = flip_flops
        .iter()
        .map(|s| {
            (
                s.key.branch.to_string(),
                s.key.test.to_string(),
                s.key.platform.to_string(),
                s.key.arch.to_string(),
                s.key.config.to_string(),
            )
        })
        .collect();
    drop(series);
    let report = crate::report::build_report_from(ds, Default::default(), &mut Ledger::default());

    let flaky: BTreeSet<(&str, &str, &str)> = report
        .health
        .flaky_tests
        .iter()
        .flat_map(|t| {
            t.platforms
                .iter()
                .map(move |p| (t.branch.as_str(), t.test.as_str(), p.as_str()))
        })
        .collect();
    let mut in_regression: BTreeSet<(&str, &str, &str, &str, &str)> = BTreeSet::new();
    for r in report.published() {
        let branch = r.branch.as_deref().unwrap_or("");
        for o in &r.occurrences {
            in_regression.insert((branch, &o.test, &o.platform, &o.arch, &o.config));
        }
    }
    let mut score = RealScore {
        results: results_count,
        regressions: report.published().len(),
        unconfirmed: report.unconfirmed().len(),
        flaky_tests: report.health.flaky_tests.len(),
        flip_flops: keys.len(),
        ..Default::default()
    };
    for (b, t, p, a, c) in &keys {
        score.flip_flops_flaky +=
            usize::from(flaky.contains(&(b.as_str(), t.as_str(), p.as_str())));
        score.flip_flops_in_regression += usize::from(in_regression.contains(&(
            b.as_str(),
            t.as_str(),
            p.as_str(),
            a.as_str(),
            c.as_str(),
        )));
    }

    let checks = health_checks(&realdata.join("cip/healthchecks.csv.gz"))?;
    let failed_days: BTreeSet<(String, NaiveDate)> = checks
        .iter()
        .filter(|c| !c.complete)
        .map(|c| (c.lab.clone(), c.day))
        .collect();
    let reported: BTreeSet<(String, NaiveDate)> = report
        .health
        .lab_outages
        .iter()
        .map(|o| (o.lab.clone(), o.day))
        .collect();
    score.outage_days = reported.len();
    score.outage_days_confirmed = reported.intersection(&failed_days).count();
    score.lab_days = data_days.len();
    score.lab_days_recorded = data_days.intersection(&failed_days).count();
    let seen: BTreeSet<&(String, NaiveDate)> = failed_days.intersection(&infra_days).collect();
    score.recorded_seen = seen.len();
    score.recorded_missed = seen.iter().filter(|d| !reported.contains(d)).count();
    let mut per_device: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for c in &checks {
        let e = per_device.entry(&c.device).or_default();
        e.0 += 1;
        e.1 += usize::from(!c.complete);
    }
    let (all, failed) = per_device
        .values()
        .fold((0, 0), |(a, f), (n, k)| (a + n, f + k));
    score.fleet_health_failure_rate = failed as f64 / all.max(1) as f64;
    score.suspect_boards = report
        .health
        .suspect_boards
        .iter()
        .map(|b| {
            let (n, k) = per_device
                .get(b.platform.as_str())
                .copied()
                .unwrap_or((0, 0));
            (b.platform.clone(), k as f64 / n.max(1) as f64)
        })
        .collect();
    Ok((score, report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::correlate::stretch::tests::series;
    use Status::*;

    #[test]
    fn flip_flops_as_the_issue_defines_them() {
        assert!(flip_flop(&series(&[
            Pass, Fail, Pass, Fail, Pass, Fail, Pass
        ])));
        // Two stretches are not enough; a failure rate above 95% is not flipping.
        assert!(!flip_flop(&series(&[Pass, Fail, Pass, Fail, Pass])));
        let mut mostly = vec![Fail; 60];
        mostly.extend([Pass, Fail, Pass, Fail, Pass]);
        assert!(!flip_flop(&series(&mostly)));
    }
}
