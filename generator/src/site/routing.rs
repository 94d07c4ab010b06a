//! What pages show of routing: a regression's subsystems, people, lists, evidence and
//! suspect commits; the `#regzbot introduced:` line and bisect command; the per-subsystem
//! pages (`s/<slug>/`) a maintainer bookmarks and their index (`s/`).
//!
//! Links are made only from http(s) URLs ([`is_web_url`]; suspect commits' links were made by
//! `links::commit_url`) and slugs, which MAINTAINERS titles are reduced to (`[a-z0-9-]`);
//! everything else is text.

use std::collections::BTreeMap;

use serde::Serialize;

use super::boards::board_slug;
pub use crate::announce::regzbot::report_lines;
use crate::correlate::Regression;
use crate::links::is_web_url;
use crate::route::routing::{Contact, Route, Routing, SubsystemPage, SubsystemRef, Suspects};

/// A commit name as shown: 12 hex digits.
fn short(h: &str) -> String {
    h.chars().take(12).collect()
}

/// An attributed file as its page shows it.
#[derive(Serialize)]
struct FileView<'a> {
    path: &'a str,
    evidence: &'a str,
    how: &'a str,
    detail: &'a str,
}

/// A subsystem with its page's folder and the evidence in words.
#[derive(Serialize)]
struct SubsystemView<'a> {
    #[serde(flatten)]
    s: &'a SubsystemRef,
    how: &'a str,
}

/// A suspect commit as shown.
#[derive(Serialize)]
struct CommitView<'a> {
    short: String,
    commit: &'a str,
    subject: &'a str,
    author: &'a str,
    date: &'a str,
    url: Option<&'a str>,
    reason: &'a str,
}

/// The suspects block.
#[derive(Serialize)]
struct SuspectsView<'a> {
    commits: usize,
    touching_files: usize,
    touching_subsystems: usize,
    /// What "touching" means here: the attributed files, the subsystems.
    files: Vec<&'a str>,
    subsystems: Vec<&'a str>,
    environments: usize,
    environments_used: usize,
    good: Vec<String>,
    bad: Vec<String>,
    top: Vec<CommitView<'a>>,
    problem: Option<&'a str>,
}

/// Everything a regression's page shows about routing and reporting it.
#[derive(Serialize)]
pub struct RouteView<'a> {
    /// Routing ran for this site (else only the report lines show).
    routed: bool,
    attributed_by: Option<&'static str>,
    subsystems: Vec<SubsystemView<'a>>,
    maintainers: &'a [Contact],
    reviewers: &'a [Contact],
    lists: &'a [Contact],
    files: Vec<FileView<'a>>,
    suspects: Option<SuspectsView<'a>>,
    /// The window's commits in one line (see [`suspects_summary`]).
    summary: Option<String>,
    /// `#regzbot introduced: A..B` and `git bisect start B A`.
    regzbot: Option<String>,
    bisect: Option<String>,
    /// Those two lines use the window narrowed over every environment.
    narrowed: bool,
}

fn suspects_view<'a>(s: &'a Suspects, route: &'a Route) -> SuspectsView<'a> {
    SuspectsView {
        commits: s.commits,
        touching_files: s.touching_files,
        touching_subsystems: s.touching_subsystems,
        files: route
            .attributed_files
            .iter()
            .filter(|f| Some(f.evidence) == route.attributed_by)
            .map(|f| f.path.as_str())
            .collect(),
        subsystems: route.subsystems.iter().map(|s| s.name.as_str()).collect(),
        environments: s.environments,
        environments_used: s.environments_used,
        good: s.good.iter().map(|h| short(h)).collect(),
        bad: s.bad.iter().map(|h| short(h)).collect(),
        top: s
            .top
            .iter()
            .map(|c| CommitView {
                short: short(&c.commit),
                commit: &c.commit,
                subject: &c.subject,
                author: &c.author,
                date: &c.date,
                url: c.url.as_deref().filter(|u| is_web_url(u)),
                reason: &c.reason,
            })
            .collect(),
        problem: s.problem.as_deref(),
    }
}

/// What a regression's window holds, in one line (`3 of 412 commits touch net/tls/tls_sw.c;
/// 5 touch NETWORKING [TLS]`), or why it could not be listed.
pub fn suspects_summary(route: &Route) -> Option<String> {
    let s = route.suspects.as_ref()?;
    let mut out = String::new();
    if s.commits > 0 {
        let files: Vec<&str> = route
            .attributed_files
            .iter()
            .filter(|f| Some(f.evidence) == route.attributed_by)
            .map(|f| f.path.as_str())
            .collect();
        let commits = if s.commits == 1 { "commit" } else { "commits" };
        if files.is_empty() {
            out.push_str(&format!("{} {commits} in the window", s.commits));
        } else {
            out.push_str(&format!(
                "{} of {} {commits} touch {}",
                s.touching_files,
                s.commits,
                files.join(", ")
            ));
        }
        if !route.subsystems.is_empty() {
            let names: Vec<&str> = route.subsystems.iter().map(|x| x.name.as_str()).collect();
            out.push_str(&format!(
                "; {} touch {}",
                s.touching_subsystems,
                names.join(", ")
            ));
        }
    }
    if let Some(p) = &s.problem {
        if !out.is_empty() {
            out.push_str(". ");
        }
        out.push_str(p);
    }
    (!out.is_empty()).then_some(out)
}

/// The routing block of `r`'s page. `route` is its route when the site routes.
pub fn route_view<'a>(r: &'a Regression, route: Option<&'a Route>, routed: bool) -> RouteView<'a> {
    let lines = report_lines(r, route);
    let empty: &[Contact] = &[];
    RouteView {
        routed,
        attributed_by: route.and_then(|x| x.attributed_by).map(|e| e.describe()),
        subsystems: route.map_or(Vec::new(), |x| {
            x.subsystems
                .iter()
                .map(|s| SubsystemView {
                    s,
                    how: s.evidence.describe(),
                })
                .collect()
        }),
        maintainers: route.map_or(empty, |x| &x.maintainers),
        reviewers: route.map_or(empty, |x| &x.reviewers),
        lists: route.map_or(empty, |x| &x.lists),
        files: route.map_or(Vec::new(), |x| {
            x.attributed_files
                .iter()
                .map(|f| FileView {
                    path: &f.path,
                    evidence: f.evidence.as_str(),
                    how: f.evidence.describe(),
                    detail: &f.detail,
                })
                .collect()
        }),
        suspects: route.and_then(|x| x.suspects.as_ref().map(|s| suspects_view(s, x))),
        summary: route.and_then(suspects_summary),
        regzbot: lines.regzbot,
        bisect: lines.bisect,
        narrowed: lines.narrowed,
    }
}

/// A link of a section's `T:`/`W:` lines, when it is a web URL.
#[derive(Serialize)]
struct LinkView<'a> {
    text: &'a str,
    url: Option<&'a str>,
}

fn link_of(line: &str) -> LinkView<'_> {
    LinkView {
        text: line,
        url: line.split_whitespace().find(|w| is_web_url(w)),
    }
}

/// One line of the subsystems index.
#[derive(Serialize)]
pub struct SubsystemRow<'a> {
    name: &'a str,
    url: String,
    status: Option<&'a str>,
    regressions: usize,
    flaky_tests: usize,
    boards: usize,
    lists: &'a [String],
}

/// The subsystems index, by name.
pub fn subsystem_rows(routing: &Routing) -> Vec<SubsystemRow<'_>> {
    let mut rows: Vec<SubsystemRow> = routing
        .pages
        .values()
        .map(|p| SubsystemRow {
            name: &p.section.name,
            url: format!("s/{}/", p.section.slug),
            status: p.section.status.as_deref(),
            regressions: p.regressions.len(),
            flaky_tests: p.flaky_tests.len(),
            boards: p.boards.len(),
            lists: &p.section.lists,
        })
        .collect();
    rows.sort_by(|a, b| b.regressions.cmp(&a.regressions).then(a.name.cmp(b.name)));
    rows
}

/// A flaky test on a subsystem page.
#[derive(Serialize)]
struct FlakyView<'a> {
    test: &'a str,
    boards: &'a [String],
}

/// A board on a subsystem page.
#[derive(Serialize)]
struct BoardView<'a> {
    name: &'a str,
    url: String,
    environments: usize,
}

/// A subsystem's page (`s/<slug>/`), its regressions given as list rows by the caller.
#[derive(Serialize)]
pub struct SubsystemPageView<'a> {
    name: &'a str,
    slug: &'a str,
    status: Option<&'a str>,
    line: usize,
    maintainers: &'a [String],
    reviewers: &'a [String],
    lists: &'a [String],
    trees: Vec<LinkView<'a>>,
    web: Vec<LinkView<'a>>,
    files: &'a [String],
    /// The viewer filtered to this subsystem, relative to the site root.
    viewer: String,
    flaky_tests: Vec<FlakyView<'a>>,
    boards: Vec<BoardView<'a>>,
}

/// A subsystem's page; `viewer` is the link to the viewer filtered to it.
pub fn subsystem_page(p: &SubsystemPage, viewer: String) -> SubsystemPageView<'_> {
    let s = &p.section;
    let mut boards: Vec<BoardView> = p
        .boards
        .iter()
        .map(|(name, &n)| BoardView {
            name,
            url: format!("boards/{}/", board_slug(name)),
            environments: n,
        })
        .collect();
    boards.sort_by(|a, b| b.environments.cmp(&a.environments).then(a.name.cmp(b.name)));
    SubsystemPageView {
        name: &s.name,
        slug: &s.slug,
        status: s.status.as_deref(),
        line: s.line,
        maintainers: &s.maintainers,
        reviewers: &s.reviewers,
        lists: &s.lists,
        trees: s.trees.iter().map(|t| link_of(t)).collect(),
        web: s.web.iter().map(|t| link_of(t)).collect(),
        files: &s.files,
        viewer,
        flaky_tests: p
            .flaky_tests
            .iter()
            .map(|(test, boards)| FlakyView { test, boards })
            .collect(),
        boards,
    }
}

/// Position of each regression in the report, by id (subsystem pages list theirs).
pub fn positions(regressions: &[Regression]) -> BTreeMap<&str, usize> {
    regressions
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect()
}

/// The distinct people and lists of a route, for the viewer's maintainer facet and search:
/// maintainers, reviewers, then lists.
pub fn contacts(route: &Route) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for c in route
        .maintainers
        .iter()
        .chain(&route.reviewers)
        .chain(&route.lists)
    {
        if !out.contains(&c.address.as_str()) {
            out.push(&c.address);
        }
    }
    out
}
