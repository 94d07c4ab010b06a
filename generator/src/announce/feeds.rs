//! Atom 1.0 feeds of the night's events: `feed.xml` (everything), `feeds/<tree>.xml` (one per
//! tree/branch) and `s/<slug>/feed.xml` (one per MAINTAINERS section), for the maintainers
//! who read feeds rather than open a dashboard.
//!
//! Written with `atom_syndication` (escaping is the crate's), from text made safe first
//! ([`super::text`]: XML 1.0 has no place for control characters). Each feed holds its
//! newest [`MAX_ENTRIES`] events; entry ids are tag URIs that never change
//! ([`super::events::Happening::tag`]), times are the report dates of the nights the events
//! happened (never the clock), so the same ledger gives the same bytes.

use std::collections::BTreeMap;

use atom_syndication::{Category, Entry, Feed, FixedDateTime, Link, Person, Text};
use chrono::{NaiveDate, TimeZone, Utc};

use super::events::{Happening, permalink, tree_branch, tree_slug};
use super::text::one_line;
use crate::report::ledger::Ledger;

/// Entries in one feed: the newest events.
pub const MAX_ENTRIES: usize = 200;

/// One feed to write: where, what it is called, which events.
pub struct FeedSpec {
    /// Site-relative path of the feed file.
    pub path: String,
    pub title: String,
    /// A stable id for the feed itself.
    pub id: String,
}

/// Midnight UTC of a day, as Atom dates it.
fn at(day: NaiveDate) -> FixedDateTime {
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight"))
        .fixed_offset()
}

/// `../` for each folder `path` is in (links in a feed are relative to the feed's own URL).
fn up(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

fn link(href: String, rel: &str, mime: Option<&str>) -> Link {
    let mut l = Link::default();
    l.set_href(href);
    l.set_rel(rel.to_string());
    l.set_mime_type(mime.map(String::from));
    l
}

/// One event as an Atom entry.
fn entry(h: &Happening, base_url: Option<&str>, up: &str) -> Entry {
    let e = h.entry;
    let title = one_line(&e.title, 200);
    let mut x = Entry::default();
    x.set_id(h.tag());
    x.set_title(Text::plain(format!(
        "{}: {title} ({})",
        h.verb(),
        one_line(&tree_branch(e), 100)
    )));
    x.set_updated(at(h.day));
    x.set_published(Some(at(h.day)));
    let href = match base_url {
        Some(b) if !b.trim().is_empty() => permalink(Some(b), &e.id),
        _ => format!("{up}{}", permalink(None, &e.id)),
    };
    x.set_links(vec![link(href, "alternate", Some("text/html"))]);
    let mut c = Category::default();
    c.set_term(h.kind.as_str().to_string());
    x.set_categories(vec![c]);
    x.set_summary(Some(Text::plain(summary(h))));
    x
}

/// The entry's text: what happened, the window, the tests.
fn summary(h: &Happening) -> String {
    let e = h.entry;
    let commit = |c: &crate::series::CommitRef| {
        let name = c
            .describe
            .as_deref()
            .or(c.commit.as_deref())
            .unwrap_or("unknown");
        one_line(name, 80)
    };
    let what = match h.kind {
        crate::report::ledger::EventKind::New => "New regression",
        crate::report::ledger::EventKind::Confirmed => "Confirmed regression",
        crate::report::ledger::EventKind::Fixed => "Fixed regression",
        crate::report::ledger::EventKind::Reopened => "Reopened regression",
    };
    let mut s = format!(
        "{what} on {} ({}): {}. Introduced between {} (last pass) and {} (first fail).",
        one_line(&tree_branch(e), 100),
        h.day,
        one_line(&e.title, 200),
        commit(&e.last_pass),
        commit(&e.first_fail),
    );
    if !e.tests.is_empty() {
        let tests: Vec<String> = e.tests.iter().take(10).map(|t| one_line(t, 120)).collect();
        s.push_str(&format!(" Tests: {}", tests.join(", ")));
        if e.tests.len() > 10 {
            s.push_str(&format!(" and {} more", e.tests.len() - 10));
        }
        s.push('.');
    }
    if let Some(sig) = &e.signature {
        s.push_str(&format!(" Crash: {}.", one_line(sig, 200)));
    }
    s
}

/// A feed of `events` (newest first, already filtered), bounded to [`MAX_ENTRIES`].
pub fn feed(
    spec: &FeedSpec,
    events: &[&Happening],
    site_title: &str,
    base_url: Option<&str>,
    report_date: Option<NaiveDate>,
) -> Vec<u8> {
    let up = up(&spec.path);
    let base = base_url
        .map(|b| b.trim().trim_end_matches('/'))
        .filter(|b| !b.is_empty());
    let mut f = Feed::default();
    f.set_id(spec.id.clone());
    f.set_title(Text::plain(one_line(&spec.title, 200)));
    let newest = events.first().map(|h| h.day).or(report_date);
    f.set_updated(at(newest.unwrap_or_default()));
    let mut author = Person::default();
    author.set_name(one_line(site_title, 100));
    f.set_authors(vec![author]);
    let (self_href, site_href) = match base {
        Some(b) => (format!("{b}/{}", spec.path), format!("{b}/")),
        None => (
            spec.path
                .rsplit('/')
                .next()
                .unwrap_or("feed.xml")
                .to_string(),
            format!("{up}index.html"),
        ),
    };
    f.set_links(vec![
        link(self_href, "self", Some("application/atom+xml")),
        link(site_href, "alternate", Some("text/html")),
    ]);
    let mut g = atom_syndication::Generator::default();
    g.set_value("regtrack".to_string());
    g.set_version(Some(env!("CARGO_PKG_VERSION").to_string()));
    f.set_generator(Some(g));
    f.set_entries(
        events
            .iter()
            .take(MAX_ENTRIES)
            .map(|h| entry(h, base, &up))
            .collect::<Vec<_>>(),
    );
    let mut out = f
        .write_with_config(
            Vec::new(),
            atom_syndication::WriteConfig {
                write_document_declaration: true,
                indent_size: Some(1),
            },
        )
        .expect("writing to memory");
    out.push(b'\n');
    out
}

/// Which feeds a site has: everything, each tree/branch and each section with events (the
/// sections an entry was routed to; `names` gives their titles) or with a page tonight
/// (`trees`: the current regressions' tree/branch pairs; `names`: the sections with pages),
/// so every feed a page advertises exists.
pub fn all_feeds(
    ledger: &Ledger,
    trees: &[(Option<&str>, Option<&str>)],
    names: &BTreeMap<String, String>,
    site_title: &str,
    base_url: Option<&str>,
    report_date: Option<NaiveDate>,
) -> Vec<(String, Vec<u8>)> {
    let events = super::events::all(ledger);
    let mut out = Vec::new();
    let everything: Vec<&Happening> = events.iter().collect();
    let spec = FeedSpec {
        path: "feed.xml".into(),
        title: format!("{site_title}: regressions"),
        id: "tag:regtrack,2025:feed".into(),
    };
    out.push((
        spec.path.clone(),
        feed(&spec, &everything, site_title, base_url, report_date),
    ));
    let mut by_tree: BTreeMap<String, (String, Vec<&Happening>)> = BTreeMap::new();
    let mut by_section: BTreeMap<&str, Vec<&Happening>> = BTreeMap::new();
    for &(t, b) in trees {
        by_tree
            .entry(super::events::tree_slug_of(t, b))
            .or_insert_with(|| (super::events::tree_branch_of(t, b), Vec::new()));
    }
    for slug in names.keys() {
        by_section.entry(slug.as_str()).or_default();
    }
    for h in &events {
        by_tree
            .entry(tree_slug(h.entry))
            .or_insert_with(|| (tree_branch(h.entry), Vec::new()))
            .1
            .push(h);
        for s in &h.entry.subsystems {
            by_section.entry(s.as_str()).or_default().push(h);
        }
    }
    for (slug, (name, hs)) in &by_tree {
        let spec = FeedSpec {
            path: format!("feeds/{slug}.xml"),
            title: format!("{site_title}: regressions on {name}"),
            id: format!("tag:regtrack,2025:feed/tree/{slug}"),
        };
        out.push((
            spec.path.clone(),
            feed(&spec, hs, site_title, base_url, report_date),
        ));
    }
    for (slug, hs) in &by_section {
        // Section slugs are made of [a-z0-9-] by routing; anything else is not a folder name.
        if slug.is_empty() || !slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            continue;
        }
        let name = names.get(*slug).map_or(*slug, String::as_str);
        let spec = FeedSpec {
            path: format!("s/{slug}/feed.xml"),
            title: format!("{site_title}: regressions in {name}"),
            id: format!("tag:regtrack,2025:feed/s/{slug}"),
        };
        out.push((
            spec.path.clone(),
            feed(&spec, hs, site_title, base_url, report_date),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::ledger::{Entry as LedgerEntry, Event, EventKind};

    fn entry(i: usize, title: &str) -> LedgerEntry {
        LedgerEntry {
            id: format!("{i:016x}"),
            tree_key: String::new(),
            tree: Some("mainline".into()),
            branch: Some("master".into()),
            repository_url: None,
            title: title.into(),
            status: "ongoing".into(),
            tests: vec![format!("t{i}")],
            signature: None,
            first_seen: None,
            last_seen: None,
            last_pass: Default::default(),
            first_fail: Default::default(),
            last_report: None,
            confirmed: None,
            fate: None,
            events: vec![Event {
                kind: EventKind::New,
                day: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(i as u64),
            }],
            subsystems: vec!["net".into(), "../evil".into()],
            kcidb: None,
        }
    }

    #[test]
    fn feeds_hold_the_newest_events_and_hostile_titles_stay_text() {
        let mut l = Ledger::default();
        for i in 0..250 {
            let e = entry(i, "x <y> & \"z\" \u{1}\u{1b}[0m ]]> \r\nnext");
            l.entries.insert(e.id.clone(), e);
        }
        let names = BTreeMap::from([("net".to_string(), "NET & <CO>".to_string())]);
        let files = all_feeds(&l, &[], &names, "Site <1>", None, None);
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        // The hostile slug makes no feed; the section's is beside its page.
        assert_eq!(paths.len(), 3, "{paths:?}");
        assert!(paths.contains(&"s/net/feed.xml"));
        for (path, bytes) in &files {
            let f = feed_rs::parser::parse(&bytes[..]).unwrap();
            assert_eq!(f.entries.len(), MAX_ENTRIES, "{path}");
            let newest = f.entries[0].updated.unwrap();
            assert_eq!(newest.date_naive().to_string(), "2026-09-07");
            let t = &f.entries[0].title.as_ref().unwrap().content;
            assert_eq!(t, "New: x <y> & \"z\" [0m ]]> next (mainline/master)");
            let up = "../".repeat(path.matches('/').count());
            assert_eq!(f.entries[0].links[0].href, format!("{up}r/{:016x}/", 249));
        }
        let again = all_feeds(&l, &[], &names, "Site <1>", None, None);
        assert!(files == again, "the same ledger gives the same bytes");
    }
}
