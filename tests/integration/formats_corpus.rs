//! Conformance of the non-KCIDB parsers against the shared real-data corpus: the kernel's own
//! KUnit parser fixtures (expectations from kunit-test-data/NOTES.md), a kselftest run inside
//! a LAVA console (logspec), a real xfstests xunit report, a real kirk results.json and TuxRun
//! results, plus `detect` on every corpus file.

use regtrack::ingest::formats::ktap::{self, Verdict};
use regtrack::ingest::formats::{self, Format, FormatOutput};
use regtrack::model::Status;
use std::path::{Path, PathBuf};

fn read(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The head `detect` is given by ingestion: the first 8 KiB.
fn head(text: &str) -> &str {
    let mut end = text.len().min(8192);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Every result is either read or counted as lost, against what the file claims.
fn assert_accounted(name: &str, out: &FormatOutput) {
    let lost: usize = out.errors.iter().map(|e| e.records).sum();
    if let Some(expected) = out.expected {
        assert_eq!(
            out.results.len() + lost,
            expected,
            "{name}: {} results + {lost} lost != {expected} claimed; errors: {:#?}",
            out.results.len(),
            out.errors
        );
    }
    for r in &out.results {
        assert!(
            r.log_excerpt
                .as_ref()
                .is_none_or(|e| e.len() <= formats::EXCERPT_MAX)
        );
        assert!(
            !r.path.is_empty() && !r.path.contains(".."),
            "{name}: path {:?}",
            r.path
        );
    }
}

fn count(out: &FormatOutput, s: Status) -> usize {
    out.results.iter().filter(|r| r.status == s).count()
}

fn find<'a>(out: &'a FormatOutput, path: &str) -> &'a formats::ResultRecord {
    out.results
        .iter()
        .find(|r| r.path == path)
        .unwrap_or_else(|| {
            let paths: Vec<_> = out.results.iter().map(|r| &r.path).collect();
            panic!("no result {path}; have {paths:?}")
        })
}

/// What kunit-test-data/NOTES.md states for one log.
struct Expect {
    file: &'static str,
    verdict: Verdict,
    /// passed, failed, skipped, crashed (kunit_tool's leaf counts), where NOTES states them.
    counts: Option<(usize, usize, usize, usize)>,
    /// Exact number of format errors, or `None` for "at least one".
    errors: Option<usize>,
}

const fn e(
    file: &'static str,
    verdict: Verdict,
    counts: Option<(usize, usize, usize, usize)>,
    errors: Option<usize>,
) -> Expect {
    Expect {
        file,
        verdict,
        counts,
        errors,
    }
}

const KUNIT: &[Expect] = &[
    e(
        "test_is_test_passed-all_passed.log",
        Verdict::Success,
        Some((10, 0, 0, 0)),
        Some(0),
    ),
    e(
        "test_is_test_passed-all_passed_nested.log",
        Verdict::Success,
        Some((7, 0, 0, 0)),
        Some(0),
    ),
    e(
        "test_is_test_passed-kselftest.log",
        Verdict::Success,
        Some((4, 0, 0, 0)),
        Some(0),
    ),
    e(
        "test_is_test_passed-failure.log",
        Verdict::Failure,
        Some((9, 1, 0, 0)),
        Some(0),
    ),
    e(
        "test_is_test_passed-failure-nested.log",
        Verdict::Failure,
        Some((1, 2, 0, 0)),
        Some(0),
    ),
    e(
        "test_skip_tests.log",
        Verdict::Success,
        Some((4, 0, 1, 0)),
        Some(0),
    ),
    e(
        "test_skip_all_tests.log",
        Verdict::Skipped,
        Some((0, 0, 5, 0)),
        Some(0),
    ),
    e(
        "test_strip_hyphen.log",
        Verdict::Success,
        Some((2, 0, 0, 0)),
        Some(0),
    ),
    e(
        "test_config_printk_time.log",
        Verdict::Success,
        Some((10, 0, 0, 0)),
        Some(0),
    ),
    e(
        "test_multiple_prefixes.log",
        Verdict::Success,
        Some((10, 0, 0, 0)),
        Some(0),
    ),
    e(
        "test_interrupted_tap_output.log",
        Verdict::Success,
        Some((10, 0, 0, 0)),
        Some(0),
    ),
    e(
        "test_pound_sign.log",
        Verdict::Success,
        Some((10, 0, 0, 0)),
        Some(0),
    ),
    e(
        "test_pound_no_prefix.log",
        Verdict::Success,
        Some((10, 0, 0, 0)),
        Some(0),
    ),
    e(
        "test_kernel_panic_interrupt.log",
        Verdict::Crashed,
        None,
        None,
    ),
    e(
        "test_is_test_passed-crash.log",
        Verdict::Crashed,
        Some((9, 0, 0, 1)),
        Some(0),
    ),
    e(
        "test_parse_attributes.log",
        Verdict::Success,
        Some((1, 0, 0, 0)),
        Some(0),
    ),
    e(
        "test_parse_subtest_header.log",
        Verdict::Success,
        Some((1, 0, 0, 0)),
        Some(0),
    ),
    e(
        "test_output_isolated_correctly.log",
        Verdict::Success,
        Some((2, 0, 0, 0)),
        Some(0),
    ),
    e(
        "test_is_test_passed-no_tests_run_no_header.log",
        Verdict::FailureToParse,
        Some((0, 0, 0, 0)),
        Some(1),
    ),
    e(
        "test_is_test_passed-no_tests_run_with_header.log",
        Verdict::NoTests,
        Some((0, 0, 0, 0)),
        Some(1),
    ),
    e(
        "test_is_test_passed-missing_plan.log",
        Verdict::Success,
        Some((10, 0, 0, 0)),
        Some(0),
    ),
    e(
        "test_is_test_passed-no_tests_no_plan.log",
        Verdict::Success,
        Some((1, 0, 0, 0)),
        Some(1),
    ),
];

fn kunit_dir() -> Option<PathBuf> {
    Some(crate::support::corpus_dir()?.join("kunit-test-data"))
}

#[test]
fn kunit_logs_match_notes() {
    let Some(dir) = kunit_dir() else { return };
    let logs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".log"))
        .collect();
    assert_eq!(logs.len(), KUNIT.len(), "every log has an expectation");
    for ex in KUNIT {
        let text = read(&dir.join(ex.file));
        let tree = ktap::parse_tree(&text);
        let c = tree.counts();
        assert_eq!(
            tree.verdict(),
            ex.verdict,
            "{}: counts {c:?}, errors {:#?}",
            ex.file,
            tree.errors
        );
        if let Some((passed, failed, skipped, crashed)) = ex.counts {
            assert_eq!(
                (c.passed, c.failed, c.skipped, c.crashed),
                (passed, failed, skipped, crashed),
                "{}: errors {:#?}",
                ex.file,
                tree.errors
            );
        }
        match ex.errors {
            Some(n) => assert_eq!(c.errors, n, "{}: {:#?}", ex.file, tree.errors),
            None => assert!(c.errors >= 1, "{}", ex.file),
        }
        let out = formats::parse(Format::Ktap, &text, None);
        assert_accounted(ex.file, &out);
        assert_eq!(out.format, "ktap");
    }
}

#[test]
fn kunit_structure_and_names() {
    let Some(dir) = kunit_dir() else { return };
    let parse = |f: &str| formats::parse(Format::Ktap, &read(&dir.join(f)), None);

    // The nested suite: sysctl_test > example > example_simple_test.
    let out = parse("test_is_test_passed-all_passed_nested.log");
    assert_eq!(
        find(&out, "kunit.sysctl_test.example.example_simple_test").status,
        Status::Pass
    );

    // kselftest style: two top-level programs, each with two inner TAP results.
    let out = parse("test_is_test_passed-kselftest.log");
    let top = "kselftest.membarrier.membarrier_test_single_thread";
    assert_eq!(find(&out, top).status, Status::Pass);
    assert_eq!(
        find(&out, &format!("{top}.sys_membarrier_available")).status,
        Status::Pass
    );
    assert_eq!(out.results.len(), 6);

    let out = parse("test_is_test_passed-failure.log");
    let case = find(&out, "kunit.example.example_simple_test");
    assert_eq!(case.status, Status::Fail);
    assert!(
        case.log_excerpt
            .as_deref()
            .unwrap()
            .contains("EXPECTATION FAILED")
    );
    assert_eq!(find(&out, "kunit.example").status, Status::Fail);

    // A parent's own `not ok` stands even when its only child passed.
    let out = parse("test_is_test_passed-failure-nested.log");
    assert_eq!(find(&out, "kunit.subtest_1").status, Status::Fail);
    assert_eq!(find(&out, "kunit.subtest_1.test_1").status, Status::Pass);
    assert_eq!(
        find(&out, "kunit.subtest_2.subsubtest_1").status,
        Status::Fail
    );

    let out = parse("test_skip_tests.log");
    assert_eq!(
        find(&out, "kunit.example.example_skip_test").status,
        Status::Skip
    );
    assert_eq!(find(&out, "kunit.example").status, Status::Pass);

    let out = parse("test_skip_all_tests.log");
    assert_eq!(count(&out, Status::Skip), 7, "5 cases and both suites");

    // ` - ` is stripped whether present or not.
    let out = parse("test_strip_hyphen.log");
    let tops: Vec<_> = out.results.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        tops,
        [
            "kunit.sysctl_test",
            "kunit.sysctl_test.sysctl_test_dointvec_null_tbl_data",
            "kunit.example",
            "kunit.example.example_simple_test"
        ]
    );

    for f in [
        "test_config_printk_time.log",
        "test_multiple_prefixes.log",
        "test_interrupted_tap_output.log",
        "test_pound_no_prefix.log",
        "test_kernel_panic_interrupt.log",
    ] {
        let out = parse(f);
        assert_eq!(out.results[0].path, "kunit.kunit-resource-test", "{f}");
    }

    // Non-KTAP lines with `#` are kept as they are, in the log of the next test.
    let out = parse("test_pound_sign.log");
    let logs: String = out
        .results
        .iter()
        .filter_map(|r| r.log_excerpt.clone())
        .collect();
    assert!(
        logs.contains(" foo bar \t#\n") || logs.contains(" foo bar \t#"),
        "{logs:?}"
    );
    assert!(logs.contains(" foo bar \t# non-kunit output"), "{logs:?}");

    // Interleaved kernel lines go to the test whose result follows them.
    let out = parse("test_interrupted_tap_output.log");
    let case = find(
        &out,
        "kunit.kunit-resource-test.kunit_resource_test_cleanup_resources",
    );
    assert!(
        case.log_excerpt
            .as_deref()
            .unwrap()
            .contains("kAFS: Red Hat AFS client")
    );

    // Panic inside the third suite: the suite is ERROR, its two unrun cases are counted lost.
    let out = parse("test_kernel_panic_interrupt.log");
    let suite = find(&out, "kunit.string-stream-test");
    assert_eq!(suite.status, Status::Error);
    assert!(
        suite
            .log_excerpt
            .as_deref()
            .unwrap()
            .contains("Kernel panic - not syncing")
    );
    assert_eq!(
        find(
            &out,
            "kunit.string-stream-test.string_stream_test_empty_on_creation"
        )
        .status,
        Status::Pass
    );
    assert_eq!(out.errors.iter().map(|e| e.records).sum::<usize>(), 2);
    assert_eq!(out.expected, Some(13));

    // The old crash fixture: the case's own `not ok` is kept.
    let out = parse("test_is_test_passed-crash.log");
    assert_eq!(
        find(&out, "kunit.example.example_simple_test").status,
        Status::Fail
    );

    // Attribute lines belong to the test whose result follows.
    let out = parse("test_parse_attributes.log");
    let suite = find(&out, "kunit.suite").log_excerpt.clone().unwrap();
    let case = find(&out, "kunit.suite.test").log_excerpt.clone().unwrap();
    assert!(suite.contains("# module: example") && !suite.contains("test.speed"));
    assert!(case.contains("# test.speed: slow") && !case.contains("module"));

    let out = parse("test_parse_subtest_header.log");
    assert_eq!(find(&out, "kunit.suite.test").status, Status::Pass);

    // Only the TAP block of a full boot log, not the WARNING splat before it.
    let out = parse("test_output_isolated_correctly.log");
    let paths: Vec<_> = out.results.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "kunit.example",
            "kunit.example.example_simple_test",
            "kunit.example.example_mock_test"
        ]
    );
    assert!(out.results.iter().all(|r| {
        !r.log_excerpt
            .clone()
            .unwrap_or_default()
            .contains("WARNING")
    }));

    let out = parse("test_is_test_passed-no_tests_run_no_header.log");
    assert!(out.results.is_empty() && out.errors.len() == 1 && out.expected.is_none());

    let out = parse("test_is_test_passed-no_tests_no_plan.log");
    assert_eq!(find(&out, "kunit.suite").status, Status::Pass);
    assert_eq!(find(&out, "kunit.suite.case").status, Status::Skip);
}

#[test]
fn logspec_kselftest_in_lava_console() {
    let Some(corpus) = crate::support::corpus_dir() else {
        return;
    };
    let path = corpus.join("logspec/test_kselftest_001.log");
    let text = read(&path);
    assert_eq!(
        formats::detect("test_kselftest_001.log", head(&text)),
        Some(Format::Ktap)
    );
    let out = formats::parse(Format::Ktap, &text, None);
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    assert_accounted("test_kselftest_001.log", &out);
    assert_eq!(out.expected, Some(40));
    assert_eq!(out.results.len(), 40);

    let top: Vec<_> = out
        .results
        .iter()
        .filter(|r| r.path.matches('.').count() == 2)
        .map(|r| (r.path.as_str(), r.status))
        .collect();
    assert_eq!(
        top,
        [
            ("kselftest.exec.execveat", Status::Fail),
            ("kselftest.exec.load_address_4096", Status::Pass),
            ("kselftest.exec.load_address_2097152", Status::Pass),
            ("kselftest.exec.load_address_16777216", Status::Pass),
            ("kselftest.exec.non-regular", Status::Pass),
            ("kselftest.exec.recursion-depth", Status::Pass),
            ("kselftest.exec.binfmt_script", Status::Pass),
        ]
    );
    let execveat = find(&out, "kselftest.exec.execveat");
    let log = execveat.log_excerpt.as_deref().unwrap();
    assert!(
        log.contains("[FAIL] (child 430 exited with 2 not 127 nor 126)"),
        "{log}"
    );
    assert!(log.contains("# exit=1"));
    assert_eq!(execveat.line, Some(2499));
    assert_eq!(
        find(&out, "kselftest.exec.non-regular.file_S_IFLNK_exec_errno").status,
        Status::Pass
    );
    // binfmt_script prints `TAP version 1.3` and one name twice.
    assert_eq!(
        out.results
            .iter()
            .filter(|r| r.path.starts_with("kselftest.exec.binfmt_script."))
            .count(),
        27
    );
    find(
        &out,
        "kselftest.exec.binfmt_script.binfmt_script_two-under-no-nl_successful_good_exec_dup2",
    );

    // The same verdicts as LAVA's own parse of this run (its TESTCASE signals).
    let lava: Vec<(&str, &str)> = text
        .lines()
        .filter_map(|l| l.strip_prefix("<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=exec_"))
        .filter_map(|l| l.strip_suffix('>')?.split_once(" RESULT="))
        .collect();
    assert_eq!(lava.len(), 40);
    let lava_fail = lava.iter().filter(|(_, r)| *r == "fail").count();
    assert_eq!((lava_fail, count(&out, Status::Fail)), (1, 1));
    assert_eq!(count(&out, Status::Pass), 39);
}

/// `key="N"` in the xfstests root element.
fn root_attr(xml: &str, key: &str) -> usize {
    let root = &xml[xml.find("<testsuite").unwrap()..];
    let root = &root[..root.find('>').unwrap()];
    let at = root.find(&format!(" {key}=\"")).unwrap() + key.len() + 3;
    root[at..at + root[at..].find('"').unwrap()]
        .parse()
        .unwrap()
}

#[test]
fn xfstests_counts_equal_root_attributes() {
    let Some(corpus) = crate::support::corpus_dir() else {
        return;
    };
    let dir = corpus.join("xfstests-xunit");
    let xml = read(&dir.join("btrfs-fstests.xml"));
    assert_eq!(
        formats::detect("btrfs-fstests.xml", head(&xml)),
        Some(Format::Junit)
    );
    assert_eq!(
        formats::detect("xunit.xsd", head(&read(&dir.join("xunit.xsd")))),
        None
    );

    let out = formats::parse(Format::Junit, &xml, None);
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    assert_accounted("btrfs-fstests.xml", &out);
    assert_eq!(out.expected, Some(root_attr(&xml, "tests")));
    assert_eq!(out.results.len(), root_attr(&xml, "tests"));
    assert_eq!(count(&out, Status::Fail), root_attr(&xml, "failures"));
    assert_eq!(count(&out, Status::Skip), root_attr(&xml, "skipped"));
    assert_eq!(count(&out, Status::Error), 0);
    assert_eq!(
        (
            out.results.len(),
            count(&out, Status::Fail),
            count(&out, Status::Skip)
        ),
        (933, 9, 248)
    );

    // FSTYP=btrfs (no SECTION) names the configuration: runs on other file systems are
    // other series.
    assert!(
        out.results
            .iter()
            .all(|r| r.path.starts_with("xfstests.btrfs."))
    );
    let first = &out.results[0];
    assert_eq!(first.path, "xfstests.btrfs.btrfs.001");
    assert_eq!(
        first.start_time.as_deref(),
        Some("2026-08-05T03:28:30+00:00")
    );
    let failed = find(&out, "xfstests.btrfs.btrfs.036");
    assert_eq!(failed.status, Status::Fail);
    assert_eq!(failed.duration, Some(17.0));
    let log = failed.log_excerpt.as_deref().unwrap();
    assert!(log.starts_with("failure: - output mismatch (see /home/david/xfstests/results//btrfs/036.out.bad) [TestFail]"), "{log}");
    assert!(log.contains("Create readonly snapshot of '/mnt/scratch'"));
    assert!(log.contains("+get_mempolicy: Function not implemented"));
    let skipped = find(&out, "xfstests.btrfs.generic.793");
    assert_eq!(skipped.status, Status::Skip);
    assert_eq!(
        skipped.log_excerpt.as_deref(),
        Some("skipped: scratch device too small, 1048576 < 16777216")
    );

    // Truncated mid-way: what was read is kept, the rest is counted lost.
    let cut = &xml[..xml.len() / 2];
    let out = formats::parse(Format::Junit, cut, None);
    assert!(!out.results.is_empty() && !out.errors.is_empty());
    assert_accounted("truncated btrfs-fstests.xml", &out);
    assert!(out.errors[0].line.is_some() && out.errors[0].column.is_some());
}

#[test]
fn kirk_stats_equal_per_test_sums() {
    let Some(corpus) = crate::support::corpus_dir() else {
        return;
    };
    let text = read(&corpus.join("ltp-kirk/results.json"));
    assert_eq!(
        formats::detect("results.json", head(&text)),
        Some(Format::Kirk)
    );
    let out = formats::parse(Format::Kirk, &text, None);
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    assert_accounted("results.json", &out);
    assert_eq!(out.results.len(), 13);
    assert_eq!(out.expected, Some(13));
    assert_eq!(find(&out, "ltp.proc01").status, Status::Fail);
    assert_eq!(count(&out, Status::Pass), 12);
    assert!(
        find(&out, "ltp.proc01")
            .log_excerpt
            .as_deref()
            .unwrap()
            .contains("TFAIL")
    );

    // Independently: the stats block equals the per-test sums.
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    for key in ["passed", "failed", "broken", "skipped", "warnings"] {
        let sum: u64 = v["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["test"][key].as_u64().unwrap())
            .sum();
        assert_eq!(v["stats"][key].as_u64().unwrap(), sum, "{key}");
    }
    let durations: f64 = out.results.iter().map(|r| r.duration.unwrap()).sum();
    assert!((durations - v["stats"]["runtime"].as_f64().unwrap()).abs() < 1e-6);

    // A stats block that does not add up is reported.
    let bad = text.replace(
        "\"failed\": 22,\n        \"broken\"",
        "\"failed\": 21,\n        \"broken\"",
    );
    assert_ne!(bad, text, "the stats block moved");
    let out = formats::parse(Format::Kirk, &bad, None);
    assert_eq!(out.errors.len(), 1);
    assert!(
        out.errors[0].message.contains("stats.failed is 21"),
        "{:?}",
        out.errors
    );
}

#[test]
fn tuxrun_results_and_lava_yaml() {
    let Some(corpus) = crate::support::corpus_dir() else {
        return;
    };
    let dir = corpus.join("tuxrun-results");
    let pass = read(&dir.join("tuxsuite_test_result_sample.json"));
    let fail = read(&dir.join("tuxsuite_test_failed_result_sample.json"));
    for (name, text) in [("pass", &pass), ("fail", &fail)] {
        assert_eq!(
            formats::detect("results.json", head(text)),
            Some(Format::Tuxrun),
            "{name}"
        );
    }

    let out = formats::parse(Format::Tuxrun, &pass, None);
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    assert_accounted("tuxsuite_test_result_sample.json", &out);
    assert_eq!(out.expected, Some(25));
    assert_eq!(
        (
            count(&out, Status::Pass),
            count(&out, Status::Fail),
            count(&out, Status::Skip)
        ),
        (22, 0, 3)
    );
    assert_eq!(find(&out, "lava.login-action").duration, Some(17.27));
    assert_eq!(find(&out, "ltp.chdir01").status, Status::Skip);

    let out = formats::parse(Format::Tuxrun, &fail, None);
    assert_accounted("tuxsuite_test_failed_result_sample.json", &out);
    assert_eq!(
        (
            count(&out, Status::Pass),
            count(&out, Status::Fail),
            count(&out, Status::Skip)
        ),
        (19, 3, 3)
    );
    let failed: Vec<_> = out
        .results
        .iter()
        .filter(|r| r.status == Status::Fail)
        .map(|r| r.path.as_str())
        .collect();
    assert_eq!(failed, ["lava.login-action", "lava.job", "ltp.access01"]);

    // LAVA job-log YAML is a log, not results: not claimed; read as results it is refused
    // with a located error, the malformed one included.
    for f in ["example-lava-log.yaml", "example-broken-log.yaml"] {
        let text = read(&dir.join(f));
        assert_eq!(formats::detect(f, head(&text)), None, "{f}");
        let out = formats::parse(Format::Tuxrun, &text, None);
        assert!(out.results.is_empty(), "{f}");
        assert_eq!(out.errors.len(), 1, "{f}");
        assert_eq!(out.errors[0].line, Some(1), "{f}: {:?}", out.errors);
    }
}

/// What `detect` must say for a corpus file (relative path), everything else `None`.
fn expected_format(rel: &str) -> Option<Format> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    match rel {
        _ if rel.starts_with("kunit-test-data/") && name.ends_with(".log") => {
            (name != "test_is_test_passed-no_tests_run_no_header.log").then_some(Format::Ktap)
        }
        "logspec/test_kselftest_001.log" => Some(Format::Ktap),
        // A kselftest log by name, and a kselftest run whose TAP starts in the head.
        _ if rel.starts_with("kcidb-log-excerpts/") && name.contains("kselftest") => {
            Some(Format::Ktap)
        }
        "kcidb-log-excerpts/maestro_6877cafc2ce2c1874ed2ee88.log" => Some(Format::Ktap),
        "xfstests-xunit/btrfs-fstests.xml" => Some(Format::Junit),
        "ltp-kirk/results.json" => Some(Format::Kirk),
        _ if rel.starts_with("tuxrun-results/") && name.ends_with(".json") => Some(Format::Tuxrun),
        _ => None,
    }
}

#[test]
fn detect_on_every_corpus_file() {
    let Some(corpus) = crate::support::corpus_dir() else {
        return;
    };
    let mut files = Vec::new();
    let mut dirs = vec![corpus.clone()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(files.len() > 150, "the corpus has its ~190 files");
    let mut kcidb = 0;
    for p in &files {
        let rel = p
            .strip_prefix(&corpus)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = read(p);
        let name = p.file_name().unwrap().to_str().unwrap();
        let got = formats::detect(name, head(&text));
        assert_eq!(got, expected_format(&rel), "{rel}");
        if rel.starts_with("kcidb-submissions/") && name.ends_with(".json") {
            kcidb += 1;
        }
        // Whatever was detected parses without surprises.
        if let Some(f) = got {
            let out = formats::parse(f, &text, None);
            assert_accounted(&rel, &out);
        }
    }
    assert_eq!(kcidb, 33, "all KCIDB submissions were looked at");
}
