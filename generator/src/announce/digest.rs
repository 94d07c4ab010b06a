//! The nightly digest: what changed since a given night (new, confirmed, fixed, reopened),
//! grouped by tree/branch and by subsystem, with counts and links; as text (`digest.txt` in
//! the site, the body of the digest mail), Markdown or JSON (`regtrack report --since`).
//!
//! Read from the ledger's events, so the digest of a past night is the same whenever it is
//! made.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::events::{Happening, permalink, tree_branch};
use super::options::AnnounceOptions;
use super::text::one_line;
use crate::report::Report;
use crate::report::ledger::{EventKind, Ledger};

/// The events after one night, ready to print.
pub struct Digest<'a> {
    /// Events after this night (None: all of them).
    pub since: Option<NaiveDate>,
    pub report_date: Option<NaiveDate>,
    pub events: Vec<Happening<'a>>,
    site_title: String,
    base_url: Option<String>,
    /// Section titles by slug.
    names: BTreeMap<String, String>,
}

/// One event as JSON has it.
#[derive(Serialize)]
struct JsonEvent<'a> {
    kind: &'static str,
    day: NaiveDate,
    id: &'a str,
    title: String,
    tree: Option<&'a str>,
    branch: Option<&'a str>,
    status: &'a str,
    url: String,
    subsystems: &'a [String],
}

/// The JSON digest.
#[derive(Serialize)]
struct JsonDigest<'a> {
    api_version: u32,
    report_date: Option<NaiveDate>,
    since: Option<NaiveDate>,
    counts: BTreeMap<&'static str, usize>,
    events: Vec<JsonEvent<'a>>,
}

impl<'a> Digest<'a> {
    pub fn new(
        report: &Report,
        ledger: &'a Ledger,
        since: Option<NaiveDate>,
        opts: &AnnounceOptions,
    ) -> Digest<'a> {
        let events = match since {
            Some(d) => super::events::since(ledger, d),
            None => super::events::all(ledger),
        };
        Digest {
            since,
            report_date: report.report_date,
            events,
            site_title: opts.site_title.clone(),
            base_url: opts.base_url().map(String::from),
            names: super::options::section_names(report),
        }
    }

    fn link(&self, id: &str) -> String {
        permalink(self.base_url.as_deref(), id)
    }

    /// How many events of each kind.
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut c: BTreeMap<&'static str, usize> =
            EventKind::ALL.iter().map(|k| (k.as_str(), 0)).collect();
        for h in &self.events {
            *c.entry(h.kind.as_str()).or_default() += 1;
        }
        c
    }

    fn counts_line(&self) -> String {
        let c = self.counts();
        EventKind::ALL
            .iter()
            .map(|k| format!("{} {}", c[k.as_str()], k.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Events grouped by tree/branch (by name), each group newest first.
    fn by_tree(&self) -> BTreeMap<String, Vec<&Happening<'a>>> {
        let mut m: BTreeMap<String, Vec<&Happening>> = BTreeMap::new();
        for h in &self.events {
            m.entry(one_line(&tree_branch(h.entry), 100))
                .or_default()
                .push(h);
        }
        m
    }

    /// Events grouped by section title (a regression in two sections is in both).
    fn by_subsystem(&self) -> BTreeMap<String, Vec<&Happening<'a>>> {
        let mut m: BTreeMap<String, Vec<&Happening>> = BTreeMap::new();
        for h in &self.events {
            for s in &h.entry.subsystems {
                let name = self.names.get(s).map_or(s.as_str(), String::as_str);
                m.entry(one_line(name, 100)).or_default().push(h);
            }
        }
        m
    }

    fn heading(&self) -> String {
        let since = match self.since {
            Some(d) => format!("since {d}"),
            None => "in the whole history".into(),
        };
        format!(
            "{}: {} {since}{}",
            one_line(&self.site_title, 100),
            "what changed",
            self.report_date
                .map(|d| format!(" (report for {d})"))
                .unwrap_or_default()
        )
    }

    /// Plain text: the counts, then each tree/branch's events, then each subsystem's.
    pub fn text(&self) -> String {
        let mut s = format!("{}\n\n{}.\n", self.heading(), self.counts_line());
        if self.events.is_empty() {
            s.push_str("\nNothing changed.\n");
            return s;
        }
        let line = |h: &Happening| {
            format!(
                "  {:<10} {}  {}\n             {}\n",
                h.kind.as_str(),
                h.day,
                one_line(&h.entry.title, 160),
                self.link(&h.entry.id)
            )
        };
        for (tree, hs) in self.by_tree() {
            s.push_str(&format!("\n{tree} ({})\n\n", hs.len()));
            for h in hs {
                s.push_str(&line(h));
            }
        }
        let subsystems = self.by_subsystem();
        if !subsystems.is_empty() {
            s.push_str("\nBy subsystem\n\n");
            for (name, hs) in subsystems {
                let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
                for h in &hs {
                    *kinds.entry(h.kind.as_str()).or_default() += 1;
                }
                let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
                s.push_str(&format!("  {name}: {}\n", kinds.join(", ")));
                for h in hs {
                    s.push_str(&format!(
                        "    {} {}  {}\n",
                        h.kind.as_str(),
                        one_line(&h.entry.title, 120),
                        self.link(&h.entry.id)
                    ));
                }
            }
        }
        s
    }

    /// Markdown: the same, with headings and links; text from test data escaped.
    pub fn markdown(&self) -> String {
        let mut s = format!("# {}\n\n{}.\n", md(&self.heading()), self.counts_line());
        if self.events.is_empty() {
            s.push_str("\nNothing changed.\n");
            return s;
        }
        let item = |h: &Happening| {
            format!(
                "- **{}** {} [{}](<{}>)\n",
                h.kind.as_str(),
                h.day,
                md(&one_line(&h.entry.title, 160)),
                self.link(&h.entry.id).replace(['<', '>'], "")
            )
        };
        for (tree, hs) in self.by_tree() {
            s.push_str(&format!("\n## {} ({})\n\n", md(&tree), hs.len()));
            for h in hs {
                s.push_str(&item(h));
            }
        }
        let subsystems = self.by_subsystem();
        if !subsystems.is_empty() {
            s.push_str("\n## By subsystem\n");
            for (name, hs) in subsystems {
                s.push_str(&format!("\n### {} ({})\n\n", md(&name), hs.len()));
                for h in hs {
                    s.push_str(&item(h));
                }
            }
        }
        s
    }

    /// JSON: the counts and every event, with its link.
    pub fn json(&self) -> Vec<u8> {
        let doc = JsonDigest {
            api_version: 1,
            report_date: self.report_date,
            since: self.since,
            counts: self.counts(),
            events: self
                .events
                .iter()
                .map(|h| JsonEvent {
                    kind: h.kind.as_str(),
                    day: h.day,
                    id: &h.entry.id,
                    title: h.entry.title.clone(),
                    tree: h.entry.tree.as_deref(),
                    branch: h.entry.branch.as_deref(),
                    status: &h.entry.status,
                    url: self.link(&h.entry.id),
                    subsystems: &h.entry.subsystems,
                })
                .collect(),
        };
        let mut out = serde_json::to_vec_pretty(&doc).expect("digest serialises");
        out.push(b'\n');
        out
    }
}

/// Markdown text: every character Markdown could read as syntax backslash-escaped.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_{}[]()<>#+-.!|~&".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
