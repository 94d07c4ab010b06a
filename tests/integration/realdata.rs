//! Verdicts on real CI history: CIP's LAVA lab, 2019-2024 (`../shared/realdata/cip/`, read its
//! README), and LKFT's human-triaged LTP known issues. Every assertion is a property the data
//! itself proves (a series that keeps flipping is flaky; tests that start failing at one commit
//! on the same boards are one bug), never a count copied from today's output.

use std::collections::BTreeSet;
use std::path::PathBuf;

use regtrack::correlate::Regression;
use regtrack::tools::realdata::{RealScore, measure};

fn cip(years: &[&str]) -> Option<(PathBuf, Vec<PathBuf>)> {
    let dir = crate::support::realdata_dir()?;
    let roots = match years {
        [] => vec![dir.join("cip/kcidb")],
        _ => years
            .iter()
            .map(|y| dir.join("cip/kcidb").join(y))
            .collect(),
    };
    Some((dir, roots))
}

/// The five years, measured once for every test that reads them (a debug build takes a while).
fn five_years() -> Option<&'static (RealScore, regtrack::report::Report)> {
    static ALL: std::sync::OnceLock<Option<(RealScore, regtrack::report::Report)>> =
        std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let (dir, roots) = cip(&[])?;
        Some(measure(&dir, &roots).unwrap())
    })
    .as_ref()
}

/// The regressions on `branch` that list `test`.
fn entries_with<'r>(rs: &'r [Regression], branch: &str, test: &str) -> Vec<&'r Regression> {
    rs.iter()
        .filter(|r| r.branch.as_deref() == Some(branch) && r.tests.iter().any(|t| t == test))
        .collect()
}

#[test]
fn five_years_of_cip_flip_flopping_series_are_flaky_not_regressions() {
    let Some((s, report)) = five_years() else {
        return;
    };
    eprintln!("{s}");
    assert!(s.results > 3_000_000, "{s}");
    assert!(
        s.flip_flops >= 100,
        "the history has flip-flopping series: {s}"
    );
    let share = |n: usize| n as f64 / s.flip_flops as f64;
    assert!(share(s.flip_flops_flaky) >= 0.9, "{s}");
    assert!(share(s.flip_flops_in_regression) <= 0.05, "{s}");
    // Every flaky test says why, and every published regression says why it is one.
    assert!(
        report
            .health
            .flaky_tests
            .iter()
            .all(|t| !t.evidence.is_empty())
    );
    for r in report.published() {
        assert!(r.confirmed.is_some(), "{} is published unconfirmed", r.id);
        assert!(
            r.occurrences.iter().all(|o| !o.change.is_empty()),
            "{} has an environment without its reason",
            r.id
        );
    }
    // Outages reported are confirmed by the lab's own health checks more often than any
    // lab-day with data is.
    let confirmed = s.outage_days_confirmed as f64 / s.outage_days.max(1) as f64;
    let base = s.lab_days_recorded as f64 / s.lab_days.max(1) as f64;
    assert!(s.outage_days > 0 && confirmed > 1.5 * base, "{s}");
}

#[test]
fn cip_2023_one_bug_is_one_entry() {
    let Some((dir, roots)) = cip(&["2023"]) else {
        return;
    };
    let (_, report) = measure(&dir, &roots).unwrap();
    let rs = report.published();
    // ltp.dio01..dio11 start failing at 6.1.56-cip6 on the same two boards: one entry that
    // lists every dio test failing in that window.
    let dio = entries_with(rs, "ci/iwamatsu/linux-6.1.y-cip-rc", "ltp.dio01");
    assert_eq!(
        dio.len(),
        1,
        "{:#?}",
        dio.iter().map(|r| &r.title).collect::<Vec<_>>()
    );
    let dio_tests: BTreeSet<&str> = dio[0].tests.iter().map(String::as_str).collect();
    assert!(dio_tests.len() >= 8, "{dio_tests:?}");
    assert!(
        dio_tests.iter().all(|t| t.starts_with("ltp.dio")),
        "{dio_tests:?}"
    );
    assert_eq!(
        dio[0].first_fail.describe.as_deref(),
        Some("6.1.56-cip6"),
        "{:?}",
        dio[0].first_fail
    );
    for t in &dio_tests {
        assert_eq!(
            entries_with(rs, "ci/iwamatsu/linux-6.1.y-cip-rc", t).len(),
            1,
            "{t} is in more than one entry"
        );
    }
    // One boot failure at 5.10.194-cip39 under several job names: one entry.
    let boot: Vec<&Regression> = rs
        .iter()
        .filter(|r| {
            r.branch.as_deref() == Some("linux-5.10.y-cip")
                && r.first_fail.describe.as_deref() == Some("5.10.194-cip39")
        })
        .collect();
    assert_eq!(
        boot.len(),
        1,
        "{:#?}",
        boot.iter().map(|r| &r.title).collect::<Vec<_>>()
    );
    // Several job names in it, and no other published entry holds one of those boots.
    assert!(boot[0].tests.len() >= 3, "{:?}", boot[0].tests);
    assert!(
        boot[0]
            .tests
            .iter()
            .all(|t| t.ends_with(".boot") || t == "boot")
    );
    for t in &boot[0].tests {
        let at_cip39 = entries_with(rs, "linux-5.10.y-cip", t)
            .into_iter()
            .filter(|r| r.first_fail.describe.as_deref() == Some("5.10.194-cip39"))
            .count();
        assert_eq!(at_cip39, 1, "{t}");
    }
    assert!(
        boot[0]
            .evidence
            .iter()
            .any(|e| e.contains("boots of several jobs"))
    );
    // ltp.preadv03 and ltp.preadv03_64: one entry.
    let preadv = entries_with(rs, "ci/iwamatsu/linux-6.1.y-cip-rc", "ltp.preadv03");
    assert_eq!(preadv.len(), 1);
    assert!(preadv[0].tests.iter().any(|t| t == "ltp.preadv03_64"));
}

/// LKFT's people marked LTP tests intermittent on their boards. Not a lookup table: evidence
/// that regtrack's flaky verdicts on CIP's boards point the same way. Of the LKFT-intermittent
/// tests CIP ran and regtrack saw failing, more are listed flaky than published as regressions.
#[test]
fn lkft_intermittent_tests_are_flaky_on_cip_too() {
    let Some(dir) = crate::support::realdata_dir() else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("lkft-known-issues/ltp-production.yaml")).unwrap();
    let docs = yaml_rust2::YamlLoader::load_from_str(&text).unwrap();
    let mut intermittent: BTreeSet<String> = BTreeSet::new();
    // `projects:` is a list of projects, each with its `known_issues:`.
    let issues = docs[0]["projects"]
        .as_vec()
        .into_iter()
        .flatten()
        .flat_map(|p| p["known_issues"].as_vec().into_iter().flatten());
    for issue in issues {
        if issue["intermittent"].as_bool() != Some(true) {
            continue;
        }
        let names = issue["test_names"]
            .as_vec()
            .cloned()
            .unwrap_or_else(|| vec![issue["test_name"].clone()]);
        for n in names.iter().filter_map(|n| n.as_str()) {
            // `ltp-syscalls/pselect01` is `ltp.pselect01` in CIP's (and KernelCI's) naming.
            if let Some((_, case)) = n.split_once('/') {
                intermittent.insert(format!("ltp.{case}"));
            }
        }
    }
    assert!(intermittent.len() >= 20, "{intermittent:?}");
    let Some((_, report)) = five_years() else {
        return;
    };
    let flaky: BTreeSet<&str> = report
        .health
        .flaky_tests
        .iter()
        .map(|t| t.test.as_str())
        .collect();
    let regressed: BTreeSet<&str> = report
        .published()
        .iter()
        .flat_map(|r| r.tests.iter().map(String::as_str))
        .collect();
    let both = |set: &BTreeSet<&str>| {
        intermittent
            .iter()
            .filter(|t| set.contains(t.as_str()))
            .count()
    };
    let (listed, published) = (both(&flaky), both(&regressed));
    eprintln!(
        "LKFT-intermittent LTP tests: {} named; {listed} listed flaky on CIP, {published} in a published CIP regression",
        intermittent.len()
    );
    assert!(
        listed > published,
        "listed flaky {listed}, published {published}"
    );
}
