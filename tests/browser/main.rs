//! The site in real headless Chromium, opened from `file://` and over http.
//!
//! The oracle is the export: for every view checked (free text, facets, date range, sort, and
//! combinations), the rows the viewer lists and the count beside every facet value must be
//! what `api/v1/regressions.json` says for the same filters, computed here in Rust. Also: the
//! view lives in the URL (a fresh tab on the same link shows the same rows), back/forward,
//! the drill-down's content (window links, environment matrix, history strips, excerpts, KCIDB
//! issues, permalink), the board view, keyboard use, hostile strings staying text, the static
//! pages without JavaScript, no console error and no request leaving the site.
//!
//! Needs Debian's `chromium` (or `REGTRACK_CHROMIUM=/path`); `.ci/run` installs it. Without a
//! browser this test fails: a browser check that quietly passes would prove nothing.

#[path = "../support/chrome.rs"]
mod chrome;
#[path = "../support/mod.rs"]
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex};

use chrome::{eval_json, eval_string, wait_until};
use headless_chrome::{Browser, Tab};
use serde_json::Value;

/// One Chromium at a time: the machines running this are small.
static BROWSER: Mutex<()> = Mutex::new(());

// ------------------------------------------------------------------------------------------
// The oracle: the viewer's semantics, computed from the export.

/// The viewer's value facets in the order its URL writes them (the date range aside); the
/// oracle's own copy, so a facet the viewer drops or renames fails here.
const LIST_FACETS: [&str; 14] = [
    "status",
    "flags",
    "subsystem",
    "maintainer",
    "tree",
    "branch",
    "scope",
    "suite",
    "arch",
    "platform",
    "config",
    "compiler",
    "lab",
    "origin",
];

/// The `key` of each object of an exported list (absent when the site does not route).
fn each<'a>(list: &'a Value, key: &str) -> Vec<&'a str> {
    list.as_array()
        .map(|a| a.iter().map(|x| x[key].as_str().unwrap()).collect())
        .unwrap_or_default()
}

/// A regression's maintainers, reviewers and lists (routed sites).
fn contacts(r: &Value) -> BTreeSet<String> {
    ["maintainers", "reviewers", "lists"]
        .iter()
        .flat_map(|k| each(&r[*k], "address"))
        .map(String::from)
        .collect()
}

/// The facet values of one exported regression (see `generator/src/site/viewer_data.rs`).
fn facet_values(r: &Value) -> BTreeMap<&'static str, BTreeSet<String>> {
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    let one = |v: String| BTreeSet::from([v]);
    let occ = r["occurrences"].as_array().unwrap();
    let from_occ = |k: &str| -> BTreeSet<String> {
        occ.iter()
            .map(|o| s(&o[k]))
            .filter(|v| !v.is_empty())
            .collect()
    };
    let mut flags = BTreeSet::new();
    if !r["annotations"].is_null() {
        flags.insert("annotated".to_string());
    }
    if occ.iter().any(|o| o["intermittent"].as_bool().unwrap()) {
        flags.insert("flaky".to_string());
    }
    if !r["known_issue"].is_null() {
        flags.insert("known".to_string());
    }
    BTreeMap::from([
        ("status", one(s(&r["status"]))),
        ("flags", flags),
        (
            "subsystem",
            each(&r["subsystems"], "name")
                .into_iter()
                .map(String::from)
                .collect(),
        ),
        ("maintainer", contacts(r)),
        ("tree", one(s(&r["tree"]))),
        ("branch", one(s(&r["branch"]))),
        ("scope", one(s(&r["scope"]["kind"]))),
        (
            "suite",
            r["tests"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| crate::support::suite(t.as_str().unwrap()).to_string())
                .collect(),
        ),
        ("arch", from_occ("arch")),
        ("platform", from_occ("platform")),
        ("config", from_occ("config")),
        ("compiler", from_occ("compiler")),
        ("lab", from_occ("lab")),
        ("origin", from_occ("origin")),
        ("first_seen", one(s(&r["first_seen"]))),
    ])
}

/// Every word of `q` (lowercased) in the title, signature, a test path, a subsystem,
/// maintainer or list, or prefixing the id.
fn text_matches(r: &Value, q: &str) -> bool {
    let mut fields = vec![
        r["title"].as_str().unwrap_or("").to_lowercase(),
        r["signature"].as_str().unwrap_or("").to_lowercase(),
    ];
    for t in r["tests"].as_array().unwrap() {
        fields.push(t.as_str().unwrap().to_lowercase());
    }
    fields.extend(
        each(&r["subsystems"], "name")
            .iter()
            .map(|x| x.to_lowercase()),
    );
    fields.extend(contacts(r).iter().map(|x| x.to_lowercase()));
    let id = r["id"].as_str().unwrap().to_lowercase();
    q.split_whitespace()
        .map(str::to_lowercase)
        .all(|w| fields.iter().any(|f| f.contains(w.as_str())) || id.starts_with(w.as_str()))
}

/// A view of the list: what the URL hash holds.
#[derive(Clone, Debug, Default)]
struct View {
    q: String,
    f: BTreeMap<&'static str, Vec<String>>,
    from: String,
    to: String,
    sort: String,
}

impl View {
    fn facet(mut self, name: &'static str, values: &[&str]) -> Self {
        self.f
            .insert(name, values.iter().map(|s| s.to_string()).collect());
        self
    }

    fn text(mut self, q: &str) -> Self {
        self.q = q.into();
        self
    }

    /// The hash the viewer writes for this view (URLSearchParams order: q, facets, from, to,
    /// sort).
    fn hash(&self) -> String {
        let mut parts = Vec::new();
        let enc = |s: &str| {
            let mut o = String::new();
            for b in s.bytes() {
                match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                        o.push(b as char);
                    }
                    b' ' => o.push('+'),
                    _ => o.push_str(&format!("%{b:02X}")),
                }
            }
            o
        };
        if !self.q.is_empty() {
            parts.push(format!("q={}", enc(&self.q)));
        }
        for name in LIST_FACETS {
            let mut vs = self.f.get(name).cloned().unwrap_or_default();
            vs.sort();
            for v in vs {
                parts.push(format!("{name}={}", enc(&v)));
            }
        }
        if !self.from.is_empty() {
            parts.push(format!("from={}", self.from));
        }
        if !self.to.is_empty() {
            parts.push(format!("to={}", self.to));
        }
        if !self.sort.is_empty() && self.sort != "report" {
            parts.push(format!("sort={}", self.sort));
        }
        parts.join("&")
    }
}

struct Oracle<'a> {
    rows: Vec<(&'a Value, BTreeMap<&'static str, BTreeSet<String>>)>,
}

impl<'a> Oracle<'a> {
    /// The rows the viewer lists: the published regressions, then the unconfirmed ones.
    fn new(export: &'a Value) -> Self {
        let listed = ["regressions", "unconfirmed"]
            .into_iter()
            .flat_map(|k| export[k].as_array().into_iter().flatten());
        Oracle {
            rows: listed.map(|r| (r, facet_values(r))).collect(),
        }
    }

    /// Whether row `i` passes every filter of `v` except facet `skip`.
    fn passes(&self, i: usize, v: &View, skip: &str) -> bool {
        let (r, fv) = &self.rows[i];
        if !text_matches(r, &v.q) {
            return false;
        }
        for (name, want) in &v.f {
            if *name != skip && !want.is_empty() && !fv[name].iter().any(|x| want.contains(x)) {
                return false;
            }
        }
        if skip != "first_seen" && (!v.from.is_empty() || !v.to.is_empty()) {
            let d = fv["first_seen"].iter().next().unwrap();
            if d.is_empty()
                || (!v.from.is_empty() && *d < v.from)
                || (!v.to.is_empty() && *d > v.to)
            {
                return false;
            }
        }
        true
    }

    /// The ids the viewer must list, in order.
    fn ids(&self, v: &View) -> Vec<String> {
        let mut rows: Vec<usize> = (0..self.rows.len())
            .filter(|&i| self.passes(i, v, ""))
            .collect();
        let key = |i: usize| -> (String, u64) {
            let r = self.rows[i].0;
            match v.sort.split('-').next().unwrap_or("") {
                "first_seen" => (r["first_seen"].as_str().unwrap_or("").into(), 0),
                "last_seen" => (r["last_seen"].as_str().unwrap_or("").into(), 0),
                "boards" => {
                    let b: BTreeSet<&str> = r["occurrences"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|o| o["platform"].as_str().unwrap_or(""))
                        .collect();
                    (String::new(), b.len() as u64)
                }
                "occurrences" => (
                    String::new(),
                    r["occurrences"].as_array().unwrap().len() as u64,
                ),
                _ => (String::new(), i as u64),
            }
        };
        if v.sort.ends_with("-desc") {
            rows.sort_by_key(|&i| std::cmp::Reverse(key(i)));
        } else {
            rows.sort_by_key(|&i| key(i));
        }
        rows.iter()
            .map(|&i| self.rows[i].0["id"].as_str().unwrap().to_string())
            .collect()
    }

    /// Every facet's non-zero counts: rows passing every other filter, per value.
    fn counts(&self, v: &View) -> BTreeMap<String, BTreeMap<String, u64>> {
        let mut out: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
        for name in LIST_FACETS.into_iter().chain(["first_seen"]) {
            let m = out.entry(name.to_string()).or_default();
            for i in 0..self.rows.len() {
                if self.passes(i, v, name) {
                    for x in &self.rows[i].1[name] {
                        *m.entry(x.clone()).or_default() += 1;
                    }
                }
            }
        }
        out
    }
}

// ------------------------------------------------------------------------------------------
// Reading the page.

const LIST_IDS: &str =
    "Array.from(document.querySelectorAll('#viewer-list > li')).map(li => li.dataset.id)";

/// The viewer's counts, zeros dropped.
fn nonzero(v: &Value) -> BTreeMap<String, BTreeMap<String, u64>> {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(f, m)| {
            (
                f.clone(),
                m.as_object()
                    .unwrap()
                    .iter()
                    .filter(|(_, n)| n.as_u64().unwrap() > 0)
                    .map(|(k, n)| (k.clone(), n.as_u64().unwrap()))
                    .collect(),
            )
        })
        .collect()
}

/// Checks the current page against the oracle for `view`: every result id in order, the
/// rendered rows, the count line, every facet count, and the counts printed beside the facet
/// values on screen (read in one DevTools call: each costs ~100 ms).
fn check_view(tab: &Tab, oracle: &Oracle, view: &View, what: &str) {
    let want = oracle.ids(view);
    let hash = view.hash();
    wait_until(
        tab,
        &format!(
            "window.regtrackView && window.regtrackView.hash() === {}",
            serde_json::to_string(&hash).unwrap()
        ),
        &format!("{what}: the view {hash:?}"),
        20,
    );
    let page = eval_json(
        tab,
        &format!(
            "{{ ids: window.regtrackView.ids(), shown: {LIST_IDS}, \
               count: document.getElementById('filter-count').textContent, \
               counts: window.regtrackView.counts(), \
               screen: Array.from(document.querySelectorAll('fieldset[data-facet] li[data-value]')).map(li => \
                 [li.closest('fieldset').dataset.facet, li.dataset.value, li.querySelector('.n').textContent, \
                  li.querySelector('input').checked]) }}"
        ),
    );
    let all: Vec<String> = serde_json::from_value(page["ids"].clone()).unwrap();
    assert_eq!(all, want, "{what}: result ids for {hash:?}");
    let shown: Vec<String> = serde_json::from_value(page["shown"].clone()).unwrap();
    assert_eq!(
        shown,
        want[..want.len().min(shown.len())],
        "{what}: rendered rows for {hash:?}"
    );
    assert!(
        shown.len() >= want.len().min(40),
        "{what}: a first page of rows for {hash:?}"
    );
    assert_eq!(
        page["count"].as_str().unwrap(),
        format!("{} of {}", want.len(), oracle.rows.len()),
        "{what}: count line"
    );
    let expected = oracle.counts(view);
    let got = nonzero(&page["counts"]);
    for (facet, m) in &expected {
        let g = got.get(facet).cloned().unwrap_or_default();
        assert_eq!(&g, m, "{what}: counts of facet {facet} for {hash:?}");
    }
    // What a person sees beside each listed facet value.
    for item in page["screen"].as_array().unwrap() {
        let facet = item[0].as_str().unwrap();
        let value = item[1].as_str().unwrap();
        let n: u64 = item[2].as_str().unwrap().parse().unwrap();
        let want_n = expected[facet].get(value).copied().unwrap_or(0);
        assert_eq!(n, want_n, "{what}: on-screen count of {facet}={value:?}");
        let checked = item[3].as_bool().unwrap();
        let selected = view
            .f
            .get(facet)
            .is_some_and(|v| v.iter().any(|x| x == value));
        assert_eq!(checked, selected, "{what}: checkbox {facet}={value:?}");
    }
}

fn open(browser: &Browser, url: &str) -> (Arc<Tab>, chrome::Watch) {
    let tab = browser.new_tab().unwrap();
    let w = chrome::watch(&tab);
    tab.navigate_to(url).unwrap();
    wait_until(
        &tab,
        "document.body && document.body.dataset.viewer === 'ready'",
        &format!("the viewer at {url}"),
        60,
    );
    (tab, w)
}

fn set_hash(tab: &Tab, view: &View) {
    eval_string(
        tab,
        &format!(
            "location.hash = {}; 'ok'",
            serde_json::to_string(&view.hash()).unwrap()
        ),
        false,
    );
}

fn finish(tab: Arc<Tab>, w: &chrome::Watch, base: &str, what: &str) {
    let errors = w.errors();
    assert!(
        errors.is_empty(),
        "{what} ({base}): console errors: {errors:#?}"
    );
    chrome::assert_requests_inside(&w.requests(), base);
    let _ = tab.close(true);
}

// ------------------------------------------------------------------------------------------
// The demo: real correlation output, annotations, KCIDB issues, excerpts.

fn check_demo(browser: &Browser, base: &str, export: &Value) {
    let oracle = Oracle::new(export);
    let regs = export["regressions"].as_array().unwrap();
    assert!(regs.len() >= 4, "the demo plants several regressions");
    let (tab, w) = open(browser, &format!("{base}index.html"));
    check_view(&tab, &oracle, &View::default(), "demo, no filter");

    // Keyboard: `/` focuses the search box; typing filters, with the view in the URL.
    tab.press_key("/").unwrap();
    assert_eq!(
        eval_string(&tab, "document.activeElement.id", false),
        "filter-text"
    );
    let query = regs[0]["tests"][0].as_str().unwrap().to_string();
    tab.type_str(&query).unwrap();
    let typed = View::default().text(&query);
    check_view(&tab, &oracle, &typed, "demo, typed");
    assert!(oracle.ids(&typed).len() < regs.len(), "{query} must narrow");
    // Escape in the search box clears it.
    tab.press_key("Escape").unwrap();
    check_view(&tab, &oracle, &View::default(), "demo, escape");

    // A click on a facet value.
    tab.find_element("fieldset[data-facet='status'] li[data-value='ongoing'] input")
        .unwrap()
        .click()
        .unwrap();
    let ongoing = View::default().facet("status", &["ongoing"]);
    check_view(&tab, &oracle, &ongoing, "demo, status=ongoing");
    let arch = regs
        .iter()
        .find(|r| r["status"] == "ongoing")
        .expect("an ongoing regression")["occurrences"][0]["arch"]
        .as_str()
        .unwrap();
    tab.find_element(&format!(
        "fieldset[data-facet='arch'] li[data-value='{arch}'] input"
    ))
    .unwrap()
    .click()
    .unwrap();
    let both = ongoing.clone().facet("arch", &[arch]);
    check_view(&tab, &oracle, &both, "demo, status+arch");
    // Back and forward.
    tab.evaluate("history.back()", false).unwrap();
    check_view(&tab, &oracle, &ongoing, "demo, back");
    tab.evaluate("history.forward()", false).unwrap();
    check_view(&tab, &oracle, &both, "demo, forward");
    // The link reproduces the view in a fresh page.
    let url = tab.get_url();
    let (tab2, w2) = open(browser, &url);
    check_view(&tab2, &oracle, &both, "demo, shared link");
    finish(tab2, &w2, base, "demo shared link");
    tab.activate().unwrap();

    // More combinations, through the address bar.
    let tls = regs
        .iter()
        .find(|r| r["signature"] == "WARNING in tls_sw_recvmsg")
        .expect("the many-board regression");
    let board = tls["occurrences"][0]["platform"].as_str().unwrap();
    let views = [
        View::default().text("tls_sw"),
        View::default()
            .text("KSELFTEST")
            .facet("platform", &[board]),
        View::default().facet("flags", &["annotated"]),
        View::default()
            .facet("scope", &["all", "board"])
            .facet("tree", &["mainline"]),
        View::default().facet("suite", &["kselftest.net", "ltp.syscalls"]),
        View {
            from: "2026-11-14".into(),
            to: "2026-11-18".into(),
            ..View::default()
        },
        View {
            sort: "boards-desc".into(),
            ..View::default()
        }
        .facet("status", &["ongoing", "fixed"]),
        View {
            sort: "first_seen-asc".into(),
            ..View::default()
        },
        View::default().facet("platform", &["no-such-board"]),
        // Routing: a subsystem, a list, and a maintainer's name typed.
        View::default().facet("subsystem", &["NETWORKING [TLS]", "LIBRARY CODE"]),
        View::default()
            .facet("maintainer", &["netdev@vger.kernel.org"])
            .facet("status", &["ongoing"]),
        View::default().text("kicinski"),
    ];
    for v in &views {
        set_hash(&tab, v);
        check_view(&tab, &oracle, v, "demo, combination");
    }
    // Clear all drops every filter and keeps the order.
    let sorted_only = View {
        sort: "first_seen-asc".into(),
        ..View::default()
    };
    let busy = View {
        sort: "first_seen-asc".into(),
        ..View::default()
    }
    .text("tls")
    .facet("status", &["ongoing"]);
    set_hash(&tab, &busy);
    check_view(&tab, &oracle, &busy, "demo, before clear");
    tab.find_element("#clear-all").unwrap().click().unwrap();
    check_view(&tab, &oracle, &sorted_only, "demo, cleared");
    set_hash(&tab, &View::default());
    check_view(&tab, &oracle, &View::default(), "demo, report order");

    // Drill-down: click a title (the tls regression: annotated, KCIDB issue, excerpts).
    let id = tls["id"].as_str().unwrap();
    tab.find_element(&format!("#viewer-list li[data-id='{id}'] a.title"))
        .unwrap()
        .click()
        .unwrap();
    wait_until(
        &tab,
        "!document.getElementById('drill').hidden && document.querySelector('#drill .matrix') !== null",
        "the drill-down",
        20,
    );
    assert!(tab.get_url().contains(&format!("r={id}")));
    check_drill(&tab, tls, base);

    // One environment's history, then its board.
    tab.find_element("#drill .matrix a.cell")
        .unwrap()
        .click()
        .unwrap();
    wait_until(
        &tab,
        "document.getElementById('occurrence-heading') !== null",
        "the occurrence view",
        20,
    );
    let heading = eval_string(
        &tab,
        "document.getElementById('occurrence-heading').textContent",
        false,
    );
    let first_board = eval_string(
        &tab,
        "document.querySelector('#drill .matrix tbody th a').textContent",
        false,
    );
    assert!(heading.contains(&first_board), "{heading} / {first_board}");
    let strip_cells: u64 = eval_string(
        &tab,
        "String(document.querySelectorAll('.occurrence .strip-big .run').length)",
        false,
    )
    .parse()
    .unwrap();
    assert!(strip_cells > 0, "the history strip has runs");
    // Each cell says which run it is, and the list below names every run, newest first.
    let runs_ok = eval_string(
        &tab,
        "(function () { \
           var cells = document.querySelectorAll('.occurrence .strip-big .run'); \
           var items = document.querySelectorAll('.occurrence ol.runs li'); \
           if (items.length !== cells.length) { return 'items ' + items.length + ' cells ' + cells.length; } \
           for (var i = 0; i < cells.length; i++) { \
             var t = cells[i].getAttribute('title'); \
             if (!/^\\w+ · .+ · \\d{4}-\\d{2}-\\d{2}$/.test(t)) { return 'title ' + t; } \
             var li = items[cells.length - 1 - i].textContent; \
             if (li !== t) { return 'item ' + li + ' vs ' + t; } \
           } \
           return 'ok'; })()",
        false,
    );
    assert_eq!(runs_ok, "ok");
    // The open environment is a link too: a fresh page opens the same view.
    let url = tab.get_url();
    let key = url.split("o=").nth(1).unwrap_or("").to_string();
    assert!(
        key.len() == 8 && key.chars().all(|c| c.is_ascii_hexdigit()),
        "{url}"
    );
    let (tab4, w4) = open(browser, &url);
    wait_until(
        &tab4,
        "document.getElementById('occurrence-heading') !== null",
        "the shared environment link",
        20,
    );
    assert_eq!(
        eval_string(
            &tab4,
            "document.getElementById('occurrence-heading').textContent",
            false
        ),
        heading
    );
    finish(tab4, &w4, base, "demo environment link");
    tab.activate().unwrap();
    // Escape closes the environment, then the regression.
    tab.press_key("Escape").unwrap();
    wait_until(
        &tab,
        "document.getElementById('occurrence-heading') === null && !document.getElementById('drill').hidden",
        "the environment to close",
        20,
    );
    tab.find_element("#drill .matrix tbody th a")
        .unwrap()
        .click()
        .unwrap();
    let board_view = View::default().facet("platform", &[&first_board]);
    wait_until(
        &tab,
        "!document.getElementById('board-panel').hidden && document.querySelector('#board-panel h2') !== null",
        "the board panel",
        20,
    );
    let panel = eval_string(
        &tab,
        "document.getElementById('board-panel').textContent",
        false,
    );
    assert!(panel.contains(&first_board), "{panel}");
    assert!(tab.get_url().contains("board="));
    // The board's list is its regressions (the hash also holds board=…).
    let ids: Vec<String> =
        serde_json::from_value(eval_json(&tab, "window.regtrackView.ids()")).unwrap();
    assert_eq!(ids, oracle.ids(&board_view), "the board's regressions");
    let href = eval_string(
        &tab,
        "document.querySelector('#board-panel a[href^=\"boards/\"]').getAttribute('href')",
        false,
    );
    assert!(
        href.starts_with("boards/") && href.ends_with("/index.html"),
        "{href}"
    );
    tab.press_key("Escape").unwrap();
    wait_until(
        &tab,
        "document.getElementById('board-panel').hidden",
        "the board panel to close",
        20,
    );

    // The permalink page opens from the list (a modified click, or no JS, goes there).
    let tab3 = browser.new_tab().unwrap();
    let w3 = chrome::watch(&tab3);
    tab3.navigate_to(&format!("{base}r/{id}/index.html"))
        .unwrap();
    wait_until(
        &tab3,
        "document.body.dataset.viewer === 'ready'",
        "the permalink page",
        20,
    );
    let h1 = eval_string(&tab3, "document.querySelector('h1').textContent", false);
    assert!(h1.contains(tls["title"].as_str().unwrap()), "{h1}");
    // "Copy report": shown once the script runs, it copies the mail-ready report (or, where
    // the clipboard is refused, selects it for the reader to copy).
    let report = eval_string(
        &tab3,
        "document.getElementById('report-text').textContent",
        false,
    );
    assert!(report.contains("#regzbot introduced: "), "{report}");
    assert!(report.contains("regressions@lists.linux.dev"));
    let shown = eval_string(
        &tab3,
        "String(!document.getElementById('copy-report').hidden)",
        false,
    );
    assert_eq!(shown, "true", "the Copy report button is shown");
    eval_string(
        &tab3,
        "document.getElementById('copy-report').click(), ''",
        false,
    );
    wait_until(
        &tab3,
        "document.getElementById('copy-report').textContent === 'Copied' || \
         window.getSelection().toString().trim() === document.getElementById('report-text').textContent.trim()",
        "the report copied or selected",
        20,
    );
    finish(tab3, &w3, base, "demo permalink");
    tab.activate().unwrap();
    finish(tab, &w, base, "demo");
}

/// The drill-down of `r` shows what the export says about it.
fn check_drill(tab: &Tab, r: &Value, base: &str) {
    let text = eval_string(tab, "document.getElementById('drill').textContent", false);
    for needle in [
        r["title"].as_str().unwrap(),
        r["signature"].as_str().unwrap(),
        r["status"].as_str().unwrap(),
        "Maintainer notes",
        "KCIDB issues",
        "Log excerpts",
        "Whose it is",
        "NETWORKING [TLS]",
        "netdev@vger.kernel.org",
        "#regzbot introduced: ",
    ] {
        assert!(text.contains(needle), "drill-down lacks {needle:?}");
    }
    let subject = r["kcidb_issues"][0]["report_subject"].as_str().unwrap();
    assert!(text.contains(subject), "drill-down lacks the KCIDB issue");
    // The window links to the commits on the repository's web UI.
    let repo = r["repository_url"].as_str().unwrap();
    let first_fail = r["first_fail"]["commit"].as_str().unwrap();
    let want = regtrack::links::commit_url(repo, first_fail).expect("a known host");
    let links: Vec<String> = serde_json::from_value(eval_json(
        tab,
        "Array.from(document.querySelectorAll('#drill .window a')).map(a => a.getAttribute('href'))",
    ))
    .unwrap();
    assert!(links.contains(&want), "{links:?} lacks {want}");
    // Every environment is in the matrix, with a strip of runs.
    let cells: usize = eval_string(
        tab,
        "String(document.querySelectorAll('#drill .matrix a.cell').length)",
        false,
    )
    .parse()
    .unwrap();
    assert_eq!(cells, r["occurrences"].as_array().unwrap().len());
    let boards: BTreeSet<&str> = r["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["platform"].as_str().unwrap())
        .collect();
    let rows: usize = eval_string(
        tab,
        "String(document.querySelectorAll('#drill .matrix tbody tr').length)",
        false,
    )
    .parse()
    .unwrap();
    assert_eq!(rows, boards.len(), "one matrix row per board");
    // Excerpts are collapsible text.
    let excerpts = eval_json(
        tab,
        "Array.from(document.querySelectorAll('#drill details.excerpt pre')).map(p => p.textContent)",
    );
    assert!(!excerpts.as_array().unwrap().is_empty());
    assert!(
        excerpts[0].as_str().unwrap().contains("tls_sw_recvmsg"),
        "{excerpts}"
    );
    // The permalink, to copy.
    let permalink = eval_string(
        tab,
        "document.querySelector('#drill .permalink').textContent",
        false,
    );
    let id = r["id"].as_str().unwrap();
    assert_eq!(permalink, format!("{base}r/{id}/"));
    let href = eval_string(
        tab,
        "document.querySelector('#drill .permalink').closest('a').getAttribute('href')",
        false,
    );
    assert_eq!(href, format!("r/{id}/index.html"));
    // No link anywhere in it goes somewhere other than http(s) or the site.
    let hrefs: Vec<String> = serde_json::from_value(eval_json(
        tab,
        "Array.from(document.querySelectorAll('#drill a')).map(a => a.getAttribute('href'))",
    ))
    .unwrap();
    for h in hrefs {
        assert!(
            h.starts_with("https://")
                || h.starts_with("http://")
                || h.starts_with('#')
                || h.starts_with("r/")
                || (h.starts_with("s/") && h.ends_with("/index.html")),
            "unexpected link {h}"
        );
    }
}

#[test]
fn demo_site_works_from_disk_and_over_http() {
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let dir = crate::support::scratch("browser");
    // Routed with the kernel's MAINTAINERS: the subsystem and maintainer facets are filled.
    let Some(corpus) = crate::support::corpus_dir() else {
        return;
    };
    let status = std::process::Command::new(crate::support::regtrack_bin())
        .args(["demo", "--maintainers"])
        .arg(corpus.join("maintainers/MAINTAINERS"))
        .arg("--out")
        .arg(&dir)
        .status()
        .unwrap();
    assert!(status.success());
    let site = dir.join("site").canonicalize().unwrap();
    let export: Value =
        serde_json::from_slice(&std::fs::read(site.join("api/v1/regressions.json")).unwrap())
            .unwrap();
    let browser = chrome::launch(&crate::support::scratch("browser-profile"));
    check_demo(&browser, &format!("file://{}/", site.display()), &export);
    check_demo(&browser, &chrome::serve(site.clone()), &export);
}

// ------------------------------------------------------------------------------------------
// A synthetic night big enough for paging and for every facet to matter.

fn check_synthetic(browser: &Browser, base: &str, export: &Value) {
    let oracle = Oracle::new(export);
    let regs = export["regressions"].as_array().unwrap();
    let (tab, w) = open(browser, &format!("{base}index.html"));
    check_view(&tab, &oracle, &View::default(), "synthetic, no filter");
    // The list grows as it scrolls (or with the button).
    tab.find_element("#show-more").unwrap().click().unwrap();
    let n: usize = eval_string(
        &tab,
        "String(document.querySelectorAll('#viewer-list > li').length)",
        false,
    )
    .parse()
    .unwrap();
    assert!(n > 40, "show more adds rows ({n})");
    let shown: Vec<String> = serde_json::from_value(eval_json(&tab, LIST_IDS)).unwrap();
    assert_eq!(shown, oracle.ids(&View::default())[..n]);

    let views = synthetic_views(export);
    for v in &views {
        set_hash(&tab, v);
        check_view(&tab, &oracle, v, "synthetic");
    }
    // A link opens the same view in a fresh page.
    let url = tab.get_url();
    let (tab2, w2) = open(browser, &url);
    check_view(
        &tab2,
        &oracle,
        views.last().unwrap(),
        "synthetic, shared link",
    );
    finish(tab2, &w2, base, "synthetic shared link");
    tab.activate().unwrap();
    // A drill-down whose details are in a later chunk.
    let deep = &regs[regs.len() - 2];
    let id = deep["id"].as_str().unwrap();
    eval_string(&tab, &format!("location.hash = 'r={id}'; 'ok'"), false);
    wait_until(
        &tab,
        "document.querySelector('#drill .matrix') !== null",
        "a drill-down from a later chunk",
        20,
    );
    let cells: usize = eval_string(
        &tab,
        "String(document.querySelectorAll('#drill .matrix a.cell').length)",
        false,
    )
    .parse()
    .unwrap();
    assert_eq!(cells, deep["occurrences"].as_array().unwrap().len());
    let requests = w.requests();
    let chunk = format!("data/detail-{}.js", (regs.len() - 2) / 100);
    assert!(
        requests.iter().any(|u| u.ends_with(&chunk)),
        "{chunk} loaded on demand: {requests:?}"
    );
    assert!(
        !requests.iter().any(|u| u.ends_with("data/detail-0.js")),
        "only the chunk needed is loaded"
    );
    finish(tab, &w, base, "synthetic");
}

/// Views of the synthetic night that exercise every facet, text, the date range and sorts.
fn synthetic_views(export: &Value) -> Vec<View> {
    let regs = export["regressions"].as_array().unwrap();
    let r0 = &regs[3];
    let o0 = &r0["occurrences"][0];
    let word = r0["tests"][0]
        .as_str()
        .unwrap()
        .rsplit('.')
        .next()
        .unwrap()
        .split('_')
        .next()
        .unwrap()
        .to_string();
    vec![
        View::default().text(&word),
        View::default().text(&format!("{word} fails")),
        View::default().text(&r0["id"].as_str().unwrap()[..5]),
        View::default().facet("status", &["new", "reopened"]),
        View::default()
            .facet("status", &["ongoing"])
            .facet("arch", &["arm64", "riscv"]),
        View::default()
            .facet("platform", &[o0["platform"].as_str().unwrap()])
            .facet("compiler", &[o0["compiler"].as_str().unwrap()]),
        View::default()
            .text("kselftest")
            .facet("tree", &["mainline", "next"])
            .facet("flags", &["flaky"]),
        View::default()
            .facet("suite", &["kselftest.net", "ltp.mm", "boot"])
            .facet("lab", &[o0["lab"].as_str().unwrap_or("lab-cip")]),
        View::default().facet("config", &[o0["config"].as_str().unwrap()]),
        View::default()
            .facet("origin", &["linaro"])
            .facet("arch", &["arm64", "x86_64"]),
        View {
            from: "2026-11-01".into(),
            to: "2026-11-15".into(),
            sort: "occurrences-desc".into(),
            ..View::default()
        }
        .facet("branch", &["master"]),
        View {
            sort: "last_seen-asc".into(),
            ..View::default()
        }
        .text("warning"),
        View::default().facet("flags", &["known", "annotated"]),
    ]
}

/// The benchmark's plain-JS reference (`tests/viewer-reference.js`), given the index's column
/// table generated by the format crate, lists the same rows and counts the same values as the
/// export says for every synthetic view: if the reference and the format crate disagreed on
/// the columns, it would misread the index.
fn check_reference(browser: &Browser, base: &str, export: &Value) {
    let oracle = Oracle::new(export);
    let (tab, w) = open(browser, &format!("{base}index.html"));
    let script = format!(
        "{}{}",
        regtrack_viewer_format::index::columns_script(),
        include_str!("../viewer-reference.js")
    );
    eval_string(&tab, &format!("{script}\n'ok'"), false);
    eval_string(
        &tab,
        "window.regtrackReference.load('').then(function (l) { window.testReference = l.ref; return 'ok'; })",
        true,
    );
    for view in synthetic_views(export).iter().chain([&View::default()]) {
        let mut f = serde_json::Map::new();
        for (k, v) in &view.f {
            f.insert(k.to_string(), serde_json::json!(v));
        }
        let state = serde_json::json!({
            "q": view.q, "f": f, "from": view.from, "to": view.to, "sort": view.sort,
        });
        let got = eval_json(
            &tab,
            &format!(
                "(function () {{ var ref = window.testReference, out = ref.apply({state}), k = 0, counts = {{}}; \
                   ref.facets.forEach(function (f) {{ var m = {{}}; \
                     f.values.forEach(function (v) {{ m[v] = out.counts[k++]; }}); counts[f.name] = m; }}); \
                   return {{ total: out.total, ids: out.ids, counts: counts }}; }})()"
            ),
        );
        let what = format!("reference, {:?}", view.hash());
        let ids: Vec<String> = serde_json::from_value(got["ids"].clone()).unwrap();
        assert_eq!(ids, oracle.ids(view), "{what}: result ids");
        assert_eq!(got["total"].as_u64().unwrap() as usize, ids.len(), "{what}");
        let counts = nonzero(&got["counts"]);
        for (facet, m) in &oracle.counts(view) {
            let g = counts.get(facet).cloned().unwrap_or_default();
            assert_eq!(&g, m, "{what}: counts of facet {facet}");
        }
    }
    finish(tab, &w, base, "reference");
}

/// Without JavaScript the static pages carry the whole list, 500 rows a page.
fn check_without_js(browser: &Browser, base: &str, regs: usize) {
    use headless_chrome::protocol::cdp::Emulation;
    let tab = browser.new_tab().unwrap();
    tab.call_method(Emulation::SetScriptExecutionDisabled { value: true })
        .unwrap();
    let mut seen = 0;
    let pages = regs.div_ceil(500);
    for page in 1..=pages {
        let url = if page == 1 {
            format!("{base}index.html")
        } else {
            format!("{base}list/{page}/index.html")
        };
        tab.navigate_to(&url).unwrap();
        tab.wait_until_navigated().unwrap();
        // DevTools evaluation still works with the page's scripts off.
        let info = eval_json(
            &tab,
            "{ rows: document.querySelectorAll('#static-list #regressions > li').length, \
               list: getComputedStyle(document.getElementById('static-list')).display, \
               viewer: document.getElementById('viewer') ? getComputedStyle(document.getElementById('viewer')).display : 'absent', \
               ready: document.body.dataset.viewer || '', \
               pages: document.querySelectorAll('nav.pages a').length }",
        );
        let rows = info["rows"].as_u64().unwrap() as usize;
        assert_eq!(rows, 500.min(regs - seen), "{url}");
        seen += rows;
        assert_ne!(info["list"], "none", "{url}: the static list shows");
        assert!(
            info["viewer"] == "none" || info["viewer"] == "absent",
            "{url}"
        );
        assert_eq!(info["ready"], "", "{url}: no script ran");
        assert!(pages == 1 || info["pages"].as_u64().unwrap() > 0, "{url}");
    }
    assert_eq!(seen, regs);
    let _ = tab.close(true);
}

#[test]
fn synthetic_site_facets_and_lists_match_the_export() {
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let report = regtrack::tools::synthetic::report(1234, 12000, 11);
    let site = crate::support::scratch("browser-synthetic");
    regtrack::site::write_site(
        &report,
        &regtrack::report::ledger::Ledger::default(),
        &site,
        &regtrack::site::SiteOptions {
            title: "Synthetic".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let site = site.canonicalize().unwrap();
    let export: Value =
        serde_json::from_slice(&std::fs::read(site.join("api/v1/regressions.json")).unwrap())
            .unwrap();
    let n = export["regressions"].as_array().unwrap().len();
    let browser = chrome::launch(&crate::support::scratch("browser-synthetic-profile"));
    let file = format!("file://{}/", site.display());
    check_synthetic(&browser, &file, &export);
    check_reference(&browser, &file, &export);
    check_without_js(&browser, &file, n);
    let http = chrome::serve(site.clone());
    check_synthetic(&browser, &http, &export);
}

// ------------------------------------------------------------------------------------------
// Hostile strings stay text.

#[test]
fn hostile_strings_stay_text_in_the_viewer() {
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let fixtures = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/hostile"
    ));
    let site = crate::support::scratch("browser-hostile");
    let out = std::process::Command::new(crate::support::regtrack_bin())
        .args(["build", "--results"])
        .arg(fixtures)
        .arg("--out")
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = site.canonicalize().unwrap();
    let export: Value =
        serde_json::from_slice(&std::fs::read(site.join("api/v1/regressions.json")).unwrap())
            .unwrap();
    let r = &export["regressions"][0];
    let id = r["id"].as_str().unwrap();
    let board = r["occurrences"][0]["platform"].as_str().unwrap();
    let browser = chrome::launch(&crate::support::scratch("browser-hostile-profile"));
    let base = format!("file://{}/", site.display());
    let (tab, w) = open(&browser, &format!("{base}index.html"));
    let oracle = Oracle::new(&export);
    check_view(&tab, &oracle, &View::default(), "hostile");
    let tree = r["tree"].as_str().unwrap();
    set_hash(&tab, &View::default().facet("tree", &[tree]));
    check_view(
        &tab,
        &oracle,
        &View::default().facet("tree", &[tree]),
        "hostile tree",
    );
    eval_string(
        &tab,
        &format!(
            "location.hash = 'r={id}&board=' + encodeURIComponent({}); 'ok'",
            serde_json::to_string(board).unwrap()
        ),
        false,
    );
    wait_until(
        &tab,
        "document.querySelector('#drill .matrix') !== null",
        "the hostile drill-down",
        20,
    );
    // Nothing from the data became an element, an attribute or a link.
    let injected = eval_json(
        &tab,
        "{ img: document.querySelectorAll('img').length, \
           svg: document.querySelectorAll('svg').length, \
           bold: document.querySelectorAll('main b').length, \
           handlers: document.querySelectorAll('[onmouseover],[onerror],[onload]').length, \
           js: document.querySelectorAll('a[href^=\"javascript\" i]').length, \
           scripts: Array.from(document.scripts).filter(s => s.src && !/\\/(assets|data)\\//.test(s.src)).length }",
    );
    assert_eq!(
        injected,
        serde_json::json!({"img": 0, "svg": 0, "bold": 0, "handlers": 0, "js": 0, "scripts": 0}),
        "markup from the data reached the page"
    );
    let text = eval_string(&tab, "document.getElementById('drill').textContent", false);
    assert!(
        text.contains("<script>alert('path')</script>"),
        "shown as text"
    );
    finish(tab, &w, &base, "hostile");
}
