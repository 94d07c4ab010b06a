//! The permalink ledger: every regression ever published, so ids stay stable across nightly
//! runs and no published page ever disappears.
//!
//! It is a small JSON file (`api/v1/ledger.json` in the site by default, or `--ledger FILE`)
//! read at the start of a build and rewritten at the end (atomically, sealed with a
//! checksum: [`super::ledger_file`]). A nightly job that writes into the
//! same `--out` keeps it for free; one that builds into a fresh folder passes `--ledger` with
//! a path it keeps (or copies it back from the published site). Deleting it only costs id
//! continuity for regressions whose defining commit has aged out of the history.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::correlate::regression::Confirmation;
use crate::correlate::{Regression, RegressionStatus};
use crate::series::CommitRef;

/// Ledger format version.
pub const LEDGER_VERSION: u32 = 1;

/// What is remembered of a published regression: enough to recognise it and to render its page.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    pub id: String,
    pub tree_key: String,
    pub tree: Option<String>,
    pub branch: Option<String>,
    pub repository_url: Option<String>,
    pub title: String,
    pub status: String,
    pub tests: Vec<String>,
    pub signature: Option<String>,
    pub first_seen: Option<NaiveDate>,
    pub last_seen: Option<NaiveDate>,
    pub last_pass: CommitRef,
    pub first_fail: CommitRef,
    /// The last report it was part of.
    pub last_report: Option<NaiveDate>,
    /// When and by what it was confirmed (absent while unconfirmed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<Confirmation>,
    /// What became of it once it left the data (set when it is archived): for an unconfirmed
    /// entry, why it was dropped; for a regression, that its history aged out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fate: Option<String>,
    /// What happened to it, night by night, oldest first: the feeds and the digest are made
    /// from these, so an event is announced once and never lost between nightly builds.
    /// (Absent in ledgers written before events were kept: those entries start with none.)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Event>,
    /// Slugs of the MAINTAINERS sections it was last routed to (for the subsystem feeds of
    /// entries no longer in the data).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subsystems: Vec<String>,
    /// The version of its KCIDB issue (`api/v1/kcidb.json`) and a digest of what that issue
    /// said: a changed issue bumps the version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kcidb: Option<KcidbVersion>,
}

/// Something that happened to a published regression on one night.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Event {
    pub kind: EventKind,
    /// The report date of the night it was seen.
    pub day: NaiveDate,
}

/// What an [`Event`] says.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// Published for the first time (confirmed on its first night).
    New,
    /// Published after being listed apart as unconfirmed.
    Confirmed,
    /// Passes again everywhere it failed.
    Fixed,
    /// Fails again after it was fixed.
    Reopened,
}

impl EventKind {
    pub const ALL: [EventKind; 4] = [
        EventKind::New,
        EventKind::Confirmed,
        EventKind::Fixed,
        EventKind::Reopened,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::New => "new",
            EventKind::Confirmed => "confirmed",
            EventKind::Fixed => "fixed",
            EventKind::Reopened => "reopened",
        }
    }
}

/// A KCIDB issue's version and the digest of the content it was given for.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct KcidbVersion {
    pub version: u32,
    pub digest: String,
}

/// The events a night adds to an entry whose status was `before` (None: not in the ledger)
/// and is `after` now. Unconfirmed candidates are never announced; ongoing is no news.
pub fn transition(before: Option<&str>, after: &str) -> Option<EventKind> {
    let published = |s: &str| s != "unconfirmed";
    match (before, after) {
        (_, "unconfirmed") => None,
        (None, "fixed") => None,
        (None, _) => Some(EventKind::New),
        (Some("unconfirmed"), "fixed") => None,
        (Some("unconfirmed"), _) => Some(EventKind::Confirmed),
        (Some("fixed"), a) if a != "fixed" => Some(EventKind::Reopened),
        (Some(b), "reopened") if published(b) && b != "reopened" => Some(EventKind::Reopened),
        (Some(b), "fixed") if published(b) && b != "fixed" => Some(EventKind::Fixed),
        _ => None,
    }
}

/// Adds tonight's event to `e` (status `before` last night), once per kind and day. Nothing
/// is recorded without a report date (an empty history).
fn record(e: &mut Entry, before: Option<&str>, report_date: Option<NaiveDate>) {
    let Some(day) = report_date else { return };
    if let Some(kind) = transition(before, &e.status)
        && !e.events.iter().any(|ev| ev.kind == kind && ev.day == day)
    {
        e.events.push(Event { kind, day });
    }
}

/// The whole ledger.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ledger {
    pub version: u32,
    pub entries: BTreeMap<String, Entry>,
}

impl Default for Ledger {
    fn default() -> Self {
        Ledger {
            version: LEDGER_VERSION,
            entries: BTreeMap::new(),
        }
    }
}

impl Ledger {
    /// Reads the ledger; a missing file is an empty ledger. A truncated, damaged (checksum,
    /// see [`super::ledger_file`]) or unreadable one is an error naming the file, the place
    /// and the reason, never an empty ledger: that would forget every published id.
    pub fn load(path: &Path) -> Result<Ledger> {
        if !path.exists() {
            return Ok(Ledger::default());
        }
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the ledger {}", path.display()))?;
        let broken = |why: String| {
            anyhow::anyhow!(
                "the ledger {} is broken: {why}. It is not used, so no published permalink is \
                 forgotten: restore it from a backup, or rebuild it from the published site \
                 with --ledger-recover",
                path.display()
            )
        };
        let (version, entries) = super::ledger_file::open(&text).map_err(broken)?;
        anyhow::ensure!(
            version == LEDGER_VERSION,
            "the ledger {} has version {version}, this regtrack reads {LEDGER_VERSION}",
            path.display()
        );
        let entries = serde_json::from_str(entries)
            .map_err(|e| broken(format!("its entries are not valid: {e}")))?;
        Ok(Ledger { version, entries })
    }

    /// The ledger file's bytes: pretty-printed JSON, sealed with a checksum.
    pub fn to_json(&self) -> Vec<u8> {
        let entries = serde_json::to_string_pretty(&self.entries).expect("ledger serialises");
        super::ledger_file::seal(self.version, &entries)
    }

    /// Gives each current regression the id it was published under, when it was, and records
    /// every current regression. Returns the ids of entries not seen this run (archived).
    pub fn reconcile(
        &mut self,
        regressions: &mut [Regression],
        report_date: Option<NaiveDate>,
    ) -> Vec<String> {
        // A published entry that a current regression holds by its exact id is its own.
        let mut taken: BTreeSet<String> = regressions
            .iter()
            .filter(|r| {
                self.entries
                    .get(&r.id)
                    .is_some_and(|e| e.confirmed.is_some())
            })
            .map(|r| r.id.clone())
            .collect();
        // A published regression that absorbed a failure listed apart as unconfirmed (a
        // streak that began a little earlier, now part of it) can come out under that
        // entry's id: it keeps the id it was published under, and the unconfirmed entry says
        // where it went.
        let mut absorbed: Vec<(String, String)> = Vec::new();
        for r in regressions.iter_mut() {
            let unpublished = self
                .entries
                .get(&r.id)
                .is_some_and(|e| e.confirmed.is_none());
            if !unpublished || r.confirmed.is_none() {
                continue;
            }
            let published = self.find(r, &taken, true).filter(|(_, reopened)| !reopened);
            if let Some((id, _)) = published {
                taken.insert(id.clone());
                absorbed.push((std::mem::replace(&mut r.id, id.clone()), id.clone()));
                r.url = format!("r/{id}/");
            }
        }
        let now_current: BTreeSet<&str> = regressions.iter().map(|r| r.id.as_str()).collect();
        for (old, into) in &absorbed {
            if now_current.contains(old.as_str()) {
                continue;
            }
            if let Some(e) = self.entries.get_mut(old) {
                let on = report_date.map(|d| format!(" on {d}")).unwrap_or_default();
                e.fate = Some(format!(
                    "Merged{on}, never confirmed by itself: its failures became part of the \
                     published regression {into} (r/{into}/)."
                ));
            }
        }
        // Exact ids first, so a regression that kept its id cannot lose it to a fuzzy match.
        for r in regressions.iter() {
            if self.entries.contains_key(&r.id) {
                taken.insert(r.id.clone());
            }
        }
        for r in regressions.iter_mut() {
            if self.entries.contains_key(&r.id) {
                continue;
            }
            if let Some((id, reopened)) = self.find(r, &taken, false) {
                taken.insert(id.clone());
                r.url = format!("r/{id}/");
                r.id = id;
                if reopened && r.status != RegressionStatus::Fixed {
                    r.status = RegressionStatus::Reopened;
                }
            }
        }
        for r in regressions.iter() {
            let mut e = entry(r, report_date);
            if let Some(old) = self.entries.get_mut(&r.id) {
                e.events = std::mem::take(&mut old.events);
                e.subsystems = std::mem::take(&mut old.subsystems);
                e.kcidb = old.kcidb.take();
                // The same night built again compares with its own first build: nothing new
                // unless the status changed in between (events are kept once per kind and day).
                record(&mut e, Some(&old.status), report_date);
            } else {
                record(&mut e, None, report_date);
            }
            self.entries.insert(r.id.clone(), e);
        }
        let current: BTreeSet<&str> = regressions.iter().map(|r| r.id.as_str()).collect();
        self.entries
            .keys()
            .filter(|id| !current.contains(id.as_str()))
            .cloned()
            .collect()
    }

    /// A published entry this regression continues: same branch, same test or signature, and
    /// failing periods that overlap (the same bug seen again), or that follow a fixed entry
    /// (the bug came back: reopened). Most recently seen wins; ties by id. `published_only`:
    /// only entries that were published (confirmed).
    fn find(
        &self,
        r: &Regression,
        taken: &BTreeSet<String>,
        published_only: bool,
    ) -> Option<(String, bool)> {
        let related = |e: &Entry| {
            (!published_only || e.confirmed.is_some())
                && e.tree_key == r.tree_key
                && e.branch == r.branch
                && !taken.contains(&e.id)
                && (e.tests.iter().any(|t| r.tests.contains(t))
                    || (e.signature.is_some() && e.signature == r.signature))
        };
        let overlapping = |e: &Entry| {
            e.first_seen <= r.last_seen && r.first_seen <= e.last_seen && e.status != "fixed"
        };
        let reopening = |e: &Entry| e.status == "fixed" && e.last_seen < r.first_seen;
        let best = |pred: &dyn Fn(&Entry) -> bool| {
            self.entries
                .values()
                .filter(|e| related(e) && pred(e))
                .max_by(|a, b| a.last_seen.cmp(&b.last_seen).then(b.id.cmp(&a.id)))
                .map(|e| e.id.clone())
        };
        best(&overlapping)
            .map(|id| (id, false))
            .or_else(|| best(&reopening).map(|id| (id, true)))
    }
}

impl Entry {
    /// The regression as last published, for rendering its page once it left the data.
    pub fn to_regression(&self) -> Regression {
        let status = match self.status.as_str() {
            "new" | "ongoing" => RegressionStatus::Ongoing,
            "reopened" => RegressionStatus::Reopened,
            "unconfirmed" => RegressionStatus::Unconfirmed,
            _ => RegressionStatus::Fixed,
        };
        Regression {
            id: self.id.clone(),
            url: format!("r/{}/", self.id),
            status,
            title: self.title.clone(),
            tree: self.tree.clone(),
            branch: self.branch.clone(),
            repository_url: self.repository_url.clone(),
            first_seen: self.first_seen,
            last_seen: self.last_seen,
            last_pass: self.last_pass.clone(),
            first_fail: self.first_fail.clone(),
            tests: self.tests.clone(),
            occurrences: Vec::new(),
            signature: self.signature.clone(),
            scope: crate::correlate::Scope {
                kind: "partial",
                value: None,
            },
            fixed_in: None,
            explained_misses: 0,
            known_issue: None,
            annotations: None,
            kcidb_issues: Vec::new(),
            confirmed: self.confirmed.clone(),
            evidence: self.fate.iter().cloned().collect(),
            failing_tests: Vec::new(),
            kcidb_runs: Vec::new(),
            tree_key: self.tree_key.clone(),
        }
    }
}

fn entry(r: &Regression, report_date: Option<NaiveDate>) -> Entry {
    Entry {
        id: r.id.clone(),
        tree_key: r.tree_key.clone(),
        tree: r.tree.clone(),
        branch: r.branch.clone(),
        repository_url: r.repository_url.clone(),
        title: r.title.clone(),
        status: r.status.as_str().to_string(),
        tests: r.tests.clone(),
        signature: r.signature.clone(),
        first_seen: r.first_seen,
        last_seen: r.last_seen,
        last_pass: r.last_pass.clone(),
        first_fail: r.first_fail.clone(),
        last_report: report_date,
        confirmed: r.confirmed.clone(),
        fate: None,
        events: Vec::new(),
        subsystems: Vec::new(),
        kcidb: None,
    }
}

/// What became of an entry that left the data, said once, on the night it left: an
/// unconfirmed failure was dropped (the test turned out intermittent there, or it passed
/// again: a one-off); a published regression's history aged out of the data.
pub fn fate(
    e: &Entry,
    health: &crate::correlate::health::Health,
    report_date: Option<NaiveDate>,
) -> String {
    let on = report_date.map(|d| format!(" on {d}")).unwrap_or_default();
    if e.status != "unconfirmed" {
        return format!(
            "Archived{on}: its failures left the history the site is built from; this page \
             keeps its last published state."
        );
    }
    let flaky = health
        .flaky_tests
        .iter()
        .any(|t| Some(&t.branch) == e.branch.as_ref() && e.tests.contains(&t.test));
    match flaky {
        true => format!(
            "Dropped{on}, never confirmed: the test turned out to fail intermittently here \
             (see the flaky tests page), so this failure was noise, not a regression."
        ),
        false => format!(
            "Dropped{on}, never confirmed: no second failing run, second environment or crash \
             signature came (it passed again: a one-off failure), so it was never published."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::{EventKind, transition};

    #[test]
    fn transitions_are_the_news() {
        use EventKind::*;
        let cases: [(Option<&str>, &str, Option<EventKind>); 12] = [
            (None, "new", Some(New)),
            (None, "ongoing", Some(New)),
            (None, "unconfirmed", None),
            (None, "fixed", None),
            (Some("unconfirmed"), "ongoing", Some(Confirmed)),
            (Some("unconfirmed"), "unconfirmed", None),
            (Some("new"), "ongoing", None),
            (Some("ongoing"), "fixed", Some(Fixed)),
            (Some("fixed"), "fixed", None),
            (Some("fixed"), "reopened", Some(Reopened)),
            (Some("ongoing"), "reopened", Some(Reopened)),
            (Some("reopened"), "reopened", None),
        ];
        for (before, after, want) in cases {
            assert_eq!(transition(before, after), want, "{before:?} -> {after}");
        }
    }

    /// An entry for test `t` on mainline seen on 2026-11-01: `ongoing` and confirmed that day
    /// by a second failing run, or `unconfirmed`.
    fn entry_t(id: &str, confirmed: bool) -> super::Entry {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 1);
        super::Entry {
            id: id.into(),
            tree_key: "k".into(),
            tree: Some("mainline".into()),
            branch: Some("master".into()),
            repository_url: None,
            title: "t fails".into(),
            status: if confirmed { "ongoing" } else { "unconfirmed" }.into(),
            tests: vec!["t".into()],
            signature: None,
            first_seen: day,
            last_seen: day,
            last_pass: Default::default(),
            first_fail: Default::default(),
            last_report: None,
            confirmed: confirmed.then(|| crate::correlate::regression::Confirmation {
                day,
                by: "a second failing run".into(),
            }),
            fate: None,
            events: Vec::new(),
            subsystems: Vec::new(),
            kcidb: None,
        }
    }

    /// A regression through its life, night by night: each event once, on its night, kept
    /// when the night is built again.
    #[test]
    fn reconcile_records_each_event_once() {
        use crate::correlate::RegressionStatus as S;
        let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 11, d);
        let mut ledger = super::Ledger::default();
        let base = entry_t("00000000000000aa", false).to_regression();
        let nights = [
            (1, S::Unconfirmed),
            (2, S::Ongoing),
            (3, S::Ongoing),
            (4, S::Fixed),
            (5, S::Reopened),
            (5, S::Reopened),
            (6, S::Fixed),
        ];
        for (d, status) in nights {
            let mut r = base.clone();
            r.status = status;
            r.last_seen = day(d);
            ledger.reconcile(std::slice::from_mut(&mut r), day(d));
        }
        let events: Vec<(EventKind, u32)> = ledger.entries["00000000000000aa"]
            .events
            .iter()
            .map(|e| (e.kind, chrono::Datelike::day(&e.day)))
            .collect();
        use EventKind::*;
        assert_eq!(
            events,
            [(Confirmed, 2), (Fixed, 4), (Reopened, 5), (Fixed, 6)]
        );
    }

    #[test]
    fn old_ledgers_load_without_events() {
        let old = r#"{"version":1,"entries":{"a":{"id":"a","tree_key":"k","tree":null,
            "branch":null,"repository_url":null,"title":"t","status":"ongoing","tests":[],
            "signature":null,"first_seen":null,"last_seen":null,
            "last_pass":{"commit":null,"describe":null,"start_time":null},
            "first_fail":{"commit":null,"describe":null,"start_time":null},
            "last_report":null}}}"#;
        let l: super::Ledger = serde_json::from_str(old).unwrap();
        assert!(l.entries["a"].events.is_empty());
        assert!(l.entries["a"].subsystems.is_empty());
        // Written back without the new fields while they are empty.
        let back = String::from_utf8(l.to_json()).unwrap();
        assert!(!back.contains("events") && !back.contains("kcidb"));
    }

    /// A published entry (`pub`, test t) and an unconfirmed one (`unc`, test t), both seen
    /// on day 1; on day 2 the regressions given by id come out.
    fn absorb(current: &[&str]) -> (super::Ledger, Vec<String>) {
        use crate::correlate::RegressionStatus as S;
        let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 11, d);
        let entry = |id: &str, confirmed: bool| super::Entry {
            last_report: day(1),
            ..entry_t(id, confirmed)
        };
        let mut ledger = super::Ledger::default();
        for e in [entry("pub", true), entry("unc", false)] {
            ledger.entries.insert(e.id.clone(), e);
        }
        let mut regressions: Vec<_> = current
            .iter()
            .map(|id| {
                let mut r = entry(id, true).to_regression();
                r.status = S::Ongoing;
                r.last_seen = day(2);
                r
            })
            .collect();
        ledger.reconcile(&mut regressions, day(2));
        (ledger, regressions.into_iter().map(|r| r.id).collect())
    }

    #[test]
    fn a_published_regression_keeps_its_id_when_it_absorbs_an_unconfirmed_one() {
        // Confirmed tonight under the unconfirmed entry's id: it is the published one.
        let (ledger, ids) = absorb(&["unc"]);
        assert_eq!(ids, ["pub"]);
        let fate = ledger.entries["unc"].fate.as_deref().unwrap_or_default();
        assert!(
            fate.contains("part of the published regression pub"),
            "{fate}"
        );
        // But a published id another regression holds exactly is not taken from it.
        let (_, ids) = absorb(&["pub", "unc"]);
        assert_eq!(ids, ["pub", "unc"]);
    }
}
