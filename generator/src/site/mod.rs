//! Writing the static site: HTML pages, the JSON export and the viewer's data and assets.
//!
//! Every page is rendered from minijinja templates with autoescaping on, so text from test
//! data can never become markup. Paths inside the site are relative (`root` is `""` on the
//! index and `"../../"` on a permalink page), so the site works from any host path and from
//! `file://`.
//!
//! Layout: `index.html` (first page of the list, and the viewer), `list/<n>/index.html`
//! (the rest of the list, [`PAGE_SIZE`] rows a page, complete without JavaScript),
//! `r/<id>/index.html` (permalinks), `boards/index.html` and `boards/<slug>/index.html` (each
//! board's regressions and flakiness), `s/index.html` and `s/<slug>/index.html` (when the site
//! routes: each MAINTAINERS section's regressions, flaky tests and boards), `flaky/index.html`,
//! `api/v1/*.json`, `data/*.js` (the viewer's data, see [`viewer_data`]) and `assets/`; and
//! what the announce stage makes ([`crate::announce`]): `r/<id>/report.txt`, `feed.xml`,
//! `feeds/<tree>.xml`, `s/<slug>/feed.xml`, `digest.txt` and `api/v1/kcidb.json`.

pub mod assets;
pub mod boards;
pub mod labels;
mod options;
mod routing;
mod templates;
pub mod viewer_data;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Serialize;

use crate::report::Report;

pub use boards::board_slug;
pub use options::SiteOptions;

/// Rows per static list page: `index.html` holds the first, `list/<n>/index.html` the others.
pub const PAGE_SIZE: usize = 500;

/// Regressions a static board page lists; the viewer shows them all.
pub const BOARD_PAGE_ROWS: usize = 500;

/// Pages rendered at once (in parallel) before being written.
const RENDER_BATCH: usize = 2048;

/// What was written.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SiteStats {
    pub files: usize,
    pub bytes: u64,
}

/// The site-relative path of static list page `n` (1-based).
fn list_page(n: usize) -> String {
    if n <= 1 {
        "index.html".into()
    } else {
        format!("list/{n}/index.html")
    }
}

/// One link of the static list's page navigation (`n == 0`: a gap).
#[derive(Serialize)]
struct PageLink {
    n: usize,
    url: String,
    current: bool,
}

/// Navigation for page `page` of `pages`: first, last, and the pages near the current one.
fn pagination(page: usize, pages: usize) -> Vec<PageLink> {
    let mut out: Vec<PageLink> = Vec::new();
    for n in 1..=pages {
        let near = n == 1 || n == pages || n.abs_diff(page) <= 3;
        if near {
            out.push(PageLink {
                n,
                url: list_page(n),
                current: n == page,
            });
        } else if out.last().is_some_and(|l| l.n != 0) {
            out.push(PageLink {
                n: 0,
                url: String::new(),
                current: false,
            });
        }
    }
    out
}

/// Writes the whole site for `report` into `out`.
pub fn write_site(
    report: &Report,
    ledger: &crate::report::ledger::Ledger,
    out: &Path,
    opts: &SiteOptions,
) -> Result<SiteStats> {
    render_site(report, ledger, opts)?.write(out)
}

/// A rendered site, not yet on disk (rendering and writing are separate stages).
pub struct RenderedSite {
    files: Vec<(String, Vec<u8>)>,
}

impl RenderedSite {
    /// Every file, as (site-relative path, bytes), in the order rendered.
    pub fn files(&self) -> &[(String, Vec<u8>)] {
        &self.files
    }

    /// Writes every file under `out`, in place. A file already there with the same bytes is
    /// left alone. Not atomic: a build publishes through [`crate::publish`] instead; this is
    /// for tests, benches and the bench's side-by-side figure of the in-place write.
    pub fn write(&self, out: &Path) -> Result<SiteStats> {
        let dirs: std::collections::BTreeSet<PathBuf> = self
            .files
            .iter()
            .filter_map(|(rel, _)| out.join(rel).parent().map(Path::to_path_buf))
            .collect();
        for dir in &dirs {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        // Thousands of small files: creating them is file-system latency more than CPU.
        self.files.par_iter().try_for_each(|(rel, bytes)| {
            let path = out.join(rel);
            let same = std::fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64)
                && std::fs::read(&path).is_ok_and(|old| old == *bytes);
            if !same {
                std::fs::write(&path, bytes)
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            Ok::<(), anyhow::Error>(())
        })?;
        Ok(SiteStats {
            files: self.files.len(),
            bytes: self.files.iter().map(|(_, b)| b.len() as u64).sum(),
        })
    }
}

/// Renders one page per item on every core, [`RENDER_BATCH`] at a time (so only a batch of
/// pages waits in memory besides the site), and adds them in item order: the same site
/// byte for byte whatever the scheduling.
fn render_pages<T: Sync>(
    writer: &mut Writer,
    items: &[T],
    render: impl Fn(&T) -> Result<(String, String)> + Sync,
) -> Result<()> {
    for batch in items.chunks(RENDER_BATCH) {
        let rendered: Vec<Result<(String, String)>> = batch.par_iter().map(&render).collect();
        for r in rendered {
            let (path, html) = r?;
            writer.write(&path, html.as_bytes())?;
        }
    }
    Ok(())
}

/// Renders every page, the exports and the viewer's data into memory.
pub fn render_site(
    report: &Report,
    ledger: &crate::report::ledger::Ledger,
    opts: &SiteOptions,
) -> Result<RenderedSite> {
    let mut tm = crate::timings::Timer::start();
    let env = templates::environment(opts.theme_dir.as_deref())?;
    let mut writer = Writer::default();
    let base = templates::base_context(report, opts);

    // The list, PAGE_SIZE rows a page; the viewer (index.html) shows and filters all of them.
    let rows: Vec<_> = report.regressions.iter().map(templates::row).collect();
    // Unconfirmed candidates come last in the report and are listed apart, on the first page.
    let (listed, unconfirmed) = rows.split_at(report.published().len());
    let pages = listed.len().div_ceil(PAGE_SIZE).max(1);
    let numbers: Vec<usize> = (1..=pages).collect();
    render_pages(&mut writer, &numbers, |&page| {
        let first = (page - 1) * PAGE_SIZE;
        let slice = &listed[first.min(listed.len())..(first + PAGE_SIZE).min(listed.len())];
        let html = templates::render(
            &env,
            "index.html",
            minijinja::context! {
                root => if page == 1 { "" } else { "../../" },
                page => if page == 1 { "index" } else { "list" },
                regressions => slice,
                unconfirmed_rows => if page == 1 { unconfirmed } else { &[] },
                first_row => first,
                list_page => page,
                list_pages => pages,
                pagination => if pages > 1 { pagination(page, pages) } else { Vec::new() },
                ..base.clone()
            },
        )?;
        Ok((list_page(page), html))
    })?;

    tm.mark("  list pages");
    // Permalink pages, rendered in parallel batches.
    let archived: Vec<_> = report.archived.iter().map(|e| e.to_regression()).collect();
    // Each page's mail-ready report (`r/<id>/report.txt`, and the page's "Copy report").
    let announce = opts.announce();
    let texts = crate::announce::report_texts(report, &archived, &announce);
    let pages: Vec<_> = report
        .regressions
        .iter()
        .map(|r| (r, false))
        .chain(archived.iter().map(|r| (r, true)))
        .zip(&texts)
        .map(|((r, a), t)| (r, a, t))
        .collect();
    let routed = report.routing.is_some();
    let route_of = |id: &str| report.routing.as_ref().and_then(|x| x.get(id));
    render_pages(&mut writer, &pages, |&(r, is_archived, text)| {
        let html = templates::render(
            &env,
            "regression.html",
            minijinja::context! {
                root => "../../",
                page => "regression",
                r => templates::detail(r, opts, is_archived, route_of(&r.id), routed),
                report_text => text,
                page_feeds => templates::regression_feeds(r, route_of(&r.id)),
                // Its ledger entry, so `--ledger-recover` can rebuild a lost ledger from pages.
                ledger_entry => ledger.entries.get(&r.id).map(crate::report::ledger_recover::page_entry),
                ..base.clone()
            },
        )?;
        Ok((format!("r/{}/index.html", r.id), html))
    })?;
    for &(r, _, text) in &pages {
        writer.write(&format!("r/{}/report.txt", r.id), text.as_bytes())?;
    }

    tm.mark("  permalink pages");
    // Boards: an index, and one page per board with its regressions and flakiness.
    let boards = boards::boards(report);
    let summaries: Vec<_> = boards.values().map(templates::board_summary).collect();
    let html = templates::render(
        &env,
        "boards.html",
        minijinja::context! { root => "../", page => "boards", boards => summaries, ..base.clone() },
    )?;
    writer.write("boards/index.html", html.as_bytes())?;
    let board_list: Vec<_> = boards.values().collect();
    let shared = templates::SharedHealth::new(&report.health);
    render_pages(&mut writer, &board_list, |b| {
        let shown: Vec<_> = b
            .rows
            .iter()
            .take(BOARD_PAGE_ROWS)
            .map(|&i| &rows[i])
            .collect();
        let html = templates::render(
            &env,
            "board.html",
            minijinja::context! {
                root => "../../",
                page => "board",
                b => templates::board_summary(b),
                health => shared.board(b),
                regressions => shown,
                more => b.rows.len().saturating_sub(BOARD_PAGE_ROWS),
                ..base.clone()
            },
        )?;
        Ok((format!("boards/{}/index.html", b.slug), html))
    })?;

    tm.mark("  board pages");
    if let Some(routing) = &report.routing {
        // Subsystems: an index, and a page per MAINTAINERS section with anything routed to it.
        let html = templates::render(
            &env,
            "subsystems.html",
            minijinja::context! {
                root => "../",
                page => "subsystems",
                subsystems => routing::subsystem_rows(routing),
                ..base.clone()
            },
        )?;
        writer.write("s/index.html", html.as_bytes())?;
        let at = routing::positions(&report.regressions);
        let list: Vec<_> = routing.pages.values().collect();
        render_pages(&mut writer, &list, |p| {
            let shown: Vec<_> = p
                .regressions
                .iter()
                .filter_map(|id| at.get(id.as_str()))
                .take(BOARD_PAGE_ROWS)
                .map(|&i| &rows[i])
                .collect();
            let viewer = format!(
                "index.html#subsystem={}",
                templates::url_param(&p.section.name)
            );
            let html = templates::render(
                &env,
                "subsystem.html",
                minijinja::context! {
                    root => "../../",
                    page => "subsystem",
                    s => routing::subsystem_page(p, viewer),
                    regressions => shown,
                    regressions_total => p.regressions.len(),
                    page_feeds => templates::subsystem_feeds(&p.section),
                    more => p.regressions.len().saturating_sub(BOARD_PAGE_ROWS),
                    ..base.clone()
                },
            )?;
            Ok((format!("s/{}/index.html", p.section.slug), html))
        })?;
        tm.mark("  subsystem pages");
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
    writer.write(
        "api/v1/flaky.json",
        &crate::report::export::flaky_json(report)?,
    )?;
    let html = templates::render(
        &env,
        "input.html",
        minijinja::context! {
            root => "../",
            page => "input",
            input_diagnostics => input_rows(report),
            diagnostics_total => report.diagnostics.len(),
            ..base.clone()
        },
    )?;
    writer.write("input/index.html", html.as_bytes())?;
    tm.mark("  health, content and input pages");

    // The exports and the viewer's data do not depend on one another: made side by side,
    // added in a fixed order.
    // So do the feeds, digest and KCIDB issues.
    let (((regressions_json, ledger_json), announced), (index_js, (details, boards_js))) =
        rayon::join(
            || {
                rayon::join(
                    || {
                        rayon::join(
                            || crate::report::export::regressions_json(report),
                            || ledger.to_json(),
                        )
                    },
                    || crate::announce::site_files(report, ledger, &announce),
                )
            },
            || {
                rayon::join(
                    || viewer_data::index_chunk(report),
                    || {
                        rayon::join(
                            || viewer_data::detail_chunks(report),
                            || viewer_data::boards_chunk(&boards),
                        )
                    },
                )
            },
        );
    writer.add("api/v1/regressions.json", regressions_json?);
    writer.add("api/v1/ledger.json", ledger_json);
    writer.add("data/index.js", index_js.into_bytes());
    for (name, js) in details {
        writer.add(&format!("data/{name}"), js.into_bytes());
    }
    writer.add("data/boards.js", boards_js.into_bytes());
    for (path, bytes) in announced? {
        writer.add(&path, bytes);
    }
    tm.mark("  exports, viewer data, feeds, digest and KCIDB issues");
    for (name, bytes) in assets::files() {
        writer.write(&format!("assets/{name}"), &bytes)?;
    }
    Ok(RenderedSite {
        files: writer.files,
    })
}

/// Diagnostics shown on the input page; the rest are counted (a broken night can have
/// millions, and `regtrack check` lists them all).
const MAX_INPUT_DIAGNOSTICS: usize = 1000;

/// One diagnostic as the input page shows it.
#[derive(Serialize)]
struct InputRow {
    file: String,
    location: String,
    reason: &'static str,
    message: String,
    records: usize,
}

fn input_rows(report: &Report) -> Vec<InputRow> {
    report
        .diagnostics
        .iter()
        .take(MAX_INPUT_DIAGNOSTICS)
        .map(|d| {
            let full = d.to_string();
            // "file: where: message" minus the file and message gives the place.
            let place = full
                .strip_prefix(&d.file)
                .and_then(|rest| rest.strip_suffix(&d.message).or(Some(rest)))
                .unwrap_or("")
                .trim_matches([':', ' '])
                .to_string();
            InputRow {
                file: d.file.clone(),
                location: if place.is_empty() {
                    "whole file".into()
                } else {
                    place
                },
                reason: d.reason.as_str(),
                message: d.message.clone(),
                records: d.records,
            }
        })
        .collect()
}

/// Collects the site's files (relative path, bytes) in the order they are rendered.
#[derive(Default)]
struct Writer {
    files: Vec<(String, Vec<u8>)>,
}

impl Writer {
    fn write(&mut self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.add(rel, bytes.to_vec());
        Ok(())
    }

    /// [`Writer::write`] without a copy, for the large generated files.
    fn add(&mut self, rel: &str, bytes: Vec<u8>) {
        self.files.push((rel.to_string(), bytes));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn board_slugs_are_safe_and_distinct() {
        let a = board_slug("sun50i-h6-pine-h64");
        assert!(
            a.starts_with("sun50i-h6-pine-h64-") && a.len() == 19 + 8,
            "{a}"
        );
        let evil = board_slug("board\" onmouseover=\"alert(1)/../..");
        assert!(
            evil.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{evil}"
        );
        assert_ne!(board_slug("a b"), board_slug("a-b"));
        assert!(board_slug("").starts_with("board-"));
        assert!(board_slug("ÅÄÖ").starts_with("board-"));
        assert!(board_slug(&"x".repeat(500)).len() <= 49);
    }

    #[test]
    fn permalink_pages_list_at_most_a_thousand_environments() {
        let mut report = crate::tools::synthetic::report(3, 300, 11);
        let big = &mut report.regressions[0];
        let some = big.occurrences.clone();
        big.occurrences = (0..1500).map(|i| some[i % some.len()].clone()).collect();
        let big = &report.regressions[0];
        let total = big.occurrences.len();
        assert!(total > templates::PAGE_OCCURRENCES, "{total}");
        let ledger = crate::report::ledger::Ledger::default();
        let site = render_site(&report, &ledger, &SiteOptions::default()).unwrap();
        let path = format!("r/{}/index.html", big.id);
        let page = site.files.iter().find(|(p, _)| *p == path).unwrap();
        let html = std::str::from_utf8(&page.1).unwrap();
        let table = html.split("<table class=\"occurrences\">").nth(1).unwrap();
        let table = table.split("</table>").next().unwrap();
        assert_eq!(
            table.matches("<tr>").count(),
            templates::PAGE_OCCURRENCES + 1
        );
        assert!(html.contains(&format!("({total} environments,")));
        assert!(html.contains(&format!("all {total} are in")));
    }

    #[test]
    fn pagination_keeps_ends_and_neighbours() {
        let p = pagination(10, 20);
        let ns: Vec<usize> = p.iter().map(|l| l.n).collect();
        assert_eq!(ns, [1, 0, 7, 8, 9, 10, 11, 12, 13, 0, 20]);
        assert!(p.iter().find(|l| l.n == 10).unwrap().current);
        assert_eq!(p[0].url, "index.html");
        assert_eq!(p.last().unwrap().url, "list/20/index.html");
    }
}
