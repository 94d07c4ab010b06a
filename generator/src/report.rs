//! A night's report: what the site and the export are rendered from.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::correlate::{Regression, correlate};
use crate::diag::{Diagnostic, IngestSummary};
use crate::ingest;
use crate::series::build_series;

/// The correlated result of one run.
#[derive(Debug, Clone)]
pub struct Report {
    pub report_date: Option<NaiveDate>,
    pub regressions: Vec<Regression>,
    pub summary: IngestSummary,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads `results`, correlates, and returns the report for `date` (default: newest day).
pub fn build_report(results: &[PathBuf], date: Option<NaiveDate>) -> Report {
    let ds = ingest::load(results, date);
    let series = build_series(&ds);
    let regressions = correlate(&series, ds.report_date);
    Report {
        report_date: ds.report_date,
        regressions,
        summary: ds.summary,
        diagnostics: ds.diagnostics,
    }
}
