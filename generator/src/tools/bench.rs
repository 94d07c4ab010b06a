//! `regtrack bench`: how a KernelCI-sized history performs on this machine.
//!
//! Generates (once, streamed to disk) a demo history at a chosen size, then for each history
//! length builds the site cold and prints a table per stage (ingest, correlate, render,
//! publish)
//! with wall time, throughput and
//! peak memory, next to the parse floor (serde_json into `IgnoredAny`, same files, same
//! parallelism); finally a nightly build with all but the last day in the cache, publishing
//! over last night's site, with the old in-place write of the same site beside it. Inputs are
//! read once before measuring (warm page cache for every figure alike) and each figure is
//! the median of `--repeat` runs.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};

use crate::demo::{DemoConfig, write_results};
use crate::ingest::cache::Cache;
use crate::ingest::{self, LoadOptions};
use crate::publish::{Published, Target};
use crate::report::build_report_from;
use crate::report::ledger::Ledger;
use crate::route::{RouteOptions, Router};
use crate::site::{SiteOptions, render_site};

/// Resets the process' peak resident memory (Linux), so each stage reports its own peak.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Peak resident memory since the last reset, in MiB (Linux; 0 elsewhere).
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// One measured stage.
struct Stage {
    name: &'static str,
    secs: f64,
    cpu_secs: f64,
    peak_mib: f64,
}

fn measure<T>(name: &'static str, f: impl FnOnce() -> T) -> (T, Stage) {
    reset_peak();
    let (t, cpu) = (Instant::now(), crate::timings::cpu_secs());
    let v = f();
    let stage = Stage {
        name,
        secs: t.elapsed().as_secs_f64(),
        cpu_secs: crate::timings::cpu_secs() - cpu,
        peak_mib: peak_mib(),
    };
    (v, stage)
}

/// Reads every file under `roots` and applies `f` to its text with ingest's own pipeline
/// (same workers, same read buffers, results taken in file order); returns the sum of what
/// `f` returns.
fn over_files(roots: &[PathBuf], f: impl Fn(&str, &str) -> usize + Sync) -> usize {
    let files = ingest::find_files(roots);
    let buffers = ingest::Buffers::default();
    let mut total = 0;
    ingest::pipeline::pipeline(
        &files,
        |file| {
            buffers.with_text(&file.path, ingest::MAX_FILE_BYTES, |text, _| {
                f(&file.path.display().to_string(), text.unwrap_or_default())
            })
        },
        |n| total += n,
    );
    total
}

/// The parse floor: every file parsed into `IgnoredAny`, with ingest's parallelism.
fn parse_floor(roots: &[PathBuf]) -> usize {
    over_files(roots, |_, text| {
        serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() as usize
    })
}

/// Parsing alone: every file into rows, results dropped (ingest minus merging).
fn parse_only(roots: &[PathBuf]) -> usize {
    over_files(roots, |name, text| {
        crate::ingest::kcidb::parse_kept(name, text)
            .rows
            .tests
            .len()
    })
}

fn dir_stats(dir: &Path) -> (usize, u64) {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .fold((0, 0), |(n, b), e| {
            (n + 1, b + e.metadata().map_or(0, |m| m.len()))
        })
}

/// The last `days` day folders of the generated history.
fn last_days(results: &Path, days: usize) -> Result<Vec<PathBuf>> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(results)
        .with_context(|| format!("reading {}", results.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    all.sort();
    Ok(all[all.len().saturating_sub(days)..].to_vec())
}

/// What one measured build gives.
struct Built {
    stages: Vec<Stage>,
    /// Test results read.
    tests: usize,
    /// The site: files, bytes.
    site: (usize, u64),
    published: Published,
}

/// One full build (optionally through a cache, optionally routed), published atomically to `out`; returns the
/// stages and (tests, files, bytes). With `in_place`, the same rendered site is also written
/// the old way, in place into that folder (only changed files rewritten, no switch), and
/// measured as `(write in place)` beside `publish`: the cost of atomic publishing, side by
/// side in one run.
fn build_once(
    roots: &[PathBuf],
    cache: Option<&Path>,
    out: &Path,
    route: Option<&RouteOptions>,
    in_place: Option<&Path>,
) -> Result<Built> {
    let mut opts = LoadOptions::new(roots, None);
    opts.cache = cache.map(|c| Cache::new(c.to_path_buf()));
    let mut stages = Vec::new();
    let (ds, s) = measure("ingest", || ingest::load_with(&opts));
    stages.push(s);
    let tests = ds.test_count();
    let mut ledger = Ledger::default();
    let (mut report, s) = measure("correlate", || {
        build_report_from(ds, Default::default(), &mut ledger)
    });
    stages.push(s);
    if let Some(opts) = route {
        // Loading the inputs is part of every routed build (MAINTAINERS parsed, the kernel
        // tree walked for its fingerprint and its index read from the cache).
        let ((), s) = measure("route", || report.route(&Router::load(opts)));
        stages.push(s);
    }
    let (rendered, s) = measure("render", || {
        render_site(&report, &ledger, &SiteOptions::default())
    });
    stages.push(s);
    let rendered = rendered?;
    let target = Target::new(out)?;
    let lock = target.lock(std::time::Duration::ZERO)?;
    let (published, s) = measure("publish", || target.publish(rendered.files(), || Ok(())));
    let published = published?;
    drop(lock);
    stages.push(s);
    if let Some(dir) = in_place {
        let (written, s) = measure("(write in place)", || rendered.write(dir));
        written?;
        stages.push(s);
    }
    Ok(Built {
        stages,
        tests,
        site: dir_stats(out),
        published,
    })
}

fn print_table(title: &str, stages: &[Stage], results: usize, bytes: u64) {
    println!("\n{title}");
    println!(
        "{:<14} {:>9} {:>8} {:>14} {:>11} {:>10}",
        "stage", "wall s", "CPU s", "results/s", "MB/s in", "peak MiB"
    );
    let total: f64 = stages
        .iter()
        .filter(|s| !s.name.starts_with('(') && s.name != "parse floor")
        .map(|s| s.secs)
        .sum();
    for s in stages {
        println!(
            "{:<14} {:>9.2} {:>8.2} {:>14.0} {:>11.1} {:>10.0}",
            s.name,
            s.secs,
            s.cpu_secs,
            results as f64 / s.secs,
            bytes as f64 / 1e6 / s.secs,
            s.peak_mib
        );
    }
    println!(
        "{:<14} {:>9.2} {:>8} {:>14.0}   (ingest + correlate + render + publish)",
        "build total",
        total,
        "",
        results as f64 / total
    );
}

/// Reads every input file once so the page cache is warm for every measurement alike.
fn warm_up(roots: &[PathBuf]) {
    for f in ingest::find_files(roots) {
        let _ = std::fs::read(&f.path);
    }
}

/// The median of each stage over repeated measurements (stages in the same order each time).
fn medians(runs: Vec<Vec<Stage>>) -> Vec<Stage> {
    let n = runs[0].len();
    (0..n)
        .map(|i| {
            let median = |f: fn(&Stage) -> f64| {
                let mut v: Vec<f64> = runs.iter().map(|r| f(&r[i])).collect();
                v.sort_by(f64::total_cmp);
                v[v.len() / 2]
            };
            Stage {
                name: runs[0][i].name,
                secs: median(|s| s.secs),
                cpu_secs: median(|s| s.cpu_secs),
                peak_mib: median(|s| s.peak_mib),
            }
        })
        .collect()
}

/// Runs the benchmark; see the module docs. Every figure is the median of `repeat` runs.
pub fn run(
    work: &Path,
    scale: u32,
    days: &[usize],
    seed: u64,
    repeat: usize,
    route: &RouteOptions,
) -> Result<()> {
    let repeat = repeat.max(1);
    let routing: Option<&RouteOptions> = (!route.is_empty()).then(|| {
        // Once before measuring: a kernel tree is indexed here on a first run (then cached).
        let t = Instant::now();
        let r = Router::load(route);
        println!(
            "routing inputs first loaded in {:.2} s ({} MAINTAINERS sections{}); {} diagnostics",
            t.elapsed().as_secs_f64(),
            r.maintainers.as_ref().map_or(0, |m| m.sections.len()),
            r.tree.as_ref().map_or(String::new(), |t| {
                let (files, fns, suites) = t.counts();
                format!(", kernel tree: {files} files, {fns} functions, {suites} KUnit suites")
            }),
            r.diagnostics.len()
        );
        route
    });
    let max_days = *days.iter().max().context("no --days")?;
    let input = work.join(format!("input-seed{seed}-scale{scale}-days{max_days}"));
    let results = input.join("results");
    let done = input.join("COMPLETE");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&input);
        let cfg = DemoConfig {
            seed,
            days: max_days as u32,
            scale,
            ..Default::default()
        };
        let t = Instant::now();
        let (files, bytes) = write_results(&cfg, &results)?;
        std::fs::write(&done, "")?;
        println!(
            "generated {files} files, {:.2} GB, in {:.1} s ({})",
            bytes as f64 / 1e9,
            t.elapsed().as_secs_f64(),
            input.display()
        );
    }
    println!(
        "machine: {} cores for rayon; input {}",
        rayon::current_num_threads(),
        input.display()
    );
    let out = work.join("site");
    // Cold builds write into new folders, deleted at the end: deleting a site just before
    // writing the next one makes the file system's deferred work land in the write stage.
    let cold_dir = work.join("cold-sites");
    let _ = std::fs::remove_dir_all(&cold_dir);
    let mut curve = Vec::new();
    for &d in days {
        let roots = last_days(&results, d)?;
        let (in_files, in_bytes) = roots
            .iter()
            .map(|r| dir_stats(r))
            .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
        warm_up(&roots);
        let mut runs = Vec::new();
        let mut routed_runs = Vec::new();
        let (mut tests, mut files, mut bytes) = (0, 0, 0);
        for i in 0..repeat {
            let (_, floor) = measure("parse floor", || parse_floor(&roots));
            let (_, parse) = measure("(parse rows)", || parse_only(&roots));
            let fresh = cold_dir.join(format!("{d}-days-{i}"));
            let Built {
                mut stages,
                tests: t,
                site: (f, b),
                ..
            } = build_once(&roots, None, &fresh, None, None)?;
            (tests, files, bytes) = (t, f, b);
            stages.insert(0, floor);
            stages.insert(1, parse);
            runs.push(stages);
            if let Some(route) = routing {
                // Same input, same run, routed: the two builds alternate.
                let fresh = cold_dir.join(format!("{d}-days-{i}-routed"));
                routed_runs.push(build_once(&roots, None, &fresh, Some(route), None)?.stages);
            }
        }
        let stages = medians(runs);
        let floor_secs = stages[0].secs;
        let cold: f64 = stages[2..].iter().map(|s| s.secs).sum();
        let peak = stages[2..].iter().map(|s| s.peak_mib).fold(0.0, f64::max);
        print_table(
            &format!(
                "cold build, {d} days: {tests} results, {in_files} files, {:.2} GB in; site {files} files, {:.1} MB",
                in_bytes as f64 / 1e9,
                bytes as f64 / 1e6
            ),
            &stages,
            tests,
            in_bytes,
        );
        println!(
            "cold build {cold:.2} s = {:.2}x the parse floor; peak memory {peak:.0} MiB",
            cold / floor_secs,
        );
        if !routed_runs.is_empty() {
            let routed = medians(routed_runs);
            print_table(
                &format!("cold build, {d} days, routed (same input, alternating runs)"),
                &routed,
                tests,
                in_bytes,
            );
            let total: f64 = routed.iter().map(|s| s.secs).sum();
            let route_secs = routed
                .iter()
                .find(|s| s.name == "route")
                .map_or(0.0, |s| s.secs);
            println!(
                "routing: {route_secs:.3} s in its stage ({:.2}% of the cold build); \
                 routed build {total:.2} s vs {cold:.2} s without ({:+.2}%)",
                100.0 * route_secs / cold,
                100.0 * (total - cold) / cold
            );
        }
        curve.push((d, tests, cold, peak, files));
    }
    let _ = std::fs::remove_dir_all(&cold_dir);
    // Nightly: every day but the last is in the cache; it publishes over last night's site
    // (`out`), and the same site is written the old way, in place, over a copy of last
    // night's (`out-in-place`), both restored to last night's before each run.
    let roots = last_days(&results, max_days)?;
    let cache = work.join("cache");
    let in_place = work.join("site-in-place");
    let _ = std::fs::remove_dir_all(&cache);
    let _ = std::fs::remove_dir_all(&in_place);
    let mut runs = Vec::new();
    let mut tests = 0;
    let mut parts = Vec::new();
    for _ in 0..repeat {
        // Back to "29 days cached", last night's site in both folders.
        build_once(
            &roots[..roots.len() - 1],
            Some(&cache),
            &out,
            routing,
            Some(&in_place),
        )?;
        let built = build_once(&roots, Some(&cache), &out, routing, Some(&in_place))?;
        let (stages, t) = (built.stages, built.tests);
        parts.push(built.published);
        let c = Cache::new(cache.clone());
        for f in ingest::find_files(&roots[roots.len() - 1..]) {
            c.forget(&f.path);
        }
        tests = t;
        runs.push(stages);
    }
    let stages = medians(runs);
    let in_bytes: u64 = roots.iter().map(|r| dir_stats(r).1).sum();
    print_table(
        &format!(
            "nightly build, {max_days} days with {} cached: {tests} results{}",
            max_days - 1,
            if routing.is_some() { ", routed" } else { "" }
        ),
        &stages,
        tests,
        in_bytes,
    );
    let stage = |name: &str| {
        stages
            .iter()
            .find(|s| s.name == name)
            .expect("every build has this stage")
    };
    let (publish, in_place) = (stage("publish"), stage("(write in place)"));
    println!(
        "atomic publishing: {:.3} s against {:.3} s writing in place: {:+.3} s, {:+.1}% of the write time",
        publish.secs,
        in_place.secs,
        publish.secs - in_place.secs,
        (publish.secs - in_place.secs) / in_place.secs * 100.0
    );
    parts.sort_by_key(Published::total);
    let p = &parts[parts.len() / 2];
    println!(
        "  publishing, the median run: staging {:.3} s ({} files written, {} unchanged linked, {} removed), switch and its fsync {:.3} s, last night's tree kept for the next staging {:.3} s",
        p.stage.as_secs_f64(),
        p.staged.written,
        p.staged.linked,
        p.staged.removed,
        p.switch.as_secs_f64(),
        p.cleanup.as_secs_f64()
    );
    println!("\nscaling curve (cold builds)");
    println!(
        "{:>5} {:>12} {:>9} {:>10} {:>12}",
        "days", "results", "wall s", "peak MiB", "site files"
    );
    for (d, tests, secs, peak, files) in curve {
        println!("{d:>5} {tests:>12} {secs:>9.2} {peak:>10.0} {files:>12}");
    }
    Ok(())
}
