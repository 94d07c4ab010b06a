//! Bad input never stops a run: each bad file gets one clear diagnostic naming the file, the
//! place and the reason; the rest is processed; `--strict` turns rejections into a failure;
//! and every record is either in the model or counted as rejected.

use std::path::PathBuf;
use std::process::Command;

use regtrack::ingest::{self, LoadOptions};

fn fixtures() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/bad-input"
    ))
}

#[test]
fn each_bad_file_gets_one_clear_diagnostic_and_the_rest_is_processed() {
    let ds = ingest::load(&[fixtures()], None);
    let lines: Vec<String> = ds.diagnostics.iter().map(|d| d.to_string()).collect();
    let expect = [
        ("bad-utf8.json", "not valid UTF-8 at line 2, column 19"),
        ("cut.json.gz", "truncated or corrupt gzip"),
        (
            "malformed.json",
            "line 1, column 51: not a KCIDB JSON document",
        ),
        ("truncated.json", "(truncated file?)"),
        ("version3.json", "schema version 3.0 is not supported"),
        (
            "mixed.json",
            "tests[0] (id \"b:m1\"): unknown status value \"PASSED\"",
        ),
        (
            "mixed.json",
            "tests[1] (id \"b:m2\"): start_time \"yesterday\"",
        ),
        ("mixed.json", "tests[2]: invalid type"),
        (
            "zz-clash.json",
            "tests[0]: id seen before with a different status",
        ),
    ];
    for (file, text) in expect {
        assert_eq!(
            lines
                .iter()
                .filter(|l| l.contains(file) && l.contains(text))
                .count(),
            1,
            "want one diagnostic for {file} saying {text:?}; got:\n{}",
            lines.join("\n")
        );
    }
    assert_eq!(lines.len(), expect.len(), "{}", lines.join("\n"));
    // The good records landed: 5 from good.json, b:m4 from mixed.json.
    assert_eq!(ds.test_count(), 6);
    assert_eq!(
        ds.test_status("b:t0"),
        Some(regtrack::model::Status::Pass),
        "first sighting kept"
    );
    assert_eq!(ds.summary.files, 8);
    assert_eq!(ds.summary.files_rejected, 5);
    assert_eq!(
        ds.summary.files_skipped, 0,
        "README.md is not even looked at"
    );
    assert_eq!(ds.summary.conflicts, 1);
}

#[test]
fn every_record_is_accepted_or_counted_as_rejected() {
    let mut roots = vec![fixtures()];
    if let Some(corpus) = crate::support::corpus_dir() {
        roots.push(corpus.join("kcidb-submissions"));
        roots.push(corpus.join("kcidb-doc-examples"));
    }
    let ds = ingest::load(&roots, None);
    let s = &ds.summary;
    let seen: usize = s.seen.values().sum();
    let accepted: usize = s.accepted.values().sum();
    let rejected: usize = s.rejected.values().sum();
    assert!(seen > 0);
    assert_eq!(seen, accepted + rejected, "{s:#?}");
}

#[test]
fn a_file_over_the_size_limit_is_refused_alone() {
    let ds = ingest::load_with(&LoadOptions {
        max_file_bytes: 1000,
        ..LoadOptions::new(&[fixtures()], None)
    });
    let big: Vec<String> = ds
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .filter(|l| l.contains("larger than 1000 bytes"))
        .collect();
    assert_eq!(big.len(), 1, "good.json (1.4 kB) is refused: {big:?}");
    assert!(big[0].contains("good.json"));
    assert_eq!(
        ds.test_count(),
        2,
        "b:m4 and the clash file's b:t0 still land"
    );
}

#[test]
fn strict_fails_check_and_build_but_the_site_is_written() {
    let bin = crate::support::regtrack_bin();
    let ok = Command::new(&bin)
        .args(["check", "--results"])
        .arg(fixtures())
        .output()
        .unwrap();
    assert!(ok.status.success());
    let stderr = String::from_utf8_lossy(&ok.stderr);
    assert!(
        stderr.contains("rejected: ") && stderr.contains("unknown-status"),
        "{stderr}"
    );
    let strict = Command::new(&bin)
        .args(["check", "--strict", "--results"])
        .arg(fixtures())
        .output()
        .unwrap();
    assert!(!strict.status.success());
    assert!(String::from_utf8_lossy(&strict.stderr).contains("--strict"));
    let site = crate::support::scratch("strict_site");
    let built = Command::new(&bin)
        .args(["build", "--strict", "--results"])
        .arg(fixtures())
        .arg("--out")
        .arg(&site)
        .output()
        .unwrap();
    assert!(!built.status.success());
    assert!(
        site.join("index.html").is_file(),
        "the site is written anyway"
    );
}
