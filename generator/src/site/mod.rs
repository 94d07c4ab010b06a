//! Writing the static site: HTML pages, the JSON export and the viewer's data and assets.
//!
//! Every page is rendered from minijinja templates with autoescaping on, so text from test
//! data can never become markup. Paths inside the site are relative (`root` is `""` on the
//! index and `"../../"` on a permalink page), so the site works from any host path and from
//! `file://`.

mod assets;
mod links;
mod templates;
mod viewer_data;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;

use crate::report::Report;

pub use links::{commit_url, is_web_url};

/// Options for writing a site.
#[derive(Debug, Clone, Default)]
pub struct SiteOptions {
    /// Site title shown in headers.
    pub title: String,
    /// Absolute URL the site is published at, to print full permalinks (optional).
    pub base_url: Option<String>,
    /// A folder whose `templates/` override the built-in theme's templates by name.
    pub theme_dir: Option<PathBuf>,
}

/// What was written.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SiteStats {
    pub files: usize,
    pub bytes: u64,
}

/// Writes the whole site for `report` into `out`.
pub fn write_site(
    report: &Report,
    ledger: &crate::ledger::Ledger,
    out: &Path,
    opts: &SiteOptions,
) -> Result<SiteStats> {
    let env = templates::environment(opts.theme_dir.as_deref())?;
    let mut writer = Writer::new(out);
    let base = templates::base_context(report, opts);

    let rows: Vec<_> = report.regressions.iter().map(templates::row).collect();
    let html = templates::render(
        &env,
        "index.html",
        minijinja::context! { root => "", page => "index", regressions => rows, ..base.clone() },
    )?;
    writer.write("index.html", html.as_bytes())?;

    let archived: Vec<_> = report.archived.iter().map(|e| e.to_regression()).collect();
    let pages = report
        .regressions
        .iter()
        .map(|r| (r, false))
        .chain(archived.iter().map(|r| (r, true)));
    for (r, is_archived) in pages {
        let html = templates::render(
            &env,
            "regression.html",
            minijinja::context! {
                root => "../../",
                page => "regression",
                r => templates::detail(r, opts, is_archived),
                ..base.clone()
            },
        )?;
        writer.write(&format!("r/{}/index.html", r.id), html.as_bytes())?;
    }

    let html = templates::render(
        &env,
        "health.html",
        minijinja::context! { root => "../", page => "health", health => report.health, ..base.clone() },
    )?;
    writer.write("flaky/index.html", html.as_bytes())?;
    for p in &report.content.pages {
        let html = templates::render(
            &env,
            "page.html",
            minijinja::context! { root => "../", page => "page", p => p, ..base.clone() },
        )?;
        writer.write(&format!("{}/index.html", p.slug), html.as_bytes())?;
    }
    writer.write("api/v1/flaky.json", &crate::export::flaky_json(report)?)?;

    writer.write(
        "api/v1/regressions.json",
        &crate::export::regressions_json(report)?,
    )?;
    writer.write("api/v1/ledger.json", &ledger.to_json())?;
    writer.write("data/index.js", viewer_data::index_chunk(report).as_bytes())?;
    for (name, bytes) in assets::files() {
        writer.write(&format!("assets/{name}"), &bytes)?;
    }
    Ok(writer.stats)
}

/// Writes files under the output folder and counts them.
struct Writer {
    root: PathBuf,
    stats: SiteStats,
}

impl Writer {
    fn new(root: &Path) -> Self {
        Writer {
            root: root.to_path_buf(),
            stats: SiteStats::default(),
        }
    }

    fn write(&mut self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        self.stats.files += 1;
        self.stats.bytes += bytes.len() as u64;
        Ok(())
    }
}
