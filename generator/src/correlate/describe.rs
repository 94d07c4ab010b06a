//! Describing a regression: its occurrences with their history strips and shown excerpts,
//! status, windows, scope, title and permalink id, from the chain of groups it is made of.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::model::Status;
use crate::series::{CommitRef, Run, Series, Timeline, has_excerpt, run_excerpt, run_log_url};
use crate::store::Store;

use super::facts::SeriesFacts;
use super::families::is_boot;
use super::flakiness::Intermittent;
use super::fleet_flakes::{FleetFlakes, NoisyTest};
use super::group::{Candidate, Group};
use super::health::Health;
use super::regression::{
    Confirmation, FixWindow, Occurrence, RecentRun, Regression, RegressionStatus, stable_id,
};
use super::reopen::{group_fixed, group_last_fail};
use super::scope;

/// How many recent runs an occurrence keeps for its history strip.
pub const RECENT_RUNS: usize = 14;

/// Log excerpts a regression shows: one per distinct signature, so different faces of the
/// bug show, this many at most.
pub const MAX_EXCERPTS: usize = 5;

/// Which occurrences show their excerpt: in order, the first with a non-blank excerpt of
/// each signature, [`MAX_EXCERPTS`] at most. `shows(i)` says whether occurrence `i` has a
/// non-blank excerpt, and is asked only of occurrences that could still be chosen, so an
/// excerpt that has to be read is read only then.
pub fn choose_excerpts<'s>(
    signatures: impl IntoIterator<Item = &'s Option<String>>,
    mut shows: impl FnMut(usize) -> bool,
) -> Vec<usize> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (i, signature) in signatures.into_iter().enumerate() {
        if out.len() >= MAX_EXCERPTS {
            break;
        }
        if seen.contains(signature) || !shows(i) {
            continue;
        }
        seen.insert(signature);
        out.push(i);
    }
    out
}

/// Reads the excerpts of the occurrences that show one ([`choose_excerpts`]), and only
/// those: a bug seen in thousands of environments would otherwise read (from the result
/// files) and decode thousands of excerpts to show five.
fn read_shown_excerpts(with_runs: Vec<(Occurrence, &Run)>, store: &Store) -> Vec<Occurrence> {
    let (mut occurrences, runs): (Vec<Occurrence>, Vec<&Run>) = with_runs.into_iter().unzip();
    let mut read = Vec::new();
    let shown = choose_excerpts(occurrences.iter().map(|o| &o.signature), |i| {
        let text = run_excerpt(store, runs[i]).filter(|t| !t.trim().is_empty());
        text.map(|t| read.push(t.into_owned())).is_some()
    });
    for (i, text) in shown.into_iter().zip(read) {
        occurrences[i].log_excerpt = Some(text);
    }
    occurrences
}

fn commit_at(timeline: &Timeline, tree_key: &str, branch: &str, pos: usize) -> CommitRef {
    timeline
        .of(tree_key, branch)
        .get(pos)
        .cloned()
        .unwrap_or_default()
}

/// What `build` needs besides the chain: the analysis' shared tables.
pub struct Tables<'a> {
    pub candidates: &'a [Candidate],
    pub series: &'a [Series],
    pub facts: &'a [SeriesFacts],
    pub intermittent: &'a [Option<Intermittent>],
    pub timeline: &'a Timeline,
    pub index: &'a scope::SeriesIndex<'a>,
    pub flakes: &'a FleetFlakes<'a>,
    pub health: &'a Health,
    pub store: &'a Store,
    pub report_date: Option<NaiveDate>,
}

pub fn build(chain: &[Group], t: &Tables) -> Regression {
    let Tables {
        candidates,
        series,
        facts,
        intermittent,
        timeline,
        index,
        flakes,
        health,
        store,
        report_date,
    } = *t;
    let first = &chain[0];
    let current = chain.last().unwrap();
    let (tree_key, branch) = (&current.tree_key, &current.branch);
    let s0 = &series[candidates[current.members[0]].series];

    let mut tests = BTreeSet::new();
    let mut signatures: BTreeMap<String, usize> = BTreeMap::new();
    let mut failing_tests = Vec::new();
    let mut kcidb_runs: Vec<String> = Vec::new();
    // Each occurrence with the run whose excerpt it would show, read once chosen (below).
    let mut occurrences: Vec<(Occurrence, &Run)> = Vec::new();
    let mut first_seen: Option<NaiveDate> = None;
    let mut last_seen: Option<NaiveDate> = None;
    let mut explained_misses = 0;
    // Failing runs as evidence: (time, series, whether its stretch gave a crash signature).
    let mut evidence_runs: Vec<EvidenceRun> = Vec::new();
    for (episode, g) in chain.iter().enumerate() {
        for &m in &g.members {
            let c = &candidates[m];
            let s = &series[c.series];
            let st = &facts[c.series].stretches[c.stretch];
            tests.insert(c.test.clone());
            if let Some(sig) = &c.signature {
                *signatures.entry(sig.clone()).or_default() += 1;
            }
            let fails = s.runs[st.first_fail..=st.last_fail]
                .iter()
                .filter(|r| r.status == Status::Fail);
            for r in fails {
                evidence_runs.push(EvidenceRun {
                    time: r.time,
                    series: c.series,
                    signature: c.signature.is_some(),
                    // A series with little history cannot vouch for its first failure.
                    young: st.prev_pass.map_or(0, |p| p + 1) < MIN_HISTORY,
                    start: s.runs[st.first_fail].pos,
                    episode,
                });
                let row = &store.tests[r.row as usize];
                failing_tests.push(row.id);
                // Its KCIDB id as submitted, when it came from KCIDB (kept at ingest).
                let kcidb_id = store.detail(row).and_then(|d| d.kcidb_id.as_deref());
                kcidb_runs.extend(kcidb_id.map(str::to_string));
                if is_boot(&s.key.test) {
                    explained_misses += health.misses_in_job(r);
                }
                if let Some(d) = r.day() {
                    first_seen = Some(first_seen.map_or(d, |f| f.min(d)));
                    last_seen = Some(last_seen.map_or(d, |l| l.max(d)));
                }
            }
            let ff = &s.runs[st.first_fail];
            let excerpt_run = s.runs[st.first_fail..=st.last_fail]
                .iter()
                .find(|r| r.status == Status::Fail && has_excerpt(store, r))
                .unwrap_or(ff);
            let log_url = run_log_url(store, excerpt_run);
            let commit_of =
                |pos: usize| commit_at(timeline, &s.key.tree_key, &s.key.branch, pos).commit;
            let o = Occurrence {
                test: s.key.test.to_string(),
                platform: s.key.platform.to_string(),
                arch: s.key.arch.to_string(),
                config: s.key.config.to_string(),
                compiler: s.key.compiler.to_string(),
                lab: s.lab.as_deref().map(String::from),
                origin: s.origin.as_deref().map(String::from),
                last_pass_commit: st.prev_pass.and_then(|p| commit_of(s.runs[p].pos as usize)),
                first_fail_commit: commit_of(ff.pos as usize),
                latest_status: s.runs.last().map(|r| r.status).unwrap_or(Status::Fail),
                flaky_score: facts[c.series].stats.flaky_score,
                intermittent: intermittent[c.series].is_some(),
                change: c.change.explain(st.len),
                signature: c.signature.clone(),
                log_url: log_url.map(Cow::into_owned),
                log_excerpt: None,
                recent: s.runs[s.runs.len().saturating_sub(RECENT_RUNS)..]
                    .iter()
                    .map(|r| {
                        let c = commit_at(timeline, &s.key.tree_key, &s.key.branch, r.pos as usize);
                        RecentRun {
                            status: r.status,
                            commit: c.commit,
                            describe: c.describe,
                            day: r.day().map(|d| d.to_string()),
                            log_url: run_log_url(store, r).map(Cow::into_owned),
                        }
                    })
                    .collect(),
            };
            occurrences.push((o, excerpt_run));
        }
    }
    occurrences.sort_by(|(a, _), (b, _)| {
        (&a.test, &a.platform, &a.arch, &a.config, &a.compiler).cmp(&(
            &b.test,
            &b.platform,
            &b.arch,
            &b.config,
            &b.compiler,
        ))
    });
    let occurrences = read_shown_excerpts(occurrences, store);
    failing_tests.sort_unstable();
    failing_tests.dedup();
    kcidb_runs.sort_unstable();
    kcidb_runs.dedup();
    // The most common signature names the bug.
    let signature = signatures
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(s, _)| s.clone());
    let tests: Vec<String> = tests.into_iter().collect();

    let fixed = group_fixed(current, candidates, facts);
    let noisy = noisy_elsewhere(chain, candidates, series, facts, flakes);
    let bar = match &noisy {
        Some(n) => Bar::Noisy(n),
        None if fates_disagree(current, candidates, series, facts) => Bar::Disagree,
        None => Bar::Usual,
    };
    let key_of = |i: usize| -> (&str, &str) { (&series[i].key.platform, &series[i].key.test) };
    // Reopened only when an earlier episode was a regression by itself: a streak that was never
    // confirmed and passed again was noise, not a first episode of this bug.
    let earlier: Vec<EvidenceRun> = evidence_runs
        .iter()
        .filter(|r| r.episode + 1 < chain.len())
        .copied()
        .collect();
    let reopened = !earlier.is_empty() && confirmation(earlier, bar, &key_of).is_some();
    let confirmed = confirmation(evidence_runs, bar, &key_of);
    let status = if confirmed.is_none() {
        RegressionStatus::Unconfirmed
    } else if fixed {
        RegressionStatus::Fixed
    } else if reopened {
        RegressionStatus::Reopened
    } else if confirmed
        .as_ref()
        .is_some_and(|c| c.day.is_some() && c.day == report_date)
    {
        RegressionStatus::New
    } else {
        RegressionStatus::Ongoing
    };
    let fixed_in = fixed.then(|| {
        let lf = group_last_fail(current, candidates, series, facts);
        let fp = current
            .members
            .iter()
            .filter_map(|&m| {
                let c = &candidates[m];
                let st = &facts[c.series].stretches[c.stretch];
                st.next_pass.map(|p| series[c.series].runs[p].pos as usize)
            })
            .filter(|&p| p > lf)
            .min()
            .unwrap_or(lf + 1);
        FixWindow {
            last_fail: commit_at(timeline, tree_key, branch, lf),
            first_pass: commit_at(timeline, tree_key, branch, fp),
        }
    });
    let first_fail = commit_at(timeline, tree_key, branch, current.window.1);
    let last_pass = commit_at(timeline, tree_key, branch, current.window.0);
    // Identity: branch, the commit the bug first failed on, and what it is (signature, else
    // its first test). Taken from the chain's first group so a reopen keeps the id.
    let first_ff = commit_at(timeline, &first.tree_key, &first.branch, first.window.1);
    let first_key = first
        .signatures
        .iter()
        .next()
        .or(first.tests.iter().next())
        .cloned()
        .unwrap_or_default();
    let id = stable_id(&[
        tree_key,
        branch,
        first_ff
            .commit
            .as_deref()
            .or(first_ff.describe.as_deref())
            .unwrap_or(""),
        &first_key,
    ]);
    let scope = scope::scope(current, candidates, series, facts, index);
    let families: BTreeSet<&String> = chain.iter().flat_map(|g| &g.families).collect();
    let title = match (&signature, tests.as_slice(), families.len()) {
        (Some(sig), _, _) => sig.clone(),
        (None, [one], _) => format!("{one} fails"),
        (None, many, 1) if families.first().is_some_and(|f| *f == "boot") => {
            format!("boot fails under {} job names", many.len())
        }
        (None, many, 1) => format!("{} fails ({} tests)", families.first().unwrap(), many.len()),
        (None, many, _) => format!("{} and {} more fail", many[0], many.len() - 1),
    };
    let mut evidence: Vec<String> = chain.iter().flat_map(grouping_evidence).collect();
    if let Some(n) = &noisy {
        evidence.push(format!(
            "held to more evidence before it is published: {}; so only a streak of more \
             failures in a row than that (at least {}), {} boards failing from the same commit \
             (or three of its tests on one board), or a crash signature confirms it",
            n.explain(),
            n.streak_needed(),
            noisy_failures(n, 2)
        ));
    }
    Regression {
        url: format!("r/{id}/"),
        id,
        status,
        title,
        tree: s0.tree_name.as_deref().map(String::from),
        branch: Some(branch.clone()).filter(|b| !b.is_empty()),
        repository_url: s0.repository_url.as_deref().map(String::from),
        first_seen,
        last_seen,
        last_pass,
        first_fail,
        tests,
        occurrences,
        signature,
        scope,
        fixed_in,
        explained_misses,
        known_issue: None,
        annotations: None,
        kcidb_issues: Vec::new(),
        confirmed,
        evidence,
        failing_tests,
        kcidb_runs,
        tree_key: tree_key.clone(),
    }
}

/// Runs a series needs before a failure, for that failure to count as another environment's
/// confirmation: on a site's first nights every series is young, and a flake failing on two
/// young boards at once looks like news; a second failing run still confirms.
pub const MIN_HISTORY: usize = 2;

/// A failing run as evidence for confirming a regression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct EvidenceRun {
    time: i64,
    series: usize,
    /// Its stretch gave a crash signature.
    signature: bool,
    /// Its series had fewer than [`MIN_HISTORY`] runs before the stretch.
    young: bool,
    /// The timeline position its stretch started failing at.
    start: u32,
    /// The chain's group (episode) it belongs to.
    episode: usize,
}

/// Whether the boards of a group disagree: one passed at a commit that another failed at
/// (it recovered while the other still failed, or it only started failing later). A kernel
/// bug fails every board it hits from the same commit until it is fixed; failures that come
/// and go per board are what an intermittent test looks like, so such boards cannot vouch
/// for each other by failing at different commits.
fn fates_disagree(
    g: &super::group::Group,
    candidates: &[Candidate],
    series: &[Series],
    facts: &[SeriesFacts],
) -> bool {
    // Per position where a member passed: the first board that passed there, and whether a
    // second board did (then some board other than any given one passed there). Positions,
    // not pairs of members: a regression can span thousands of environments.
    let mut passed: BTreeMap<u32, (&str, bool)> = BTreeMap::new();
    let mut spans: Vec<(&str, u32, u32)> = Vec::with_capacity(g.members.len());
    for &m in &g.members {
        let c = &candidates[m];
        let s = &series[c.series];
        let st = &facts[c.series].stretches[c.stretch];
        let board: &str = &s.key.platform;
        spans.push((board, s.runs[st.first_fail].pos, s.runs[st.last_fail].pos));
        for r in s.runs.iter().filter(|r| r.status == Status::Pass) {
            let e = passed.entry(r.pos).or_insert((board, false));
            e.1 |= e.0 != board;
        }
    }
    spans.iter().any(|&(board, first, last)| {
        passed
            .range(first..=last)
            .any(|(_, &(b, more))| more || b != board)
    })
}

/// The fleet's recent flakes of the regression's tests, its own series' earlier ones
/// included, but not the chain's own stretches: from
/// [`fleet_flakes::LOOKBACK_DAYS`](super::fleet_flakes::LOOKBACK_DAYS) before the current
/// group's first failure to its last.
fn noisy_elsewhere(
    chain: &[super::group::Group],
    candidates: &[Candidate],
    series: &[Series],
    facts: &[SeriesFacts],
    flakes: &FleetFlakes,
) -> Option<NoisyTest> {
    let mut own: BTreeSet<(usize, i64)> = BTreeSet::new();
    let mut tests: BTreeSet<&str> = BTreeSet::new();
    let (mut from, mut to) = (i64::MAX, i64::MIN);
    for (k, g) in chain.iter().enumerate() {
        for &m in &g.members {
            let c = &candidates[m];
            let s = &series[c.series];
            let st = &facts[c.series].stretches[c.stretch];
            own.insert((c.series, s.runs[st.first_fail].time));
            tests.insert(&s.key.test);
            if k + 1 < chain.len() {
                continue;
            }
            for r in &s.runs[st.first_fail..=st.last_fail] {
                if r.status == Status::Fail && r.time != crate::store::NO_TIME {
                    from = from.min(r.time);
                    to = to.max(r.time);
                }
            }
        }
    }
    (from <= to)
        .then(|| flakes.around(tests, &own, from, to))
        .flatten()
}

/// Failures, as (board, test) pairs on `boards` boards, that confirm a test noisy elsewhere
/// by failing from one commit: two when it flaked on one board, three when it comes and goes
/// on several (two of those starting together is a coincidence that happens), and three on
/// one board (separate jobs, each its own boot: one bad session fails one of them).
fn noisy_failures(n: &NoisyTest, boards: usize) -> usize {
    if n.boards.len() > 1 || boards < 2 {
        3
    } else {
        2
    }
}

/// How much evidence a group needs before it is published.
#[derive(Debug, Clone, Copy)]
enum Bar<'n> {
    /// A second failing run, or a second environment with some history.
    Usual,
    /// Its boards disagree ([`fates_disagree`]): a third failing run, or a second
    /// environment failing from the same commit.
    Disagree,
    /// Its test came and went elsewhere lately ([`noisy_elsewhere`]): a streak longer than
    /// those flakes ([`NoisyTest::streak_needed`]), or [`noisy_failures`] failures from the same commit.
    Noisy(&'n NoisyTest),
}

/// What confirms a regression: a crash signature, a second failing run of one environment, or
/// a failing run of a second environment with some history, and the day the evidence was
/// first complete (runs in time order). `None`: nothing yet beyond one failing run. A higher
/// [`Bar`] asks more (boards that disagree, a test noisy elsewhere). `key_of` names a
/// series' board and test.
fn confirmation<'b>(
    mut runs: Vec<EvidenceRun>,
    bar: Bar,
    key_of: &dyn Fn(usize) -> (&'b str, &'b str),
) -> Option<Confirmation> {
    runs.sort_unstable();
    let day = |t: i64| chrono::DateTime::from_timestamp_micros(t).map(|t| t.date_naive());
    // What the runs before this one showed, kept as they go (a regression on thousands of
    // environments has thousands of runs: no pass over the earlier ones per run).
    let mut per_series: rustc_hash::FxHashMap<usize, usize> = Default::default();
    let mut any_seasoned = false;
    // Per start position, what the runs with some history that started there cover.
    #[derive(Default)]
    struct Started<'b> {
        pairs: BTreeSet<(&'b str, &'b str)>,
        boards: BTreeSet<&'b str>,
        tests: BTreeSet<&'b str>,
        series: BTreeSet<usize>,
    }
    let mut started: BTreeMap<u32, Started<'b>> = BTreeMap::new();
    for r in &runs {
        let own_runs = 1 + per_series.get(&r.series).copied().unwrap_or(0);
        let at_start = started.get(&r.start);
        // Boards and (board, test) pairs whose stretch, like this one's, started at its
        // commit (with some history): the same test on one board's several builds is one
        // failure, several tests on it (boots under several job names) are several.
        let same_start = || {
            let (board, test) = key_of(r.series);
            let count = |has: &dyn Fn(&Started) -> (usize, bool)| {
                let (n, there) = at_start.map_or((0, false), has);
                n + usize::from(!there)
            };
            (
                count(&|s| (s.pairs.len(), s.pairs.contains(&(board, test)))),
                count(&|s| (s.boards.len(), s.boards.contains(board))),
                count(&|s| (s.tests.len(), s.tests.contains(test))),
            )
        };
        let other_series_same_start =
            at_start.is_some_and(|s| s.series.iter().any(|&other| other != r.series));
        let by = if r.signature {
            Some("a crash signature".to_string())
        } else {
            match bar {
                Bar::Noisy(n) => {
                    if own_runs >= n.streak_needed() {
                        Some(format!(
                            "{own_runs} failing runs in a row, more than its flakes elsewhere"
                        ))
                    } else if let (pairs, boards, tests) = same_start()
                        && !r.young
                        && pairs >= noisy_failures(n, boards)
                    {
                        Some(match tests {
                            1 => format!(
                                "{boards} boards failing from the same commit, though it flakes \
                                 elsewhere"
                            ),
                            _ => format!(
                                "{tests} tests on {boards} board{} failing from the same \
                                 commit, though it flakes elsewhere",
                                if boards == 1 { "" } else { "s" }
                            ),
                        })
                    } else {
                        None
                    }
                }
                Bar::Disagree => {
                    if own_runs >= 3 {
                        Some("a third failing run (its boards disagree)".into())
                    } else if !r.young && other_series_same_start {
                        Some("a second environment failing from the same commit".into())
                    } else {
                        None
                    }
                }
                Bar::Usual => {
                    // A series with little history needs a third run to vouch for itself.
                    if own_runs >= 2 + usize::from(r.young) {
                        Some("a second failing run".into())
                    } else if !r.young && any_seasoned {
                        Some("a second environment".into())
                    } else {
                        None
                    }
                }
            }
        };
        if let Some(by) = by {
            return Some(Confirmation {
                day: day(r.time),
                by,
            });
        }
        *per_series.entry(r.series).or_default() += 1;
        if !r.young {
            any_seasoned = true;
            let (board, test) = key_of(r.series);
            let e = started.entry(r.start).or_default();
            e.pairs.insert((board, test));
            e.boards.insert(board);
            e.tests.insert(test);
            e.series.insert(r.series);
        }
    }
    None
}

/// Why a group's tests are one regression, one sentence per rule that joined them.
fn grouping_evidence(g: &Group) -> Vec<String> {
    use super::group::Joined;
    let boards: Vec<&str> = g.boards.iter().map(String::as_str).collect();
    g.joined
        .iter()
        .map(|j| match j {
            Joined::Signature(sig) => {
                format!("its tests crash with the same signature ({sig}): one bug")
            }
            Joined::Family(f) if f == "boot" => format!(
                "the boots of several jobs started failing in the same window on the same \
                 boards ({}): one kernel failing to boot",
                boards.join(", ")
            ),
            Joined::Family(f) => format!(
                "tests of one family ({f}) started failing in the same window on the same \
                 boards ({}): one regression",
                boards.join(", ")
            ),
            Joined::StillFailing(t) => format!(
                "{t} is still failing; on some boards it began a little earlier (a flaky streak \
                 that ran into the change): one ongoing failure"
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(day: i64, series: usize, start: u32) -> EvidenceRun {
        EvidenceRun {
            time: day * 86_400_000_000,
            series,
            signature: false,
            young: false,
            start,
            episode: 0,
        }
    }

    /// Series 0-3: test x on boards a-d; 4 and 5: tests y and z on board a.
    fn board(i: usize) -> (&'static str, &'static str) {
        [
            ("a", "x"),
            ("b", "x"),
            ("c", "x"),
            ("d", "x"),
            ("a", "y"),
            ("a", "z"),
        ][i]
    }

    #[test]
    fn boards_that_disagree_need_a_third_run_or_the_same_start() {
        // Board 0 fails from position 3 on, board 1 from position 4: agreeing boards confirm
        // with the second environment, disagreeing ones do not.
        let runs = vec![run(3, 0, 3), run(4, 1, 4)];
        let agreeing = confirmation(runs.clone(), Bar::Usual, &board).unwrap();
        assert_eq!(agreeing.by, "a second environment");
        assert_eq!(confirmation(runs.clone(), Bar::Disagree, &board), None);
        // Board 0's second failing run is not enough either; its third is.
        let mut more = runs.clone();
        more.push(run(5, 0, 3));
        assert_eq!(confirmation(more.clone(), Bar::Disagree, &board), None);
        more.push(run(6, 0, 3));
        let c = confirmation(more, Bar::Disagree, &board).unwrap();
        assert_eq!(c.by, "a third failing run (its boards disagree)");
        assert_eq!(c.day, chrono::NaiveDate::from_ymd_opt(1970, 1, 7));
        // Two boards starting at the same commit still vouch for each other.
        let same = vec![run(3, 0, 3), run(3, 1, 3)];
        let c = confirmation(same, Bar::Disagree, &board).unwrap();
        assert_eq!(c.by, "a second environment failing from the same commit");
        // A crash signature confirms either way.
        let mut sig = run(3, 0, 3);
        sig.signature = true;
        assert_eq!(
            confirmation(vec![sig], Bar::Disagree, &board).unwrap().by,
            "a crash signature"
        );
    }

    #[test]
    fn a_test_noisy_elsewhere_needs_a_longer_streak_or_more_boards() {
        let noisy = |boards: &[&str], longest: usize| NoisyTest {
            boards: boards.iter().map(|b| b.to_string()).collect(),
            longest,
            flakes: boards.len(),
            fails: 20,
            repeats: 3,
            fleet_flakes: 0,
        };
        // What confirms `runs` under `bar`, if anything.
        let by =
            |runs: &[EvidenceRun], bar: Bar| confirmation(runs.to_vec(), bar, &board).map(|c| c.by);
        // It flaked once on board c, at most 3 in a row, rarely twice in a row (4 of 22 with
        // the pseudo-counts, 0.18^3 < 0.05/2): board a needs 4 in a row.
        let once = noisy(&["c"], 3);
        let streak: Vec<EvidenceRun> = (3..6).map(|d| run(d, 0, 3)).collect();
        assert_eq!(by(&streak, Bar::Usual).unwrap(), "a second failing run");
        assert_eq!(by(&streak, Bar::Noisy(&once)), None);
        let mut longer = streak;
        longer.push(run(6, 0, 3));
        let c = confirmation(longer, Bar::Noisy(&once), &board).unwrap();
        assert_eq!(
            c.by,
            "4 failing runs in a row, more than its flakes elsewhere"
        );
        assert_eq!(c.day, chrono::NaiveDate::from_ymd_opt(1970, 1, 7));
        // Many short flakes that never repeat still ask for three in a row.
        let rare = NoisyTest {
            fails: 100,
            repeats: 0,
            ..noisy(&["c"], 1)
        };
        assert_eq!(rare.streak_needed(), 3);
        // Two boards from one commit confirm when it flaked on one board, not on several.
        let two = vec![run(3, 0, 3), run(3, 1, 3)];
        assert!(by(&two, Bar::Noisy(&once)).is_some());
        let several = noisy(&["c", "d"], 2);
        assert_eq!(by(&two, Bar::Noisy(&several)), None);
        let mut three = two;
        three.push(run(3, 2, 3));
        assert_eq!(
            by(&three, Bar::Noisy(&several)).as_deref(),
            Some("3 boards failing from the same commit, though it flakes elsewhere")
        );
        // Two tests (boots under two job names) on one board are not enough, three are; so
        // are two on one board and one on another.
        let mut one_board = vec![run(3, 0, 3), run(3, 4, 3)];
        assert_eq!(by(&one_board, Bar::Noisy(&once)), None);
        one_board.push(run(3, 5, 3));
        assert_eq!(
            by(&one_board, Bar::Noisy(&once)).as_deref(),
            Some("3 tests on 1 board failing from the same commit, though it flakes elsewhere")
        );
        let two_boards = vec![run(3, 0, 3), run(3, 4, 3), run(3, 1, 3)];
        assert_eq!(
            by(&two_boards, Bar::Noisy(&several)).as_deref(),
            Some("2 tests on 2 boards failing from the same commit, though it flakes elsewhere")
        );
    }
}
