//! The viewer's data files as the generator wrote them, read natively: `data/index.js` decoded
//! by the format crate (`regtrack-viewer-format`) and loaded into the viewer's own engine (the
//! `regtrack-viewer` code the browser runs as wasm), every row and facet total checked against
//! the export; every `data/detail-<n>.js` and `data/boards.js` checked against the format
//! crate's key definitions and the export. Also: the benchmark's JavaScript reference takes the
//! index's column table from the format crate instead of typing it.
//!
//! The export (`api/v1/regressions.json`) is the oracle: written by other code, from the same
//! report, and read here with `serde_json`, not the format crate.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use regtrack_viewer::bindings::Viewer;
use regtrack_viewer_format::FORMAT_VERSION;
use regtrack_viewer_format::boards::{always_failing, board, flaky_test, lab_outage, suspect};
use regtrack_viewer_format::detail::DetailChunk;
use regtrack_viewer_format::index::{IndexData, Kind, List, Scalar};
use serde_json::{Map, Value, json};

// ------------------------------------------------------------------------------------------
// The oracle: each regression's index row, from the export.

/// What every column of the index must hold for exported regression `r`, by column name.
fn expected_row(r: &Value) -> Map<String, Value> {
    let text = |v: &Value| json!(v.as_str().unwrap_or(""));
    let occ = r["occurrences"].as_array().unwrap();
    let distinct = |k: &str| -> Value {
        let set: BTreeSet<&str> = occ
            .iter()
            .filter_map(|o| o[k].as_str())
            .filter(|v| !v.is_empty())
            .collect();
        json!(set)
    };
    let boards: BTreeSet<&str> = occ
        .iter()
        .map(|o| o["platform"].as_str().unwrap_or(""))
        .collect();
    let tests: Vec<&str> = r["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    let suites: BTreeSet<&str> = tests.iter().map(|t| crate::support::suite(t)).collect();
    let mut flags = Vec::new();
    if !r["annotations"].is_null() {
        flags.push("annotated");
    }
    if occ.iter().any(|o| o["intermittent"].as_bool().unwrap()) {
        flags.push("flaky");
    }
    if !r["known_issue"].is_null() {
        flags.push("known");
    }
    let row = json!({
        "id": r["id"],
        "title": r["title"],
        "status": r["status"],
        "tree": text(&r["tree"]),
        "branch": text(&r["branch"]),
        "scope": r["scope"]["kind"],
        "scope_value": text(&r["scope"]["value"]),
        "state": text(&r["annotations"]["state"]),
        "signature": text(&r["signature"]),
        "first_seen": text(&r["first_seen"]),
        "last_seen": text(&r["last_seen"]),
        "boards": boards.len(),
        "occurrences": occ.len(),
        "tests": tests,
        "suite": suites,
        "flags": flags,
        "arch": distinct("arch"),
        "platform": distinct("platform"),
        "lab": distinct("lab"),
        "origin": distinct("origin"),
        "config": distinct("config"),
        "compiler": distinct("compiler"),
        "subsystem": field_of(&r["subsystems"], "name"),
        "maintainer": contacts(r),
    });
    row.as_object().unwrap().clone()
}

/// The `key` of each object of `list` (absent when the site does not route: none).
fn field_of<'a>(list: &'a Value, key: &str) -> Vec<&'a str> {
    list.as_array()
        .map(|a| a.iter().map(|x| x[key].as_str().unwrap()).collect())
        .unwrap_or_default()
}

/// Maintainers, reviewers and lists of an exported regression, each address once.
fn contacts(r: &Value) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for k in ["maintainers", "reviewers", "lists"] {
        for a in field_of(&r[k], "address") {
            if !out.contains(&a) {
                out.push(a);
            }
        }
    }
    out
}

/// The regzbot line a regression's page and drill-down show: the narrowed window's, else
/// the regression's own when both commits are known.
fn regzbot(r: &Value) -> String {
    if let Some(z) = r["suspects"]["regzbot"].as_str() {
        return z.to_string();
    }
    let hex = |v: &Value| {
        v.as_str()
            .filter(|s| s.len() >= 4 && s.bytes().all(|b| b.is_ascii_hexdigit()))
            .map(|s| s[..s.len().min(12)].to_string())
    };
    match (
        hex(&r["last_pass"]["commit"]),
        hex(&r["first_fail"]["commit"]),
    ) {
        (Some(a), Some(b)) => format!("#regzbot introduced: {a}..{b}"),
        _ => String::new(),
    }
}

/// Whether a row's value (text, or a list of text) in some column is `v`.
fn has(value: &Value, v: &str) -> bool {
    match value {
        Value::Array(a) => a.iter().any(|x| x == v),
        x => x == v,
    }
}

// ------------------------------------------------------------------------------------------
// Reading the files.

/// The object `data/index.js` registers.
fn index_object(js: &str) -> Map<String, Value> {
    let (comment, rest) = js.split_once('\n').unwrap();
    assert!(
        comment.starts_with(&format!(
            "/* regtrack viewer index (format {FORMAT_VERSION};"
        )),
        "{comment}"
    );
    let body = rest
        .strip_prefix("regtrack.register(\"index\", ")
        .and_then(|b| b.strip_suffix(");\n"))
        .expect("data/index.js registers one object");
    let v: Value = serde_json::from_str(body).unwrap();
    v.as_object().unwrap().clone()
}

/// The JSON a classic script registers as `name` (as a string that the shell parses).
fn registered_json(js: &str, name: &str) -> Value {
    let body = js
        .strip_prefix(&format!(
            "regtrack.register({}, ",
            serde_json::to_string(name).unwrap()
        ))
        .and_then(|b| b.strip_suffix(");\n"))
        .unwrap_or_else(|| panic!("{name}: not a registered JSON string"));
    let text: String = serde_json::from_str(body).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

fn key_set<'a>(keys: &[&'a str]) -> BTreeSet<&'a str> {
    keys.iter().copied().collect()
}

// ------------------------------------------------------------------------------------------
// The checks.

/// Every file under `site/data` against the export; returns the number of regressions.
fn check_site(site: &Path) -> usize {
    let export: Value =
        serde_json::from_slice(&std::fs::read(site.join("api/v1/regressions.json")).unwrap())
            .unwrap();
    // The viewer lists the published regressions, then the unconfirmed ones (apart).
    let regs: Vec<Value> = ["regressions", "unconfirmed"]
        .iter()
        .flat_map(|k| export[*k].as_array().cloned().unwrap_or_default())
        .collect();
    let want: Vec<Map<String, Value>> = regs.iter().map(expected_row).collect();
    let read = |name: &str| std::fs::read_to_string(site.join("data").join(name)).unwrap();

    let o = index_object(&read("index.js"));
    let u = |k: &str| o[k].as_u64().unwrap_or_else(|| panic!("{k}")) as u32;
    let s = |k: &str| o[k].as_str().unwrap_or_else(|| panic!("{k}"));
    let (v, rows, strings, chunk) = (u("v"), u("rows"), u("strings"), u("chunk"));
    assert_eq!(v, FORMAT_VERSION);
    assert_eq!(rows as usize, regs.len());

    // The format crate's decoder: every column of every row, by the crate's table.
    let idx = IndexData::decode(v, rows, strings, chunk, s("text"), s("columns")).unwrap();
    assert_eq!(idx.len(), regs.len());
    for (r, want) in want.iter().enumerate() {
        let mut got = Map::new();
        for c in Scalar::ALL {
            let x = idx.scalar(c)[r];
            let value = match c.kind() {
                Kind::Count => json!(x),
                Kind::Text => json!(idx.str(x)),
            };
            got.insert(c.name().into(), value);
        }
        for c in List::ALL {
            let values: Vec<&str> = idx.list(c).row(r).iter().map(|&x| idx.str(x)).collect();
            got.insert(c.name().into(), json!(values));
        }
        assert_eq!(&got, want, "index row {r}");
    }

    // The viewer's engine over the same file: the rows the shell shows, and facet totals.
    let viewer = Viewer::new(v, rows, strings, chunk, s("text"), s("columns"))
        .unwrap_or_else(|_| panic!("the viewer refuses the index"));
    assert_eq!(viewer.len(), regs.len());
    for (r, want) in want.iter().enumerate() {
        let mut want = want.clone();
        want.insert("row".into(), json!(r));
        let got: Value = serde_json::from_str(&viewer.row_json(r)).unwrap();
        assert_eq!(got, Value::Object(want), "viewer row {r}");
        assert_eq!(viewer.find(regs[r]["id"].as_str().unwrap()), r as i32);
    }
    let facets: Value = serde_json::from_str(&viewer.facets_json()).unwrap();
    for f in facets.as_array().unwrap() {
        let name = f["name"].as_str().unwrap();
        for (value, total) in f["values"]
            .as_array()
            .unwrap()
            .iter()
            .zip(f["totals"].as_array().unwrap())
        {
            let value = value.as_str().unwrap();
            let n = want.iter().filter(|w| has(&w[name], value)).count();
            assert_eq!(
                total.as_u64().unwrap() as usize,
                n,
                "facet {name}={value:?}"
            );
        }
    }

    // Detail chunks: the crate's keys, and each regression's details in its row's chunk.
    let chunk = chunk as usize;
    let chunks = regs.len().div_ceil(chunk);
    let mut files: Vec<String> = std::fs::read_dir(site.join("data"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("detail-"))
        .collect();
    files.sort();
    let mut names: Vec<String> = (0..chunks).map(|n| format!("detail-{n}.js")).collect();
    names.sort();
    assert_eq!(files, names);
    for n in 0..chunks {
        let c = registered_json(&read(&format!("detail-{n}.js")), &format!("detail-{n}"));
        assert_eq!(keys(&c), key_set(DetailChunk::KEYS), "detail-{n} keys");
        assert_eq!(c["v"], FORMAT_VERSION);
        assert_eq!(c["first"], n * chunk);
        let st: Vec<&str> = c["strings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert_eq!(st[0], "");
        let text = |col: &str, i: usize| st[c[col][i].as_u64().unwrap() as usize];
        let part = &regs[n * chunk..((n + 1) * chunk).min(regs.len())];
        assert_eq!(c["id"].as_array().unwrap().len(), part.len());
        let mut k = 0;
        for (i, r) in part.iter().enumerate() {
            assert_eq!(text("id", i), r["id"]);
            let slugs: Vec<&str> = c["subsystem_slug"][i]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| st[x.as_u64().unwrap() as usize])
                .collect();
            assert_eq!(slugs, field_of(&r["subsystems"], "slug"));
            assert_eq!(text("regzbot", i), regzbot(r));
            assert_eq!(
                c["suspects"][i].as_array().unwrap().len(),
                r["suspects"]["top"].as_array().map_or(0, Vec::len)
            );
            assert_eq!(text("repo", i), r["repository_url"].as_str().unwrap_or(""));
            assert_eq!(c["occ_start"][i], k);
            for o in r["occurrences"].as_array().unwrap() {
                for f in ["test", "platform", "arch", "config", "compiler", "lab"] {
                    assert_eq!(
                        text(&format!("o_{f}"), k),
                        o[f].as_str().unwrap_or(""),
                        "detail-{n}: occurrence {k}, {f}"
                    );
                }
                assert_eq!(text("o_latest", k), o["latest_status"]);
                let key = c["o_key"][k].as_str().unwrap();
                assert!(key.len() == 8 && key.bytes().all(|b| b.is_ascii_hexdigit()));
                k += 1;
            }
        }
        assert_eq!(c["occ_start"][part.len()], k);
        assert_eq!(c["o_key"].as_array().unwrap().len(), k);
    }

    // Boards: the crate's keys for every object the board view reads.
    let boards = registered_json(
        &read("boards.js"),
        regtrack_viewer_format::boards::SCRIPT_NAME,
    );
    let boards = boards.as_array().unwrap();
    let mut on_board: BTreeMap<&str, usize> = BTreeMap::new();
    for w in &want {
        for p in w["platform"].as_array().unwrap() {
            *on_board.entry(p.as_str().unwrap()).or_default() += 1;
        }
    }
    let mut names = Vec::new();
    for b in boards {
        assert_eq!(keys(b), key_set(board::KEYS));
        let name = b[board::NAME].as_str().unwrap();
        names.push(name);
        assert_eq!(
            b[board::REGRESSIONS].as_u64().unwrap() as usize,
            on_board.get(name).copied().unwrap_or(0),
            "board {name}"
        );
        let each = |k: &str, want: &[&str]| {
            for x in b[k].as_array().unwrap() {
                assert_eq!(keys(x), key_set(want), "board {name}: {k}");
            }
        };
        each(board::FLAKY_TESTS, flaky_test::KEYS);
        each(board::LAB_OUTAGES, lab_outage::KEYS);
        each(board::ALWAYS_FAILING, always_failing::KEYS);
        if !b[board::SUSPECT].is_null() {
            assert_eq!(keys(&b[board::SUSPECT]), key_set(suspect::KEYS));
        }
    }
    assert!(names.windows(2).all(|w| w[0] < w[1]), "boards by name");
    for p in on_board.keys() {
        assert!(names.contains(p), "board {p} is in data/boards.js");
    }
    regs.len()
}

fn run_binary(args: &[&str], out: &Path) {
    let o = std::process::Command::new(crate::support::regtrack_bin())
        .args(args)
        .arg(out)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "regtrack {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn demo_site_data_reads_back_as_the_export() {
    let dir = crate::support::scratch("viewer-data-demo");
    run_binary(&["demo", "--out"], &dir);
    assert!(check_site(&dir.join("site")) >= 4);
    // Routed: the subsystem and maintainer columns filled.
    let Some(corpus) = crate::support::corpus_dir() else {
        return;
    };
    let m = corpus.join("maintainers/MAINTAINERS");
    let dir = crate::support::scratch("viewer-data-demo-routed");
    run_binary(
        &["demo", "--maintainers", m.to_str().unwrap(), "--out"],
        &dir,
    );
    assert!(check_site(&dir.join("site")) >= 4);
    let index = std::fs::read_to_string(dir.join("site/data/index.js")).unwrap();
    assert!(index.contains("NETWORKING [TLS]") && index.contains("netdev@vger.kernel.org"));
}

#[test]
fn hostile_site_data_reads_back_as_the_export() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/hostile");
    let dir = crate::support::scratch("viewer-data-hostile");
    run_binary(&["build", "--results", fixtures, "--out"], &dir);
    assert!(check_site(&dir) >= 1);
}

#[test]
fn synthetic_site_data_reads_back_as_the_export() {
    // Several detail chunks, every facet populated.
    let report = regtrack::tools::synthetic::report(450, 4000, 5);
    let site = crate::support::scratch("viewer-data-synthetic");
    regtrack::site::write_site(
        &report,
        &regtrack::report::ledger::Ledger::default(),
        &site,
        &regtrack::site::SiteOptions::default(),
    )
    .unwrap();
    assert_eq!(check_site(&site), 450);
}

/// The benchmark's plain-JS reference decodes the index with the column table the format
/// crate generates (`columns_script`), never a copy of its own; and every column it reads by
/// name is in that table, of the kind it reads it as. (`tests/browser/` runs it on a site.)
#[test]
fn reference_js_takes_its_columns_from_the_format_crate() {
    let js = include_str!("../viewer-reference.js");
    assert!(js.contains("window.regtrackIndexFormat"));
    for copy in ["var SCALARS", "var LISTS", "\"scope_value\""] {
        assert!(
            !js.contains(copy),
            "the reference types the column table ({copy})"
        );
    }
    let is = |kind: &str, name: &str| match kind {
        "cols" => Scalar::ALL.iter().any(|c| c.name() == name),
        _ => List::ALL.iter().any(|c| c.name() == name),
    };
    let mut used = 0;
    for kind in ["cols", "lists"] {
        for (i, _) in js.match_indices(&format!("{kind}.")) {
            if js[..i].ends_with("F.") {
                continue; // the table itself
            }
            let name: String = js[i + kind.len() + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            assert!(is(kind, &name), "the reference reads {kind}.{name}");
            used += 1;
        }
    }
    assert!(used >= 4, "the reference reads columns by name");
    let script = regtrack_viewer_format::index::columns_script();
    for c in Scalar::ALL {
        assert!(script.contains(&format!("\"{}\"", c.name())));
    }
    for c in List::ALL {
        assert!(script.contains(&format!("\"{}\"", c.name())));
    }
}
