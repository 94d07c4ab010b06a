//! Deterministic demo data: a multi-day KCIDB (schema v5.3) history with planted situations.
//!
//! [`generate`] builds, from a seed alone, what KernelCI (`maestro`) and LKFT (`linaro`) would have
//! submitted over `days` days for four trees (mainline, next, stable 6.12, and one GitHub-hosted
//! tree), one file per day per origin (`YYYY-MM-DD/<origin>.json`), plus a [`GroundTruth`] that
//! lists every situation planted in the data:
//!
//! | name | kind | tree | what |
//! |---|---|---|---|
//! | `many-boards-regression` | Regression | mainline | `kselftest.net.tls` and `ltp.syscalls.setsockopt10` fail on every board from day -4 with the same `WARNING in tls_sw_recvmsg` splat (one regression, two tests) |
//! | `single-board-regression` | Regression | next | `baseline.dmesg.emerg` fails on `sun50i-h6-pine-h64` only, from the last day (NULL pointer dereference; gcc and clang builds) |
//! | `single-compiler-regression` | Regression | mainline | `kunit.overflow.shift_sane_test` fails on every clang-19 build from day -6 |
//! | `fixed-regression` | Regression | next | `ltp.syscalls.fanotify22` fails days -9..-5 on every board running it, fixed on day -4 |
//! | `single-arch-regression` | Regression | mainline | `kselftest.timers.posix_timers` fails on every riscv board from day -2 (sleeping-in-atomic BUG) |
//! | `two-boards-regression` | Regression | mainline | `kselftest.seccomp.seccomp_bpf` fails on two x86 Chromebooks (one gcc build each) from 15% into the history, for a few days, then fixed |
//! | `test-family-regression` | Regression | next | `ltp.dio.dio01`..`dio08` fail from one commit (35% in) on `imx8mp-evk` and `rk3588-rock-5b`: one bug, one regression listing all eight |
//! | `same-window-regression` | Regression | next | `kselftest.mm.ksm_functional_tests` fails from the same commit on the same two boards: a distinct bug sharing the window, kept apart |
//! | `regression-on-flaky-test` | Regression | mainline | `ltp.syscalls.mq_timedreceive01`, flaky at 10-18% on four LKFT boards (every tree), fails every run on them from 50% in |
//! | `boot-under-job-names-regression` | Regression | stable | the arm `lab-cip` boards stop booting from 60% in: `ltp-math-tests.boot`, `ltp-timers-tests.boot`, `wlan-smoke.boot` fail (login timeout, no crash), the jobs' tests are MISS |
//! | `late-confirmed-regression` | Regression | next | `ltp.fs.fs_inod01` fails on one board in one build from 75% in: one run on its first night, confirmed the next |
//! | `flaky-test-<tree>` | FlakyTest | all | `kselftest.net.udpgso_bench` fails ~30% of runs everywhere, all days |
//! | `intermittent-<case>-<tree>` | FlakyTest | all | `ltp.syscalls.clock_gettime03`, `ltp.syscalls.fsync02`, `kselftest.timers.nanosleep` fail on 3-5 boards each at 5-40%, in streaks (two-state chain); `mq_timedreceive01` off mainline |
//! | `flaky-board-<tree>` | FlakyBoard | all | `rk3399-gru-kevin` fails 2-4 random unrelated tests at once in ~15% of its runs |
//! | `lab-outage-<tree>` | LabOutage | all | `lab-baylibre`, day -3: boot ERROR, every other test MISS |
//! | `always-failing-<tree>` | AlwaysFailing | all | `kselftest.kvm.dirty_log_perf_test` fails on every arm64 board, every day |
//! | `one-off-failure` | OneOff | stable | `kselftest.exec.execveat` fails once on `beaglebone-black` (45% in) and passes the next night |
//!
//! Days are relative to `end_date` (day 0); "N% in" is a share of the history's length (see
//! `planted::Timeline`: the first five keep their days from 12 days up, and every regression
//! keeps two passing days before it, so any length from [`MIN_DAYS`] up works, and a long
//! history has first failures on many different nights). Nothing else fails: an accurate
//! engine reports exactly the eleven regressions. The truth records, per regression, its first
//! failing night, what shows it then (boards, environments, crash signature) and how soon a
//! good engine publishes it (`publish_within`: the same night when two environments or a
//! signature show it, the next when one run does, or when its environments are ones the test
//! flakes on: the regression on a flaky test). Output is byte-identical for the same
//! [`DemoConfig`] on every platform (ChaCha8 streams derived from the seed; no hash-map
//! iteration; integer-only sampling).
//!
//! Realism an ingester must cope with: each origin sends its own checkout object for the same
//! commit; LKFT (`linaro`) runs no `baseline.*` tests and shares one `start_time` per job; about
//! one maestro boot test in 20 is sent twice under the same id, first without a `status` (still
//! running), later complete; the maestro issue has `incidents` only for `kselftest.net.tls`, not
//! for the second test of the same bug. Every object sits in the file of its checkout's day.
//!
//! Development-only: `regtrack demo`, `regtrack accuracy`, `regtrack bench`, the tests and the
//! benches use it; the product path never does. One module per job:
//! - `config`: [`DemoConfig`];
//! - `planted`: the timeline of planted situations (days, tests, boards, crash titles);
//! - `tables`: origins, trees, builds, boards, the test catalogue, CIP-style jobs;
//! - `random`, `dates`: seeded streams and ids, timestamps;
//! - `commits`: the commit each tree checks out each day;
//! - `generator`: the day-by-day history;
//! - `kcidb_writer`: KCIDB objects and files;
//! - `console`, `splats`, `harness`, `excerpts`, `plain_failures`: the log excerpts of
//!   failures (kernel splats; test assertions and boot timeouts without one);
//! - `truth`: the [`GroundTruth`], recorded while generating;
//! - `content`: the demo site's maintainer content.

mod commits;
mod config;
mod console;
mod content;
mod dates;
mod excerpts;
mod generator;
mod harness;
mod kcidb_writer;
mod plain_failures;
mod planted;
mod random;
mod splats;
mod tables;
mod truth;

#[cfg(test)]
mod tests;

use std::path::Path;

use chrono::NaiveDate;

pub use config::{DemoConfig, MIN_DAYS};
pub use kcidb_writer::DemoFile;
pub use truth::{FirstNight, GroundTruth, Situation, SituationKind};

use generator::HistoryGenerator;
use tables::Origin;

/// The generated history and what was planted in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Demo {
    /// Files sorted by `rel_path` (chronological, then origin).
    pub files: Vec<DemoFile>,
    pub truth: GroundTruth,
}

impl Demo {
    /// Total size of all files in bytes.
    pub fn total_bytes(&self) -> usize {
        self.files.iter().map(|f| f.contents.len()).sum()
    }
}

/// Generates the history described in the module documentation.
pub fn generate(cfg: &DemoConfig) -> Demo {
    let (mut files, truth) = HistoryGenerator::new(cfg).generate();
    files.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    Demo { files, truth }
}

/// Writes only the KCIDB files of `cfg` under `results`, one day at a time (for benchmark
/// inputs too large to hold in memory). Returns (files, bytes).
pub fn write_results(cfg: &DemoConfig, results: &Path) -> std::io::Result<(usize, u64)> {
    let (mut files, mut bytes) = (0, 0u64);
    let mut sink = |f: DemoFile| -> std::io::Result<()> {
        let path = results.join(&f.rel_path);
        std::fs::create_dir_all(path.parent().expect("day folder"))?;
        std::fs::write(&path, &f.contents)?;
        files += 1;
        bytes += f.contents.len() as u64;
        Ok(())
    };
    HistoryGenerator::new(cfg).stream(&mut sink)?;
    Ok((files, bytes))
}

/// Writes the demo under `out` and returns the number of KCIDB files:
/// - `results/YYYY-MM-DD/<origin>.json`: the KCIDB input (files of an earlier demo run there are
///   removed first; nothing else in `results/` is touched);
/// - `truth.json`: the [`GroundTruth`], pretty JSON (outside `results/`, so never ingested);
/// - `content/`: a known-issue rule for the always-failing test and an `about-demo` page listing
///   what was planted.
///
/// Uses [`DemoConfig::default`] apart from `seed`, `days` and `scale`.
pub fn write_demo(out: &Path, seed: u64, days: u32, scale: u32) -> std::io::Result<usize> {
    let cfg = DemoConfig {
        seed,
        days,
        scale,
        ..DemoConfig::default()
    };
    let demo = generate(&cfg);
    let results = out.join("results");
    remove_old_demo_files(&results)?;
    for f in &demo.files {
        let path = results.join(&f.rel_path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, &f.contents)?;
    }
    let mut truth = serde_json::to_string_pretty(&demo.truth).map_err(std::io::Error::other)?;
    truth.push('\n');
    std::fs::write(out.join("truth.json"), truth)?;
    content::write_content(&out.join("content"), &cfg, &demo.truth)?;
    Ok(demo.files.len())
}

/// Removes `YYYY-MM-DD/{maestro,linaro}.json` left by an earlier run (another `days` would leave
/// stale days behind), and the day folders they leave empty.
fn remove_old_demo_files(results: &Path) -> std::io::Result<()> {
    let Ok(entries) = std::fs::read_dir(results) else {
        return Ok(());
    };
    for entry in entries {
        let dir = entry?.path();
        let is_day = dir
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| NaiveDate::parse_from_str(n, "%Y-%m-%d").is_ok());
        if !is_day || !dir.is_dir() {
            continue;
        }
        for origin in [Origin::Maestro, Origin::Linaro] {
            let f = dir.join(format!("{}.json", origin.as_str()));
            if f.is_file() {
                std::fs::remove_file(&f)?;
            }
        }
        // Fails (and is left alone) when something else is inside.
        let _ = std::fs::remove_dir(&dir);
    }
    Ok(())
}
