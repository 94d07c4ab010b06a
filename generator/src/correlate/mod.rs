//! From series to kernel regressions.
//!
//! 1. [`stretch`]: each series' failure stretches, and which are a change of failure rate
//!    rather than the series' usual noise.
//! 2. [`health`]: flaky tests, suspect boards and labs, always-failing tests.
//! 3. [`group`]: test regressions on one branch with overlapping windows and the same test or
//!    crash signature become one kernel regression.
//! 4. Here: drop what the board explains, merge a regression that fails again after its fix
//!    (reopened), and derive status, scope and the fix window.

pub mod group;
pub mod health;
pub mod scope;
pub mod stretch;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::model::Status;
use crate::series::{CommitRef, Run, Series, Timeline, has_excerpt, run_excerpt, run_log_url};
use crate::store::Store;
use group::{Candidate, Group};
use health::{Health, SeriesFacts};

/// Where a regression stands on the report date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RegressionStatus {
    /// First seen on the report date.
    New,
    /// Seen before the report date and not fixed.
    Ongoing,
    /// Passes again in every affected environment.
    Fixed,
    /// Was fixed, fails again.
    Reopened,
}

impl RegressionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RegressionStatus::New => "new",
            RegressionStatus::Ongoing => "ongoing",
            RegressionStatus::Fixed => "fixed",
            RegressionStatus::Reopened => "reopened",
        }
    }
}

/// One environment a regression shows up in (one series).
#[derive(Debug, Clone, Serialize)]
pub struct Occurrence {
    pub test: String,
    pub platform: String,
    pub arch: String,
    pub config: String,
    pub compiler: String,
    pub lab: Option<String>,
    /// The CI system that ran it (KCIDB origin of the checkout), when known.
    pub origin: Option<String>,
    pub last_pass_commit: Option<String>,
    pub first_fail_commit: Option<String>,
    /// Status of the series' newest run.
    pub latest_status: Status,
    /// Flip-rate lower bound of the series (0 = steady; see README).
    pub flaky_score: f64,
    /// Crash title found in this environment's failing logs.
    pub signature: Option<String>,
    /// Log of the first failing run.
    #[serde(skip)]
    pub log_url: Option<String>,
    #[serde(skip)]
    pub log_excerpt: Option<String>,
    /// The series' most recent runs, oldest first (for history strips).
    #[serde(skip)]
    pub recent: Vec<RecentRun>,
}

/// One run of a history strip: its status and which run it is.
#[derive(Debug, Clone)]
pub struct RecentRun {
    pub status: Status,
    /// The tested commit: its hash and `git describe` name, when known.
    pub commit: Option<String>,
    pub describe: Option<String>,
    /// The day it counts for (`YYYY-MM-DD`).
    pub day: Option<String>,
    /// Its log (FAIL and ERROR runs keep one).
    pub log_url: Option<String>,
}

/// A KCIDB issue attached (through incidents) to a regression's failing tests.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct KcidbIssueRef {
    pub id: String,
    pub version: Option<i64>,
    pub origin: Option<String>,
    pub comment: Option<String>,
    pub report_url: Option<String>,
    pub report_subject: Option<String>,
    pub culprit: Option<crate::model::Culprit>,
    pub categories: Vec<String>,
    /// Failing runs of this regression the issue was seen in.
    pub incidents: usize,
}

/// Where the fix came in: last failing commit .. first passing commit.
#[derive(Debug, Clone, Serialize)]
pub struct FixWindow {
    pub last_fail: CommitRef,
    pub first_pass: CommitRef,
}

/// Which environments a regression hits.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Scope {
    /// `all` (every board that ran it), `board`, `arch`, `config`, `compiler`, or `partial`.
    pub kind: &'static str,
    /// The one board/arch/config/compiler, for those kinds.
    pub value: Option<String>,
}

/// A kernel regression: the unit the site lists and the permalink names.
#[derive(Debug, Clone, Serialize)]
pub struct Regression {
    pub id: String,
    /// Relative permalink, `r/<id>/`.
    pub url: String,
    pub status: RegressionStatus,
    pub title: String,
    pub tree: Option<String>,
    pub branch: Option<String>,
    pub repository_url: Option<String>,
    pub first_seen: Option<NaiveDate>,
    pub last_seen: Option<NaiveDate>,
    pub last_pass: CommitRef,
    pub first_fail: CommitRef,
    pub tests: Vec<String>,
    pub occurrences: Vec<Occurrence>,
    pub signature: Option<String>,
    pub scope: Scope,
    pub fixed_in: Option<FixWindow>,
    /// Tests that did not run (MISS) because this regression's boot failure stopped them:
    /// one problem, not hundreds.
    pub explained_misses: usize,
    /// The first known-issue rule its failures match (from `content/known-issues.toml`).
    pub known_issue: Option<crate::content::KnownIssueRef>,
    /// What maintainers wrote about it (`content/regressions/<id>.md`).
    pub annotations: Option<crate::content::Annotation>,
    /// KCIDB issues whose incidents name its failing tests.
    pub kcidb_issues: Vec<KcidbIssueRef>,
    /// Id hashes of the failing runs (to attach KCIDB incidents).
    #[serde(skip)]
    pub failing_tests: Vec<u64>,
    /// Identity used to recognise it on later nights (see `ledger`).
    #[serde(skip)]
    pub tree_key: String,
}

impl Regression {
    /// Number of distinct boards it was seen on.
    pub fn board_count(&self) -> usize {
        self.occurrences
            .iter()
            .map(|o| o.platform.as_str())
            .collect::<BTreeSet<_>>()
            .len()
    }
}

/// The permalink id: 16 hex digits (64 bits) of a hash of what never changes for this
/// regression; collisions are negligible at millions, and it is URL-safe whatever the data.
pub fn stable_id(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(b"regtrack-regression-v1");
    for p in parts {
        h.update([0u8]);
        h.update(p.as_bytes());
    }
    h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What correlation produced.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub regressions: Vec<Regression>,
    pub health: Health,
}

/// How many recent runs an occurrence keeps for its history strip.
pub const RECENT_RUNS: usize = 14;

/// Correlates every series into regressions and health findings.
pub fn analyse(
    series: &[Series],
    timeline: &Timeline,
    store: &Store,
    report_date: Option<NaiveDate>,
) -> Analysis {
    let mut tm = crate::timings::Timer::start();
    let facts = health::facts(series);
    tm.mark("series facts");
    let health = health::analyse(series, &facts);
    tm.mark("health checks");
    let candidates = candidates(series, &facts, &health, store);
    tm.mark("candidates and signatures");
    let groups = group::group(&candidates);
    let kept: Vec<Group> = groups
        .into_iter()
        .filter(|g| corroborated(g, &candidates, series, &facts, &health))
        .collect();
    let chains = reopen_chains(kept, &candidates, series, &facts);
    tm.mark("group candidates");
    let index = scope::SeriesIndex::new(series);
    tm.mark("index series for scopes");
    let tables = Tables {
        candidates: &candidates,
        series,
        facts: &facts,
        timeline,
        index: &index,
        health: &health,
        store,
        report_date,
    };
    // A regression seen on thousands of boards takes a while to describe: one per core.
    let mut regressions: Vec<Regression> = {
        use rayon::prelude::*;
        chains.par_iter().map(|c| build(c, &tables)).collect()
    };
    regressions
        .sort_by(|a, b| (b.first_seen, &a.title, &a.id).cmp(&(a.first_seen, &b.title, &b.id)));
    tm.mark("describe regressions");
    Analysis {
        regressions,
        health,
    }
}

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

/// Every stretch that is a change (not noise, with a pass before it), as a test regression.
fn candidates(
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
                let rest = f.stats.verdicts - st.len;
                let other_noise = f.noise_fails_besides(ti, noise_fails);
                if !stretch::is_change(st.len, other_noise, rest, test_noise) {
                    return None;
                }
                let signature = s.runs[st.first_fail..=st.last_fail]
                    .iter()
                    .filter(|r| r.status == Status::Fail)
                    .filter_map(|r| run_excerpt(store, r))
                    .find_map(|e| crate::signature::extract(&e))
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
                })
            })
        })
        .collect()
}

/// A group is a kernel regression unless the board explains it: it needs a member that is on
/// a healthy board and is not a one-off (a single failed run that recovered, or a single job
/// that failed many unrelated tests), or members on two or more boards.
fn corroborated(
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

/// Whether every member stretch of a group recovered.
fn group_fixed(g: &Group, candidates: &[Candidate], facts: &[SeriesFacts]) -> bool {
    g.members.iter().all(|&m| {
        let c = &candidates[m];
        facts[c.series].stretches[c.stretch].next_pass.is_some()
    })
}

/// Latest failing position of a group.
fn group_last_fail(
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
fn reopen_chains(
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

fn commit_at(timeline: &Timeline, tree_key: &str, branch: &str, pos: usize) -> CommitRef {
    timeline
        .of(tree_key, branch)
        .get(pos)
        .cloned()
        .unwrap_or_default()
}

/// What `build` needs besides the chain: the analysis' shared tables.
struct Tables<'a> {
    candidates: &'a [Candidate],
    series: &'a [Series],
    facts: &'a [SeriesFacts],
    timeline: &'a Timeline,
    index: &'a scope::SeriesIndex<'a>,
    health: &'a Health,
    store: &'a Store,
    report_date: Option<NaiveDate>,
}

fn build(chain: &[Group], t: &Tables) -> Regression {
    let Tables {
        candidates,
        series,
        facts,
        timeline,
        index,
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
    // Each occurrence with the run whose excerpt it would show, read once chosen (below).
    let mut occurrences: Vec<(Occurrence, &Run)> = Vec::new();
    let mut first_seen: Option<NaiveDate> = None;
    let mut last_seen: Option<NaiveDate> = None;
    let mut explained_misses = 0;
    for g in chain {
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
                failing_tests.push(store.tests[r.row as usize].id);
                if health::is_boot(&s.key.test) {
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
    // The most common signature names the bug.
    let signature = signatures
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(s, _)| s.clone());
    let tests: Vec<String> = tests.into_iter().collect();

    let fixed = group_fixed(current, candidates, facts);
    let status = if fixed {
        RegressionStatus::Fixed
    } else if chain.len() > 1 {
        RegressionStatus::Reopened
    } else if first_seen.is_some() && first_seen == report_date {
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
    let title = match (&signature, tests.as_slice()) {
        (Some(sig), _) => sig.clone(),
        (None, [one]) => format!("{one} fails"),
        (None, many) => format!("{} and {} more fail", many[0], many.len() - 1),
    };
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
        failing_tests,
        tree_key: tree_key.clone(),
    }
}
