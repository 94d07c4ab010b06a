//! Robustness of the non-KCIDB parsers: every parser on random bytes, on corpus files mutated
//! (truncated, bytes flipped, lines duplicated, dropped or swapped, junk inserted), on
//! hand-made hostile inputs (deep nesting, huge lines, huge numbers) and on the inputs that
//! once broke a parser (`tests/fixtures/fuzz/<parser>/`, replayed first).
//!
//! A deterministic mutation loop rather than proptest: seeded from real files it reaches deep
//! parser states quickly, needs no extra dependency, runs the same cases on every machine (a
//! failure names its case number, reproducible as is) and its run time is fixed, which keeps
//! CI bounded. Each case must return (a watchdog fails the test on a hang) and give bounded
//! output: results no more than the input's lines (for JSON and XML, its `{` or `<`: one line
//! may hold many results), excerpts within 16 KiB, unique non-empty paths, and when a file's
//! claim is met with no error reported, exactly the claimed number of results.

use regtrack::ingest::formats::{self, EXCERPT_MAX, Format, FormatOutput};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

const FORMATS: [Format; 4] = [Format::Ktap, Format::Junit, Format::Kirk, Format::Tuxrun];
/// Mutated variants per (seed file, parser); sized for a few seconds in a debug build.
/// `REGTRACK_FUZZ_MUTATIONS` and `REGTRACK_FUZZ_SEED` run a longer or different campaign.
const MUTATIONS: usize = 24;
/// Random-byte inputs per parser.
const RANDOM: usize = 200;
/// The whole run must finish within this, or a parser hangs.
const WATCHDOG: Duration = Duration::from_secs(120);

fn knob(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// SplitMix64: tiny, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn fixtures_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/fuzz"
    ))
}

fn parser_dir(f: Format) -> &'static str {
    f.name()
}

/// Corpus files used as seeds: every kind of input the parsers meet, small enough to mutate.
fn seeds() -> Vec<(String, Vec<u8>)> {
    let Some(corpus) = crate::support::corpus_dir() else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [
        "kunit-test-data",
        "tuxrun-results",
        "ltp-kirk",
        "xfstests-xunit",
    ] {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(corpus.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| !p.to_string_lossy().ends_with(".md"))
            .collect();
        entries.sort();
        files.extend(entries);
    }
    for rel in [
        "logspec/test_kselftest_001.log",
        "logspec/linux_boot_001.log",
        "kcidb-log-excerpts/maestro_6877cafc2ce2c1874ed2ee88.log",
        "kcidb-log-excerpts/linaro_3003PGQtHVA7bh8qQQICtRbLCDo_kselftest-mm_mm_run_vmtests_sh_ksm_functional_tests.log",
        "kcidb-submissions/submission-kBisBVlVMr2yv89vGamf4loeR4BPJZs1.json",
        "kcidb-doc-examples/kcidb-submitter_guide-example-2.json",
    ] {
        files.push(corpus.join(rel));
    }
    files
        .into_iter()
        .map(|p| (p.to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect()
}

fn lines_of(b: &[u8]) -> Vec<&[u8]> {
    b.split_inclusive(|&c| c == b'\n').collect()
}

/// One mutation of `seed`, described for failure messages.
fn mutate(seed: &[u8], rng: &mut Rng) -> (Vec<u8>, String) {
    let mut out = seed.to_vec();
    let what = match rng.below(9) {
        0 => {
            let at = rng.below(out.len() + 1);
            out.truncate(at);
            format!("truncate at {at}")
        }
        1 => {
            let n = 1 + rng.below(16);
            for _ in 0..n {
                if !out.is_empty() {
                    let i = rng.below(out.len());
                    out[i] = rng.next() as u8;
                }
            }
            format!("{n} byte flips")
        }
        2 | 3 => {
            let lines = lines_of(seed);
            let i = rng.below(lines.len());
            let most = if rng.below(4) == 0 { 500 } else { 3 };
            let times = 1 + rng.below(most);
            let mut v = Vec::new();
            for (k, l) in lines.iter().enumerate() {
                v.extend_from_slice(l);
                if k == i {
                    for _ in 0..times {
                        v.extend_from_slice(l);
                    }
                }
            }
            out = v;
            format!("line {} duplicated {times}x", i + 1)
        }
        4 => {
            let lines = lines_of(seed);
            let i = rng.below(lines.len());
            let n = 1 + rng.below(20);
            out = lines
                .iter()
                .enumerate()
                .filter(|(k, _)| *k < i || *k >= i + n)
                .flat_map(|(_, l)| l.iter().copied())
                .collect();
            format!("lines {}..{} dropped", i + 1, i + n)
        }
        5 => {
            let mut lines = lines_of(seed);
            let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
            if !lines.is_empty() {
                lines.swap(a, b);
            }
            out = lines.concat();
            format!("lines {} and {} swapped", a + 1, b + 1)
        }
        6 => {
            const JUNK: [&str; 12] = [
                "KTAP version 1\n",
                "    KTAP version 1\n",
                "# TAP version 13\n",
                "1..99999999999999999999\n",
                "1..3\n",
                "not ok 18446744073709551616 x # TIMEOUT\n",
                "# Subtest: z\n",
                "Kernel panic - not syncing: fuzz\n",
                "<testcase name=\"a/b\">",
                "</testsuite>",
                "{\"result\": \"pass\"}",
                "]]>&bogus;<![CDATA[",
            ];
            let at = rng.below(out.len() + 1);
            let j = JUNK[rng.below(JUNK.len())];
            out.splice(at..at, j.bytes());
            format!("{j:?} inserted at {at}")
        }
        7 => {
            let at = rng.below(out.len() + 1);
            let n = rng.below(64);
            let junk: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            out.splice(at..at, junk);
            format!("{n} random bytes at {at}")
        }
        _ => {
            let lines = lines_of(seed);
            let keep = rng.below(lines.len() + 1);
            out = lines[..keep].concat();
            let fill = ["#", "€", "é", "😀", "# é€", "\t"][rng.below(6)];
            let n = 70_000 / fill.len();
            if rng.below(2) == 0 {
                out.extend_from_slice(fill.repeat(n).as_bytes());
            } else {
                out.extend_from_slice(format!("{}\n", fill.repeat(500)).repeat(n / 500).as_bytes());
            }
            format!("cut after {keep} lines, then 70 KB of {fill:?}")
        }
    };
    (out, what)
}

/// Hostile inputs made by hand: deep nesting, long lines, huge numbers.
fn hostile() -> Vec<(String, String)> {
    let mut v = Vec::new();
    let mut deep_ktap = String::from("KTAP version 1\n1..1\n");
    for d in 1..2000 {
        deep_ktap.push_str(&" ".repeat(2 * d));
        deep_ktap.push_str("KTAP version 1\n");
    }
    v.push(("deep KTAP indentation".into(), deep_ktap));
    let mut deep_hash = String::from("TAP version 13\n");
    for d in 1..2000 {
        deep_hash.push_str(&"# ".repeat(d));
        deep_hash.push_str("TAP version 13\n");
    }
    v.push(("deep kselftest nesting".into(), deep_hash.clone()));
    v.push((
        "deep kselftest nesting, cut".into(),
        deep_hash[..deep_hash.len() / 2].to_string(),
    ));
    v.push((
        "many subtest headers".into(),
        format!("TAP version 14\n{}", "# Subtest: s\n".repeat(5000)),
    ));
    v.push((
        "deep XML".into(),
        "<testsuite>".to_string() + &"<a>".repeat(100_000),
    ));
    v.push((
        "deep XML in a testcase".into(),
        "<testsuite><testcase name=\"x\">".to_string() + &"<b>".repeat(100_000),
    ));
    v.push(("deep JSON arrays".into(), "[".repeat(100_000)));
    v.push((
        "deep JSON in results".into(),
        format!("{{\"results\": [{}", "{\"a\":".repeat(50_000)),
    ));
    v.push(("deep JSON objects".into(), "{\"a\":".repeat(100_000)));
    v.push((
        "1 MB line".into(),
        format!("TAP version 13\n1..1\nok 1 {}\n", "x".repeat(1 << 20)),
    ));
    v.push((
        "1 MB diagnostics".into(),
        format!(
            "TAP version 13\n1..1\n{}not ok 1 big\n",
            "# noise\n".repeat(150_000)
        ),
    ));
    v.push((
        "200k identical names".into(),
        format!("TAP version 13\n{}", "ok 1 same\n".repeat(200_000)),
    ));
    v.push((
        "50k identical test cases".into(),
        format!(
            "<testsuite>{}</testsuite>",
            "<testcase name=\"a\"/>\n".repeat(50_000)
        ),
    ));
    v.push((
        "wide characters everywhere".into(),
        format!(
            "TAP version 13\n1..1\n{}\nnot ok 1 é€\n",
            "# é€😀 ".repeat(20_000)
        ),
    ));
    v.push((
        "YAML block never closed".into(),
        format!(
            "TAP version 13\n1..2\nnot ok 1 a\n  ---\n{}ok 2 b\n",
            "  k: v\n".repeat(5000)
        ),
    ));
    v.push((
        "huge numbers".into(),
        "TAP version 13\n1..18446744073709551615\nok 99999999999999999999999 a\n1..0\n".into(),
    ));
    v.push((
        "huge junit counts".into(),
        "<testsuite tests=\"99999999999999999999\" failures=\"-1\"><testcase name=\"a\" time=\"1e400\"/></testsuite>".into(),
    ));
    v.push((
        "kirk with odd types".into(),
        r#"{"results":[1,"x",{"test_fqn":7},{"test_fqn":"a","test":[]},{"test_fqn":"b","test":{"passed":-1,"duration":"x","log":5}}],"stats":[]}"#.into(),
    ));
    v.push((
        "tuxrun with odd types".into(),
        r#"{"a":[1,2],"b":null,"c":{"t":1,"u":{"result":5},"v":{"result":"maybe","duration":-3}}}"#
            .into(),
    ));
    v
}

/// Runs one parser on one input and checks the output's bounds.
fn check(format: Format, label: &str, input: &[u8]) {
    let text = String::from_utf8_lossy(input);
    let start = Instant::now();
    let out = formats::parse(format, &text, None);
    let took = start.elapsed();
    assert!(
        took < Duration::from_secs(10),
        "{label}: {format:?} took {took:?}"
    );
    let _ = formats::detect(label, &text[..text.floor_char_boundary(8192)]);
    assert_bounded(format, label, &text, &out);
}

fn assert_bounded(format: Format, label: &str, text: &str, out: &FormatOutput) {
    let lines = text.split('\n').count();
    let bound = match format {
        Format::Ktap => lines,
        Format::Junit => text.matches('<').count(),
        Format::Kirk | Format::Tuxrun => text.matches('{').count(),
    };
    assert!(
        out.results.len() <= bound,
        "{label}: {format:?} gave {} results for {bound} lines/elements",
        out.results.len()
    );
    let mut paths = HashSet::new();
    for r in &out.results {
        assert!(!r.path.is_empty(), "{label}: {format:?} empty path");
        assert!(
            paths.insert(r.path.as_str()),
            "{label}: {format:?} path twice: {}",
            r.path
        );
        let ex = r.log_excerpt.as_deref().unwrap_or("");
        assert!(
            ex.len() <= EXCERPT_MAX,
            "{label}: {format:?} excerpt of {} bytes",
            ex.len()
        );
        assert!(
            r.line.is_none_or(|l| l >= 1 && l <= lines),
            "{label}: line {:?}",
            r.line
        );
        assert!(
            r.duration.is_none_or(|d| d.is_finite() && d >= 0.0),
            "{label}: duration"
        );
    }
    for e in &out.errors {
        assert!(
            e.line.is_none_or(|l| l >= 1 && l <= lines),
            "{label}: error line {:?}",
            e.line
        );
    }
    if let (Some(expected), true) = (out.expected, out.errors.is_empty()) {
        assert_eq!(
            out.results.len(),
            expected,
            "{label}: {format:?} claim met without error"
        );
    }
}

/// Saved inputs that once broke a parser, replayed on that parser.
fn replay_fixtures() -> usize {
    let mut n = 0;
    for f in FORMATS {
        let dir = fixtures_dir().join(parser_dir(f));
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for p in paths {
            check(f, &p.display().to_string(), &std::fs::read(&p).unwrap());
            n += 1;
        }
    }
    n
}

fn run_all(current: &Mutex<String>) {
    let set = |s: String| *current.lock().unwrap() = s;
    set("fixtures".into());
    replay_fixtures();

    for (label, text) in hostile() {
        for f in FORMATS {
            set(format!("hostile {label} / {f:?}"));
            check(f, &label, text.as_bytes());
        }
    }

    let mut rng = Rng(knob("REGTRACK_FUZZ_SEED", 0x5EED_CAFE));
    let mutations = knob("REGTRACK_FUZZ_MUTATIONS", MUTATIONS as u64) as usize;
    for f in FORMATS {
        for i in 0..RANDOM {
            let n = rng.below(2048);
            let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            set(format!("random #{i} / {f:?}"));
            check(f, &format!("random #{i}"), &bytes);
        }
    }

    for (name, seed) in seeds() {
        let file = Path::new(&name)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for f in FORMATS {
            set(format!("{file} as is / {f:?}"));
            check(f, &file, &seed);
            for i in 0..mutations {
                let (input, what) = mutate(&seed, &mut rng);
                let label = format!("{file} mutation #{i} ({what})");
                set(format!("{label} / {f:?}"));
                check(f, &label, &input);
            }
        }
    }
    set("done".into());
}

#[test]
fn parsers_survive_hostile_and_mutated_input() {
    let current = Arc::new(Mutex::new(String::new()));
    let (tx, rx) = mpsc::channel();
    let worker = {
        let current = Arc::clone(&current);
        std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(move || {
                let r =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_all(&current)));
                let _ = tx.send(r.is_ok());
            })
            .unwrap()
    };
    let limit = WATCHDOG.max(Duration::from_secs(knob("REGTRACK_FUZZ_MUTATIONS", 0) / 2));
    match rx.recv_timeout(limit) {
        Ok(true) => worker.join().unwrap(),
        Ok(false) => panic!("a parser failed on: {}", current.lock().unwrap()),
        Err(_) => panic!("a parser hangs on: {}", current.lock().unwrap()),
    }
}

#[test]
fn fixtures_are_replayed() {
    let n = replay_fixtures();
    assert!(
        n >= 1,
        "the saved crashers in {} are replayed",
        fixtures_dir().display()
    );
}
