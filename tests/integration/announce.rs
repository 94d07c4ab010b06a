//! Telling people (issue 17): the Atom feeds, the mail-ready reports with their regzbot
//! lines, the digest and its mbox, and the regressions exported back into KCIDB, each read
//! back by an independent, well-kept parser: `feed-rs` for the feeds, `mail-parser` for the
//! messages, `jsonschema` with KCIDB's own v5.3 schema (from the shared corpus) for the
//! export, and regtrack's own KCIDB reader for the round trip. Hostile test data (control
//! characters, CR/LF, header injections, very long lines, replaced bytes, `#regzbot` inside a
//! log) must come out the way a mail or feed reader expects.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::support::{demo, files_under, run_regtrack};

const BASE: &str = "https://ci.example.org/regs";

/// A site built from `results` for night `date` into `out` (the ledger kept there).
fn build(results: &Path, content: Option<&Path>, out: &Path, date: &str, extra: &[&str]) {
    let mut args: Vec<String> = vec!["build".into(), "--results".into()];
    args.push(results.display().to_string());
    if let Some(c) = content {
        args.push("--content".into());
        args.push(c.display().to_string());
    }
    args.extend(["--out".into(), out.display().to_string()]);
    args.extend(["--date".into(), date.into()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    run_regtrack(&refs, &[]);
}

fn parse_feed(bytes: &[u8]) -> feed_rs::model::Feed {
    feed_rs::parser::parse(bytes).unwrap_or_else(|e| {
        panic!(
            "not a feed: {e}\n{}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(2000)])
        )
    })
}

/// The MAINTAINERS file of the corpus (the kernel's own).
fn maintainers() -> Option<PathBuf> {
    crate::support::corpus_dir().map(|c| c.join("maintainers/MAINTAINERS"))
}

/// Every feed of a site: (path, feed).
fn feeds(site: &Path) -> BTreeMap<String, feed_rs::model::Feed> {
    files_under(site)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".xml"))
        .map(|(p, b)| {
            let f = parse_feed(&b);
            (p, f)
        })
        .collect()
}

/// Two nights of the demo into one site, routed: every event of the first night is still in
/// the second night's feeds under the same id, every feed is valid Atom with unique ids,
/// newest first, linking to permalinks that exist; every page advertises feeds that exist;
/// building a night again changes nothing.
#[test]
fn feeds_keep_every_event_across_nights_and_link_to_permalinks() {
    let Some(maintainers) = maintainers() else {
        return;
    };
    let dir = demo("announce-feeds");
    let (results, content) = (dir.join("results"), dir.join("content"));
    let site = dir.join("nightly");
    let m = maintainers.display().to_string();
    let extra = ["--base-url", BASE, "--maintainers", &m];
    build(&results, Some(&content), &site, "2026-11-15", &extra);
    let first = parse_feed(&std::fs::read(site.join("feed.xml")).unwrap());
    let first_ids: BTreeSet<String> = first.entries.iter().map(|e| e.id.clone()).collect();
    assert!(!first_ids.is_empty(), "the first night has news");
    build(&results, Some(&content), &site, "2026-11-20", &extra);
    let before = files_under(&site);
    build(&results, Some(&content), &site, "2026-11-20", &extra);
    assert!(
        before == files_under(&site),
        "building the same night again changed the site"
    );

    let all = feeds(&site);
    let main = &all["feed.xml"];
    // The site's default title names it (and its pages).
    assert_eq!(
        main.title.as_ref().unwrap().content,
        "Kernel regressions: regressions"
    );
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("<title>Kernel regressions</title>"));
    let ids: Vec<&str> = main.entries.iter().map(|e| e.id.as_str()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "entry ids repeat: {ids:?}");
    for id in &first_ids {
        assert!(unique.contains(id.as_str()), "{id} was lost overnight");
    }
    assert!(ids.len() > first_ids.len(), "the second night added events");
    assert!(ids.len() <= 200);
    let kinds: BTreeSet<String> = main
        .entries
        .iter()
        .flat_map(|e| e.categories.iter().map(|c| c.term.clone()))
        .collect();
    assert!(kinds.contains("new"), "{kinds:?}");
    let updated: Vec<_> = main.entries.iter().map(|e| e.updated.unwrap()).collect();
    assert!(updated.windows(2).all(|w| w[0] >= w[1]), "not newest first");
    assert_eq!(main.updated, updated.first().copied());
    for e in &main.entries {
        assert!(e.id.starts_with("tag:regtrack,2026-11-"), "{}", e.id);
        let href = &e.links[0].href;
        let rel = href
            .strip_prefix(&format!("{BASE}/"))
            .expect("absolute link");
        assert!(
            site.join(rel).join("index.html").is_file(),
            "{href} has no page"
        );
        assert!(e.title.as_ref().is_some_and(|t| !t.content.is_empty()));
    }
    // Per tree/branch: together they hold every event once.
    let mut per_tree: Vec<String> = Vec::new();
    for (path, f) in &all {
        if path.starts_with("feeds/") {
            assert!(f.title.as_ref().unwrap().content.contains(" on "));
            per_tree.extend(f.entries.iter().map(|e| e.id.clone()));
        }
    }
    per_tree.sort();
    let mut sorted: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    sorted.sort();
    assert_eq!(per_tree, sorted, "tree feeds split the events");
    // Per subsystem: each routed regression's events are in its sections' feeds.
    let ledger: Value =
        serde_json::from_slice(&std::fs::read(site.join("api/v1/ledger.json")).unwrap()).unwrap();
    let mut routed = 0;
    for e in ledger["entries"].as_object().unwrap().values() {
        let Some(events) = e["events"].as_array() else {
            continue;
        };
        for slug in e["subsystems"].as_array().into_iter().flatten() {
            let feed = &all[&format!("s/{}/feed.xml", slug.as_str().unwrap())];
            for ev in events {
                let tag = format!(
                    "tag:regtrack,{}:r/{}/{}",
                    ev["day"].as_str().unwrap(),
                    e["id"].as_str().unwrap(),
                    ev["kind"].as_str().unwrap()
                );
                assert!(
                    feed.entries.iter().any(|x| x.id == tag),
                    "{tag} not in {slug}"
                );
                routed += 1;
            }
        }
    }
    assert!(routed > 0, "the demo routes some regressions");
    // Every page advertises the site's feed, and only feeds that exist.
    let link = regex::Regex::new(
        r#"<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]+)">"#,
    )
    .unwrap();
    let mut pages = 0;
    for (path, bytes) in files_under(&site) {
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(bytes).unwrap();
        let hrefs: Vec<&str> = link
            .captures_iter(&html)
            .map(|c| c.get(1).unwrap().as_str())
            .collect();
        assert!(
            hrefs.iter().any(|h| h.ends_with("feed.xml")),
            "{path} advertises no feed"
        );
        let folder = Path::new(&path).parent().unwrap();
        for h in hrefs {
            assert!(site.join(folder).join(h).is_file(), "{path}: {h} missing");
        }
    }
    assert!(pages > 10);
}

/// Without `--base-url` the links are relative to each feed's own place.
#[test]
fn feeds_without_a_base_url_link_relatively() {
    let dir = demo("announce-relative");
    let site = dir.join("site");
    for (path, f) in feeds(&site) {
        let folder = Path::new(&path).parent().unwrap();
        for e in &f.entries {
            let href = &e.links[0].href;
            assert!(!href.starts_with("http"), "{href}");
            assert!(
                site.join(folder).join(href).join("index.html").is_file(),
                "{path}: {href}"
            );
        }
    }
}

/// Nights of KCIDB results whose strings try everything a plain-text mail, a mail header or
/// an XML feed could be broken with.
fn hostile_nights(dir: &Path) {
    let evil_tail = "\r\nBcc: victim@example.com";
    let mut excerpt = String::from("[    1.0] starting test\r\n");
    excerpt.push_str("#regzbot introduced: 000000000000..ffffffffffff\n");
    excerpt.push_str("   #regzbot title: hijacked\n");
    excerpt.push_str("bell \u{7} escape \u{1b}[31m red \u{0} nul\n");
    excerpt.push_str("replaced bytes: \u{fffd}\u{fffd} here\n");
    excerpt.push_str(&"A".repeat(5000));
    excerpt.push_str("\n</summary><script>alert(1)</script> ]]> &amp;\n");
    for night in 1..=6u32 {
        let fail = night > 3;
        let commit = format!("{:040x}", 0xabc0_0000_u64 + u64::from(night));
        let day = format!("2026-11-{:02}", night);
        let mut tests = Vec::new();
        for board in ["board-a\r\nX-Injected: yes", "board-b ü"] {
            let id = format!("evil:t{night}-{}", board.len());
            let mut t = json!({
                "id": id, "build_id": format!("evil:b{night}"), "origin": "evil",
                "path": format!("hostile.suite.ünïcode-case{evil_tail} <x>&"),
                "status": if fail { "FAIL" } else { "PASS" },
                "start_time": format!("{day}T11:00:00+00:00"),
                "environment": {"misc": {"platform": board}},
            });
            if fail {
                t["log_url"] = json!("https://logs.example.org/x.txt");
                t["log_excerpt"] = json!(excerpt);
            }
            tests.push(t);
        }
        let doc = json!({
            "version": {"major": 5, "minor": 3},
            "checkouts": [{
                "id": format!("evil:c{night}"), "origin": "evil",
                "tree_name": format!("tree-ü{evil_tail}"),
                "git_repository_url": "https://git.example.org/linux.git",
                "git_repository_branch": "main\u{1b}[31m",
                "git_commit_hash": commit,
                "git_commit_name": format!("v6.18-rc{night}\r\nX-Evil: 1"),
                "start_time": format!("{day}T10:00:00+00:00"),
            }],
            "builds": [{
                "id": format!("evil:b{night}"), "checkout_id": format!("evil:c{night}"),
                "origin": "evil", "architecture": "x86_64", "config_name": "defconfig",
                "compiler": "gcc", "status": "PASS",
                "start_time": format!("{day}T10:05:00+00:00"),
            }],
            "tests": tests,
        });
        std::fs::write(
            dir.join(format!("night-{night}.json")),
            serde_json::to_vec_pretty(&doc).unwrap(),
        )
        .unwrap();
    }
}

/// A MAINTAINERS section and a `test-owners.toml` rule routing the hostile test to it, with
/// a non-ASCII maintainer (encoded words) and an address trying to add a header.
fn hostile_routing(dir: &Path) -> (PathBuf, PathBuf) {
    let m = dir.join("MAINTAINERS");
    std::fs::write(
        &m,
        "HOSTILE SUBSYSTEM\n\
         M:\tJöhn Dœ <john@example.org>\n\
         M:\tMallory <mallory@example.org>, Bcc: victim@example.com\n\
         R:\tRita Reviewer <rita@example.org>\n\
         L:\thostile@vger.kernel.org\n\
         S:\tMaintained\n\
         F:\tdrivers/hostile/\n",
    )
    .unwrap();
    let content = dir.join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        content.join("test-owners.toml"),
        "[[owner]]\ntest = \"hostile.*\"\nsection = \"HOSTILE SUBSYSTEM\"\n",
    )
    .unwrap();
    (m, content)
}

/// Whether a line holds a character no mail or feed reader should get from test data.
fn has_control(line: &str) -> bool {
    line.chars().any(|c| c.is_control() && c != '\t')
}

/// The regzbot block as regzbot's reference documents it: at the start of lines, in one
/// block with blank lines around it, `introduced` first with a range of commit ids of at
/// least 8 (here 12) hex digits, then `title` (one line) and `link`; and no other line of
/// the text starts a command.
fn check_regzbot(text: &str, link: &str) {
    let lines: Vec<&str> = text.lines().collect();
    let commands: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            lines[i]
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("#regzbot")
        })
        .collect();
    assert_eq!(commands.len(), 3, "{text}");
    assert!(commands.windows(2).all(|w| w[1] == w[0] + 1), "one block");
    assert!(lines[commands[0] - 1].is_empty() && lines[commands[2] + 1].is_empty());
    let introduced = regex::Regex::new(r"^#regzbot introduced: [0-9a-f]{12}\.\.[0-9a-f]{12}$");
    assert!(
        introduced.unwrap().is_match(lines[commands[0]]),
        "{}",
        lines[commands[0]]
    );
    let title = lines[commands[1]].strip_prefix("#regzbot title: ").unwrap();
    assert!(!title.is_empty() && !has_control(title));
    assert_eq!(
        lines[commands[2]],
        format!("#regzbot link: {link} regtrack")
    );
}

/// Hostile data through every output: feeds parse and carry the text as text, reports keep
/// one regzbot block and no control characters or overlong lines, mails keep their headers
/// (no injected `Bcc:`), encode non-ASCII, and parse with the regzbot block intact.
#[test]
fn hostile_data_reaches_feeds_reports_and_mails_as_text() {
    let dir = crate::support::scratch("announce-hostile");
    let results = dir.join("results");
    std::fs::create_dir_all(&results).unwrap();
    hostile_nights(&results);
    let (m, content) = hostile_routing(&dir);
    let site = dir.join("site");
    let m = m.display().to_string();
    let extra = ["--base-url", BASE, "--maintainers", &m];
    build(&results, Some(&content), &site, "2026-11-06", &extra);
    let doc: Value =
        serde_json::from_slice(&std::fs::read(site.join("api/v1/regressions.json")).unwrap())
            .unwrap();
    let regs = doc["regressions"].as_array().unwrap();
    assert_eq!(regs.len(), 1, "{doc}");
    let id = regs[0]["id"].as_str().unwrap();
    let permalink = format!("{BASE}/r/{id}/");

    // Feeds: valid, the hostile text decoded back as text, nothing injected.
    for (path, f) in feeds(&site) {
        let raw = String::from_utf8(std::fs::read(site.join(&path)).unwrap()).unwrap();
        assert!(!raw.contains("<x>") && !raw.contains("<script>"), "{path}");
        assert!(!has_control(&raw.replace('\n', "")), "{path}");
        let e = &f.entries[0];
        let title = &e.title.as_ref().unwrap().content;
        assert!(
            title.contains("hostile.suite.ünïcode-case Bcc: victim@example.com <x>&"),
            "{title}"
        );
        assert_eq!(e.links[0].href, permalink);
    }

    // report.txt: the regzbot block once, no control characters, lines a mailer keeps.
    let report = std::fs::read_to_string(site.join(format!("r/{id}/report.txt"))).unwrap();
    check_regzbot(&report, &permalink);
    for line in report.lines() {
        assert!(!has_control(line), "{line:?}");
        assert!(line.chars().count() <= 998, "{} chars", line.len());
    }
    assert!(report.contains("| #regzbot introduced: 000000000000..ffffffffffff"));
    assert!(report.contains("replaced bytes: \u{fffd}\u{fffd} here"));
    let header: Vec<&str> = report.lines().take_while(|l| !l.is_empty()).collect();
    assert_eq!(header.len(), 3, "{header:?}");
    assert_eq!(header[1], "To: Jöhn Dœ <john@example.org>");
    assert_eq!(
        header[2],
        "Cc: Rita Reviewer <rita@example.org>, hostile@vger.kernel.org, regressions@lists.linux.dev"
    );
    // The page shows the same text, escaped, with its Copy report button.
    let page = std::fs::read_to_string(site.join(format!("r/{id}/index.html"))).unwrap();
    assert!(page.contains("id=\"copy-report\""));
    assert!(page.contains("&lt;x&gt;&amp;"));

    // The mbox: one report (new since the first night) and the digest.
    let mbox = dir.join("news.mbox");
    let out = run_regtrack(
        &[
            "report",
            "--since",
            "2026-11-01",
            "--base-url",
            BASE,
            "--maintainers",
            &m,
            "--date",
            "2026-11-06",
            "--from",
            "CI Bot <ci@example.org>",
            "--ledger",
        ],
        &[
            &site.join("api/v1/ledger.json"),
            Path::new("--content"),
            &content,
            Path::new("--results"),
            &results,
            Path::new("--mbox"),
            &mbox,
        ],
    );
    let digest = String::from_utf8(out.stdout).unwrap();
    assert!(
        digest.contains("1 new, 0 confirmed, 0 fixed, 0 reopened"),
        "{digest}"
    );
    assert!(digest.contains(&permalink));
    let raw = std::fs::read_to_string(&mbox).unwrap();
    let messages: Vec<&str> = raw
        .split("\nFrom ")
        .map(|m| m.split_once('\n').unwrap().1)
        .collect();
    assert_eq!(messages.len(), 2, "{raw}");
    let parser = mail_parser::MessageParser::default();
    let report_mail = parser.parse(messages[0].as_bytes()).unwrap();
    let subject = report_mail.subject().unwrap();
    assert!(
        subject.starts_with("[REGRESSION] tree-ü Bcc: victim@example.com/main"),
        "{subject}"
    );
    assert!(!has_control(subject));
    let head = messages[0].split("\n\n").next().unwrap();
    assert!(
        head.contains("=?utf-8?"),
        "non-ASCII headers are encoded words:\n{head}"
    );
    for h in head.lines() {
        assert!(h.is_ascii(), "{h}");
        let name = h.split(':').next().unwrap();
        assert!(
            !["Bcc", "X-Injected", "X-Evil"].contains(&name),
            "injected header {h}"
        );
    }
    let addrs = |a: Option<&mail_parser::Address>| -> Vec<String> {
        a.map(|a| {
            a.iter()
                .map(|x| x.address().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
    };
    assert_eq!(addrs(report_mail.to()), ["john@example.org"]);
    assert_eq!(
        addrs(report_mail.cc()),
        [
            "rita@example.org",
            "hostile@vger.kernel.org",
            "regressions@lists.linux.dev"
        ]
    );
    assert_eq!(
        report_mail.to().unwrap().first().unwrap().name(),
        Some("Jöhn Dœ")
    );
    assert_eq!(addrs(report_mail.from()), ["ci@example.org"]);
    assert!(report_mail.header("Bcc").is_none());
    assert_eq!(
        report_mail.message_id(),
        Some(format!("regtrack.{id}.new.2026-11-06@example.org").as_str())
    );
    let body = report_mail.body_text(0).unwrap();
    check_regzbot(&body, &permalink);
    let digest_mail = parser.parse(messages[1].as_bytes()).unwrap();
    assert!(digest_mail.subject().unwrap().contains("1 new"));
    assert!(digest_mail.body_text(0).unwrap().contains(&permalink));

    // The other digest formats.
    for (format, check) in [
        ("markdown", "## tree\\-ü Bcc: victim@example\\.com/main"),
        ("json", "\"kind\": \"new\""),
    ] {
        let out = run_regtrack(
            &[
                "report",
                "--since",
                "2026-11-01",
                "--format",
                format,
                "--date",
                "2026-11-06",
                "--ledger",
            ],
            &[
                &site.join("api/v1/ledger.json"),
                Path::new("--results"),
                &results,
            ],
        );
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(check), "{format}:\n{text}");
        assert!(!has_control(&text.replace('\n', "")), "{format}");
    }
}

/// `api/v1/kcidb.json` is a valid KCIDB v5.3 document (the schema from the corpus), with an
/// issue per published regression and an incident per failing run; read back by regtrack
/// it attaches each issue to its own regression; a night that changes a regression bumps
/// its issue's version.
#[test]
fn kcidb_export_is_valid_v5_3_and_reads_back() {
    let Some(corpus) = crate::support::corpus_dir() else {
        return;
    };
    let text =
        std::fs::read_to_string(corpus.join("kcidb-schema/kcidb-io.schema.v5.3.json")).unwrap();
    // Its "no NUL" patterns (`[^\0]`, `[^/\0]`) use `\0`, an escape ECMA-262 has but the
    // validator's regex dialect refuses when it checks the schema itself; `\x00` is the
    // same character in both.
    assert!(text.contains(r"[^\\0]"));
    let text = text.replace(r"\\0", r"\\x00");
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let dir = demo("announce-kcidb");
    let (results, content) = (dir.join("results"), dir.join("content"));
    let site = dir.join("nightly");
    let extra = ["--base-url", BASE, "--kcidb-origin", "ci_test"];
    build(&results, Some(&content), &site, "2026-11-16", &extra);
    let versions = |site: &Path| -> BTreeMap<String, u64> {
        let doc: Value =
            serde_json::from_slice(&std::fs::read(site.join("api/v1/kcidb.json")).unwrap())
                .unwrap();
        doc["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["id"].as_str().unwrap().to_string(),
                    i["version"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let early = versions(&site);
    build(&results, Some(&content), &site, "2026-11-20", &extra);
    let path = site.join("api/v1/kcidb.json");
    let doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator is not vacuous: a bad origin and a missing issue version are refused.
    let mut bad = doc.clone();
    bad["issues"][0]["origin"] = json!("Bad Origin!");
    bad["incidents"][0]
        .as_object_mut()
        .unwrap()
        .remove("issue_version");
    assert_eq!(validator.iter_errors(&bad).count(), 2);
    assert_eq!(doc["version"], json!({"major": 5, "minor": 3}));
    let export: Value =
        serde_json::from_slice(&std::fs::read(site.join("api/v1/regressions.json")).unwrap())
            .unwrap();
    let regs = export["regressions"].as_array().unwrap();
    let issues = doc["issues"].as_array().unwrap();
    assert_eq!(issues.len(), regs.len());
    for (i, r) in issues.iter().zip(regs) {
        let id = r["id"].as_str().unwrap();
        assert_eq!(i["id"], format!("ci_test:{id}"));
        assert_eq!(i["origin"], "ci_test");
        assert_eq!(i["report_url"], format!("{BASE}/r/{id}/"));
        assert_eq!(i["culprit"]["code"], true);
    }
    let incidents = doc["incidents"].as_array().unwrap();
    assert!(incidents.len() >= issues.len());
    let ids: BTreeSet<&str> = incidents
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), incidents.len(), "incident ids are unique");
    // A regression seen on both nights changed (new, then ongoing): a higher version.
    let late = versions(&site);
    let bumped = early
        .iter()
        .filter(|(id, v)| late.get(*id).is_some_and(|l| l > v))
        .count();
    assert!(bumped > 0, "{early:?} {late:?}");
    assert!(late.values().all(|&v| v >= 1));

    // Round trip: the export beside the results, read by regtrack, names each regression's
    // own issue through its incidents.
    let back = dir.join("with-kcidb");
    std::fs::create_dir_all(&back).unwrap();
    std::fs::copy(&path, back.join("regtrack-issues.json")).unwrap();
    let site2 = dir.join("roundtrip");
    let mut args = vec![
        "build".to_string(),
        "--results".into(),
        results.display().to_string(),
        "--results".into(),
        back.display().to_string(),
        "--date".into(),
        "2026-11-20".into(),
        "--strict".into(),
        "--out".into(),
        site2.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    run_regtrack(&refs, &[]);
    let export2: Value =
        serde_json::from_slice(&std::fs::read(site2.join("api/v1/regressions.json")).unwrap())
            .unwrap();
    for r in export2["regressions"].as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        let own: Vec<&Value> = r["kcidb_issues"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["id"] == format!("ci_test:{id}"))
            .collect();
        assert_eq!(own.len(), 1, "{id}: {}", r["kcidb_issues"]);
        assert_eq!(own[0]["report_url"], format!("{BASE}/r/{id}/"));
        assert!(own[0]["incidents"].as_u64().unwrap() >= 1);
    }
}
