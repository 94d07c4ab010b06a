//! Nightly publishing through the real binary: a build killed with SIGKILL at every phase
//! boundary and at random moments never leaves a torn site or loses a permalink, and the next
//! build succeeds; two builds never write the same site at once; a corrupted cache entry is
//! reported and rebuilt; a truncated ledger stops the build until `--ledger-recover`.
//!
//! `REGTRACK_KILL_TRIALS=200` runs the long measurement (the default runs each kill point
//! twice and a few random kills); it prints torn sites, lost permalinks and failed next builds.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use regtrack::kill_point::{POINTS, VAR};
use regtrack::report::ledger::Ledger;

use crate::support::succeeds as ok;

fn regtrack(args: &[&str]) -> Command {
    let mut cmd = Command::new(crate::support::regtrack_bin());
    cmd.args(args)
        .env_remove(VAR)
        .env("REGTRACK_CACHE_DIR", "/nonexistent-regtrack-cache");
    cmd
}

fn fails(mut cmd: Command) -> String {
    let out = cmd.output().unwrap();
    assert!(!out.status.success(), "{cmd:?} should have failed");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The demo's KCIDB history (generated once per test run) and its day folders' dates.
fn history() -> &'static (PathBuf, Vec<String>) {
    static H: OnceLock<(PathBuf, Vec<String>)> = OnceLock::new();
    H.get_or_init(|| {
        let dir = crate::support::scratch("publishing-history");
        ok(regtrack(&[
            "demo",
            "--results-only",
            "--days",
            "8",
            "--out",
            dir.to_str().unwrap(),
        ]));
        let results = dir.join("results");
        let mut days: Vec<String> = std::fs::read_dir(&results)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        days.sort();
        (results, days)
    })
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A build of the history's night `date` into `out`, with extra flags.
fn build(out: &Path, date: &str, extra: &[&str]) -> Command {
    let (results, _) = history();
    let mut cmd = regtrack(&[
        "build",
        "--results",
        s(results),
        "--out",
        s(out),
        "--date",
        date,
    ]);
    cmd.args(extra);
    cmd
}

/// The report date a page's header states.
fn page_date(html: &str) -> Option<&str> {
    let at = html.find("report for <time datetime=\"")? + "report for <time datetime=\"".len();
    html[at..].split('"').next()
}

/// Checks that `site` is one night whole: every page states the export's date, every link of
/// the export and of the index resolves, the site's ledger copy is sealed and intact, and
/// every id in `published` still has its page. Returns the ids the site's ledger now holds.
fn check_whole(site: &Path, published: &BTreeSet<String>) -> Result<BTreeSet<String>, String> {
    let export: serde_json::Value = serde_json::from_slice(
        &std::fs::read(site.join("api/v1/regressions.json")).map_err(|e| format!("export: {e}"))?,
    )
    .map_err(|e| format!("export does not parse: {e}"))?;
    let date = export["report_date"]
        .as_str()
        .ok_or("export without a date")?;
    for e in walkdir::WalkDir::new(site) {
        let e = e.map_err(|e| e.to_string())?;
        if e.path().extension().is_some_and(|x| x == "html") {
            let html = std::fs::read_to_string(e.path()).map_err(|e| e.to_string())?;
            if page_date(&html) != Some(date) {
                return Err(format!(
                    "torn: {} is for {:?}, the export for {date}",
                    e.path().display(),
                    page_date(&html)
                ));
            }
        }
    }
    for r in export["regressions"].as_array().ok_or("no regressions")? {
        let url = r["url"].as_str().ok_or("no url")?;
        if !site.join(url).join("index.html").is_file() {
            return Err(format!("the export links {url}, which is missing"));
        }
    }
    let index = std::fs::read_to_string(site.join("index.html")).map_err(|e| e.to_string())?;
    for href in index
        .split("href=\"")
        .skip(1)
        .filter_map(|h| h.split('"').next())
    {
        if href.starts_with("http") || href.starts_with('#') || href.is_empty() {
            continue;
        }
        let rel = href
            .split(['#', '?'])
            .next()
            .unwrap()
            .replace("&#x2f;", "/");
        let target = site.join(&rel);
        if !(target.is_file() || target.join("index.html").is_file()) {
            return Err(format!("index.html links {rel}, which is missing"));
        }
    }
    let ledger = Ledger::load(&site.join("api/v1/ledger.json")).map_err(|e| format!("{e:#}"))?;
    for id in published {
        if !site.join(format!("r/{id}/index.html")).is_file() {
            return Err(format!("lost permalink r/{id}/"));
        }
    }
    Ok(ledger.entries.keys().cloned().collect())
}

/// What lies beside the site (`.<name>.*`).
fn beside(out: &Path) -> Vec<String> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    let mut v: Vec<String> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!(".{name}.")))
        .collect();
    v.sort();
    v
}

#[derive(Default, Debug)]
struct Tally {
    trials: usize,
    at_points: usize,
    random: usize,
    killed_before_done: usize,
    torn: usize,
    lost: usize,
    next_failed: usize,
    damaged_cache: usize,
    damaged_ledger: usize,
}

#[test]
fn kill_9_at_any_moment_never_tears_the_site_or_loses_a_permalink() {
    let (_, days) = history();
    // Nights built in a scrambled order, so regressions come, go and come back between
    // builds; one site also reads only 5 days, so some age out and live on the ledger alone.
    let nights: Vec<&str> = days[3..].iter().map(String::as_str).collect();
    let root = crate::support::scratch("publishing-kill");
    let cache = root.join("cache");
    let trials: usize = std::env::var("REGTRACK_KILL_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2 * POINTS.len() + 6);
    // Two sites, trials alternating: one keeps the ledger inside (the default), the other
    // outside (`--ledger`); both share a cache, so cache writes are killed too.
    let ledger = root.join("state/ledger.json");
    let sites: Vec<(PathBuf, Vec<String>)> = vec![
        (root.join("site"), vec!["--cache".into(), s(&cache).into()]),
        (
            root.join("site-ext"),
            vec![
                "--cache".into(),
                s(&cache).into(),
                "--ledger".into(),
                s(&ledger).into(),
                "--history-days".into(),
                "5".into(),
            ],
        ),
    ];
    let mut published: Vec<BTreeSet<String>> = Vec::new();
    let mut full = Duration::ZERO;
    for (out, flags) in &sites {
        let t = Instant::now();
        let mut first = build(out, nights[0], &[]);
        first.args(flags);
        ok(first);
        full = full.max(t.elapsed());
        let ids = check_whole(out, &BTreeSet::new()).unwrap();
        assert!(!ids.is_empty());
        published.push(ids);
    }
    let mut tally = Tally::default();
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    for i in 0..trials {
        let (out, flags) = &sites[i % 2];
        let published = &mut published[i % 2];
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let night = nights[(rng % nights.len() as u64) as usize];
        let mut cmd = build(out, night, &[]);
        cmd.args(flags).stdout(Stdio::null()).stderr(Stdio::null());
        let point = (i < 2 * POINTS.len()).then(|| POINTS[(i / 2) % POINTS.len()]);
        if let Some(p) = point {
            cmd.env(VAR, p);
            tally.at_points += 1;
        } else {
            tally.random += 1;
        }
        let mut child = cmd.spawn().unwrap();
        if point.is_none() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            std::thread::sleep(Duration::from_micros(rng % (full.as_micros() as u64 + 1)));
            let _ = child.kill();
        }
        let status = child.wait().unwrap();
        tally.trials += 1;
        if !status.success() {
            tally.killed_before_done += 1;
        }
        // The published folder as the crash left it.
        match check_whole(out, published) {
            Ok(ids) => published.extend(ids),
            Err(e) => {
                eprintln!("trial {i} ({point:?}): {e}");
                if e.starts_with("lost") {
                    tally.lost += 1;
                } else {
                    tally.torn += 1;
                }
            }
        }
        // Now and then the state a crash (or a disk) can damage is damaged too: a cache entry
        // cut short (the next build reports it, rebuilds it and succeeds), or the ledger cut
        // short (the next build stops, publishing nothing, until --ledger-recover).
        let mut recover = false;
        if i % 5 == 2 {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(&cache)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "bin"))
                .collect();
            entries.sort();
            truncate(&entries[i % entries.len()]);
            tally.damaged_cache += 1;
        } else if i % 7 == 3 {
            let ledger_file = if i % 2 == 1 {
                ledger.clone()
            } else {
                out.join("api/v1/ledger.json")
            };
            truncate(&ledger_file);
            let mut refused = build(out, nights[0], &[]);
            refused.args(flags);
            let err = fails(refused);
            assert!(
                err.contains("is broken") && err.contains("--ledger-recover"),
                "{err}"
            );
            // Nothing was published (the site's own ledger copy is the damaged one, inside).
            if i % 2 == 1 {
                check_whole(out, published)
                    .unwrap_or_else(|e| panic!("trial {i}: refused build: {e}"));
            }
            recover = true;
            tally.damaged_ledger += 1;
        }
        // The next build succeeds and keeps every permalink.
        let mut next = build(
            out,
            nights[((rng >> 32) % nights.len() as u64) as usize],
            &[],
        );
        next.args(flags);
        if recover {
            next.arg("--ledger-recover");
        }
        let o = next.output().unwrap();
        if !o.status.success() {
            eprintln!(
                "trial {i}: next build failed: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            tally.next_failed += 1;
            continue;
        }
        match check_whole(out, published) {
            Ok(ids) => published.extend(ids),
            Err(e) => {
                eprintln!("trial {i}, next build: {e}");
                tally.lost += 1;
            }
        }
        // Beside it: the lock, and last night's tree kept for the next staging; nothing else.
        let name = out.file_name().unwrap().to_string_lossy();
        assert_eq!(
            beside(out),
            [
                format!(".{name}.regtrack-lock"),
                format!(".{name}.regtrack-next")
            ],
            "trial {i}"
        );
    }
    eprintln!(
        "kill -9 trials: {} ({} at the {} phase points, {} at random times; {} died before finishing): \
         torn sites {}, lost permalinks {}, failed next builds {} (after {} damaged cache entries \
         and {} truncated ledgers); {} + {} permalinks published",
        tally.trials,
        tally.at_points,
        POINTS.len(),
        tally.random,
        tally.killed_before_done,
        tally.torn,
        tally.lost,
        tally.next_failed,
        tally.damaged_cache,
        tally.damaged_ledger,
        published[0].len(),
        published[1].len()
    );
    assert_eq!(
        (tally.torn, tally.lost, tally.next_failed),
        (0, 0, 0),
        "{tally:?}"
    );
    // Every point but the fallback switch's (not reached where folders can be swapped) kills.
    assert!(tally.killed_before_done >= tally.at_points.min(2 * (POINTS.len() - 1)));
}

#[test]
fn a_second_build_is_refused_naming_the_holder_and_a_stale_lock_is_taken_over() {
    let (_, days) = history();
    let root = crate::support::scratch("publishing-lock");
    let out = root.join("site");
    // A build killed right after taking the lock leaves its holder line: stale.
    let mut killed = build(&out, &days[5], &[]);
    killed.env(VAR, "locked");
    assert!(!killed.status().unwrap().success());
    let lock = root.join(".site.regtrack-lock");
    assert!(std::fs::read_to_string(&lock).unwrap().contains("\"pid\""));
    let o = ok(build(&out, &days[5], &[]));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("taking over a stale lock"), "{err}");
    // A live holder: refused at once, named; with --lock-wait, waited for.
    let held = regtrack::lock::Lock::acquire(&lock, "test", Duration::ZERO).unwrap();
    let err = fails(build(&out, &days[6], &[]));
    assert!(
        err.contains("is locked by another regtrack build")
            && err.contains(&format!("pid {}", std::process::id()))
            && err.contains(".site.regtrack-lock"),
        "{err}"
    );
    let waiting = build(&out, &days[6], &["--lock-wait", "30"])
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    drop(held);
    let o = waiting.wait_with_output().unwrap();
    assert!(o.status.success());
    check_whole(&out, &BTreeSet::new()).unwrap();
}

#[test]
fn a_corrupted_cache_entry_is_reported_and_rebuilt() {
    let (_, days) = history();
    let root = crate::support::scratch("publishing-cache");
    let cache = root.join("cache");
    let date = days.last().unwrap().as_str();
    ok(build(&root.join("site"), date, &["--cache", s(&cache)]));
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    entries.sort();
    assert!(entries.len() >= 2, "{entries:?}");
    // One entry damaged in the middle, one truncated.
    let mut bytes = std::fs::read(&entries[0]).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    std::fs::write(&entries[0], &bytes).unwrap();
    let len = std::fs::metadata(&entries[1]).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&entries[1])
        .unwrap()
        .set_len(len / 3)
        .unwrap();
    let o = ok(build(&root.join("site"), date, &["--cache", s(&cache)]));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        err.matches("is corrupt (checksum mismatch").count(),
        2,
        "{err}"
    );
    assert!(
        err.contains(s(&entries[0])) && err.contains(s(&entries[1])),
        "{err}"
    );
    // Not trusted: the site is the one a build without any cache gives.
    ok(build(&root.join("fresh"), date, &["--no-cache"]));
    for f in ["index.html", "api/v1/regressions.json", "data/index.js"] {
        assert_eq!(
            std::fs::read(root.join("site").join(f)).unwrap(),
            std::fs::read(root.join("fresh").join(f)).unwrap(),
            "{f}"
        );
    }
    // Rebuilt: the next build finds them whole.
    let o = ok(build(&root.join("site"), date, &["--cache", s(&cache)]));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("corrupt"));
}

/// Cuts a file to half its length.
fn truncate(path: &Path) {
    let len = std::fs::metadata(path).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
}

#[test]
fn a_truncated_ledger_stops_the_build_until_ledger_recover_rebuilds_it() {
    let (_, days) = history();
    let root = crate::support::scratch("publishing-ledger");
    for outside in [true, false] {
        let out = root.join(if outside { "outside" } else { "inside" });
        let ledger = root.join("ledger.json");
        let flags: Vec<&str> = if outside {
            vec!["--ledger", s(&ledger)]
        } else {
            vec![]
        };
        let ledger = if outside {
            ledger.clone()
        } else {
            out.join("api/v1/ledger.json")
        };
        // Every night of the history, then one that only reads the last two days: regressions
        // of the early days age out of the data and live on through the ledger alone.
        for d in days {
            ok(build(&out, d, &flags));
        }
        let last = days.last().unwrap();
        let mut recent = flags.clone();
        recent.extend(["--history-days", "2"]);
        let o = ok(build(&out, last, &recent));
        assert!(
            String::from_utf8_lossy(&o.stderr)
                .contains("files not read (older than the history window)")
        );
        let published = check_whole(&out, &BTreeSet::new()).unwrap();
        let export: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("api/v1/regressions.json")).unwrap())
                .unwrap();
        let current = export["regressions"].as_array().unwrap().len();
        assert!(
            published.len() > current,
            "some regressions aged out: {} > {current}",
            published.len()
        );
        let before = std::fs::read(out.join("index.html")).unwrap();
        truncate(&ledger);
        let err = fails(build(&out, last, &recent));
        assert!(
            err.contains(&format!("the ledger {} is broken", ledger.display()))
                && err.contains("truncated")
                && err.contains("--ledger-recover"),
            "{err}"
        );
        // Nothing was published over the site.
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), before);
        let mut again = recent.clone();
        again.push("--ledger-recover");
        let o = ok(build(&out, last, &again));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("--ledger-recover:"), "{err}");
        let now = check_whole(&out, &published).unwrap();
        assert!(now.is_superset(&published), "recovered every published id");
        assert!(Ledger::load(&ledger).unwrap().entries.len() >= published.len());
    }
}

#[test]
fn the_wholeness_check_catches_torn_sites_and_lost_pages() {
    let (_, days) = history();
    let root = crate::support::scratch("publishing-checker");
    let (a, b) = (root.join("a"), root.join("b"));
    ok(build(&a, &days[6], &[]));
    ok(build(&b, &days[7], &[]));
    let ids = check_whole(&a, &BTreeSet::new()).unwrap();
    // The torn site: a new night's index next to the old night's export.
    std::fs::copy(b.join("index.html"), a.join("index.html")).unwrap();
    assert!(check_whole(&a, &ids).unwrap_err().starts_with("torn"));
    ok(build(&a, &days[6], &[]));
    let id = ids.iter().next().unwrap();
    std::fs::remove_dir_all(a.join(format!("r/{id}"))).unwrap();
    let e = check_whole(&a, &ids).unwrap_err();
    assert!(e.contains(id.as_str()), "{e}");
}
