//! Grouping test regressions into kernel regressions, in two steps.
//!
//! 1. After LUCI Analysis' changepoint grouping: on one tree/branch, narrowest window first, a
//!    test regression joins a group when their last-pass..first-fail windows overlap by more
//!    than 40% of the narrower one and it fails the same test or with the same crash
//!    signature.
//! 2. Co-failures: groups on one branch that started failing in the same window (the same
//!    overlap) on the same boards (at least half of their boards in common) and belong
//!    together are one regression: tests of one family (one suite or test directory, or every
//!    boot of a job; see `families`). Distinct bugs that happen to share a window stay apart:
//!    groups of different families, or with different crash signatures, are never merged, and
//!    the regression's page says which rule kept them apart.
//!
//! Deterministic by construction: groups are built and merged in a fixed order.

use std::collections::BTreeSet;

use super::families::family;

/// One test regression: a failure stretch of one series judged a change.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub series: usize,
    /// Index into that series' stretches.
    pub stretch: usize,
    pub tree_key: String,
    pub branch: String,
    pub test: String,
    pub platform: String,
    /// Timeline positions of the last pass and the first fail.
    pub last_pass: usize,
    pub first_fail: usize,
    /// Normalised crash title from the failing runs' logs.
    pub signature: Option<String>,
    /// Why its stretch is a change rather than noise.
    pub change: super::stretch::Change,
    /// Its stretch is still failing (no pass after it).
    pub ongoing: bool,
}

impl Candidate {
    /// The commits that may have introduced it: (last_pass, first_fail], never empty.
    fn window(&self) -> (usize, usize) {
        (
            self.last_pass.min(self.first_fail.saturating_sub(1)),
            self.first_fail,
        )
    }
}

/// Overlap of two windows in commits, as a fraction of the narrower one.
pub fn overlap_fraction(a: (usize, usize), b: (usize, usize)) -> f64 {
    let lo = a.0.max(b.0);
    let hi = a.1.min(b.1);
    let overlap = hi.saturating_sub(lo);
    let narrower = (a.1 - a.0).min(b.1 - b.0).max(1);
    overlap as f64 / narrower as f64
}

/// Fraction of the narrower window two test regressions must share to be one bug.
pub const MIN_OVERLAP: f64 = 0.4;

/// A kernel regression under construction.
#[derive(Debug, Clone)]
pub struct Group {
    pub tree_key: String,
    pub branch: String,
    /// The window of its narrowest member: the best estimate of where it came in.
    pub window: (usize, usize),
    pub tests: BTreeSet<String>,
    pub signatures: BTreeSet<String>,
    /// Indices into the candidate list.
    pub members: Vec<usize>,
    /// Boards its members fail on.
    pub boards: BTreeSet<String>,
    /// Families of its tests (see `families`).
    pub families: BTreeSet<String>,
    /// Why its members are one regression, for its page (empty: one test on its boards).
    pub joined: BTreeSet<Joined>,
    /// Some member is still failing.
    pub ongoing: bool,
}

/// A rule that put two test regressions into one kernel regression.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Joined {
    /// The same crash signature on different tests.
    Signature(String),
    /// Tests of one family, failing from the same window on the same boards.
    Family(String),
    /// One test still failing, on some boards since an earlier commit (a flaky streak that ran
    /// into the change): one ongoing failure, not two.
    StillFailing(String),
}

/// Boards two groups must share, as a fraction of all their boards, to be "the same boards".
pub const MIN_SAME_BOARDS: f64 = 0.5;

impl Group {
    /// The share of their boards two groups have in common (Jaccard).
    pub fn same_boards(&self, other: &Group) -> f64 {
        let common = self.boards.intersection(&other.boards).count();
        let all = self.boards.union(&other.boards).count().max(1);
        common as f64 / all as f64
    }

    /// Whether two groups fail at the same place in history: one branch, overlapping windows,
    /// the same boards.
    pub fn co_fails_with(&self, other: &Group) -> bool {
        self.tree_key == other.tree_key
            && self.branch == other.branch
            && overlap_fraction(self.window, other.window) > MIN_OVERLAP
            && self.same_boards(other) >= MIN_SAME_BOARDS
    }

    /// Why two co-failing groups are not one regression (`None`: they are).
    pub fn kept_apart(&self, other: &Group) -> Option<&'static str> {
        if !self.signatures.is_empty()
            && !other.signatures.is_empty()
            && self.signatures.is_disjoint(&other.signatures)
        {
            return Some("they crash with different signatures");
        }
        if self.families.is_disjoint(&other.families) {
            return Some("their tests are of different families and share no crash signature");
        }
        None
    }

    /// Takes in another group; `why` says what joined them.
    fn absorb(&mut self, other: Group, why: impl IntoIterator<Item = Joined>) {
        if other.window.1 - other.window.0 < self.window.1 - self.window.0 {
            self.window = other.window;
        }
        self.joined.extend(why);
        self.tests.extend(other.tests);
        self.signatures.extend(other.signatures);
        self.members.extend(other.members);
        self.boards.extend(other.boards);
        self.families.extend(other.families);
        self.joined.extend(other.joined);
        self.ongoing |= other.ongoing;
    }
}

/// Merges groups on one branch that share a test and are both still failing somewhere (step 3):
/// a test fails in one way at a time, and a flaky streak that ran into a change makes some
/// boards' failures start before the others'. Different crash signatures still keep them
/// apart.
pub fn merge_still_failing(groups: Vec<Group>) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for g in groups {
        let into = out.iter().position(|o| {
            o.ongoing
                && g.ongoing
                && o.tree_key == g.tree_key
                && o.branch == g.branch
                && !o.tests.is_disjoint(&g.tests)
                && (o.signatures.is_empty()
                    || g.signatures.is_empty()
                    || !o.signatures.is_disjoint(&g.signatures))
        });
        match into {
            Some(i) => {
                let shared: Vec<Joined> = out[i]
                    .tests
                    .intersection(&g.tests)
                    .cloned()
                    .map(Joined::StillFailing)
                    .collect();
                out[i].absorb(g, shared);
            }
            None => out.push(g),
        }
    }
    out
}

/// Merges co-failing groups of one family (step 2 of the module doc), in group order.
pub fn merge_co_failures(groups: Vec<Group>) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for g in groups {
        let into = out
            .iter()
            .position(|o| o.co_fails_with(&g) && o.kept_apart(&g).is_none());
        match into {
            Some(i) => {
                let shared: Vec<Joined> = out[i]
                    .families
                    .intersection(&g.families)
                    .cloned()
                    .map(Joined::Family)
                    .collect();
                out[i].absorb(g, shared);
            }
            None => out.push(g),
        }
    }
    out
}

/// Groups candidates; returns groups in creation order (narrowest window first).
pub fn group(candidates: &[Candidate]) -> Vec<Group> {
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by_key(|&i| {
        let c = &candidates[i];
        let w = c.window();
        (
            w.1 - w.0,
            c.tree_key.clone(),
            c.branch.clone(),
            c.first_fail,
            c.test.clone(),
            c.platform.clone(),
            c.series,
            c.stretch,
        )
    });
    let mut groups: Vec<Group> = Vec::new();
    for i in order {
        let c = &candidates[i];
        let joins = groups.iter().position(|g| {
            g.tree_key == c.tree_key
                && g.branch == c.branch
                && overlap_fraction(g.window, c.window()) > MIN_OVERLAP
                && (g.tests.contains(&c.test)
                    || c.signature
                        .as_ref()
                        .is_some_and(|s| g.signatures.contains(s)))
        });
        match joins {
            Some(g) => {
                let g = &mut groups[g];
                if !g.tests.contains(&c.test)
                    && let Some(sig) = &c.signature
                {
                    g.joined.insert(Joined::Signature(sig.clone()));
                }
                g.tests.insert(c.test.clone());
                g.signatures.extend(c.signature.clone());
                g.members.push(i);
                g.boards.insert(c.platform.clone());
                g.families.insert(family(&c.test));
                g.ongoing |= c.ongoing;
            }
            None => groups.push(Group {
                tree_key: c.tree_key.clone(),
                branch: c.branch.clone(),
                window: c.window(),
                tests: BTreeSet::from([c.test.clone()]),
                signatures: c.signature.iter().cloned().collect(),
                members: vec![i],
                boards: BTreeSet::from([c.platform.clone()]),
                families: BTreeSet::from([family(&c.test)]),
                joined: BTreeSet::new(),
                ongoing: c.ongoing,
            }),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(test: &str, platform: &str, lp: usize, ff: usize, sig: Option<&str>) -> Candidate {
        Candidate {
            series: 0,
            stretch: 0,
            tree_key: "t".into(),
            branch: "b".into(),
            test: test.into(),
            platform: platform.into(),
            last_pass: lp,
            first_fail: ff,
            signature: sig.map(String::from),
            change: crate::correlate::stretch::Change::Clean,
            ongoing: true,
        }
    }

    #[test]
    fn overlap_is_relative_to_the_narrower_window() {
        assert_eq!(overlap_fraction((3, 4), (0, 10)), 1.0);
        assert_eq!(overlap_fraction((0, 5), (5, 9)), 0.0);
        assert!((overlap_fraction((0, 10), (6, 11)) - 0.8).abs() < 1e-9);
    }

    #[test]
    fn same_test_across_boards_is_one_group() {
        let cs: Vec<Candidate> = (0..30)
            .map(|b| cand("net.tls", &format!("board{b}"), 4, 5, None))
            .collect();
        let g = group(&cs);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].members.len(), 30);
    }

    #[test]
    fn same_signature_joins_different_tests_and_distinct_windows_split() {
        let cs = vec![
            cand("a", "x", 4, 5, Some("WARNING in f")),
            cand("b", "y", 4, 5, Some("WARNING in f")),
            cand("c", "y", 4, 5, Some("BUG in g")),
            cand("a", "z", 10, 11, Some("WARNING in f")),
        ];
        let g = group(&cs);
        assert_eq!(g.len(), 3);
        assert_eq!(g[0].tests, BTreeSet::from(["a".into(), "b".into()]));
    }

    #[test]
    fn a_family_failing_together_is_one_regression_and_others_stay_apart() {
        let mut cs = Vec::new();
        for t in ["ltp.dio01", "ltp.dio02", "ltp.dio11"] {
            for b in ["x", "y"] {
                cs.push(cand(t, b, 4, 5, None));
            }
        }
        // Same window, same boards, another family: a distinct bug.
        cs.push(cand("ltp.fsync01", "x", 4, 5, None));
        cs.push(cand("ltp.fsync01", "y", 4, 5, None));
        // The same family on other boards only: not the same co-failure.
        cs.push(cand("ltp.dio03", "z", 4, 5, None));
        let g = merge_co_failures(group(&cs));
        assert_eq!(g.len(), 3, "{g:#?}");
        let dio = g.iter().find(|g| g.tests.contains("ltp.dio01")).unwrap();
        assert_eq!(dio.tests.len(), 3);
        assert!(dio.joined.contains(&Joined::Family("ltp.dio*".into())));
        let fsync = g.iter().find(|g| g.tests.contains("ltp.fsync01")).unwrap();
        assert!(dio.co_fails_with(fsync));
        assert!(
            dio.kept_apart(fsync)
                .unwrap()
                .contains("different families")
        );
    }

    #[test]
    fn boots_under_several_job_names_are_one_regression() {
        let cs: Vec<Candidate> = [
            "ltp-math-tests.boot",
            "ltp-timers-tests.boot",
            "wlan-smoke.boot",
        ]
        .iter()
        .flat_map(|t| ["qemu", "hihope"].map(|b| cand(t, b, 7, 8, None)))
        .collect();
        let g = merge_co_failures(group(&cs));
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].tests.len(), 3);
    }

    #[test]
    fn different_signatures_in_one_family_stay_apart() {
        let cs = vec![
            cand("kselftest.net.a", "x", 4, 5, Some("WARNING in f")),
            cand("kselftest.net.b", "x", 4, 5, Some("BUG in g")),
        ];
        assert_eq!(merge_co_failures(group(&cs)).len(), 2);
    }

    #[test]
    fn order_of_input_does_not_matter() {
        let mut cs = vec![
            cand("a", "x", 2, 5, None),
            cand("a", "y", 4, 5, None),
            cand("a", "z", 0, 9, None),
        ];
        let g1: Vec<usize> = group(&cs).iter().map(|g| g.members.len()).collect();
        cs.reverse();
        let g2: Vec<usize> = group(&cs).iter().map(|g| g.members.len()).collect();
        assert_eq!(g1, g2);
    }
}
