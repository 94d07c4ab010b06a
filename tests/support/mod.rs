//! Helpers shared by the integration and browser tests: where the shared real data is,
//! scratch folders, the binary under test, and small oracles several tests compare with.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;

/// A folder of `../shared/` beside the repository (`$<var>` overrides it). Missing: a failure
/// under CI (`CI=true`, where the data is always there), a loud skip elsewhere.
fn shared_dir(var: &str, default: &str, what: &str) -> Option<PathBuf> {
    let dir = std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(default)
    });
    if dir.is_dir() {
        return Some(dir);
    }
    let msg = format!("{what} not found at {} (set {var})", dir.display());
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{msg}: under CI=true this is a failure");
    }
    // Straight to the stderr handle: libtest captures `eprintln!`, and this must be seen.
    let _ = writeln!(
        std::io::stderr(),
        "!!!!!!!! {msg}; SKIPPING (this fails under CI=true) !!!!!!!!"
    );
    None
}

/// Files written by others (`../shared/corpus`, `$REGTRACK_CORPUS`): KCIDB submissions and
/// schemas, KUnit fixtures, syzkaller logs, xfstests JUnit, LAVA logs, kirk, TuxRun.
pub fn corpus_dir() -> Option<PathBuf> {
    shared_dir("REGTRACK_CORPUS", "shared/corpus", "the conformance corpus")
}

/// Real CI history (`../shared/realdata`, `$REGTRACK_REALDATA`): CIP's five years in KCIDB,
/// its health checks, LKFT's known issues.
pub fn realdata_dir() -> Option<PathBuf> {
    shared_dir(
        "REGTRACK_REALDATA",
        "shared/realdata",
        "the real CI history",
    )
}

/// An unpacked kernel tree (Debian's `linux-source-6.12`, whose MAINTAINERS is the corpus'
/// one): `$REGTRACK_KERNEL_SOURCE`, else `target/kernel-src/linux-source-6.12` where
/// `tests/run.sh` unpacks it. Missing: a failure under CI, a loud skip elsewhere.
pub fn kernel_source_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("REGTRACK_KERNEL_SOURCE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/kernel-src/linux-source-6.12")
        });
    if dir.join("MAINTAINERS").is_file() {
        return Some(dir);
    }
    let msg = format!(
        "the kernel tree not found at {} (set REGTRACK_KERNEL_SOURCE; tests/run.sh unpacks it)",
        dir.display()
    );
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{msg}: under CI=true this is a failure");
    }
    let _ = writeln!(
        std::io::stderr(),
        "!!!!!!!! {msg}; SKIPPING (this fails under CI=true) !!!!!!!!"
    );
    None
}

/// A fresh, empty scratch folder under the target dir, named for the test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The regtrack binary built for this test run.
pub fn regtrack_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_regtrack"))
}

/// Runs the regtrack binary with `args` then `paths`; fails the test, with its stderr, unless
/// it succeeds.
pub fn run_regtrack(args: &[&str], paths: &[&std::path::Path]) -> std::process::Output {
    let mut cmd = std::process::Command::new(regtrack_bin());
    cmd.args(args);
    for p in paths {
        cmd.arg(p);
    }
    succeeds(cmd)
}

/// Runs a prepared command; fails the test, with the command and its stderr, unless it
/// succeeds.
pub fn succeeds(mut cmd: std::process::Command) -> std::process::Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The demo's results, content and site, generated into a scratch folder named `name`.
pub fn demo(name: &str) -> PathBuf {
    let dir = scratch(name);
    run_regtrack(&["demo", "--out"], &[&dir]);
    dir
}

/// Every file under `root`, by relative path, with its bytes.
pub fn files_under(root: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap().display().to_string();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Oracle: a test's suite, its parent at most two components deep (written here from the
/// README's definition, not taken from the product, so the tests compare two readings).
pub fn suite(test: &str) -> &str {
    let dots: Vec<usize> = test.match_indices('.').map(|(i, _)| i).collect();
    match dots.len() {
        0 => test,
        1 => &test[..dots[0]],
        _ => &test[..dots[1]],
    }
}
