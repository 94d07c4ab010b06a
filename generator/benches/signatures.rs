//! Crash-signature extraction over the real console logs and log excerpts in `shared/corpus`
//! (syzkaller reports, KCIDB log excerpts, LAVA kernel messages): the first crash of each log
//! (what correlation asks for each failing run it looks at) and every crash of each log.
//! Prints the median of `REGTRACK_BENCH_REPEAT` (default 21) passes over all the logs.
//!
//! ```sh
//! cargo bench -p regtrack --bench signatures
//! ```

use std::path::PathBuf;

mod median;
use median::median_ms;

fn corpus() -> PathBuf {
    std::env::var_os("REGTRACK_CORPUS").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus")),
        PathBuf::from,
    )
}

/// Every text file under the log folders of the corpus.
fn logs() -> Vec<String> {
    let root = corpus();
    let mut logs = Vec::new();
    for dir in [
        "syzkaller-report",
        "kcidb-log-excerpts",
        "lava-kernel-messages",
    ] {
        let dir = root.join(dir);
        assert!(
            dir.is_dir(),
            "{} not found (set REGTRACK_CORPUS)",
            dir.display()
        );
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect();
        files.sort();
        logs.extend(files.iter().filter_map(|f| std::fs::read_to_string(f).ok()));
    }
    logs
}

fn main() {
    let repeat: usize = std::env::var("REGTRACK_BENCH_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(21);
    let logs = logs();
    let mb = logs.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    println!("{} logs, {mb:.2} MB, median of {repeat} passes", logs.len());
    println!(
        "{:<14} {:>10} {:>8} {:>8}",
        "", "median ms", "MB/s", "crashes"
    );
    let first = || {
        logs.iter()
            .filter(|l| regtrack::crash::extract(l).is_some())
            .count()
    };
    let all = || {
        logs.iter()
            .map(|l| regtrack::crash::extract_all(l).len())
            .sum()
    };
    for (name, (ms, found)) in [
        ("first crash", median_ms(repeat, first)),
        ("every crash", median_ms(repeat, all)),
    ] {
        println!("{name:<14} {ms:>10.2} {:>8.1} {found:>8}", mb / (ms / 1e3));
    }
}
