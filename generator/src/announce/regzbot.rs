//! The lines that hand a regression to regzbot, the kernel's regression tracker, and the
//! bisect command: one place, used by the page, the viewer's data and the mail-ready report.
//!
//! regzbot (`docs/reference.md` of its repository) reads commands at the start of a line,
//! in a block separated from the rest of the mail by blank lines, `introduced` first:
//! `#regzbot introduced: <commit-id|range>` (commit ids at least 8 characters, a range as
//! git writes it), `#regzbot title: <title>` and `#regzbot link: <link> [title]`. Commit ids
//! are written with 12 hex digits (the kernel's own abbreviation); the title is one line of
//! safe text, so nothing from test data can start a second command.

use super::text::one_line;
use crate::correlate::Regression;
use crate::route::git::is_commit_name;
use crate::route::routing::Route;

/// Hex digits of a commit name in the lines (as the kernel abbreviates them, and more than
/// the 8 regzbot requires).
pub const SHORT: usize = 12;

/// Longest `#regzbot title:`.
const MAX_TITLE: usize = 120;

fn short(h: &str) -> String {
    h.chars().take(SHORT).collect()
}

/// A commit name the lines may carry: hex, long enough for regzbot.
fn usable(c: &str) -> bool {
    is_commit_name(c) && c.len() >= SHORT
}

/// The lines to report a regression with, and where their window comes from.
pub struct ReportLines {
    /// `#regzbot introduced: A..B`.
    pub regzbot: Option<String>,
    /// `git bisect start B A…`.
    pub bisect: Option<String>,
    /// From the window narrowed over every environment in the clone (else the regression's
    /// own last-pass..first-fail).
    pub narrowed: bool,
}

/// The regzbot line and bisect command of `r`: from its narrowed window when the clone gave
/// one, else from its own window when both commits are known.
pub fn report_lines(r: &Regression, route: Option<&Route>) -> ReportLines {
    if let Some(s) = route.and_then(|x| x.suspects.as_ref())
        && s.regzbot.is_some()
    {
        return ReportLines {
            regzbot: s.regzbot.clone(),
            bisect: s.bisect.clone(),
            narrowed: true,
        };
    }
    let lp = r.last_pass.commit.as_deref().filter(|c| usable(c));
    let ff = r.first_fail.commit.as_deref().filter(|c| usable(c));
    let (regzbot, bisect) = match (lp, ff) {
        (Some(lp), Some(ff)) => (
            Some(format!("#regzbot introduced: {}..{}", short(lp), short(ff))),
            Some(format!("git bisect start {} {}", short(ff), short(lp))),
        ),
        _ => (None, None),
    };
    ReportLines {
        regzbot,
        bisect,
        narrowed: false,
    }
}

/// The whole regzbot block of a report: `introduced` first, then `title` and, with an
/// absolute permalink, `link`. Empty when the window's commits are unknown (regzbot cannot
/// track a regression without them; the report says so instead).
pub fn block(r: &Regression, route: Option<&Route>, permalink: Option<&str>) -> Vec<String> {
    let Some(introduced) = report_lines(r, route).regzbot else {
        return Vec::new();
    };
    let mut out = vec![introduced];
    let title = one_line(&r.title, MAX_TITLE);
    if !title.is_empty() {
        out.push(format!("#regzbot title: {title}"));
    }
    if let Some(url) = permalink.filter(|u| crate::links::is_web_url(u)) {
        out.push(format!("#regzbot link: {url} regtrack"));
    }
    out
}
