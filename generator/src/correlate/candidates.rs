//! Test regressions: every failure stretch that is a change of failure rate, with its crash
//! signature, and which groups of them the board alone cannot explain.

use std::collections::BTreeSet;

use crate::model::Status;
use crate::series::{Series, run_excerpt};
use crate::store::Store;

use super::facts::SeriesFacts;
use super::group::{Candidate, Group};
use super::health::Health;
use super::stretch::{self, Change};

/// Every stretch that is a change (not noise, with a pass before it), as a test regression.
pub fn candidates(
    series: &[Series],
    facts: &[SeriesFacts],
    health: &Health,
    store: &Store,
) -> Vec<Candidate> {
    use rayon::prelude::*;
    // Reading crash signatures out of excerpts is the costly part: spread it over the cores
    // (the collected order is still the series order).
    let noise = health.noise_index();
    let noise = &noise;
    series
        .par_iter()
        .zip(facts)
        .enumerate()
        .flat_map_iter(|(si, (s, f))| {
            // Most series never failed: no stretch, nothing to look up.
            let (noise_fails, test_noise) = match f.stretches.is_empty() {
                true => (0, 0.0),
                false => (f.noise_fails(), noise.of(s)),
            };
            f.stretches.iter().enumerate().filter_map(move |(ti, st)| {
                let prev = st.prev_pass?;
                let change = match &f.synced[ti] {
                    Some(sync) => Change::Together {
                        failing: sync.failing,
                        ran: sync.ran,
                        commits: sync.commits,
                        chance: sync.chance,
                    },
                    // The board failed this test on another kernel that day too.
                    None if f.bad_day[ti] => return None,
                    None => {
                        let rest = f.stats.verdicts - st.len;
                        let other_noise = f.noise_fails_besides(ti, noise_fails);
                        let own = (other_noise as f64 + 1.0) / (rest as f64 + 2.0);
                        let own_cling = stretch::cling(&f.stats, st, own);
                        stretch::change(
                            st.len,
                            other_noise,
                            rest,
                            test_noise,
                            f.stats.verdicts,
                            own_cling,
                        )?
                    }
                };
                let signature = s.runs[st.first_fail..=st.last_fail]
                    .iter()
                    .filter(|r| r.status == Status::Fail)
                    .filter_map(|r| run_excerpt(store, r))
                    .find_map(|e| crate::crash::extract(&e))
                    .map(|c| c.title);
                Some(Candidate {
                    series: si,
                    stretch: ti,
                    tree_key: s.key.tree_key.to_string(),
                    branch: s.key.branch.to_string(),
                    test: s.key.test.to_string(),
                    platform: s.key.platform.to_string(),
                    last_pass: s.runs[prev].pos as usize,
                    first_fail: s.runs[st.first_fail].pos as usize,
                    signature,
                    change,
                    ongoing: st.next_pass.is_none(),
                })
            })
        })
        .collect()
}

/// A group is a kernel regression unless the board explains it: it needs a member that is on
/// a healthy board and is not a one-off (a single failed run that recovered, or a single job
/// that failed many unrelated tests), or members on two or more boards.
pub fn corroborated(
    g: &Group,
    candidates: &[Candidate],
    series: &[Series],
    facts: &[SeriesFacts],
    health: &Health,
) -> bool {
    let platforms: BTreeSet<&str> = g
        .members
        .iter()
        .map(|&m| candidates[m].platform.as_str())
        .collect();
    if platforms.len() >= 2 {
        return true;
    }
    g.members.iter().any(|&m| {
        let c = &candidates[m];
        let st = &facts[c.series].stretches[c.stretch];
        let s = &series[c.series];
        let run = &s.runs[st.first_fail];
        let one_off = st.len == 1 && (st.next_pass.is_some() || health.in_mass_failure(run));
        !one_off && !health.is_suspect(&c.platform)
    })
}
