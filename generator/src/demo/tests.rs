//! Checks of the generated history against what the module documentation promises: every
//! failure explained by a planted situation, the ground truth matching the data, determinism.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde_json::Value;

use super::planted::{
    FIXED_FROM, FIXED_UNTIL, FLAKY_BOARD, MANY_BOARDS_FROM, OUTAGE_DAY, OUTAGE_LAB, SIGNATURE_TLS,
    SINGLE_ARCH_FROM, SINGLE_BOARD, SINGLE_BOARD_FROM, SINGLE_COMPILER_FROM, TEST_EMERG,
    TEST_FANOTIFY, TEST_KVM, TEST_POSIX_TIMERS, TEST_SETSOCKOPT, TEST_SHIFT, TEST_TLS, TEST_UDPGSO,
    flaky_board_may_fail,
};
use super::tables::{BOARDS, CLABBE, CLANG, GCC};
use super::*;

fn demo() -> &'static Demo {
    static D: OnceLock<Demo> = OnceLock::new();
    D.get_or_init(|| generate(&DemoConfig::default()))
}

/// A test row joined with its build and checkout.
#[derive(Debug, Clone)]
struct Row {
    id: String,
    path: String,
    status: Option<String>,
    platform: String,
    lab: String,
    arch: String,
    compiler: String,
    tree: String,
    commit: String,
    rel: i64,
    excerpt: Option<String>,
}

struct Parsed {
    rows: Vec<Row>,
    issues: Vec<Value>,
    incidents: Vec<Value>,
    /// tree name -> rel day -> commit hash
    commits: BTreeMap<String, BTreeMap<i64, String>>,
}

fn parsed() -> &'static Parsed {
    static P: OnceLock<Parsed> = OnceLock::new();
    P.get_or_init(|| parse(demo(), DemoConfig::default().end_date))
}

fn s(v: &Value, k: &str) -> String {
    v.get(k)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn parse(d: &Demo, end: NaiveDate) -> Parsed {
    let mut checkouts = BTreeMap::new();
    let mut builds = BTreeMap::new();
    let mut tests = Vec::new();
    let mut issues = Vec::new();
    let mut incidents = Vec::new();
    let mut commits: BTreeMap<String, BTreeMap<i64, String>> = BTreeMap::new();
    for f in &d.files {
        let v: Value = serde_json::from_str(&f.contents).expect("valid JSON");
        assert_eq!(v["version"]["major"], 5);
        assert_eq!(v["version"]["minor"], 3);
        for c in v["checkouts"].as_array().into_iter().flatten() {
            let date = NaiveDate::parse_from_str(&s(c, "start_time")[..10], "%Y-%m-%d").unwrap();
            let rel = (date - end).num_days();
            let prev = commits
                .entry(s(c, "tree_name"))
                .or_default()
                .insert(rel, s(c, "git_commit_hash"));
            // Both origins check out the same commit of a tree on a day.
            assert!(prev.is_none_or(|h| h == s(c, "git_commit_hash")));
            checkouts.insert(
                s(c, "id"),
                (s(c, "tree_name"), s(c, "git_commit_hash"), rel),
            );
        }
        for b in v["builds"].as_array().into_iter().flatten() {
            builds.insert(s(b, "id"), b.clone());
        }
        tests.extend(v["tests"].as_array().into_iter().flatten().cloned());
        issues.extend(v["issues"].as_array().into_iter().flatten().cloned());
        incidents.extend(v["incidents"].as_array().into_iter().flatten().cloned());
    }
    let rows = tests
        .iter()
        .map(|t| {
            let b = &builds[&s(t, "build_id")];
            let (tree, commit, rel) = checkouts[&s(b, "checkout_id")].clone();
            Row {
                id: s(t, "id"),
                path: s(t, "path"),
                status: t.get("status").and_then(Value::as_str).map(str::to_string),
                platform: s(&t["environment"]["misc"], "platform"),
                lab: s(&t["misc"], "runtime"),
                arch: s(b, "architecture"),
                compiler: s(b, "compiler"),
                tree,
                commit,
                rel,
                excerpt: t
                    .get("log_excerpt")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            }
        })
        .collect();
    Parsed {
        rows,
        issues,
        incidents,
        commits,
    }
}

fn done(p: &Parsed) -> impl Iterator<Item = &Row> {
    p.rows.iter().filter(|r| r.status.is_some())
}

fn situation(name: &str) -> &'static Situation {
    demo()
        .truth
        .situations
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("situation {name}"))
}

#[test]
fn deterministic() {
    let a = generate(&DemoConfig::default());
    assert_eq!(&a, demo());
    let ta = serde_json::to_string(&a.truth).unwrap();
    let tb = serde_json::to_string(&demo().truth).unwrap();
    assert_eq!(ta, tb);
}

#[test]
fn seeds_differ() {
    let other = generate(&DemoConfig {
        seed: 2,
        ..DemoConfig::default()
    });
    assert_eq!(other.files.len(), demo().files.len());
    let same = other
        .files
        .iter()
        .zip(&demo().files)
        .filter(|(a, b)| a.contents == b.contents)
        .count();
    assert_eq!(same, 0);
    assert_ne!(
        other.truth.situations[0].first_fail_commit,
        demo().truth.situations[0].first_fail_commit
    );
}

#[test]
fn files_and_sizes() {
    let d = demo();
    let cfg = DemoConfig::default();
    // 14 days x 2 origins
    assert_eq!(d.files.len(), 28);
    assert_eq!(d.files[0].rel_path, "2026-11-07/linaro.json");
    assert_eq!(d.files.last().unwrap().rel_path, "2026-11-20/maestro.json");
    let mut sorted: Vec<&str> = d.files.iter().map(|f| f.rel_path.as_str()).collect();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        d.files
            .iter()
            .map(|f| f.rel_path.as_str())
            .collect::<Vec<_>>()
    );
    let rows = parsed().rows.len();
    assert!((30_000..=60_000).contains(&rows), "{rows} test rows");
    assert!(d.total_bytes() < 80 << 20, "{} bytes", d.total_bytes());
    assert_eq!(cfg.days, 14);
}

#[test]
fn scale_grows_linearly() {
    let d2 = generate(&DemoConfig {
        scale: 2,
        ..DemoConfig::default()
    });
    let count = |d: &Demo| -> usize {
        d.files
            .iter()
            .map(|f| {
                f.contents
                    .lines()
                    .filter(|l| l.contains("\"build_id\":"))
                    .count()
            })
            .sum()
    };
    let (a, b) = (count(demo()), count(&d2));
    assert!(b > a * 19 / 10 && b < a * 21 / 10, "{a} -> {b}");
    // Clones do not inherit single-board roles.
    let s2 = d2
        .truth
        .situations
        .iter()
        .find(|s| s.name == "single-board-regression")
        .unwrap();
    assert_eq!(s2.platforms, vec![SINGLE_BOARD.to_string()]);
    let s1 = d2
        .truth
        .situations
        .iter()
        .find(|s| s.name == "many-boards-regression")
        .unwrap();
    assert!(s1.platforms.contains(&"rk3399-gru-kevin-2".to_string()));
}

#[test]
fn short_history_is_raised() {
    let d = generate(&DemoConfig {
        days: 3,
        ..DemoConfig::default()
    });
    assert_eq!(d.files.len(), 2 * MIN_DAYS as usize);
    assert_eq!(d.truth.regressions().count(), 5);
    assert!(d.truth.regressions().all(|s| s.last_pass_commit.is_some()));
}

#[test]
fn kcidb_shapes() {
    let is_id = |x: &str| {
        let (o, rest) = x.split_once(':').unwrap_or(("", ""));
        !o.is_empty()
            && !rest.is_empty()
            && o.bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
    };
    let is_path = |x: &str| {
        x.split('.').all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        })
    };
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &parsed().rows {
        assert!(is_id(&r.id), "{}", r.id);
        assert!(is_path(&r.path), "{}", r.path);
        assert!(r.excerpt.as_ref().is_none_or(|e| e.len() <= 16384));
        *seen.entry(&r.id).or_default() += 1;
    }
    // Duplicated ids are the boot nodes sent twice (first without a status).
    for (id, n) in seen {
        if n > 1 {
            assert_eq!(n, 2, "{id}");
            let recs: Vec<&Row> = parsed().rows.iter().filter(|r| r.id == id).collect();
            assert!(recs[0].status.is_none() && recs[1].status.is_some());
            assert_eq!(recs[0].path, "boot");
        }
    }
    for (tree, by_day) in &parsed().commits {
        for h in by_day.values() {
            assert_eq!(h.len(), 40, "{tree}");
            assert!(
                h.bytes()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
            );
        }
    }
}

#[test]
fn every_failure_is_explained() {
    let p = parsed();
    for r in done(p) {
        let st = r.status.as_deref().unwrap();
        match st {
            "PASS" | "SKIP" => {}
            "ERROR" | "MISS" => {
                assert_eq!(r.lab, OUTAGE_LAB);
                assert_eq!(r.rel, i64::from(OUTAGE_DAY));
                assert_eq!(st == "ERROR", r.path == "boot");
            }
            "FAIL" => {
                let explained = (r.tree == "mainline"
                    && r.rel >= i64::from(MANY_BOARDS_FROM)
                    && (r.path == TEST_TLS || r.path == TEST_SETSOCKOPT))
                    || (r.tree == "mainline"
                        && r.rel >= i64::from(SINGLE_COMPILER_FROM)
                        && r.path == TEST_SHIFT
                        && r.compiler == CLANG)
                    || (r.tree == "mainline"
                        && r.rel >= i64::from(SINGLE_ARCH_FROM)
                        && r.path == TEST_POSIX_TIMERS
                        && r.arch == "riscv")
                    || (r.tree == "next"
                        && r.rel >= i64::from(SINGLE_BOARD_FROM)
                        && r.path == TEST_EMERG
                        && r.platform == SINGLE_BOARD)
                    || (r.tree == "next"
                        && (i64::from(FIXED_FROM)..=i64::from(FIXED_UNTIL)).contains(&r.rel)
                        && r.path == TEST_FANOTIFY)
                    || r.path == TEST_UDPGSO
                    || (r.path == TEST_KVM && r.arch == "arm64")
                    || r.platform == FLAKY_BOARD;
                assert!(explained, "unexplained failure {r:?}");
                assert!(
                    r.excerpt.as_ref().is_some_and(|e| e.len() > 100),
                    "{}",
                    r.id
                );
            }
            other => panic!("status {other}"),
        }
    }
}

/// Every run of `path` on `tree` (ignoring MISS) fails iff `fails(row)`.
fn check_series(path: &str, tree: &str, fails: impl Fn(&Row) -> bool) -> usize {
    let mut n_fail = 0;
    for r in done(parsed()).filter(|r| r.path == path && r.tree == tree) {
        let st = r.status.as_deref().unwrap();
        if st == "MISS" || st == "SKIP" {
            continue;
        }
        if fails(r) {
            assert_eq!(st, "FAIL", "{r:?}");
            n_fail += 1;
        } else if r.platform != FLAKY_BOARD || !flaky_board_may_fail(path) {
            assert_eq!(st, "PASS", "{r:?}");
        }
    }
    n_fail
}

#[test]
fn many_boards_regression() {
    let s = situation("many-boards-regression");
    assert_eq!(s.expected_status.as_deref(), Some("ongoing"));
    assert_eq!(
        s.tests,
        vec![TEST_TLS.to_string(), TEST_SETSOCKOPT.to_string()]
    );
    assert_eq!(s.signature.as_deref(), Some(SIGNATURE_TLS));
    let c = &parsed().commits["mainline"];
    assert_eq!(
        s.first_fail_commit.as_ref(),
        c.get(&i64::from(MANY_BOARDS_FROM))
    );
    assert_eq!(
        s.last_pass_commit.as_ref(),
        c.get(&i64::from(MANY_BOARDS_FROM - 1))
    );
    let a = check_series(TEST_TLS, "mainline", |r| {
        r.rel >= i64::from(MANY_BOARDS_FROM)
    });
    let b = check_series(TEST_SETSOCKOPT, "mainline", |r| {
        r.rel >= i64::from(MANY_BOARDS_FROM)
    });
    let first = s.first_fail_commit.as_deref().unwrap();
    assert!(
        done(parsed())
            .filter(|r| r.commit == first && r.path == TEST_TLS)
            .all(|r| r.rel == i64::from(MANY_BOARDS_FROM)
                && matches!(r.status.as_deref(), Some("FAIL" | "MISS")))
    );
    assert!(a > 100 && b > 50, "{a} {b}");
    for tree in ["next", "stable", "kernelci"] {
        check_series(TEST_TLS, tree, |_| false);
    }
    // Every board that runs either test is affected, on all four arches.
    let boards: BTreeSet<&str> = parsed()
        .rows
        .iter()
        .filter(|r| r.tree == "mainline" && (r.path == TEST_TLS || r.path == TEST_SETSOCKOPT))
        .map(|r| r.platform.as_str())
        .collect();
    assert_eq!(boards.len(), s.platforms.len());
    assert!(boards.len() > 25);
    // Splats differ per board/run but carry the same function.
    let ex: BTreeSet<&str> = parsed()
        .rows
        .iter()
        .filter(|r| {
            r.tree == "mainline" && r.path == TEST_TLS && r.status.as_deref() == Some("FAIL")
        })
        .map(|r| r.excerpt.as_deref().unwrap())
        .collect();
    assert!(ex.len() > 100);
    assert!(ex.iter().all(|e| e.contains("WARNING: CPU: ")
        && e.contains("at net/tls/tls_sw.c:2123 tls_sw_recvmsg+0x")));
    // The issue and its incidents.
    let p = parsed();
    assert_eq!(p.issues.len(), 1);
    let issue_id = s_of(&p.issues[0], "id");
    assert_eq!(p.issues[0]["version"], 1);
    assert!(
        p.issues[0]["report_url"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    assert!(p.incidents.len() > 20);
    let failing: BTreeSet<&str> = p
        .rows
        .iter()
        .filter(|r| r.path == TEST_TLS && r.status.as_deref() == Some("FAIL"))
        .map(|r| r.id.as_str())
        .collect();
    for inc in &p.incidents {
        assert_eq!(s_of(inc, "issue_id"), issue_id);
        assert_eq!(inc["present"], true);
        assert!(failing.contains(inc["test_id"].as_str().unwrap()));
    }
}

fn s_of(v: &Value, k: &str) -> String {
    s(v, k)
}

#[test]
fn single_board_regression() {
    let s = situation("single-board-regression");
    assert_eq!(s.expected_status.as_deref(), Some("new"));
    assert_eq!(s.platforms, vec![SINGLE_BOARD.to_string()]);
    assert_eq!(s.labs, vec![CLABBE.to_string()]);
    let n = check_series(TEST_EMERG, "next", |r| {
        r.rel >= 0 && r.platform == SINGLE_BOARD
    });
    assert_eq!(n, 2); // gcc and clang builds
    let ex = done(parsed())
        .find(|r| r.path == TEST_EMERG && r.status.as_deref() == Some("FAIL"))
        .and_then(|r| r.excerpt.clone())
        .unwrap();
    assert!(ex.contains(
        "Unable to handle kernel NULL pointer dereference at virtual address 0000000000000010"
    ));
    assert!(ex.contains("pc : sun8i_dwmac_set_syscon+0x"));
    check_series(TEST_EMERG, "mainline", |_| false);
}

#[test]
fn single_compiler_regression() {
    let s = situation("single-compiler-regression");
    assert_eq!(s.scope.as_deref(), Some("compiler"));
    let n = check_series(TEST_SHIFT, "mainline", |r| {
        r.rel >= i64::from(SINGLE_COMPILER_FROM) && r.compiler == CLANG
    });
    assert!(n > 50, "{n}");
    // Every board that ran a clang build ran the test (and so failed).
    let clang_boards: BTreeSet<&str> = done(parsed())
        .filter(|r| r.tree == "mainline" && r.compiler == CLANG)
        .map(|r| r.platform.as_str())
        .collect();
    let failed: BTreeSet<&str> = s.platforms.iter().map(String::as_str).collect();
    assert_eq!(clang_boards, failed);
    // gcc runs of it exist and pass.
    assert!(
        done(parsed()).any(|r| r.path == TEST_SHIFT && r.compiler == GCC && r.tree == "mainline")
    );
    for def in BOARDS {
        assert!(
            !def.flags.contains('C') || def.flags.contains('U'),
            "{}",
            def.name
        );
    }
}

#[test]
fn fixed_regression() {
    let s = situation("fixed-regression");
    assert_eq!(s.expected_status.as_deref(), Some("fixed"));
    let c = &parsed().commits["next"];
    assert_eq!(s.fix_commit.as_ref(), c.get(&i64::from(FIXED_UNTIL + 1)));
    assert_eq!(s.first_fail_commit.as_ref(), c.get(&i64::from(FIXED_FROM)));
    let n = check_series(TEST_FANOTIFY, "next", |r| {
        (i64::from(FIXED_FROM)..=i64::from(FIXED_UNTIL)).contains(&r.rel)
    });
    assert!(n > 50, "{n}");
    assert!(s.platforms.len() >= 10);
}

#[test]
fn single_arch_regression() {
    let s = situation("single-arch-regression");
    assert_eq!(s.scope.as_deref(), Some("arch"));
    let n = check_series(TEST_POSIX_TIMERS, "mainline", |r| {
        r.rel >= i64::from(SINGLE_ARCH_FROM) && r.arch == "riscv"
    });
    assert!(n >= 10, "{n}");
    assert_eq!(s.platforms.len(), 4);
    let ex = done(parsed())
        .find(|r| r.path == TEST_POSIX_TIMERS && r.status.as_deref() == Some("FAIL"))
        .and_then(|r| r.excerpt.clone())
        .unwrap();
    assert!(ex.contains(
        "BUG: sleeping function called from invalid context at kernel/locking/mutex.c:585"
    ));
    assert!(ex.contains("] posix_cpu_timer_del+0x"));
}

#[test]
fn two_passing_days_before_each_regression() {
    for s in demo().truth.regressions() {
        let first = i64::from(match s.name.as_str() {
            "many-boards-regression" => MANY_BOARDS_FROM,
            "single-board-regression" => SINGLE_BOARD_FROM,
            "single-compiler-regression" => SINGLE_COMPILER_FROM,
            "fixed-regression" => FIXED_FROM,
            _ => SINGLE_ARCH_FROM,
        });
        for r in done(parsed()).filter(|r| {
            r.tree == s.tree_name
                && s.tests.contains(&r.path)
                && s.platforms.contains(&r.platform)
                && (first - 2..first).contains(&r.rel)
        }) {
            assert_eq!(r.status.as_deref(), Some("PASS"), "{} {r:?}", s.name);
        }
    }
}

#[test]
fn flaky_test_rate() {
    let runs: Vec<&Row> = done(parsed())
        .filter(|r| r.path == TEST_UDPGSO && matches!(r.status.as_deref(), Some("PASS" | "FAIL")))
        .collect();
    let fails = runs
        .iter()
        .filter(|r| r.status.as_deref() == Some("FAIL"))
        .count();
    let rate = fails as f64 / runs.len() as f64;
    assert!((0.22..=0.35).contains(&rate), "{rate}");
    // Failures on every day.
    let days: BTreeSet<i64> = runs
        .iter()
        .filter(|r| r.status.as_deref() == Some("FAIL"))
        .map(|r| r.rel)
        .collect();
    assert_eq!(days.len(), 14);
    assert!(
        demo()
            .truth
            .situations
            .iter()
            .any(|s| s.name == "flaky-test-mainline")
    );
}

#[test]
fn flaky_board() {
    let runs: BTreeMap<(String, i64, String), bool> = done(parsed())
        .filter(|r| r.platform == FLAKY_BOARD)
        .fold(BTreeMap::new(), |mut m, r| {
            let failed = r.status.as_deref() == Some("FAIL") && flaky_board_may_fail(&r.path);
            *m.entry((r.tree.clone(), r.rel, r.compiler.clone()))
                .or_insert(false) |= failed;
            m
        });
    let bad = runs.values().filter(|b| **b).count();
    let rate = bad as f64 / runs.len() as f64;
    assert!((0.07..=0.25).contains(&rate), "{rate}");
    let s = situation("flaky-board-mainline");
    assert_eq!(s.platforms, vec![FLAKY_BOARD.to_string()]);
    assert!(s.tests.len() >= 2);
}

#[test]
fn lab_outage() {
    let rows: Vec<&Row> = done(parsed())
        .filter(|r| r.lab == OUTAGE_LAB && r.rel == i64::from(OUTAGE_DAY))
        .collect();
    assert!(rows.len() > 100);
    for r in rows {
        let want = if r.path == "boot" { "ERROR" } else { "MISS" };
        if r.status.as_deref() != Some("SKIP") {
            assert_eq!(r.status.as_deref(), Some(want));
        }
    }
    assert!(done(parsed()).any(|r| r.lab == OUTAGE_LAB
        && r.rel == i64::from(OUTAGE_DAY) + 1
        && r.status.as_deref() == Some("PASS")));
    let s = situation("lab-outage-mainline");
    assert_eq!(s.labs, vec![OUTAGE_LAB.to_string()]);
}

#[test]
fn always_failing() {
    let n = check_series(TEST_KVM, "mainline", |r| r.arch == "arm64");
    assert!(n > 100);
    let s = situation("always-failing-stable");
    assert_eq!(s.tests, vec![TEST_KVM.to_string()]);
    let days: BTreeSet<i64> = done(parsed())
        .filter(|r| r.path == TEST_KVM && r.status.as_deref() == Some("FAIL"))
        .map(|r| r.rel)
        .collect();
    assert_eq!(days.len(), 14);
}

#[test]
fn truth_round_trips() {
    let t = &demo().truth;
    let j = serde_json::to_string_pretty(t).unwrap();
    let back: GroundTruth = serde_json::from_str(&j).unwrap();
    assert_eq!(&back, t);
    assert_eq!(t.regressions().count(), 5);
    let names: BTreeSet<&str> = t.situations.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names.len(), t.situations.len());
}

#[test]
fn streaming_writer_matches_generate() {
    let dir = std::env::temp_dir().join(format!("regtrack-demo-stream-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let cfg = DemoConfig::default();
    let (n, bytes) = write_results(&cfg, &dir).unwrap();
    let demo = generate(&cfg);
    assert_eq!(n, demo.files.len());
    assert_eq!(bytes as usize, demo.total_bytes());
    for f in &demo.files {
        let written = std::fs::read_to_string(dir.join(&f.rel_path)).unwrap();
        assert!(written == f.contents, "{} differs", f.rel_path);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn write_demo_layout() {
    let dir = std::env::temp_dir().join(format!("regtrack-demo-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    // A stale day from an earlier, longer run and an unrelated file.
    std::fs::create_dir_all(dir.join("results/2020-01-01")).unwrap();
    std::fs::write(dir.join("results/2020-01-01/maestro.json"), "{}").unwrap();
    std::fs::write(dir.join("results/keep.txt"), "mine").unwrap();
    let n = write_demo(&dir, 1, 14, 1).unwrap();
    assert_eq!(n, 28);
    assert!(!dir.join("results/2020-01-01").exists());
    assert!(dir.join("results/keep.txt").exists());
    let f = std::fs::read_to_string(dir.join("results/2026-11-20/maestro.json")).unwrap();
    let last = demo()
        .files
        .iter()
        .find(|f| f.rel_path == "2026-11-20/maestro.json")
        .unwrap();
    assert_eq!(f, last.contents);
    let truth: GroundTruth =
        serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json")).unwrap()).unwrap();
    assert_eq!(&truth, &demo().truth);
    let about = std::fs::read_to_string(dir.join("content/about-demo.md")).unwrap();
    assert!(about.starts_with("+++\ntitle = ") && about.contains("many-boards-regression"));
    assert!(dir.join("content/known-issues.toml").is_file());
    std::fs::remove_dir_all(&dir).unwrap();
}
