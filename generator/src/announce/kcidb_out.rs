//! `api/v1/kcidb.json`: the night's regressions as a KCIDB v5.3 document, so KernelCI's
//! dashboard (and anything else that reads KCIDB) shows them as issues with their incidents.
//!
//! One issue per published regression (`<origin>:<regression id>`), versioned through the
//! ledger so that an issue whose content changed is sent with a higher version (KCIDB keeps
//! the highest), and one incident per failing test regtrack read that has a KCIDB id
//! ([`crate::correlate::Regression::kcidb_runs`]). Every string is one of KCIDB's: no NUL
//! (the schema's `^[^\0]*$`), categories as dot paths, `report_url` only when absolute.
//! regtrack reads the document back like any other submission (tested).

use serde_json::{Map, Value, json};

use super::events::absolute_permalink;
use super::options::AnnounceOptions;
use super::text::one_line;
use crate::correlate::Regression;
use crate::report::Report;
use crate::report::ledger::Ledger;

/// The KCIDB schema version written.
pub const VERSION: (u32, u32) = (5, 3);

/// Text KCIDB accepts: no NUL (and, since people read it, no other control character).
fn kcidb_text(s: &str, max: usize) -> String {
    one_line(s, max)
}

/// A category path component: `[a-zA-Z0-9_-]+`.
fn path_part(s: &str) -> String {
    let p: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if p.is_empty() { "unknown".into() } else { p }
}

/// What the issue says, without its version: the part whose change bumps the version.
fn issue_body(r: &Regression, opts: &AnnounceOptions) -> Map<String, Value> {
    let origin = opts.origin();
    let mut m = Map::new();
    m.insert("id".into(), json!(format!("{origin}:{}", r.id)));
    m.insert("origin".into(), json!(origin));
    if let Some(url) = absolute_permalink(opts.base_url(), &r.id) {
        m.insert("report_url".into(), json!(url));
    }
    m.insert(
        "report_subject".into(),
        json!(kcidb_text(&super::report_txt::subject(r), 200)),
    );
    m.insert(
        "culprit".into(),
        json!({"code": true, "tool": false, "harness": false}),
    );
    let commit = |c: &crate::series::CommitRef| {
        kcidb_text(
            c.describe
                .as_deref()
                .or(c.commit.as_deref())
                .unwrap_or("unknown"),
            80,
        )
    };
    let tree = match (r.tree.as_deref(), r.branch.as_deref()) {
        (Some(t), Some(b)) => format!("{t}/{b}"),
        (Some(t), None) => t.to_string(),
        _ => "unknown tree".into(),
    };
    m.insert(
        "comment".into(),
        json!(kcidb_text(
            &format!(
                "{} regression on {tree}: {}; introduced between {} and {}; scope {}{}",
                r.status.as_str(),
                r.title,
                commit(&r.last_pass),
                commit(&r.first_fail),
                r.scope.kind,
                r.scope
                    .value
                    .as_deref()
                    .map(|v| format!(" {v}"))
                    .unwrap_or_default()
            ),
            1000
        )),
    );
    let mut categories = vec![
        "regression".to_string(),
        format!("regression.{}", r.status.as_str()),
        format!("regression.scope.{}", path_part(r.scope.kind)),
    ];
    if r.signature.is_some() {
        categories.push("runtime.crash".into());
    }
    m.insert("categories".into(), json!(categories));
    let mut misc = Map::new();
    misc.insert("regtrack_id".into(), json!(r.id));
    misc.insert("status".into(), json!(r.status.as_str()));
    misc.insert("tree".into(), json!(r.tree));
    misc.insert("branch".into(), json!(r.branch));
    misc.insert("first_seen".into(), json!(r.first_seen));
    misc.insert("last_pass".into(), json!(r.last_pass.commit));
    misc.insert("first_fail".into(), json!(r.first_fail.commit));
    misc.insert("signature".into(), json!(r.signature));
    misc.insert("tests".into(), json!(r.tests));
    m.insert("misc".into(), Value::Object(misc));
    m
}

/// A digest of what the issue says: the ledger bumps the version when it changes.
pub fn digest(r: &Regression, _report: &Report, opts: &AnnounceOptions) -> String {
    let body = Value::Object(issue_body(r, opts)).to_string();
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(body.as_bytes()))
}

/// The document.
pub fn kcidb_json(
    report: &Report,
    ledger: &Ledger,
    opts: &AnnounceOptions,
) -> anyhow::Result<Vec<u8>> {
    let origin = opts.origin();
    let mut issues = Vec::new();
    let mut incidents = Vec::new();
    for r in report.published() {
        let version = ledger
            .entries
            .get(&r.id)
            .and_then(|e| e.kcidb.as_ref())
            .map_or(1, |k| k.version);
        let mut issue = issue_body(r, opts);
        issue.insert("version".into(), json!(version));
        let issue_id = issue["id"].clone();
        issues.push(Value::Object(issue));
        for run in &r.kcidb_runs {
            // Ids KCIDB could not have sent are not linked.
            if run.contains('\0') || !run.contains(':') {
                continue;
            }
            let h = xxhash_rust::xxh3::xxh3_64(run.as_bytes());
            incidents.push(json!({
                "id": format!("{origin}:{}-{h:016x}", r.id),
                "origin": origin,
                "issue_id": issue_id,
                "issue_version": version,
                "test_id": run,
                "present": true,
            }));
        }
    }
    let doc = json!({
        "version": {"major": VERSION.0, "minor": VERSION.1},
        "issues": issues,
        "incidents": incidents,
    });
    let mut out = serde_json::to_vec_pretty(&doc)?;
    out.push(b'\n');
    Ok(out)
}
