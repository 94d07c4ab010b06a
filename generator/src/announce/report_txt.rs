//! `r/<id>/report.txt`: a regression as plain text fit to paste into a mail to the lists,
//! with the regzbot lines and the suggested recipients (the page's "Copy report" copies it).
//!
//! Plain text has no escaping, so everything from test data goes through [`super::text`]:
//! one line where one line is meant, excerpts indented, cut and with command lines quoted.
//! The regzbot block is the only place a line starts with `#regzbot`.

use std::collections::BTreeSet;

use super::events::{absolute_permalink, permalink};
use super::text::{MAX_EXCERPT_LINES, address, block, one_line};
use crate::correlate::Regression;
use crate::route::routing::Route;
use crate::series::CommitRef;

/// The regression list everyone reporting a Linux regression copies (the kernel's
/// reporting-regressions guide).
pub const REGRESSIONS_LIST: &str = "regressions@lists.linux.dev";

/// Environments the report's table lists (the page and the export have all of them).
pub const MAX_TABLE_ROWS: usize = 20;

/// Who a report should go to, from routing: the maintainers, then the reviewers and lists
/// (and the regressions list) on copy. Only well-formed addresses are kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recipients {
    pub to: Vec<String>,
    pub cc: Vec<String>,
}

pub fn recipients(route: Option<&Route>) -> Recipients {
    let mut seen = BTreeSet::new();
    let mut take = |list: &mut Vec<String>, addrs: &mut dyn Iterator<Item = &String>| {
        for a in addrs {
            if let Some(a) = address(a) {
                let key = a.rsplit('<').next().unwrap_or(&a).to_ascii_lowercase();
                if seen.insert(key) {
                    list.push(a);
                }
            }
        }
    };
    let mut r = Recipients::default();
    if let Some(route) = route {
        take(&mut r.to, &mut route.maintainers.iter().map(|c| &c.address));
        take(&mut r.cc, &mut route.reviewers.iter().map(|c| &c.address));
        take(&mut r.cc, &mut route.lists.iter().map(|c| &c.address));
    }
    let list = REGRESSIONS_LIST.to_string();
    take(&mut r.cc, &mut std::iter::once(&list));
    r
}

/// `describe (commit)` or whichever is known.
fn commit(c: &CommitRef) -> String {
    let hash = c
        .commit
        .as_deref()
        .map(|h| one_line(h, 41).chars().take(12).collect::<String>());
    match (c.describe.as_deref().map(|d| one_line(d, 80)), hash) {
        (Some(d), Some(h)) if !d.contains(&h) => format!("{d} ({h})"),
        (Some(d), _) => d,
        (None, Some(h)) => h,
        (None, None) => "unknown".into(),
    }
}

/// The mail subject for a regression.
pub fn subject(r: &Regression) -> String {
    let tree = match (r.tree.as_deref(), r.branch.as_deref()) {
        (Some(t), Some(b)) => format!("{t}/{b}: "),
        (Some(t), None) => format!("{t}: "),
        _ => String::new(),
    };
    one_line(&format!("[REGRESSION] {tree}{}", r.title), 200)
}

/// A table with columns padded to their widest cell.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut s = String::from("  ");
        for (c, w) in cells.zip(&widths) {
            s.push_str(c);
            s.push_str(&" ".repeat(w - c.chars().count() + 2));
        }
        s.truncate(s.trim_end().len());
        s.push('\n');
        s
    };
    let mut out = line(&mut header.iter().copied());
    for row in rows {
        out.push_str(&line(&mut row.iter().map(String::as_str)));
    }
    out
}

/// The whole report: the suggested subject and recipients, a blank line, then the mail's
/// body. `base_url` makes the permalink absolute (and adds `#regzbot link:`).
pub fn report_text(r: &Regression, route: Option<&Route>, base_url: Option<&str>) -> String {
    let mut s = String::new();
    let rcpt = recipients(route);
    s.push_str(&format!("Subject: {}\n", subject(r)));
    if !rcpt.to.is_empty() {
        s.push_str(&format!("To: {}\n", rcpt.to.join(", ")));
    }
    s.push_str(&format!("Cc: {}\n\n", rcpt.cc.join(", ")));
    s.push_str(&body(r, route, base_url));
    s
}

/// The body of the report mail.
pub fn body(r: &Regression, route: Option<&Route>, base_url: Option<&str>) -> String {
    let link = permalink(base_url, &r.id);
    let abs = absolute_permalink(base_url, &r.id);
    let mut s = String::new();

    s.push_str(&format!(
        "Hi,\n\nCI found a regression{}:\n\n  {}\n\n",
        r.tree
            .as_deref()
            .map(|t| format!(" on {}", one_line(t, 80)))
            .unwrap_or_default(),
        one_line(&r.title, 200)
    ));
    let tree = one_line(
        &match (r.tree.as_deref(), r.branch.as_deref()) {
            (Some(t), Some(b)) => format!("{t} / {b}"),
            (Some(t), None) => t.to_string(),
            _ => "unknown".into(),
        },
        120,
    );
    let mut facts: Vec<(&str, String)> = vec![("Tree", tree)];
    if let Some(u) = r
        .repository_url
        .as_deref()
        .filter(|u| crate::links::is_web_url(u))
    {
        facts.push(("Repository", one_line(u, 200)));
    }
    facts.push((
        "Introduced",
        format!(
            "between {} (last pass) and {} (first fail)",
            commit(&r.last_pass),
            commit(&r.first_fail)
        ),
    ));
    if let Some(f) = &r.fixed_in {
        facts.push((
            "Fixed",
            format!(
                "between {} (last fail) and {} (first pass)",
                commit(&f.last_fail),
                commit(&f.first_pass)
            ),
        ));
    }
    let day = |d: Option<chrono::NaiveDate>| d.map_or("unknown".into(), |d| d.to_string());
    facts.push((
        "Status",
        format!(
            "{} (first seen {}, last seen {})",
            r.status.as_str(),
            day(r.first_seen),
            day(r.last_seen)
        ),
    ));
    facts.push((
        "Scope",
        match &r.scope.value {
            Some(v) => format!("{}: {}", r.scope.kind, one_line(v, 80)),
            None => r.scope.kind.to_string(),
        },
    ));
    if let Some(sig) = &r.signature {
        facts.push(("Crash", one_line(sig, 200)));
    }
    if let Some(route) = route
        && !route.subsystems.is_empty()
    {
        let names: Vec<String> = route
            .subsystems
            .iter()
            .map(|x| one_line(&x.name, 80))
            .collect();
        facts.push(("Subsystems", names.join(", ")));
    }
    facts.push(("Permalink", link.clone()));
    for (k, v) in &facts {
        s.push_str(&format!("{:<11} {v}\n", format!("{k}:")));
    }

    if !r.occurrences.is_empty() {
        let boards: BTreeSet<&str> = r.occurrences.iter().map(|o| o.platform.as_str()).collect();
        s.push_str(&format!(
            "\nAffected ({} environment{}, {} board{}):\n\n",
            r.occurrences.len(),
            if r.occurrences.len() == 1 { "" } else { "s" },
            boards.len(),
            if boards.len() == 1 { "" } else { "s" },
        ));
        let rows: Vec<Vec<String>> = r
            .occurrences
            .iter()
            .take(MAX_TABLE_ROWS)
            .map(|o| {
                vec![
                    one_line(&o.platform, 40),
                    one_line(&o.arch, 16),
                    one_line(&o.config, 40),
                    one_line(&o.compiler, 24),
                    one_line(&o.test, 60),
                ]
            })
            .collect();
        s.push_str(&table(
            &["board", "arch", "config", "compiler", "test"],
            &rows,
        ));
        if r.occurrences.len() > MAX_TABLE_ROWS {
            s.push_str(&format!(
                "  … and {} more (see the permalink)\n",
                r.occurrences.len() - MAX_TABLE_ROWS
            ));
        }
    } else if !r.tests.is_empty() {
        s.push_str("\nTests:\n");
        for t in r.tests.iter().take(MAX_TABLE_ROWS) {
            s.push_str(&format!("  {}\n", one_line(t, 120)));
        }
    }

    // One excerpt: the first with a crash signature, else the first at all.
    let excerpt = r
        .occurrences
        .iter()
        .filter(|o| {
            o.log_excerpt
                .as_deref()
                .is_some_and(|x| !x.trim().is_empty())
        })
        .min_by_key(|o| o.signature.is_none());
    if let Some(o) = excerpt {
        s.push_str(&format!(
            "\nLog excerpt ({}, {}):\n\n",
            one_line(&o.platform, 40),
            one_line(&o.test, 80)
        ));
        s.push_str(&block(
            o.log_excerpt.as_deref().unwrap_or(""),
            "  ",
            MAX_EXCERPT_LINES,
        ));
        if let Some(u) = o.log_url.as_deref().filter(|u| crate::links::is_web_url(u)) {
            s.push_str(&format!("\n  Full log: {}\n", one_line(u, 400)));
        }
    }

    let regzbot = super::regzbot::block(r, route, abs.as_deref());
    s.push('\n');
    if regzbot.is_empty() {
        s.push_str(
            "(No #regzbot lines: the commits of the window are not known, so regzbot could not\n\
             tell where it was introduced. Add `#regzbot introduced: <good>..<bad>` by hand.)\n",
        );
    } else {
        for l in &regzbot {
            s.push_str(l);
            s.push('\n');
        }
    }
    s.push_str(&format!(
        "\nIf you fix it, please add to the fix:\n\n  Reported-by: <the name and address this report is sent from>\n  Closes: {}\n",
        abs.as_deref().unwrap_or("<the link to this report in the list archive>")
    ));
    if abs.is_none() {
        s.push_str(&format!(
            "\n(The permalink {link} is relative to where the site is published; build with\n--base-url to print it whole.)\n"
        ));
    }
    s
}
