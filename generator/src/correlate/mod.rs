//! From series to kernel regressions.
//!
//! 1. [`stretch`]: each series' failure stretches, and which are a change of failure rate
//!    rather than the series' usual noise.
//! 2. [`health`]: flaky tests, suspect boards and labs, always-failing tests.
//! 3. [`group`]: test regressions on one branch with overlapping windows and the same test or
//!    crash signature become one kernel regression.
//! 4. [`candidates`]: the changes as test regressions with their crash signatures, and which
//!    groups the board alone explains (dropped).
//! 5. [`reopen`]: a regression that fails again after its fix is the same one, reopened.
//! 6. [`describe`]: status, scope ([`scope`]), windows, title and permalink id of each
//!    [`regression`].

mod candidates;
pub mod chance;
pub mod describe;
pub mod facts;
pub mod families;
pub mod flakiness;
pub mod fleet_flakes;
pub mod group;
pub mod health;
pub mod regression;
mod reopen;
pub mod scope;
pub mod stretch;

use chrono::NaiveDate;

use crate::series::{Series, Timeline};
use crate::store::Store;
use describe::Tables;
use group::Group;
use health::Health;

pub use describe::{MAX_EXCERPTS, RECENT_RUNS, choose_excerpts};
pub use regression::{
    FixWindow, KcidbIssueRef, Occurrence, RecentRun, Regression, RegressionStatus, Scope, stable_id,
};

/// What correlation produced.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub regressions: Vec<Regression>,
    pub health: Health,
}

/// Correlates every series into regressions and health findings.
pub fn analyse(
    series: &[Series],
    timeline: &Timeline,
    store: &Store,
    report_date: Option<NaiveDate>,
) -> Analysis {
    let mut tm = crate::timings::Timer::start();
    let mut sub = crate::timings::Timer::start();
    let facts = facts::facts(series);
    sub.mark("  each series' facts, synchrony by its own rates");
    let intermittent = flakiness::intermittency(series, &facts);
    // Once the fleet says which tests are intermittent, judge synchrony again with their
    // noise as a floor: a board too young to know its own flakes gets the fleet's.
    let fleet = flakiness::fleet_noise(series, &facts, &intermittent);
    let (facts, changed) = facts::resync(series, facts, &fleet);
    let intermittent = match changed {
        0 => intermittent,
        _ => flakiness::intermittency(series, &facts),
    };
    sub.mark("  the fleet's noise, synchrony again");
    tm.mark("series facts");
    let health = health::analyse(series, &facts, &intermittent);
    tm.mark("health checks");
    let candidates = candidates::candidates(series, &facts, &health, store);
    tm.mark("candidates and signatures");
    let groups = group::merge_still_failing(group::merge_co_failures(group::group(&candidates)));
    let kept: Vec<Group> = groups
        .into_iter()
        .filter(|g| candidates::corroborated(g, &candidates, series, &facts, &health))
        .collect();
    let chains = reopen::reopen_chains(kept, &candidates, series, &facts);
    tm.mark("group candidates");
    let (index, flakes) = rayon::join(
        || scope::SeriesIndex::new(series),
        || fleet_flakes::FleetFlakes::new(series, &facts),
    );
    tm.mark("index series for scopes");
    let tables = Tables {
        candidates: &candidates,
        series,
        facts: &facts,
        intermittent: &intermittent,
        timeline,
        index: &index,
        flakes: &flakes,
        health: &health,
        store,
        report_date,
    };
    // A regression seen on thousands of boards takes a while to describe: one per core.
    let mut regressions: Vec<Regression> = {
        use rayon::prelude::*;
        chains
            .par_iter()
            .map(|c| describe::build(c, &tables))
            .collect()
    };
    note_kept_apart(&chains, &mut regressions);
    // Published regressions first, newest first; unconfirmed candidates after them, apart.
    regressions.sort_by(|a, b| {
        (!a.is_published(), b.first_seen, &a.title, &a.id).cmp(&(
            !b.is_published(),
            a.first_seen,
            &b.title,
            &b.id,
        ))
    });
    tm.mark("describe regressions");
    Analysis {
        regressions,
        health,
    }
}

/// Tells each regression about the others that started failing in its window on the same
/// boards but are a different bug, and the rule that kept them apart (on its page).
fn note_kept_apart(chains: &[Vec<Group>], regressions: &mut [Regression]) {
    let mut by_branch: std::collections::BTreeMap<(&str, &str), Vec<usize>> = Default::default();
    for (i, c) in chains.iter().enumerate() {
        let g = c.last().expect("a chain has a group");
        by_branch
            .entry((&g.tree_key, &g.branch))
            .or_default()
            .push(i);
    }
    let mut notes: Vec<(usize, String)> = Vec::new();
    for members in by_branch.values() {
        for (k, &i) in members.iter().enumerate() {
            for &j in &members[k + 1..] {
                let (a, b) = (chains[i].last().unwrap(), chains[j].last().unwrap());
                let Some(why) = a.co_fails_with(b).then(|| a.kept_apart(b)).flatten() else {
                    continue;
                };
                for (to, other) in [(i, j), (j, i)] {
                    let o = &regressions[other];
                    notes.push((
                        to,
                        format!(
                            "{} ({}) also started failing in this window on the same boards; \
                             it is kept apart because {why}",
                            o.title, o.id
                        ),
                    ));
                }
            }
        }
    }
    for (i, note) in notes {
        regressions[i].evidence.push(note);
    }
}
