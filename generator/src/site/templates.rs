//! The theme's templates and the values pages are rendered from.

use std::path::Path;

use anyhow::{Context, Result};
use minijinja::{AutoEscape, Environment, Value};
use serde::Serialize;

use super::boards::{BoardHealth, board_slug};
use super::labels::{excerpt_choice, flags, letter, run_title};
use super::options::SiteOptions;
use super::routing::{RouteView, route_view};
use crate::content::Annotation;
use crate::correlate::health::{Health, SuspectBoard};
use crate::correlate::{KcidbIssueRef, Occurrence, Regression};
use crate::links::{commit_url, is_web_url};
use crate::report::Report;
use crate::route::routing::Route;
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
    (
        "health.html",
        include_str!("../../../themes/default/templates/health.html"),
    ),
    (
        "page.html",
        include_str!("../../../themes/default/templates/page.html"),
    ),
    (
        "board.html",
        include_str!("../../../themes/default/templates/board.html"),
    ),
    (
        "boards.html",
        include_str!("../../../themes/default/templates/boards.html"),
    ),
    (
        "input.html",
        include_str!("../../../themes/default/templates/input.html"),
    ),
    (
        "subsystems.html",
        include_str!("../../../themes/default/templates/subsystems.html"),
    ),
    (
        "subsystem.html",
        include_str!("../../../themes/default/templates/subsystem.html"),
    ),
];

/// A template environment: `theme_dir/templates/<name>` wins over the built-in one.
pub fn environment(theme_dir: Option<&Path>) -> Result<Environment<'static>> {
    let mut env = Environment::new();
    // Escape everything in HTML templates, whatever the file name says.
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_formatter(html_formatter);
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

/// Writes a value into HTML: safe values as they are, everything else escaped. Unlike
/// minijinja's default this leaves `/` alone (it needs no escaping in text or in quoted
/// attributes, and `&#x2f;` in every link makes pages unreadable); `& < > " '` are escaped.
fn html_formatter(
    out: &mut minijinja::Output<'_>,
    _state: &minijinja::State<'_, '_>,
    value: &Value,
) -> Result<(), minijinja::Error> {
    let io = |_| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "write failed");
    if value.is_safe() {
        return write!(out, "{value}").map_err(io);
    }
    // Unknown values print nothing rather than "none".
    if value.is_undefined() || value.is_none() {
        return Ok(());
    }
    let text = match value.as_str() {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(value.to_string()),
    };
    out.write_str(&escape_html(&text)).map_err(io)
}

/// Escapes the five characters that matter in HTML text and quoted attributes.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
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
        total => report.published().len(),
        unconfirmed => count("unconfirmed"),
        new => count("new"),
        ongoing => count("ongoing"),
        fixed => count("fixed"),
        reopened => count("reopened"),
        pages => report.content.pages.iter().map(|p| minijinja::context! { slug => p.slug, title => p.title }).collect::<Vec<_>>(),
        summary => report.summary,
        diagnostics => report.diagnostics.len(),
        routed => report.routing.is_some(),
        version => env!("CARGO_PKG_VERSION"),
        page_feeds => Vec::<FeedLink>::new(),
    }
}

/// A feed a page advertises besides the site's (`<link rel=alternate>`), site-relative.
#[derive(Serialize)]
pub struct FeedLink {
    title: String,
    href: String,
}

/// A regression page's own feeds: its tree/branch's and its subsystems'.
pub fn regression_feeds(r: &Regression, route: Option<&Route>) -> Vec<FeedLink> {
    use crate::announce::events::{tree_branch_of, tree_slug_of};
    let (t, b) = (r.tree.as_deref(), r.branch.as_deref());
    let mut out = vec![FeedLink {
        title: format!("Regressions on {}", tree_branch_of(t, b)),
        href: format!("feeds/{}.xml", tree_slug_of(t, b)),
    }];
    for s in route.map_or(&[][..], |x| &x.subsystems) {
        out.push(FeedLink {
            title: format!("Regressions in {}", s.name),
            href: format!("s/{}/feed.xml", s.slug),
        });
    }
    out
}

/// A subsystem page's feed.
pub fn subsystem_feeds(s: &crate::route::maintainers::Section) -> Vec<FeedLink> {
    vec![FeedLink {
        title: format!("Regressions in {}", s.name),
        href: format!("s/{}/feed.xml", s.slug),
    }]
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
    signature: Option<&'a str>,
    scope: &'a str,
    scope_value: Option<&'a str>,
    known_issue: Option<&'a str>,
    state: Option<&'a str>,
    explained_misses: usize,
    flags: Vec<&'static str>,
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
        signature: r.signature.as_deref(),
        scope: r.scope.kind,
        scope_value: r.scope.value.as_deref(),
        known_issue: r.known_issue.as_ref().map(|k| k.id.as_str()),
        state: r.annotations.as_ref().and_then(|a| a.state.as_deref()),
        explained_misses: r.explained_misses,
        flags: flags(r),
    }
}

/// Percent-encodes a value for a URL fragment read with `URLSearchParams` (everything but
/// `A-Z a-z 0-9 - _ . ~`), so any board name is safe inside an `href`.
pub fn url_param(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A board as its pages and the boards index show it.
#[derive(Serialize)]
pub struct BoardSummary<'a> {
    name: &'a str,
    /// Site-relative folder of its page.
    url: String,
    /// The viewer's view of its regressions, relative to the site root.
    viewer: String,
    regressions: usize,
    flaky_tests: usize,
    suspect: bool,
    lab_outages: usize,
    always_failing: usize,
}

pub fn board_summary<'a>(b: &'a BoardHealth<'a>) -> BoardSummary<'a> {
    let p = url_param(b.name);
    BoardSummary {
        name: b.name,
        url: format!("boards/{}/", b.slug),
        viewer: format!("index.html#board={p}&platform={p}"),
        regressions: b.regressions,
        flaky_tests: b.flaky_tests.len(),
        suspect: b.suspect.is_some(),
        lab_outages: b.lab_outages.len(),
        always_failing: b.always_failing.len(),
    }
}

/// A board page's `health`: the board's [`BoardHealth`],
/// its shared items as values from [`SharedHealth`].
#[derive(Serialize)]
pub struct BoardPageHealth<'a> {
    name: &'a str,
    slug: &'a str,
    regressions: usize,
    flaky_tests: Vec<Value>,
    suspect: Option<&'a SuspectBoard>,
    lab_outages: Vec<Value>,
    always_failing: Vec<Value>,
}

/// The report's flaky tests, lab outages and always-failing tests as template values, each
/// converted once. One of them can name thousands of boards and is listed, boards and all, on
/// each of their pages: converted per page, rendering grew with the square of the number of
/// boards. A cloned value shares its data.
pub struct SharedHealth(rustc_hash::FxHashMap<usize, Value>);

/// Items are found by address: a board's items are references into the report's health.
fn address<T>(item: &T) -> usize {
    item as *const T as usize
}

impl SharedHealth {
    pub fn new(h: &Health) -> Self {
        fn add<T: Serialize>(m: &mut rustc_hash::FxHashMap<usize, Value>, items: &[T]) {
            m.extend(items.iter().map(|t| (address(t), Value::from_serialize(t))));
        }
        let mut m = rustc_hash::FxHashMap::default();
        add(&mut m, &h.flaky_tests);
        add(&mut m, &h.lab_outages);
        add(&mut m, &h.always_failing);
        SharedHealth(m)
    }

    fn values<T: Serialize>(&self, items: &[&T]) -> Vec<Value> {
        items
            .iter()
            .map(|&t| match self.0.get(&address(t)) {
                Some(v) => v.clone(),
                None => Value::from_serialize(t),
            })
            .collect()
    }

    pub fn board<'a>(&self, b: &'a BoardHealth<'a>) -> BoardPageHealth<'a> {
        BoardPageHealth {
            name: b.name,
            slug: &b.slug,
            regressions: b.regressions,
            flaky_tests: self.values(&b.flaky_tests),
            suspect: b.suspect,
            lab_outages: self.values(&b.lab_outages),
            always_failing: self.values(&b.always_failing),
        }
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

/// One row of the environment table.
#[derive(Serialize)]
struct OccurrenceView<'a> {
    #[serde(flatten)]
    o: &'a Occurrence,
    /// Recent runs, oldest first.
    history: Vec<RunCell<'a>>,
    flaky: String,
    /// Site-relative folder of the board's page.
    board_url: String,
}

/// One cell of a history strip: a letter (P/F/E/M/D/S), its word, which run it is (status,
/// commit, day) and the run's log when it is a web link.
#[derive(Serialize)]
struct RunCell<'a> {
    letter: &'static str,
    word: &'static str,
    title: String,
    log: Option<&'a str>,
}

fn run_cells(o: &Occurrence) -> Vec<RunCell<'_>> {
    o.recent
        .iter()
        .map(|r| {
            let (letter, word) = letter(r.status);
            RunCell {
                letter,
                word,
                title: run_title(r),
                log: r.log_url.as_deref().filter(|u| is_web_url(u)),
            }
        })
        .collect()
}

/// A KCIDB issue with only safe links.
#[derive(Serialize)]
struct IssueView<'a> {
    #[serde(flatten)]
    issue: &'a KcidbIssueRef,
    link: Option<&'a str>,
}

/// Annotation links, checked.
#[derive(Serialize)]
struct AnnotationView<'a> {
    #[serde(flatten)]
    a: &'a Annotation,
    culprit_url: Option<String>,
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
    fixed_last_fail: Option<CommitView<'a>>,
    fixed_first_pass: Option<CommitView<'a>>,
    occurrences: Vec<OccurrenceView<'a>>,
    /// Every environment, when the page lists only the first [`PAGE_OCCURRENCES`].
    occurrences_total: usize,
    excerpts: Vec<Excerpt<'a>>,
    known: Option<&'a crate::content::KnownIssueRef>,
    annotation: Option<AnnotationView<'a>>,
    kcidb_issues: Vec<IssueView<'a>>,
    archived: bool,
    /// Why it is a regression: how it was confirmed, why its tests are one bug, what else
    /// failed in its window and was kept apart; an archived entry's fate.
    evidence: &'a [String],
    confirmed: Option<&'a crate::correlate::regression::Confirmation>,
    /// Distinct reasons its environments' failures are a change, with how many say each.
    changes: Vec<(String, usize)>,
    /// Subsystems, people, lists, suspects, and the lines to report it with.
    route: RouteView<'a>,
}

/// Environments listed on a regression's page. A bug seen on thousands of board/config pairs
/// would otherwise make a page of megabytes to paste into a bug report; all of them stay in
/// the viewer and in `api/v1/regressions.json`.
pub const PAGE_OCCURRENCES: usize = 1000;

pub fn detail<'a>(
    r: &'a Regression,
    opts: &SiteOptions,
    archived: bool,
    route: Option<&'a Route>,
    routed: bool,
) -> Detail<'a> {
    let repo = r.repository_url.as_deref();
    // One excerpt per distinct signature first, so different faces of the bug show.
    let excerpts: Vec<Excerpt> = excerpt_choice(r)
        .into_iter()
        .map(|i| {
            let o = &r.occurrences[i];
            Excerpt {
                platform: &o.platform,
                test: &o.test,
                text: o.log_excerpt.as_deref().unwrap_or(""),
                log_url: o.log_url.as_deref().filter(|u| is_web_url(u)),
            }
        })
        .collect();
    let mut changes: Vec<(String, usize)> = Vec::new();
    for o in r.occurrences.iter().filter(|o| !o.change.is_empty()) {
        match changes.iter_mut().find(|(c, _)| *c == o.change) {
            Some((_, n)) => *n += 1,
            None => changes.push((o.change.clone(), 1)),
        }
    }
    changes.truncate(5);
    Detail {
        row: row(r),
        evidence: &r.evidence,
        confirmed: r.confirmed.as_ref(),
        changes,
        permalink: opts
            .base_url
            .as_ref()
            .map(|b| format!("{}/{}", b.trim_end_matches('/'), r.url)),
        repository_url: repo,
        repository_link: repo.filter(|u| is_web_url(u)),
        last_pass: commit_view(&r.last_pass, repo),
        first_fail: commit_view(&r.first_fail, repo),
        fixed_last_fail: r.fixed_in.as_ref().map(|f| commit_view(&f.last_fail, repo)),
        fixed_first_pass: r
            .fixed_in
            .as_ref()
            .map(|f| commit_view(&f.first_pass, repo)),
        occurrences_total: r.occurrences.len(),
        occurrences: r
            .occurrences
            .iter()
            .take(PAGE_OCCURRENCES)
            .map(|o| OccurrenceView {
                o,
                history: run_cells(o),
                flaky: format!("{:.2}", o.flaky_score),
                board_url: format!("boards/{}/", board_slug(&o.platform)),
            })
            .collect(),
        excerpts,
        known: r.known_issue.as_ref(),
        annotation: r.annotations.as_ref().map(|a| AnnotationView {
            a,
            culprit_url: repo
                .zip(a.culprit.as_deref())
                .and_then(|(r, c)| commit_url(r, c)),
        }),
        kcidb_issues: r
            .kcidb_issues
            .iter()
            .map(|i| IssueView {
                issue: i,
                link: i.report_url.as_deref().filter(|u| is_web_url(u)),
            })
            .collect(),
        archived,
        route: route_view(r, route, routed),
    }
}

#[cfg(test)]
mod tests {
    use super::{escape_html, url_param};

    #[test]
    fn url_params_are_percent_encoded() {
        assert_eq!(
            url_param("a b&c=d\"<x>/é"),
            "a%20b%26c%3Dd%22%3Cx%3E%2F%C3%A9"
        );
        assert_eq!(url_param("rk3399-gru_kevin.1~"), "rk3399-gru_kevin.1~");
    }

    #[test]
    fn escapes_markup_and_quotes_but_not_slashes() {
        assert_eq!(
            escape_html(r#"<a href="x" onclick='y'>&</a>"#),
            "&lt;a href=&quot;x&quot; onclick=&#x27;y&#x27;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(escape_html("r/0123/index.html"), "r/0123/index.html");
    }
}
