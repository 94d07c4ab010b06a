//! Accuracy of the correlation engine against the demo generator's ground truth, on the final
//! night of a history (`replay` scores every night).
//!
//! Only published regressions count: those with a status of [`PUBLISHED`]; any other status
//! (say `unconfirmed`) is held back, off the regression list. A planted regression is *found*
//! when exactly one published regression on its branch fails one of its tests; two or more is
//! a *split*. A published regression matching two planted ones is a *merge*; one matching none
//! is a *false positive* (and is blamed on the planted flaky test, flaky board, lab outage,
//! always-failing test or one-off it comes from, when it does).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use serde::Serialize;

use crate::correlate::Regression;
use crate::demo::{DemoConfig, GroundTruth, Situation, SituationKind};
use crate::report::Report;

/// Statuses under which a regression is published (on the regression list, with an alarm).
/// Any other status is held back.
pub const PUBLISHED: [&str; 4] = ["new", "ongoing", "fixed", "reopened"];

/// The scores of one history.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Score {
    pub planted: usize,
    /// Planted regressions reported exactly once.
    pub found: usize,
    pub missed: usize,
    pub splits: usize,
    pub merges: usize,
    /// Published regressions.
    pub reported: usize,
    /// Regressions the report holds back (a status not in [`PUBLISHED`]).
    pub held_back: usize,
    pub false_positives: usize,
    /// False positives per planted non-regression they touch ("other" when none).
    pub false_positive_causes: BTreeMap<String, usize>,
    /// Found regressions with the planted status / scope / signature.
    pub status_right: usize,
    pub scope_right: usize,
    pub signature_right: usize,
    /// Planted non-regressions listed where they belong (flaky tests, suspect boards, lab
    /// outages, always failing), out of how many were planted.
    pub health_listed: usize,
    pub health_planted: usize,
    /// Names of the planted situations not reproduced exactly: regressions missed, split,
    /// merged or with a wrong status, scope or signature; non-regressions not listed where
    /// they belong.
    pub wrong: BTreeSet<String>,
    /// Every mistake, one line each, for the report.
    pub problems: Vec<String>,
}

impl Score {
    /// Reported regressions that are planted ones / all reported.
    pub fn precision(&self) -> f64 {
        let tp = self.reported - self.false_positives;
        if self.reported == 0 {
            1.0
        } else {
            tp as f64 / self.reported as f64
        }
    }

    /// Planted regressions found exactly once / all planted.
    pub fn recall(&self) -> f64 {
        if self.planted == 0 {
            1.0
        } else {
            self.found as f64 / self.planted as f64
        }
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "precision {:.3} recall {:.3} | found {}/{} split {} merged {} missed {} | FP {} {:?} | held back {} | status {}/{} scope {}/{} signature {}/{} | health {}/{}",
            self.precision(),
            self.recall(),
            self.found,
            self.planted,
            self.splits,
            self.merges,
            self.missed,
            self.false_positives,
            self.false_positive_causes,
            self.held_back,
            self.status_right,
            self.found,
            self.scope_right,
            self.found,
            self.signature_right,
            self.found,
            self.health_listed,
            self.health_planted,
        )
    }
}

/// What a reported (or published) regression is compared with the truth by: where it is and
/// what fails in it, on which boards.
pub struct Seen<'a> {
    pub repository_url: Option<&'a str>,
    pub branch: Option<&'a str>,
    pub tests: &'a [String],
    pub platforms: Vec<&'a str>,
}

impl<'a> Seen<'a> {
    pub fn of(r: &'a Regression) -> Seen<'a> {
        Seen {
            repository_url: r.repository_url.as_deref(),
            branch: r.branch.as_deref(),
            tests: &r.tests,
            platforms: r.occurrences.iter().map(|o| o.platform.as_str()).collect(),
        }
    }

    /// On the situation's branch, failing one of its tests.
    pub fn touches(&self, s: &Situation) -> bool {
        self.repository_url == Some(s.repository_url.as_str())
            && self.branch == Some(s.branch.as_str())
            && self.tests.iter().any(|t| s.tests.contains(t))
    }

    /// The planted non-regression a false positive comes from: one failing its tests on its
    /// boards, else the flaky board it ran on, else one failing its tests elsewhere ("other"
    /// when none). A lab outage lists every test of its boards, so it is blamed only for the
    /// boards it took down.
    pub fn blame(&self, truth: &GroundTruth) -> String {
        let on_its_boards = |s: &Situation| {
            self.platforms
                .iter()
                .any(|p| s.platforms.iter().any(|q| q == p))
        };
        let others = || {
            truth
                .situations
                .iter()
                .filter(|s| s.kind != SituationKind::Regression)
        };
        others()
            .find(|s| self.touches(s) && on_its_boards(s))
            .or_else(|| others().find(|s| s.kind == SituationKind::FlakyBoard && on_its_boards(s)))
            .or_else(|| others().find(|s| self.touches(s) && s.kind != SituationKind::LabOutage))
            .map(|s| s.name.clone())
            .unwrap_or_else(|| "other".into())
    }
}

fn touches(r: &Regression, s: &Situation) -> bool {
    Seen::of(r).touches(s)
}

/// Scores a report against the truth it was generated with.
pub fn score(report: &Report, truth: &GroundTruth) -> Score {
    let planted: Vec<&Situation> = truth.regressions().collect();
    let published: Vec<&Regression> = report
        .regressions
        .iter()
        .filter(|r| PUBLISHED.contains(&r.status.as_str()))
        .collect();
    let mut sc = Score {
        planted: planted.len(),
        reported: published.len(),
        held_back: report.regressions.len() - published.len(),
        ..Default::default()
    };
    for p in &planted {
        let matches: Vec<&Regression> = published
            .iter()
            .copied()
            .filter(|r| touches(r, p))
            .collect();
        let problems = sc.problems.len();
        match matches.as_slice() {
            [] => {
                sc.missed += 1;
                sc.problems.push(format!("missed {}", p.name));
            }
            [r] => {
                sc.found += 1;
                sc.status_right +=
                    usize::from(p.expected_status.as_deref() == Some(r.status.as_str()));
                sc.scope_right += usize::from(p.scope.as_deref() == Some(r.scope.kind));
                sc.signature_right += usize::from(p.signature == r.signature);
                if p.expected_status.as_deref() != Some(r.status.as_str()) {
                    sc.problems.push(format!(
                        "{}: status {} (expected {:?})",
                        p.name,
                        r.status.as_str(),
                        p.expected_status
                    ));
                }
                if p.scope.as_deref() != Some(r.scope.kind) {
                    sc.problems.push(format!(
                        "{}: scope {} (expected {:?})",
                        p.name, r.scope.kind, p.scope
                    ));
                }
                if p.signature != r.signature {
                    sc.problems.push(format!(
                        "{}: signature {:?} (expected {:?})",
                        p.name, r.signature, p.signature
                    ));
                }
            }
            many => {
                sc.splits += 1;
                sc.problems
                    .push(format!("{} split into {} regressions", p.name, many.len()));
            }
        }
        if sc.problems.len() > problems {
            sc.wrong.insert(p.name.clone());
        }
    }
    for r in &published {
        let merged: Vec<&&Situation> = planted.iter().filter(|p| touches(r, p)).collect();
        let n = merged.len();
        if n > 1 {
            sc.merges += 1;
            let names: Vec<&str> = merged.iter().map(|p| p.name.as_str()).collect();
            sc.problems
                .push(format!("{} merges {}", r.id, names.join(" and ")));
            sc.wrong.extend(names.iter().map(|n| n.to_string()));
        }
        if n == 0 {
            sc.false_positives += 1;
            let cause = Seen::of(r).blame(truth);
            sc.problems.push(format!(
                "false positive {} ({}) cause {cause}",
                r.id, r.title
            ));
            *sc.false_positive_causes.entry(cause).or_default() += 1;
        }
    }
    let h = &report.health;
    // One-offs have no list to be on: they only must not be reported.
    for s in truth
        .situations
        .iter()
        .filter(|s| !matches!(s.kind, SituationKind::Regression | SituationKind::OneOff))
    {
        sc.health_planted += 1;
        let listed = match s.kind {
            SituationKind::FlakyTest => h.flaky_tests.iter().any(|t| s.tests.contains(&t.test)),
            SituationKind::FlakyBoard => h
                .suspect_boards
                .iter()
                .any(|b| s.platforms.contains(&b.platform)),
            SituationKind::LabOutage => h.lab_outages.iter().any(|o| s.labs.contains(&o.lab)),
            SituationKind::AlwaysFailing => {
                h.always_failing.iter().any(|a| s.tests.contains(&a.test))
            }
            SituationKind::Regression | SituationKind::OneOff => false,
        };
        if listed {
            sc.health_listed += 1;
        } else {
            sc.problems.push(format!("{} not listed", s.name));
            sc.wrong.insert(s.name.clone());
        }
    }
    sc
}

/// Generates a demo history into `scratch`, builds its report and scores it.
pub fn run(cfg: &DemoConfig, scratch: &Path) -> std::io::Result<Score> {
    let demo = crate::demo::generate(cfg);
    let results = scratch.join("results");
    let _ = std::fs::remove_dir_all(&results);
    for f in &demo.files {
        let path = results.join(&f.rel_path);
        std::fs::create_dir_all(path.parent().unwrap())?;
        std::fs::write(&path, &f.contents)?;
    }
    let report = crate::report::build_report(
        std::slice::from_ref(&results),
        None,
        Default::default(),
        &mut Default::default(),
    );
    let _ = std::fs::remove_dir_all(&results);
    Ok(score(&report, &demo.truth))
}
