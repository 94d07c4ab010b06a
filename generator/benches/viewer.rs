//! The viewer at scale, in headless Chromium: builds a synthetic site (100,000 regressions and
//! 1,000,000 occurrences by default; a `Report` built directly, no correlation), opens it, and
//! measures
//! - time to the first usable list after the page opens (from `file://` and over http),
//! - per-keystroke update (filter + every facet's counts + the first rows) over a realistic
//!   sequence of keystrokes and facet clicks, three ways in the same run on the same data:
//!   the wasm engine alone, the plain-JavaScript reference (`tests/viewer-reference.js`, given
//!   the index's column table by the format crate) alone, and the whole user-visible update
//!   (wasm + DOM + layout),
//! - the size of the wasm module and its glue, gzipped.
//!
//! Every step's results are checked equal between wasm and the reference. Prints a table.
//!
//! ```sh
//! CARGO_TARGET_DIR=... cargo bench -p regtrack --bench viewer
//! REGTRACK_BENCH_REGRESSIONS=20000 REGTRACK_BENCH_OCCURRENCES=200000 cargo bench -p regtrack --bench viewer
//! ```

#[path = "../../tests/support/chrome.rs"]
mod chrome;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{Value, json};

const REFERENCE_JS: &str = include_str!("../../tests/viewer-reference.js");

/// The reference, preceded by the index's column table generated from the format crate (the
/// reference does not type the table itself).
fn reference_script() -> String {
    format!(
        "{}{REFERENCE_JS}",
        regtrack_viewer_format::index::columns_script()
    )
}

/// Runs the step sequence in the page: for each step, the wasm engine (a second Viewer over
/// the same index, so the page's own stays untouched), the JS reference, then the page's full
/// update. Resolves with JSON.
const DRIVER_JS: &str = r#"
window.regtrackBench = async function (steps, warmup) {
  const loaded = await window.regtrackReference.load("");
  const ref = loaded.ref;
  const idx = await new Promise(function (resolve) {
    const original = window.regtrack.register;
    window.regtrack.register = function (name, data) { window.regtrack.register = original; resolve(data); };
    const s = document.createElement("script");
    s.src = "data/index.js";
    document.body.appendChild(s);
  });
  const t0 = performance.now();
  const wasm = new wasm_bindgen.Viewer(idx.v, idx.rows, idx.strings, idx.chunk, idx.text, idx.columns);
  const wasmLoad = performance.now() - t0;
  const FACETS = ["status", "flags", "tree", "branch", "scope", "suite", "arch", "platform", "config", "compiler", "lab", "origin"];
  function applyWasm(st) {
    wasm.setQuery(st.q || "");
    FACETS.forEach(function (k) { wasm.setFacet(k, (st.f && st.f[k]) || []); });
    wasm.setRange(st.from || "", st.to || "");
    const sort = (st.sort || "report").split("-");
    wasm.setSort(sort[0], sort[1] === "desc");
    const total = wasm.update();
    const counts = wasm.counts();
    const rows = JSON.parse(wasm.rowsJson(0, 60));
    return { total: total, counts: counts, ids: rows.map(function (r) { return r.id; }) };
  }
  function hashOf(st) {
    const p = new URLSearchParams();
    if (st.q) { p.append("q", st.q); }
    FACETS.forEach(function (k) { ((st.f && st.f[k]) || []).forEach(function (v) { p.append(k, v); }); });
    if (st.from) { p.append("from", st.from); }
    if (st.to) { p.append("to", st.to); }
    if (st.sort && st.sort !== "report") { p.append("sort", st.sort); }
    return p.toString();
  }
  const tick = function () { return new Promise(function (r) { setTimeout(r, 0); }); };
  for (const st of warmup) { applyWasm(st); ref.apply(st, 60); window.regtrackView.go(hashOf(st)); await tick(); }
  const out = [];
  for (const st of steps) {
    await tick();
    let a = performance.now();
    const w = applyWasm(st);
    const wasmMs = performance.now() - a;
    await tick();
    a = performance.now();
    const j = ref.apply(st, 60);
    const jsMs = performance.now() - a;
    await tick();
    a = performance.now();
    if (st.typing) { window.regtrackView.type(st.q || ""); } else { window.regtrackView.go(hashOf(st)); }
    document.body.getBoundingClientRect();
    document.getElementById("viewer-list").offsetHeight;
    const uiMs = performance.now() - a;
    const same = w.total === j.total && w.counts.length === j.counts.length &&
      w.counts.every(function (c, i) { return c === j.counts[i]; }) &&
      w.ids.join() === j.ids.join() && window.regtrackView.total() === w.total;
    out.push({ label: st.label, wasm: wasmMs, js: jsMs, ui: uiMs, results: w.total, same: same });
  }
  return JSON.stringify({ steps: out, jsLoad: loaded.ms, wasmLoad: wasmLoad });
};
"#;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(9));
    e.write_all(bytes).unwrap();
    e.finish().unwrap().len()
}

fn percentile(v: &[f64], p: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap());
    if s.is_empty() {
        return f64::NAN;
    }
    let i = ((s.len() - 1) as f64 * p).round() as usize;
    s[i]
}

fn dir_size(root: &Path) -> (usize, u64) {
    let mut files = 0;
    let mut bytes = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            if m.is_dir() {
                stack.push(e.path());
            } else {
                files += 1;
                bytes += m.len();
            }
        }
    }
    (files, bytes)
}

/// A step: a view as the viewer's state, with a label.
fn step(label: &str, q: &str, f: &[(&str, &str)], extra: Value, typing: bool) -> Value {
    let mut facets = serde_json::Map::new();
    for (k, v) in f {
        facets
            .entry(k.to_string())
            .or_insert_with(|| json!([]))
            .as_array_mut()
            .unwrap()
            .push(json!(v));
    }
    let mut s = json!({"label": label, "q": q, "f": facets, "typing": typing});
    if let Value::Object(m) = extra {
        for (k, v) in m {
            s[k] = v;
        }
    }
    s
}

/// The measured sequence: typing words a keystroke at a time, facet clicks between them,
/// backspaces, a date range, a sort, clear all.
fn sequence(board: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let typed = |out: &mut Vec<Value>, before: &str, word: &str, f: &[(&str, &str)]| {
        for i in 1..=word.len() {
            let q = format!("{before}{}", &word[..i]);
            out.push(step(&format!("type {q:?}"), &q, f, json!({}), true));
        }
    };
    typed(&mut out, "", "kselftest", &[]);
    typed(&mut out, "kselftest ", "net", &[]);
    let f1 = [("status", "new")];
    out.push(step(
        "click status=new",
        "kselftest net",
        &f1,
        json!({}),
        false,
    ));
    let f2 = [("status", "new"), ("arch", "arm64")];
    out.push(step(
        "click arch=arm64",
        "kselftest net",
        &f2,
        json!({}),
        false,
    ));
    for q in ["kselftest ne", "kselftest n", "kselftest "] {
        out.push(step(&format!("backspace {q:?}"), q, &f2, json!({}), true));
    }
    let f3 = [("status", "new"), ("arch", "arm64"), ("platform", board)];
    out.push(step(
        "click the top board",
        "kselftest",
        &f3,
        json!({}),
        false,
    ));
    out.push(step("clear the text", "", &f3, json!({}), true));
    typed(&mut out, "", "warn", &f3);
    let f4 = [("status", "new"), ("status", "ongoing"), ("arch", "arm64")];
    out.push(step(
        "click status=ongoing, unclick board",
        "warn",
        &f4,
        json!({}),
        false,
    ));
    let f5 = [
        ("status", "new"),
        ("status", "ongoing"),
        ("arch", "arm64"),
        ("tree", "mainline"),
    ];
    out.push(step("click tree=mainline", "warn", &f5, json!({}), false));
    out.push(step(
        "first seen from 2026-11-01",
        "warn",
        &f5,
        json!({"from": "2026-11-01"}),
        false,
    ));
    out.push(step(
        "sort by boards",
        "warn",
        &f5,
        json!({"from": "2026-11-01", "sort": "boards-desc"}),
        false,
    ));
    out.push(step(
        "clear all",
        "",
        &[],
        json!({"sort": "boards-desc"}),
        false,
    ));
    typed(&mut out, "", "slab-use-after", &[]);
    let f6 = [("config", "defconfig")];
    out.push(step(
        "click config=defconfig",
        "slab-use-after",
        &f6,
        json!({}),
        false,
    ));
    let f7 = [("config", "defconfig"), ("flags", "flaky")];
    out.push(step(
        "click flags=flaky",
        "slab-use-after",
        &f7,
        json!({}),
        false,
    ));
    typed(&mut out, "slab-use-after ", "tcp", &f7);
    out.push(step("clear all", "", &[], json!({}), false));
    typed(&mut out, "", "ltp.syscalls", &[]);
    out.push(step(
        "click suite",
        "ltp.syscalls",
        &[("suite", "ltp.syscalls"), ("compiler", "clang-19")],
        json!({}),
        false,
    ));
    out
}

/// Warm-up (not measured): other words, other facets, so JIT and caches are warm without
/// pre-answering the measured steps.
fn warmup() -> Vec<Value> {
    let mut out = Vec::new();
    for q in ["b", "bo", "boo", "boot", "boot x"] {
        out.push(step("warm", q, &[], json!({}), true));
    }
    out.push(step("warm", "", &[("tree", "next")], json!({}), false));
    out.push(step(
        "warm",
        "",
        &[("tree", "next"), ("lab", "lab-cip")],
        json!({}),
        false,
    ));
    out.push(step(
        "warm",
        "",
        &[],
        json!({"sort": "first_seen-asc"}),
        false,
    ));
    out.push(step("warm", "", &[], json!({}), false));
    out
}

/// Opens the site's index in a fresh tab and returns (ms from navigation start to the first
/// frame showing the viewer's list, ready for input; ms of the viewer's own start-up: wasm
/// instantiation, decoding, facets, first render).
fn first_list(browser: &headless_chrome::Browser, url: &str) -> (f64, f64) {
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(url).unwrap();
    chrome::wait_until(
        &tab,
        "!!(window.regtrackView && window.regtrackView.paintedAt > 0)",
        "the viewer",
        120,
    );
    let v = chrome::eval_json(
        &tab,
        "[window.regtrackView.paintedAt, window.regtrackView.readyAt - window.regtrackView.startedAt]",
    );
    let _ = tab.close(true);
    (v[0].as_f64().unwrap(), v[1].as_f64().unwrap())
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` runs this without it: only a
    // benchmark run builds the 2 GB site.
    if !std::env::args().any(|a| a == "--bench") {
        eprintln!("viewer benchmark: run it with `cargo bench -p regtrack --bench viewer`");
        return;
    }
    let n = env_usize("REGTRACK_BENCH_REGRESSIONS", 100_000);
    let m = env_usize("REGTRACK_BENCH_OCCURRENCES", 1_000_000);
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("viewer-bench");
    let site = root.join("site");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&site).unwrap();

    eprintln!("building a synthetic report: {n} regressions, {m} occurrences…");
    let t = Instant::now();
    let report = regtrack::tools::synthetic::report(n, m, 1);
    let gen_s = t.elapsed().as_secs_f64();
    let occurrences: usize = report.regressions.iter().map(|r| r.occurrences.len()).sum();
    eprintln!("writing the site to {}…", site.display());
    let t = Instant::now();
    regtrack::site::write_site(
        &report,
        &regtrack::report::ledger::Ledger::default(),
        &site,
        &regtrack::site::SiteOptions {
            title: "Synthetic night".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let write_s = t.elapsed().as_secs_f64();
    drop(report);
    std::fs::write(site.join("bench-reference.js"), reference_script()).unwrap();
    std::fs::write(site.join("bench-driver.js"), DRIVER_JS).unwrap();
    let (files, bytes) = dir_size(&site);

    let read = |p: &str| std::fs::read(site.join(p)).unwrap();
    let wasm_js = read("assets/viewer-wasm.js");
    let glue_js = read("assets/viewer-glue.js");
    let app_js = read("assets/app.js");
    let index_js = read("data/index.js");
    let wasm_gz = gzip_len(&wasm_js);
    let glue_gz = gzip_len(&glue_js);
    let raw_wasm_gz = gzip_len(regtrack::site::assets::VIEWER_WASM);
    let details: Vec<_> = std::fs::read_dir(site.join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("detail-")
        })
        .collect();
    let detail_bytes: u64 = details
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();

    let browser = chrome::launch(&root.join("profile"));
    let file_url = format!(
        "file://{}/index.html",
        site.canonicalize().unwrap().display()
    );
    let http_base = chrome::serve(site.canonicalize().unwrap());
    let http_url = format!("{http_base}index.html");
    let mut file_runs = Vec::new();
    let mut http_runs = Vec::new();
    let mut boot = Vec::new();
    for _ in 0..3 {
        let (a, b) = first_list(&browser, &file_url);
        file_runs.push(a);
        boot.push(b);
        http_runs.push(first_list(&browser, &http_url).0);
    }

    // The keystroke sequence, from file://.
    let tab = browser.new_tab().unwrap();
    let w = chrome::watch(&tab);
    tab.navigate_to(&file_url).unwrap();
    chrome::wait_until(
        &tab,
        "!!(window.regtrackView && document.body.dataset.viewer === 'ready')",
        "the viewer",
        120,
    );
    chrome::eval_string(
        &tab,
        "new Promise(function (resolve) { let k = 0; ['bench-reference.js', 'bench-driver.js'].forEach(function (src) { \
           const s = document.createElement('script'); s.src = src; s.onload = function () { if (++k === 2) { resolve('ok'); } }; \
           document.body.appendChild(s); }); })",
        true,
    );
    let counts = chrome::eval_json(&tab, "window.regtrackView.counts().platform");
    let board = counts
        .as_object()
        .unwrap()
        .iter()
        .max_by_key(|(k, v)| (v.as_u64().unwrap(), std::cmp::Reverse((*k).clone())))
        .map(|(k, _)| k.clone())
        .unwrap();
    let steps = sequence(&board);
    let result = chrome::eval_string(
        &tab,
        &format!(
            "window.regtrackBench({}, {})",
            serde_json::to_string(&steps).unwrap(),
            serde_json::to_string(&warmup()).unwrap()
        ),
        true,
    );
    let result: Value = serde_json::from_str(&result).unwrap();
    let errors = w.errors();
    let _ = tab.close(true);

    let rows = result["steps"].as_array().unwrap();
    let col = |k: &str| -> Vec<f64> { rows.iter().map(|r| r[k].as_f64().unwrap()).collect() };
    let (wasm, js, ui) = (col("wasm"), col("js"), col("ui"));
    let mismatches: Vec<&str> = rows
        .iter()
        .filter(|r| r["same"] != true)
        .map(|r| r["label"].as_str().unwrap())
        .collect();
    if std::env::var_os("REGTRACK_BENCH_VERBOSE").is_some() {
        println!(
            "{:<44} {:>8} {:>9} {:>9} {:>9}",
            "step", "results", "wasm ms", "js ms", "ui ms"
        );
        for r in rows {
            println!(
                "{:<44} {:>8} {:>9.2} {:>9.2} {:>9.2}",
                r["label"].as_str().unwrap(),
                r["results"],
                r["wasm"].as_f64().unwrap(),
                r["js"].as_f64().unwrap(),
                r["ui"].as_f64().unwrap()
            );
        }
    }
    let med = |v: &[f64]| percentile(v, 0.5);
    let p95 = |v: &[f64]| percentile(v, 0.95);
    let ratios: Vec<f64> = js.iter().zip(&wasm).map(|(j, w)| j / w.max(0.01)).collect();
    let kb = |b: usize| b as f64 / 1024.0;
    let mb = |b: u64| b as f64 / (1024.0 * 1024.0);
    let check = |ok: bool| if ok { "yes" } else { "NO" };

    println!();
    println!(
        "regtrack viewer benchmark: {n} regressions, {occurrences} occurrences (synthetic, seed 1), Chromium headless"
    );
    println!(
        "site: report built in {gen_s:.1} s, written in {write_s:.1} s: {files} files, {:.0} MB; \
         data/index.js {:.1} MB ({:.1} MB gzipped); {} detail chunks, {:.0} KB each on average",
        mb(bytes),
        mb(index_js.len() as u64),
        mb(gzip_len(&index_js) as u64),
        details.len(),
        detail_bytes as f64 / details.len().max(1) as f64 / 1024.0
    );
    println!(
        "reference JS decode+prepare {:.0} ms; wasm decode+facets+text index {:.0} ms (in the page)",
        result["jsLoad"].as_f64().unwrap(),
        result["wasmLoad"].as_f64().unwrap()
    );
    println!();
    println!(
        "| {:<52} | {:>10} | {:>10} | {:<16} | {:<3} |",
        "measure", "median", "p95", "target", "met"
    );
    println!(
        "|{:-<54}|{:-<12}|{:-<12}|{:-<18}|{:-<5}|",
        "", "", "", "", ""
    );
    let row = |name: &str, a: String, b: String, target: &str, ok: &str| {
        println!("| {name:<52} | {a:>10} | {b:>10} | {target:<16} | {ok:<3} |");
    };
    row(
        "first usable list after page open, file:// (3 runs)",
        format!("{:.0} ms", med(&file_runs)),
        format!("{:.0} ms", file_runs.iter().cloned().fold(0.0, f64::max)),
        "< 1000 ms",
        check(med(&file_runs) < 1000.0),
    );
    row(
        "first usable list after page open, http (3 runs)",
        format!("{:.0} ms", med(&http_runs)),
        format!("{:.0} ms", http_runs.iter().cloned().fold(0.0, f64::max)),
        "< 1000 ms",
        check(med(&http_runs) < 1000.0),
    );
    row(
        "  of which viewer start (wasm init, decode, 1st render)",
        format!("{:.0} ms", med(&boot)),
        format!("{:.0} ms", boot.iter().cloned().fold(0.0, f64::max)),
        "",
        "",
    );
    row(
        &format!(
            "update, wasm engine: filter+facets+rows ({} steps)",
            rows.len()
        ),
        format!("{:.2} ms", med(&wasm)),
        format!("{:.2} ms", p95(&wasm)),
        "< 16 ms median",
        check(med(&wasm) < 16.0),
    );
    row(
        "update, plain-JS reference, same work",
        format!("{:.2} ms", med(&js)),
        format!("{:.2} ms", p95(&js)),
        "",
        "",
    );
    row(
        "update as seen: wasm + DOM (list, facets) + layout",
        format!("{:.2} ms", med(&ui)),
        format!("{:.2} ms", p95(&ui)),
        "< 16 ms median",
        check(med(&ui) < 16.0),
    );
    row(
        "wasm speed-up over plain JS (JS ms / wasm ms per step)",
        format!("{:.1}x", med(&ratios)),
        format!("{:.1}x", percentile(&ratios, 0.05)),
        ">= 3x",
        check(med(&ratios) >= 3.0),
    );
    row(
        "wasm + glue, gzipped (viewer-wasm.js + viewer-glue.js)",
        format!("{:.0} KB", kb(wasm_gz + glue_gz)),
        String::new(),
        "< 250 KB",
        check(wasm_gz + glue_gz < 250 * 1024),
    );
    println!();
    println!(
        "(p95 column of the speed-up is its 5th percentile: the worst steps. Sizes: module {:.0} KB raw, \
         {:.0} KB gzipped as bytes, {:.0} KB as base64 in viewer-wasm.js gzipped; glue {:.0} KB gzipped; app.js {:.0} KB gzipped.)",
        kb(regtrack::site::assets::VIEWER_WASM.len()),
        kb(raw_wasm_gz),
        kb(wasm_gz),
        kb(glue_gz),
        kb(gzip_len(&app_js))
    );
    if !mismatches.is_empty() {
        println!("RESULTS DIFFER between wasm and the JS reference at: {mismatches:?}");
    } else {
        println!("wasm and the JS reference agreed on every step (counts, totals, first rows).");
    }
    if !errors.is_empty() {
        println!("console errors: {errors:#?}");
    }
    if !mismatches.is_empty() || !errors.is_empty() {
        std::process::exit(1);
    }
}
