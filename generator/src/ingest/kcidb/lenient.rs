//! The lenient path: a KCIDB document (schema v4.x and v5.x) parsed into typed objects, one
//! object at a time.
//!
//! Lenient the way a collector must be: unknown fields are ignored, every field is optional
//! (absent means unknown, never a default), and a bad object rejects that object alone with
//! its id and reason. A file whose top level is not a KCIDB document is rejected whole.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;

use super::schema::{KINDS, SUPPORTED_MAJOR};
use crate::diag::{Diagnostic, Location, RejectReason};
use crate::model::{Build, Checkout, Incident, Issue, Status, Test};

/// Everything one file yielded.
#[derive(Debug, Default)]
pub struct ParsedFile {
    /// The file's name, as diagnostics show it.
    pub file: String,
    pub checkouts: Vec<Checkout>,
    pub builds: Vec<Build>,
    pub tests: Vec<Test>,
    pub issues: Vec<Issue>,
    pub incidents: Vec<Incident>,
    /// One entry per rejected object or per rejected file.
    pub diagnostics: Vec<Diagnostic>,
    /// Objects seen in the file, accepted or not, per kind (for the accounting check).
    pub seen: BTreeMap<&'static str, usize>,
}

#[derive(Deserialize)]
struct Version {
    major: u64,
    #[serde(default)]
    minor: Option<u64>,
}

/// Parses one KCIDB document. `file` names it in diagnostics.
pub fn parse_document(file: &str, text: &str) -> ParsedFile {
    let mut out = ParsedFile {
        file: file.to_string(),
        ..Default::default()
    };
    let top: BTreeMap<String, &RawValue> = match serde_json::from_str(text) {
        Ok(top) => top,
        Err(e) => {
            // Unparseable: its records cannot be counted, the file is (in files_rejected).
            let mut d = Diagnostic::new(
                file,
                Location::LineCol(e.line(), e.column()),
                RejectReason::Malformed,
                format!(
                    "not a KCIDB JSON document: {}{}",
                    json_reason(&e),
                    if e.is_eof() { " (truncated file?)" } else { "" }
                ),
            );
            d.records = 0;
            out.diagnostics.push(d);
            return out;
        }
    };
    if let Some((reason, message)) = check_top_level(&top) {
        // Count the objects the file claimed to hold so nothing disappears from the totals.
        let mut records = 0;
        for (key, raw) in &top {
            let kind = kind_name(key);
            if kind == "unknown" {
                continue;
            }
            if let Ok(items) = serde_json::from_str::<Vec<IgnoredAny>>(raw.get()) {
                *out.seen.entry(kind).or_default() += items.len();
                records += items.len();
            }
        }
        let mut d = Diagnostic::new(file, Location::File, reason, message);
        d.records = records;
        out.diagnostics.push(d);
        return out;
    }
    for (key, raw) in &top {
        match key.as_str() {
            "checkouts" => parse_array(file, key, raw, &mut out, |o, c| o.checkouts.push(c)),
            "builds" => parse_array(file, key, raw, &mut out, |o, b| o.builds.push(b)),
            "tests" => parse_array(file, key, raw, &mut out, |o, t| o.tests.push(t)),
            "issues" => parse_array(file, key, raw, &mut out, |o, i| o.issues.push(i)),
            "incidents" => parse_array(file, key, raw, &mut out, |o, i| o.incidents.push(i)),
            _ => {}
        }
    }
    out
}

/// serde_json's message without its trailing position (the location is shown already).
pub fn json_reason(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    msg.strip_suffix(&suffix).unwrap_or(&msg).to_string()
}

/// Maps a top-level key to the kind it is counted under (near-misses count as their kind).
fn kind_name(key: &str) -> &'static str {
    KINDS
        .iter()
        .find(|k| **k == key || k.strip_suffix('s') == Some(key))
        .copied()
        .unwrap_or("unknown")
}

/// Why a whole document is refused, if it is: missing or unsupported version, or top-level
/// keys the schema does not have (a typo there would silently drop every object under it).
fn check_top_level(top: &BTreeMap<String, &RawValue>) -> Option<(RejectReason, String)> {
    let Some(raw) = top.get("version") else {
        return Some((
            RejectReason::Malformed,
            "missing the required `version` object".into(),
        ));
    };
    let version: Version = match serde_json::from_str(raw.get()) {
        Ok(v) => v,
        Err(e) => {
            return Some((RejectReason::Malformed, format!("bad `version`: {e}")));
        }
    };
    if !SUPPORTED_MAJOR.contains(&version.major) {
        return Some((
            RejectReason::UnsupportedVersion,
            format!(
                "schema version {}.{} is not supported (supported: 4.x, 5.x)",
                version.major,
                version.minor.unwrap_or(0)
            ),
        ));
    }
    let unknown: Vec<String> = top
        .keys()
        .filter(|k| k.as_str() != "version" && !KINDS.contains(&k.as_str()))
        .map(
            |k| match KINDS.iter().find(|kind| kind.strip_suffix('s') == Some(k)) {
                Some(kind) => format!("`{k}` (did you mean `{kind}`?)"),
                None => format!("`{k}`"),
            },
        )
        .collect();
    if !unknown.is_empty() {
        return Some((
            RejectReason::Malformed,
            format!("unknown top-level key {}", unknown.join(", ")),
        ));
    }
    None
}

/// Parses each element of one object array on its own, so one bad object costs only itself.
fn parse_array<T: for<'de> Deserialize<'de> + Validate>(
    file: &str,
    key: &str,
    raw: &RawValue,
    out: &mut ParsedFile,
    mut push: impl FnMut(&mut ParsedFile, T),
) {
    let kind = kind_name(key);
    let items: Vec<&RawValue> = match serde_json::from_str(raw.get()) {
        Ok(items) => items,
        Err(e) => {
            out.diagnostics.push(Diagnostic::new(
                file,
                Location::Key(key.to_string()),
                RejectReason::Malformed,
                format!("`{key}` is not an array of objects: {e}"),
            ));
            return;
        }
    };
    *out.seen.entry(kind).or_default() += items.len();
    for (index, item) in items.into_iter().enumerate() {
        let parsed = serde_json::from_str::<T>(item.get())
            .map_err(|e| (RejectReason::Malformed, json_reason(&e)))
            .and_then(|obj| obj.validate().map(|()| obj));
        match parsed {
            Ok(obj) => push(out, obj),
            Err((reason, message)) => out.diagnostics.push(Diagnostic::new(
                file,
                Location::Object {
                    kind,
                    index,
                    id: object_id(item),
                },
                reason,
                message,
            )),
        }
    }
}

/// The `id` of a raw object, when it has a string one (for diagnostics).
fn object_id(raw: &RawValue) -> Option<String> {
    #[derive(Deserialize)]
    struct IdOnly {
        id: Option<String>,
    }
    serde_json::from_str::<IdOnly>(raw.get())
        .ok()
        .and_then(|o| o.id)
        .filter(|id| !id.is_empty())
}

/// Checks beyond what serde's types enforce.
pub trait Validate {
    /// `Err((reason, message))` rejects the object.
    fn validate(&self) -> Result<(), (RejectReason, String)>;
}

/// Rejects a `start_time` that is present but not RFC 3339 (it would silently reorder history).
fn check_time(t: Option<&str>) -> Result<(), (RejectReason, String)> {
    match t {
        Some(t) if crate::time::parse_time(t).is_none() => Err((
            RejectReason::Malformed,
            format!("start_time {t:?} is not an RFC 3339 date-time"),
        )),
        _ => Ok(()),
    }
}

fn require_id(id: &str) -> Result<(), (RejectReason, String)> {
    if id.is_empty() {
        return Err((RejectReason::Malformed, "empty `id`".into()));
    }
    Ok(())
}

impl Validate for Checkout {
    fn validate(&self) -> Result<(), (RejectReason, String)> {
        require_id(&self.id)?;
        check_time(self.start_time.as_deref())
    }
}

impl Validate for Build {
    fn validate(&self) -> Result<(), (RejectReason, String)> {
        require_id(&self.id)?;
        check_time(self.start_time.as_deref())?;
        check_status(self.status.as_deref())
    }
}

impl Validate for Test {
    fn validate(&self) -> Result<(), (RejectReason, String)> {
        require_id(&self.id)?;
        check_time(self.start_time.as_deref())?;
        check_status(self.status.as_deref())
    }
}

impl Validate for Issue {
    fn validate(&self) -> Result<(), (RejectReason, String)> {
        require_id(&self.id)
    }
}

impl Validate for Incident {
    fn validate(&self) -> Result<(), (RejectReason, String)> {
        require_id(&self.id)
    }
}

fn check_status(status: Option<&str>) -> Result<(), (RejectReason, String)> {
    match status {
        Some(s) if Status::parse(s).is_none() => Err((
            RejectReason::UnknownStatus,
            format!("unknown status value {s:?} (expected FAIL, ERROR, MISS, PASS, DONE or SKIP)"),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_objects_and_ignores_unknown_fields() {
        let doc = r#"{"version":{"major":5,"minor":3},
          "checkouts":[{"id":"o:c1","origin":"o","tree_name":"mainline","shiny":1}],
          "builds":[{"id":"o:b1","checkout_id":"o:c1","origin":"o","architecture":"arm64","status":"PASS"}],
          "tests":[{"id":"o:t1","build_id":"o:b1","origin":"o","path":"boot","status":"FAIL",
                    "environment":{"misc":{"platform":"juno-r2"}},"misc":{"runtime":"lava-x"}}]}"#;
        let p = parse_document("f.json", doc);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(p.checkouts[0].tree_name.as_deref(), Some("mainline"));
        assert_eq!(p.builds[0].architecture.as_deref(), Some("arm64"));
        assert_eq!(p.tests[0].platform().as_deref(), Some("juno-r2"));
        assert_eq!(p.tests[0].lab().as_deref(), Some("lava-x"));
        assert_eq!(p.seen["tests"], 1);
    }

    #[test]
    fn v4_valid_maps_to_build_status() {
        let doc = r#"{"version":{"major":4,"minor":2},
          "builds":[{"id":"r:1","checkout_id":"r:c","origin":"r","valid":false},
                    {"id":"r:2","checkout_id":"r:c","origin":"r","valid":true}]}"#;
        let p = parse_document("f.json", doc);
        assert_eq!(p.builds[0].effective_status(), Some(Status::Fail));
        assert_eq!(p.builds[1].effective_status(), Some(Status::Pass));
    }

    #[test]
    fn bad_object_is_rejected_alone_with_its_id() {
        let doc = r#"{"version":{"major":5},
          "tests":[{"id":"o:1","status":"PASS"},{"id":"o:2","status":"BROKEN"},{"id":7}]}"#;
        let p = parse_document("day/f.json", doc);
        assert_eq!(p.tests.len(), 1);
        assert_eq!(p.diagnostics.len(), 2);
        let msg = p.diagnostics[0].to_string();
        assert!(
            msg.contains("day/f.json") && msg.contains("o:2") && msg.contains("BROKEN"),
            "{msg}"
        );
        assert_eq!(p.seen["tests"], 3);
    }

    #[test]
    fn misspelt_top_level_key_rejects_the_file() {
        let doc = r#"{"version":{"major":4,"minor":3},"tests":[{"id":"a:1"}],"issue":[{"id":"a:2","version":1}]}"#;
        let p = parse_document("ex.json", doc);
        assert!(p.tests.is_empty());
        assert_eq!(p.diagnostics.len(), 1);
        assert_eq!(p.diagnostics[0].records, 2);
        assert!(
            p.diagnostics[0]
                .to_string()
                .contains("did you mean `issues`")
        );
    }

    #[test]
    fn unsupported_version_and_garbage() {
        let p = parse_document("v.json", r#"{"version":{"major":3,"minor":0},"tests":[]}"#);
        assert_eq!(p.diagnostics[0].reason, RejectReason::UnsupportedVersion);
        let p = parse_document("g.json", "{\"version\": {\"major\": 5}, \"tests\": [");
        assert_eq!(p.diagnostics[0].reason, RejectReason::Malformed);
        assert!(p.diagnostics[0].to_string().contains("line 1"));
    }
}
