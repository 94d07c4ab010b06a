//! Conformance: every real KCIDB submission in the shared corpus parses with the counts its
//! INDEX.tsv (written by the corpus' collectors, from kcidb-io) states, and the invalid
//! submitter-guide example is refused with a clear error while the rest goes on.

use std::collections::BTreeMap;

use regtrack::ingest;
use regtrack::ingest::kcidb::parse_document;

#[test]
fn every_submission_parses_with_the_indexed_counts() {
    let Some(corpus) = crate::support::corpus_dir() else {
        return;
    };
    let dir = corpus.join("kcidb-submissions");
    let index = std::fs::read_to_string(dir.join("INDEX.tsv")).unwrap();
    let mut lines = index.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let mut checked = 0;
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let file = f[col("file")];
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let p = parse_document(file, &text);
        assert!(p.diagnostics.is_empty(), "{file}: {:?}", p.diagnostics);
        let n = |k: &str| f[col(k)].parse::<usize>().unwrap();
        assert_eq!(p.checkouts.len(), n("checkouts"), "{file} checkouts");
        assert_eq!(p.builds.len(), n("builds"), "{file} builds");
        assert_eq!(p.tests.len(), n("tests"), "{file} tests");
        assert_eq!(p.issues.len(), n("issues"), "{file} issues");
        assert_eq!(p.incidents.len(), n("incidents"), "{file} incidents");
        // Test statuses, `None` meaning absent (still running).
        let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
        for t in &p.tests {
            *statuses
                .entry(t.status.clone().unwrap_or_else(|| "None".into()))
                .or_default() += 1;
        }
        let expected: BTreeMap<String, usize> = f[col("test_status_counts")]
            .split_whitespace()
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.to_string(), v.parse().unwrap())
            })
            .collect();
        assert_eq!(statuses, expected, "{file} test statuses");
        // Build verdicts: v5 status, v4 `valid`, or absent.
        let mut builds: BTreeMap<String, usize> = BTreeMap::new();
        for b in &p.builds {
            let k = match (&b.status, b.valid) {
                (Some(s), _) => s.clone(),
                (None, Some(v)) => if v { "True" } else { "False" }.to_string(),
                (None, None) => "None".to_string(),
            };
            *builds.entry(k).or_default() += 1;
        }
        let expected: BTreeMap<String, usize> = f[col("build_status_counts")]
            .split_whitespace()
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.to_string(), v.parse().unwrap())
            })
            .collect();
        assert_eq!(builds, expected, "{file} build statuses");
        checked += 1;
    }
    assert_eq!(checked, 33, "INDEX.tsv should list the 33 submissions");
}

#[test]
fn whole_corpus_loads_and_accounts_for_every_record() {
    let Some(corpus) = crate::support::corpus_dir() else {
        return;
    };
    let ds = ingest::load(
        &[
            corpus.join("kcidb-submissions"),
            corpus.join("kcidb-doc-examples"),
        ],
        None,
    );
    let s = &ds.summary;
    assert_eq!(s.files, 37);
    // The three non-KCIDB or invalid examples are refused whole, nothing else is.
    assert_eq!(s.files_rejected, 3, "{:#?}", ds.diagnostics);
    let bad = ds
        .diagnostics
        .iter()
        .find(|d| d.file.ends_with("example-2.json"))
        .expect("example-2 is refused");
    let msg = bad.to_string();
    assert!(msg.contains("`issue` (did you mean `issues`?)"), "{msg}");
    // Accounting: every object seen is either accepted or rejected.
    let seen: usize = s.seen.values().sum();
    let accepted: usize = s.accepted.values().sum();
    let rejected_records: usize = s.rejected.values().sum();
    assert_eq!(seen, accepted + rejected_records);
    // Issues keep their highest version only; ids merge across files.
    assert_eq!(s.accepted["tests"], 474);
    assert_eq!(ds.test_count(), 474);
    assert_eq!(ds.report_date.unwrap().to_string(), "2025-07-19");
}

#[test]
fn gzip_and_report_date_cap() {
    let Some(corpus) = crate::support::corpus_dir() else {
        return;
    };
    use std::io::Write;
    let dir = crate::support::scratch("gzip_and_report_date_cap");
    let src = corpus.join("kcidb-submissions/submission-mfeDrB98PytCXomjJZmFczg0MZdupd18.json");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(dir.join("x.json.gz")).unwrap(),
        flate2::Compression::fast(),
    );
    gz.write_all(&std::fs::read(&src).unwrap()).unwrap();
    gz.finish().unwrap();
    let ds = ingest::load(std::slice::from_ref(&dir), None);
    assert_eq!(ds.test_count(), 264);
    // A date before everything ignores all dated objects, and counts them.
    let early = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let ds = ingest::load(&[dir], Some(early));
    assert_eq!(ds.test_count(), 0);
    assert_eq!(ds.summary.after_report_date, 264);
}

#[test]
fn fast_and_lenient_paths_give_the_same_rows() {
    let Some(corpus) = crate::support::corpus_dir() else {
        return;
    };
    let dir = corpus.join("kcidb-submissions");
    let (mut checked, mut scanned_files) = (0, 0);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let slow = regtrack::ingest::kcidb::from_parsed(parse_document(&name, &text));
        // The scanner (when it takes the file), serde_json's fast path and the lenient path.
        let scanned = regtrack::ingest::kcidb::scan::parse(&name, &text, false);
        scanned_files += scanned.is_some() as usize;
        let serde = regtrack::ingest::kcidb::parse_without_scanner(&name, &text);
        for fast in scanned.iter().chain([&serde]) {
            assert_eq!(fast.mismatch(&slow), None, "{name}");
        }
        checked += 1;
    }
    assert_eq!(checked, 33);
    // Every valid submission of the usual shape takes the scanner.
    assert!(
        scanned_files >= 28,
        "{scanned_files} files took the scanner"
    );
}

/// Excerpts of failing tests in plain files are kept as places in the file and read back when
/// asked for: they must read back exactly as parsed, through the cache too.
#[test]
fn excerpts_kept_by_place_read_back_as_parsed() {
    let Some(corpus) = crate::support::corpus_dir() else {
        return;
    };
    let dir = corpus.join("kcidb-submissions");
    let cache_dir = crate::support::scratch("kcidb_excerpts_cache");
    let mut opts = ingest::LoadOptions::new(std::slice::from_ref(&dir), None);
    opts.cache = Some(regtrack::ingest::cache::Cache::new(cache_dir));
    let mut expected: Vec<(String, String)> = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for t in parse_document("x", &text).tests {
            let failing = matches!(t.status.as_deref(), Some("FAIL" | "ERROR"));
            if let (true, Some(e)) = (failing, t.log_excerpt.filter(|e| !e.is_empty())) {
                expected.push((t.id, e));
            }
        }
    }
    assert!(expected.len() >= 10, "{} excerpts", expected.len());
    assert!(
        expected.iter().any(|(_, e)| e.contains('\n')),
        "no escaped excerpt"
    );
    // Cold (parsed), then warm (every file from the cache).
    for round in 0..2 {
        let ds = ingest::load_with(&opts);
        assert_eq!(ds.summary.files_cached > 0, round == 1);
        for (id, excerpt) in &expected {
            // A test seen twice keeps its first sighting's excerpt; the corpus has none.
            let row = ds.store.test(id).unwrap();
            let got = ds.store.log_excerpt(row).unwrap();
            assert_eq!(&*got, excerpt, "{id}, round {round}");
        }
    }
}
