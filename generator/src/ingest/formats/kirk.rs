//! LTP kirk (and runltp-ng) `results.json`: `{"results": [{"test_fqn", "status", "test":
//! {"log", "duration", "retval", "passed", "failed", "broken", "skipped", "warnings"}}],
//! "stats": {…}, "environment": {…}}`.
//!
//! - Path: `ltp.<test_fqn>` (as LKFT and KernelCI name LTP tests in KCIDB).
//! - Status, worst first, from the per-test TPASS/TFAIL/TBROK/TCONF counts and kirk's own
//!   `status` (pass|fail|brok|warn|conf, derived from the exit code): a TFAIL or `fail` →
//!   FAIL; a TBROK or `brok` → ERROR (the test broke, not the kernel); `conf`, or skips with
//!   no pass → SKIP; no status and a non-zero exit code → FAIL; otherwise (warnings included)
//!   PASS.
//! - Accounting: `expected` is the number of entries in `results`; an entry that cannot be
//!   read is an error worth one record. `stats` must equal the sum of the per-test counts;
//!   each field that does not is an error (counts are TPASS/TFAIL lines, not results).
//! - A truncated file keeps the entries before the break; the `test_fqn` keys after it are
//!   counted as lost records.

use super::raw_json::SeqInto;
use super::record::{FormatError, FormatOutput, ResultRecord};
use super::text::{LineIndex, PathSet, excerpt, prefix_segments, segment};
use crate::model::Status;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;
use std::fmt;

/// The per-test counters kirk writes, in the order of its `stats` block.
const COUNTERS: [&str; 5] = ["passed", "failed", "broken", "skipped", "warnings"];

/// Parses a kirk `results.json`.
pub fn parse(text: &str, suite_prefix: Option<&str>) -> FormatOutput {
    let ix = LineIndex::new(text);
    let mut entries: Vec<&RawValue> = Vec::new();
    let mut others: Vec<(String, &RawValue)> = Vec::new();
    let mut saw_results = false;
    let mut de = serde_json::Deserializer::from_str(text);
    let outcome = Top {
        results: &mut entries,
        others: &mut others,
        saw_results: &mut saw_results,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    let mut errors = Vec::new();
    let broken = outcome.as_ref().err().map(|e| {
        let at = ix.offset(e.line(), e.column());
        let parsed_end = entries
            .last()
            .and_then(|r| ix.offset_of(r.get()).map(|o| o + r.get().len()))
            .unwrap_or(0);
        let lost = count_keys(&text[parsed_end.min(text.len())..], "test_fqn");
        errors.push(FormatError {
            line: Some(e.line().max(1)),
            column: Some(e.column().max(1)),
            message: format!("malformed kirk JSON: {e}"),
            records: lost,
        });
        at
    });
    if broken.is_none() && !saw_results {
        errors.push(FormatError::new(
            Some(1),
            "no \"results\" array: not a kirk results file",
            0,
        ));
    }

    let base = match suite_prefix {
        Some(p) => prefix_segments(p),
        None => vec!["ltp".to_string()],
    };
    let mut used = PathSet::default();
    let mut results = Vec::with_capacity(entries.len());
    let mut sums = [0u64; 5];
    for (n, raw) in entries.iter().enumerate() {
        let line = ix.offset_of(raw.get()).map(|o| ix.line(o));
        let v: Value = match serde_json::from_str(raw.get()) {
            Ok(v) => v,
            Err(e) => {
                errors.push(FormatError::new(line, format!("result #{}: {e}", n + 1), 1));
                continue;
            }
        };
        let Some(name) = v
            .get("test_fqn")
            .and_then(Value::as_str)
            .filter(|s| !segment(s).is_empty())
        else {
            errors.push(FormatError::new(
                line,
                format!("result #{} has no usable \"test_fqn\"", n + 1),
                1,
            ));
            continue;
        };
        let test = v.get("test").cloned().unwrap_or(Value::Null);
        let counts = COUNTERS.map(|k| test.get(k).and_then(as_count).unwrap_or(0));
        for (s, c) in sums.iter_mut().zip(counts) {
            *s = s.saturating_add(c);
        }
        let mut segs = base.clone();
        segs.push(segment(name));
        results.push(ResultRecord {
            path: used.unique(&segs),
            status: status(&v, &test, counts),
            log_excerpt: test.get("log").and_then(Value::as_str).and_then(excerpt),
            start_time: None,
            duration: test
                .get("duration")
                .and_then(Value::as_f64)
                .filter(|d| d.is_finite() && *d >= 0.0),
            line,
        });
    }

    if broken.is_none() {
        check_stats(&ix, &others, &sums, &mut errors);
    }
    FormatOutput {
        format: "kirk",
        results,
        errors,
        expected: (broken.is_none() && saw_results).then_some(entries.len()),
    }
}

/// A non-negative integer count (kirk writes integers; tolerate `3.0` and `"3"`).
fn as_count(v: &Value) -> Option<u64> {
    v.as_u64()
        .or_else(|| {
            v.as_f64()
                .filter(|f| *f >= 0.0 && f.fract() == 0.0)
                .map(|f| f as u64)
        })
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

/// The status of one entry (see the module documentation).
fn status(entry: &Value, test: &Value, [passed, failed, broken, skipped, _]: [u64; 5]) -> Status {
    let word = entry
        .get("status")
        .or_else(|| test.get("result"))
        .and_then(Value::as_str)
        .map(|s| s.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let exit_code = test
        .get("retval")
        .and_then(|r| r.as_array().and_then(|a| a.first()).or(Some(r)))
        .and_then(|r| {
            r.as_i64()
                .or_else(|| r.as_str().and_then(|s| s.trim().parse().ok()))
        });
    if failed > 0 || word == "fail" {
        Status::Fail
    } else if broken > 0 || word == "brok" {
        Status::Error
    } else if word == "conf" || (skipped > 0 && passed == 0) {
        Status::Skip
    } else if word.is_empty() && exit_code.is_some_and(|c| c != 0) {
        Status::Fail
    } else {
        Status::Pass
    }
}

/// `stats` against the sum of the per-test counts.
fn check_stats(
    ix: &LineIndex<'_>,
    others: &[(String, &RawValue)],
    sums: &[u64; 5],
    errors: &mut Vec<FormatError>,
) {
    let Some((_, raw)) = others.iter().find(|(k, _)| k == "stats") else {
        return;
    };
    let line = ix.offset_of(raw.get()).map(|o| ix.line(o));
    let Ok(stats) = serde_json::from_str::<Value>(raw.get()) else {
        return;
    };
    for (key, sum) in COUNTERS.iter().zip(sums) {
        if let Some(claim) = stats.get(*key).and_then(as_count)
            && claim != *sum
        {
            errors.push(FormatError::new(
                line,
                format!("stats.{key} is {claim} but the tests' {key} counts add up to {sum}"),
                0,
            ));
        }
    }
}

/// Occurrences of `"key"` used as a key (not inside an escaped string) in `text`.
pub(crate) fn count_keys(text: &str, key: &str) -> usize {
    let quoted = format!("\"{key}\"");
    text.match_indices(&quoted)
        .filter(|(i, _)| !text[..*i].ends_with('\\'))
        .filter(|(i, q)| text[i + q.len()..].trim_start().starts_with(':'))
        .count()
}

/// The top-level object: `results` collected element by element, the rest kept raw.
struct Top<'o, 'a> {
    results: &'o mut Vec<&'a RawValue>,
    others: &'o mut Vec<(String, &'a RawValue)>,
    saw_results: &'o mut bool,
}

impl<'de> DeserializeSeed<'de> for Top<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a kirk results object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "results" && !*self.saw_results {
                *self.saw_results = true;
                map.next_value_seed(SeqInto(self.results))?;
            } else {
                let v: &'de RawValue = map.next_value()?;
                self.others.push((key, v));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_from_counts_and_words() {
        let text = r#"{"results":[
 {"test_fqn":"a","status":"pass","test":{"passed":1,"failed":0,"broken":0,"skipped":0,"warnings":0,"retval":["0"],"duration":1.5,"log":"a 1 TPASS"}},
 {"test_fqn":"b","status":"fail","test":{"passed":0,"failed":2,"broken":1,"skipped":0,"warnings":0,"retval":["1"]}},
 {"test_fqn":"c","status":"brok","test":{"passed":0,"failed":0,"broken":1,"skipped":0,"warnings":0}},
 {"test_fqn":"d","status":"conf","test":{"passed":0,"failed":0,"broken":0,"skipped":1,"warnings":0}},
 {"test_fqn":"e","status":"warn","test":{"passed":1,"failed":0,"broken":0,"skipped":0,"warnings":1}},
 {"test_fqn":"f","test":{"retval":["139"]}}
],"stats":{"passed":2,"failed":2,"broken":2,"skipped":1,"warnings":0}}"#;
        let out = parse(text, None);
        let got: Vec<_> = out.verdicts();
        assert_eq!(
            got,
            vec![
                ("ltp.a", Status::Pass),
                ("ltp.b", Status::Fail),
                ("ltp.c", Status::Error),
                ("ltp.d", Status::Skip),
                ("ltp.e", Status::Pass),
                ("ltp.f", Status::Fail),
            ]
        );
        assert_eq!(out.results[2].line, Some(4));
        assert_eq!(out.expected, Some(6));
        assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
        assert!(out.errors[0].message.contains("stats.warnings is 0"));
    }

    #[test]
    fn truncated_file_keeps_earlier_entries() {
        let text =
            r#"{"results":[{"test_fqn":"a","test":{"passed":1}},{"test_fqn":"b","test":{"pas"#;
        let out = parse(text, None);
        assert_eq!(out.results.len(), 1);
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].records, 1);
        assert_eq!(out.expected, None);
    }
}
