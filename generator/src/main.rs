//! The `regtrack` command line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use regtrack::config::BuildOptions;
use regtrack::kill_point::reached;
use regtrack::lock::Lock;
use regtrack::report::ledger::Ledger;
use regtrack::report::{Report, build_report_with};
use regtrack::route::{RouteOptions, Router};
use regtrack::site::render_site;

/// Correlate Linux kernel CI results into regressions and write a static site.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read results and publish the site (atomically, under a lock).
    Build {
        #[command(flatten)]
        opts: BuildOptions,
        #[command(flatten)]
        only: BuildOnly,
    },
    /// Write a commented regtrack.toml (every option, with its default).
    Init {
        /// Where to write it.
        #[arg(long, value_name = "FILE", default_value = "regtrack.toml")]
        config: PathBuf,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Serve the published site over http on localhost, to preview the http path.
    Serve {
        /// The site folder [default: `out` from regtrack.toml].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// The port on 127.0.0.1 (0: any free one).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// The config file [default: ./regtrack.toml if present].
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Generate the built-in demo history (KCIDB files) and build its site.
    Demo {
        /// Where to write `results/` (the KCIDB input) and `site/`.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Random seed; the same seed gives byte-identical files.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Days of history.
        #[arg(long, default_value_t = 14)]
        days: u32,
        /// Size knob: multiplies the boards (so results per day); 1 gives ~5k results a day.
        #[arg(long, default_value_t = 1)]
        scale: u32,
        /// Only write the KCIDB input (for benchmarks), not the site.
        #[arg(long)]
        results_only: bool,
        /// Report date (YYYY-MM-DD); results after it are ignored.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
        /// Site title.
        #[arg(long)]
        title: Option<String>,
        /// Public URL of the site.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// A theme folder.
        #[arg(long, value_name = "DIR")]
        theme: Option<PathBuf>,
        /// Maintainer content [default: the demo's].
        #[arg(long, value_name = "DIR")]
        content: Option<PathBuf>,
        /// The permalink ledger [default: in the site].
        #[arg(long, value_name = "FILE")]
        ledger: Option<PathBuf>,
        #[command(flatten)]
        route: RouteArgs,
    },
    /// Measure a KernelCI-sized history: per-stage time, throughput and memory, cold and nightly.
    Bench {
        /// Working folder for the generated input, cache and site (reused between runs).
        #[arg(long, value_name = "DIR", default_value = "target/bench")]
        work: PathBuf,
        /// Size knob of the generated history (128 is about 640k results a day).
        #[arg(long, default_value_t = 128)]
        scale: u32,
        /// History lengths to build, in days (comma-separated); the largest is generated.
        #[arg(long, value_delimiter = ',', default_value = "1,3,10,30")]
        days: Vec<usize>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Runs per figure; the median is printed.
        #[arg(long, default_value_t = 3)]
        repeat: usize,
        /// With routing inputs, every cold build is measured without and with routing.
        #[command(flatten)]
        route: RouteArgs,
    },
    /// Score the correlation engine against demo histories with planted ground truth.
    Accuracy {
        /// Seeds to generate (comma-separated).
        #[arg(long, value_delimiter = ',', default_value = "1,2,3")]
        seeds: Vec<u64>,
        /// History lengths in days (comma-separated; default 14,30, or 10,30 with --replay).
        #[arg(long, value_delimiter = ',')]
        days: Vec<u32>,
        /// Board multipliers (comma-separated).
        #[arg(long, value_delimiter = ',', default_value = "1")]
        scale: Vec<u32>,
        /// Replay each history night by night into one site (as a nightly job builds it) and
        /// score every night's publication: false entries, delays, id changes, permalinks.
        #[arg(long)]
        replay: bool,
        /// Print every miss, split, merge and false positive (with --replay: every night).
        #[arg(long)]
        verbose: bool,
        /// Measure real CI history instead: the folder holding `cip/` (CIP's KCIDB history
        /// and its lab health checks), e.g. ../shared/realdata. Flip-flopping series listed
        /// flaky and kept out of regressions, lab outages against the health-check record.
        #[arg(long, value_name = "DIR", conflicts_with = "replay")]
        real: Option<PathBuf>,
        /// With --replay: build every night with this regtrack binary instead (e.g. an
        /// earlier release), scored the same way, to compare releases side by side.
        #[arg(long, value_name = "FILE", requires = "replay")]
        binary: Option<PathBuf>,
    },
    /// What changed since a night (new, confirmed, fixed, reopened regressions), from the
    /// ledger's events: a digest on stdout, and with --mbox RFC 5322 messages for a mailer.
    /// Reads the results like `build` (to route and describe them) but writes no site and
    /// leaves the ledger as it is.
    Report {
        #[command(flatten)]
        opts: BuildOptions,
        #[command(flatten)]
        only: BuildOnly,
        #[command(flatten)]
        announce: AnnounceArgs,
    },
    /// Validate results and print diagnostics and the summary, without writing a site
    /// (takes build's options; those about the site are not used).
    Check {
        #[command(flatten)]
        opts: BuildOptions,
        /// The config file [default: ./regtrack.toml if present].
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

/// Build flags that are not config keys: they are about one run, not the nightly job.
#[derive(clap::Args, Default)]
struct BuildOnly {
    /// The config file [default: ./regtrack.toml if present].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Report date (YYYY-MM-DD); results after it are ignored. Default: newest day in the data.
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<NaiveDate>,
    /// When the ledger is broken or lost, rebuild it from the published site's permalink
    /// pages and exports (and complete a good one with ids only the site has).
    #[arg(long)]
    ledger_recover: bool,
}

/// `regtrack report`: which nights, in which form.
#[derive(clap::Args)]
struct AnnounceArgs {
    /// Events after this night (YYYY-MM-DD). Default: the night before the report date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    since: Option<NaiveDate>,
    /// How the digest is printed.
    #[arg(long, value_enum, default_value = "text")]
    format: DigestFormat,
    /// Also write an mbox: one message per regression published since then, then the digest.
    #[arg(long, value_name = "FILE")]
    mbox: Option<PathBuf>,
    /// The messages' sender.
    #[arg(long, value_name = "ADDRESS", default_value = regtrack::announce::mbox::DEFAULT_FROM)]
    from: String,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum DigestFormat {
    Text,
    Markdown,
    Json,
}

/// `regtrack report`: the digest on stdout, and the mbox when asked. The ledger is read (from
/// `--ledger`, else the published site's copy when `--out` is given), never written.
fn report_command(opts: &BuildOptions, only: &BuildOnly, args: &AnnounceArgs) -> Result<()> {
    let content = match &opts.content {
        Some(dir) => regtrack::content::load(dir.path()),
        None => Default::default(),
    };
    let ledger_path = match (&opts.ledger, &opts.out) {
        (Some(l), _) => Some(l.path().to_path_buf()),
        (None, Some(out)) => Some(out.path().join("api/v1/ledger.json")),
        (None, None) => None,
    };
    let mut ledger = match &ledger_path {
        Some(p) => Ledger::load(p)?,
        None => Ledger::default(),
    };
    let mut report = build_report_with(&opts.load_options(only.date)?, content, &mut ledger);
    let route = opts.route_options();
    if !route.is_empty() {
        report.route(&Router::load(&route));
    }
    let announce = opts.site_options().announce();
    regtrack::announce::remember(&mut ledger, &report, &announce);
    let since = args
        .since
        .or_else(|| report.report_date.and_then(|d| d.pred_opt()));
    let digest = regtrack::announce::digest::Digest::new(&report, &ledger, since, &announce);
    let out = match args.format {
        DigestFormat::Text => digest.text().into_bytes(),
        DigestFormat::Markdown => digest.markdown().into_bytes(),
        DigestFormat::Json => digest.json(),
    };
    use std::io::Write;
    std::io::stdout().write_all(&out)?;
    if let Some(path) = &args.mbox {
        let (mbox, n) =
            regtrack::announce::mbox::mbox(&report, &ledger, since, Some(&args.from), &announce);
        std::fs::write(path, mbox).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {n} messages to {}", path.display());
    }
    check_strict(opts, &report)
}

/// The command line's options over the config file's (found or given).
fn with_config(cli: BuildOptions, config: Option<&Path>) -> Result<BuildOptions> {
    Ok(match regtrack::config::file::find(config)? {
        Some(path) => cli.over(regtrack::config::file::load(&path)?),
        None => cli,
    })
}

/// Under `--strict`, fails when anything was rejected.
fn check_strict(opts: &BuildOptions, report: &Report) -> Result<()> {
    let rejected: usize = report.summary.rejected.values().sum();
    if opts.strict == Some(true) && (rejected > 0 || report.summary.files_rejected > 0) {
        anyhow::bail!(
            "--strict: {rejected} records and {} files were rejected",
            report.summary.files_rejected
        );
    }
    Ok(())
}

/// Routing inputs for `demo` and `bench` (`build` and `check` take them from BuildOptions).
#[derive(clap::Args, Clone, Default)]
struct RouteArgs {
    /// The kernel's MAINTAINERS file: route every regression to its subsystems, maintainers
    /// and lists (default with --kernel-source: the tree's own).
    #[arg(long, value_name = "FILE")]
    maintainers: Option<PathBuf>,
    /// An unpacked kernel tree: maps crash frames and KUnit suites to their files (indexed
    /// once, then cached).
    #[arg(long, value_name = "DIR")]
    kernel_source: Option<PathBuf>,
    /// A local clone of the tested tree (bare or not): lists and ranks the commits of each
    /// regression's window. Never fetches.
    #[arg(long, value_name = "DIR")]
    kernel_git: Option<PathBuf>,
}

/// mimalloc: ingest allocates and frees millions of small strings across threads, where it
/// is markedly faster than the system allocator and returns memory more readily.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Opts this process out of transparent huge pages. mimalloc asks for them on its large
/// segments, and a cold build faults in gigabytes of fresh rows and series: zeroing 2 MiB
/// pages at fault time took about a quarter of all CPU (`perf`: `clear_page_erms` under
/// `do_huge_pmd_anonymous_page`). Opting out cut the 15M-result cold build from 9.4 s to 7.6 s
/// wall and its system time from 5.0 s to 1.5 s at the same peak memory. The prctl covers
/// both THP modes: `madvise` (mimalloc's request is then ignored) and `always`.
fn disable_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments only; a failure (old kernel) is harmless.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Diagnostics printed in full on the terminal before the rest are only counted.
const MAX_PRINTED_DIAGNOSTICS: usize = 50;

fn print_diagnostics(report: &Report) {
    for d in report.diagnostics.iter().take(MAX_PRINTED_DIAGNOSTICS) {
        // Conflicts, and problems that reject no record (routing's), are warnings.
        let level = match d.reason {
            regtrack::diag::RejectReason::Conflict => "warning",
            _ if d.records == 0 => "warning",
            _ => "error",
        };
        eprintln!("{level}: {d}");
    }
    if report.diagnostics.len() > MAX_PRINTED_DIAGNOSTICS {
        eprintln!(
            "... and {} more rejected records (see the summary)",
            report.diagnostics.len() - MAX_PRINTED_DIAGNOSTICS
        );
    }
    eprintln!("{}", report.summary);
}

/// The cache's lock, held while results are read (and cache entries written). A cache folder
/// that cannot be created only costs speed: the build goes on without it.
fn lock_cache(
    load: &mut regtrack::ingest::LoadOptions,
    opts: &BuildOptions,
) -> Result<Option<Lock>> {
    let Some(c) = &load.cache else {
        return Ok(None);
    };
    if let Err(e) = std::fs::create_dir_all(c.dir()) {
        eprintln!(
            "warning: the cache {} cannot be used ({e}); building without it",
            c.dir().display()
        );
        load.cache = None;
        return Ok(None);
    }
    let what = format!("the cache {}", c.dir().display());
    Lock::acquire(&c.dir().join(".lock"), &what, opts.cache_lock_wait()).map(Some)
}

/// What a build did, for the terminal and `--summary-json`.
#[derive(serde::Serialize, Default)]
struct BuildSummary {
    status: &'static str,
    error: Option<String>,
    report_date: Option<String>,
    site: Option<String>,
    published: bool,
    /// Published (confirmed) regressions, as `api/v1/regressions.json` lists them.
    regressions: usize,
    /// First failures waiting for their confirmation.
    unconfirmed: usize,
    new: usize,
    fixed: usize,
    reopened: usize,
    archived: usize,
    files_read: usize,
    files_cached: usize,
    files_aged_out: usize,
    files_rejected: usize,
    records_rejected: usize,
    site_files: usize,
    site_files_written: usize,
    site_files_linked: usize,
    seconds: f64,
}

/// Loads the ledger at `path`; under `--ledger-recover`, one rebuilt from the published site
/// replaces a broken ledger and completes a good one.
fn load_ledger(path: &Path, site: &Path, recover: bool) -> Result<Ledger> {
    let loaded = Ledger::load(path);
    if !recover {
        return loaded;
    }
    let (found, n) = regtrack::report::ledger_recover::recover(site, path)?;
    let mut ledger = match loaded {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e:#}");
            Ledger::default()
        }
    };
    let before = ledger.entries.len();
    for (id, e) in found.entries {
        ledger.entries.entry(id).or_insert(e);
    }
    eprintln!(
        "--ledger-recover: {} ids added to the ledger from {} ({n}); it now has {}",
        ledger.entries.len() - before,
        site.display(),
        ledger.entries.len()
    );
    Ok(ledger)
}

fn build(opts: &BuildOptions, only: &BuildOnly, summary: &mut BuildSummary) -> Result<()> {
    let started = Instant::now();
    regtrack::progress::enable(opts.progress != Some(false));
    let target = regtrack::publish::Target::new(opts.out()?)?;
    let out = target.out().to_path_buf();
    summary.site = Some(out.display().to_string());
    let _site_lock = target.lock(opts.lock_wait())?;
    let external_ledger = opts.ledger.as_ref().map(|p| p.path().to_path_buf());
    let _ledger_lock = match &external_ledger {
        Some(path) => {
            let mut lock = path.as_os_str().to_owned();
            lock.push(".lock");
            Some(Lock::acquire(
                Path::new(&lock),
                &format!("the ledger {}", path.display()),
                opts.lock_wait(),
            )?)
        }
        None => None,
    };
    reached("locked");
    let content = match &opts.content {
        Some(dir) => {
            let dir = dir.path();
            anyhow::ensure!(dir.is_dir(), "content folder {} not found", dir.display());
            regtrack::content::load(dir)
        }
        None => Default::default(),
    };
    // The default ledger is the published site's copy; the new one goes into the new site.
    let ledger_path = external_ledger
        .clone()
        .unwrap_or_else(|| out.join("api/v1/ledger.json"));
    let mut ledger = load_ledger(&ledger_path, &out, only.ledger_recover)?;
    let mut load = opts.load_options(only.date)?;
    let cache_lock = lock_cache(&mut load, opts)?;
    let mut tm = regtrack::timings::Timer::start();
    let mut report = build_report_with(&load, content, &mut ledger);
    drop(cache_lock);
    tm.mark("ingest and correlate, in all");
    reached("ingested");
    let route = opts.route_options();
    if !route.is_empty() {
        regtrack::progress::phase("routing");
        report.route(&Router::load(&route));
        tm.mark("route");
    }
    regtrack::announce::remember(&mut ledger, &report, &opts.site_options().announce());
    regtrack::progress::phase("rendering the site");
    let rendered = render_site(&report, &ledger, &opts.site_options())
        .with_context(|| format!("rendering the site for {}", out.display()))?;
    tm.mark("render the site");
    reached("rendered");
    regtrack::progress::phase("publishing the site");
    let published = target.publish(rendered.files(), || {
        if let Some(path) = &external_ledger {
            regtrack::durable::write_atomic(path, &ledger.to_json())
                .with_context(|| format!("writing the ledger {}", path.display()))?;
        }
        Ok(())
    })?;
    tm.note(
        "staging (files compared, written, on disk)",
        published.stage,
    );
    tm.note("switch and its fsync", published.switch);
    tm.note(
        "last night's tree kept for the next build",
        published.cleanup,
    );
    tm.mark("publish the site");
    regtrack::progress::finish();
    print_diagnostics(&report);
    if let Some(r) = &report.routing {
        eprintln!("{}", r.summary);
    }
    let count = |s: &str| {
        report
            .published()
            .iter()
            .filter(|r| r.status.as_str() == s)
            .count()
    };
    *summary = BuildSummary {
        status: "ok",
        report_date: report.report_date.map(|d| d.to_string()),
        site: summary.site.take(),
        published: true,
        regressions: report.published().len(),
        unconfirmed: report.unconfirmed().len(),
        new: count("new"),
        fixed: count("fixed"),
        reopened: count("reopened"),
        archived: report.archived.len(),
        files_read: report.summary.files,
        files_cached: report.summary.files_cached,
        files_aged_out: report.summary.files_aged_out,
        files_rejected: report.summary.files_rejected,
        records_rejected: report.summary.rejected.values().sum(),
        site_files: published.staged.files,
        site_files_written: published.staged.written,
        site_files_linked: published.staged.linked,
        seconds: started.elapsed().as_secs_f64(),
        error: None,
    };
    eprintln!(
        "report for {}: {} regressions ({} unconfirmed apart); published {} files ({} bytes; {} unchanged, linked) to {}",
        summary.report_date.as_deref().unwrap_or("an empty history"),
        report.published().len(),
        report.unconfirmed().len(),
        published.staged.files,
        published.staged.bytes,
        published.staged.linked,
        out.display()
    );
    println!("{}", out.join("index.html").display());
    check_strict(opts, &report)
}

/// `build`, then the one-line summary (also when it failed) if asked for.
fn build_and_summarise(opts: &BuildOptions, only: &BuildOnly) -> Result<()> {
    let started = Instant::now();
    let mut summary = BuildSummary::default();
    let result = build(opts, only, &mut summary);
    reached("cleaned");
    if let Err(e) = &result {
        summary.status = "failed";
        summary.error = Some(format!("{e:#}"));
        summary.seconds = started.elapsed().as_secs_f64();
    }
    if let Some(path) = &opts.summary_json {
        let mut line = serde_json::to_vec(&summary).expect("summary serialises");
        line.push(b'\n');
        regtrack::durable::write_atomic(path.path(), &line)
            .with_context(|| format!("writing the summary {}", path.path().display()))?;
    }
    result
}

/// The histories an `accuracy` run covers: every (scale, days, seed).
fn histories(seeds: &[u64], days: &[u32], scales: &[u32]) -> Vec<regtrack::demo::DemoConfig> {
    let mut out = Vec::new();
    for &scale in scales {
        for &d in days {
            for &seed in seeds {
                out.push(regtrack::demo::DemoConfig {
                    seed,
                    days: d,
                    scale,
                    ..Default::default()
                });
            }
        }
    }
    out
}

/// `accuracy --replay`: one line per history, every night with `--verbose`; fails when a
/// history misses a target.
fn replay(
    seeds: &[u64],
    days: &[u32],
    scales: &[u32],
    verbose: bool,
    binary: Option<&Path>,
) -> Result<()> {
    use regtrack::tools::replay;
    let scratch = std::env::temp_dir().join(format!("regtrack-replay-{}", std::process::id()));
    let mut missed = 0;
    let mut all = Vec::new();
    println!("seed  days scale  result");
    for cfg in histories(seeds, days, scales) {
        let score = match binary {
            Some(b) => replay::replay_binary(&cfg, &scratch, b)?,
            None => replay::replay(&cfg, &scratch)?,
        };
        println!("{:>4} {:>5} {:>5}  {score}", cfg.seed, cfg.days, cfg.scale);
        if verbose {
            print_replay_details(&score);
        }
        missed += usize::from(!score.meets_targets());
        all.push(score);
    }
    let _ = std::fs::remove_dir_all(&scratch);
    let nights: usize = all.iter().map(|s| s.nights.len()).sum();
    let falses: usize = all.iter().map(|s| s.false_entries.len()).sum();
    let delays: Vec<i64> = all
        .iter()
        .flat_map(|s| s.planted.iter().filter_map(|p| p.delay()))
        .collect();
    println!(
        "all: {falses} false entries over {nights} nights ({:.1} per 10 nights); a first failure waits {} nights on average before it is published; {missed} of {} histories missed a target",
        falses as f64 * 10.0 / nights.max(1) as f64,
        if delays.is_empty() {
            "-".to_string()
        } else {
            format!(
                "{:.2}",
                delays.iter().sum::<i64>() as f64 / delays.len() as f64
            )
        },
        all.len()
    );
    anyhow::ensure!(
        missed == 0,
        "{missed} histories missed a target (at most {} false entry per 10 nights, every planted regression published in time, no id change, no broken permalink)",
        replay::MAX_FALSE_PER_10_NIGHTS
    );
    Ok(())
}

/// Every night of a replay, then each planted regression and the causes of false entries.
fn print_replay_details(score: &regtrack::tools::replay::ReplayScore) {
    let last = score.nights.iter().filter_map(|n| n.date).max();
    for n in &score.nights {
        let date = n.date.map_or("?".to_string(), |d| d.to_string());
        println!(
            "        {date}  published {:>3} (false {:>3}, new false {:>2})  held back {:>2}  first published {}  waiting {}{}{}",
            n.published,
            n.false_listed,
            n.new_false.len(),
            n.held_back,
            list_or_dash(n.first_published.iter().map(|(p, d)| format!("{p} (+{d})"))),
            list_or_dash(n.unpublished.iter().cloned()),
            if n.broken.is_empty() {
                String::new()
            } else {
                format!("  BROKEN {}", n.broken.join(", "))
            },
            if n.id_changes.is_empty() {
                String::new()
            } else {
                format!("  ID CHANGED {}", n.id_changes.join(", "))
            },
        );
    }
    for p in &score.planted {
        let verdict = match (p.delay(), last.is_some_and(|l| p.late(l))) {
            (_, true) => "LATE",
            (Some(_), false) => "ok",
            (None, false) => "pending",
        };
        println!(
            "        {:<34} first fail {}  target +{}  published {}  {verdict}{}",
            p.name,
            p.first_fail,
            p.publish_within,
            p.delay().map_or("never".to_string(), |d| format!("+{d}")),
            if p.split_nights > 0 {
                format!("  (as several entries on {} nights)", p.split_nights)
            } else {
                String::new()
            }
        );
    }
    for f in &score.false_entries {
        println!(
            "        false entry {} {}  {}  (from {}; confirmed by {})",
            f.night,
            f.id,
            f.title,
            f.cause,
            f.confirmed_by.as_deref().unwrap_or("-")
        );
    }
    for (cause, n) in score.false_causes() {
        println!("        false entries from {cause}: {n}");
    }
}

fn list_or_dash(items: impl Iterator<Item = String>) -> String {
    let v: Vec<String> = items.collect();
    if v.is_empty() {
        "-".into()
    } else {
        v.join(", ")
    }
}

/// `regtrack accuracy --real DIR`: the real-history figures, and whether they meet the targets
/// (flip-flopping series at least 90% listed flaky, at most 5% inside a regression).
fn real_history(dir: &std::path::Path) -> Result<()> {
    let kcidb = dir.join("cip/kcidb");
    anyhow::ensure!(
        kcidb.is_dir(),
        "{} holds no cip/kcidb folder (expected ../shared/realdata)",
        dir.display()
    );
    let (score, _) = regtrack::tools::realdata::measure(dir, &[kcidb])?;
    println!("{score}");
    let share = |a: usize| a as f64 / score.flip_flops.max(1) as f64;
    anyhow::ensure!(
        share(score.flip_flops_flaky) >= 0.9 && share(score.flip_flops_in_regression) <= 0.05,
        "flip-flopping series: targets are at least 90% listed flaky and at most 5% in a regression"
    );
    Ok(())
}

fn accuracy(seeds: &[u64], days: &[u32], scales: &[u32], verbose: bool) -> Result<()> {
    let scratch = std::env::temp_dir().join(format!("regtrack-accuracy-{}", std::process::id()));
    let mut all_ok = true;
    println!("seed  days scale  result");
    for cfg in histories(seeds, days, scales) {
        let score = regtrack::tools::accuracy::run(&cfg, &scratch)?;
        println!("{:>4} {:>5} {:>5}  {score}", cfg.seed, cfg.days, cfg.scale);
        if verbose {
            for p in &score.problems {
                println!("        {p}");
            }
        }
        all_ok &= score.precision() == 1.0 && score.recall() == 1.0;
    }
    let _ = std::fs::remove_dir_all(&scratch);
    anyhow::ensure!(
        all_ok,
        "some histories were not reproduced exactly (see above)"
    );
    Ok(())
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Build { opts, only } => {
            let opts = with_config(opts, only.config.as_deref())?;
            build_and_summarise(&opts, &only)
        }
        Command::Init { config, force } => {
            anyhow::ensure!(
                force || !config.exists(),
                "{} already exists (pass --force to replace it)",
                config.display()
            );
            regtrack::durable::write_atomic(
                &config,
                regtrack::config::template::TEMPLATE.as_bytes(),
            )
            .with_context(|| format!("writing {}", config.display()))?;
            eprintln!(
                "wrote {}: set `results` and `out`, then run `regtrack build`",
                config.display()
            );
            Ok(())
        }
        Command::Serve { out, port, config } => {
            let opts = with_config(
                BuildOptions {
                    out: out.map(Into::into),
                    ..Default::default()
                },
                config.as_deref(),
            )?;
            let root = regtrack::publish::Target::new(opts.out()?)?
                .out()
                .to_path_buf();
            regtrack::serve::serve(&root, port, |addr| {
                println!(
                    "serving {} at http://{addr}/ (Ctrl-C to stop)",
                    root.display()
                );
            })
        }
        Command::Demo {
            out,
            seed,
            days,
            scale,
            results_only,
            date,
            title,
            base_url,
            theme,
            content,
            ledger,
            route,
        } => {
            let results = out.join("results");
            if results_only {
                // Streamed day by day: benchmark-sized histories never sit in memory whole.
                let cfg = regtrack::demo::DemoConfig {
                    seed,
                    days,
                    scale,
                    ..Default::default()
                };
                let (files, bytes) = regtrack::demo::write_results(&cfg, &results)
                    .with_context(|| format!("writing demo data to {}", results.display()))?;
                eprintln!(
                    "wrote {files} KCIDB files ({bytes} bytes) to {}",
                    results.display()
                );
                return Ok(());
            }
            let n = regtrack::demo::write_demo(&out, seed, days, scale)
                .with_context(|| format!("writing demo data to {}", out.display()))?;
            eprintln!(
                "wrote {n} KCIDB files to {} and the demo's content to {}",
                results.display(),
                out.join("content").display()
            );
            let opts = BuildOptions {
                results: vec![results.into()],
                out: Some(out.join("site").into()),
                content: Some(content.unwrap_or_else(|| out.join("content")).into()),
                theme: theme.map(Into::into),
                title,
                base_url,
                ledger: ledger.map(Into::into),
                no_cache: Some(true),
                strict: Some(true),
                maintainers: route.maintainers.map(Into::into),
                kernel_source: route.kernel_source.map(Into::into),
                kernel_git: route.kernel_git.map(Into::into),
                ..Default::default()
            };
            let only = BuildOnly {
                date,
                ..Default::default()
            };
            build_and_summarise(&opts, &only)
        }
        Command::Bench {
            work,
            scale,
            days,
            seed,
            repeat,
            route,
        } => {
            let route = RouteOptions {
                maintainers: route.maintainers,
                kernel_source: route.kernel_source,
                kernel_git: route.kernel_git,
                test_owners: None,
                cache: regtrack::ingest::cache::Cache::default_dir(),
            };
            regtrack::tools::bench::run(&work, scale, &days, seed, repeat, &route)
        }
        Command::Accuracy {
            real: Some(dir), ..
        } => real_history(&dir),
        Command::Accuracy {
            seeds,
            days,
            scale,
            replay: true,
            verbose,
            binary,
            ..
        } => {
            let days = if days.is_empty() { vec![10, 30] } else { days };
            replay(&seeds, &days, &scale, verbose, binary.as_deref())
        }
        Command::Accuracy {
            seeds,
            days,
            scale,
            replay: false,
            verbose,
            real: None,
            ..
        } => {
            let days = if days.is_empty() { vec![14, 30] } else { days };
            accuracy(&seeds, &days, &scale, verbose)
        }
        Command::Report {
            opts,
            only,
            announce,
        } => report_command(
            &with_config(opts, only.config.as_deref())?,
            &only,
            &announce,
        ),
        Command::Check { opts, config } => {
            let opts = with_config(opts, config.as_deref())?;
            let mut load = opts.load_options(None)?;
            let _cache_lock = lock_cache(&mut load, &opts)?;
            let report = build_report_with(&load, Default::default(), &mut Ledger::default());
            print_diagnostics(&report);
            check_strict(&opts, &report)
        }
    }
}

fn main() -> ExitCode {
    disable_transparent_huge_pages();
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
