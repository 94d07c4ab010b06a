//! Boards: the safe folder name of each board's page, and what the health analysis says about
//! each board (its page and the viewer's board view are made from it).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::report::Report;

/// The folder name of a board's page: the name reduced to `[a-z0-9-]` (at most 40 characters)
/// plus 8 hex digits of its SHA-256, so any name, however hostile, gives a safe and unique path.
pub fn board_slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if s.len() >= 40 {
            break;
        }
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-');
    let h = Sha256::digest(name.as_bytes());
    let hex: String = h[..4].iter().map(|b| format!("{b:02x}")).collect();
    if s.is_empty() {
        format!("board-{hex}")
    } else {
        format!("{s}-{hex}")
    }
}

/// What the health analysis says about one board (the board page's context).
#[derive(Serialize, Default)]
pub struct BoardHealth<'a> {
    pub name: &'a str,
    /// Its static page, `boards/<slug>/index.html`.
    pub slug: String,
    /// Regressions with an occurrence on it.
    pub regressions: usize,
    pub flaky_tests: Vec<&'a crate::correlate::health::FlakyTest>,
    pub suspect: Option<&'a crate::correlate::health::SuspectBoard>,
    pub lab_outages: Vec<&'a crate::correlate::health::LabOutage>,
    pub always_failing: Vec<&'a crate::correlate::health::AlwaysFailing>,
    /// Rows (in the index) of the regressions on this board.
    #[serde(skip)]
    pub rows: Vec<usize>,
}

/// Every board named by a regression or the health analysis, by name.
pub fn boards(report: &Report) -> BTreeMap<&str, BoardHealth<'_>> {
    let mut out: BTreeMap<&str, BoardHealth> = BTreeMap::new();
    fn entry<'m, 'a>(
        out: &'m mut BTreeMap<&'a str, BoardHealth<'a>>,
        name: &'a str,
    ) -> &'m mut BoardHealth<'a> {
        out.entry(name).or_insert_with(|| BoardHealth {
            name,
            slug: board_slug(name),
            ..Default::default()
        })
    }
    for (row, r) in report.regressions.iter().enumerate() {
        let names: BTreeSet<&str> = r
            .occurrences
            .iter()
            .map(|o| o.platform.as_str())
            .filter(|p| !p.is_empty())
            .collect();
        for name in names {
            let b = entry(&mut out, name);
            b.regressions += 1;
            b.rows.push(row);
        }
    }
    let h = &report.health;
    for t in &h.flaky_tests {
        for p in &t.platforms {
            entry(&mut out, p).flaky_tests.push(t);
        }
    }
    for s in &h.suspect_boards {
        entry(&mut out, &s.platform).suspect = Some(s);
    }
    for o in &h.lab_outages {
        for p in &o.platforms {
            entry(&mut out, p).lab_outages.push(o);
        }
    }
    for a in &h.always_failing {
        for p in &a.platforms {
            entry(&mut out, p).always_failing.push(a);
        }
    }
    out.remove("");
    out
}
