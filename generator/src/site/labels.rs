//! How a regression and its runs are labelled wherever they show (static pages and the
//! viewer's data alike): status letters, run titles, test suites, flags and which excerpts
//! show.

use crate::correlate::{RecentRun, Regression};
use crate::model::Status;

/// A status' letter in a history strip and its word: `("F", "fail")`.
pub fn letter(s: Status) -> (&'static str, &'static str) {
    match s {
        Status::Pass => ("P", "pass"),
        Status::Fail => ("F", "fail"),
        Status::Error => ("E", "error"),
        Status::Miss => ("M", "miss"),
        Status::Done => ("D", "done"),
        Status::Skip => ("S", "skip"),
    }
}

/// Which run a strip cell is: `fail · v6.18-rc3-12-g0123abcd · 2026-11-19`.
pub fn run_title(r: &RecentRun) -> String {
    let mut title = letter(r.status).1.to_string();
    let short = r.commit.as_deref().map(|c| c.chars().take(12).collect());
    if let Some(c) = r.describe.clone().or(short) {
        title.push_str(&format!(" · {c}"));
    }
    if let Some(d) = &r.day {
        title.push_str(&format!(" · {d}"));
    }
    title
}

/// The test suite of a test path: its parent, at most two components deep
/// (`kselftest.net.tls` -> `kselftest.net`, `baseline.login` -> `baseline`, `boot` -> `boot`).
pub fn suite(test: &str) -> &str {
    let parts: Vec<usize> = test.match_indices('.').map(|(i, _)| i).collect();
    match parts.len() {
        0 => test,
        1 => &test[..parts[0]],
        _ => &test[..parts[1]],
    }
}

/// The flags a regression carries in the viewer's status facet: `flaky` (an affected
/// environment is intermittent), `known` (matches a
/// known-issue rule), `annotated` (maintainers wrote about it).
pub fn flags(r: &Regression) -> Vec<&'static str> {
    let mut f = Vec::new();
    if r.annotations.is_some() {
        f.push("annotated");
    }
    if r.occurrences.iter().any(|o| o.intermittent) {
        f.push("flaky");
    }
    if r.known_issue.is_some() {
        f.push("known");
    }
    f
}

/// Which occurrences' log excerpts a drill-down shows (the same choice as the permalink
/// page, and as the excerpts correlation read): see [`crate::correlate::choose_excerpts`].
pub fn excerpt_choice(r: &Regression) -> Vec<usize> {
    let o = &r.occurrences;
    crate::correlate::choose_excerpts(o.iter().map(|o| &o.signature), |i| {
        o[i].log_excerpt
            .as_deref()
            .is_some_and(|t| !t.trim().is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suites() {
        assert_eq!(suite("kselftest.net.tls"), "kselftest.net");
        assert_eq!(suite("ltp.syscalls.setsockopt10"), "ltp.syscalls");
        assert_eq!(suite("baseline.login"), "baseline");
        assert_eq!(suite("boot"), "boot");
    }
}
