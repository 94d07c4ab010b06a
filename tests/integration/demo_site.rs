//! End to end through the binary: the demo's KCIDB history becomes a site whose pages and
//! export agree, the same input gives a byte-identical site, and hostile strings in the
//! input never become markup or links.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{demo, files_under, run_regtrack};

fn export(site: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(site.join("api/v1/regressions.json")).unwrap()).unwrap()
}

#[test]
fn demo_site_pages_and_export_agree() {
    let dir = demo("demo_pages");
    let site = dir.join("site");
    let doc = export(&site);
    assert_eq!(doc["api_version"], 1);
    let regs = doc["regressions"].as_array().unwrap();
    assert!(
        regs.len() >= 4,
        "the demo plants several regressions, got {}",
        regs.len()
    );
    // minijinja's HTML escaping writes `/` as `&#x2f;`; browsers read both the same.
    let index = std::fs::read_to_string(site.join("index.html"))
        .unwrap()
        .replace("&#x2f;", "/");
    assert_eq!(index.matches("<li data-row=").count(), regs.len());
    assert!(index.contains(doc["report_date"].as_str().unwrap()));
    for r in regs {
        for key in [
            "id",
            "url",
            "status",
            "title",
            "tree",
            "branch",
            "repository_url",
            "first_seen",
            "last_seen",
            "last_pass",
            "first_fail",
            "tests",
            "occurrences",
        ] {
            assert!(r.get(key).is_some(), "regression lacks {key}: {r}");
        }
        let id = r["id"].as_str().unwrap();
        assert!(
            id.len() == 16 && id.chars().all(|c| c.is_ascii_hexdigit()),
            "{id}"
        );
        assert_eq!(r["url"], format!("r/{id}/"));
        for k in ["commit", "describe", "start_time"] {
            assert!(r["first_fail"].get(k).is_some() && r["last_pass"].get(k).is_some());
        }
        let occ = r["occurrences"].as_array().unwrap();
        assert!(!occ.is_empty());
        for o in occ {
            for key in [
                "test",
                "platform",
                "arch",
                "config",
                "compiler",
                "lab",
                "origin",
                "last_pass_commit",
                "first_fail_commit",
                "latest_status",
            ] {
                assert!(o.get(key).is_some(), "occurrence lacks {key}: {o}");
            }
            // The demo's two CI systems.
            let origin = o["origin"].as_str().unwrap_or("");
            assert!(["maestro", "linaro"].contains(&origin), "{o}");
        }
        let page = std::fs::read_to_string(site.join(format!("r/{id}/index.html"))).unwrap();
        assert!(
            index.contains(&format!("href=\"r/{id}/index.html\"")),
            "index links {id}"
        );
        // History strip cells say which run they are; failing ones link their log.
        let cells: Vec<&str> = page.split("class=\"run run-").skip(1).collect();
        assert!(!cells.is_empty(), "{id} has history strips");
        for cell in &cells {
            let title = cell
                .split("title=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            assert!(title.matches(" · ").count() == 2, "run title {title:?}");
        }
        assert!(
            cells
                .iter()
                .any(|c| c.starts_with("fail\" href=\"https://")),
            "{id}: a failing run links its log"
        );
        let first_fail = r["first_fail"]["commit"].as_str().unwrap();
        assert!(
            page.contains(first_fail),
            "page of {id} shows the first-fail commit"
        );
        assert!(
            page.contains("../../assets/app.js"),
            "permalink pages load the viewer"
        );
    }
    // Maintainer content and KCIDB issues reach the pages: the many-board regression (planted
    // with a KCIDB issue, annotated in content/) shows both.
    let tls = regs
        .iter()
        .find(|r| r["signature"] == "WARNING in tls_sw_recvmsg")
        .expect("the many-board regression");
    assert_eq!(tls["annotations"]["state"], "reported");
    assert!(!tls["kcidb_issues"].as_array().unwrap().is_empty());
    let page =
        std::fs::read_to_string(site.join(format!("r/{}/index.html", tls["id"].as_str().unwrap())))
            .unwrap();
    assert!(page.contains("Maintainer notes") && page.contains("KCIDB issues"));
    assert!(
        page.contains("<strong>one</strong>"),
        "the note is rendered markdown"
    );
    // What is not a regression is listed, with evidence, in flaky.json and its page.
    let flaky: Value =
        serde_json::from_slice(&std::fs::read(site.join("api/v1/flaky.json")).unwrap()).unwrap();
    for list in [
        "flaky_tests",
        "suspect_boards",
        "lab_outages",
        "always_failing",
    ] {
        assert!(
            !flaky[list].as_array().unwrap().is_empty(),
            "{list} is empty"
        );
    }
    let always = &flaky["always_failing"][0];
    assert_eq!(always["known_issue"]["id"], "kvm-dirty-log-arm64");
    let health = std::fs::read_to_string(site.join("flaky/index.html")).unwrap();
    assert!(health.contains("rk3399-gru-kevin") && health.contains("lab-baylibre"));

    // The viewer's assets and data are classic scripts (they load from file://).
    let wasm_js = std::fs::read_to_string(site.join("assets/viewer-wasm.js")).unwrap();
    assert!(wasm_js.starts_with("/*") && wasm_js.contains("window.regtrackWasm = \""));
    let data = std::fs::read_to_string(site.join("data/index.js")).unwrap();
    assert!(data.starts_with("/*") && data.contains("\nregtrack.register(\"index\", {\"v\":4,"));
    let detail = std::fs::read_to_string(site.join("data/detail-0.js")).unwrap();
    assert!(detail.starts_with("regtrack.register(\"detail-0\", \""));
    let boards = std::fs::read_to_string(site.join("data/boards.js")).unwrap();
    assert!(boards.starts_with("regtrack.register(\"boards\", \""));
    // Each board has a page, linked from the boards index and from permalink pages.
    let board_index = std::fs::read_to_string(site.join("boards/index.html")).unwrap();
    let page_of_tls =
        std::fs::read_to_string(site.join(format!("r/{}/index.html", tls["id"].as_str().unwrap())))
            .unwrap();
    for o in tls["occurrences"].as_array().unwrap() {
        let board = o["platform"].as_str().unwrap();
        assert!(
            board_index.contains(&format!(">{board}</a>")),
            "{board} listed"
        );
    }
    let first_board_link = page_of_tls
        .split("href=\"../../boards/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("permalink pages link board pages");
    assert!(site.join("boards").join(first_board_link).is_file());
    // No page refers to anything outside the site.
    for (path, bytes) in files_under(&site) {
        if path.ends_with(".html") {
            let text = String::from_utf8(bytes).unwrap();
            for attr in ["src=\"http", "href=\"//", "src=\"//"] {
                assert!(
                    !text.contains(attr),
                    "{path} loads something external ({attr})"
                );
            }
        }
    }
}

#[test]
fn same_input_gives_a_byte_identical_site() {
    let a = demo("determinism_a");
    let b = demo("determinism_b");
    let (ta, tb) = (files_under(&a), files_under(&b));
    assert_eq!(
        ta.keys().collect::<Vec<_>>(),
        tb.keys().collect::<Vec<_>>(),
        "same files"
    );
    for (path, bytes) in &ta {
        assert!(bytes == &tb[path], "{path} differs between two runs");
    }
    // Rebuilding the site from the written KCIDB files reproduces it too.
    let again = crate::support::scratch("determinism_rebuild");
    run_regtrack(
        &["build", "--results"],
        &[
            &a.join("results"),
            Path::new("--content"),
            &a.join("content"),
            Path::new("--out"),
            &again,
        ],
    );
    let tr = files_under(&again);
    for (path, bytes) in files_under(&a.join("site")) {
        assert!(tr.get(&path) == Some(&bytes), "rebuilt {path} differs");
    }
}

#[test]
fn hostile_strings_are_escaped_and_never_linked() {
    let fixtures = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/hostile"
    ));
    let site = crate::support::scratch("hostile");
    run_regtrack(
        &["build", "--results"],
        &[&fixtures, Path::new("--out"), &site],
    );
    let doc = export(&site);
    assert_eq!(doc["regressions"].as_array().unwrap().len(), 1, "{doc}");
    let mut pages = 0;
    for (path, bytes) in files_under(&site) {
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(bytes).unwrap();
        for bad in [
            "<script>alert",
            "<img src=x",
            "<svg onload",
            "<b>main</b>",
            "\" onmouseover=\"",
            "href=\"javascript:",
            "</pre><script>",
        ] {
            assert!(!html.contains(bad), "{path} contains raw {bad:?}");
        }
        if path == "boards/index.html" {
            // Lists board names only: the hostile board, escaped.
            assert!(
                html.contains("board&quot; onmouseover=&quot;alert(1)"),
                "{path}"
            );
        } else if path != "flaky/index.html" && path != "input/index.html" {
            assert!(
                html.contains("&lt;script&gt;alert("),
                "{path} shows the text escaped"
            );
        }
    }
    // index, the permalink, flaky, input, the boards index and the one board's page (its
    // folder name derived from the name, never the name itself).
    assert_eq!(pages, 6);
    let board_dirs: Vec<String> = std::fs::read_dir(site.join("boards"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "index.html")
        .collect();
    assert_eq!(board_dirs.len(), 1);
    assert!(
        board_dirs[0]
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
        "{board_dirs:?}"
    );
    // The data chunk carries the strings as JSON text, not markup the shell would inject.
    let data = std::fs::read_to_string(site.join("data/index.js")).unwrap();
    assert!(data.contains("<script>alert('path')</script>"));
}

/// `regtrack bench` at the smallest size: every table and figure the scale issue asks for is
/// printed, and the figures agree with one another (timings themselves are not judged here).
#[test]
fn bench_prints_every_stage_the_floor_ratio_the_nightly_build_and_the_curve() {
    let work = crate::support::scratch("bench-smoke");
    let out = run_regtrack(
        &[
            "bench", "--scale", "1", "--days", "1,2", "--repeat", "1", "--work",
        ],
        &[&work],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let stage_rows = |title: &str| -> Vec<String> {
        let at = lines
            .iter()
            .position(|l| l.starts_with(title))
            .unwrap_or_else(|| panic!("no {title:?} table in:\n{text}"));
        lines[at + 2..]
            .iter()
            .take_while(|l| {
                !l.trim().is_empty()
                    && !l.starts_with("cold build ")
                    && !l.starts_with("atomic publishing")
            })
            .map(|l| l.split_whitespace().next().unwrap().to_string())
            .collect()
    };
    for d in [1, 2] {
        let title = format!("cold build, {d} days: ");
        let header = lines.iter().find(|l| l.starts_with(&title)).unwrap();
        // "... site N files, M MB": bounded, and not empty.
        let files: usize = header
            .split("site ")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no site file count in {header:?}"));
        assert!((10..20_000).contains(&files), "{header}");
        assert_eq!(
            stage_rows(&title),
            [
                "parse",
                "(parse",
                "ingest",
                "correlate",
                "render",
                "publish",
                "build"
            ],
            "{text}"
        );
    }
    let ratios = lines
        .iter()
        .filter(|l| l.starts_with("cold build ") && l.contains("x the parse floor; peak memory"))
        .count();
    assert_eq!(ratios, 2, "{text}");
    assert_eq!(
        stage_rows("nightly build, 2 days with 1 cached: "),
        [
            "ingest",
            "correlate",
            "render",
            "publish",
            "(write",
            "build"
        ],
        "{text}"
    );
    // The cost of atomic publishing, against the old in-place write of the same site.
    assert!(
        lines.iter().any(|l| l.starts_with("atomic publishing: ")
            && l.contains(" s writing in place: ")
            && l.ends_with("% of the write time")),
        "{text}"
    );
    // The curve lists both lengths, with as many results as their tables said.
    let curve = lines
        .iter()
        .position(|l| l.starts_with("scaling curve"))
        .expect("a scaling curve");
    let results_of = |d: usize| -> u64 {
        let title = format!("cold build, {d} days: ");
        let header = lines.iter().find(|l| l.starts_with(&title)).unwrap();
        header[title.len()..]
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let rows: Vec<Vec<&str>> = lines[curve + 2..]
        .iter()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), 2, "{text}");
    for (row, d) in rows.iter().zip([1, 2]) {
        assert_eq!(row[0], d.to_string());
        assert_eq!(row[1].parse::<u64>().unwrap(), results_of(d));
    }
    assert!(results_of(2) > results_of(1));
}
