//! The dataset: every file's objects merged by id, with the counts that prove every record
//! landed or was counted. Built here, file by file in path order; read by every later stage.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate};
use rayon::prelude::*;

use super::kcidb::FileResult;
use super::parse::{CACHED, Parsed};
use crate::diag::{Diagnostic, IngestSummary, Location, RejectReason};
use crate::model::{Incident, Issue, Merge, Status};
use crate::store::{Clash, NO_TIME, Store, byte_status};

/// Everything read from the result directories, merged by id.
#[derive(Debug, Default)]
pub struct Dataset {
    /// Checkouts, builds and test runs, compact.
    pub store: Store,
    /// Highest version of each issue only.
    pub issues: BTreeMap<String, Issue>,
    pub incidents: BTreeMap<String, Incident>,
    /// The night this report is for.
    pub report_date: Option<NaiveDate>,
    pub summary: IngestSummary,
    pub diagnostics: Vec<Diagnostic>,
    /// While loading: each absorbed file's name and where its test clashes go among the
    /// diagnostics.
    absorbed: Vec<(String, usize)>,
}

impl Dataset {
    /// Number of distinct test runs.
    pub fn test_count(&self) -> usize {
        self.store.tests.len()
    }

    /// The status of a test run by KCIDB id (`None` when unknown or still running).
    pub fn test_status(&self, id: &str) -> Option<Status> {
        self.store.test(id).and_then(|t| byte_status(t.status))
    }

    /// Absorbs the next parsed file, counting it.
    pub(super) fn absorb_one(&mut self, parsed: Parsed) {
        match parsed {
            Some((file, format)) => {
                self.summary.files += 1;
                if format == CACHED {
                    self.summary.files_cached += 1;
                }
                let format = if format == CACHED { "kcidb" } else { format };
                *self.summary.formats.entry(format.to_string()).or_default() += 1;
                self.absorb(file);
            }
            None => self.summary.files_skipped += 1,
        }
    }

    /// Adds one file's objects and diagnostics.
    fn absorb(&mut self, file: FileResult) {
        let s = &mut self.summary;
        let yielded = file.rows.checkouts.len()
            + file.rows.builds.len()
            + file.rows.tests.len()
            + file.issues.len()
            + file.incidents.len();
        let whole_file = yielded == 0
            && file
                .diagnostics
                .iter()
                .any(|d| !matches!(d.location, Location::Object { .. } | Location::Id { .. }));
        if whole_file {
            s.files_rejected += 1;
        }
        for (kind, n) in &file.seen {
            *s.seen.entry(kind.to_string()).or_default() += n;
        }
        for (kind, n) in &file.accepted {
            *s.accepted.entry(kind.to_string()).or_default() += n;
        }
        for d in file.diagnostics.iter().filter(|d| d.records > 0) {
            *s.rejected.entry(d.reason.as_str().to_string()).or_default() += d.records;
        }
        let name = file.file;
        let file_no = self.absorbed.len() as u32;
        for clash in self.store.absorb(file.rows, file_no, file.source) {
            let d = self.clash(&name, clash);
            self.diagnostics.push(d);
        }
        // Test clashes are found once every file is in (`finish_tests`) and go here.
        self.absorbed.push((name, self.diagnostics.len()));
        for i in file.issues {
            self.add_issue(i);
        }
        for i in file.incidents {
            match self.incidents.entry(i.id.clone()) {
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert(i);
                }
                std::collections::btree_map::Entry::Occupied(mut o) => {
                    o.get_mut().merge(i);
                }
            }
        }
        self.diagnostics.extend(file.diagnostics);
    }

    /// A warning for an id seen before with different identifying fields.
    fn clash(&mut self, file: &str, (kind, index, fields): Clash) -> Diagnostic {
        let mut d = Diagnostic::new(
            file,
            Location::Object {
                kind,
                index: index as usize,
                id: None,
            },
            RejectReason::Conflict,
            format!(
                "id seen before with a different {}; the first sighting was kept",
                fields.join(", ")
            ),
        );
        // The object still lands (merged): a warning, not a rejection.
        d.records = 0;
        self.summary.conflicts += 1;
        d
    }

    /// Merges tests seen in several files and files their clashes with the rest of each
    /// file's diagnostics, in file order.
    pub(super) fn finish_tests(&mut self) {
        let clashes = self.store.finish();
        let absorbed = std::mem::take(&mut self.absorbed);
        if clashes.is_empty() {
            return;
        }
        let old = std::mem::take(&mut self.diagnostics);
        let mut old = old.into_iter();
        let mut at = 0;
        for (file_no, clash) in clashes {
            let (name, slot) = &absorbed[file_no as usize];
            self.diagnostics.extend(old.by_ref().take(slot - at));
            at = *slot;
            let d = self.clash(name, clash);
            self.diagnostics.push(d);
        }
        self.diagnostics.extend(old);
    }

    /// Keeps only the highest version of an issue; sightings of that version merge.
    fn add_issue(&mut self, issue: Issue) {
        match self.issues.get_mut(&issue.id) {
            None => {
                self.issues.insert(issue.id.clone(), issue);
            }
            Some(have) if issue.version > have.version => *have = issue,
            Some(have) if issue.version == have.version => {
                have.merge(issue);
            }
            Some(_) => {}
        }
    }

    /// Picks the report date (newest day in the data unless given) and drops what is later.
    pub(super) fn settle_report_date(&mut self, date: Option<NaiveDate>) {
        let st = &self.store;
        let newest = st
            .checkouts
            .iter()
            .map(|c| c.start)
            .chain(st.builds.iter().map(|b| b.start))
            .chain(st.tests.par_iter().map(|t| t.start).max())
            .filter(|&t| t != NO_TIME)
            .max()
            .and_then(DateTime::from_timestamp_micros)
            .map(|t| t.date_naive());
        let report = date.or(newest);
        self.report_date = report;
        // Without a date asked for, nothing is later than the newest day: no pass to drop any.
        if let Some(report) = date.and(report) {
            let end = report
                .succ_opt()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc().timestamp_micros() - 1)
                .unwrap_or(i64::MAX);
            self.summary.after_report_date = self.store.drop_after(end);
        }
        let s = &mut self.summary;
        for (kind, n) in [
            ("checkouts", self.store.checkouts.len()),
            ("builds", self.store.builds.len()),
            ("tests", self.store.tests.len()),
            ("issues", self.issues.len()),
            ("incidents", self.incidents.len()),
        ] {
            if n > 0 {
                s.distinct.insert(kind.to_string(), n);
            }
        }
    }

    /// Counts objects whose parent never arrived; they are kept.
    pub(super) fn count_orphans(&mut self) {
        let st = &self.store;
        // A build's tests come together: its lookup is reused while they go by.
        self.summary.tests_without_build = st
            .tests
            .par_iter()
            .fold(
                || (0, None),
                |(n, last), t| {
                    let known = match last {
                        Some((build, known)) if build == t.build => known,
                        _ => st.build(t.build).is_some(),
                    };
                    (n + usize::from(!known), Some((t.build, known)))
                },
            )
            .map(|(n, _)| n)
            .sum();
        self.summary.builds_without_checkout = st
            .builds
            .iter()
            .filter(|b| st.checkout(b.checkout).is_none())
            .count();
    }
}
