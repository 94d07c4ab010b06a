//! The `regtrack` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use regtrack::report::{Report, build_report};
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
    /// Read KCIDB results and write the site.
    Build {
        /// A folder of KCIDB JSON files (`.json`, `.json.gz`), searched recursively. Repeatable.
        #[arg(long = "results", required = true, value_name = "DIR")]
        results: Vec<PathBuf>,
        /// Where to write the site.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[command(flatten)]
        site: SiteArgs,
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
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Validate KCIDB results and print diagnostics, without writing a site.
    Check {
        #[arg(long = "results", required = true, value_name = "DIR")]
        results: Vec<PathBuf>,
    },
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
}

impl SiteArgs {
    fn options(&self) -> SiteOptions {
        SiteOptions {
            title: self.title.clone(),
            base_url: self.base_url.clone(),
            theme_dir: self.theme.clone(),
        }
    }
}

/// Diagnostics printed in full on the terminal before the rest are only counted.
const MAX_PRINTED_DIAGNOSTICS: usize = 50;

fn print_diagnostics(report: &Report) {
    for d in report.diagnostics.iter().take(MAX_PRINTED_DIAGNOSTICS) {
        eprintln!("error: {d}");
    }
    if report.diagnostics.len() > MAX_PRINTED_DIAGNOSTICS {
        eprintln!(
            "... and {} more rejected records (see the summary)",
            report.diagnostics.len() - MAX_PRINTED_DIAGNOSTICS
        );
    }
    eprintln!("{}", report.summary);
}

fn build(results: &[PathBuf], out: &std::path::Path, site: &SiteArgs) -> Result<()> {
    let report = build_report(results, site.date);
    print_diagnostics(&report);
    let stats = write_site(&report, out, &site.options())
        .with_context(|| format!("writing the site to {}", out.display()))?;
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
    Ok(())
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Build { results, out, site } => build(&results, &out, &site),
        Command::Demo {
            out,
            seed,
            days,
            site,
        } => {
            let results = out.join("results");
            let n = regtrack::demo::write_demo(&results, seed, days)
                .with_context(|| format!("writing demo data to {}", results.display()))?;
            eprintln!("wrote {n} KCIDB files to {}", results.display());
            build(&[results], &out.join("site"), &site)
        }
        Command::Check { results } => {
            let report = build_report(&results, None);
            print_diagnostics(&report);
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
