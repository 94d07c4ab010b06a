//! Robustness of the KCIDB parser (fast path and lenient path) and of gzip reading: real
//! submissions mutated (truncated, bytes flipped, slices duplicated or dropped, junk inserted,
//! keys' types changed) and random bytes. Each case must return without panicking, within a
//! watchdog, with bounded output (no more objects than the input has `{`), and must account
//! for every object it saw: accepted + rejected = seen.
//!
//! Deterministic (ChaCha8 from a fixed seed; `REGTRACK_FUZZ_SEED` and
//! `REGTRACK_FUZZ_MUTATIONS` widen a campaign) and bounded in time for CI.

use std::io::Write;
use std::sync::mpsc;
use std::time::Duration;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use regtrack::ingest::kcidb::parse;

fn knob(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn mutate(seed: &[u8], rng: &mut ChaCha8Rng) -> Vec<u8> {
    let mut out = seed.to_vec();
    let len = out.len().max(1);
    match rng.random_range(0..8) {
        0 => out.truncate(rng.random_range(0..=out.len())),
        1 => {
            for _ in 0..rng.random_range(1..16) {
                if !out.is_empty() {
                    let i = rng.random_range(0..out.len());
                    out[i] = rng.random();
                }
            }
        }
        2 => {
            let a = rng.random_range(0..len);
            let b = (a + rng.random_range(0..4096)).min(out.len());
            let slice = out[a.min(out.len())..b].to_vec();
            let at = rng.random_range(0..=out.len());
            for _ in 0..rng.random_range(1..50) {
                out.splice(at..at, slice.iter().copied());
            }
        }
        3 => {
            let a = rng.random_range(0..len).min(out.len());
            let b = (a + rng.random_range(0..4096)).min(out.len());
            out.drain(a..b);
        }
        4 => {
            // Change a value's type: a string becomes a number, an object or null.
            let text = String::from_utf8_lossy(&out).into_owned();
            let pick = [
                "12345",
                "{\"x\":[1,2]}",
                "null",
                "[\"a\",3]",
                "true",
                "\"\"",
            ];
            let keys = [
                "\"status\": ",
                "\"path\": ",
                "\"misc\": ",
                "\"environment\": ",
                "\"compatible\": ",
                "\"start_time\": ",
                "\"id\": ",
                "\"platform\": ",
            ];
            let key = keys[rng.random_range(0..keys.len())];
            if let Some(at) = text.find(key) {
                let start = at + key.len();
                let end = text[start..]
                    .find([',', '}'])
                    .map_or(text.len(), |e| start + e);
                let mut t = text.clone();
                t.replace_range(start..end, pick[rng.random_range(0..pick.len())]);
                out = t.into_bytes();
            }
        }
        5 => {
            let at = rng.random_range(0..=out.len());
            let junk: Vec<u8> = (0..rng.random_range(1..64)).map(|_| rng.random()).collect();
            out.splice(at..at, junk);
        }
        6 => {
            // Still valid JSON: whitespace after a separator.
            let seps: Vec<usize> = (0..out.len())
                .filter(|&i| out[i] == b',' || out[i] == b':')
                .collect();
            for _ in 0..rng.random_range(1..8) {
                if let Some(&at) = seps.get(rng.random_range(0..seps.len().max(1))) {
                    let ws = [" ", "\n", "\t", "\r\n  "][rng.random_range(0..4)];
                    out.splice(at + 1..at + 1, ws.bytes());
                }
            }
        }
        _ => {
            // An escape at the start of a string value (valid or not).
            let text = String::from_utf8_lossy(&out).into_owned();
            let escapes = [
                "\\u00e9",
                "\\n",
                "\\\"",
                "\\/",
                "\\ud83d\\ude00",
                "\\u0000",
                "\\ud800",
                "\\x",
                "\\u12",
                "\u{1}",
            ];
            let starts: Vec<usize> = text.match_indices("\": \"").map(|(i, _)| i + 4).collect();
            if !starts.is_empty() {
                let at = starts[rng.random_range(0..starts.len())];
                let mut t = text.clone();
                t.insert_str(at, escapes[rng.random_range(0..escapes.len())]);
                out = t.into_bytes();
            }
        }
    }
    out
}

/// Parses one case; returns whether the scanner took it (then it must agree with serde_json).
fn check(label: &str, input: &[u8]) -> bool {
    let text = String::from_utf8_lossy(input);
    let r = parse(label, &text);
    let scanned = regtrack::ingest::kcidb::scan::parse(label, &text, false).is_some();
    if scanned {
        let serde = regtrack::ingest::kcidb::parse_without_scanner(label, &text);
        assert_eq!(
            r.mismatch(&serde),
            None,
            "{label}: the scanner and serde_json differ"
        );
    }
    let braces = text.matches('{').count();
    let objects = r.rows.checkouts.len()
        + r.rows.builds.len()
        + r.rows.tests.len()
        + r.issues.len()
        + r.incidents.len();
    assert!(
        objects <= braces,
        "{label}: {objects} objects from {braces} braces"
    );
    let seen: usize = r.seen.values().sum();
    let accepted: usize = r.accepted.values().sum();
    let rejected: usize = r.diagnostics.iter().map(|d| d.records).sum();
    assert_eq!(seen, accepted + rejected, "{label}: accounting");
    for d in &r.rows.details {
        let len = match &d.log_excerpt {
            Some(regtrack::store::Text::Owned(e)) => e.len(),
            Some(regtrack::store::Text::InFile { len, .. }) => *len as usize,
            None => 0,
        };
        assert!(len <= text.len(), "{label}: excerpt longer than the input");
    }
    scanned
}

#[test]
fn kcidb_parser_survives_mutated_and_random_input() {
    let Some(corpus) = crate::support::corpus_dir() else {
        return;
    };
    let mut seeds: Vec<(String, Vec<u8>)> = Vec::new();
    for dir in ["kcidb-submissions", "kcidb-doc-examples"] {
        let mut files: Vec<_> = std::fs::read_dir(corpus.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for p in files {
            // The biggest submissions are cut to keep the run short; cuts are inputs too.
            let mut b = std::fs::read(&p).unwrap();
            b.truncate(64 * 1024);
            seeds.push((p.display().to_string(), b));
        }
    }
    let mutations = knob("REGTRACK_FUZZ_MUTATIONS", 12) as usize;
    let seed = knob("REGTRACK_FUZZ_SEED", 0x5eed);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (mut cases, mut scanned) = (0, 0);
        for (name, bytes) in &seeds {
            check(name, bytes);
            for m in 0..mutations {
                let input = mutate(bytes, &mut rng);
                scanned += check(&format!("{name} mutation {m}"), &input) as usize;
                cases += 1;
            }
        }
        // Enough mutated documents stayed valid for the scanner/serde_json comparison to
        // mean something.
        assert!(
            scanned >= 40,
            "only {scanned} mutated documents took the scanner"
        );
        for i in 0..300 {
            let n = rng.random_range(0..2048);
            let input: Vec<u8> = (0..n).map(|_| rng.random()).collect();
            check(&format!("random {i}"), &input);
            cases += 1;
        }
        tx.send(cases).unwrap();
    });
    let cases = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("the KCIDB parser hung (or panicked: see above)");
    assert!(cases > 300);
}

#[test]
fn broken_gzip_is_an_error_not_a_panic() {
    let dir = crate::support::scratch("fuzz_gzip");
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(br#"{"version":{"major":5},"tests":[]}"#)
        .unwrap();
    let good = gz.finish().unwrap();
    for i in 0..200 {
        let mut b = good.clone();
        match i % 3 {
            0 => b.truncate(rng.random_range(0..b.len())),
            1 => {
                let j = rng.random_range(0..b.len());
                b[j] = rng.random();
            }
            _ => {
                b = (0..rng.random_range(0..512))
                    .map(|_| rng.random())
                    .collect();
            }
        }
        let p = dir.join(format!("case{i}.json.gz"));
        std::fs::write(&p, &b).unwrap();
        let _ = regtrack::ingest::read_text(&p, 1 << 20);
    }
}
