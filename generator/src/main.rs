//! The `regtrack` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use regtrack::ingest::LoadOptions;
use regtrack::ingest::cache::Cache;
use regtrack::report::ledger::Ledger;
use regtrack::report::{Report, build_report_with};
use regtrack::route::{RouteOptions, Router};
use regtrack::site::{SiteOptions, write_site};

/// Correlate Linux kernel CI results into regressions and write a static site.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read results and write the site.
    Build {
        #[command(flatten)]
        input: InputArgs,
        /// Where to write the site.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        route: RouteArgs,
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
        #[command(flatten)]
        site: SiteArgs,
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
    },
    /// What changed since a night (new, confirmed, fixed, reopened regressions), from the
    /// ledger's events: a digest on stdout, and with --mbox RFC 5322 messages for a mailer.
    /// Reads the results like `build` (to route and describe them) but writes no site and
    /// leaves the ledger as it is.
    Report {
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        route: RouteArgs,
        #[command(flatten)]
        announce: AnnounceArgs,
    },
    /// Validate results and print diagnostics and the summary, without writing a site.
    Check {
        #[command(flatten)]
        input: InputArgs,
    },
}

#[derive(clap::Args)]
struct InputArgs {
    /// A folder of results, searched recursively: KCIDB JSON (`.json`, `.json.gz`), KTAP,
    /// JUnit XML, LTP kirk and TuxRun `results.json`. Repeatable.
    #[arg(long = "results", required = true, value_name = "DIR")]
    results: Vec<PathBuf>,
    /// Context for results that lack it (KTAP, JUnit, kirk, TuxRun), e.g.
    /// `--context platform=juno-r2`; `regtrack-context.toml` files override it. Repeatable.
    #[arg(long = "context", value_name = "KEY=VALUE")]
    context: Vec<String>,
    /// Exit non-zero when any record or file was rejected (the site is still written).
    #[arg(long)]
    strict: bool,
    /// Refuse files larger than this many bytes (after decompression).
    #[arg(long, value_name = "BYTES", default_value_t = regtrack::ingest::MAX_FILE_BYTES)]
    max_file_size: u64,
    /// Cache parsed KCIDB files here between runs (default: $REGTRACK_CACHE_DIR,
    /// $XDG_CACHE_HOME/regtrack or ~/.cache/regtrack). Safe to delete.
    #[arg(long, value_name = "DIR")]
    cache: Option<PathBuf>,
    /// Parse every file again; neither read nor write the cache.
    #[arg(long)]
    no_cache: bool,
}

impl InputArgs {
    fn options(&self, date: Option<NaiveDate>) -> Result<LoadOptions> {
        Ok(LoadOptions {
            roots: self.results.clone(),
            date,
            context: regtrack::ingest::run_context::RunContext::from_flags(&self.context)
                .map_err(anyhow::Error::msg)?,
            max_file_bytes: self.max_file_size,
            cache: if self.no_cache {
                None
            } else {
                self.cache
                    .clone()
                    .or_else(regtrack::ingest::cache::Cache::default_dir)
                    .map(regtrack::ingest::cache::Cache::new)
            },
        })
    }

    /// Under `--strict`, fails when anything was rejected.
    fn check_strict(&self, report: &Report) -> Result<()> {
        let rejected: usize = report.summary.rejected.values().sum();
        if self.strict && (rejected > 0 || report.summary.files_rejected > 0) {
            anyhow::bail!(
                "--strict: {rejected} records and {} files were rejected",
                report.summary.files_rejected
            );
        }
        Ok(())
    }
}

#[derive(clap::Args)]
struct SiteArgs {
    /// Report date (YYYY-MM-DD); results after it are ignored. Default: newest day in the data.
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<NaiveDate>,
    /// Site title.
    #[arg(long, default_value = "Kernel regressions")]
    title: String,
    /// Public URL of the site, used to print absolute permalinks.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// A theme folder whose `templates/` override the built-in templates by name.
    #[arg(long, value_name = "DIR")]
    theme: Option<PathBuf>,
    /// Maintainer content: `regressions/<id>.md` annotations, `known-issues.toml`, pages.
    #[arg(long, value_name = "DIR")]
    content: Option<PathBuf>,
    /// The permalink ledger to read and update. Default: OUT/api/v1/ledger.json.
    #[arg(long, value_name = "FILE")]
    ledger: Option<PathBuf>,
    /// KCIDB origin of the regressions exported to api/v1/kcidb.json (`[a-z0-9_]+`).
    #[arg(long, value_name = "NAME", default_value = regtrack::announce::DEFAULT_ORIGIN)]
    kcidb_origin: String,
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

impl SiteArgs {
    fn options(&self) -> SiteOptions {
        SiteOptions {
            title: self.title.clone(),
            base_url: self.base_url.clone(),
            theme_dir: self.theme.clone(),
            kcidb_origin: Some(self.kcidb_origin.clone()),
        }
    }
}

/// Routing: each regression's subsystems, maintainers, lists and suspect commits.
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

impl RouteArgs {
    /// The options, with the site's `test-owners.toml` (from `--content`) and a cache folder
    /// for the kernel tree's index.
    fn options(&self, content: Option<&std::path::Path>, cache: Option<PathBuf>) -> RouteOptions {
        RouteOptions {
            maintainers: self.maintainers.clone(),
            kernel_source: self.kernel_source.clone(),
            kernel_git: self.kernel_git.clone(),
            test_owners: content
                .map(|c| c.join("test-owners.toml"))
                .filter(|p| p.is_file()),
            cache,
        }
    }
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

fn build(
    input: &InputArgs,
    out: &std::path::Path,
    site: &SiteArgs,
    route: &RouteOptions,
) -> Result<()> {
    let content = match &site.content {
        Some(dir) => {
            anyhow::ensure!(dir.is_dir(), "content folder {} not found", dir.display());
            regtrack::content::load(dir)
        }
        None => Default::default(),
    };
    let ledger_path = site
        .ledger
        .clone()
        .unwrap_or_else(|| out.join("api/v1/ledger.json"));
    let mut ledger = Ledger::load(&ledger_path)?;
    let mut tm = regtrack::timings::Timer::start();
    let mut report = build_report_with(&input.options(site.date)?, content, &mut ledger);
    tm.mark("ingest and correlate, in all");
    if !route.is_empty() {
        report.route(&Router::load(route));
        tm.mark("route");
    }
    print_diagnostics(&report);
    if let Some(r) = &report.routing {
        eprintln!("{}", r.summary);
    }
    regtrack::announce::remember(&mut ledger, &report, &site.options().announce());
    let stats = write_site(&report, &ledger, out, &site.options())
        .with_context(|| format!("writing the site to {}", out.display()))?;
    tm.mark("render and write the site");
    if site.ledger.is_some() {
        std::fs::write(&ledger_path, ledger.to_json())
            .with_context(|| format!("writing the ledger {}", ledger_path.display()))?;
    }
    eprintln!(
        "report for {}: {} regressions; wrote {} files ({} bytes) to {}",
        report
            .report_date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "an empty history".into()),
        report.regressions.len(),
        stats.files,
        stats.bytes,
        out.display()
    );
    println!("{}", out.join("index.html").display());
    input.check_strict(&report)
}

/// `regtrack report`: the digest on stdout, and the mbox when asked.
fn report_command(
    input: &InputArgs,
    site: &SiteArgs,
    route: &RouteArgs,
    args: &AnnounceArgs,
) -> Result<()> {
    let content = match &site.content {
        Some(dir) => regtrack::content::load(dir),
        None => Default::default(),
    };
    let mut ledger = match &site.ledger {
        Some(p) => Ledger::load(p)?,
        None => Ledger::default(),
    };
    let mut report = build_report_with(&input.options(site.date)?, content, &mut ledger);
    let cache = (!input.no_cache)
        .then(|| input.cache.clone().or_else(Cache::default_dir))
        .flatten();
    let route = route.options(site.content.as_deref(), cache);
    if !route.is_empty() {
        report.route(&Router::load(&route));
    }
    let opts = site.options().announce();
    regtrack::announce::remember(&mut ledger, &report, &opts);
    let since = args
        .since
        .or_else(|| report.report_date.and_then(|d| d.pred_opt()));
    let digest = regtrack::announce::digest::Digest::new(&report, &ledger, since, &opts);
    let out = match args.format {
        DigestFormat::Text => digest.text().into_bytes(),
        DigestFormat::Markdown => digest.markdown().into_bytes(),
        DigestFormat::Json => digest.json(),
    };
    use std::io::Write;
    std::io::stdout().write_all(&out)?;
    if let Some(path) = &args.mbox {
        let (mbox, n) =
            regtrack::announce::mbox::mbox(&report, &ledger, since, Some(&args.from), &opts);
        std::fs::write(path, mbox).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {n} messages to {}", path.display());
    }
    input.check_strict(&report)
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
fn replay(seeds: &[u64], days: &[u32], scales: &[u32], verbose: bool) -> Result<()> {
    use regtrack::tools::replay;
    let scratch = std::env::temp_dir().join(format!("regtrack-replay-{}", std::process::id()));
    let mut missed = 0;
    let mut all = Vec::new();
    println!("seed  days scale  result");
    for cfg in histories(seeds, days, scales) {
        let score = replay::replay(&cfg, &scratch)?;
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
            "        false entry {} {}  {}  (from {})",
            f.night, f.id, f.title, f.cause
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
        Command::Build {
            input,
            out,
            site,
            route,
        } => {
            let cache = if input.no_cache {
                None
            } else {
                input.cache.clone().or_else(Cache::default_dir)
            };
            let route = route.options(site.content.as_deref(), cache);
            build(&input, &out, &site, &route)
        }
        Command::Demo {
            out,
            seed,
            days,
            scale,
            results_only,
            site,
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
            let mut site = site;
            site.content.get_or_insert_with(|| out.join("content"));
            let input = InputArgs {
                results: vec![results],
                context: Vec::new(),
                strict: true,
                max_file_size: regtrack::ingest::MAX_FILE_BYTES,
                cache: None,
                no_cache: true,
            };
            let route = route.options(site.content.as_deref(), Cache::default_dir());
            build(&input, &out.join("site"), &site, &route)
        }
        Command::Bench {
            work,
            scale,
            days,
            seed,
            repeat,
            route,
        } => {
            let route = route.options(None, Cache::default_dir());
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
            ..
        } => {
            let days = if days.is_empty() { vec![10, 30] } else { days };
            replay(&seeds, &days, &scale, verbose)
        }
        Command::Accuracy {
            seeds,
            days,
            scale,
            replay: false,
            verbose,
            real: None,
        } => {
            let days = if days.is_empty() { vec![14, 30] } else { days };
            accuracy(&seeds, &days, &scale, verbose)
        }
        Command::Report {
            input,
            site,
            route,
            announce,
        } => report_command(&input, &site, &route, &announce),
        Command::Check { input } => {
            let report = build_report_with(
                &input.options(None)?,
                Default::default(),
                &mut Ledger::default(),
            );
            print_diagnostics(&report);
            input.check_strict(&report)
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
