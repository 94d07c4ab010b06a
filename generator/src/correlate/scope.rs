//! A regression's scope: every board that ran the test, or one board, compiler, arch or config.
//!
//! Compares the failing environments with the environments that ran the same tests on the
//! same branch while it was failing and passed (after Mozilla's mozci: failing on every config
//! that ran it is a code regression; one board only is board-specific).

use std::collections::BTreeSet;

use super::facts::SeriesFacts;
use super::group::{Candidate, Group};
use super::regression::Scope;
use crate::model::Status;
use crate::series::Series;

/// Series by (tree key, branch, test), hashed (the few lookups compare the real keys).
pub struct SeriesIndex<'a> {
    series: &'a [Series],
    by_key: rustc_hash::FxHashMap<u64, Vec<usize>>,
}

fn key_hash(tree: &str, branch: &str, test: &str) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in [tree, branch, test] {
        h.update(part.as_bytes());
        h.update(&[0]);
    }
    h.digest()
}

impl<'a> SeriesIndex<'a> {
    pub fn new(series: &'a [Series]) -> Self {
        let mut by_key: rustc_hash::FxHashMap<u64, Vec<usize>> = Default::default();
        // One hash per test on a branch, not per series.
        for group in crate::series::groups_by_test(series) {
            let k = &series[group[0]].key;
            by_key
                .entry(key_hash(&k.tree_key, &k.branch, &k.test))
                .or_default()
                .extend(group);
        }
        SeriesIndex { series, by_key }
    }

    /// The series of one test on one branch.
    pub fn get(&self, tree: &str, branch: &str, test: &str) -> Vec<usize> {
        self.by_key
            .get(&key_hash(tree, branch, test))
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| {
                let k = &self.series[i].key;
                *k.tree_key == *tree && *k.branch == *branch && *k.test == *test
            })
            .collect()
    }
}

type Env<'a> = (&'a str, &'a str, &'a str, &'a str);

pub fn scope(
    g: &Group,
    candidates: &[Candidate],
    series: &[Series],
    facts: &[SeriesFacts],
    index: &SeriesIndex,
) -> Scope {
    let members: BTreeSet<usize> = g.members.iter().map(|&m| candidates[m].series).collect();
    let from = g.window.1;
    let until = g
        .members
        .iter()
        .map(|&m| {
            let c = &candidates[m];
            series[c.series].runs[facts[c.series].stretches[c.stretch].last_fail].pos as usize
        })
        .max()
        .unwrap_or(from);
    let env = |s: &'_ Series| -> (String, String, String, String) {
        (
            s.key.platform.to_string(),
            s.key.arch.to_string(),
            s.key.config.to_string(),
            s.key.compiler.to_string(),
        )
    };
    let failing: BTreeSet<_> = members.iter().map(|&i| env(&series[i])).collect();
    let mut passing = BTreeSet::new();
    for test in &g.tests {
        for i in index.get(&g.tree_key, &g.branch, test) {
            if members.contains(&i) {
                continue;
            }
            let ran_ok = series[i]
                .runs
                .iter()
                .any(|r| r.status == Status::Pass && (from..=until).contains(&(r.pos as usize)));
            if ran_ok {
                passing.insert(env(&series[i]));
            }
        }
    }
    classify(
        &failing
            .iter()
            .map(|e| (e.0.as_str(), e.1.as_str(), e.2.as_str(), e.3.as_str()))
            .collect::<Vec<Env>>(),
        &passing
            .iter()
            .map(|e| (e.0.as_str(), e.1.as_str(), e.2.as_str(), e.3.as_str()))
            .collect::<Vec<Env>>(),
    )
}

/// Environments are (platform, arch, config, compiler).
pub fn classify(failing: &[Env], passing: &[Env]) -> Scope {
    if passing.is_empty() {
        return Scope {
            kind: "all",
            value: None,
        };
    }
    let platforms: BTreeSet<&str> = failing.iter().map(|e| e.0).collect();
    if platforms.len() == 1 {
        return Scope {
            kind: "board",
            value: platforms.into_iter().next().map(String::from),
        };
    }
    // Column of the environment tuple for each dimension.
    let dims: [(&'static str, usize); 3] = [("compiler", 3), ("arch", 1), ("config", 2)];
    let pick = |e: &Env<'_>, d: usize| -> String {
        match d {
            1 => e.1,
            2 => e.2,
            _ => e.3,
        }
        .to_string()
    };
    for (kind, d) in dims {
        let values: BTreeSet<String> = failing.iter().map(|e| pick(e, d)).collect();
        if values.len() == 1 {
            let v = values.into_iter().next().unwrap();
            if !passing.iter().any(|e| pick(e, d) == v) {
                return Scope {
                    kind,
                    value: Some(v.to_string()),
                };
            }
        }
    }
    Scope {
        kind: "partial",
        value: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes() {
        let f = [
            ("a", "arm64", "defconfig", "clang"),
            ("b", "x86_64", "defconfig", "clang"),
        ];
        assert_eq!(classify(&f, &[]).kind, "all");
        let p = [
            ("a", "arm64", "defconfig", "gcc"),
            ("c", "x86_64", "defconfig", "gcc"),
        ];
        let s = classify(&f, &p);
        assert_eq!((s.kind, s.value.as_deref()), ("compiler", Some("clang")));
        let one = [("a", "arm64", "defconfig", "gcc")];
        assert_eq!(classify(&one, &p[1..]).kind, "board");
        let riscv = [
            ("r1", "riscv", "defconfig", "gcc"),
            ("r2", "riscv", "defconfig", "gcc"),
        ];
        assert_eq!(classify(&riscv, &p).kind, "arch");
        let mixed = [
            ("a", "arm64", "defconfig", "gcc"),
            ("c", "x86_64", "defconfig", "gcc"),
        ];
        assert_eq!(
            classify(&mixed, &[("d", "arm64", "defconfig", "gcc")]).kind,
            "partial"
        );
    }
}
