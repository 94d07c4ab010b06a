//! The night's news, read from the ledger: every event (new, confirmed, fixed, reopened) of
//! every regression ever published, newest first, with the stable ids and links the feeds,
//! the digest and the mails name them by.
//!
//! Events live in the ledger ([`crate::report::ledger::Event`]), written the night they
//! happen and kept after their regression leaves the data, so a feed built on any later
//! night lists the same entries with the same ids: a reader never sees one twice or misses
//! one between two builds.

use chrono::NaiveDate;

use crate::report::ledger::{Entry, EventKind, Ledger};

/// One event of one regression.
#[derive(Debug, Clone, Copy)]
pub struct Happening<'a> {
    pub entry: &'a Entry,
    pub kind: EventKind,
    pub day: NaiveDate,
}

impl Happening<'_> {
    /// The entry id that never changes: a tag URI (RFC 4151) from the event's day, the
    /// regression's id and the event's kind (one event of a kind a day).
    pub fn tag(&self) -> String {
        format!(
            "tag:regtrack,{}:r/{}/{}",
            self.day,
            self.entry.id,
            self.kind.as_str()
        )
    }

    /// How a headline says it.
    pub fn verb(&self) -> &'static str {
        match self.kind {
            EventKind::New => "New",
            EventKind::Confirmed => "Confirmed",
            EventKind::Fixed => "Fixed",
            EventKind::Reopened => "Reopened",
        }
    }
}

/// Every event in the ledger, newest first (day, then kind, then regression id: the same
/// order on every build).
pub fn all(ledger: &Ledger) -> Vec<Happening<'_>> {
    let mut out: Vec<Happening> = ledger
        .entries
        .values()
        .flat_map(|e| {
            e.events.iter().map(move |ev| Happening {
                entry: e,
                kind: ev.kind,
                day: ev.day,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.day
            .cmp(&a.day)
            .then(a.kind.cmp(&b.kind))
            .then(a.entry.id.cmp(&b.entry.id))
    });
    out
}

/// Events after `since` (the nights after it), newest first.
pub fn since(ledger: &Ledger, since: NaiveDate) -> Vec<Happening<'_>> {
    all(ledger).into_iter().filter(|h| h.day > since).collect()
}

/// A regression's permalink: absolute under `base_url`, else relative to the site's root.
pub fn permalink(base_url: Option<&str>, id: &str) -> String {
    match base_url.map(|b| b.trim_end_matches('/')) {
        Some(b) if !b.is_empty() => format!("{b}/r/{id}/"),
        _ => format!("r/{id}/"),
    }
}

/// An absolute permalink, when the site has a base URL.
pub fn absolute_permalink(base_url: Option<&str>, id: &str) -> Option<String> {
    let p = permalink(base_url, id);
    crate::links::is_web_url(&p).then_some(p)
}

/// A tree/branch's name as shown: `mainline/master`.
pub fn tree_branch(e: &Entry) -> String {
    tree_branch_of(e.tree.as_deref(), e.branch.as_deref())
}

/// [`tree_branch`] of a tree and branch.
pub fn tree_branch_of(tree: Option<&str>, branch: Option<&str>) -> String {
    let tree = tree.unwrap_or("unknown tree");
    match branch {
        Some(b) => format!("{tree}/{b}"),
        None => tree.to_string(),
    }
}

/// The file-name slug of a tree/branch feed (`feeds/<slug>.xml`).
pub fn tree_slug(e: &Entry) -> String {
    tree_slug_of(e.tree.as_deref(), e.branch.as_deref())
}

/// The slug of a tree/branch: its name reduced to `[a-z0-9-]` (at most 40), then 8 hex
/// digits of a hash of the exact name, so two names that reduce alike stay apart.
pub fn tree_slug_of(tree: Option<&str>, branch: Option<&str>) -> String {
    let name = tree_branch_of(tree, branch);
    let mut s = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
        if s.len() >= 40 {
            break;
        }
    }
    let s = s.trim_end_matches('-');
    let h = xxhash_rust::xxh3::xxh3_64(name.as_bytes()) as u32;
    if s.is_empty() {
        format!("tree-{h:08x}")
    } else {
        format!("{s}-{h:08x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_links() {
        let mut l = Ledger::default();
        let e = crate::report::ledger::Entry {
            id: "0123456789abcdef".into(),
            tree_key: String::new(),
            tree: Some("Main\"line<x>".into()),
            branch: Some("../master".into()),
            repository_url: None,
            title: "t".into(),
            status: "new".into(),
            tests: vec![],
            signature: None,
            first_seen: None,
            last_seen: None,
            last_pass: Default::default(),
            first_fail: Default::default(),
            last_report: None,
            confirmed: None,
            fate: None,
            events: vec![crate::report::ledger::Event {
                kind: EventKind::New,
                day: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            }],
            subsystems: vec![],
            kcidb: None,
        };
        let slug = tree_slug(&e);
        assert!(slug.starts_with("main-line-x-master-"), "{slug}");
        assert!(
            slug.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        );
        l.entries.insert(e.id.clone(), e);
        let h = all(&l);
        assert_eq!(h[0].tag(), "tag:regtrack,2026-11-20:r/0123456789abcdef/new");
        assert_eq!(
            permalink(Some("https://ci.example.org/regs/"), "ab"),
            "https://ci.example.org/regs/r/ab/"
        );
        assert_eq!(permalink(None, "ab"), "r/ab/");
        assert_eq!(absolute_permalink(None, "ab"), None);
    }
}
