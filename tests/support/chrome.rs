//! Driving Debian's Chromium for the browser tests and the viewer benchmark: launch it
//! headless with a fresh profile (never letting a tool download a browser), serve a site over
//! http, and watch a tab's console errors and network requests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::Log::events::EntryAddedEvent;
use headless_chrome::protocol::cdp::Network;
use headless_chrome::protocol::cdp::Runtime::ConsoleAPICalledEventTypeOption;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::{Browser, LaunchOptions, Tab};

/// `REGTRACK_CHROMIUM`, else the first Chromium found in the usual places.
pub fn chromium() -> PathBuf {
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
         tests/run.sh) or set REGTRACK_CHROMIUM"
    );
}

/// Headless Chromium with a fresh profile in `profile`.
pub fn launch(profile: &Path) -> Browser {
    let args: Vec<&std::ffi::OsStr> = [
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--disable-extensions",
        "--no-first-run",
        "--no-default-browser-check",
    ]
    .iter()
    .map(std::ffi::OsStr::new)
    .collect();
    Browser::new(LaunchOptions {
        path: Some(chromium()),
        headless: true,
        sandbox: false,
        user_data_dir: Some(profile.to_path_buf()),
        window_size: Some((1280, 1000)),
        args,
        idle_browser_timeout: Duration::from_secs(600),
        ..LaunchOptions::default()
    })
    .expect("Chromium starts")
}

/// Serves `root` on 127.0.0.1 until the process ends; returns the base URL (ending in `/`).
///
/// A minimal HTTP/1.1 server on std: one thread per connection, one request per connection
/// (`Connection: close`), so no keep-alive bookkeeping can stall a page load.
pub fn serve(root: PathBuf) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let root = root.clone();
            std::thread::spawn(move || respond(&root, stream));
        }
    });
    format!("http://127.0.0.1:{port}/")
}

/// Answers one GET from `root` (directories serve their index.html), 404 otherwise.
fn respond(root: &Path, mut stream: std::net::TcpStream) {
    use std::io::{BufRead, BufReader, Write};
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    // Skip the headers.
    loop {
        let mut h = String::new();
        match reader.read_line(&mut h) {
            Ok(0) | Err(_) => break,
            Ok(_) if h == "\r\n" || h == "\n" => break,
            Ok(_) => {}
        }
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let path = percent_decode(path);
    let mut file = root.join(path.trim_start_matches('/'));
    if file.is_dir() {
        file = file.join("index.html");
    }
    let inside = file
        .canonicalize()
        .map(|f| f.starts_with(root))
        .unwrap_or(false);
    let (status, ct, body) = match std::fs::read(&file) {
        Ok(bytes) if inside => {
            let ct = match file.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("js") => "text/javascript; charset=utf-8",
                Some("css") => "text/css; charset=utf-8",
                Some("svg") => "image/svg+xml",
                Some("json") => "application/json",
                _ => "application/octet-stream",
            };
            ("200 OK", ct, bytes)
        }
        _ => ("404 Not Found", "text/plain", b"not found".to_vec()),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    let _ = stream.flush();
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Some(v) = std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What a tab did: console errors and uncaught exceptions, and every URL it requested.
#[derive(Clone, Default)]
pub struct Watch {
    pub errors: Arc<Mutex<Vec<String>>>,
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl Watch {
    pub fn errors(&self) -> Vec<String> {
        self.errors.lock().unwrap().clone()
    }

    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// Starts recording `tab`'s console errors, exceptions and network requests (DevTools Network
/// domain: every request the page makes, file:// included).
pub fn watch(tab: &Arc<Tab>) -> Watch {
    let w = Watch::default();
    tab.enable_log().unwrap();
    tab.enable_runtime().unwrap();
    tab.call_method(Network::Enable {
        max_total_buffer_size: None,
        max_resource_buffer_size: None,
        max_post_data_size: None,
        report_direct_socket_traffic: None,
        enable_durable_messages: None,
    })
    .unwrap();
    let (errors, requests) = (w.errors.clone(), w.requests.clone());
    tab.add_event_listener(Arc::new(move |event: &Event| {
        let msg = match event {
            Event::RuntimeExceptionThrown(e) => Some(format!(
                "exception: {} {:?}",
                e.params.exception_details.text,
                e.params
                    .exception_details
                    .exception
                    .as_ref()
                    .and_then(|x| x.description.clone())
            )),
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
            Event::NetworkRequestWillBeSent(e) => {
                requests.lock().unwrap().push(e.params.request.url.clone());
                None
            }
            _ => None,
        };
        if let Some(m) = msg {
            errors.lock().unwrap().push(m);
        }
    }))
    .unwrap();
    w
}

/// Evaluates `js` (which must produce a string, or a promise of one when `wait`).
pub fn eval_string(tab: &Tab, js: &str, wait: bool) -> String {
    let v = tab
        .evaluate(js, wait)
        .unwrap_or_else(|e| panic!("{js}: {e}"));
    match v.value {
        Some(serde_json::Value::String(s)) => s,
        other => panic!("{js} gave {other:?} ({:?})", v.description),
    }
}

/// Evaluates `JSON.stringify(js)` and parses the result.
pub fn eval_json(tab: &Tab, js: &str) -> serde_json::Value {
    let s = eval_string(tab, &format!("JSON.stringify({js})"), false);
    serde_json::from_str(&s).unwrap()
}

/// Waits (up to `secs`) until `js` is true in the page. The page polls itself (every DevTools
/// round trip costs ~100 ms with headless_chrome), so this is usually one call.
pub fn wait_until(tab: &Tab, js: &str, what: &str, secs: u64) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    let poll = format!(
        "new Promise(function (resolve) {{ \
           var end = Date.now() + 2000; \
           (function check() {{ \
             var ok = false; try {{ ok = !!({js}); }} catch (e) {{}} \
             if (ok) {{ resolve('yes'); }} else if (Date.now() > end) {{ resolve('no'); }} else {{ setTimeout(check, 10); }} \
           }})(); }})"
    );
    loop {
        // A navigation destroys the context mid-wait: that is an error here, and a retry.
        if let Ok(r) = tab.evaluate(&poll, true)
            && r.value == Some(serde_json::Value::String("yes".into()))
        {
            return;
        }
        if Instant::now() > deadline {
            let state = tab
                .evaluate(
                    "location.href + ' | ' + document.readyState + ' | ' + (document.body ? document.body.innerText.slice(0, 600) : 'no body')",
                    false,
                )
                .ok()
                .and_then(|r| r.value);
            panic!("timed out waiting for {what}; page: {state:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Every request of a site's page stays inside the site: `base` is `file:///…/site/` or the
/// local http origin. `data:` URLs fetch nothing (Chromium reports its own date-picker icon
/// as one); anything else outside `base` fails.
pub fn assert_requests_inside(requests: &[String], base: &str) {
    assert!(!requests.is_empty(), "no request was recorded at all");
    for url in requests.iter().filter(|u| !u.starts_with("data:")) {
        assert!(
            url.starts_with(base),
            "a request left the site {base}: {url}"
        );
    }
}
