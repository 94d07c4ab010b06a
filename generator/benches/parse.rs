//! Parsing one night of KCIDB, single-threaded, against the parse floor's own parts: UTF-8
//! validation, serde_json into `IgnoredAny` (the floor `regtrack bench` compares cold builds
//! with), the scanner's cursor skipping the same bytes, the scanner turning them into rows,
//! and serde_json's typed fast path doing the same (the fallback, and the reference the
//! scanner is tested against). Input: the last night of a demo history at `--scale`
//! (`REGTRACK_BENCH_SCALE`, default 16), generated once under the target folder. Prints the
//! median of `REGTRACK_BENCH_REPEAT` (default 7) passes per file.
//!
//! ```sh
//! cargo bench -p regtrack --bench parse
//! ```

use std::path::PathBuf;

use regtrack::demo::{DemoConfig, write_results};

mod median;
use median::median_ms;

fn knob(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let scale = knob("REGTRACK_BENCH_SCALE", 16) as u32;
    let repeat = knob("REGTRACK_BENCH_REPEAT", 7).max(1);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-parse-{scale}"));
    let results = dir.join("results");
    if !dir.join("COMPLETE").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let cfg = DemoConfig {
            scale,
            ..Default::default()
        };
        write_results(&cfg, &results).expect("writing the demo history");
        std::fs::write(dir.join("COMPLETE"), "").unwrap();
    }
    let mut days: Vec<PathBuf> = std::fs::read_dir(&results)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    days.sort();
    let night = days.last().expect("a night");
    let mut files: Vec<PathBuf> = std::fs::read_dir(night)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    println!("scale {scale}, median of {repeat} passes, one thread");
    println!(
        "{:<14} {:>8} {:>9} {:>10} {:>11} {:>10} {:>11} {:>8}",
        "file", "MB", "utf8 ms", "ignore ms", "cursor ms", "rows ms", "serde ms", "rows/floor"
    );
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let (utf8, _) = median_ms(repeat, || {
            simdutf8::basic::from_utf8(text.as_bytes()).unwrap().len()
        });
        let (ignore, ok) = median_ms(repeat, || {
            serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok() as usize
        });
        assert_eq!(ok, 1, "{name} is not valid JSON");
        let (cursor, ok) = median_ms(repeat, || {
            let mut c = regtrack::json::Cursor::new(&text);
            (c.skip_value().is_some() && c.at_end()) as usize
        });
        assert_eq!(ok, 1, "{name}: the cursor gave up");
        let (rows, n) = median_ms(repeat, || {
            regtrack::ingest::kcidb::scan::parse(&name, &text, true)
                .expect("the scanner takes the demo's files")
                .rows
                .tests
                .len()
        });
        let (serde, m) = median_ms(repeat, || {
            regtrack::ingest::kcidb::parse_without_scanner(&name, &text)
                .rows
                .tests
                .len()
        });
        assert_eq!(n, m);
        println!(
            "{:<14} {:>8.1} {:>9.1} {:>10.1} {:>11.1} {:>10.1} {:>11.1} {:>8.2}",
            name,
            text.len() as f64 / 1e6,
            utf8,
            ignore,
            cursor,
            rows,
            serde,
            (utf8 + rows) / (utf8 + ignore)
        );
    }
}
