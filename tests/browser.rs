//! The demo site in real headless Chromium, opened from `file://` and over http: the viewer
//! starts, typing in the filter box shrinks the list to exactly the rows the export says match,
//! the view lives in the URL, a permalink opens, and no console error or exception happens.
//!
//! Needs Debian's `chromium` (or `REGTRACK_CHROMIUM=/path`); `.ci/run` installs it. Without a
//! browser this test fails: a browser check that quietly passes would prove nothing.

mod common;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::Log::events::EntryAddedEvent;
use headless_chrome::protocol::cdp::Runtime::ConsoleAPICalledEventTypeOption;
use headless_chrome::{Browser, LaunchOptions, Tab};

fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("REGTRACK_CHROMIUM") {
        return PathBuf::from(p);
    }
    for p in [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ] {
        if Path::new(p).exists() {
            return PathBuf::from(p);
        }
    }
    panic!(
        "no Chromium found: install it (`apt-get install chromium`, done by .ci/run and \
         tests/run) or set REGTRACK_CHROMIUM"
    );
}

fn launch(profile: &Path) -> Browser {
    let args: Vec<&std::ffi::OsStr> = [
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--allow-file-access-from-files",
    ]
    .iter()
    .map(std::ffi::OsStr::new)
    .collect();
    Browser::new(LaunchOptions {
        path: Some(chromium()),
        headless: true,
        sandbox: false,
        user_data_dir: Some(profile.to_path_buf()),
        args,
        idle_browser_timeout: Duration::from_secs(120),
        ..LaunchOptions::default()
    })
    .expect("Chromium starts")
}

/// Serves `root` on 127.0.0.1 until the process ends; returns the base URL.
fn serve(root: PathBuf) -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    std::thread::spawn(move || {
        for req in server.incoming_requests() {
            let root = root.clone();
            // One thread per request: a browser keeps several connections busy at once.
            std::thread::spawn(move || respond(&root, req));
        }
    });
    format!("http://127.0.0.1:{port}/")
}

/// Serves one request from `root` (directories serve their index.html), 404 otherwise.
fn respond(root: &Path, req: tiny_http::Request) {
    let path = req
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    let mut file = root.join(path.trim_start_matches('/'));
    if file.is_dir() {
        file = file.join("index.html");
    }
    let resp = match std::fs::read(&file) {
        Ok(bytes) => {
            let ct = match file.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("js") => "text/javascript; charset=utf-8",
                Some("css") => "text/css; charset=utf-8",
                Some("svg") => "image/svg+xml",
                Some("json") => "application/json",
                _ => "application/octet-stream",
            };
            tiny_http::Response::from_data(bytes)
                .with_header(tiny_http::Header::from_bytes("Content-Type", ct).unwrap())
        }
        Err(_) => tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404),
    };
    let _ = req.respond(resp);
}

/// Collects console errors and uncaught exceptions of a tab.
fn watch_errors(tab: &Arc<Tab>) -> Arc<Mutex<Vec<String>>> {
    let errors = Arc::new(Mutex::new(Vec::new()));
    tab.enable_log().unwrap();
    tab.enable_runtime().unwrap();
    let sink = errors.clone();
    tab.add_event_listener(Arc::new(
        move |event: &headless_chrome::protocol::cdp::types::Event| {
            use headless_chrome::protocol::cdp::types::Event;
            let msg = match event {
                Event::RuntimeExceptionThrown(e) => {
                    Some(format!("exception: {}", e.params.exception_details.text))
                }
                Event::RuntimeConsoleAPICalled(e)
                    if e.params.Type == ConsoleAPICalledEventTypeOption::Error =>
                {
                    Some(format!(
                        "console.error: {:?}",
                        e.params.args.first().and_then(|a| a.value.clone())
                    ))
                }
                Event::LogEntryAdded(EntryAddedEvent { params })
                    if format!("{:?}", params.entry.level) == "Error" =>
                {
                    Some(format!("log: {} {:?}", params.entry.text, params.entry.url))
                }
                _ => None,
            };
            if let Some(m) = msg {
                sink.lock().unwrap().push(m);
            }
        },
    ))
    .unwrap();
    errors
}

fn eval_string(tab: &Tab, js: &str) -> String {
    let v = tab.evaluate(js, false).unwrap().value;
    match v {
        Some(serde_json::Value::String(s)) => s,
        other => panic!("{js} gave {other:?}"),
    }
}

fn wait_until(tab: &Tab, js: &str, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if tab.evaluate(js, false).ok().and_then(|r| r.value) == Some(serde_json::Value::Bool(true))
        {
            return;
        }
        if Instant::now() > deadline {
            let state = tab
                .evaluate(
                    "location.href + ' | ' + document.readyState + ' | ' + (document.body ? document.body.outerHTML.slice(0, 400) : 'no body')",
                    false,
                )
                .ok()
                .and_then(|r| r.value);
            panic!("timed out waiting for {what}; page: {state:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

const VISIBLE_IDS: &str = "JSON.stringify(Array.from(document.querySelectorAll('#regressions > li'))\
    .filter(li => !li.hidden).map(li => li.dataset.id))";

/// What the filter must show for `query`, computed from the export (the oracle): every word
/// found, case-insensitively, in the id, title, tree, branch, status or a test path.
fn expected_ids(export: &serde_json::Value, query: &str) -> Vec<String> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    export["regressions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            let mut hay = String::new();
            for k in ["id", "title", "tree", "branch", "status"] {
                hay.push_str(&r[k].as_str().unwrap_or("").to_lowercase());
                hay.push('\n');
            }
            for t in r["tests"].as_array().unwrap() {
                hay.push_str(&t.as_str().unwrap().to_lowercase());
                hay.push('\n');
            }
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

fn check_site(browser: &Browser, base: &str, export: &serde_json::Value) {
    let regressions = export["regressions"].as_array().unwrap();
    assert!(
        regressions.len() >= 3,
        "the demo should plant several regressions"
    );
    // A query that narrows to some but not all rows: the first regression's first test.
    let query = regressions[0]["tests"][0].as_str().unwrap().to_string();
    let expected = expected_ids(export, &query);
    assert!(
        !expected.is_empty() && expected.len() < regressions.len(),
        "query {query} must narrow"
    );

    let tab = browser.new_tab().unwrap();
    let errors = watch_errors(&tab);
    tab.navigate_to(&format!("{base}index.html")).unwrap();
    wait_until(
        &tab,
        "document.body.dataset.viewer === 'ready'",
        "the viewer on the index",
    );
    let all: Vec<String> = serde_json::from_str(&eval_string(&tab, VISIBLE_IDS)).unwrap();
    let export_ids: Vec<String> = regressions
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        all, export_ids,
        "{base}: the unfiltered list is the export, in order"
    );

    tab.wait_for_element("#filter-text")
        .unwrap()
        .click()
        .unwrap();
    tab.type_str(&query).unwrap();
    let expected_json = serde_json::to_string(&expected).unwrap();
    wait_until(
        &tab,
        &format!(
            "{VISIBLE_IDS} === {}",
            serde_json::to_string(&expected_json).unwrap()
        ),
        &format!("{base}: the list to shrink to {expected_json} for {query:?}"),
    );
    let count = eval_string(&tab, "document.getElementById('filter-count').textContent");
    assert_eq!(
        count,
        format!("{} of {}", expected.len(), regressions.len())
    );
    // The view is in the URL: a fresh tab on that URL shows the same rows.
    let url = tab.get_url();
    assert!(url.contains("#q="), "{url}");
    let tab2 = browser.new_tab().unwrap();
    let errors2 = watch_errors(&tab2);
    tab2.navigate_to(&url).unwrap();
    wait_until(
        &tab2,
        "document.body.dataset.viewer === 'ready'",
        "the viewer on a shared link",
    );
    assert_eq!(
        eval_string(&tab2, VISIBLE_IDS),
        expected_json,
        "{base}: shared link"
    );

    // Open a permalink from the filtered list (input goes to the foreground tab).
    let errors2 = std::mem::take(&mut *errors2.lock().unwrap());
    let _ = tab2.close(true);
    tab.activate().unwrap();
    let first = &expected[0];
    tab.wait_for_element(&format!("li[data-id='{first}'] a.title"))
        .unwrap()
        .click()
        .unwrap();
    wait_until(
        &tab,
        &format!(
            "document.querySelector('article.regression') !== null && document.querySelector('article.regression').dataset.id === '{first}'"
        ),
        "the permalink page",
    );
    let url = tab.get_url();
    assert!(url.contains(&format!("r/{first}/")), "{url}");
    let title = regressions
        .iter()
        .find(|r| r["id"] == first.as_str())
        .unwrap()["title"]
        .as_str()
        .unwrap();
    let h1 = eval_string(&tab, "document.querySelector('h1').textContent");
    assert!(h1.contains(title), "{h1:?} should contain {title:?}");
    wait_until(
        &tab,
        "document.body.dataset.viewer === 'ready'",
        "the viewer on the permalink page",
    );

    assert!(
        errors2.is_empty(),
        "{base} shared link: console errors: {errors2:#?}"
    );
    let errs = errors.lock().unwrap();
    assert!(errs.is_empty(), "{base}: console errors: {errs:#?}");
    drop(errs);
    let _ = tab.close(true);
}

#[test]
fn demo_site_works_from_disk_and_over_http() {
    let dir = common::scratch("browser");
    let status = std::process::Command::new(common::regtrack_bin())
        .args(["demo", "--out"])
        .arg(&dir)
        .status()
        .unwrap();
    assert!(status.success());
    let site = dir.join("site").canonicalize().unwrap();
    let export: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("api/v1/regressions.json")).unwrap())
            .unwrap();

    let profile = common::scratch("browser-profile");
    let browser = launch(&profile);
    check_site(&browser, &format!("file://{}/", site.display()), &export);
    let http = serve(site.clone());
    check_site(&browser, &http, &export);
}
