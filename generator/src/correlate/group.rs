//! Grouping test regressions into kernel regressions (after LUCI Analysis' changepoint
//! grouping): on one tree/branch, narrowest window first, a test regression joins a group
//! when their last-pass..first-fail windows overlap by more than 40% of the narrower one and
//! it fails the same test or with the same crash signature. Deterministic by construction.

use std::collections::BTreeSet;

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
                g.tests.insert(c.test.clone());
                g.signatures.extend(c.signature.clone());
                g.members.push(i);
            }
            None => groups.push(Group {
                tree_key: c.tree_key.clone(),
                branch: c.branch.clone(),
                window: c.window(),
                tests: BTreeSet::from([c.test.clone()]),
                signatures: c.signature.iter().cloned().collect(),
                members: vec![i],
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
