//! The ground truth: every planted situation, with the boards, labs and tests it actually
//! touched and the commits around it, collected while the history is generated. The accuracy
//! check compares what the engine reports against it; the replay check also reads, per
//! regression, its first failing night, what showed it that night, and how soon a good
//! engine publishes it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, TimeDelta};
use serde::{Deserialize, Serialize};

use super::dates::ymd;
use super::planted::{INTERMITTENT, Planted, TEST_MQ, Timeline};
use super::tables::{Board, TREES};

/// Every planted situation; anything not listed here passes (or is SKIP).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroundTruth {
    pub situations: Vec<Situation>,
}

impl GroundTruth {
    /// The situations an accurate engine must report as regressions.
    pub fn regressions(&self) -> impl Iterator<Item = &Situation> {
        self.situations
            .iter()
            .filter(|s| s.kind == SituationKind::Regression)
    }
}

/// What kind of situation was planted; only regressions should be reported as such.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SituationKind {
    Regression,
    FlakyTest,
    FlakyBoard,
    LabOutage,
    AlwaysFailing,
    /// One failed run on one board that passes again the next night: never a regression, and
    /// too little to call the test flaky either.
    OneOff,
}

/// One planted situation on one tree, and where it showed up in the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Situation {
    /// Unique name, e.g. `many-boards-regression`, `flaky-test-mainline`.
    pub name: String,
    pub kind: SituationKind,
    /// Regressions only: `new` | `ongoing` | `fixed`, relative to `end_date`.
    pub expected_status: Option<String>,
    pub tree_name: String,
    pub repository_url: String,
    pub branch: String,
    /// Test paths involved, sorted.
    pub tests: Vec<String>,
    /// Boards (`environment.misc.platform`) where the situation shows, sorted.
    pub platforms: Vec<String>,
    /// Labs (`misc.runtime`) of those boards, sorted.
    pub labs: Vec<String>,
    pub first_fail_commit: Option<String>,
    pub last_pass_commit: Option<String>,
    pub fix_commit: Option<String>,
    /// Crash title a good extractor should produce (syzkaller style), for crash-type failures.
    pub signature: Option<String>,
    /// `all` | `arch` | `board` | `config` | `compiler` | `partial`.
    pub scope: Option<String>,
    /// Regressions and one-offs: the first night it fails and what shows it that night.
    #[serde(default)]
    pub first_night: Option<FirstNight>,
    /// Fixed regressions: the first night every affected environment passes again.
    #[serde(default)]
    pub fix_date: Option<String>,
    /// Regressions: the latest night a good engine publishes it, in nights after its first
    /// failing night: 0 when two environments or a crash signature show it on that night, 1
    /// when one failing run on one board does (the next night confirms it).
    #[serde(default)]
    pub publish_within: Option<u32>,
}

/// What the first failing night of a situation shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirstNight {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Boards failing that night, sorted.
    pub platforms: Vec<String>,
    /// Environments (board, config, compiler) failing that night.
    pub environments: usize,
    /// Its failures carry a crash signature.
    pub crash_signature: bool,
}

/// Where one situation showed up on one tree.
#[derive(Default)]
struct Affected {
    platforms: BTreeSet<String>,
    labs: BTreeSet<String>,
    tests: BTreeSet<String>,
    /// Day -> (board, environment) failing that day.
    by_day: BTreeMap<i32, BTreeSet<(String, String)>>,
}

/// Collects, while the history is generated, what the ground truth is made of.
pub(super) struct TruthRecorder {
    end: NaiveDate,
    timeline: Timeline,
    affected: BTreeMap<(Planted, usize), Affected>,
    /// (tree, day) -> hash of the commit checked out.
    commit_hashes: BTreeMap<(usize, i32), String>,
}

impl TruthRecorder {
    pub(super) fn new(end: NaiveDate, timeline: Timeline) -> TruthRecorder {
        TruthRecorder {
            end,
            timeline,
            affected: BTreeMap::new(),
            commit_hashes: BTreeMap::new(),
        }
    }

    /// Tree `tree` checked out `hash` on day `rel`.
    pub(super) fn record_commit(&mut self, tree: usize, rel: i32, hash: String) {
        self.commit_hashes.insert((tree, rel), hash);
    }

    /// Test `path` on `board` (environment `env`) showed situation `planted` on tree `tree`
    /// on day `rel`.
    pub(super) fn record(
        &mut self,
        planted: Planted,
        tree: usize,
        board: &Board,
        path: &str,
        rel: i32,
        env: &str,
    ) {
        let a = self.affected.entry((planted, tree)).or_default();
        a.platforms.insert(board.name.clone());
        a.labs.insert(board.def.lab.to_string());
        a.tests.insert(path.to_string());
        a.by_day
            .entry(rel)
            .or_default()
            .insert((board.name.clone(), env.to_string()));
    }

    /// `YYYY-MM-DD` of day `rel`.
    fn date(&self, rel: i32) -> String {
        ymd(self.end + TimeDelta::days(i64::from(rel)))
    }

    /// What day `rel` showed of `planted` on `tree`.
    fn night(&self, planted: Planted, tree: usize, rel: i32, crash: bool) -> Option<FirstNight> {
        let seen = self.affected.get(&(planted, tree))?.by_day.get(&rel)?;
        Some(FirstNight {
            date: self.date(rel),
            platforms: seen
                .iter()
                .map(|(b, _)| b.clone())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
            environments: seen.len(),
            crash_signature: crash,
        })
    }

    /// The ground truth of everything recorded.
    pub(super) fn ground_truth(&self) -> GroundTruth {
        let mut situations = Vec::new();
        for r in self.timeline.regressions() {
            let hash = |rel: i32| self.commit_hashes.get(&(r.tree, rel)).cloned();
            let mut s = self.situation(
                r.situation,
                r.tree,
                r.name.to_string(),
                SituationKind::Regression,
            );
            let fixed = r.fix.filter(|&f| f <= 0);
            let status = if fixed.is_some() {
                "fixed"
            } else if r.first == 0 {
                "new"
            } else {
                "ongoing"
            };
            s.expected_status = Some(status.to_string());
            s.first_fail_commit = hash(r.first);
            s.last_pass_commit = hash(r.first - 1);
            s.fix_commit = fixed.and_then(hash);
            s.fix_date = fixed.map(|f| self.date(f));
            s.signature = r.signature.map(str::to_string);
            s.scope = Some(r.scope.to_string());
            s.first_night = self.night(r.situation, r.tree, r.first, r.signature.is_some());
            // A test that flakes on the very boards it now fails on: their first night of
            // failures is what they do together now and then, so it is the second night, the
            // failures lasting, that shows the change (with one environment or none besides).
            let on_flaky_boards = r.situation == Planted::FlakyJump;
            s.publish_within = s
                .first_night
                .as_ref()
                .map(|n| u32::from((n.environments < 2 && !n.crash_signature) || on_flaky_boards));
            situations.push(s);
        }
        let mut others = vec![
            (
                Planted::FlakyTest,
                "flaky-test".to_string(),
                SituationKind::FlakyTest,
                Some("all"),
            ),
            (
                Planted::FlakyBoard,
                "flaky-board".to_string(),
                SituationKind::FlakyBoard,
                Some("board"),
            ),
            (
                Planted::LabOutage,
                "lab-outage".to_string(),
                SituationKind::LabOutage,
                None,
            ),
            (
                Planted::AlwaysFailing,
                "always-failing".to_string(),
                SituationKind::AlwaysFailing,
                Some("arch"),
            ),
        ];
        let intermittent = INTERMITTENT.iter().map(|i| i.test).chain([TEST_MQ]);
        for (i, test) in intermittent.enumerate() {
            let case = test.rsplit('.').next().unwrap_or(test);
            others.push((
                Planted::Intermittent(i),
                format!("intermittent-{case}"),
                SituationKind::FlakyTest,
                None,
            ));
        }
        others.push((
            Planted::OneOff,
            "one-off-failure".to_string(),
            SituationKind::OneOff,
            None,
        ));
        for (planted, base, kind, scope) in others {
            for (ti, tree) in TREES.iter().enumerate() {
                let Some(a) = self.affected.get(&(planted, ti)) else {
                    continue;
                };
                let name = if kind == SituationKind::OneOff {
                    base.clone()
                } else {
                    format!("{base}-{}", tree.name)
                };
                let mut s = self.situation(planted, ti, name, kind);
                s.scope = scope.map(str::to_string);
                if kind == SituationKind::OneOff
                    && let Some(&first) = a.by_day.keys().next()
                {
                    s.first_night = self.night(planted, ti, first, false);
                }
                situations.push(s);
            }
        }
        GroundTruth { situations }
    }

    /// `planted` on `tree` as recorded so far, with the fields only regressions have left empty.
    fn situation(
        &self,
        planted: Planted,
        tree: usize,
        name: String,
        kind: SituationKind,
    ) -> Situation {
        let t = &TREES[tree];
        let affected = self.affected.get(&(planted, tree));
        let list = |f: fn(&Affected) -> &BTreeSet<String>| -> Vec<String> {
            affected
                .map(|a| f(a).iter().cloned().collect())
                .unwrap_or_default()
        };
        Situation {
            name,
            kind,
            expected_status: None,
            tree_name: t.name.to_string(),
            repository_url: t.url.to_string(),
            branch: t.branch.to_string(),
            tests: list(|a| &a.tests),
            platforms: list(|a| &a.platforms),
            labs: list(|a| &a.labs),
            first_fail_commit: None,
            last_pass_commit: None,
            fix_commit: None,
            signature: None,
            scope: None,
            first_night: None,
            fix_date: None,
            publish_within: None,
        }
    }
}
