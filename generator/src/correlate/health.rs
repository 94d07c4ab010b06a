//! Test and hardware health: flaky tests, suspect boards, lab outages, always-failing tests.
//!
//! These are what must *not* become kernel regressions, listed with their evidence so a
//! maintainer can see why something was kept off the front page.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::stretch::{SeriesStats, Stretch, is_flaky};
use crate::model::Status;
use crate::series::{Run, Series};

/// A failure stretch this short that recovered is sporadic.
pub const SPORADIC_MAX_LEN: usize = 2;
/// A board with sporadic failures in this many tests nobody else sees fail is suspect.
pub const SUSPECT_BOARD_TESTS: usize = 3;
/// A job (one kernel booted on one board) failing at least this many tests, and at least half
/// of what it ran, failed "many unrelated tests at once".
pub const MASS_FAILURE_TESTS: usize = 5;
/// A lab-day with at least this many ERROR/MISS runs, and at least half its runs, is an outage.
pub const OUTAGE_MIN_RUNS: usize = 10;
const MICROS_PER_DAY: i64 = 86_400_000_000;

/// Per-series facts the health checks and the grouping share.
pub struct SeriesFacts {
    pub stretches: Vec<Stretch>,
    /// Per stretch: it started on a commit where at least half of the environments running
    /// the test (two or more) started failing too. That is a change in the code, not noise,
    /// and never counts towards a noise rate.
    pub synced: Vec<bool>,
    pub stats: SeriesStats,
    pub flaky: bool,
}

impl SeriesFacts {
    /// Failures that are noise (not synchronised across boards), over all stretches.
    pub fn noise_fails(&self) -> usize {
        self.stretches
            .iter()
            .zip(&self.synced)
            .filter(|(_, synced)| !**synced)
            .map(|(st, _)| st.len)
            .sum()
    }

    /// Failures outside stretch `i` that are noise, given [`Self::noise_fails`] (computed
    /// once per series: a flaky series has hundreds of stretches).
    pub fn noise_fails_besides(&self, i: usize, noise_fails: usize) -> usize {
        let own = if self.synced[i] {
            0
        } else {
            self.stretches[i].len
        };
        noise_fails - own
    }

    /// Stretches that are sporadic failures (short, recovered) and not synchronised.
    pub fn sporadic(&self) -> impl Iterator<Item = &Stretch> {
        self.stretches
            .iter()
            .zip(&self.synced)
            .filter(|(st, synced)| is_sporadic(st) && !**synced)
            .map(|(st, _)| st)
    }
}

/// A test that fails at a steady rate somewhere.
#[derive(Debug, Clone, Serialize)]
pub struct FlakyTest {
    pub tree: Option<String>,
    pub branch: String,
    pub test: String,
    /// Boards where its series is flaky.
    pub platforms: Vec<String>,
    pub environments: usize,
    pub runs: usize,
    pub fails: usize,
    /// fails / runs over the flaky series.
    pub failure_rate: f64,
    /// Highest flip-rate lower bound among its series.
    pub flaky_score: f64,
    pub flips: usize,
    /// The known-issue rule it matches, if any.
    pub known_issue: Option<crate::content::KnownIssueRef>,
}

/// A board whose failures point at the hardware or the lab, not the kernel.
#[derive(Debug, Clone, Serialize)]
pub struct SuspectBoard {
    pub platform: String,
    pub labs: Vec<String>,
    /// Tests that failed sporadically on this board and on no other.
    pub sporadic_tests: Vec<String>,
    pub sporadic_failures: usize,
    /// Jobs on this board where many unrelated tests failed at once.
    pub mass_failure_jobs: usize,
    pub runs: usize,
}

/// A lab-day where most runs could not run or broke.
#[derive(Debug, Clone, Serialize)]
pub struct LabOutage {
    pub lab: String,
    pub day: NaiveDate,
    pub runs: usize,
    pub errors: usize,
    pub misses: usize,
    pub platforms: Vec<String>,
}

/// A test that has failed on every run since the history window began.
#[derive(Debug, Clone, Serialize)]
pub struct AlwaysFailing {
    pub tree: Option<String>,
    pub branch: String,
    pub test: String,
    pub platforms: Vec<String>,
    pub since: Option<NaiveDate>,
    pub runs: usize,
    /// The known-issue rule it matches, if any.
    pub known_issue: Option<crate::content::KnownIssueRef>,
}

/// Everything health analysis found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Health {
    pub flaky_tests: Vec<FlakyTest>,
    pub suspect_boards: Vec<SuspectBoard>,
    pub lab_outages: Vec<LabOutage>,
    pub always_failing: Vec<AlwaysFailing>,
    /// Per job (see `Run::job`): it failed many tests at once.
    #[serde(skip)]
    pub mass_failure_jobs: Vec<bool>,
    /// Per job: its MISS runs (a failed boot explains them).
    #[serde(skip)]
    pub misses_per_job: Vec<u32>,
    /// Per (tree key, branch, test): the rate of its sporadic failures on healthy boards, when
    /// two or more boards show them (a flaky test); absent means 0.
    #[serde(skip)]
    pub test_noise: BTreeMap<(String, String, String), f64>,
}

impl Health {
    pub fn is_suspect(&self, platform: &str) -> bool {
        self.suspect_boards.iter().any(|b| b.platform == platform)
    }

    /// Whether the job a run belongs to failed many tests at once.
    pub fn in_mass_failure(&self, r: &Run) -> bool {
        r.job().is_some_and(|j| self.mass_failure_jobs[j])
    }

    /// The MISS runs of the job a run belongs to.
    pub fn misses_in_job(&self, r: &Run) -> usize {
        r.job().map_or(0, |j| self.misses_per_job[j] as usize)
    }

    /// [`Self::test_noise`] looked up by borrowed keys, for lookups per series.
    pub fn noise_index(&self) -> NoiseIndex<'_> {
        NoiseIndex(
            self.test_noise
                .iter()
                .map(|((t, b, n), &rate)| ((t.as_str(), b.as_str(), n.as_str()), rate))
                .collect(),
        )
    }
}

/// The sporadic failure rate of each noisy test, by (tree key, branch, test).
pub struct NoiseIndex<'h>(rustc_hash::FxHashMap<(&'h str, &'h str, &'h str), f64>);

impl NoiseIndex<'_> {
    /// The sporadic failure rate of a series' test on its branch (see `Health::test_noise`).
    pub fn of(&self, s: &Series) -> f64 {
        let key = (&*s.key.tree_key, &*s.key.branch, &*s.key.test);
        self.0.get(&key).copied().unwrap_or(0.0)
    }
}

/// Runs every health check.
pub fn analyse(series: &[Series], facts: &[SeriesFacts]) -> Health {
    let jobs = job_tallies(series);
    let mass_failure_jobs: Vec<bool> = jobs
        .iter()
        .map(|j| {
            let failed = j.failed as usize;
            failed >= MASS_FAILURE_TESTS && failed * 2 >= j.verdicts as usize
        })
        .collect();
    // Boards, then test noise, then flaky tests depend on each other; the rest is
    // independent and runs beside them.
    let (boards, (lab_outages, always_failing)) = rayon::join(
        || {
            let suspect_boards = suspect_boards(series, facts, &jobs, &mass_failure_jobs);
            let suspects: BTreeSet<&str> =
                suspect_boards.iter().map(|b| b.platform.as_str()).collect();
            let test_noise = test_noise(series, facts, &suspects);
            let flaky_tests = flaky_tests(series, facts, &test_noise, &suspects);
            (suspect_boards, test_noise, flaky_tests)
        },
        || {
            rayon::join(
                || lab_outages(series, &jobs),
                || always_failing(series, facts),
            )
        },
    );
    let (suspect_boards, test_noise, flaky_tests) = boards;
    let misses_per_job = jobs.iter().map(|j| j.misses).collect();
    Health {
        flaky_tests,
        lab_outages,
        misses_per_job,
        always_failing,
        suspect_boards,
        mass_failure_jobs,
        test_noise,
    }
}

/// A recovered stretch this short is a sporadic failure.
fn is_sporadic(st: &Stretch) -> bool {
    st.prev_pass.is_some() && st.next_pass.is_some() && st.len <= SPORADIC_MAX_LEN
}

/// Sporadic failure rate per test, pooled over healthy boards, for tests that fail
/// sporadically on at least two boards (one board alone is that board's problem).
fn test_noise(
    series: &[Series],
    facts: &[SeriesFacts],
    suspects: &BTreeSet<&str>,
) -> BTreeMap<(String, String, String), f64> {
    #[derive(Default)]
    struct Pool<'a> {
        verdicts: usize,
        sporadic: usize,
        boards: BTreeSet<&'a str>,
    }
    let mut pools: rustc_hash::FxHashMap<(&str, &str, &str), Pool> = Default::default();
    for (s, f) in series.iter().zip(facts) {
        if suspects.contains(&*s.key.platform) {
            continue;
        }
        let p = pools
            .entry((&s.key.tree_key, &s.key.branch, &s.key.test))
            .or_default();
        p.verdicts += f.stats.verdicts;
        for st in f.sporadic() {
            p.sporadic += st.len;
            p.boards.insert(&s.key.platform);
        }
    }
    pools
        .into_iter()
        .filter(|(_, p)| p.boards.len() >= 2)
        .map(|((t, b, p_), p)| {
            (
                (t.to_string(), b.to_string(), p_.to_string()),
                p.sporadic as f64 / p.verdicts.max(1) as f64,
            )
        })
        .collect()
}

fn sorted<T: Ord>(set: BTreeSet<T>) -> Vec<T> {
    set.into_iter().collect()
}

/// Tests flaky in at least one series, or failing sporadically on several boards; the
/// figures cover their series that ever failed on healthy boards.
fn flaky_tests(
    series: &[Series],
    facts: &[SeriesFacts],
    noise: &BTreeMap<(String, String, String), f64>,
    suspects: &BTreeSet<&str>,
) -> Vec<FlakyTest> {
    let key_of = |s: &Series| {
        (
            s.key.tree_key.to_string(),
            s.key.branch.to_string(),
            s.key.test.to_string(),
        )
    };
    let flaky_keys: rustc_hash::FxHashSet<(&str, &str, &str)> = series
        .iter()
        .zip(facts)
        .filter(|(s, f)| f.flaky && !suspects.contains(&*s.key.platform))
        .map(|(s, _)| (&*s.key.tree_key, &*s.key.branch, &*s.key.test))
        .chain(
            noise
                .keys()
                .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())),
        )
        .collect();
    let mut by_test: BTreeMap<(String, String, String), FlakyTest> = BTreeMap::new();
    let mut platforms: BTreeMap<(String, String, String), BTreeSet<String>> = BTreeMap::new();
    let relevant = series.iter().zip(facts).filter(|(s, f)| {
        f.stats.fails > 0
            && !suspects.contains(&*s.key.platform)
            && flaky_keys.contains(&(&*s.key.tree_key, &*s.key.branch, &*s.key.test))
            && f.sporadic().next().is_some()
    });
    for (s, f) in relevant {
        let key = key_of(s);
        let e = by_test.entry(key.clone()).or_insert_with(|| FlakyTest {
            tree: s.tree_name.as_deref().map(String::from),
            branch: s.key.branch.to_string(),
            test: s.key.test.to_string(),
            platforms: Vec::new(),
            environments: 0,
            runs: 0,
            fails: 0,
            failure_rate: 0.0,
            flaky_score: 0.0,
            flips: 0,
            known_issue: None,
        });
        e.environments += 1;
        e.runs += f.stats.verdicts;
        e.fails += f.stats.fails;
        e.flips += f.stats.flips;
        e.flaky_score = e.flaky_score.max(f.stats.flaky_score);
        platforms
            .entry(key)
            .or_default()
            .insert(s.key.platform.to_string());
    }
    by_test
        .into_iter()
        .map(|(key, mut t)| {
            t.platforms = sorted(platforms.remove(&key).unwrap_or_default());
            t.failure_rate = t.fails as f64 / t.runs.max(1) as f64;
            t
        })
        .collect()
}

/// Tallies every series into a `T` on every core (one `T` per chunk of series, the chunks'
/// tallies merged after): the checks that look at every run of a month are the slow part of
/// the health checks.
fn tally<'s, T: Default + Send>(
    series: &'s [Series],
    add: impl Fn(&mut T, &'s Series) + Sync,
    merge: impl Fn(&mut T, T),
) -> T {
    use rayon::prelude::*;
    let chunk = series
        .len()
        .div_ceil(rayon::current_num_threads() * 4)
        .max(1);
    let parts: Vec<T> = series
        .par_chunks(chunk)
        .map(|c| {
            let mut t = T::default();
            for s in c {
                add(&mut t, s);
            }
            t
        })
        .collect();
    let mut all = T::default();
    for t in parts {
        merge(&mut all, t);
    }
    all
}

/// What the runs of one job (see `Run::job`) add up to.
#[derive(Clone, Copy, Default)]
struct JobTally {
    /// PASS and FAIL runs.
    verdicts: u32,
    /// Tests with a FAIL run.
    failed: u32,
    /// 1 + the series last counted in `failed` (a test run twice in a job fails it once).
    last_failed: u32,
    misses: u32,
    /// A series that ran in it, for its board.
    series: u32,
    /// Its boot failed: the MISSes that follow are the kernel's, not the lab's.
    boot_failed: bool,
}

/// Every job's tally, on every core: each core tallies its share of the series into a table
/// of every job (small: a job is a build on a board), and the tables are added up. (Each core
/// owning a range of jobs instead meant each read every run of the month.)
fn job_tallies(series: &[Series]) -> Vec<JobTally> {
    use rayon::prelude::*;
    let chunk = series.len().div_ceil(rayon::current_num_threads()).max(1);
    let parts: Vec<Vec<JobTally>> = series
        .par_chunks(chunk)
        .enumerate()
        .map(|(k, mine)| {
            let mut tallies: Vec<JobTally> = Vec::new();
            for (n, s) in mine.iter().enumerate() {
                let i = (k * chunk + n) as u32;
                let boot = is_boot(&s.key.test);
                for r in &s.runs {
                    let Some(j) = r.job() else {
                        continue;
                    };
                    if j >= tallies.len() {
                        tallies.resize(j + 1, JobTally::default());
                    }
                    let t = &mut tallies[j];
                    t.series = i;
                    match r.status {
                        Status::Pass => t.verdicts += 1,
                        Status::Fail => {
                            t.verdicts += 1;
                            if t.last_failed != i + 1 {
                                t.failed += 1;
                                t.last_failed = i + 1;
                            }
                            t.boot_failed |= boot;
                        }
                        Status::Miss => t.misses += 1,
                        _ => {}
                    }
                }
            }
            tallies
        })
        .collect();
    let jobs = parts.iter().map(Vec::len).max().unwrap_or(0);
    let mut all = vec![JobTally::default(); jobs];
    // A series is in one part only, so its failures are counted once; later parts hold
    // later series, so the largest index is the last series seen, as in one pass.
    for part in parts {
        for (a, b) in all.iter_mut().zip(part) {
            a.verdicts += b.verdicts;
            a.failed += b.failed;
            a.last_failed = a.last_failed.max(b.last_failed);
            a.misses += b.misses;
            a.series = a.series.max(b.series);
            a.boot_failed |= b.boot_failed;
        }
    }
    all
}

fn suspect_boards(
    series: &[Series],
    facts: &[SeriesFacts],
    jobs: &[JobTally],
    mass: &[bool],
) -> Vec<SuspectBoard> {
    // test -> boards with sporadic failures of it; board -> (tests, failures)
    let mut test_boards: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut board_sporadic: BTreeMap<&str, (BTreeSet<&str>, usize)> = BTreeMap::new();
    for (s, f) in series.iter().zip(facts) {
        {
            for st in f.sporadic() {
                test_boards
                    .entry(&s.key.test)
                    .or_default()
                    .insert(&s.key.platform);
                let e = board_sporadic.entry(&s.key.platform).or_default();
                e.0.insert(&s.key.test);
                e.1 += st.len;
            }
        }
    }
    let mut runs: BTreeMap<&str, (usize, BTreeSet<String>)> = BTreeMap::new();
    for s in series {
        let e = runs.entry(&s.key.platform).or_default();
        e.0 += s.runs.len();
        e.1.extend(s.lab.as_deref().map(String::from));
    }
    let mut mass_per_board: rustc_hash::FxHashMap<&str, usize> = Default::default();
    for (job, _) in jobs.iter().zip(mass).filter(|(_, mass)| **mass) {
        let platform = &*series[job.series as usize].key.platform;
        *mass_per_board.entry(platform).or_default() += 1;
    }
    let mut out = Vec::new();
    for (board, (tests, failures)) in board_sporadic {
        let unique: Vec<String> = tests
            .iter()
            .filter(|t| test_boards[**t].len() == 1)
            .map(|t| t.to_string())
            .collect();
        let mass_jobs = mass_per_board.get(board).copied().unwrap_or(0);
        if unique.len() >= SUSPECT_BOARD_TESTS || mass_jobs >= 2 {
            let (n, labs) = runs.remove(board).unwrap_or_default();
            out.push(SuspectBoard {
                platform: board.to_string(),
                labs: sorted(labs),
                sporadic_tests: unique,
                sporadic_failures: failures,
                mass_failure_jobs: mass_jobs,
                runs: n,
            });
        }
    }
    out
}

/// A test path that is the boot itself (`boot`, `boot.*`).
pub fn is_boot(path: &str) -> bool {
    path == "boot" || path.starts_with("boot.")
}

/// Lab-days where most runs were ERROR or MISS; MISSes after a failed boot are the kernel's.
fn lab_outages(series: &[Series], jobs: &[JobTally]) -> Vec<LabOutage> {
    #[derive(Default)]
    struct Day<'a> {
        runs: usize,
        errors: usize,
        misses: usize,
        platforms: BTreeSet<&'a str>,
    }
    // Days as whole UTC days since the epoch: a date per run is a visible cost at a month.
    type Days<'s> = rustc_hash::FxHashMap<(&'s str, i64), Day<'s>>;
    let days = tally(
        series,
        |days: &mut Days, s| {
            let lab = s.lab.as_deref().unwrap_or("unknown");
            for r in &s.runs {
                if r.time == crate::store::NO_TIME {
                    continue;
                }
                if r.status == Status::Miss && r.job().is_some_and(|j| jobs[j].boot_failed) {
                    continue;
                }
                let d = days
                    .entry((lab, r.time.div_euclid(MICROS_PER_DAY)))
                    .or_default();
                d.runs += 1;
                match r.status {
                    Status::Error => d.errors += 1,
                    Status::Miss => d.misses += 1,
                    _ => continue,
                }
                d.platforms.insert(&s.key.platform);
            }
        },
        |all: &mut Days, part| {
            for (k, d) in part {
                let e = all.entry(k).or_default();
                e.runs += d.runs;
                e.errors += d.errors;
                e.misses += d.misses;
                e.platforms.extend(d.platforms);
            }
        },
    );
    let mut out: Vec<LabOutage> = days
        .into_iter()
        .filter(|(_, d)| {
            let bad = d.errors + d.misses;
            bad >= OUTAGE_MIN_RUNS && bad * 2 >= d.runs
        })
        .filter_map(|((lab, day), d)| {
            let day = chrono::DateTime::from_timestamp_micros(day * MICROS_PER_DAY)?;
            Some((lab, day.date_naive(), d))
        })
        .map(|(lab, day, d)| LabOutage {
            lab: lab.to_string(),
            day,
            runs: d.runs,
            errors: d.errors,
            misses: d.misses,
            platforms: d.platforms.into_iter().map(String::from).collect(),
        })
        .collect();
    out.sort_by(|a, b| (&a.lab, a.day).cmp(&(&b.lab, b.day)));
    out
}

fn always_failing(series: &[Series], facts: &[SeriesFacts]) -> Vec<AlwaysFailing> {
    let mut by_test: BTreeMap<(String, String, String), AlwaysFailing> = BTreeMap::new();
    for (s, f) in series.iter().zip(facts) {
        if f.stats.fails == 0 || f.stats.fails != f.stats.verdicts {
            continue;
        }
        let since = s
            .runs
            .iter()
            .filter(|r| r.status == Status::Fail)
            .filter_map(|r| r.day())
            .min();
        let e = by_test
            .entry((
                s.key.tree_key.to_string(),
                s.key.branch.to_string(),
                s.key.test.to_string(),
            ))
            .or_insert_with(|| AlwaysFailing {
                tree: s.tree_name.as_deref().map(String::from),
                branch: s.key.branch.to_string(),
                test: s.key.test.to_string(),
                platforms: Vec::new(),
                since,
                runs: 0,
                known_issue: None,
            });
        if !e.platforms.iter().any(|p| **p == *s.key.platform) {
            e.platforms.push(s.key.platform.to_string());
            e.platforms.sort();
        }
        e.since = match (e.since, since) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        e.runs += f.stats.verdicts;
    }
    by_test.into_values().collect()
}

/// Computes the per-series facts.
pub fn facts(series: &[Series]) -> Vec<SeriesFacts> {
    use rayon::prelude::*;
    // Series of one (tree key, branch, test) are compared with each other only: group them,
    // then work group by group over the cores. Series come sorted by key, so a group is a
    // run of neighbours and the facts come out in order; any other order is grouped first.
    fn test_of(s: &Series) -> (&str, &str, &str) {
        (&s.key.tree_key, &s.key.branch, &s.key.test)
    }
    let sorted = series.windows(2).all(|w| test_of(&w[0]) <= test_of(&w[1]));
    if sorted {
        let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
        for (i, s) in series.iter().enumerate() {
            match groups.last_mut() {
                Some(g) if test_of(&series[g.start]) == test_of(s) => g.end = i + 1,
                _ => groups.push(i..i + 1),
            }
        }
        return groups
            .par_iter()
            .flat_map_iter(|g| group_facts(series, &g.clone().collect::<Vec<_>>()))
            .map(|(_, f)| f)
            .collect();
    }
    let mut groups: rustc_hash::FxHashMap<(&str, &str, &str), Vec<usize>> = Default::default();
    for (i, s) in series.iter().enumerate() {
        groups
            .entry((&s.key.tree_key, &s.key.branch, &s.key.test))
            .or_default()
            .push(i);
    }
    let groups: Vec<Vec<usize>> = groups.into_values().collect();
    let done: Vec<(usize, SeriesFacts)> = groups
        .par_iter()
        .flat_map_iter(|members| group_facts(series, members))
        .collect();
    let mut out: Vec<Option<SeriesFacts>> = (0..series.len()).map(|_| None).collect();
    for (i, f) in done {
        out[i] = Some(f);
    }
    out.into_iter()
        .map(|f| f.expect("every series is in a group"))
        .collect()
}

/// Facts of the series of one (tree key, branch, test) group.
fn group_facts(series: &[Series], members: &[usize]) -> Vec<(usize, SeriesFacts)> {
    let stretches: Vec<Vec<Stretch>> = members
        .iter()
        .map(|&i| super::stretch::stretches(&series[i]))
        .collect();
    // Per position: environments with a verdict, and environments starting to fail there.
    // Only stretches need it, and most tests never failed anywhere.
    let mut ran: rustc_hash::FxHashMap<usize, (usize, usize)> = Default::default();
    let any_stretch = stretches.iter().any(|s| !s.is_empty());
    for (&i, sts) in members.iter().zip(&stretches).filter(|_| any_stretch) {
        let s = &series[i];
        let mut last = usize::MAX;
        for r in &s.runs {
            // Runs are sorted by position: count each position once per series.
            if matches!(r.status, Status::Pass | Status::Fail) && r.pos as usize != last {
                ran.entry(r.pos as usize).or_default().0 += 1;
                last = r.pos as usize;
            }
        }
        for st in sts {
            ran.entry(s.runs[st.first_fail].pos as usize).or_default().1 += 1;
        }
    }
    members
        .iter()
        .zip(stretches)
        .map(|(&i, stretches)| {
            let s = &series[i];
            let synced = stretches
                .iter()
                .map(|st| {
                    let (n, f) = ran[&(s.runs[st.first_fail].pos as usize)];
                    f >= 2 && 2 * f >= n
                })
                .collect();
            let stats = super::stretch::stats(s);
            let flaky = is_flaky(&stats, stretches.len());
            (
                i,
                SeriesFacts {
                    stretches,
                    synced,
                    stats,
                    flaky,
                },
            )
        })
        .collect()
}
