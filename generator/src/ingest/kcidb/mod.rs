//! KCIDB JSON (schema v4.x and v5.x): one document in, its rows out.
//!
//! [`parse`] is the one entry point. It tries three readers in turn, fastest first, and each
//! takes exactly what the next would take or gives up on the whole document:
//!
//! 1. [`scan`]: a strict byte scanner ([`crate::json::Cursor`]) that streams test objects field
//!    by field into rows. Nearly every real file is read here.
//! 2. [`serde_path`]: serde_json's typed fast path into the same borrowed [`fields`], for what
//!    the scanner is not sure of (an escaped key, a surrogate escape, deep nesting...).
//! 3. [`lenient`]: serde_json into typed objects one at a time, so that a bad object is refused
//!    alone with its own diagnostic and the rest of the file still lands.
//!
//! All three give byte-identical rows ([`rows`] builds them for every path): the tests below,
//! `tests/integration/fuzz_kcidb.rs` and the corpus tests hold them to one another.

mod fields;
pub mod lenient;
pub mod rows;
pub mod scan;
mod schema;
mod serde_path;

pub use lenient::{ParsedFile, parse_document};
pub use rows::{FileResult, from_parsed};
pub use schema::{KINDS, SUPPORTED_MAJOR};

/// Parses one KCIDB document into rows: the scanner, else serde_json's fast path, else the
/// lenient path (which isolates each bad object).
pub fn parse(file: &str, text: &str) -> FileResult {
    scan::parse(file, text, false).unwrap_or_else(|| parse_without_scanner(file, text))
}

/// [`parse`] for a document that is its file's text byte for byte, so that the scanner can
/// keep its failing runs' excerpts as places in the file ([`crate::store::Text::InFile`]).
pub fn parse_kept(file: &str, text: &str) -> FileResult {
    scan::parse(file, text, true).unwrap_or_else(|| parse_without_scanner(file, text))
}

/// [`parse`] without the scanner: the reference it is tested against.
pub fn parse_without_scanner(file: &str, text: &str) -> FileResult {
    serde_path::parse(file, text).unwrap_or_else(|| from_parsed(parse_document(file, text)))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::diag::Location;

    /// The fast path and the lenient path must give the same bytes, diagnostics and counts.
    fn assert_paths_agree(doc: &str) -> FileResult {
        let fast = parse("f.json", doc);
        let slow = from_parsed(parse_document("f.json", doc));
        assert_eq!(fast.mismatch(&slow), None, "{doc}");
        fast
    }

    /// Test objects that do not fit the fast shape (the lenient path decides on them).
    pub(crate) const ODD_TESTS: &[&str] = &[
        r#"{"path": "no id"}"#,
        r#"{"id": null}"#,
        r#"{"id": "o:t1", "id": "o:t2"}"#,
        r#"{"id": "o:t1", "status": 1}"#,
        r#"{"id": "o:t1", "environment": {"misc": {"platform": "a", "platform": "b"}}}"#,
        r#"{"id": "o:t1", "environment": "qemu"}"#,
    ];

    #[test]
    fn key_order_and_escapes_do_not_change_rows() {
        // Tests first (streamed before the checkouts and builds exist), an escaped string
        // (owned, not borrowed), and one bad object of each kind for the diagnostics' order.
        let doc = r#"{
          "tests": [
            {"id": "o:t1", "build_id": "o:b1", "path": "kselftest.net\u002ftls", "status": "FAIL",
             "environment": {"misc": {"platform": "rk3399"}}, "misc": {"lab": 7},
             "log_excerpt": "BUG: KASAN: use-after-free"},
            {"id": "o:t2", "build_id": "o:b1", "path": "boot", "status": "SOMETIMES"},
            {"id": "o:t3", "build_id": "o:b1", "path": "boot", "status": "PASS",
             "environment": {"compatible": ["qcom,sm8550"]}, "misc": {"runtime": "lava"}}
          ],
          "builds": [
            {"id": "o:b1", "checkout_id": "o:c1", "architecture": "arm64", "valid": true},
            {"id": "o:b2", "start_time": "yesterday"}
          ],
          "checkouts": [
            {"id": "o:c1", "tree_name": "mainline", "git_commit_hash": "abc"},
            {"id": "", "tree_name": "next"}
          ],
          "version": {"major": 5, "minor": 3}
        }"#;
        let r = assert_paths_agree(doc);
        assert_eq!(r.rows.tests.len(), 2);
        assert_eq!(r.rows.builds.len(), 1);
        assert_eq!(r.rows.checkouts.len(), 1);
        let kinds: Vec<_> = r
            .diagnostics
            .iter()
            .map(|d| match &d.location {
                Location::Object { kind, .. } => *kind,
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["checkouts", "builds", "tests"]);
        assert!(r.rows.strings.iter().any(|s| s == "kselftest.net/tls"));
    }

    #[test]
    fn the_fast_path_takes_what_a_derived_reader_would_and_nothing_more() {
        let doc = |test: &str| format!(r#"{{"version": {{"major": 5}}, "tests": [{test}]}}"#);
        let usual = r#"{"id": "o:t1", "build_id": "o:b1", "origin": "o", "path": "a/b",
            "status": "PASS", "start_time": null, "environment": {"compatible": ["x", "y"],
            "misc": {"platform": "rk3399", "board_rev": 2}}, "misc": {"runtime": 3, "lab": "l"},
            "log_url": "https://l/1", "extra": {"nested": [1, 2]}}"#;
        let fast = serde_path::parse("f.json", &doc(usual)).expect("the usual shape is fast");
        assert_eq!(fast.rows.tests.len(), 1);
        assert_paths_agree(&doc(usual));
        for odd in ODD_TESTS {
            assert!(serde_path::parse("f.json", &doc(odd)).is_none(), "{odd}");
            assert_paths_agree(&doc(odd));
        }
    }

    #[test]
    fn a_fast_path_failure_midway_leaves_no_partial_rows() {
        // The second test breaks the fast shape after the first was already turned into a
        // row; the lenient path must start from scratch.
        let doc = r#"{"version": {"major": 4},
          "tests": [{"id": "o:t1", "path": "boot", "status": "PASS"},
                    {"id": "o:t2", "path": ["not", "a", "string"], "status": "PASS"},
                    {"id": "o:t3", "path": "boot", "status": "FAIL"}]}"#;
        let r = assert_paths_agree(doc);
        assert_eq!(r.rows.tests.len(), 2);
        assert_eq!(r.diagnostics.len(), 1);
    }

    #[test]
    fn issues_and_incidents_without_an_id_are_refused_on_every_path() {
        let doc = r#"{"version": {"major": 5},
          "issues": [{"id": "", "version": 1}, {"id": "o:i", "version": 1}],
          "incidents": [{"id": "o:n", "issue_id": "o:i"}, {"id": ""}]}"#;
        let r = assert_paths_agree(doc);
        assert!(serde_path::parse("f.json", doc).is_some());
        assert_eq!((r.issues.len(), r.incidents.len()), (1, 1));
        let seen: usize = r.seen.values().sum();
        let accepted: usize = r.accepted.values().sum();
        assert_eq!((seen, accepted, r.diagnostics.len()), (4, 2, 2));
    }

    #[test]
    fn a_failing_run_keeps_its_id_whole_with_or_without_a_log() {
        // Only FAIL runs: their ids are what KCIDB incidents name. Escapes decoded.
        let doc = r#"{"version": {"major": 5},
          "tests": [{"id": "o:t\u00e91", "path": "a", "status": "FAIL"},
                    {"id": "o:t2", "path": "a", "status": "FAIL", "log_url": "https://l/2"},
                    {"id": "o:t3", "path": "a", "status": "PASS"},
                    {"id": "o:t4", "path": "a", "status": "ERROR", "log_url": "https://l/4"}]}"#;
        for r in [
            assert_paths_agree(doc),
            parse_without_scanner("f.json", doc),
        ] {
            let rows = &r.rows;
            let ids: Vec<Option<&str>> = rows
                .tests
                .iter()
                .map(|t| {
                    let d = rows.details.get(t.detail as usize)?;
                    d.kcidb_id.as_deref()
                })
                .collect();
            assert_eq!(ids, [Some("o:té1"), Some("o:t2"), None, None]);
        }
    }

    #[test]
    fn duplicate_top_level_keys_go_to_the_lenient_path() {
        let doc = r#"{"version": {"major": 4},
          "tests": [{"id": "o:t1", "path": "boot", "status": "PASS"}],
          "tests": [{"id": "o:t2", "path": "boot", "status": "PASS"}]}"#;
        assert_paths_agree(doc);
    }
}
