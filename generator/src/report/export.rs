//! The machine-readable export, `api/v1/regressions.json`.
//!
//! Version 1 of the API: fields are only ever added, never renamed or removed.

use serde::Serialize;

use crate::correlate::Regression;
use crate::report::Report;

/// The document written to `api/v1/regressions.json`.
#[derive(Serialize)]
struct RegressionsDoc<'a> {
    /// API version; bumped only for incompatible changes (with a new `api/vN/` path).
    api_version: u32,
    /// The night this report is for (`YYYY-MM-DD`).
    report_date: Option<String>,
    /// Published regressions (confirmed).
    regressions: Vec<Exported<'a>>,
    /// Candidates seen failing once on one board, not yet confirmed (status `unconfirmed`).
    unconfirmed: Vec<Exported<'a>>,
}

/// One regression, with its routing (subsystems, maintainers, lists, suspect commits) when
/// the site routes.
#[derive(Serialize)]
struct Exported<'a> {
    #[serde(flatten)]
    regression: &'a Regression,
    #[serde(flatten)]
    route: Option<&'a crate::route::routing::Route>,
}

/// Regressions with their routing, when the site routes.
fn exported<'a>(report: &'a Report, rs: &'a [Regression]) -> Vec<Exported<'a>> {
    rs.iter()
        .map(|r| Exported {
            regression: r,
            route: report.routing.as_ref().and_then(|x| x.get(&r.id)),
        })
        .collect()
}

/// Serialises the export, pretty-printed so diffs between nights are readable.
pub fn regressions_json(report: &Report) -> serde_json::Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(&RegressionsDoc {
        api_version: 1,
        report_date: report.report_date.map(|d| d.to_string()),
        regressions: exported(report, report.published()),
        unconfirmed: exported(report, report.unconfirmed()),
    })?;
    out.push(b'\n');
    Ok(out)
}

/// The document written to `api/v1/flaky.json`: what was kept off the regression list.
#[derive(Serialize)]
struct FlakyDoc<'a> {
    api_version: u32,
    report_date: Option<String>,
    #[serde(flatten)]
    health: &'a crate::correlate::health::Health,
}

/// Serialises the flaky-tests, suspect-boards, lab-outages and always-failing lists.
pub fn flaky_json(report: &Report) -> serde_json::Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(&FlakyDoc {
        api_version: 1,
        report_date: report.report_date.map(|d| d.to_string()),
        health: &report.health,
    })?;
    out.push(b'\n');
    Ok(out)
}
