//! The theme's templates and the values pages are rendered from.

use std::path::Path;

use anyhow::{Context, Result};
use minijinja::{AutoEscape, Environment, Value};
use serde::Serialize;

use super::SiteOptions;
use super::links::{commit_url, is_web_url};
use crate::correlate::Regression;
use crate::report::Report;
use crate::series::CommitRef;

/// The built-in theme, embedded so the binary needs no files beside it.
const BUILTIN: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../../themes/default/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../../../themes/default/templates/index.html"),
    ),
    (
        "regression.html",
        include_str!("../../../themes/default/templates/regression.html"),
    ),
];

/// A template environment: `theme_dir/templates/<name>` wins over the built-in one.
pub fn environment(theme_dir: Option<&Path>) -> Result<Environment<'static>> {
    let mut env = Environment::new();
    // Escape everything in HTML templates, whatever the file name says.
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    let overrides = theme_dir.map(|d| d.join("templates"));
    if let Some(dir) = &overrides
        && !dir.is_dir()
    {
        anyhow::bail!("theme folder {} has no templates/ folder", dir.display());
    }
    env.set_loader(move |name| {
        if let Some(dir) = &overrides {
            let path = dir.join(name);
            if path.is_file() {
                return std::fs::read_to_string(&path).map(Some).map_err(|e| {
                    minijinja::Error::new(
                        minijinja::ErrorKind::InvalidOperation,
                        format!("cannot read template {}: {e}", path.display()),
                    )
                });
            }
        }
        Ok(BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, src)| src.to_string()))
    });
    Ok(env)
}

/// Renders one template with a clear error naming it.
pub fn render(env: &Environment<'_>, name: &str, ctx: Value) -> Result<String> {
    env.get_template(name)
        .and_then(|t| t.render(ctx))
        .with_context(|| format!("rendering template {name}"))
}

/// Values every page gets.
pub fn base_context(report: &Report, opts: &SiteOptions) -> Value {
    let count = |s: &str| {
        report
            .regressions
            .iter()
            .filter(|r| r.status.as_str() == s)
            .count()
    };
    minijinja::context! {
        site_title => opts.title,
        report_date => report.report_date.map(|d| d.to_string()),
        total => report.regressions.len(),
        new => count("new"),
        ongoing => count("ongoing"),
        fixed => count("fixed"),
        summary => report.summary,
        diagnostics => report.diagnostics.len(),
        version => env!("CARGO_PKG_VERSION"),
    }
}

/// One line of the regression list.
#[derive(Serialize)]
pub struct Row<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    status: &'a str,
    tree: Option<&'a str>,
    branch: Option<&'a str>,
    first_seen: Option<String>,
    last_seen: Option<String>,
    boards: usize,
    occurrences: usize,
    tests: &'a [String],
}

pub fn row(r: &Regression) -> Row<'_> {
    Row {
        id: &r.id,
        url: &r.url,
        title: &r.title,
        status: r.status.as_str(),
        tree: r.tree.as_deref(),
        branch: r.branch.as_deref(),
        first_seen: r.first_seen.map(|d| d.to_string()),
        last_seen: r.last_seen.map(|d| d.to_string()),
        boards: r.board_count(),
        occurrences: r.occurrences.len(),
        tests: &r.tests,
    }
}

/// A commit in a window, with its web link when the host is known.
#[derive(Serialize)]
struct CommitView<'a> {
    commit: Option<&'a str>,
    describe: Option<&'a str>,
    start_time: Option<&'a str>,
    url: Option<String>,
}

fn commit_view<'a>(c: &'a CommitRef, repo: Option<&str>) -> CommitView<'a> {
    CommitView {
        commit: c.commit.as_deref(),
        describe: c.describe.as_deref(),
        start_time: c.start_time.as_deref(),
        url: repo
            .zip(c.commit.as_deref())
            .and_then(|(r, h)| commit_url(r, h)),
    }
}

/// A log excerpt to show, with the environment it came from.
#[derive(Serialize)]
struct Excerpt<'a> {
    platform: &'a str,
    test: &'a str,
    text: &'a str,
    log_url: Option<&'a str>,
}

/// Everything a regression's page shows.
#[derive(Serialize)]
pub struct Detail<'a> {
    #[serde(flatten)]
    row: Row<'a>,
    permalink: Option<String>,
    repository_url: Option<&'a str>,
    repository_link: Option<&'a str>,
    last_pass: CommitView<'a>,
    first_fail: CommitView<'a>,
    occurrences: &'a [crate::correlate::Occurrence],
    excerpts: Vec<Excerpt<'a>>,
}

/// How many log excerpts a page shows; the rest are a click away in their logs.
const MAX_EXCERPTS: usize = 5;

pub fn detail<'a>(r: &'a Regression, opts: &SiteOptions) -> Detail<'a> {
    let repo = r.repository_url.as_deref();
    let excerpts = r
        .occurrences
        .iter()
        .filter_map(|o| {
            Some(Excerpt {
                platform: &o.platform,
                test: &o.test,
                text: o.log_excerpt.as_deref().filter(|t| !t.trim().is_empty())?,
                log_url: o.log_url.as_deref().filter(|u| is_web_url(u)),
            })
        })
        .take(MAX_EXCERPTS)
        .collect();
    Detail {
        row: row(r),
        permalink: opts
            .base_url
            .as_ref()
            .map(|b| format!("{}/{}", b.trim_end_matches('/'), r.url)),
        repository_url: repo,
        repository_link: repo.filter(|u| is_web_url(u)),
        last_pass: commit_view(&r.last_pass, repo),
        first_fail: commit_view(&r.first_fail, repo),
        occurrences: &r.occurrences,
        excerpts,
    }
}
