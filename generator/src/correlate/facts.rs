//! Per-series facts every later step shares: the failure stretches, the verdict statistics,
//! and which stretches started *together* with the same test on other environments at one
//! commit (a change in the code, never noise).
//!
//! Starting to fail together is judged against each environment's own usual failure rate, not
//! counted: two boards that each fail a boot one time in ten will sometimes fail it on the same
//! commit by chance (real CI history is full of such coincidences), while two boards that never
//! failed it will not. The chance is that of the observed stretches (their lengths so far) all
//! starting at one commit under each board's rate, summed over every choice of that many of
//! the boards that ran there (each at its own rate), times the commits the test ran at (each was a chance for such a
//! coincidence); a stretch that keeps failing night after night makes its start less and less
//! likely to be chance, so a change on a flaky test is recognised once it lasts.

use rayon::prelude::*;

use super::stretch::{self, SeriesStats, Stretch};
use crate::model::Status;
use crate::series::Series;

/// Stretches that start together with a chance below this are a code change.
pub const SYNC_ALPHA: f64 = 0.001;

/// How a stretch started together with others at one commit.
#[derive(Debug, Clone, PartialEq)]
pub struct Sync {
    /// Boards whose failures of the same test (same branch) start at this commit.
    pub failing: usize,
    /// Boards that gave the test a verdict at this commit.
    pub ran: usize,
    /// Commits the test ran at on this branch: each was a chance for a coincidence.
    pub commits: usize,
    /// The expected number of coincidences like this one over those commits, from each
    /// board's usual failure rate and how long its stretch has lasted.
    pub chance: f64,
}

/// Per-series facts the health checks, candidates and grouping share.
#[derive(Debug, Clone)]
pub struct SeriesFacts {
    pub stretches: Vec<Stretch>,
    /// Per stretch: it started at a commit together with other environments, improbably
    /// (`chance < SYNC_ALPHA`): a change in the code, which never counts as noise.
    pub synced: Vec<Option<Sync>>,
    pub stats: SeriesStats,
    /// Per stretch: it began on a day its board failed the same test transiently on another
    /// branch's kernel (see `bad_days`): the day explains it, not this kernel.
    pub bad_day: Vec<bool>,
}

impl SeriesFacts {
    /// Whether stretch `i` started together with other environments (a code change).
    pub fn is_synced(&self, i: usize) -> bool {
        self.synced[i].is_some()
    }

    /// Failures that are noise (not synchronised across environments), over all stretches.
    pub fn noise_fails(&self) -> usize {
        self.noise_stretches().map(|st| st.len).sum()
    }

    /// Failures outside stretch `i` that are noise, given [`Self::noise_fails`] (computed
    /// once per series: a flaky series has hundreds of stretches).
    pub fn noise_fails_besides(&self, i: usize, noise_fails: usize) -> usize {
        let own = if self.is_synced(i) {
            0
        } else {
            self.stretches[i].len
        };
        noise_fails - own
    }

    /// Noise stretches that are sporadic failures (short, recovered).
    pub fn sporadic(&self) -> impl Iterator<Item = &Stretch> {
        self.noise_stretches().filter(|st| st.is_sporadic())
    }

    /// Stretches that are not synchronised changes: the series' own noise.
    pub fn noise_stretches(&self) -> impl Iterator<Item = &Stretch> {
        self.stretches
            .iter()
            .zip(&self.synced)
            .filter(|(_, s)| s.is_none())
            .map(|(st, _)| st)
    }
}

/// Verdicts below which a board's own history is too short to know its flakes: the fleet's
/// noise for the test (see [`FleetNoise`]) stands in as a floor.
pub const YOUNG_RUNS: usize = 10;

/// The usual failure rate and cling (how often a failure follows a failure) of a test where it
/// is intermittent across the fleet, by test path: a floor for a young board's own estimate,
/// since it has too few runs to know how its flakes cluster.
pub type FleetNoise<'s> = rustc_hash::FxHashMap<&'s str, (f64, f64)>;

/// Computes the facts of every series, in series order, judging synchrony against each board's
/// own usual rates (see [`resync`] for the fleet's).
pub fn facts(series: &[Series]) -> Vec<SeriesFacts> {
    let mut tm = crate::timings::Timer::start();
    // Each series alone: its stretches and statistics (most never failed).
    let own: Vec<(Vec<Stretch>, SeriesStats)> = series
        .par_iter()
        .map(|s| (stretch::stretches(s), stretch::stats(s)))
        .collect();
    // Against the same board's other kernels: a stretch that began on a day the board failed
    // the test, transiently, on another branch's kernel too followed the day, not the kernel.
    tm.mark("    stretches and statistics");
    let bad_days = bad_days(series, &own);
    tm.mark("    bad days");
    let facts: Vec<SeriesFacts> = own
        .into_iter()
        .zip(bad_days)
        .map(|((stretches, stats), bad_day)| SeriesFacts {
            synced: vec![None; stretches.len()],
            bad_day,
            stretches,
            stats,
        })
        .collect();
    let (facts, _) = resync(series, facts, &FleetNoise::default());
    tm.mark("    synchrony");
    facts
}

/// Judges again which stretches started together, with `fleet` as a floor for each board's
/// usual rate and cling where its test is intermittent across the fleet. `facts` must come
/// from [`facts`] (judged without the fleet): tests the fleet knows no noise for keep those.
/// Also says how many series' verdicts changed.
pub fn resync(
    series: &[Series],
    mut facts: Vec<SeriesFacts>,
    fleet: &FleetNoise,
) -> (Vec<SeriesFacts>, usize) {
    // Series of one (tree key, branch, test) are compared with each other only: group them,
    // then work group by group over the cores.
    let mut groups: rustc_hash::FxHashMap<(&str, &str, &str), Vec<usize>> = Default::default();
    for (i, s) in series.iter().enumerate() {
        // The fleet changes nothing for a test it has no noise for: those keep the verdicts
        // of the pass without it (`facts` gives every series that pass first).
        let unchanged = !fleet.is_empty() && !fleet.contains_key(&*s.key.test);
        if !facts[i].stretches.is_empty() && !unchanged {
            groups
                .entry((&s.key.tree_key, &s.key.branch, &s.key.test))
                .or_default()
                .push(i);
        }
    }
    // Nor for a group with no young series: the fleet's floor is only a young board's.
    let young = |members: &Vec<usize>| {
        fleet.is_empty()
            || members
                .iter()
                .any(|&i| facts[i].stats.verdicts < YOUNG_RUNS)
    };
    let mut groups: Vec<Vec<usize>> = groups.into_values().filter(young).collect();
    groups.sort_unstable();
    let synced: Vec<(usize, Vec<Option<Sync>>)> = groups
        .par_iter()
        .flat_map_iter(|members| group_syncs(series, &facts, fleet, members))
        .collect();
    let mut changed = 0;
    for (i, s) in synced {
        changed += usize::from(facts[i].synced != s);
        facts[i].synced = s;
    }
    (facts, changed)
}

/// Per series, per stretch: whether its start is explained by the day rather than the kernel:
/// its board failed the same test on another branch's kernel that day, in a stretch that
/// recovered there (a transient failure), at least as often as it passed it on other kernels
/// that day (a lab or board problem hits every kernel it runs), and the stretch did not
/// outlast that: it recovered too, or is no longer than the longest of those stretches. A
/// stretch still failing after the other kernels came back follows its own kernel, whatever
/// the day it began on. Starting to fail on several trees at once is not such evidence by
/// itself: one stable backport reaches stable-rc and every tree built on it on the same day
/// (CIP's `ltp.dio*` at 6.1.56 did).
fn bad_days(series: &[Series], own: &[(Vec<Stretch>, SeriesStats)]) -> Vec<Vec<bool>> {
    // Only a (test, board) with a failure somewhere has a day to judge: the others are
    // most of the series and are left out of the map.
    let failing: rustc_hash::FxHashSet<(&str, &str)> = series
        .iter()
        .zip(own)
        .filter(|(_, (stretches, _))| !stretches.is_empty())
        .map(|(s, _)| (&*s.key.test, &*s.key.platform))
        .collect();
    let mut same_board: rustc_hash::FxHashMap<(&str, &str), Vec<usize>> = Default::default();
    for (i, s) in series.iter().enumerate() {
        let key = (&*s.key.test, &*s.key.platform);
        if failing.contains(&key) {
            same_board.entry(key).or_default().push(i);
        }
    }
    (0..series.len())
        .into_par_iter()
        .map(|i| {
            let (stretches, _) = &own[i];
            let s = &series[i];
            let others: Vec<usize> = match stretches.is_empty() {
                true => Vec::new(),
                false => same_board[&(&*s.key.test, &*s.key.platform)]
                    .iter()
                    .copied()
                    .filter(|&o| {
                        (&series[o].key.tree_key, &series[o].key.branch)
                            != (&s.key.tree_key, &s.key.branch)
                    })
                    .collect(),
            };
            stretches
                .iter()
                .map(|st| {
                    // Compared as day numbers: this visits every run of the other kernels.
                    let start = &s.runs[st.first_fail];
                    let Some(day) = start.day().and(start.day_number()) else {
                        return false;
                    };
                    let (mut passes, mut transient, mut longest) = (0usize, 0usize, 0usize);
                    for &o in &others {
                        let (o_stretches, _) = &own[o];
                        for (k, r) in series[o].runs.iter().enumerate() {
                            if r.day_number() != Some(day) {
                                continue;
                            }
                            match r.status {
                                Status::Pass => passes += 1,
                                Status::Fail => {
                                    // Stretches are in run order: the one holding `k`, if any.
                                    let at = o_stretches.partition_point(|o| o.last_fail < k);
                                    let recovered = o_stretches
                                        .get(at)
                                        .filter(|o| o.first_fail <= k && o.next_pass.is_some());
                                    if let Some(o) = recovered {
                                        transient += 1;
                                        longest = longest.max(o.len);
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                    let outlasted = st.next_pass.is_none() && st.len > longest;
                    transient > 0 && transient >= passes && !outlasted
                })
                .collect()
        })
        .collect()
}

/// The boards seen at one commit.
/// Which stretches of one (tree key, branch, test) group started together with other boards,
/// improbably: (series, per stretch).
fn group_syncs(
    series: &[Series],
    facts: &[SeriesFacts],
    fleet: &FleetNoise,
    members: &[usize],
) -> Vec<(usize, Vec<Option<Sync>>)> {
    let mut synced: Vec<Vec<Option<Sync>>> = members
        .iter()
        .map(|&i| vec![None; facts[i].stretches.len()])
        .collect();
    let floor = members
        .first()
        .and_then(|&i| fleet.get(&*series[i].key.test))
        .copied()
        .unwrap_or((0.0, 0.0));
    // Positions where two or more environments start failing; only those can be synchronised.
    let mut starts: rustc_hash::FxHashMap<u32, Vec<(usize, usize)>> = Default::default();
    for (m, &i) in members.iter().enumerate() {
        for (k, st) in facts[i].stretches.iter().enumerate() {
            starts
                .entry(series[i].runs[st.first_fail].pos)
                .or_default()
                .push((m, k));
        }
    }
    let together: Vec<(u32, Vec<(usize, usize)>)> = starts
        .into_iter()
        .filter(|(_, v)| {
            let boards: std::collections::BTreeSet<&str> = v
                .iter()
                .map(|&(m, _)| &*series[members[m]].key.platform)
                .collect();
            boards.len() >= 2
        })
        .collect();
    if together.is_empty() {
        return members.iter().copied().zip(synced).collect();
    }
    // A board's usual failure rate leaves out the commits where at least half of the boards
    // that ran the test failed it (two or more): there the code, not the board, is the
    // likelier cause, and a bug that came back must not make its first episode look like
    // noise. Independent flakiness rarely fails half of the boards at once.
    // Boards as bits (a group's boards by index), not string sets: this runs for every run
    // of every failing series.
    let (names, board_of) = crate::series::group_boards(series, members);
    let words = names.len().div_ceil(64);
    // Positions are dense on a branch's timeline: one row of (ran, failed) words per position
    // from the first to the last, in one flat table (no map lookup per run).
    let (lo, hi) = crate::series::group_span(series, members);
    let rows = (hi.saturating_sub(lo) as usize + 1) * 2 * words;
    let mut at: Vec<u64> = vec![0; rows];
    let row = |pos: u32| (pos - lo) as usize * 2 * words;
    for (&i, &b) in members.iter().zip(&board_of) {
        let (word, bit) = (b / 64, 1u64 << (b % 64));
        for r in &series[i].runs {
            if !matches!(r.status, Status::Pass | Status::Fail) {
                continue;
            }
            let at = &mut at[row(r.pos)..][..2 * words];
            at[word] |= bit;
            if r.status == Status::Fail {
                at[words + word] |= bit;
            }
        }
    }
    let count = |set: &[u64]| set.iter().map(|w| w.count_ones() as usize).sum::<usize>();
    // Once per position, not per run: with thousands of boards a row is many words.
    let wholesale: Vec<bool> = at
        .chunks_exact(2 * words)
        .map(|r| {
            let (ran, failed) = r.split_at(words);
            let failed = count(failed);
            failed >= 2 && 2 * failed >= count(ran)
        })
        .collect();
    let wholesale = |pos: u32| wholesale[(pos - lo) as usize];
    // Per series, away from those commits: (failures, verdicts, repeats, failures followed).
    let counts: Vec<[usize; 4]> = members
        .iter()
        .map(|&i| {
            let (mut fails, mut verdicts, mut stuck, mut followed) = (0, 0, 0, 0);
            let mut last: Option<bool> = None;
            for r in &series[i].runs {
                if !matches!(r.status, Status::Pass | Status::Fail) || wholesale(r.pos) {
                    continue;
                }
                let failed = r.status == Status::Fail;
                verdicts += 1;
                fails += usize::from(failed);
                if last == Some(true) {
                    followed += 1;
                    stuck += usize::from(failed);
                }
                last = Some(failed);
            }
            [fails, verdicts, stuck, followed]
        })
        .collect();
    // The test's rate over all of them: a board's own estimate leans on it (two pseudo-
    // counts), so thirty boards that never failed it are taken to fail it about as rarely as
    // the branch does, not each one time in (runs + 2).
    let (all_fails, all_verdicts) = counts.iter().fold((0, 0), |(f, v), c| (f + c[0], v + c[1]));
    let pooled = (all_fails as f64 + 1.0) / (all_verdicts as f64 + 2.0);
    // Per series: (failure rate, how often a failure is followed by another), both smoothed.
    // Flakes often fail in streaks; treating their failures as independent would make every
    // streak look like news.
    let usual: Vec<(f64, f64)> = counts
        .iter()
        .zip(members)
        .map(|(&[fails, verdicts, stuck, followed], &i)| {
            // The fleet's noise stands in only for a board too young to know its own: young
            // by its whole history (the commits left out above can be most of a flaky
            // test's).
            let floor = match facts[i].stats.verdicts < YOUNG_RUNS {
                true => floor,
                false => (0.0, 0.0),
            };
            let p = ((fails as f64 + 2.0 * pooled) / (verdicts as f64 + 2.0)).max(floor.0);
            // With no repeats seen, failures are taken as independent (two pseudo-counts at p).
            let q = ((stuck as f64 + 2.0 * p) / (followed as f64 + 2.0))
                .max(p)
                .max(floor.1);
            (p, q)
        })
        .collect();
    // Every commit the test ran at on this branch was a chance for a coincidence.
    let commits = at
        .chunks_exact(2 * words)
        .filter(|r| r[..words].iter().any(|&w| w != 0))
        .count()
        .max(1);
    for (pos, starting) in together {
        // Boards, not series: a board's configs run in the same session, so one bad session
        // fails them all at once. Each board counts once, by its likeliest stretch; a board
        // that failed the test on other kernels that day says nothing about this one.
        // Per board (by index, so in name order): its chance, max over its series.
        let mut boards: std::collections::BTreeMap<usize, f64> = Default::default();
        for &(m, k) in &starting {
            let i = members[m];
            if facts[i].bad_day[k] {
                continue;
            }
            let st = &facts[i].stretches[k];
            let (rate, cling) = usual[m];
            let p = rate * cling.powi(st.len.saturating_sub(1) as i32);
            let b = boards.entry(board_of[m]).or_insert(0.0);
            *b = b.max(p);
        }
        if boards.len() < 2 {
            continue;
        }
        // The chance is a sum over every set of boards of the right size, this one among
        // them: when this one term alone is not improbable, the sum is not (most coincidences
        // of flaky boards end here, before the boards that ran are looked up). The margin
        // covers rounding in the sum.
        let alone: f64 = boards.values().product();
        if commits as f64 * alone >= SYNC_ALPHA * (1.0 + 1e-9) {
            continue;
        }
        // Every board that ran there could have been among them, at its own usual rate, for
        // a stretch as long as the shortest of theirs.
        let shortest = starting
            .iter()
            .filter(|&&(m, k)| !facts[members[m]].bad_day[k])
            .map(|&(m, k)| facts[members[m]].stretches[k].len)
            .min()
            .unwrap_or(1);
        // A table by board index rather than a map by name: thousands of boards may have run.
        let ran_here = &at[row(pos)..][..words];
        let mut others: Vec<Option<f64>> = vec![None; names.len()];
        for (m, &i) in members.iter().enumerate() {
            let b = board_of[m];
            let ran_there = ran_here[b / 64] & (1u64 << (b % 64)) != 0;
            if !ran_there || boards.contains_key(&b) || !has_verdict_at(&series[i], pos) {
                continue;
            }
            let (rate, cling) = usual[m];
            let p = rate * cling.powi(shortest.saturating_sub(1) as i32);
            let o = others[b].get_or_insert(0.0);
            *o = o.max(p);
        }
        let others: Vec<f64> = others.into_iter().flatten().collect();
        let ran = boards.len() + others.len();
        let chances: Vec<f64> = boards.values().chain(&others).copied().collect();
        // Many flaky boards failing together at a commit are likely somewhere among thousands
        // of boards: a lower bound of the sum says so at a fraction of its cost (the margin
        // covers rounding in both).
        let floor = super::chance::ln_pick_products_floor(&chances, boards.len());
        if (commits as f64).ln() + floor >= SYNC_ALPHA.ln() + 1e-6 {
            continue;
        }
        let chance = commits as f64 * super::chance::pick_products(&chances, boards.len());
        if chance < SYNC_ALPHA {
            let failing = boards.len();
            for &(m, k) in &starting {
                if facts[members[m]].bad_day[k] {
                    continue;
                }
                synced[m][k] = Some(Sync {
                    failing,
                    ran,
                    commits,
                    chance,
                });
            }
        }
    }
    members.iter().copied().zip(synced).collect()
}

/// Whether a series has a PASS or FAIL at a timeline position (runs are sorted by position).
fn has_verdict_at(s: &Series, pos: u32) -> bool {
    let from = s.runs.partition_point(|r| r.pos < pos);
    s.runs[from..]
        .iter()
        .take_while(|r| r.pos == pos)
        .any(|r| matches!(r.status, Status::Pass | Status::Fail))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::correlate::stretch::tests::series_on;
    use Status::*;

    #[test]
    fn clean_environments_failing_together_are_a_change() {
        let mut a = vec![Pass; 20];
        a.extend([Fail, Fail]);
        let all = [series_on("a", &a), series_on("b", &a), series_on("c", &a)];
        let f = facts(&all);
        assert!(f.iter().all(|f| f.is_synced(0)), "{f:?}");
    }

    /// A series of the test on board "a", branch `branch`, one run a day.
    fn daily(branch: &str, statuses: &[Status]) -> Series {
        let mut s = series_on("a", statuses);
        s.key.branch = branch.into();
        for (d, r) in s.runs.iter_mut().enumerate() {
            r.time = (20_000 + d as i64) * crate::time::MICROS_PER_DAY;
        }
        s
    }

    #[test]
    fn a_bad_day_explains_a_start_only_while_the_stretch_does_not_outlast_it() {
        // The board failed the test once on another kernel on day 2, and recovered there.
        let other = daily("other", &[Pass, Pass, Fail, Pass, Pass, Pass]);
        let bad_day = |statuses: &[Status]| {
            facts(&[other.clone(), daily("b", statuses)])[1]
                .bad_day
                .clone()
        };
        // Here it failed that day too and recovered: the day explains it.
        assert_eq!(bad_day(&[Pass, Pass, Fail, Pass, Pass, Pass]), [true]);
        // Still failing, but no longer than the other kernel's stretch: not yet told apart.
        assert_eq!(bad_day(&[Pass, Pass, Fail]), [true]);
        // Still failing four days after the other kernel came back: its own kernel.
        assert_eq!(bad_day(&[Pass, Pass, Fail, Fail, Fail, Fail]), [false]);
    }

    #[test]
    fn flaky_environments_coinciding_once_are_not() {
        // Two boards that each fail about one run in three: both fail at position 6 once.
        let a = [
            Pass, Fail, Pass, Pass, Fail, Pass, Fail, Pass, Pass, Fail, Pass, Pass,
        ];
        let b = [
            Pass, Pass, Fail, Pass, Pass, Pass, Fail, Pass, Fail, Pass, Pass, Fail,
        ];
        let f = facts(&[series_on("a", &a), series_on("b", &b)]);
        assert!(
            f.iter().all(|f| f.synced.iter().all(Option::is_none)),
            "{f:?}"
        );
        // The same boards failing together from one commit on, and staying failed: a change.
        let mut a2 = a.to_vec();
        a2.extend([Fail; 6]);
        let mut b2 = b.to_vec();
        b2.extend([Pass, Fail, Fail, Fail, Fail, Fail, Fail]);
        a2.insert(12, Pass);
        let f = facts(&[series_on("a", &a2), series_on("b", &b2)]);
        assert!(f[0].synced.last().unwrap().is_some(), "{:?}", f[0]);
        assert!(f[1].synced.last().unwrap().is_some(), "{:?}", f[1]);
    }
}
