//! Results in other formats go through the same pipeline as KCIDB once given their context:
//! xfstests JUnit, a kselftest run inside a console log, kirk and TuxRun files are read from a
//! results folder with `regtrack-context.toml` sidecars, missing context is a clear error that
//! does not stop the rest, and one test reported by KCIDB and by KTAP lands in one series.

use std::path::Path;

use regtrack::ingest::{self, LoadOptions};
use regtrack::series::build_series;

const CONTEXT: &str = r#"
tree_name = "mainline"
repository_url = "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git"
branch = "master"
commit = "1234567890123456789012345678901234567890"
describe = "v7.0-rc1"
start_time = "2026-11-20T08:00:00Z"
arch = "x86_64"
config = "defconfig"
compiler = "gcc-14"
platform = "qemu-x86_64"
lab = "lab-local"
"#;

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to).unwrap();
}

#[test]
fn other_formats_land_with_their_context() {
    let Some(corpus) = crate::support::corpus_dir() else {
        return;
    };
    let dir = crate::support::scratch("other_formats");
    let with = dir.join("with-context");
    std::fs::create_dir_all(&with).unwrap();
    std::fs::write(with.join("regtrack-context.toml"), CONTEXT).unwrap();
    let xunit = std::fs::read_dir(corpus.join("xfstests-xunit"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "xml"))
        .unwrap();
    copy(&xunit, &with.join("xfstests/result.xml"));
    copy(
        &corpus.join("ltp-kirk/results.json"),
        &with.join("ltp/results.json"),
    );
    // The same xfstests report with no context: refused alone, with the fix in the message.
    copy(&xunit, &dir.join("orphan/result.xml"));

    let ds = ingest::load(std::slice::from_ref(&dir), None);
    let s = &ds.summary;
    assert_eq!(s.formats.get("junit"), Some(&2), "{s:#?}");
    assert_eq!(s.formats.get("kirk"), Some(&1), "{s:#?}");
    assert_eq!(ds.test_count(), 933 + 13, "{:#?}", ds.diagnostics);
    let orphan: Vec<String> = ds
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .filter(|d| d.contains("orphan"))
        .collect();
    assert_eq!(orphan.len(), 1, "{orphan:?}");
    assert!(orphan[0].contains("no context for") && orphan[0].contains("regtrack-context.toml"));
    assert_eq!(s.rejected.get("no-context"), Some(&933));
    let seen: usize = s.seen.values().sum();
    let accepted: usize = s.accepted.values().sum();
    let rejected: usize = s.rejected.values().sum();
    assert_eq!(
        seen,
        accepted + rejected,
        "every record lands or is counted"
    );

    // --context flags fill what sidecars do not say.
    let mut opts = LoadOptions::new(&[dir.join("orphan")], None);
    opts.context = regtrack::ingest::run_context::RunContext::from_flags(
        &CONTEXT
            .lines()
            .filter_map(|l| l.split_once(" = "))
            .map(|(k, v)| format!("{k}={}", v.trim_matches('"')))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    assert_eq!(ingest::load_with(&opts).test_count(), 933);
}

#[test]
fn one_test_in_two_formats_is_one_series() {
    let Some(corpus) = crate::support::corpus_dir() else {
        return;
    };
    let dir = crate::support::scratch("two_formats");
    // KTAP: the kselftest run inside a LAVA console log, with its context.
    let console = corpus.join("logspec/test_kselftest_001.log");
    copy(&console, &dir.join("lava/kselftest.log"));
    std::fs::write(dir.join("lava/regtrack-context.toml"), CONTEXT).unwrap();
    // KCIDB: another CI system reports the same test on the same commit, build and board.
    let kcidb = serde_json::json!({
        "version": {"major": 5, "minor": 3},
        "checkouts": [{"id": "ci:c", "origin": "ci", "tree_name": "mainline",
            "git_repository_url": "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git",
            "git_repository_branch": "master",
            "git_commit_hash": "1234567890123456789012345678901234567890",
            "start_time": "2026-11-20T08:00:00Z"}],
        "builds": [{"id": "ci:b", "checkout_id": "ci:c", "origin": "ci", "architecture": "x86_64",
            "config_name": "defconfig", "compiler": "gcc-14", "status": "PASS"}],
        "tests": [{"id": "ci:t", "build_id": "ci:b", "origin": "ci",
            "path": "kselftest.exec.execveat", "status": "FAIL",
            "start_time": "2026-11-20T09:00:00Z",
            "environment": {"misc": {"platform": "qemu-x86_64"}}}]
    });
    std::fs::write(dir.join("kcidb.json"), kcidb.to_string()).unwrap();
    let ds = ingest::load(&[dir], None);
    assert_eq!(
        ds.summary.formats.get("ktap"),
        Some(&1),
        "{:#?}",
        ds.summary
    );
    let (series, _) = build_series(&ds);
    let execveat: Vec<_> = series
        .iter()
        .filter(|s| &*s.key.test == "kselftest.exec.execveat")
        .collect();
    assert_eq!(execveat.len(), 1, "{execveat:#?}");
    assert_eq!(execveat[0].runs.len(), 2, "one run from each CI system");
}
