//! Shared helpers for the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The shared real-data corpus: `$REGTRACK_CORPUS`, else `../shared/corpus` beside the repo.
/// Missing corpus: a failure under CI (`CI=true`), a loud skip elsewhere.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("REGTRACK_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus"))
        });
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "the conformance corpus is missing at {} (set REGTRACK_CORPUS)",
            dir.display()
        );
    }
    eprintln!(
        "SKIPPED: conformance corpus not found at {} (set REGTRACK_CORPUS); this fails under CI=true",
        dir.display()
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
