//! Stage 1, ingest: result folders in, one merged [`Dataset`] out.
//!
//! [`discover`] lists the files, [`read`] maps or gunzips them, [`parse`] turns each into rows
//! ([`kcidb`] for KCIDB JSON, [`formats`] plus [`run_context`] for KTAP, JUnit, kirk and
//! TuxRun, through the [`cache`]), on every core in the ordered [`pipeline`], and [`dataset`]
//! absorbs them in path order, so "first non-null wins" means the same thing on every run and
//! every machine.

pub mod cache;
pub mod dataset;
pub mod discover;
pub mod formats;
pub mod kcidb;
mod parse;
pub mod pipeline;
pub mod read;
pub mod run_context;
pub mod window;

use std::path::PathBuf;

use chrono::NaiveDate;

pub use dataset::Dataset;
pub use discover::{Found, find_files};
pub use read::{Buffers, MAX_FILE_BYTES, read_into, read_text};
use run_context::{Resolver, RunContext};

/// What to read.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub roots: Vec<PathBuf>,
    /// Report date: objects dated later are ignored (and counted).
    pub date: Option<NaiveDate>,
    /// Context given on the command line for non-KCIDB results.
    pub context: RunContext,
    pub max_file_bytes: u64,
    /// Where parsed files are cached between runs (`None`: no cache).
    pub cache: Option<cache::Cache>,
    /// Only files of the last this many days are read (`--history-days`, see [`window`]).
    pub history_days: Option<u32>,
}

impl LoadOptions {
    pub fn new(roots: &[PathBuf], date: Option<NaiveDate>) -> Self {
        LoadOptions {
            roots: roots.to_vec(),
            date,
            context: RunContext::default(),
            max_file_bytes: MAX_FILE_BYTES,
            cache: None,
            history_days: None,
        }
    }
}

/// Reads and merges every result file under `roots`.
pub fn load(roots: &[PathBuf], date: Option<NaiveDate>) -> Dataset {
    load_with(&LoadOptions::new(roots, date))
}

/// Reads and merges every result file under the options' roots.
pub fn load_with(opts: &LoadOptions) -> Dataset {
    let mut files = find_files(&opts.roots);
    let mut aged_out = 0;
    if let Some(days) = opts.history_days {
        (files, aged_out) = window::within(files, opts.date, days);
    }
    crate::progress::files(files.len());
    let mut resolver = Resolver::new(opts.context.clone());
    let contexts: Vec<Result<RunContext, String>> = files
        .iter()
        .map(|f| resolver.resolve(&f.root, &f.path))
        .collect();
    let mut ds = Dataset::default();
    ds.summary.files_aged_out = aged_out;
    let work: Vec<(&Found, &Result<RunContext, String>)> = files.iter().zip(&contexts).collect();
    let buffers = Buffers::default();
    let parse = |(f, ctx): &(&Found, &Result<RunContext, String>)| {
        parse::parse_cached(f, ctx, opts.cache.as_ref(), opts.max_file_bytes, &buffers)
    };
    let mut tm = crate::timings::Timer::start();
    let mut absorbing = std::time::Duration::ZERO;
    pipeline::pipeline(&work, parse, |parsed| {
        let t = std::time::Instant::now();
        ds.absorb_one(parsed);
        absorbing += t.elapsed();
        crate::progress::file_done();
    });
    tm.mark("read and parse files");
    tm.note("of which absorbing them, on the main thread", absorbing);
    ds.finish_tests();
    tm.mark("merge tests seen twice");
    ds.settle_report_date(opts.date);
    tm.mark("report date");
    ds.count_orphans();
    tm.mark("count orphans");
    ds
}
