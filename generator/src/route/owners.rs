//! Which kernel files a test exercises, for failures whose logs name none.
//!
//! Two conventions are the kernel's own: a kselftest `kselftest.<dir>.…` is the test program
//! in `tools/testing/selftests/<dir>/` (the deepest such folder the kernel tree has, given
//! one), and a KUnit test `kunit.<suite>.…` lives in the file that defines `<suite>` (with
//! `--kernel-source`). Everything else (LTP, xfstests, a lab's own suites) is the site's
//! knowledge, in `test-owners.toml` beside the other maintainer content:
//!
//! ```toml
//! [[owner]]
//! test = "ltp.syscalls.fanotify*"       # a glob over test paths, or a list of them
//! files = ["fs/notify/fanotify/"]      # kernel paths, routed through MAINTAINERS
//!
//! [[owner]]
//! test = ["ltp.syscalls.setsockopt10"]
//! section = "NETWORKING [TLS]"         # or a MAINTAINERS section, by name
//! ```
//!
//! Every rule that matches applies. A bad file or rule is one diagnostic naming its line;
//! the other rules still apply.

use std::path::Path;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use super::source::SourceTree;
use crate::diag::{Diagnostic, Location, RejectReason};

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    test: OneOrMany,
    #[serde(default)]
    files: Vec<String>,
    section: Option<String>,
}

/// The file: rules are read one by one, so a bad one is refused alone.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnersFile {
    #[serde(default)]
    owner: Vec<toml::Spanned<toml::Value>>,
}

/// One rule of `test-owners.toml`.
#[derive(Debug)]
pub struct Rule {
    tests: GlobSet,
    /// The globs as written, for the page.
    pub test_text: String,
    pub files: Vec<String>,
    pub section: Option<String>,
    /// Its `[[owner]]` line.
    pub line: usize,
}

/// The site's `test-owners.toml`.
#[derive(Debug, Default)]
pub struct TestOwners {
    /// Its path, for diagnostics.
    pub file: String,
    /// Its name, for pages (a site's pages never show where its content folder sits).
    pub name: String,
    pub rules: Vec<Rule>,
    pub diagnostics: Vec<Diagnostic>,
}

/// 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl TestOwners {
    /// Reads `path`; problems are diagnostics, good rules are kept.
    pub fn load(path: &Path) -> TestOwners {
        let file = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => TestOwners::parse(&file, &text),
            Err(e) => TestOwners {
                diagnostics: vec![diag(
                    &file,
                    Location::File,
                    RejectReason::Unreadable,
                    format!("cannot read: {e}"),
                )],
                file,
                ..Default::default()
            },
        }
    }

    pub fn parse(file: &str, text: &str) -> TestOwners {
        let mut out = TestOwners {
            file: file.to_string(),
            name: std::path::Path::new(file)
                .file_name()
                .map_or_else(|| file.to_string(), |n| n.to_string_lossy().into_owned()),
            ..Default::default()
        };
        let parsed: OwnersFile = match toml::from_str(text) {
            Ok(p) => p,
            Err(e) => {
                let at = e.span().map_or(Location::File, |s| {
                    Location::LineCol(line_of(text, s.start), 1)
                });
                let msg = e.message().trim().to_string();
                out.diagnostics
                    .push(diag(file, at, RejectReason::Malformed, msg));
                return out;
            }
        };
        for spanned in parsed.owner {
            let line = line_of(text, spanned.span().start);
            let at = Location::LineCol(line, 1);
            let spec = match RuleSpec::deserialize(spanned.into_inner()) {
                Ok(s) => s,
                Err(e) => {
                    let msg = e.message().trim().to_string();
                    out.diagnostics
                        .push(diag(file, at, RejectReason::Malformed, msg));
                    continue;
                }
            };
            let globs = match spec.test {
                OneOrMany::One(g) => vec![g],
                OneOrMany::Many(v) => v,
            };
            if spec.files.is_empty() == spec.section.is_none() {
                out.diagnostics.push(diag(
                    file,
                    at,
                    RejectReason::Malformed,
                    "an [[owner]] rule needs `files` or `section` (one of them)".into(),
                ));
                continue;
            }
            if globs.is_empty() {
                out.diagnostics.push(diag(
                    file,
                    at,
                    RejectReason::Malformed,
                    "an [[owner]] rule needs at least one `test` glob".into(),
                ));
                continue;
            }
            let mut set = GlobSetBuilder::new();
            let mut bad = None;
            for g in &globs {
                match GlobBuilder::new(g).literal_separator(false).build() {
                    Ok(g) => {
                        set.add(g);
                    }
                    Err(e) => bad = Some(format!("bad test glob {g:?}: {e}")),
                }
            }
            if let Some(b) = bad.or_else(|| {
                spec.files
                    .iter()
                    .find(|f| f.starts_with('/') || f.split('/').any(|c| c == ".."))
                    .map(|f| format!("file {f:?} is not a path inside the kernel tree"))
            }) {
                out.diagnostics
                    .push(diag(file, at, RejectReason::Malformed, b));
                continue;
            }
            let Ok(tests) = set.build() else { continue };
            out.rules.push(Rule {
                tests,
                test_text: globs.join(", "),
                files: spec
                    .files
                    .iter()
                    .map(|f| f.trim_start_matches("./").to_string())
                    .collect(),
                section: spec.section,
                line,
            });
        }
        out
    }

    /// The rules matching `test`, in file order.
    pub fn rules_for<'a>(&'a self, test: &'a str) -> impl Iterator<Item = &'a Rule> + 'a {
        self.rules.iter().filter(move |r| r.tests.is_match(test))
    }
}

fn diag(file: &str, at: Location, reason: RejectReason, message: String) -> Diagnostic {
    let mut d = Diagnostic::new(file, at, reason, message);
    d.records = 0;
    d
}

/// The kselftest folder of a `kselftest.<dir>[.<subdir>…]` path: the deepest folder the tree
/// has, or `<dir>` without a tree.
pub fn kselftest_dir(test: &str, tree: Option<&SourceTree>) -> Option<String> {
    let rest = test.strip_prefix("kselftest.")?;
    let parts: Vec<&str> = rest.split('.').collect();
    let ok = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    if !ok(parts[0]) {
        return None;
    }
    let dir = |n: usize| format!("tools/testing/selftests/{}/", parts[..n].join("/"));
    match tree {
        Some(t) => (1..=parts.len())
            .rev()
            .filter(|&n| parts[..n].iter().all(|p| ok(p)))
            .map(dir)
            .find(|d| t.is_dir(d)),
        None => Some(dir(1)),
    }
}

/// The file defining the KUnit suite of a `kunit.…` path (any component may be the suite:
/// `kunit.<suite>.<case>`, or with a CI's prefix `kunit.exec.<suite>.<case>`).
pub fn kunit_file<'t>(test: &str, tree: &'t SourceTree) -> Option<(&'t str, String)> {
    let rest = test.strip_prefix("kunit.")?;
    rest.split('.')
        .find_map(|suite| tree.kunit_file(suite).map(|f| (f, suite.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_and_their_problems() {
        let text = "[[owner]]\ntest = \"ltp.syscalls.fanotify*\"\nfiles = [\"fs/notify/fanotify/\"]\n\n\
[[owner]]\ntest = [\"ltp.syscalls.setsockopt10\", \"ltp.x\"]\nsection = \"NETWORKING [TLS]\"\n\n\
[[owner]]\ntest = \"ltp.y\"\n\n\
[[owner]]\ntest = \"ltp.[z\"\nfiles = [\"a/\"]\n\n\
[[owner]]\ntest = \"ltp.w\"\nfiles = [\"../etc/passwd\"]\n";
        let o = TestOwners::parse("test-owners.toml", text);
        assert_eq!(o.rules.len(), 2);
        let d: Vec<String> = o.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(d.len(), 3, "{d:?}");
        assert!(d[0].starts_with("test-owners.toml: line 9, column 1: an [[owner]] rule needs"));
        assert!(d[1].contains("line 12") && d[1].contains("bad test glob"));
        assert!(d[2].contains("line 16") && d[2].contains("not a path inside"));
        let hit: Vec<usize> = o
            .rules_for("ltp.syscalls.fanotify22")
            .map(|r| r.line)
            .collect();
        assert_eq!(hit, [1]);
        assert_eq!(
            o.rules_for("ltp.x").next().unwrap().section.as_deref(),
            Some("NETWORKING [TLS]")
        );
        let bad = TestOwners::parse(
            "t.toml",
            "[[owner]]\ntest = \"a\"\nfiles = [\"x\"]\nbogus = 1\n",
        );
        assert!(bad.rules.is_empty());
        assert!(
            bad.diagnostics[0].to_string().contains("bogus"),
            "{:?}",
            bad.diagnostics
        );
    }

    #[test]
    fn kselftest_folders() {
        assert_eq!(
            kselftest_dir("kselftest.net.tls", None).as_deref(),
            Some("tools/testing/selftests/net/")
        );
        assert_eq!(kselftest_dir("kselftest.", None), None);
        assert_eq!(kselftest_dir("ltp.x", None), None);
    }
}
