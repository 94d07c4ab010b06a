//! Accuracy of the correlation engine against the demo generator's ground truth.
//!
//! A planted regression is *found* when exactly one reported regression on its branch fails
//! one of its tests; two or more is a *split*. A reported regression matching two planted ones
//! is a *merge*; one matching none is a *false positive* (and is blamed on the planted flaky
//! test, flaky board, lab outage or always-failing test it touches, when it does).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::Serialize;

use crate::correlate::Regression;
use crate::demo::{DemoConfig, GroundTruth, Situation, SituationKind};
use crate::report::Report;

/// The scores of one history.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Score {
    pub planted: usize,
    /// Planted regressions reported exactly once.
    pub found: usize,
    pub missed: usize,
    pub splits: usize,
    pub merges: usize,
    pub reported: usize,
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
    /// Names of the planted regressions that were missed or split, for the report.
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
            "precision {:.3} recall {:.3} | found {}/{} split {} merged {} missed {} | FP {} {:?} | status {}/{} scope {}/{} signature {}/{} | health {}/{}",
            self.precision(),
            self.recall(),
            self.found,
            self.planted,
            self.splits,
            self.merges,
            self.missed,
            self.false_positives,
            self.false_positive_causes,
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

fn same_branch(r: &Regression, s: &Situation) -> bool {
    r.repository_url.as_deref() == Some(s.repository_url.as_str())
        && r.branch.as_deref() == Some(s.branch.as_str())
}

fn touches(r: &Regression, s: &Situation) -> bool {
    same_branch(r, s) && r.tests.iter().any(|t| s.tests.contains(t))
}

/// Scores a report against the truth it was generated with.
pub fn score(report: &Report, truth: &GroundTruth) -> Score {
    let planted: Vec<&Situation> = truth.regressions().collect();
    // Only what is published counts: unconfirmed candidates are listed apart.
    let published = report.published();
    let mut sc = Score {
        planted: planted.len(),
        reported: published.len(),
        ..Default::default()
    };
    for p in &planted {
        let matches: Vec<&Regression> = published.iter().filter(|r| touches(r, p)).collect();
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
    }
    for r in published {
        let n = planted.iter().filter(|p| touches(r, p)).count();
        if n > 1 {
            sc.merges += 1;
        }
        if n == 0 {
            sc.false_positives += 1;
            let cause = truth
                .situations
                .iter()
                .filter(|s| s.kind != SituationKind::Regression)
                .find(|s| {
                    touches(r, s)
                        || r.occurrences
                            .iter()
                            .any(|o| s.platforms.contains(&o.platform))
                            && matches!(s.kind, SituationKind::FlakyBoard)
                })
                .map(|s| s.name.clone())
                .unwrap_or_else(|| "other".into());
            sc.problems.push(format!(
                "false positive {} ({}) cause {cause}",
                r.id, r.title
            ));
            *sc.false_positive_causes.entry(cause).or_default() += 1;
        }
    }
    let h = &report.health;
    for s in truth
        .situations
        .iter()
        .filter(|s| s.kind != SituationKind::Regression)
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
            SituationKind::Regression => false,
        };
        if listed {
            sc.health_listed += 1;
        } else {
            sc.problems.push(format!("{} not listed", s.name));
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
