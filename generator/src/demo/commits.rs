//! The commit each tree checks out on each day: its hash and `git describe` name, a pure
//! function of (seed, tree, date), so any day can be computed without the days before it.

use chrono::{Datelike, NaiveDate, TimeDelta};
use rand::RngExt;

use super::dates::day_number;
use super::random::{hex_str, sub_rng};
use super::tables::{TREE_GITHUB, TREE_NEXT, TREE_STABLE};

/// A checked-out commit.
#[derive(Debug, Clone)]
pub(super) struct Commit {
    pub(super) hash: String,
    /// `git describe` name (KCIDB `git_commit_name`).
    pub(super) name: String,
    /// Tags pointing at it (none between tags).
    pub(super) tags: Vec<String>,
    /// `uname -r` of a kernel built from it.
    pub(super) uname: String,
}

/// Mainline release of a date: v7.3 on 2026-10-04, then a 9-week cycle (2-week merge window,
/// rc1..rc7 on Sundays). Returns (tag, uname base, merge window?).
fn mainline_tag(date: NaiveDate) -> (String, String, bool) {
    let anchor = NaiveDate::from_ymd_opt(2026, 10, 4).expect("valid date");
    let w = (date - anchor).num_days().div_euclid(7);
    let minor = (3 + w.div_euclid(9)).max(0);
    let pos = w.rem_euclid(9);
    if pos < 2 {
        (format!("v7.{minor}"), format!("7.{minor}.0"), true)
    } else {
        let rc = pos - 1;
        let next = minor + 1;
        (
            format!("v7.{next}-rc{rc}"),
            format!("7.{next}.0-rc{rc}"),
            false,
        )
    }
}

/// Commits added on `date` on top of the week's tag (0 on Sundays, when the tag is cut).
fn commits_since_tag(seed: u64, tree: usize, date: NaiveDate, per_day: (u32, u32)) -> u32 {
    let dow = date.weekday().num_days_from_sunday();
    let mut n = 0;
    for back in 0..dow {
        let d = date - TimeDelta::days(i64::from(back));
        let mut r = sub_rng(seed, &[7, tree as u64, day_number(d)]);
        n += r.random_range(per_day.0..per_day.1);
    }
    n
}

/// The commit tree `tree` (an index into `TREES`) checks out on `date`: linux-next gets its
/// daily `next-YYYYMMDD` tag, stable counts commits since its weekly release, mainline and the
/// GitHub tree count commits since the week's mainline tag.
pub(super) fn commit_for(seed: u64, tree: usize, date: NaiveDate) -> Commit {
    let mut rng = sub_rng(seed, &[1, tree as u64, day_number(date)]);
    let hash = hex_str(&mut rng, 40);
    let (tag, base, merge_window) = mainline_tag(date);
    let per_day = if merge_window { (250, 1400) } else { (12, 160) };
    match tree {
        TREE_NEXT => {
            let name = format!(
                "next-{:04}{:02}{:02}",
                date.year(),
                date.month(),
                date.day()
            );
            Commit {
                uname: format!("{base}-{name}"),
                tags: vec![name.clone()],
                name,
                hash,
            }
        }
        TREE_STABLE => {
            let first = NaiveDate::from_ymd_opt(2024, 11, 17).expect("valid date");
            let sub = ((date - first).num_days().div_euclid(7) + 1).max(1);
            let n = commits_since_tag(seed, tree, date, (2, 25));
            let tag = format!("v6.12.{sub}");
            let base = format!("6.12.{sub}");
            described_commit(hash, &tag, &base, n)
        }
        TREE_GITHUB => {
            let n = 400 + commits_since_tag(seed, tree, date, (20, 90));
            described_commit(hash, &tag, &base, n)
        }
        _ => {
            let n = commits_since_tag(seed, tree, date, per_day);
            described_commit(hash, &tag, &base, n)
        }
    }
}

/// A commit `n` commits after `tag` (the tag itself when `n == 0`).
fn described_commit(hash: String, tag: &str, base: &str, n: u32) -> Commit {
    if n == 0 {
        Commit {
            name: tag.to_string(),
            tags: vec![tag.to_string()],
            uname: base.to_string(),
            hash,
        }
    } else {
        let short = &hash[..12];
        Commit {
            name: format!("{tag}-{n}-g{short}"),
            tags: Vec::new(),
            uname: format!("{base}-{n:05}-g{short}"),
            hash,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::tables::TREE_MAINLINE;

    #[test]
    fn commit_names() {
        let c = commit_for(
            1,
            TREE_MAINLINE,
            NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        );
        assert!(c.name.starts_with("v7.4-rc5-"), "{}", c.name);
        assert!(c.uname.starts_with("7.4.0-rc5-0"), "{}", c.uname);
        let sun = commit_for(
            1,
            TREE_MAINLINE,
            NaiveDate::from_ymd_opt(2026, 11, 15).unwrap(),
        );
        assert_eq!(sun.name, "v7.4-rc5");
        assert_eq!(sun.tags, vec!["v7.4-rc5".to_string()]);
        let n = commit_for(1, TREE_NEXT, NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
        assert_eq!(n.name, "next-20261120");
        // describe counts grow through the week
        let mut last = 0;
        for d in 16..=21 {
            let c = commit_for(
                1,
                TREE_MAINLINE,
                NaiveDate::from_ymd_opt(2026, 11, d).unwrap(),
            );
            let n: u32 = c.name.split('-').nth(2).unwrap().parse().unwrap();
            assert!(n > last);
            last = n;
        }
    }
}
