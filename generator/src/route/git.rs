//! The kernel's history, read from a local clone through the `git` command line: resolving
//! the commits CI tested, intersecting windows, listing a window's commits with the files
//! they touch.
//!
//! git is run as a plain program (the same one that made the clone, so every repository
//! format it wrote reads back), never with anything from test data but validated hex commit
//! names, and never so that it could reach the network: `GIT_NO_LAZY_FETCH` keeps a partial
//! clone from fetching missing objects, and only local read commands are used.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A commit of a window, with the files it touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    pub hash: String,
    pub author: String,
    pub date: String,
    pub subject: String,
    pub files: Vec<String>,
}

/// A local clone.
#[derive(Debug, Clone)]
pub struct Git {
    dir: PathBuf,
    /// True for a shallow clone (its history stops somewhere).
    pub shallow: bool,
}

/// True for what may be handed to git as a commit name: hex digits only.
pub fn is_commit_name(s: &str) -> bool {
    (4..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

impl Git {
    /// Opens the repository at `dir` (bare or not). The error says why it cannot be used.
    pub fn open(dir: &Path) -> Result<Git, String> {
        if !dir.is_dir() {
            return Err("not a folder".into());
        }
        let git = Git {
            dir: dir.to_path_buf(),
            shallow: false,
        };
        let same = |p: &str| Path::new(p).canonicalize().ok() == dir.canonicalize().ok();
        let bare = git
            .run(&["rev-parse", "--is-bare-repository"], None)
            .map_err(|e| format!("not a git repository ({e})"))?
            == "true";
        // `dir` must be the repository itself, not a folder that happens to be inside one.
        let top = if bare {
            git.run(&["rev-parse", "--absolute-git-dir"], None)?
        } else {
            git.run(&["rev-parse", "--show-toplevel"], None)?
        };
        if !same(&top) {
            return Err(format!(
                "not a git repository (it is a folder inside the repository at {top})"
            ));
        }
        let shallow = git.run(&["rev-parse", "--is-shallow-repository"], None)? == "true";
        Ok(Git { shallow, ..git })
    }

    fn command(&self) -> Command {
        let mut c = Command::new("git");
        c.arg("-C")
            .arg(&self.dir)
            .args(["-c", "core.quotepath=off", "--no-pager"])
            .env("GIT_NO_LAZY_FETCH", "1")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_OPTIONAL_LOCKS", "0")
            .env("LC_ALL", "C")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }

    /// Runs `git args…` (with `input` on stdin); its trimmed output, or its error.
    fn run(&self, args: &[&str], input: Option<&str>) -> Result<String, String> {
        let mut c = self.command();
        c.args(args);
        if input.is_some() {
            c.stdin(Stdio::piped());
        }
        let mut child = c.spawn().map_err(|e| format!("cannot run git: {e}"))?;
        if let Some(text) = input {
            let mut stdin = child.stdin.take().ok_or("git has no stdin")?;
            // git answers line by line: write from a thread so a large answer cannot block.
            let text = text.to_string();
            let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
            let out = child.wait_with_output().map_err(|e| e.to_string())?;
            let _ = writer.join();
            return finish(args, out);
        }
        finish(args, child.wait_with_output().map_err(|e| e.to_string())?)
    }

    /// The full hash of each name that is a commit in the clone (`None`: missing or
    /// ambiguous). One git process for all of them.
    pub fn resolve(&self, names: &[String]) -> BTreeMap<String, Option<String>> {
        let names: Vec<&String> = names.iter().filter(|n| is_commit_name(n)).collect();
        let mut out: BTreeMap<String, Option<String>> = BTreeMap::new();
        if names.is_empty() {
            return out;
        }
        let input: String = names.iter().map(|n| format!("{n}^{{commit}}\n")).collect();
        let answer = self
            .run(
                &["cat-file", "--batch-check=%(objectname) %(objecttype)"],
                Some(&input),
            )
            .unwrap_or_default();
        let mut lines = answer.lines();
        for n in names {
            let line = lines.next().unwrap_or("");
            let mut f = line.split(' ');
            let hash = f.next().unwrap_or("");
            let found = f.next() == Some("commit") && hash.len() >= 40;
            out.insert(n.clone(), found.then(|| hash.to_string()));
        }
        out
    }

    /// The best common ancestors of `commits` (full hashes).
    pub fn merge_bases(&self, commits: &[String]) -> Result<Vec<String>, String> {
        let mut args = vec!["merge-base", "--octopus", "--all"];
        args.extend(commits.iter().map(String::as_str));
        Ok(self.run(&args, None)?.lines().map(String::from).collect())
    }

    /// The commits of `commits` not reachable from another of them.
    pub fn independent(&self, commits: &[String]) -> Result<Vec<String>, String> {
        let mut args = vec!["merge-base", "--independent"];
        args.extend(commits.iter().map(String::as_str));
        let mut v: Vec<String> = self.run(&args, None)?.lines().map(String::from).collect();
        v.sort();
        Ok(v)
    }

    /// The non-merge commits reachable from `tips` and from none of `bases`, newest first,
    /// with the files each touches.
    pub fn log(&self, tips: &[String], bases: &[String]) -> Result<Vec<CommitInfo>, String> {
        let mut args: Vec<String> = [
            "log",
            "--no-merges",
            "--no-color",
            "--no-renames",
            "--date=short",
            "--format=%x1e%H%x1f%an <%ae>%x1f%ad%x1f%s",
            "--name-only",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(tips.iter().cloned());
        args.extend(bases.iter().map(|b| format!("^{b}")));
        args.push("--".into());
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let text = self.run(&argv, None)?;
        Ok(text
            .split('\x1e')
            .filter(|r| !r.trim().is_empty())
            .filter_map(|record| {
                let (head, files) = record.split_once('\n').unwrap_or((record, ""));
                let mut f = head.split('\x1f');
                Some(CommitInfo {
                    hash: f.next()?.to_string(),
                    author: f.next()?.to_string(),
                    date: f.next()?.to_string(),
                    subject: f.next().unwrap_or("").to_string(),
                    files: files
                        .lines()
                        .filter(|l| !l.is_empty())
                        .map(String::from)
                        .collect(),
                })
            })
            .collect())
    }
}

fn finish(args: &[&str], out: std::process::Output) -> Result<String, String> {
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim();
        Err(format!(
            "`git {}` failed: {first}",
            args.first().unwrap_or(&"")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hex_reaches_git() {
        assert!(is_commit_name("0123abcd"));
        assert!(!is_commit_name("--output=/tmp/x"));
        assert!(!is_commit_name("HEAD"));
        assert!(!is_commit_name("abc"));
        assert!(!is_commit_name(&"a".repeat(65)));
    }
}
