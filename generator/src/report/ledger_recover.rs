//! `--ledger-recover`: a ledger rebuilt from what the published site still holds, for when
//! the ledger file is lost or broken.
//!
//! Three sources, most faithful first; an id found in an earlier one is kept as it is there:
//! 1. the site's copy of the ledger, `api/v1/ledger.json`, when it is not the broken file
//!    and its checksum holds (the ledger as of the last publish);
//! 2. every permalink page `r/<id>/index.html`: each carries its ledger entry as inert JSON
//!    (`<script type="application/json" id="regtrack-ledger-entry">`, see [`page_entry`]),
//!    archived pages included, so every published id can be recovered;
//! 3. `api/v1/regressions.json`: the night's regressions (the identity key is taken from
//!    the repository URL, else the tree name, as correlation does).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use serde::Deserialize;

use super::ledger::{Entry, Ledger};
use crate::correlate::regression::Confirmation;
use crate::series::CommitRef;

/// What the permalink page of an entry embeds: its JSON, safe inside `<script>` (every `<`,
/// `>` and `&` escaped as `\u00XX`, which JSON readers decode back).
pub fn page_entry(entry: &Entry) -> String {
    serde_json::to_string(entry)
        .expect("entry serialises")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The marker the embedded entry follows in a page.
const PAGE_MARKER: &str = "id=\"regtrack-ledger-entry\">";

fn from_page(html: &str) -> Option<Entry> {
    let start = html.find(PAGE_MARKER)? + PAGE_MARKER.len();
    let len = html[start..].find("</script>")?;
    serde_json::from_str(&html[start..start + len]).ok()
}

/// A regression as `api/v1/regressions.json` lists it (the fields the ledger keeps).
#[derive(Deserialize)]
struct Exported {
    id: String,
    title: String,
    status: String,
    tree: Option<String>,
    branch: Option<String>,
    repository_url: Option<String>,
    tests: Vec<String>,
    signature: Option<String>,
    first_seen: Option<NaiveDate>,
    last_seen: Option<NaiveDate>,
    last_pass: CommitRef,
    first_fail: CommitRef,
    /// Absent for the unconfirmed list's entries.
    #[serde(default)]
    confirmed: Option<Confirmation>,
}

#[derive(Deserialize)]
struct ExportDoc {
    report_date: Option<NaiveDate>,
    regressions: Vec<Exported>,
    /// First failures waiting for their confirmation (they have ids, pages and entries too).
    #[serde(default)]
    unconfirmed: Vec<Exported>,
}

/// How many entries each source gave.
#[derive(Debug, Default, Clone, Copy)]
pub struct Recovered {
    pub site_ledger: usize,
    pub pages: usize,
    pub export: usize,
    /// Permalink pages whose entry could not be read (a theme without the block, damage).
    pub unreadable_pages: usize,
}

impl std::fmt::Display for Recovered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} entries from the site's ledger copy, {} from permalink pages, {} from regressions.json",
            self.site_ledger, self.pages, self.export
        )?;
        if self.unreadable_pages > 0 {
            write!(
                f,
                "; {} permalink pages without a readable entry",
                self.unreadable_pages
            )?;
        }
        Ok(())
    }
}

/// Rebuilds a ledger from the published `site`. `broken` is the ledger file that failed (so
/// the site's copy is not used when it is that very file).
pub fn recover(site: &Path, broken: &Path) -> Result<(Ledger, Recovered)> {
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    let mut n = Recovered::default();
    let copy = site.join("api/v1/ledger.json");
    let same = |a: &Path, b: &Path| {
        std::fs::canonicalize(a)
            .ok()
            .is_some_and(|a| std::fs::canonicalize(b).ok() == Some(a))
    };
    if copy.is_file() && !same(&copy, broken) {
        match Ledger::load(&copy) {
            Ok(l) => {
                n.site_ledger = l.entries.len();
                entries.extend(l.entries);
            }
            Err(e) => eprintln!("warning: not recovering from {}: {e:#}", copy.display()),
        }
    }
    let pages = site.join("r");
    if pages.is_dir() {
        let mut dirs: Vec<_> = std::fs::read_dir(&pages)
            .with_context(|| format!("cannot list {}", pages.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        dirs.sort();
        for dir in dirs {
            let Ok(html) = std::fs::read_to_string(dir.join("index.html")) else {
                continue;
            };
            match from_page(&html) {
                Some(e) if !entries.contains_key(&e.id) => {
                    n.pages += 1;
                    entries.insert(e.id.clone(), e);
                }
                Some(_) => {}
                None => n.unreadable_pages += 1,
            }
        }
    }
    let export = site.join("api/v1/regressions.json");
    if let Ok(bytes) = std::fs::read(&export) {
        match serde_json::from_slice::<ExportDoc>(&bytes) {
            Ok(doc) => {
                for r in doc.regressions.into_iter().chain(doc.unconfirmed) {
                    if entries.contains_key(&r.id) {
                        continue;
                    }
                    n.export += 1;
                    let e = Entry {
                        id: r.id.clone(),
                        tree_key: r
                            .repository_url
                            .clone()
                            .or(r.tree.clone())
                            .unwrap_or_default(),
                        tree: r.tree,
                        branch: r.branch,
                        repository_url: r.repository_url,
                        title: r.title,
                        status: r.status,
                        tests: r.tests,
                        signature: r.signature,
                        first_seen: r.first_seen,
                        last_seen: r.last_seen,
                        last_pass: r.last_pass,
                        first_fail: r.first_fail,
                        last_report: doc.report_date,
                        confirmed: r.confirmed,
                        fate: None,
                        // The export carries no events: an id recovered from it alone starts
                        // a new history (pages carry their entry's events, whole).
                        events: Vec::new(),
                        subsystems: Vec::new(),
                        kcidb: None,
                    };
                    entries.insert(r.id, e);
                }
            }
            Err(e) => eprintln!("warning: not recovering from {}: {e}", export.display()),
        }
    }
    Ok((
        Ledger {
            entries,
            ..Ledger::default()
        },
        n,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_embedded_entry_survives_hostile_text() {
        let e = Entry {
            id: "0123456789abcdef".into(),
            tree_key: "t".into(),
            tree: Some("</script><script>alert(1)</script>".into()),
            branch: None,
            repository_url: None,
            title: "a & b <c>".into(),
            status: "fixed".into(),
            tests: vec!["x".into()],
            signature: None,
            first_seen: None,
            last_seen: None,
            last_pass: CommitRef::default(),
            first_fail: CommitRef::default(),
            last_report: None,
            confirmed: None,
            fate: Some("</script>".into()),
            events: vec![crate::report::ledger::Event {
                kind: crate::report::ledger::EventKind::New,
                day: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            }],
            subsystems: vec!["</script>".into()],
            kcidb: None,
        };
        let block = page_entry(&e);
        assert!(!block.contains('<') && !block.contains('>') && !block.contains('&'));
        let html = format!("<p><script type=\"application/json\" {PAGE_MARKER}{block}</script>");
        assert_eq!(from_page(&html), Some(e));
    }
}
