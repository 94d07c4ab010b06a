//! The run context of results that do not carry it: KTAP, JUnit, kirk and TuxRun files say which
//! tests ran and how they ended, but not on which tree, commit, build or board.
//!
//! The context comes from, weakest first: `--context key=value` flags, every
//! `regtrack-context.toml` from the results root down to the file's folder, and a
//! `<file>.context.toml` beside the file. Each later source overrides the fields it sets. The
//! result becomes ordinary KCIDB objects (one checkout, one build, one test per result), so a
//! test reported by two CI systems in two formats lands in one series.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::formats::{FormatOutput, ResultRecord};
use crate::model::{Build, Checkout, Environment, Test};

/// Name of a folder's sidecar context file.
pub const SIDECAR: &str = "regtrack-context.toml";

/// Where and what a results file tested. Field names follow the README's example.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RunContext {
    /// KCIDB origin for the generated ids (default `regtrack`).
    pub origin: Option<String>,
    pub tree_name: Option<String>,
    pub repository_url: Option<String>,
    pub branch: Option<String>,
    /// 40-hex commit hash.
    pub commit: Option<String>,
    /// `git describe` name.
    pub describe: Option<String>,
    /// When the commit was checked out (orders history), RFC 3339.
    pub start_time: Option<String>,
    pub arch: Option<String>,
    pub config: Option<String>,
    pub compiler: Option<String>,
    /// The board.
    pub platform: Option<String>,
    pub lab: Option<String>,
    /// Overrides the test-path prefix the parser would choose (`kselftest`, `kunit`, ...).
    pub suite: Option<String>,
    /// Link to the full log of this run.
    pub log_url: Option<String>,
}

macro_rules! overlay_fields {
    ($($f:ident),*) => {
        impl RunContext {
            /// Fields set in `other` replace ours.
            pub fn overlay(&mut self, other: &RunContext) {
                $( if other.$f.is_some() { self.$f = other.$f.clone(); } )*
            }

            /// Sets one field by name (for `--context key=value`).
            pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
                match key {
                    $( stringify!($f) => self.$f = Some(value.to_string()), )*
                    _ => return Err(format!(
                        "unknown context field `{key}` (known: {})",
                        [$(stringify!($f)),*].join(", ")
                    )),
                }
                Ok(())
            }
        }
    };
}

overlay_fields!(
    origin,
    tree_name,
    repository_url,
    branch,
    commit,
    describe,
    start_time,
    arch,
    config,
    compiler,
    platform,
    lab,
    suite,
    log_url
);

impl RunContext {
    /// Parses `key=value` flags.
    pub fn from_flags(flags: &[String]) -> Result<RunContext, String> {
        let mut c = RunContext::default();
        for f in flags {
            let (k, v) = f
                .split_once('=')
                .ok_or_else(|| format!("--context {f:?}: expected key=value"))?;
            c.set(k.trim(), v.trim())?;
        }
        Ok(c)
    }

    /// The fields a result needs to become part of a series, that are missing.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut m = Vec::new();
        if self.repository_url.is_none() && self.tree_name.is_none() {
            m.push("repository_url (or tree_name)");
        }
        if self.branch.is_none() {
            m.push("branch");
        }
        if self.commit.is_none() && self.describe.is_none() {
            m.push("commit (or describe)");
        }
        if self.start_time.is_none() {
            m.push("start_time");
        }
        if self.platform.is_none() {
            m.push("platform");
        }
        if self.arch.is_none() {
            m.push("arch");
        }
        m
    }
}

/// Reads sidecars, caching each folder's.
#[derive(Debug, Default)]
pub struct Resolver {
    base: RunContext,
    folders: BTreeMap<PathBuf, Result<RunContext, String>>,
}

fn read_sidecar(path: &Path) -> Result<Option<RunContext>, String> {
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read context {}: {e}", path.display()))?;
    toml::from_str(&text)
        .map(Some)
        .map_err(|e| format!("context file {}: {e}", path.display()))
}

impl Resolver {
    pub fn new(base: RunContext) -> Self {
        Resolver {
            base,
            folders: BTreeMap::new(),
        }
    }

    /// The context of `file` found under `root`; an error names the missing fields or the bad
    /// sidecar and says how to fix it.
    pub fn resolve(&mut self, root: &Path, file: &Path) -> Result<RunContext, String> {
        let mut ctx = self.base.clone();
        let mut dirs: Vec<PathBuf> = file
            .parent()
            .into_iter()
            .flat_map(Path::ancestors)
            .take_while(|d| d.starts_with(root))
            .map(Path::to_path_buf)
            .collect();
        dirs.reverse();
        for dir in dirs {
            let entry = self
                .folders
                .entry(dir.clone())
                .or_insert_with(|| read_sidecar(&dir.join(SIDECAR)).map(Option::unwrap_or_default));
            ctx.overlay(entry.as_ref().map_err(Clone::clone)?);
        }
        let mut own = file.as_os_str().to_owned();
        own.push(".context.toml");
        if let Some(c) = read_sidecar(Path::new(&own))? {
            ctx.overlay(&c);
        }
        let missing = ctx.missing();
        if !missing.is_empty() {
            return Err(format!(
                "no context for {}: add a {SIDECAR} beside it (or {}.context.toml), or pass \
                 --context key=value (see README, \"Results in other formats\")",
                missing.join(", "),
                file.file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("the file")
            ));
        }
        Ok(ctx)
    }
}

fn short_hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    h.finalize()[..10]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The KCIDB objects a parsed file stands for: one checkout, one build, one test per result.
/// Ids are hashes of what identifies them, so the same results read twice merge.
pub fn to_kcidb(ctx: &RunContext, file: &str, out: &FormatOutput) -> (Checkout, Build, Vec<Test>) {
    let origin = ctx.origin.clone().unwrap_or_else(|| "regtrack".into());
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let checkout_id = format!(
        "{origin}:c-{}",
        short_hash(&[
            &s(&ctx.repository_url),
            &s(&ctx.tree_name),
            &s(&ctx.branch),
            &s(&ctx.commit),
            &s(&ctx.describe)
        ])
    );
    let build_id = format!(
        "{origin}:b-{}",
        short_hash(&[
            &checkout_id,
            &s(&ctx.arch),
            &s(&ctx.config),
            &s(&ctx.compiler)
        ])
    );
    let checkout = Checkout {
        id: checkout_id.clone(),
        origin: Some(origin.clone()),
        tree_name: ctx.tree_name.clone(),
        git_repository_url: ctx.repository_url.clone(),
        git_repository_branch: ctx.branch.clone(),
        git_commit_hash: ctx.commit.clone(),
        git_commit_name: ctx.describe.clone(),
        start_time: ctx.start_time.clone(),
    };
    let build = Build {
        id: build_id.clone(),
        checkout_id: Some(checkout_id),
        origin: Some(origin.clone()),
        architecture: ctx.arch.clone(),
        config_name: ctx.config.clone(),
        compiler: ctx.compiler.clone(),
        start_time: ctx.start_time.clone(),
        status: Some("PASS".into()),
        valid: None,
    };
    let platform = s(&ctx.platform);
    let env_misc = serde_json::value::to_raw_value(&serde_json::json!({ "platform": platform }))
        .expect("json value");
    let misc = ctx.lab.as_ref().map(|lab| {
        serde_json::value::to_raw_value(&serde_json::json!({ "lab": lab })).expect("json value")
    });
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let tests = out
        .results
        .iter()
        .map(|r: &ResultRecord| {
            let n = seen.entry(&r.path).or_default();
            *n += 1;
            let id = format!(
                "{origin}:t-{}",
                short_hash(&[&build_id, &platform, file, &r.path, &n.to_string()])
            );
            Test {
                id,
                build_id: Some(build_id.clone()),
                origin: Some(origin.clone()),
                path: Some(r.path.clone()),
                status: Some(r.status.as_str().to_string()),
                start_time: r.start_time.clone().or_else(|| ctx.start_time.clone()),
                environment: Some(Environment {
                    compatible: None,
                    misc: Some(env_misc.clone()),
                }),
                log_url: ctx.log_url.clone(),
                log_excerpt: r.log_excerpt.clone(),
                misc: misc.clone(),
            }
        })
        .collect();
    (checkout, build, tests)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_sidecars_and_per_file_context_layer() {
        let root = std::env::temp_dir().join(format!("regtrack-ctx-{}", std::process::id()));
        let sub = root.join("lab/board");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(
            root.join(SIDECAR),
            "tree_name = \"mainline\"\nrepository_url = \"https://git.kernel.org/x.git\"\nbranch = \"master\"\narch = \"arm64\"\n",
        )
        .unwrap();
        std::fs::write(
            sub.join(SIDECAR),
            "platform = \"juno-r2\"\narch = \"arm\"\n",
        )
        .unwrap();
        std::fs::write(
            sub.join("r.xml.context.toml"),
            "commit = \"0123456789012345678901234567890123456789\"\nstart_time = \"2026-11-20T10:00:00Z\"\n",
        )
        .unwrap();
        let mut r = Resolver::new(RunContext::from_flags(&["lab=lab-x".into()]).unwrap());
        let c = r.resolve(&root, &sub.join("r.xml")).unwrap();
        assert_eq!(c.arch.as_deref(), Some("arm"), "nearer sidecar wins");
        assert_eq!(c.lab.as_deref(), Some("lab-x"));
        assert_eq!(c.platform.as_deref(), Some("juno-r2"));
        let err = r.resolve(&root, &sub.join("other.xml")).unwrap_err();
        assert!(err.contains("commit (or describe), start_time"), "{err}");
        std::fs::write(root.join("lab").join(SIDECAR), "colour = \"red\"\n").unwrap();
        let mut r = Resolver::new(RunContext::default());
        assert!(
            r.resolve(&root, &sub.join("r.xml"))
                .unwrap_err()
                .contains("colour")
        );
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn bad_flags_are_refused() {
        assert!(RunContext::from_flags(&["nope".into()]).is_err());
        assert!(
            RunContext::from_flags(&["colour=red".into()])
                .unwrap_err()
                .contains("known:")
        );
    }
}
