//! The ground truth: every planted situation, with the boards, labs and tests it actually
//! touched and the commits around it, collected while the history is generated. The accuracy
//! check compares what the engine reports against it.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::planted::{
    FIXED_FROM, FIXED_UNTIL, MANY_BOARDS_FROM, Planted, SIGNATURE_NULL_DEREF, SIGNATURE_SLEEP,
    SIGNATURE_TLS, SINGLE_ARCH_FROM, SINGLE_BOARD_FROM, SINGLE_COMPILER_FROM,
};
use super::tables::{Board, TREE_MAINLINE, TREE_NEXT, TREES};

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
    /// `all` | `arch` | `board` | `config` | `compiler`.
    pub scope: Option<String>,
}

/// Where one situation showed up on one tree.
#[derive(Default)]
struct Affected {
    platforms: BTreeSet<String>,
    labs: BTreeSet<String>,
    tests: BTreeSet<String>,
}

/// Collects, while the history is generated, what the ground truth is made of.
#[derive(Default)]
pub(super) struct TruthRecorder {
    affected: BTreeMap<(Planted, usize), Affected>,
    /// (tree, day) -> hash of the commit checked out.
    commit_hashes: BTreeMap<(usize, i32), String>,
}

impl TruthRecorder {
    /// Tree `tree` checked out `hash` on day `rel`.
    pub(super) fn record_commit(&mut self, tree: usize, rel: i32, hash: String) {
        self.commit_hashes.insert((tree, rel), hash);
    }

    /// Test `path` on `board` showed situation `planted` on tree `tree`.
    pub(super) fn record(&mut self, planted: Planted, tree: usize, board: &Board, path: &str) {
        let a = self.affected.entry((planted, tree)).or_default();
        a.platforms.insert(board.name.clone());
        a.labs.insert(board.def.lab.to_string());
        a.tests.insert(path.to_string());
    }

    /// The ground truth of everything recorded.
    pub(super) fn ground_truth(&self) -> GroundTruth {
        let mut situations = Vec::new();
        struct PlantedRegression {
            situation: Planted,
            name: &'static str,
            tree: usize,
            status: &'static str,
            first: i32,
            fix: Option<i32>,
            signature: Option<&'static str>,
            scope: &'static str,
        }
        let regressions = [
            PlantedRegression {
                situation: Planted::ManyBoards,
                name: "many-boards-regression",
                tree: TREE_MAINLINE,
                status: "ongoing",
                first: MANY_BOARDS_FROM,
                fix: None,
                signature: Some(SIGNATURE_TLS),
                scope: "all",
            },
            PlantedRegression {
                situation: Planted::SingleBoard,
                name: "single-board-regression",
                tree: TREE_NEXT,
                status: "new",
                first: SINGLE_BOARD_FROM,
                fix: None,
                signature: Some(SIGNATURE_NULL_DEREF),
                scope: "board",
            },
            PlantedRegression {
                situation: Planted::SingleCompiler,
                name: "single-compiler-regression",
                tree: TREE_MAINLINE,
                status: "ongoing",
                first: SINGLE_COMPILER_FROM,
                fix: None,
                signature: None,
                scope: "compiler",
            },
            PlantedRegression {
                situation: Planted::Fixed,
                name: "fixed-regression",
                tree: TREE_NEXT,
                status: "fixed",
                first: FIXED_FROM,
                fix: Some(FIXED_UNTIL + 1),
                signature: None,
                scope: "all",
            },
            PlantedRegression {
                situation: Planted::SingleArch,
                name: "single-arch-regression",
                tree: TREE_MAINLINE,
                status: "ongoing",
                first: SINGLE_ARCH_FROM,
                fix: None,
                signature: Some(SIGNATURE_SLEEP),
                scope: "arch",
            },
        ];
        for r in regressions {
            let hash = |rel: i32| self.commit_hashes.get(&(r.tree, rel)).cloned();
            let mut s = self.situation(
                r.situation,
                r.tree,
                r.name.to_string(),
                SituationKind::Regression,
            );
            s.expected_status = Some(r.status.to_string());
            s.first_fail_commit = hash(r.first);
            s.last_pass_commit = hash(r.first - 1);
            s.fix_commit = r.fix.and_then(hash);
            s.signature = r.signature.map(str::to_string);
            s.scope = Some(r.scope.to_string());
            situations.push(s);
        }
        let others = [
            (
                Planted::FlakyTest,
                "flaky-test",
                SituationKind::FlakyTest,
                Some("all"),
            ),
            (
                Planted::FlakyBoard,
                "flaky-board",
                SituationKind::FlakyBoard,
                Some("board"),
            ),
            (
                Planted::LabOutage,
                "lab-outage",
                SituationKind::LabOutage,
                None,
            ),
            (
                Planted::AlwaysFailing,
                "always-failing",
                SituationKind::AlwaysFailing,
                Some("arch"),
            ),
        ];
        for (planted, base, kind, scope) in others {
            for (ti, tree) in TREES.iter().enumerate() {
                if self.affected.contains_key(&(planted, ti)) {
                    let mut s = self.situation(planted, ti, format!("{base}-{}", tree.name), kind);
                    s.scope = scope.map(str::to_string);
                    situations.push(s);
                }
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
        }
    }
}
