//! A night's report: what the site and the export are rendered from.
//!
//! Ingest, correlate, then enrich with what people know: maintainer annotations, known-issue
//! rules, KCIDB issues, and the ledger of published permalinks.

pub mod export;
pub mod ledger;
pub mod ledger_file;
pub mod ledger_recover;

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::content::Content;
use crate::correlate::health::Health;
use crate::correlate::{KcidbIssueRef, Regression, analyse};
use crate::diag::{Diagnostic, IngestSummary};
use crate::ingest::{self, Dataset, LoadOptions};
use crate::series::build_series;
use ledger::{Entry, Ledger};

/// The correlated result of one run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub report_date: Option<NaiveDate>,
    pub regressions: Vec<Regression>,
    pub health: Health,
    /// Published regressions no longer in the data: their pages are kept.
    pub archived: Vec<Entry>,
    pub content: Content,
    pub summary: IngestSummary,
    pub diagnostics: Vec<Diagnostic>,
    /// Subsystems, maintainers, lists and suspect commits, when routing inputs were given.
    pub routing: Option<crate::route::routing::Routing>,
}

impl Report {
    /// Routes the regressions and flaky tests (see [`crate::route`]); routing's diagnostics
    /// join the report's.
    pub fn route(&mut self, router: &crate::route::Router) {
        let routing = router.route(&self.regressions, &self.health);
        self.diagnostics.extend(routing.diagnostics.iter().cloned());
        self.routing = Some(routing);
    }
}

/// Reads `results`, correlates, enriches, and updates `ledger` with this night's regressions.
pub fn build_report(
    results: &[PathBuf],
    date: Option<NaiveDate>,
    content: Content,
    ledger: &mut Ledger,
) -> Report {
    build_report_with(&LoadOptions::new(results, date), content, ledger)
}

/// [`build_report`] with every input option.
pub fn build_report_with(opts: &LoadOptions, content: Content, ledger: &mut Ledger) -> Report {
    build_report_from(ingest::load_with(opts), content, ledger)
}

/// Correlates and enriches an already ingested dataset.
pub fn build_report_from(mut ds: Dataset, content: Content, ledger: &mut Ledger) -> Report {
    crate::progress::phase("correlating");
    let mut tm = crate::timings::Timer::start();
    let (series, timeline) = build_series(&ds);
    tm.mark("gather series");
    let analysis = analyse(&series, &timeline, &ds.store, ds.report_date);
    let mut tm = crate::timings::Timer::start();
    let mut regressions = analysis.regressions;
    let archived_ids = ledger.reconcile(&mut regressions, ds.report_date);
    attach_kcidb_issues(&mut regressions, &ds);
    tm.mark("ledger and KCIDB issues");
    for r in &mut regressions {
        r.known_issue = content
            .known_issues
            .iter()
            .find(|k| {
                r.occurrences.iter().any(|o| {
                    k.matches(
                        &o.test,
                        &o.platform,
                        o.lab.as_deref(),
                        o.signature.as_deref().or(r.signature.as_deref()),
                    )
                })
            })
            .map(|k| k.reference());
        if let Some(a) = content.annotations.get(&r.id) {
            if let Some(t) = &a.title {
                r.title = t.clone();
            }
            r.annotations = Some(a.clone());
        }
    }
    let mut health = analysis.health;
    let known = |test: &str, platforms: &[String]| {
        content
            .known_issues
            .iter()
            .find(|k| platforms.iter().any(|p| k.matches(test, p, None, None)))
            .map(|k| k.reference())
    };
    for t in &mut health.flaky_tests {
        t.known_issue = known(&t.test, &t.platforms);
    }
    for a in &mut health.always_failing {
        a.known_issue = known(&a.test, &a.platforms);
    }
    for id in &archived_ids {
        if let Some(e) = ledger.entries.get_mut(id)
            && e.fate.is_none()
        {
            e.fate = Some(ledger::fate(e, &health, ds.report_date));
        }
    }
    // Half a million series take a while to free: on the side, while the site renders.
    rayon::spawn(move || drop(series));
    let mut diagnostics = std::mem::take(&mut ds.diagnostics);
    diagnostics.extend(content.diagnostics.iter().cloned());
    let report_date = ds.report_date;
    let summary = std::mem::take(&mut ds.summary);
    drop(ds);
    tm.mark("known issues and content");
    Report {
        report_date,
        regressions,
        health,
        archived: archived_ids
            .iter()
            .filter_map(|id| ledger.entries.get(id).cloned())
            .collect(),
        content,
        summary,
        diagnostics,
        routing: None,
    }
}

impl Report {
    /// The regressions published as such (confirmed); the report lists them first.
    pub fn published(&self) -> &[Regression] {
        let n = self.regressions.partition_point(|r| r.is_published());
        &self.regressions[..n]
    }

    /// Candidates listed apart until confirmed (after the published ones).
    pub fn unconfirmed(&self) -> &[Regression] {
        &self.regressions[self.published().len()..]
    }
}

/// Attaches the KCIDB issues whose (present) incidents name a regression's failing tests.
fn attach_kcidb_issues(regressions: &mut [Regression], ds: &Dataset) {
    let mut by_test: BTreeMap<u64, Vec<&str>> = BTreeMap::new();
    for inc in ds.incidents.values() {
        if inc.present == Some(false) {
            continue;
        }
        if let (Some(t), Some(i)) = (&inc.test_id, &inc.issue_id) {
            by_test.entry(crate::store::id_hash(t)).or_default().push(i);
        }
    }
    for r in regressions {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for t in &r.failing_tests {
            for i in by_test.get(t).into_iter().flatten() {
                *counts.entry(i).or_default() += 1;
            }
        }
        r.kcidb_issues = counts
            .into_iter()
            .filter_map(|(id, n)| {
                let issue = ds.issues.get(id)?;
                Some(KcidbIssueRef {
                    id: issue.id.clone(),
                    version: issue.version,
                    origin: issue.origin.clone(),
                    comment: issue.comment.clone(),
                    report_url: issue.report_url.clone(),
                    report_subject: issue.report_subject.clone(),
                    culprit: issue.culprit.clone(),
                    categories: issue.categories.clone().unwrap_or_default(),
                    incidents: n,
                })
            })
            .collect();
    }
}
