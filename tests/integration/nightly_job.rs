//! The nightly job as a user sets it up: `regtrack init`, a `regtrack.toml` in the current
//! folder with flags over it, clear errors for a bad config, the one-line `--summary-json`,
//! `regtrack serve`, and the deployment examples under `examples/` (well-formed YAML, calling
//! real regtrack flags, their config valid).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use yaml_rust2::{Yaml, YamlLoader};

fn regtrack(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(crate::support::regtrack_bin())
        .current_dir(dir)
        .args(args)
        .env("REGTRACK_CACHE_DIR", dir.join("cache"))
        .output()
        .unwrap()
}

/// A short demo history, generated once per test run (the tests share it, read only).
fn demo_results() -> PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = crate::support::scratch("nightly-job-history");
        let out = regtrack(
            &dir,
            &["demo", "--results-only", "--days", "4", "--out", "."],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        dir.join("results")
    })
    .clone()
}

fn summary(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    assert_eq!(text.lines().count(), 1, "one line: {text}");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn a_config_file_drives_the_build_and_flags_override_it() {
    let results = demo_results();
    let dir = crate::support::scratch("nightly-job-config");
    let o = regtrack(&dir, &["init"]);
    assert!(o.status.success());
    let template = std::fs::read_to_string(dir.join("regtrack.toml")).unwrap();
    assert!(template.contains("# history_days = 30"));
    let again = regtrack(&dir, &["init"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists (pass --force"));
    // Found in the current folder; relative paths from it.
    let config = format!(
        "results = [{:?}]\nout = \"site\"\nsummary_json = \"state/summary.json\"\nhistory_days = 2\n",
        results.display().to_string()
    );
    // Routing's inputs are config keys too.
    let maintainers = crate::support::corpus_dir().map(|c| c.join("maintainers/MAINTAINERS"));
    let config = match &maintainers {
        Some(m) => format!("{config}maintainers = {:?}\n", m.display().to_string()),
        None => config,
    };
    std::fs::create_dir_all(dir.join("state")).unwrap();
    std::fs::write(dir.join("regtrack.toml"), &config).unwrap();
    let o = regtrack(&dir, &["build"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    if maintainers.is_some() {
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.contains("routing: "), "{stderr}");
        assert!(dir.join("site/s/index.html").is_file());
    }
    // stderr is not a terminal here: no progress bar, no control characters.
    assert!(
        !o.stderr.iter().any(|&b| b == b'\r' || b == 0x1b),
        "progress drawn off a terminal"
    );
    let export: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("site/api/v1/regressions.json")).unwrap())
            .unwrap();
    let s = summary(&dir.join("state/summary.json"));
    assert_eq!(s["status"], "ok");
    assert_eq!(s["published"], true);
    assert_eq!(s["report_date"], export["report_date"]);
    assert_eq!(
        s["regressions"].as_u64().unwrap() as usize,
        export["regressions"].as_array().unwrap().len()
    );
    assert!(s["files_aged_out"].as_u64().unwrap() > 0, "{s}");
    assert!(s["site_files"].as_u64().unwrap() > 10);
    // A flag wins over the file.
    let o = regtrack(&dir, &["build", "--out", "other", "--title", "Flag title"]);
    assert!(o.status.success());
    let index = std::fs::read_to_string(dir.join("other/index.html")).unwrap();
    assert!(index.contains("Flag title"));
    // A failed build still writes its summary, saying why.
    std::fs::write(
        dir.join("site/api/v1/ledger.json"),
        "{\"version\": 1, \"entr",
    )
    .unwrap();
    let o = regtrack(&dir, &["build"]);
    assert!(!o.status.success());
    let s = summary(&dir.join("state/summary.json"));
    assert_eq!(s["status"], "failed");
    assert!(s["error"].as_str().unwrap().contains("is broken"), "{s}");
    // A bad config: one error with the file, the place, the key and the reason.
    std::fs::write(dir.join("bad.toml"), format!("{config}resluts = [\"x\"]\n")).unwrap();
    let o = regtrack(&dir, &["build", "--config", "bad.toml"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains(&format!(
            "bad.toml: TOML parse error at line {}, column 1",
            config.lines().count() + 1
        )) && err.contains("unknown field `resluts`"),
        "{err}"
    );
    std::fs::write(
        dir.join("bad.toml"),
        "out = \"site\"\nhistory_days = \"thirty\"\n",
    )
    .unwrap();
    let err = String::from_utf8_lossy(&regtrack(&dir, &["build", "--config", "bad.toml"]).stderr)
        .into_owned();
    assert!(
        err.contains("line 2, column 16") && err.contains("history_days"),
        "{err}"
    );
    let o = regtrack(&dir, &["build", "--config", "missing.toml"]);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("the config file missing.toml does not exist")
    );
}

/// Sends one GET and returns the status line and the body.
fn get(addr: &str, path: &str) -> (String, Vec<u8>) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes).unwrap();
    let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    (
        head.lines().next().unwrap().to_string(),
        bytes[split + 4..].to_vec(),
    )
}

#[test]
fn serve_previews_the_site_over_http_and_nothing_outside_it() {
    let results = demo_results();
    let dir = crate::support::scratch("nightly-job-serve");
    let o = regtrack(
        &dir,
        &[
            "build",
            "--results",
            results.to_str().unwrap(),
            "--out",
            "site",
        ],
    );
    assert!(o.status.success());
    let mut child = Command::new(crate::support::regtrack_bin())
        .current_dir(&dir)
        .args(["serve", "--out", "site", "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    let (status, body) = get(&addr, "/");
    assert!(status.contains("200"), "{status}");
    assert_eq!(body, std::fs::read(dir.join("site/index.html")).unwrap());
    let (status, body) = get(&addr, "/api/v1/regressions.json");
    assert!(status.contains("200"));
    let export: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let url = export["regressions"][0]["url"].as_str().unwrap();
    let (status, _) = get(&addr, &format!("/{}", url.trim_end_matches('/')));
    assert!(status.contains("301"), "{status}");
    let (status, page) = get(&addr, &format!("/{url}"));
    assert!(status.contains("200") && !page.is_empty());
    let (status, _) = get(&addr, "/%2e%2e/regtrack.toml");
    assert!(status.contains("403"), "{status}");
    let (status, _) = get(&addr, "/nope.html");
    assert!(status.contains("404"), "{status}");
    child.kill().unwrap();
    child.wait().unwrap();
}

fn examples() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples"))
}

/// Every `regtrack ...` command line in a script (backslash continuations joined).
fn regtrack_commands(script: &str) -> Vec<String> {
    script
        .replace("\\\n", " ")
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("regtrack "))
        .map(String::from)
        .collect()
}

/// The shell scripts of a CI file: GitHub's `run:` and GitLab's `script:` entries.
fn scripts(y: &Yaml, out: &mut Vec<String>) {
    match y {
        Yaml::Hash(h) => {
            for (k, v) in h {
                match (k.as_str(), v) {
                    (Some("run"), Yaml::String(s)) => out.push(s.clone()),
                    (Some("script"), Yaml::Array(a)) => {
                        out.extend(a.iter().filter_map(|l| l.as_str().map(String::from)));
                    }
                    _ => scripts(v, out),
                }
            }
        }
        Yaml::Array(a) => a.iter().for_each(|v| scripts(v, out)),
        _ => {}
    }
}

/// Runs a command line with `--help` appended: clap rejects any flag or value that does not
/// exist before it gets to the help, so success means every flag is real.
fn check_flags(line: &str) {
    let args: Vec<String> = line
        .split_whitespace()
        .skip(1)
        .map(|a| a.trim_matches('"').to_string())
        .collect();
    assert!(args.first().is_some_and(|c| c == "build"), "{line}");
    let o = Command::new(crate::support::regtrack_bin())
        .args(&args)
        .arg("--help")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "`{line}` does not parse:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn the_deployment_examples_are_well_formed_and_call_real_flags() {
    let dir = examples();
    let config = dir.join("regtrack.toml");
    let opts = regtrack::config::file::load(&config).unwrap();
    assert_eq!(opts.history_days.map(|d| d.get()), Some(30));
    assert!(
        opts.ledger.is_some() && opts.cache.is_some(),
        "the example keeps its state"
    );
    let mut calls = 0;
    for (file, pages_path) in [("github-actions.yml", "site"), ("gitlab-ci.yml", "public")] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let docs = YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(docs.len(), 1, "{file}");
        let doc = &docs[0];
        let mut found = Vec::new();
        scripts(doc, &mut found);
        let commands: Vec<String> = found.iter().flat_map(|s| regtrack_commands(s)).collect();
        assert!(!commands.is_empty(), "{file} calls regtrack");
        for c in &commands {
            check_flags(c);
            assert!(c.contains("--config regtrack.toml"), "{file}: {c}");
            calls += 1;
        }
        // What the Pages host uploads is what regtrack published.
        assert!(
            text.contains(&format!("path: {pages_path}"))
                || text.contains(&format!("- {pages_path}")),
            "{file}"
        );
        if file == "github-actions.yml" {
            let cron = doc["on"]["schedule"][0]["cron"].as_str().unwrap();
            assert_eq!(cron.split_whitespace().count(), 5, "{cron}");
            assert!(!doc["jobs"]["build"]["steps"].as_vec().unwrap().is_empty());
        } else {
            assert!(doc["pages"]["script"].as_vec().is_some());
            assert_eq!(
                doc["pages"]["artifacts"]["paths"][0].as_str(),
                Some("public")
            );
        }
    }
    let script = std::fs::read_to_string(dir.join("cron/nightly.sh")).unwrap();
    for c in regtrack_commands(&script) {
        check_flags(&c);
        calls += 1;
    }
    assert_eq!(calls, 3);
    let sh = Command::new("sh")
        .arg("-n")
        .arg(dir.join("cron/nightly.sh"))
        .status()
        .unwrap();
    assert!(sh.success(), "nightly.sh is valid shell");
    let crontab = std::fs::read_to_string(dir.join("cron/crontab")).unwrap();
    let entry = crontab
        .lines()
        .find(|l| !l.starts_with('#') && !l.contains('=') && !l.trim().is_empty())
        .unwrap();
    let fields: Vec<&str> = entry.split_whitespace().collect();
    assert!(
        fields.len() >= 7 && fields[6].ends_with("nightly.sh"),
        "{entry}"
    );
}
