//! Reopened regressions: a group that fails again after an earlier group on the same branch,
//! with the same test or signature, was fixed, is the same bug come back.

use crate::series::Series;

use super::facts::SeriesFacts;
use super::group::{Candidate, Group};

/// Whether every member stretch of a group recovered.
pub fn group_fixed(g: &Group, candidates: &[Candidate], facts: &[SeriesFacts]) -> bool {
    g.members.iter().all(|&m| {
        let c = &candidates[m];
        facts[c.series].stretches[c.stretch].next_pass.is_some()
    })
}

/// Latest failing position of a group.
pub fn group_last_fail(
    g: &Group,
    candidates: &[Candidate],
    series: &[Series],
    facts: &[SeriesFacts],
) -> usize {
    g.members
        .iter()
        .map(|&m| {
            let c = &candidates[m];
            series[c.series].runs[facts[c.series].stretches[c.stretch].last_fail].pos as usize
        })
        .max()
        .unwrap_or(0)
}

/// Chains a group that starts failing after an earlier, fixed group on the same branch with
/// the same test or signature onto it: the bug came back (reopened), same regression.
pub fn reopen_chains(
    mut groups: Vec<Group>,
    candidates: &[Candidate],
    series: &[Series],
    facts: &[SeriesFacts],
) -> Vec<Vec<Group>> {
    groups.sort_by_key(|g| (g.window.1, g.window.0, g.tests.iter().next().cloned()));
    let mut chains: Vec<Vec<Group>> = Vec::new();
    for g in groups {
        let earlier = chains.iter().position(|chain| {
            let last = chain.last().unwrap();
            last.tree_key == g.tree_key
                && last.branch == g.branch
                && group_fixed(last, candidates, facts)
                && group_last_fail(last, candidates, series, facts) < g.window.1
                && (!last.tests.is_disjoint(&g.tests)
                    || !last.signatures.is_disjoint(&g.signatures))
        });
        match earlier {
            Some(i) => chains[i].push(g),
            None => chains.push(vec![g]),
        }
    }
    chains
}
