//! Suspect commits: the commits of a regression's introducing window, those touching its
//! attributed files first, then those touching its subsystems' files.
//!
//! **The window.** Every environment of a regression has its own last-pass..first-fail range;
//! if one commit introduced the bug it is in all of them, so the window is their
//! intersection: commits reachable from every first-failing commit (below their best common
//! ancestors, `git merge-base --octopus --all`) and from no last-passing one. Boards that test
//! different commits of a branch narrow each other down this way. When the intersection is
//! empty (a board passed on a commit that contains another's first failure: a flaky or
//! mislabelled run) the environments disagree, which the page says, and the regression's own
//! window (its narrowest test regression's) is listed instead.
//!
//! Windows are listed once each (many regressions of a night share theirs), newest first,
//! merges left out (a bisection lands on the commit that changed something).

use std::collections::{BTreeMap, BTreeSet};

use super::git::{CommitInfo, Git, is_commit_name};
use super::maintainers::Maintainers;
use super::routing::{SuspectCommit, Suspects};
use crate::correlate::Regression;
use crate::links::commit_url;

/// Suspects shown per regression.
pub const TOP_SUSPECTS: usize = 10;

/// A window, as the commits that bound it.
type WindowKey = (Vec<String>, Vec<String>);

/// Git plus what was already asked of it tonight.
pub struct History<'g> {
    git: &'g Git,
    /// Names CI reported -> full hash in the clone.
    resolved: BTreeMap<String, Option<String>>,
    windows: BTreeMap<WindowKey, Result<Vec<CommitInfo>, String>>,
}

/// One environment's window, resolved.
struct Env {
    good: Option<String>,
    bad: String,
}

fn short(h: &str) -> &str {
    &h[..h.len().min(12)]
}

impl<'g> History<'g> {
    /// Resolves every commit the regressions name, in one git call.
    pub fn new(git: &'g Git, regressions: &[Regression]) -> History<'g> {
        let mut names: BTreeSet<String> = BTreeSet::new();
        for r in regressions {
            for c in [&r.last_pass.commit, &r.first_fail.commit]
                .into_iter()
                .flatten()
            {
                names.insert(c.clone());
            }
            for o in &r.occurrences {
                for c in [&o.last_pass_commit, &o.first_fail_commit]
                    .into_iter()
                    .flatten()
                {
                    names.insert(c.clone());
                }
            }
        }
        let names: Vec<String> = names.into_iter().filter(|n| is_commit_name(n)).collect();
        History {
            git,
            resolved: git.resolve(&names),
            windows: BTreeMap::new(),
        }
    }

    fn full(&self, name: Option<&String>) -> Option<String> {
        self.resolved.get(name?).cloned().flatten()
    }

    fn list(&mut self, tips: &[String], bases: &[String]) -> Result<&[CommitInfo], String> {
        let key = (tips.to_vec(), bases.to_vec());
        let git = self.git;
        self.windows
            .entry(key)
            .or_insert_with(|| git.log(tips, bases))
            .as_deref()
            .map_err(Clone::clone)
    }

    /// The narrowed window of `r` and its commits, ranked: touching one of `files` first,
    /// then a file of one of `sections` (indices into `maint`).
    pub fn suspects(
        &mut self,
        r: &Regression,
        files: &[String],
        sections: &[usize],
        maint: Option<&Maintainers>,
    ) -> Suspects {
        let mut pairs: BTreeSet<(Option<&String>, &String)> = r
            .occurrences
            .iter()
            .filter_map(|o| Some((o.last_pass_commit.as_ref(), o.first_fail_commit.as_ref()?)))
            .collect();
        if pairs.is_empty()
            && let Some(bad) = r.first_fail.commit.as_ref()
        {
            pairs.insert((r.last_pass.commit.as_ref(), bad));
        }
        let mut s = Suspects {
            environments: pairs.len(),
            ..Default::default()
        };
        let mut missing: BTreeSet<&str> = BTreeSet::new();
        let envs: Vec<Env> = pairs
            .iter()
            .filter_map(|&(good, bad)| {
                let Some(full_bad) = self.full(Some(bad)) else {
                    missing.insert(bad);
                    return None;
                };
                let full_good = match good {
                    None => None,
                    Some(g) => match self.full(Some(g)) {
                        Some(f) => Some(f),
                        None => {
                            missing.insert(g);
                            return None;
                        }
                    },
                };
                Some(Env {
                    good: full_good,
                    bad: full_bad,
                })
            })
            .collect();
        s.environments_used = envs.len();
        let not_in_clone = || {
            let names: Vec<&str> = missing.iter().map(|m| short(m)).take(4).collect();
            let shallow = if self.git.shallow {
                " (it is a shallow clone)"
            } else {
                ""
            };
            format!(
                "the window's commits are not in the clone{shallow}: {}{}",
                names.join(", "),
                if missing.len() > 4 { ", …" } else { "" }
            )
        };
        if envs.is_empty() {
            s.problem = Some(if pairs.is_empty() {
                "no first failing commit is known".into()
            } else {
                not_in_clone()
            });
            return s;
        }
        let bads: Vec<String> = envs
            .iter()
            .map(|e| e.bad.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let goods: Vec<String> = envs
            .iter()
            .filter_map(|e| e.good.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if goods.is_empty() {
            s.problem = Some("no passing commit is known before the first failure".into());
            return s;
        }
        let narrowed = self.narrow(&bads, &goods);
        let (tips, bases, mut problem) = match narrowed {
            Ok(w) => (w.0, w.1, None),
            Err(why) => {
                // The regression's own window, when the environments disagree.
                let own = (
                    self.full(r.first_fail.commit.as_ref()),
                    self.full(r.last_pass.commit.as_ref()),
                );
                match own {
                    (Some(b), Some(g)) => (
                        vec![b],
                        vec![g],
                        Some(format!("{why}; listing the regression's own window")),
                    ),
                    _ => {
                        s.problem = Some(why);
                        return s;
                    }
                }
            }
        };
        if !missing.is_empty() {
            problem = Some(match problem {
                Some(p) => format!("{p}; {}", not_in_clone()),
                None => format!(
                    "{} of {} environments left out: {}",
                    s.environments - s.environments_used,
                    s.environments,
                    not_in_clone()
                ),
            });
        }
        let repo = r.repository_url.clone();
        let commits = match self.list(&tips, &bases) {
            Ok(c) => c,
            Err(e) => {
                s.problem = Some(e);
                return s;
            }
        };
        s.commits = commits.len();
        let mut ranked: Vec<(u8, usize, String)> = Vec::new();
        for (i, c) in commits.iter().enumerate() {
            let file = c.files.iter().find(|f| {
                files
                    .iter()
                    .any(|a| a == *f || (a.ends_with('/') && f.starts_with(a.as_str())))
            });
            let section = || {
                let m = maint?;
                c.files.iter().find_map(|f| {
                    m.lookup(f)
                        .into_iter()
                        .find(|x| sections.contains(&x.section))
                        .map(|x| m.sections[x.section].name.clone())
                })
            };
            let (score, reason) = match file {
                Some(f) => (2, format!("touches {f}")),
                None => match section() {
                    Some(name) => (1, format!("touches {name}")),
                    None => (0, String::new()),
                },
            };
            s.touching_files += usize::from(score == 2);
            s.touching_subsystems += usize::from(score >= 1);
            ranked.push((score, i, reason));
        }
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        s.top = ranked
            .into_iter()
            .take(TOP_SUSPECTS)
            .map(|(score, i, reason)| {
                let c = &commits[i];
                SuspectCommit {
                    url: repo.as_deref().and_then(|u| commit_url(u, &c.hash)),
                    commit: c.hash.clone(),
                    subject: c.subject.clone(),
                    author: c.author.clone(),
                    date: c.date.clone(),
                    reason,
                    score,
                }
            })
            .collect();
        if tips.len() == 1 {
            if bases.len() == 1 {
                s.regzbot = Some(format!(
                    "#regzbot introduced: {}..{}",
                    short(&bases[0]),
                    short(&tips[0])
                ));
            }
            let goods: Vec<&str> = bases.iter().map(|b| short(b)).collect();
            s.bisect = Some(format!(
                "git bisect start {} {}",
                short(&tips[0]),
                goods.join(" ")
            ));
        }
        s.good = bases;
        s.bad = tips;
        s.problem = problem;
        s
    }

    /// The intersection of the windows `goods..bads`: (tips, bases), or why it is empty.
    fn narrow(
        &mut self,
        bads: &[String],
        goods: &[String],
    ) -> Result<(Vec<String>, Vec<String>), String> {
        let tips = if bads.len() == 1 {
            bads.to_vec()
        } else {
            let mut t = self.git.merge_bases(bads).unwrap_or_default();
            t.sort();
            t
        };
        if tips.is_empty() {
            return Err(
                "the environments' first failing commits have no common ancestor in the clone"
                    .into(),
            );
        }
        let bases = if goods.len() == 1 {
            goods.to_vec()
        } else {
            self.git.independent(goods)?
        };
        if self.list(&tips, &bases)?.is_empty() {
            return Err(
                "the environments disagree (a board passed on a commit that contains another \
                 board's first failing commit)"
                    .into(),
            );
        }
        Ok((tips, bases))
    }
}
