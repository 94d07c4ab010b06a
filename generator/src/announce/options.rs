//! What the announce stage is given besides the report and the ledger (title, base URL,
//! KCIDB origin), and the section titles its outputs name subsystems by.

use std::collections::BTreeMap;

use crate::report::Report;

/// The KCIDB origin regressions are exported under unless `--kcidb-origin` says otherwise.
pub const DEFAULT_ORIGIN: &str = "regtrack";

/// What the announce stage needs besides the report and the ledger.
#[derive(Debug, Clone, Default)]
pub struct AnnounceOptions {
    pub site_title: String,
    /// Makes permalinks absolute (feeds, reports, KCIDB `report_url`).
    pub base_url: Option<String>,
    /// KCIDB origin of the exported issues and incidents (`[a-z0-9_]+`).
    pub kcidb_origin: Option<String>,
}

impl AnnounceOptions {
    pub fn base_url(&self) -> Option<&str> {
        self.base_url
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty())
    }

    /// The origin, reduced to what KCIDB accepts (`[a-z0-9_]+`).
    pub fn origin(&self) -> String {
        let o: String = self
            .kcidb_origin
            .as_deref()
            .unwrap_or(DEFAULT_ORIGIN)
            .chars()
            .map(|c| c.to_ascii_lowercase())
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if o.is_empty() {
            DEFAULT_ORIGIN.to_string()
        } else {
            o
        }
    }
}

/// Section titles by slug, for the feeds' names.
pub fn section_names(report: &Report) -> BTreeMap<String, String> {
    report
        .routing
        .as_ref()
        .map(|r| {
            r.pages
                .iter()
                .map(|(slug, p)| (slug.clone(), p.section.name.clone()))
                .collect()
        })
        .unwrap_or_default()
}
