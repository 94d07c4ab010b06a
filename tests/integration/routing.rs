//! Routing end to end: the kernel's real MAINTAINERS (ranked like `get_maintainer.pl`, which
//! is run as the oracle when the kernel tree is there), the files syzkaller's reports blame,
//! a real git repository made here whose windows are narrowed and ranked, and bad routing
//! input that costs one diagnostic each and never the site.

use std::path::{Path, PathBuf};
use std::process::Command;

use regtrack::report::build_report;
use regtrack::report::ledger::Ledger;
use regtrack::route::maintainers::{Maintainers, NoTree};
use regtrack::route::routing::Evidence;
use regtrack::route::{RouteOptions, Router};
use serde_json::{Value, json};

use crate::support::{
    corpus_dir, files_under, kernel_source_dir, realdata_dir, regtrack_bin, scratch,
};

fn maintainers_path() -> Option<PathBuf> {
    corpus_dir().map(|c| c.join("maintainers/MAINTAINERS"))
}

/// One cache folder for the kernel tree's index, shared by the tests of this run.
fn kernel_index_cache() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("routing-kernel-index");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn sections(m: &Maintainers, path: &str) -> Vec<String> {
    m.lookup(path)
        .into_iter()
        .map(|x| m.sections[x.section].name.clone())
        .collect()
}

#[test]
fn the_real_maintainers_file_parses_fast_and_routes() {
    let Some(path) = maintainers_path() else {
        return;
    };
    let t = std::time::Instant::now();
    let m = Maintainers::load(&path, &NoTree);
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    eprintln!(
        "MAINTAINERS: {} sections in {ms:.1} ms (debug build)",
        m.sections.len()
    );
    // Linux 6.12's file is well formed: no line is refused.
    assert!(m.diagnostics.is_empty(), "{:#?}", m.diagnostics);
    assert!(m.sections.len() > 2500, "{}", m.sections.len());
    assert_eq!(
        sections(&m, "net/tls/tls_sw.c"),
        ["NETWORKING [TLS]", "NETWORKING [GENERAL]", "THE REST"]
    );
    assert_eq!(
        sections(&m, "drivers/net/ethernet/stmicro/stmmac/dwmac-sun8i.c"),
        [
            "STMMAC ETHERNET DRIVER",
            "NETWORKING DRIVERS",
            "ARM/Allwinner sunXi SoC support",
            "ARM/STM32 ARCHITECTURE",
            "THE REST"
        ]
    );
    let tls = m.section_named("NETWORKING [TLS]").unwrap();
    assert!(
        m.sections[tls]
            .lists
            .contains(&"netdev@vger.kernel.org".to_string())
    );
    assert_eq!(m.sections[tls].slug, "networking-tls");
    // Slugs are unique and safe.
    let mut slugs: Vec<&str> = m.sections.iter().map(|s| s.slug.as_str()).collect();
    assert!(slugs.iter().all(|s| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    }));
    slugs.sort_unstable();
    let n = slugs.len();
    slugs.dedup();
    assert_eq!(slugs.len(), n);
}

/// `get_maintainer.pl --subsystem -f FILE`, the kernel's own answer.
fn get_maintainer(tree: &Path, file: &str) -> Option<Vec<String>> {
    let out = Command::new("perl")
        .current_dir(tree)
        .args([
            "scripts/get_maintainer.pl",
            "--no-email",
            "--no-l",
            "--no-git",
            "--no-git-fallback",
            "--no-tree",
            "--subsystem",
            "-f",
            file,
        ])
        .output()
        .ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(String::from)
            .collect()
    })
}

#[test]
fn sections_agree_with_get_maintainer_on_a_sample_of_the_tree() {
    let Some(tree) = kernel_source_dir() else {
        return;
    };
    let cache = kernel_index_cache();
    let (index, diags) = regtrack::route::source::SourceTree::load(&tree, Some(&cache));
    let index = index.expect("the kernel tree indexes");
    assert!(
        !diags
            .iter()
            .any(|d| d.to_string().contains("no KUnit suite")),
        "{diags:?}"
    );
    let m = Maintainers::load(&tree.join("MAINTAINERS"), &index);
    // Every 2000th file of the tree, and the ones the demo and the tests name.
    let mut sample: Vec<&str> = index
        .files()
        .iter()
        .step_by(2000)
        .map(String::as_str)
        .collect();
    sample.extend([
        "net/tls/tls_sw.c",
        "kernel/time/posix-cpu-timers.c",
        "lib/overflow_kunit.c",
        "fs/notify/fanotify/fanotify.c",
        "arch/x86/kvm/xen.c",
    ]);
    let mut compared = 0;
    for file in sample {
        let Some(theirs) = get_maintainer(&tree, file) else {
            continue;
        };
        let mut ours = sections(&m, file);
        let mut theirs = theirs;
        // Equal ranks come out in perl's hash order: compare the sets, and the best one.
        if let (Some(a), Some(b)) = (m.lookup(file).first(), theirs.first()) {
            let top: Vec<_> = m
                .lookup(file)
                .into_iter()
                .filter(|x| x.depth == a.depth)
                .collect();
            if top.len() == 1 {
                assert_eq!(&m.sections[top[0].section].name, b, "{file}");
            }
        }
        ours.sort();
        theirs.sort();
        assert_eq!(ours, theirs, "{file}");
        compared += 1;
    }
    assert!(compared > 30, "get_maintainer.pl ran on {compared} files");
    eprintln!("sections of {compared} files agree with get_maintainer.pl");
}

#[test]
fn syzkaller_reports_blame_the_file_syzkaller_blames() {
    let Some(corpus) = corpus_dir() else {
        return;
    };
    let dir = corpus.join("syzkaller-guilty");
    let mut checked = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        if path.file_name().unwrap() == "SOURCE.md" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let (head, report) = text.split_once("\n\n").unwrap();
        let expected = head
            .lines()
            .find_map(|l| l.strip_prefix("FILE:"))
            .unwrap()
            .trim();
        let lines: Vec<&str> = report.lines().collect();
        let stall = regtrack::crash::extract(report)
            .is_some_and(|c| matches!(c.kind, "RCU_STALL" | "LOCKUP"));
        let got = regtrack::route::evidence::blamed_file(&lines, stall, &|_| None);
        assert_eq!(
            got.as_ref().map_or("", |b| b.path.as_str()),
            expected,
            "{}",
            path.display()
        );
        checked += 1;
    }
    assert_eq!(checked, 12);
}

/// The console logs of syzkaller's corpus: a `KEY: value` header, a blank line, the log, and
/// optionally a blank line, `REPORT:` and the report syzkaller expects.
fn syzkaller_logs(corpus: &Path) -> Vec<(String, String)> {
    let dir = corpus.join("syzkaller-report");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.chars().all(|c| c.is_ascii_digit()))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let text = std::fs::read_to_string(dir.join(&name))
                .unwrap()
                .replace('\r', "");
            let body = match text.strip_prefix('\n') {
                Some(b) => b.to_string(),
                None => text.split_once("\n\n").map_or("", |x| x.1).to_string(),
            };
            let log = match body.rfind("\n\nREPORT:\n") {
                Some(i) => body[..i + 1].to_string(),
                None => body
                    .strip_prefix("REPORT:\n")
                    .map_or(body.clone(), |_| String::new()),
            };
            (name, log)
        })
        .collect()
}

#[test]
fn every_syzkaller_report_naming_a_file_maps_to_a_maintained_section() {
    let (Some(corpus), Some(mpath)) = (corpus_dir(), maintainers_path()) else {
        return;
    };
    let m = Maintainers::load(&mpath, &NoTree);
    let maintained = |path: &str| m.lookup(path).iter().any(|x| x.depth >= 0);
    // With the kernel tree, a frame the tree defines comes before a generic file.
    let tree =
        kernel_source_dir().and_then(|d| regtrack::route::source::SourceTree::load(&d, None).0);
    let (mut reports, mut naming, mut by_file, mut by_frame, mut by_generic) = (0, 0, 0, 0, 0);
    for (name, log) in syzkaller_logs(&corpus) {
        let Some((crash, lines)) = regtrack::crash::first_report(&log) else {
            continue;
        };
        reports += 1;
        let stall = matches!(crash.kind, "RCU_STALL" | "LOCKUP");
        let blamed = regtrack::route::evidence::blamed_file(&lines, stall, &|_| None);
        if let Some(b) = blamed.as_ref().filter(|b| !b.generic) {
            naming += 1;
            assert!(maintained(&b.path), "{name}: {} maps to no section", b.path);
            by_file += 1;
            continue;
        }
        let frame = tree.as_ref().and_then(|t| {
            regtrack::route::attribute::frame_file(t, &crash.title, &lines, stall).map(|x| x.1)
        });
        if let Some(f) = frame.filter(|f| maintained(f)) {
            naming += usize::from(blamed.is_some());
            by_frame += 1;
            eprintln!("  {name}: {} -> frame in {f}", crash.title);
            continue;
        }
        if let Some(b) = blamed {
            naming += 1;
            eprintln!("  {name}: {} -> only generic {}", crash.title, b.path);
            if maintained(&b.path) {
                by_generic += 1;
            }
        }
    }
    eprintln!(
        "syzkaller corpus: {reports} crash reports; {naming} name a source file; attributed: \
         {by_file} by the file they blame, {by_frame} by a frame (kernel tree {}), {by_generic} \
         by a generic file only",
        if tree.is_some() { "given" } else { "absent" }
    );
    assert!(reports >= 45 && naming >= 9, "{reports} {naming}");
    if tree.is_some() {
        // Every report that names a file ends up with a maintained section.
        assert!(by_file + by_frame + by_generic >= naming, "{naming}");
    }
}

#[test]
fn cip_panic_lines_name_no_file_and_blame_none() {
    let Some(real) = realdata_dir() else {
        return;
    };
    let text = std::fs::read_to_string(real.join("cip/kernel-panics.tsv")).unwrap();
    let mut panics = 0;
    for line in text.lines().skip(1) {
        let msg = line.rsplit('\t').next().unwrap();
        let log = format!(
            "[    3.0] {}",
            msg.trim_start_matches(|c: char| c == '['
                || c.is_ascii_digit()
                || c == '.'
                || c == ']'
                || c == ' ')
        );
        if let Some((_, lines)) = regtrack::crash::first_report(&log) {
            panics += 1;
            assert_eq!(
                regtrack::route::evidence::blamed_file(&lines, false, &|_| None),
                None,
                "{msg}"
            );
        }
    }
    assert!(panics > 400, "{panics}");
}

// ------------------------------------------------------------------------------------------
// A real repository.

fn git(repo: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(repo)
        .args(args)
        .env("GIT_AUTHOR_DATE", "2026-11-01T12:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-01T12:00:00Z")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A small kernel-like history: each commit touches one file MAINTAINERS names. Returns the
/// commit hashes, oldest first.
fn make_repo(repo: &Path) -> Vec<String> {
    std::fs::create_dir_all(repo).unwrap();
    git(repo, &["init", "-q", "-b", "master"]);
    git(repo, &["config", "user.name", "Test Author"]);
    git(repo, &["config", "user.email", "author@example.org"]);
    let steps: [(&str, &str); 9] = [
        ("README", "base"),
        ("Documentation/process/howto.rst", "docs: howto"),
        (
            "drivers/net/ethernet/stmicro/stmmac/dwmac-sun8i.c",
            "net: stmmac: sun8i fix",
        ),
        ("net/tls/tls_main.c", "tls: tidy tls_main"),
        ("net/tls/tls_sw.c", "tls: rework tls_sw_recvmsg"),
        ("kernel/time/posix-timers.c", "posix-timers: cleanup"),
        ("README", "readme"),
        ("mm/vmscan.c", "mm: vmscan tweak"),
        ("fs/ext4/inode.c", "ext4: inode fix"),
    ];
    let mut out = Vec::new();
    for (i, (file, subject)) in steps.iter().enumerate() {
        let p = repo.join(file);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, format!("{subject} {i}\n")).unwrap();
        git(repo, &["add", file]);
        git(repo, &["commit", "-q", "-m", subject]);
        out.push(git(repo, &["rev-parse", "HEAD"]));
    }
    out
}

const WARNING: &str = "[  265.647145] ------------[ cut here ]------------\n\
[  265.647387] WARNING: CPU: 0 PID: 7718 at net/tls/tls_sw.c:2123 tls_sw_recvmsg+0x20e/0x3af\n\
[  265.647487] Modules linked in: tls\n\
[  265.649982] Call Trace:\n\
[  265.651216]  inet_recvmsg+0x1d7/0x27a\n\
[  265.651615]  sock_recvmsg+0x129/0x229\n\
[  265.653487] ---[ end trace 0000000000000000 ]---\n";

/// Night `n` (1-based): checkout of `commit`, tested on `boards` with `status` for the TLS
/// test (other tests pass).
fn night(dir: &Path, n: u32, commit: &str, runs: &[(&str, &str)]) {
    let time = format!("2026-11-{n:02}T08:00:00+00:00");
    let (mut builds, mut tests) = (Vec::new(), Vec::new());
    for (board, status) in runs {
        let build = format!("t:b{n}-{board}");
        builds.push(
            json!({"id": build, "checkout_id": format!("t:c{n}"), "origin": "t",
            "architecture": "arm64", "config_name": "defconfig", "compiler": "gcc-14",
            "status": "PASS", "start_time": time}),
        );
        for (i, t) in ["kselftest.net.tls", "kselftest.a", "kselftest.b", "ltp.c"]
            .iter()
            .enumerate()
        {
            let st = if i == 0 { *status } else { "PASS" };
            let mut test = json!({"id": format!("t:{n}-{board}-{i}"), "build_id": build,
                "origin": "t", "path": t, "status": st, "start_time": time,
                "environment": {"misc": {"platform": board}}, "misc": {"runtime": "lab-a"}});
            if st == "FAIL" {
                test["log_excerpt"] = json!(WARNING);
            }
            tests.push(test);
        }
    }
    let doc = json!({"version": {"major": 5, "minor": 3},
        "checkouts": [{"id": format!("t:c{n}"), "origin": "t", "tree_name": "mainline",
            "git_repository_url": "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git",
            "git_repository_branch": "master", "git_commit_hash": commit,
            "start_time": time}],
        "builds": builds, "tests": tests});
    std::fs::write(
        dir.join(format!("2026-11-{n:02}.json")),
        serde_json::to_vec_pretty(&doc).unwrap(),
    )
    .unwrap();
}

/// Boards A and B test different commits: A passes c3 and first fails on c6, B passes c2 and
/// first fails on c5. Only c4 and c5 are in both windows.
fn history(dir: &Path, c: &[String]) {
    std::fs::create_dir_all(dir).unwrap();
    night(dir, 1, &c[0], &[("board-a", "PASS"), ("board-b", "PASS")]);
    night(dir, 2, &c[1], &[("board-a", "PASS"), ("board-b", "PASS")]);
    night(dir, 3, &c[2], &[("board-b", "PASS")]);
    night(dir, 4, &c[3], &[("board-a", "PASS")]);
    night(dir, 5, &c[5], &[("board-b", "FAIL")]);
    night(dir, 6, &c[6], &[("board-a", "FAIL"), ("board-b", "FAIL")]);
    night(dir, 7, &c[7], &[("board-a", "FAIL"), ("board-b", "FAIL")]);
    night(dir, 8, &c[8], &[("board-a", "FAIL"), ("board-b", "FAIL")]);
}

#[test]
fn suspects_come_from_the_narrowed_window_and_the_blamed_file_ranks_first() {
    let Some(mpath) = maintainers_path() else {
        return;
    };
    let root = scratch("routing_git");
    let repo = root.join("linux");
    let c = make_repo(&repo);
    let results = root.join("results");
    history(&results, &c);
    let mut ledger = Ledger::default();
    let mut report = build_report(
        std::slice::from_ref(&results),
        None,
        Default::default(),
        &mut ledger,
    );
    let router = Router::load(&RouteOptions {
        maintainers: Some(mpath.clone()),
        kernel_git: Some(repo.clone()),
        ..Default::default()
    });
    assert!(router.diagnostics.is_empty(), "{:?}", router.diagnostics);
    report.route(&router);
    let r = report
        .regressions
        .iter()
        .find(|r| r.tests.contains(&"kselftest.net.tls".to_string()))
        .expect("the TLS regression");
    let route = report.routing.as_ref().unwrap().get(&r.id).unwrap();
    assert_eq!(route.attributed_by, Some(Evidence::CrashFile));
    assert_eq!(route.subsystems[0].name, "NETWORKING [TLS]");
    assert_eq!(
        route.subsystems[0].file.as_deref(),
        Some("net/tls/tls_sw.c")
    );
    assert!(
        route
            .lists
            .iter()
            .any(|l| l.address == "netdev@vger.kernel.org")
    );
    let s = route.suspects.as_ref().unwrap();
    assert_eq!(s.problem, None);
    // c3..c5: narrower than either board's own window.
    assert_eq!(s.good, [c[3].clone()]);
    assert_eq!(s.bad, [c[5].clone()]);
    assert_eq!(s.commits, 2);
    assert_eq!(
        s.top[0].commit, c[4],
        "the commit touching the blamed file ranks first"
    );
    assert_eq!(s.top[0].reason, "touches net/tls/tls_sw.c");
    assert_eq!(s.top[0].subject, "tls: rework tls_sw_recvmsg");
    assert_eq!(s.top[0].author, "Test Author <author@example.org>");
    assert!(
        s.top[0]
            .url
            .as_deref()
            .unwrap()
            .ends_with(&format!("/commit/?id={}", c[4]))
    );
    assert_eq!(s.top[1].commit, c[5]);
    assert_eq!(s.touching_files, 1);
    assert_eq!(
        s.regzbot.as_deref(),
        Some(format!("#regzbot introduced: {}..{}", &c[3][..12], &c[5][..12]).as_str())
    );
    assert_eq!(
        s.bisect.as_deref(),
        Some(format!("git bisect start {} {}", &c[5][..12], &c[3][..12]).as_str())
    );

    // A commit touching only the subsystem ranks above unrelated ones: put tls_main.c (c3)
    // in the window by leaving board A's pass on c3 out.
    let mut report = build_report(
        std::slice::from_ref(&results),
        None,
        Default::default(),
        &mut Ledger::default(),
    );
    for r in &mut report.regressions {
        for o in &mut r.occurrences {
            if o.platform == "board-a" {
                o.last_pass_commit = Some(c[1].clone());
            }
        }
    }
    report.route(&router);
    let r = &report.regressions[0];
    let s = report
        .routing
        .as_ref()
        .unwrap()
        .get(&r.id)
        .unwrap()
        .suspects
        .clone()
        .unwrap();
    let order: Vec<&str> = s.top.iter().map(|t| t.commit.as_str()).collect();
    assert_eq!(order, [c[4].as_str(), c[3].as_str(), c[5].as_str()]);
    assert_eq!(s.top[1].reason, "touches NETWORKING [TLS]");

    // The same through the command line: the page and the export say it.
    let site = root.join("site");
    let out = Command::new(regtrack_bin())
        .args(["build", "--no-cache", "--results"])
        .arg(&results)
        .arg("--out")
        .arg(&site)
        .arg("--maintainers")
        .arg(&mpath)
        .arg("--kernel-git")
        .arg(&repo)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("routing: 1 of 1 regressions (100%) attributed to a subsystem (by crash-file 1); 1 with suspect commits"),
        "{stderr}"
    );
    let export: Value =
        serde_json::from_slice(&std::fs::read(site.join("api/v1/regressions.json")).unwrap())
            .unwrap();
    let e = &export["regressions"][0];
    assert_eq!(e["subsystems"][0]["name"], "NETWORKING [TLS]");
    assert_eq!(e["subsystems"][0]["evidence"], "crash-file");
    assert_eq!(e["suspects"]["top"][0]["commit"], c[4].as_str());
    let page =
        std::fs::read_to_string(site.join(format!("r/{}/index.html", e["id"].as_str().unwrap())))
            .unwrap();
    assert!(
        page.contains("1 of 2 commits touch net/tls/tls_sw.c"),
        "{page}"
    );
    assert!(page.contains(&format!(
        "#regzbot introduced: {}..{}",
        &c[3][..12],
        &c[5][..12]
    )));
    assert!(page.contains("tls: rework tls_sw_recvmsg"));
    assert!(site.join("s/networking-tls/index.html").is_file());
    let sub = std::fs::read_to_string(site.join("s/networking-tls/index.html")).unwrap();
    assert!(sub.contains(e["id"].as_str().unwrap()) && sub.contains("board-a"));
}

#[test]
fn missing_commits_and_shallow_clones_are_said_not_fatal() {
    let Some(mpath) = maintainers_path() else {
        return;
    };
    let root = scratch("routing_git_problems");
    let repo = root.join("linux");
    let c = make_repo(&repo);
    let results = root.join("results");
    history(&results, &c);
    // A shallow clone holding the last two commits: the window's base is not in it.
    let shallow = root.join("shallow");
    git(
        &root,
        &[
            "clone",
            "-q",
            "--depth",
            "2",
            &format!("file://{}", repo.display()),
            shallow.to_str().unwrap(),
        ],
    );
    // Another repository: none of the commits are in it.
    let other = root.join("other");
    make_repo_with_other_history(&other);
    for (dir, diag, problem) in [
        (
            &shallow,
            Some("shallow clone"),
            "not in the clone (it is a shallow clone)",
        ),
        (&other, None, "the window's commits are not in the clone"),
    ] {
        let mut report = build_report(
            std::slice::from_ref(&results),
            None,
            Default::default(),
            &mut Ledger::default(),
        );
        let router = Router::load(&RouteOptions {
            maintainers: Some(mpath.clone()),
            kernel_git: Some(dir.clone()),
            ..Default::default()
        });
        let texts: Vec<String> = router.diagnostics.iter().map(|d| d.to_string()).collect();
        match diag {
            Some(d) => assert!(texts.len() == 1 && texts[0].contains(d), "{texts:?}"),
            None => assert!(texts.is_empty(), "{texts:?}"),
        }
        report.route(&router);
        let route = report
            .routing
            .as_ref()
            .unwrap()
            .get(&report.regressions[0].id)
            .unwrap();
        // Attribution does not depend on git.
        assert_eq!(route.subsystems[0].name, "NETWORKING [TLS]");
        let s = route.suspects.as_ref().unwrap();
        assert!(s.problem.as_deref().unwrap().contains(problem), "{s:?}");
        assert!(s.top.is_empty());
    }
}

#[test]
fn a_folder_that_is_not_a_repository_is_one_warning() {
    let Some(mpath) = maintainers_path() else {
        return;
    };
    // An empty folder (inside this worktree's repository, which must not be taken for the
    // kernel's).
    let root = scratch("routing_not_a_repo");
    let plain = root.join("plain");
    std::fs::create_dir_all(&plain).unwrap();
    let router = Router::load(&RouteOptions {
        maintainers: Some(mpath),
        kernel_git: Some(plain),
        ..Default::default()
    });
    let texts: Vec<String> = router.diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(
        texts[0].contains("kernel git: not a git repository")
            && texts[0].contains("no suspect commits"),
        "{texts:?}"
    );
    assert!(router.git.is_none() && router.maintainers.is_some());
}

fn make_repo_with_other_history(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    git(dir, &["init", "-q", "-b", "master"]);
    git(dir, &["config", "user.name", "Other"]);
    git(dir, &["config", "user.email", "other@example.org"]);
    std::fs::write(dir.join("x"), "x").unwrap();
    git(dir, &["add", "x"]);
    git(dir, &["commit", "-q", "-m", "other"]);
}

#[test]
fn bad_routing_input_gets_one_diagnostic_each_and_the_site_is_built() {
    let Some(mpath) = maintainers_path() else {
        return;
    };
    let root = scratch("routing_bad_input");
    let results = root.join("results");
    let c: Vec<String> = (0..9).map(|i| format!("{:040x}", i + 1)).collect();
    history(&results, &c);
    // MAINTAINERS: the real TLS section, then a malformed line, an unknown tag, a pattern
    // that matches nothing in the tree below.
    let real = std::fs::read_to_string(&mpath).unwrap();
    let tls = real
        .split("\n\n")
        .find(|s| s.starts_with("NETWORKING [TLS]"))
        .unwrap();
    let bad = root.join("MAINTAINERS");
    std::fs::write(
        &bad,
        format!(
            "{tls}\nthis line is junk\nZ:\tunknown tag\n\nGHOST DRIVER\nM:\tA <a@example.org>\nF:\tdrivers/ghost/\n\n\
             EVIL <script>alert(1)</script> \"DRIVER\"\nM:\tX <x@example.org> <img src=x onerror=alert(2)>\nL:\tjavascript:alert(3)\nW:\tjavascript:alert(4)\nF:\tnet/tls/\n"
        ),
    )
    .unwrap();
    // A "kernel tree" with no KUnit suite in it.
    let tree = root.join("tree");
    std::fs::create_dir_all(tree.join("arch")).unwrap();
    std::fs::create_dir_all(tree.join("net/tls")).unwrap();
    std::fs::write(tree.join("Makefile"), "VERSION = 6\n").unwrap();
    for h in ["include/net/tls.h", "include/uapi/linux/tls.h"] {
        std::fs::create_dir_all(tree.join(h).parent().unwrap()).unwrap();
        std::fs::write(tree.join(h), "").unwrap();
    }
    std::fs::write(
        tree.join("net/tls/tls_sw.c"),
        "int tls_sw_recvmsg(void)\n{\n\treturn 0;\n}\n",
    )
    .unwrap();
    let owners = root.join("content");
    std::fs::create_dir_all(&owners).unwrap();
    std::fs::write(
        owners.join("test-owners.toml"),
        "[[owner]]\ntest = \"ltp.*\"\nsection = \"NO SUCH SECTION\"\n\n[[owner]]\ntset = 1\n",
    )
    .unwrap();
    let site = root.join("site");
    let out = Command::new(regtrack_bin())
        .args(["build", "--no-cache", "--results"])
        .arg(&results)
        .arg("--out")
        .arg(&site)
        .arg("--content")
        .arg(&owners)
        .arg("--maintainers")
        .arg(&bad)
        .arg("--kernel-source")
        .arg(&tree)
        .arg("--kernel-git")
        .arg(root.join("not-a-repo"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect();
    let expect = [
        format!("{}: line ", bad.display()),
        "not a `X:` tag line".into(),
        "unknown tag `Z:`".into(),
        "\"drivers/ghost/\" matches no file in the kernel tree".into(),
        "no KUnit suite found".into(),
        "test-owners.toml: line 5, column 1".into(),
        "no MAINTAINERS section is called \"NO SUCH SECTION\"".into(),
        "not-a-repo: kernel git: not a folder; no suspect commits".into(),
    ];
    for e in &expect {
        assert!(
            warnings.iter().any(|w| w.contains(e.as_str())),
            "missing {e:?} in {warnings:#?}"
        );
    }
    // One each: the TLS section's own patterns match (no warning for them).
    assert_eq!(warnings.len(), 7, "{warnings:#?}");
    // The rest of the attribution still happens, from the good section and the tree.
    assert!(
        stderr.contains("routing: 1 of 1 regressions (100%)"),
        "{stderr}"
    );
    let export: Value =
        serde_json::from_slice(&std::fs::read(site.join("api/v1/regressions.json")).unwrap())
            .unwrap();
    assert_eq!(
        export["regressions"][0]["subsystems"][0]["name"],
        "NETWORKING [TLS]"
    );
    assert!(site.join("index.html").is_file() && site.join("s/index.html").is_file());
    let input = std::fs::read_to_string(site.join("input/index.html")).unwrap();
    assert!(input.contains("unknown tag"));
    // A hostile section title and entries stay text: a safe slug, escaped everywhere, never
    // a link.
    let evil = site.join("s/evil-script-alert-1-script-driver/index.html");
    let page = std::fs::read_to_string(&evil).unwrap();
    assert!(page.contains("EVIL &lt;script&gt;alert(1)&lt;/script&gt; &quot;DRIVER&quot;"));
    for html in [
        page,
        std::fs::read_to_string(site.join("s/index.html")).unwrap(),
        std::fs::read_to_string(site.join(format!(
            "r/{}/index.html",
            export["regressions"][0]["id"].as_str().unwrap()
        )))
        .unwrap(),
    ] {
        assert!(!html.contains("<script>alert") && !html.contains("<img src=x"));
        assert!(!html.contains("href=\"javascript:"));
    }

    // A MAINTAINERS path that does not exist: one diagnostic, the site still built.
    let out = Command::new(regtrack_bin())
        .args(["build", "--no-cache", "--results"])
        .arg(&results)
        .arg("--out")
        .arg(root.join("site2"))
        .arg("--maintainers")
        .arg(root.join("nope/MAINTAINERS"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("nope/MAINTAINERS: cannot read the MAINTAINERS file"),
        "{stderr}"
    );
    assert!(stderr.contains("routing: 0 of 1 regressions"), "{stderr}");
    assert!(root.join("site2/index.html").is_file());
}

#[test]
fn a_routed_demo_is_byte_identical_wherever_it_is_built() {
    let Some(mpath) = maintainers_path() else {
        return;
    };
    let tree = kernel_source_dir();
    // The first build indexes the kernel tree into this cache, the second reads it back: the
    // two sites must not differ either.
    let cache = scratch("routed_demo_cache");
    let build = |name: &str| {
        let dir = scratch(name);
        let mut c = Command::new(regtrack_bin());
        c.env("REGTRACK_CACHE_DIR", &cache);
        c.args(["demo", "--out"])
            .arg(&dir)
            .arg("--maintainers")
            .arg(&mpath);
        if let Some(t) = &tree {
            c.arg("--kernel-source").arg(t);
        }
        let out = c.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(out.status.success(), "{stderr}");
        (files_under(&dir.join("site")), stderr)
    };
    let (a, stderr) = build("routed_demo_a");
    let (b, _) = build("routed_demo_b");
    if tree.is_some() {
        assert!(
            cache.join("kernel-source").is_dir(),
            "the tree's index is cached"
        );
    }
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs");
    }
    // Every planted regression whose evidence names kernel code is routed, each by its own
    // kind of evidence: the crash file, crash frames and the KUnit suite (both need the tree),
    // the kselftest folder, the demo's test-owners.toml. The boot failure names nothing and no
    // owner rule covers mq_timedreceive01: those two stay unrouted (and so do the intermittent
    // test's false alarms, whatever their number).
    let export: serde_json::Value = serde_json::from_slice(&a["api/v1/regressions.json"]).unwrap();
    let by_title = |prefix: &str| -> Vec<Option<String>> {
        export["regressions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["title"].as_str().unwrap().starts_with(prefix))
            .map(|r| r["attributed_by"].as_str().map(str::to_string))
            .collect()
    };
    let mut want = vec![
        ("WARNING in tls_sw_recvmsg", "crash-file"),
        ("kselftest.mm.ksm_functional_tests", "kselftest"),
        ("kselftest.seccomp.seccomp_bpf", "kselftest"),
        ("ltp.dio fails", "test-owners"),
        ("ltp.syscalls.fanotify22", "test-owners"),
        ("ltp.fs.fs_inod01", "test-owners"),
    ];
    if tree.is_some() {
        want.extend([
            ("BUG: unable to handle kernel NULL pointer", "crash-frame"),
            ("BUG: sleeping function called", "crash-frame"),
            ("kunit.overflow.shift_sane_test", "kunit-suite"),
        ]);
    }
    for (title, evidence) in want {
        let found = by_title(title);
        assert_eq!(found, vec![Some(evidence.to_string())], "{title}");
    }
    for title in ["boot fails", "ltp.syscalls.mq_timedreceive01"] {
        let found = by_title(title);
        assert!(
            !found.is_empty() && found.iter().all(Option::is_none),
            "{title}: {found:?}"
        );
    }
    assert!(stderr.contains("routing: "), "{stderr}");
    assert!(a.contains_key("s/networking-tls/index.html") && a.contains_key("s/index.html"));
}
