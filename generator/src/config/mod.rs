//! A build's options, defined once for both `regtrack.toml` and the command line.
//!
//! [`BuildOptions`] is one struct that clap reads flags into and serde reads the config file
//! into (unknown keys refused, with their place: [`file`]; paths and tables: [`values`]);
//! every field is optional and the command line wins field by field
//! ([`BuildOptions::over`]). Adding an option is adding one field to the [`options!`] list
//! below: a doc comment, a clap `#[arg]`, a type. Its key in `regtrack.toml` is the field's
//! name, its flag the same with dashes; then a line in [`template`] (`regtrack init`'s
//! commented file, which a test checks lists every key). Options that make no sense in a
//! nightly config (`--date`, `--ledger-recover`) are flags of the command alone.

pub mod file;
pub mod template;
pub mod values;

use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::ingest::cache::Cache;
use crate::ingest::run_context::RunContext;
use crate::ingest::{LoadOptions, MAX_FILE_BYTES};
use crate::route::RouteOptions;
use crate::site::SiteOptions;

pub use values::ConfigPath;

/// Merging a command-line value over the config file's.
pub trait Merge {
    fn merge(cli: Self, file: Self) -> Self;
}

impl<T> Merge for Option<T> {
    fn merge(cli: Self, file: Self) -> Self {
        cli.or(file)
    }
}

impl<T> Merge for Vec<T> {
    fn merge(cli: Self, file: Self) -> Self {
        if cli.is_empty() { file } else { cli }
    }
}

/// Defines [`BuildOptions`] with its merge and its list of keys from one list of fields.
macro_rules! options {
    ($(#[$sm:meta])* pub struct $name:ident { $($(#[$m:meta])* pub $f:ident: $t:ty,)* }) => {
        $(#[$sm])*
        pub struct $name { $($(#[$m])* pub $f: $t,)* }

        impl $name {
            /// Every key of `regtrack.toml`, in order.
            pub const KEYS: &[&str] = &[$(stringify!($f)),*];

            /// These options (the command line's) over `file`'s, field by field.
            pub fn over(self, file: $name) -> $name {
                $name { $($f: Merge::merge(self.$f, file.$f),)* }
            }
        }
    };
}

options! {
    /// Everything a build (and `check`) reads, from `regtrack.toml` and the command line.
    #[derive(clap::Args, Deserialize, Debug, Clone, Default)]
    #[serde(deny_unknown_fields)]
    pub struct BuildOptions {
        /// A folder of results, searched recursively: KCIDB JSON (`.json`, `.json.gz`), KTAP,
        /// JUnit XML, LTP kirk and TuxRun `results.json`. Repeatable.
        #[arg(long = "results", value_name = "DIR")]
        #[serde(default)]
        pub results: Vec<ConfigPath>,
        /// Where the site is published (replaced atomically on every build).
        #[arg(long, value_name = "DIR")]
        pub out: Option<ConfigPath>,
        /// Maintainer content: `regressions/<id>.md` annotations, `known-issues.toml`, pages.
        #[arg(long, value_name = "DIR")]
        pub content: Option<ConfigPath>,
        /// A theme folder whose `templates/` override the built-in templates by name.
        #[arg(long, value_name = "DIR")]
        pub theme: Option<ConfigPath>,
        /// Site title [default: Kernel regressions].
        #[arg(long)]
        pub title: Option<String>,
        /// Public URL of the site, used to print absolute permalinks.
        #[arg(long, value_name = "URL")]
        pub base_url: Option<String>,
        /// KCIDB origin of the regressions exported to api/v1/kcidb.json (`[a-z0-9_]+`)
        /// [default: regtrack].
        #[arg(long, value_name = "NAME")]
        pub kcidb_origin: Option<String>,
        /// The permalink ledger to read and update. Default: OUT/api/v1/ledger.json.
        #[arg(long, value_name = "FILE")]
        pub ledger: Option<ConfigPath>,
        /// Cache parsed KCIDB files here between runs (default: $REGTRACK_CACHE_DIR,
        /// $XDG_CACHE_HOME/regtrack or ~/.cache/regtrack). Safe to delete.
        #[arg(long, value_name = "DIR")]
        pub cache: Option<ConfigPath>,
        /// Parse every file again; neither read nor write the cache.
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
        pub no_cache: Option<bool>,
        /// Only read results of the last N days (by the `YYYY-MM-DD` in their path, else their
        /// modification day), ending on the report date. Older regressions keep their pages.
        #[arg(long, value_name = "N")]
        pub history_days: Option<NonZeroU32>,
        /// Exit non-zero when any record or file was rejected (the site is still published).
        /// Like every yes/no option, `--strict=false` turns off a `strict = true` in the file.
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
        pub strict: Option<bool>,
        /// Context for results that lack it (KTAP, JUnit, kirk, TuxRun), e.g.
        /// `--context platform=juno-r2`; `regtrack-context.toml` files override it. Repeatable.
        /// In regtrack.toml: a table, `[context]` with `platform = "juno-r2"`.
        #[arg(long = "context", value_name = "KEY=VALUE")]
        #[serde(default, deserialize_with = "values::context_entries")]
        pub context: Vec<String>,
        /// Refuse files larger than this many bytes (after decompression) [default: 1 GiB].
        #[arg(long, value_name = "BYTES")]
        pub max_file_size: Option<u64>,
        /// Wait up to this many seconds for another build holding the site's or the ledger's
        /// lock [default: 0, refuse at once, naming the holder].
        #[arg(long, value_name = "SECONDS")]
        pub lock_wait: Option<u64>,
        /// Write a one-line JSON summary of the build here (also when it fails), for cron jobs
        /// and CI.
        #[arg(long, value_name = "FILE")]
        pub summary_json: Option<ConfigPath>,
        /// Show progress on a terminal (never when stderr is not one) [default: true].
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
        pub progress: Option<bool>,
        /// The kernel's MAINTAINERS file: route every regression to its subsystems,
        /// maintainers and lists [default with `kernel_source`: the tree's own].
        #[arg(long, value_name = "FILE")]
        pub maintainers: Option<ConfigPath>,
        /// An unpacked kernel tree: maps crash frames and KUnit suites to their files (indexed
        /// once, then kept in the cache).
        #[arg(long, value_name = "DIR")]
        pub kernel_source: Option<ConfigPath>,
        /// A local clone of the tested tree (bare or not): lists and ranks the commits of each
        /// regression's window. Never fetches.
        #[arg(long, value_name = "DIR")]
        pub kernel_git: Option<ConfigPath>,
    }
}

/// How long a build waits for another one using the same cache (it holds it while reading
/// results only, so waiting is short and usually better than failing).
const CACHE_LOCK_WAIT: Duration = Duration::from_secs(3600);

impl BuildOptions {
    /// The result folders (at least one is required).
    pub fn results(&self) -> Result<Vec<PathBuf>> {
        anyhow::ensure!(
            !self.results.is_empty(),
            "no results folder: pass --results DIR or set `results` in regtrack.toml"
        );
        Ok(self
            .results
            .iter()
            .map(|p| p.path().to_path_buf())
            .collect())
    }

    /// The published site's folder.
    pub fn out(&self) -> Result<&Path> {
        self.out
            .as_ref()
            .map(ConfigPath::path)
            .context("no site folder: pass --out DIR or set `out` in regtrack.toml")
    }

    /// The cache, unless turned off.
    pub fn cache(&self) -> Option<Cache> {
        if self.no_cache == Some(true) {
            return None;
        }
        self.cache
            .as_ref()
            .map(|p| p.path().to_path_buf())
            .or_else(Cache::default_dir)
            .map(Cache::new)
    }

    /// What ingest reads.
    pub fn load_options(&self, date: Option<chrono::NaiveDate>) -> Result<LoadOptions> {
        Ok(LoadOptions {
            roots: self.results()?,
            date,
            context: RunContext::from_flags(&self.context).map_err(anyhow::Error::msg)?,
            max_file_bytes: self.max_file_size.unwrap_or(MAX_FILE_BYTES),
            cache: self.cache(),
            history_days: self.history_days.map(NonZeroU32::get),
        })
    }

    /// How the site looks.
    pub fn site_options(&self) -> SiteOptions {
        SiteOptions {
            title: self
                .title
                .clone()
                .unwrap_or_else(|| SiteOptions::default().title),
            base_url: self.base_url.clone(),
            theme_dir: self.theme.as_ref().map(|p| p.path().to_path_buf()),
            kcidb_origin: self.kcidb_origin.clone(),
        }
    }

    /// Routing's inputs: MAINTAINERS, the kernel tree and its clone, the content's
    /// `test-owners.toml`, and where the kernel tree's index is cached (the results' cache
    /// folder, or the default one when results are not cached: indexing a tree takes seconds).
    pub fn route_options(&self) -> RouteOptions {
        let path = |p: &Option<ConfigPath>| p.as_ref().map(|p| p.path().to_path_buf());
        RouteOptions {
            maintainers: path(&self.maintainers),
            kernel_source: path(&self.kernel_source),
            kernel_git: path(&self.kernel_git),
            test_owners: path(&self.content)
                .map(|c| c.join("test-owners.toml"))
                .filter(|p| p.is_file()),
            cache: path(&self.cache).or_else(Cache::default_dir),
        }
    }

    /// How long to wait for the site's and the ledger's locks.
    pub fn lock_wait(&self) -> Duration {
        Duration::from_secs(self.lock_wait.unwrap_or(0))
    }

    /// How long to wait for the cache's lock.
    pub fn cache_lock_wait(&self) -> Duration {
        self.lock_wait().max(CACHE_LOCK_WAIT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        o: BuildOptions,
    }

    #[test]
    fn the_command_line_wins_field_by_field() {
        let file: BuildOptions = toml::from_str(
            "results = ['a', 'b']\nout = 'site'\ntitle = 'From file'\nstrict = true\nhistory_days = 30\n[context]\nplatform = 'juno'\n",
        )
        .unwrap();
        let cli = Cli::try_parse_from([
            "x",
            "--title",
            "From CLI",
            "--strict=false",
            "--results",
            "c",
        ])
        .unwrap()
        .o;
        let o = cli.over(file);
        assert_eq!(o.title.as_deref(), Some("From CLI"));
        assert_eq!(o.strict, Some(false));
        assert_eq!(o.results().unwrap(), [PathBuf::from("c")]);
        assert_eq!(o.out().unwrap(), Path::new("site"));
        assert_eq!(o.history_days.map(NonZeroU32::get), Some(30));
        assert_eq!(o.context, ["platform=juno"]);
        let bare = Cli::try_parse_from(["x", "--strict"]).unwrap().o;
        assert_eq!(bare.strict, Some(true));
        assert!(Cli::try_parse_from(["x", "--history-days", "0"]).is_err());
    }
}
