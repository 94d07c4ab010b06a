//! Conformance of crash-title extraction against real console logs in `shared/corpus`:
//! syzkaller's own parser test data (expected titles), LAVA's and SQUAD's kernel-message
//! fixtures and KCIDB log excerpts (expected crash / no crash); and against this repo's own
//! cases in `tests/fixtures/crash` (every crash expected, in syzkaller's file format).

use regtrack::crash::{extract, extract_all, normalise};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Measured: 51/51 titles match syzkaller's. The goal was 90%; lower this only deliberately.
const MIN_TITLE_RATIO: f64 = 1.0;

fn read(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Splits a syzkaller-format test file at its first blank line into the `KEY: value` header
/// (`#` comments) and the body. A file that starts with a blank line has no header.
fn split_header(text: &str) -> (&str, &str) {
    match text.strip_prefix('\n') {
        Some(body) => ("", body),
        None => text.split_once("\n\n").unwrap_or((text, "")),
    }
}

/// A syzkaller test file: header, a blank line, the console log, and optionally a blank
/// line + `REPORT:` + the expected report text.
struct SyzCase {
    name: String,
    title: Option<String>,
    log: String,
}

fn parse_syz(name: &str, text: &str) -> SyzCase {
    let text = text.replace('\r', "");
    let (header, body) = split_header(&text);
    let title = header
        .lines()
        .find_map(|l| l.strip_prefix("TITLE: "))
        .map(str::to_string);
    let log = match body.rfind("\n\nREPORT:\n") {
        Some(i) => &body[..i + 1],
        None => body.strip_prefix("REPORT:\n").map_or(body, |_| ""),
    };
    SyzCase {
        name: name.to_string(),
        title,
        log: log.to_string(),
    }
}

fn syz_cases(corpus: &Path) -> Vec<SyzCase> {
    let dir = corpus.join("syzkaller-report");
    let mut cases: Vec<SyzCase> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())
        })
        .map(|e| parse_syz(&e.file_name().to_string_lossy(), &read(&e.path())))
        .collect();
    cases.sort_by_key(|c| c.name.parse::<u32>().unwrap_or(u32::MAX));
    cases
}

#[test]
fn syzkaller_reports() {
    let Some(corpus) = crate::support::corpus_dir() else {
        return;
    };
    let cases = syz_cases(&corpus);
    assert!(
        cases.len() >= 50,
        "expected the 51 syzkaller files, found {}",
        cases.len()
    );
    let mut wrong_presence = Vec::new();
    let mut mismatches = Vec::new();
    let mut matched = 0;
    for case in &cases {
        let got = extract(&case.log);
        match (&case.title, &got) {
            (None, None) => matched += 1,
            (Some(want), Some(crash)) => {
                if normalise(want) == crash.title {
                    matched += 1;
                } else {
                    mismatches.push(format!(
                        "  {}: want {:?}\n  {}  got  {:?}",
                        case.name,
                        normalise(want),
                        " ".repeat(case.name.len()),
                        crash.title
                    ));
                }
            }
            _ => wrong_presence.push(format!(
                "  {}: want {:?}, got {:?}",
                case.name, case.title, got
            )),
        }
    }
    let ratio = matched as f64 / cases.len() as f64;
    // Not captured by libtest, so the figure shows in every test run.
    let _ = writeln!(
        std::io::stderr(),
        "syzkaller titles: {matched}/{} match ({:.1}%)",
        cases.len(),
        ratio * 100.0
    );
    if !mismatches.is_empty() {
        println!("title mismatches:\n{}", mismatches.join("\n"));
    }
    assert!(
        wrong_presence.is_empty(),
        "crash-vs-clean wrong:\n{}",
        wrong_presence.join("\n")
    );
    assert!(
        ratio >= MIN_TITLE_RATIO,
        "title match ratio {ratio:.3} < {MIN_TITLE_RATIO}"
    );
}

#[test]
fn titles_are_normalised_and_stable() {
    let Some(corpus) = crate::support::corpus_dir() else {
        return;
    };
    for case in syz_cases(&corpus) {
        if let Some(crash) = extract(&case.log) {
            assert_eq!(normalise(&crash.title), crash.title, "{}", case.name);
            assert!(crash.title.len() <= 120, "{}", case.name);
            // The same log always gives the same answer, and extract() is extract_all()[0].
            assert_eq!(extract(&case.log).as_ref(), Some(&crash), "{}", case.name);
            assert_eq!(
                extract_all(&case.log).first(),
                Some(&crash),
                "{}",
                case.name
            );
        }
    }
}

#[test]
fn truncated_logs_never_panic() {
    let Some(corpus) = crate::support::corpus_dir() else {
        return;
    };
    for case in syz_cases(&corpus) {
        let log = &case.log;
        for k in 1..=16 {
            let mut cut = log.len() * k / 17;
            while !log.is_char_boundary(cut) {
                cut += 1;
            }
            for c in extract_all(&log[..cut]) {
                assert_eq!(normalise(&c.title), c.title, "{} cut at {cut}", case.name);
            }
        }
    }
}

/// What a fixture's header states about its log: every crash [`extract_all`] finds, in order,
/// as `TITLE:`, `KIND:` and `LINE:` lines (no lines: a clean log).
fn result_header(log: &str) -> Vec<String> {
    extract_all(log)
        .iter()
        .flat_map(|c| {
            [
                format!("TITLE: {}", c.title),
                format!("KIND: {}", c.kind),
                format!("LINE: {}", c.line),
            ]
        })
        .collect()
}

/// Every `tests/fixtures/crash/*.log` gives the crashes its header states. With
/// `REGTRACK_UPDATE_FIXTURES=1` the headers are rewritten from what the code finds now
/// (`#` comments kept), so a deliberate change of titles is one run and a `git diff` to review.
#[test]
fn crash_fixtures() {
    let update = std::env::var("REGTRACK_UPDATE_FIXTURES").as_deref() == Ok("1");
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/crash"
    ));
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "log"))
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 50,
        "crash fixtures missing in {}",
        dir.display()
    );
    let mut mismatches = Vec::new();
    for path in &paths {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        // Read as is: a fixture's log must reach the extractor byte for byte.
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (header, log) = split_header(&text);
        let (comments, stated): (Vec<&str>, Vec<&str>) =
            header.lines().partition(|l| l.starts_with('#'));
        let first = extract(log);
        if first.as_ref() != extract_all(log).first() {
            mismatches.push(format!(
                "  {name}: extract() gives {first:?}, extract_all() starts with {:?}",
                extract_all(log).first()
            ));
        }
        let found = result_header(log);
        if stated == found {
            continue;
        }
        if update {
            let mut out = String::new();
            for line in comments
                .iter()
                .copied()
                .chain(found.iter().map(String::as_str))
            {
                out.push_str(line);
                out.push('\n');
            }
            out.push('\n');
            out.push_str(log);
            std::fs::write(path, out).unwrap_or_else(|e| panic!("{name}: {e}"));
            let _ = writeln!(std::io::stderr(), "crash_fixtures: updated {name}");
        } else {
            mismatches.push(format!(
                "  {name}:\n    stated: {stated:?}\n    found:  {found:?}"
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} crash fixtures disagree (REGTRACK_UPDATE_FIXTURES=1 rewrites the headers \
         from what the code finds):\n{}",
        mismatches.len(),
        paths.len(),
        mismatches.join("\n")
    );
}

fn titles(corpus: &Path, rel: &str) -> Vec<(String, &'static str)> {
    extract_all(&read(&corpus.join(rel)))
        .into_iter()
        .map(|c| (c.title, c.kind))
        .collect()
}

fn assert_has(corpus: &Path, rel: &str, title: &str, kind: &str) {
    let all = titles(corpus, rel);
    assert!(
        all.iter().any(|(t, k)| t == title && *k == kind),
        "{rel}: expected ({title:?}, {kind}) among {all:#?}"
    );
}

fn assert_clean(corpus: &Path, rel: &str) {
    let log = read(&corpus.join(rel));
    assert_eq!(extract(&log), None, "{rel} should be crash-free");
}

#[test]
fn lava_kernel_messages() {
    let Some(c) = crate::support::corpus_dir() else {
        return;
    };
    let d = "lava-kernel-messages";
    assert_clean(&c, &format!("{d}/kernel-1.txt"));
    assert_clean(&c, &format!("{d}/kernel-5.txt"));
    assert_clean(&c, &format!("{d}/kernel-login-error.txt"));
    // The KUnit test function is `kmalloc_oob_right`, but kmalloc* frames are allocator
    // frames to syzkaller (and to us), so the report is named after its caller.
    assert_has(
        &c,
        &format!("{d}/kernel-kasan.txt"),
        "KASAN: slab-out-of-bounds Write in kunit_try_run_case",
        "KASAN",
    );
    assert_has(
        &c,
        &format!("{d}/kernel-kfence.txt"),
        "KFENCE: memory corruption in __usbnet_read_cmd",
        "KFENCE",
    );
    assert_has(
        &c,
        &format!("{d}/kernel-panic.txt"),
        "kernel panic: Attempted to kill init!",
        "PANIC",
    );
    assert_has(
        &c,
        &format!("{d}/kernel-4.txt"),
        "kernel panic: Attempted to kill init!",
        "PANIC",
    );
    let first = extract(&read(&c.join(format!("{d}/kernel-4.txt")))).unwrap();
    assert_eq!(
        first.kind, "OOPS",
        "kernel-4.txt starts with a NULL dereference"
    );
    assert_has(
        &c,
        &format!("{d}/kernel-panic-and-reset-overlapped.txt"),
        "kernel panic: Fatal exception",
        "PANIC",
    );
    let bugs = titles(&c, &format!("{d}/kernel-bug.txt"));
    assert!(
        bugs.iter().all(|(_, k)| *k == "LOCKUP")
            && bugs
                .iter()
                .any(|(t, _)| t == "BUG: spinlock lockup suspected in try_to_wake_up"),
        "{bugs:#?}"
    );
    let oops = extract(&read(&c.join(format!("{d}/kernel-oops.txt")))).unwrap();
    assert_eq!(oops.kind, "KERNEL_BUG", "{oops:?}");
    let many = titles(&c, &format!("{d}/kernel-many-errors.txt"));
    assert!(many.iter().any(|(_, k)| *k == "KERNEL_BUG"), "{many:#?}");
    assert!(many.iter().any(|(_, k)| *k == "WARNING"), "{many:#?}");
    // 855 KB of real LKFT output with ~140 splats: few distinct bugs, no noise.
    let lkft = titles(&c, &format!("{d}/kernel-lkft.txt"));
    assert!(
        (2..=40).contains(&lkft.len()),
        "kernel-lkft.txt: {} distinct titles: {lkft:#?}",
        lkft.len()
    );
}

#[test]
fn squad_linux_log_parser() {
    let Some(c) = crate::support::corpus_dir() else {
        return;
    };
    let d = "squad-linux-log-parser";
    for f in [
        "kernelexceptiontrace.log",
        "kernelexceptiontrace_without_squarebraces.log",
    ] {
        assert_has(
            &c,
            &format!("{d}/{f}"),
            "WARNING in smp_call_function_many_cond",
            "WARNING",
        );
    }
    assert_has(
        &c,
        &format!("{d}/kasan.log"),
        "KASAN: slab-out-of-bounds Write in kunit_try_run_case",
        "KASAN",
    );
    assert_has(
        &c,
        &format!("{d}/kfence.log"),
        "KFENCE: memory corruption in __usbnet_read_cmd",
        "KFENCE",
    );
    assert_has(
        &c,
        &format!("{d}/kernelpanic.log"),
        "kernel panic: Attempted to kill the idle task!",
        "PANIC",
    );
    let kb = titles(&c, &format!("{d}/kernel_bug_and_invalid_opcode.log"));
    assert!(kb.iter().any(|(_, k)| *k == "KERNEL_BUG"), "{kb:#?}");
    let multi = titles(&c, &format!("{d}/multiple_issues_dmesg.log"));
    for kind in ["WARNING", "PANIC", "OOPS"] {
        assert!(
            multi.iter().any(|(_, k)| *k == kind),
            "no {kind} in {multi:#?}"
        );
    }
    let rcu = titles(&c, &format!("{d}/rcu_warning.log"));
    assert!(
        rcu.iter()
            .any(|(t, _)| t.starts_with("WARNING: suspicious RCU usage in ")),
        "{rcu:#?}"
    );
    let oops = titles(&c, &format!("{d}/oops.log"));
    assert!(
        oops.iter()
            .any(|(t, _)| t.starts_with("BUG: spinlock lockup suspected in ")),
        "{oops:#?}"
    );
}

#[test]
fn kcidb_log_excerpts() {
    let Some(c) = crate::support::corpus_dir() else {
        return;
    };
    let d = "kcidb-log-excerpts";
    // Harness noise (`WARNING: Optional imports not found`, coreboot `WARNING:`, LTP TINFO).
    for f in [
        "maestro_6877cafc2ce2c1874ed2ee88.log",
        "maestro_687a53972ce2c1874ed5f109.log",
        "maestro_687ae9722ce2c1874ed88595.log",
        "maestro_687b41af2ce2c1874eda0375.log",
        "maestro_687992922ce2c1874ed515de.log",
        "linaro_2zzwIZTRoOil6Wn3dhfzTWTrIzM_ltp-syscalls_mseal02.log",
    ] {
        assert_clean(&c, &format!("{d}/{f}"));
    }
    assert_has(
        &c,
        &format!("{d}/maestro_68753a3e34612746bbc6f42e.log"),
        "kernel panic: Attempted to kill init!",
        "PANIC",
    );
    let w = extract(&read(
        &c.join(format!("{d}/maestro_68753a3e34612746bbc6f42e.log")),
    ))
    .unwrap();
    assert_eq!(w.kind, "WARNING", "{w:?}");
    let stall = extract(&read(
        &c.join(format!("{d}/maestro_6878d65a2ce2c1874ed4248d.log")),
    ))
    .unwrap();
    assert_eq!(stall.kind, "RCU_STALL", "{stall:?}");
    assert!(!stall.title.ends_with("corrupted"), "{stall:?}");
}
