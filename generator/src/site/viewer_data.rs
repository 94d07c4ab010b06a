//! The viewer's data: classic scripts that register themselves (so they load from `file://`,
//! where `fetch` of a sibling file is refused), written in the form the viewer reads fastest.
//!
//! - `data/index.js`: every regression's list row and facet values, loaded with the index page.
//!   Columnar, strings interned, integers as base64 LEB128 varints; the format (and why) is
//!   documented in `wasm-viewer/src/index.rs`, which decodes it. Row order = the static list's
//!   order = the export's order.
//! - `data/detail-<n>.js`: what a drill-down shows (windows, annotations, KCIDB issues, every
//!   affected environment with its history strip, log excerpts) for rows
//!   `n * DETAIL_CHUNK .. (n + 1) * DETAIL_CHUNK`, loaded on demand. Read by the JavaScript
//!   shell with `JSON.parse`: per-chunk string table (a board, commit or a history strip such
//!   as `PPPPFFF` repeats across hundreds of environments), per-regression columns, and one
//!   column per occurrence field across the chunk (`occ_start` delimits each regression's).
//!   Plain JSON integers here: chunks are small and the shell reads them directly.
//! - `data/boards.js`: per board, what the health analysis says about it (flaky tests, suspect
//!   board evidence, lab outages, always-failing tests), for the board view.
//!
//! Every URL the shell may turn into a link is checked here ([`is_web_url`], [`commit_url`])
//! and checked again by the shell; text is only ever written into the page as text.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::boards::BoardHealth;
use super::labels::{excerpt_choice, flags, letter, run_title, suite};
use crate::correlate::Regression;
use crate::links::{commit_url, is_web_url};
use crate::report::Report;
use crate::series::CommitRef;

/// Must match `regtrack_viewer::index::FORMAT_VERSION`.
pub const FORMAT_VERSION: u32 = 3;

/// Regressions per drill-down chunk: ~10 environments each on a big night, so a chunk is a
/// few hundred KB at most and opening one regression loads one small file.
pub const DETAIL_CHUNK: usize = 100;

/// Interns strings; index 0 is always `""` (none/unknown).
struct Interner {
    strings: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Interner {
    fn new() -> Self {
        let mut i = Interner {
            strings: Vec::new(),
            ids: HashMap::new(),
        };
        i.get("");
        i
    }

    fn get(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        let i = self.strings.len() as u32;
        self.strings.push(s.to_string());
        self.ids.insert(s.to_string(), i);
        i
    }

    fn opt(&mut self, s: Option<&str>) -> u32 {
        self.get(s.unwrap_or(""))
    }
}

fn push_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// The index chunk as a classic script, rows in the report's order.
pub fn index_chunk(report: &Report) -> String {
    let mut st = Interner::new();
    let n = report.regressions.len();
    let mut scalars: Vec<Vec<u32>> = (0..13).map(|_| Vec::with_capacity(n)).collect();
    let mut lists: Vec<Vec<Vec<u32>>> = (0..9).map(|_| Vec::with_capacity(n)).collect();
    for r in &report.regressions {
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let row = [
            st.get(&r.id),
            st.get(&r.title),
            st.get(r.status.as_str()),
            st.opt(r.tree.as_deref()),
            st.opt(r.branch.as_deref()),
            st.get(r.scope.kind),
            st.opt(r.scope.value.as_deref()),
            st.opt(r.annotations.as_ref().and_then(|a| a.state.as_deref())),
            st.opt(r.signature.as_deref()),
            st.get(&date(r.first_seen)),
            st.get(&date(r.last_seen)),
            r.board_count() as u32,
            r.occurrences.len() as u32,
        ];
        for (col, v) in scalars.iter_mut().zip(row) {
            col.push(v);
        }
        let distinct = |f: &dyn Fn(&crate::correlate::Occurrence) -> Option<&str>| {
            r.occurrences
                .iter()
                .filter_map(f)
                .filter(|s| !s.is_empty())
                .collect::<BTreeSet<&str>>()
        };
        let suites: BTreeSet<&str> = r.tests.iter().map(|t| suite(t)).collect();
        let values: [Vec<&str>; 9] = [
            r.tests.iter().map(String::as_str).collect(),
            suites.into_iter().collect(),
            flags(r),
            distinct(&|o| Some(&o.arch)).into_iter().collect(),
            distinct(&|o| Some(&o.platform)).into_iter().collect(),
            distinct(&|o| o.lab.as_deref()).into_iter().collect(),
            distinct(&|o| o.origin.as_deref()).into_iter().collect(),
            distinct(&|o| Some(&o.config)).into_iter().collect(),
            distinct(&|o| Some(&o.compiler)).into_iter().collect(),
        ];
        for (col, vs) in lists.iter_mut().zip(values) {
            col.push(vs.iter().map(|s| st.get(s)).collect());
        }
    }
    let mut bytes = Vec::with_capacity(n * 64);
    for s in &st.strings {
        push_varint(&mut bytes, s.len() as u32);
    }
    for col in &scalars {
        for &v in col {
            push_varint(&mut bytes, v);
        }
    }
    for col in &lists {
        for row in col {
            push_varint(&mut bytes, row.len() as u32);
            for &v in row {
                push_varint(&mut bytes, v);
            }
        }
    }
    use base64::Engine;
    let columns = base64::engine::general_purpose::STANDARD.encode(&bytes);
    let text: String = st.strings.concat();
    format!(
        "/* regtrack viewer index (format {FORMAT_VERSION}; see wasm-viewer/src/index.rs). Generated; do not edit. */\n\
         regtrack.register(\"index\", {{\"v\":{FORMAT_VERSION},\"rows\":{n},\"strings\":{},\"chunk\":{DETAIL_CHUNK},\n\"text\":{},\n\"columns\":\"{columns}\"}});\n",
        st.strings.len(),
        serde_json::to_string(&text).expect("string serialises"),
    )
}

/// A commit as `[hash, describe, start time, web link]` string indices.
fn commit(st: &mut Interner, c: &CommitRef, repo: Option<&str>) -> [u32; 4] {
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

fn web(st: &mut Interner, url: Option<&str>) -> u32 {
    st.opt(url.filter(|u| is_web_url(u)))
}

/// A KCIDB issue: `[id, version or null, subject, comment, link, incidents, [categories]]`.
type IssueRow = (u32, Option<i64>, u32, u32, u32, usize, Vec<u32>);

/// One drill-down chunk (see the module doc). Per-regression columns have one entry per
/// regression in the chunk; `o_*` columns one per occurrence, regression `i`'s being
/// `occ_start[i]..occ_start[i + 1]`. Text is a string index (0 = none).
#[derive(Serialize)]
struct DetailChunk {
    v: u32,
    /// Row of the chunk's first regression.
    first: usize,
    strings: Vec<String>,
    id: Vec<u32>,
    repo: Vec<u32>,
    /// The repository URL when it is a web URL.
    repo_link: Vec<u32>,
    last_pass: Vec<[u32; 4]>,
    first_fail: Vec<[u32; 4]>,
    fixed_last_fail: Vec<Option<[u32; 4]>>,
    fixed_first_pass: Vec<Option<[u32; 4]>>,
    explained_misses: Vec<usize>,
    /// `[id, title, link]`.
    known: Vec<Option<[u32; 3]>>,
    /// `[state, duplicate_of, report link, fix link, culprit, culprit link, note html]`.
    annotation: Vec<Option<[u32; 7]>>,
    issues: Vec<Vec<IssueRow>>,
    /// `[occurrence number within the regression, excerpt text]`.
    excerpts: Vec<Vec<[u32; 2]>>,
    occ_start: Vec<u32>,
    o_test: Vec<u32>,
    o_platform: Vec<u32>,
    o_arch: Vec<u32>,
    o_config: Vec<u32>,
    o_compiler: Vec<u32>,
    o_lab: Vec<u32>,
    o_last_pass: Vec<u32>,
    o_last_pass_link: Vec<u32>,
    o_first_fail: Vec<u32>,
    o_first_fail_link: Vec<u32>,
    /// KCIDB status of the newest run (`FAIL`, `PASS`...).
    o_latest: Vec<u32>,
    /// Flaky score in thousandths.
    o_flaky: Vec<u32>,
    o_signature: Vec<u32>,
    o_log: Vec<u32>,
    /// Recent runs, oldest first, one letter each (P F E M D S).
    o_recent: Vec<u32>,
    /// Per recent run, which run it is (`fail · <describe> · <day>`; interned, so few
    /// strings). Per-run log links stay on the permalink page: one URL per failing run would
    /// make a large regression's chunk several times bigger.
    o_run_title: Vec<Vec<u32>>,
    /// The environment's stable key (see [`occurrence_key`]): names it in links (`o=`).
    o_key: Vec<String>,
}

/// 8 hex digits of a SHA-256 over an occurrence's series (test, board, arch, config,
/// compiler): the same environment keeps its key from night to night, so a link to one
/// test's history on one board stays valid, and the key never carries text from the data.
pub fn occurrence_key(o: &crate::correlate::Occurrence) -> String {
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

fn detail_chunk(first: usize, regs: &[Regression]) -> String {
    let mut st = Interner::new();
    let mut c = DetailChunk {
        v: FORMAT_VERSION,
        first,
        strings: Vec::new(),
        id: Vec::new(),
        repo: Vec::new(),
        repo_link: Vec::new(),
        last_pass: Vec::new(),
        first_fail: Vec::new(),
        fixed_last_fail: Vec::new(),
        fixed_first_pass: Vec::new(),
        explained_misses: Vec::new(),
        known: Vec::new(),
        annotation: Vec::new(),
        issues: Vec::new(),
        excerpts: Vec::new(),
        occ_start: vec![0],
        o_test: Vec::new(),
        o_platform: Vec::new(),
        o_arch: Vec::new(),
        o_config: Vec::new(),
        o_compiler: Vec::new(),
        o_lab: Vec::new(),
        o_last_pass: Vec::new(),
        o_last_pass_link: Vec::new(),
        o_first_fail: Vec::new(),
        o_first_fail_link: Vec::new(),
        o_latest: Vec::new(),
        o_flaky: Vec::new(),
        o_signature: Vec::new(),
        o_log: Vec::new(),
        o_recent: Vec::new(),
        o_run_title: Vec::new(),
        o_key: Vec::new(),
    };
    for r in regs {
        let repo = r.repository_url.as_deref();
        c.id.push(st.get(&r.id));
        c.repo.push(st.opt(repo));
        c.repo_link.push(web(&mut st, repo));
        c.last_pass.push(commit(&mut st, &r.last_pass, repo));
        c.first_fail.push(commit(&mut st, &r.first_fail, repo));
        c.fixed_last_fail.push(
            r.fixed_in
                .as_ref()
                .map(|f| commit(&mut st, &f.last_fail, repo)),
        );
        c.fixed_first_pass.push(
            r.fixed_in
                .as_ref()
                .map(|f| commit(&mut st, &f.first_pass, repo)),
        );
        c.explained_misses.push(r.explained_misses);
        c.known.push(r.known_issue.as_ref().map(|k| {
            [
                st.get(&k.id),
                st.opt(k.title.as_deref()),
                web(&mut st, k.url.as_deref()),
            ]
        }));
        c.annotation.push(r.annotations.as_ref().map(|a| {
            let culprit_link = repo
                .zip(a.culprit.as_deref())
                .and_then(|(r, h)| commit_url(r, h));
            [
                st.opt(a.state.as_deref()),
                st.opt(a.duplicate_of.as_deref()),
                web(&mut st, a.report_url.as_deref()),
                web(&mut st, a.fix_url.as_deref()),
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
                        web(&mut st, i.report_url.as_deref()),
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
            c.o_log.push(web(&mut st, o.log_url.as_deref()));
            let strip: String = o.recent.iter().map(|r| letter(r.status).0).collect();
            c.o_recent.push(st.get(&strip));
            c.o_run_title
                .push(o.recent.iter().map(|r| st.get(&run_title(r))).collect());

            c.o_key.push(occurrence_key(o));
        }
        c.occ_start.push(c.o_test.len() as u32);
    }
    c.strings = st.strings;
    let json = serde_json::to_string(&c).expect("chunk serialises");
    let name = format!("detail-{}", first / DETAIL_CHUNK);
    format!(
        "regtrack.register({}, {});\n",
        serde_json::to_string(&name).expect("name"),
        serde_json::to_string(&json).expect("string serialises")
    )
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
                format!("detail-{n}.js"),
                detail_chunk(n * DETAIL_CHUNK, regs),
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
                "name": b.name,
                "slug": b.slug,
                "regressions": b.regressions,
                "flaky_tests": b.flaky_tests.iter().map(|t| json!({
                    "test": t.test, "tree": t.tree, "branch": t.branch,
                    "failure_rate": t.failure_rate, "flaky_score": t.flaky_score,
                    "flips": t.flips, "runs": t.runs, "fails": t.fails,
                })).collect::<Vec<_>>(),
                "suspect": b.suspect,
                "lab_outages": b.lab_outages.iter().map(|o| json!({
                    "lab": o.lab, "day": o.day, "runs": o.runs, "errors": o.errors,
                    "misses": o.misses,
                })).collect::<Vec<_>>(),
                "always_failing": b.always_failing.iter().map(|a| json!({
                    "test": a.test, "tree": a.tree, "branch": a.branch, "since": a.since,
                    "runs": a.runs,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let json = serde_json::to_string(&list).expect("boards serialise");
    format!(
        "regtrack.register(\"boards\", {});\n",
        serde_json::to_string(&json).expect("string serialises")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suites() {
        assert_eq!(suite("kselftest.net.tls"), "kselftest.net");
        assert_eq!(suite("ltp.syscalls.setsockopt10"), "ltp.syscalls");
        assert_eq!(suite("baseline.login"), "baseline");
        assert_eq!(suite("boot"), "boot");
    }

    #[test]
    fn varints() {
        let mut b = Vec::new();
        for v in [0, 127, 128, 300] {
            push_varint(&mut b, v);
        }
        assert_eq!(b, [0, 127, 0x80, 1, 0xac, 2]);
    }
}
