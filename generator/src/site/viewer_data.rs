//! The viewer's data, written through `regtrack-viewer-format` (`wasm-viewer/format/`), the one
//! definition of these files shared with the viewer that reads them: this module only decides
//! what goes in.
//!
//! - `data/index.js`: every regression's list row and facet values, loaded with the index page.
//!   Row order = the static list's order = the export's order.
//! - `data/detail-<n>.js`: what a drill-down shows for rows
//!   `n * DETAIL_CHUNK .. (n + 1) * DETAIL_CHUNK`, loaded on demand.
//! - `data/boards.js`: per board, what the health analysis says about it (flaky tests, suspect
//!   board evidence, lab outages, always-failing tests), for the board view.
//!
//! Every URL the shell may turn into a link is checked here ([`is_web_url`], [`commit_url`])
//! and checked again by the shell; text is only ever written into the page as text.

use std::collections::{BTreeMap, BTreeSet};

use regtrack_viewer_format::StringTable;
use regtrack_viewer_format::boards::{always_failing, board, flaky_test, lab_outage, suspect};
use regtrack_viewer_format::detail::{self, Commit, DetailChunk};
use regtrack_viewer_format::index::{Builder, Row};

use super::boards::BoardHealth;
use super::labels::{excerpt_choice, flags, letter, run_title, suite};
use super::routing::{contacts, report_lines, suspects_summary};
use crate::correlate::{Occurrence, Regression};
use crate::links::{commit_url, is_web_url};
use crate::report::Report;
use crate::route::routing::Routing;
use crate::series::CommitRef;

/// Regressions per drill-down chunk: ~10 environments each on a big night, so a chunk is a
/// few hundred KB at most and opening one regression loads one small file.
pub const DETAIL_CHUNK: usize = 100;

/// `data/index.js`, rows in the report's order.
pub fn index_chunk(report: &Report) -> String {
    let mut b = Builder::new();
    let route_of = |id: &str| report.routing.as_ref().and_then(|x| x.get(id));
    for r in &report.regressions {
        let route = route_of(&r.id);
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let (first_seen, last_seen) = (date(r.first_seen), date(r.last_seen));
        // The distinct non-empty values of one environment field, sorted.
        let distinct = |f: &dyn Fn(&Occurrence) -> Option<&str>| -> Vec<&str> {
            r.occurrences
                .iter()
                .filter_map(f)
                .filter(|s| !s.is_empty())
                .collect::<BTreeSet<&str>>()
                .into_iter()
                .collect()
        };
        let suites: BTreeSet<&str> = r.tests.iter().map(|t| suite(t)).collect();
        b.push(&Row {
            id: &r.id,
            title: &r.title,
            status: r.status.as_str(),
            tree: r.tree.as_deref().unwrap_or(""),
            branch: r.branch.as_deref().unwrap_or(""),
            scope: r.scope.kind,
            scope_value: r.scope.value.as_deref().unwrap_or(""),
            state: r
                .annotations
                .as_ref()
                .and_then(|a| a.state.as_deref())
                .unwrap_or(""),
            signature: r.signature.as_deref().unwrap_or(""),
            first_seen: &first_seen,
            last_seen: &last_seen,
            boards: r.board_count() as u32,
            occurrences: r.occurrences.len() as u32,
            tests: r.tests.iter().map(String::as_str).collect(),
            suite: suites.into_iter().collect(),
            flags: flags(r),
            arch: distinct(&|o| Some(&o.arch)),
            platform: distinct(&|o| Some(&o.platform)),
            lab: distinct(&|o| o.lab.as_deref()),
            origin: distinct(&|o| o.origin.as_deref()),
            config: distinct(&|o| Some(&o.config)),
            compiler: distinct(&|o| Some(&o.compiler)),
            subsystem: route.map_or(Vec::new(), |x| {
                x.subsystems.iter().map(|s| s.name.as_str()).collect()
            }),
            maintainer: route.map_or(Vec::new(), contacts),
        });
    }
    b.finish(DETAIL_CHUNK as u32).script()
}

/// A commit's string indices.
fn commit(st: &mut StringTable, c: &CommitRef, repo: Option<&str>) -> Commit {
    let link = repo
        .zip(c.commit.as_deref())
        .and_then(|(r, h)| commit_url(r, h));
    [
        st.opt(c.commit.as_deref()),
        st.opt(c.describe.as_deref()),
        st.opt(c.start_time.as_deref()),
        st.opt(link.as_deref()),
    ]
}

/// A URL the shell may link to: kept only when it is a web URL.
fn web(st: &mut StringTable, url: Option<&str>) -> u32 {
    st.opt(url.filter(|u| is_web_url(u)))
}

/// 8 hex digits of a SHA-256 over an occurrence's series (test, board, arch, config,
/// compiler): the same environment keeps its key from night to night, so a link to one
/// test's history on one board stays valid, and the key never carries text from the data.
pub fn occurrence_key(o: &Occurrence) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [&o.test, &o.platform, &o.arch, &o.config, &o.compiler] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    h.finalize()[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Drill-down chunk `n`: regressions `regs`, starting at row `n * DETAIL_CHUNK`.
fn detail_chunk(n: usize, regs: &[Regression], routing: Option<&Routing>) -> String {
    let mut c = DetailChunk::new(n * DETAIL_CHUNK);
    let st = &mut c.strings;
    for r in regs {
        let route = routing.and_then(|x| x.get(&r.id));
        c.subsystem_slug.push(route.map_or(Vec::new(), |x| {
            x.subsystems.iter().map(|s| st.get(&s.slug)).collect()
        }));
        let suspects = route.and_then(|x| x.suspects.as_ref());
        c.suspects.push(suspects.map_or(Vec::new(), |s| {
            s.top
                .iter()
                .map(|t| {
                    [
                        st.get(&t.commit[..t.commit.len().min(12)]),
                        st.get(&t.subject),
                        st.get(&t.author),
                        st.get(&t.date),
                        web(st, t.url.as_deref()),
                        st.get(&t.reason),
                    ]
                })
                .collect()
        }));
        c.suspect_note
            .push(st.opt(route.and_then(suspects_summary).as_deref()));
        let lines = report_lines(r, route);
        c.regzbot.push(st.opt(lines.regzbot.as_deref()));
        c.bisect.push(st.opt(lines.bisect.as_deref()));
        let repo = r.repository_url.as_deref();
        c.id.push(st.get(&r.id));
        c.repo.push(st.opt(repo));
        c.repo_link.push(web(st, repo));
        c.last_pass.push(commit(st, &r.last_pass, repo));
        c.first_fail.push(commit(st, &r.first_fail, repo));
        c.fixed_last_fail
            .push(r.fixed_in.as_ref().map(|f| commit(st, &f.last_fail, repo)));
        c.fixed_first_pass
            .push(r.fixed_in.as_ref().map(|f| commit(st, &f.first_pass, repo)));
        c.explained_misses.push(r.explained_misses);
        c.known.push(r.known_issue.as_ref().map(|k| {
            [
                st.get(&k.id),
                st.opt(k.title.as_deref()),
                web(st, k.url.as_deref()),
            ]
        }));
        c.annotation.push(r.annotations.as_ref().map(|a| {
            let culprit_link = repo
                .zip(a.culprit.as_deref())
                .and_then(|(r, h)| commit_url(r, h));
            [
                st.opt(a.state.as_deref()),
                st.opt(a.duplicate_of.as_deref()),
                web(st, a.report_url.as_deref()),
                web(st, a.fix_url.as_deref()),
                st.opt(a.culprit.as_deref()),
                st.opt(culprit_link.as_deref()),
                st.opt(a.note_html.as_deref()),
            ]
        }));
        c.issues.push(
            r.kcidb_issues
                .iter()
                .map(|i| {
                    (
                        st.get(&i.id),
                        i.version,
                        st.opt(i.report_subject.as_deref()),
                        st.opt(i.comment.as_deref()),
                        web(st, i.report_url.as_deref()),
                        i.incidents,
                        i.categories.iter().map(|s| st.get(s)).collect(),
                    )
                })
                .collect(),
        );
        c.excerpts.push(
            excerpt_choice(r)
                .into_iter()
                .map(|i| [i as u32, st.opt(r.occurrences[i].log_excerpt.as_deref())])
                .collect(),
        );
        for o in &r.occurrences {
            let link = |h: Option<&str>| repo.zip(h).and_then(|(r, h)| commit_url(r, h));
            c.o_test.push(st.get(&o.test));
            c.o_platform.push(st.get(&o.platform));
            c.o_arch.push(st.get(&o.arch));
            c.o_config.push(st.get(&o.config));
            c.o_compiler.push(st.get(&o.compiler));
            c.o_lab.push(st.opt(o.lab.as_deref()));
            c.o_last_pass.push(st.opt(o.last_pass_commit.as_deref()));
            c.o_last_pass_link
                .push(st.opt(link(o.last_pass_commit.as_deref()).as_deref()));
            c.o_first_fail.push(st.opt(o.first_fail_commit.as_deref()));
            c.o_first_fail_link
                .push(st.opt(link(o.first_fail_commit.as_deref()).as_deref()));
            c.o_latest.push(st.get(o.latest_status.as_str()));
            c.o_flaky
                .push((o.flaky_score.clamp(0.0, 1.0) * 1000.0).round() as u32);
            c.o_signature.push(st.opt(o.signature.as_deref()));
            c.o_log.push(web(st, o.log_url.as_deref()));
            let strip: String = o.recent.iter().map(|r| letter(r.status).0).collect();
            c.o_recent.push(st.get(&strip));
            c.o_run_title
                .push(o.recent.iter().map(|r| st.get(&run_title(r))).collect());

            c.o_key.push(occurrence_key(o));
        }
        c.occ_start.push(c.o_test.len() as u32);
    }
    c.script(&detail::name(n))
}

/// `(file name under data/, script)` for every drill-down chunk.
pub fn detail_chunks(report: &Report) -> Vec<(String, String)> {
    use rayon::prelude::*;
    report
        .regressions
        .par_chunks(DETAIL_CHUNK)
        .enumerate()
        .map(|(n, regs)| {
            (
                format!("{}.js", detail::name(n)),
                detail_chunk(n, regs, report.routing.as_ref()),
            )
        })
        .collect()
}

/// `data/boards.js`: every board's health, for the viewer's board view. Lists that name many
/// boards (a flaky test's, an outage's) are not repeated per board.
pub fn boards_chunk(boards: &BTreeMap<&str, BoardHealth<'_>>) -> String {
    use serde_json::json;
    let list: Vec<serde_json::Value> = boards
        .values()
        .map(|b| {
            json!({
                board::NAME: b.name,
                board::SLUG: b.slug,
                board::REGRESSIONS: b.regressions,
                board::FLAKY_TESTS: b.flaky_tests.iter().map(|t| json!({
                    flaky_test::TEST: t.test,
                    flaky_test::TREE: t.tree,
                    flaky_test::BRANCH: t.branch,
                    flaky_test::FAILURE_RATE: t.failure_rate,
                    flaky_test::FLAKY_SCORE: t.flaky_score,
                    flaky_test::FLIPS: t.flips,
                    flaky_test::RUNS: t.runs,
                    flaky_test::FAILS: t.fails,
                })).collect::<Vec<_>>(),
                board::SUSPECT: b.suspect.map(|s| json!({
                    suspect::PLATFORM: s.platform,
                    suspect::LABS: s.labs,
                    suspect::SPORADIC_TESTS: s.sporadic_tests,
                    suspect::SPORADIC_FAILURES: s.sporadic_failures,
                    suspect::MASS_FAILURE_JOBS: s.mass_failure_jobs,
                    suspect::RUNS: s.runs,
                })),
                board::LAB_OUTAGES: b.lab_outages.iter().map(|o| json!({
                    lab_outage::LAB: o.lab,
                    lab_outage::DAY: o.day,
                    lab_outage::RUNS: o.runs,
                    lab_outage::ERRORS: o.errors,
                    lab_outage::MISSES: o.misses,
                })).collect::<Vec<_>>(),
                board::ALWAYS_FAILING: b.always_failing.iter().map(|a| json!({
                    always_failing::TEST: a.test,
                    always_failing::TREE: a.tree,
                    always_failing::BRANCH: a.branch,
                    always_failing::SINCE: a.since,
                    always_failing::RUNS: a.runs,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    regtrack_viewer_format::boards::script(&serde_json::to_string(&list).expect("boards serialise"))
}
