//! The normalised KCIDB objects regtrack works on.
//!
//! Field names follow the KCIDB schema so the types deserialise straight from a submission.
//! Every field is optional: KCIDB sends the same object several times with partial fields, and
//! [`Merge`] combines them first-non-null-wins, like the KCIDB dashboard.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// A KCIDB test or build status, in KCIDB's priority order (highest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    /// The kernel is faulty.
    Fail,
    /// The test itself broke.
    Error,
    /// The harness or lab failed to run it.
    Miss,
    Pass,
    /// Ran, no verdict.
    Done,
    Skip,
}

impl Status {
    /// Parses the schema's spelling; `None` for anything else.
    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "FAIL" => Status::Fail,
            "ERROR" => Status::Error,
            "MISS" => Status::Miss,
            "PASS" => Status::Pass,
            "DONE" => Status::Done,
            "SKIP" => Status::Skip,
            _ => return None,
        })
    }

    /// The schema's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Fail => "FAIL",
            Status::Error => "ERROR",
            Status::Miss => "MISS",
            Status::Pass => "PASS",
            Status::Done => "DONE",
            Status::Skip => "SKIP",
        }
    }
}

/// A checkout: one commit of one tree/branch, tested.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Checkout {
    pub id: String,
    pub origin: Option<String>,
    pub tree_name: Option<String>,
    pub git_repository_url: Option<String>,
    pub git_repository_branch: Option<String>,
    pub git_commit_hash: Option<String>,
    pub git_commit_name: Option<String>,
    pub start_time: Option<String>,
}

/// A build of a checkout.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Build {
    pub id: String,
    pub checkout_id: Option<String>,
    pub origin: Option<String>,
    pub architecture: Option<String>,
    pub config_name: Option<String>,
    pub compiler: Option<String>,
    pub start_time: Option<String>,
    /// v5 status.
    pub status: Option<String>,
    /// v4 verdict, mapped to a status by [`Build::effective_status`].
    pub valid: Option<bool>,
}

impl Build {
    /// v5 `status`, or v4 `valid` mapped to PASS/FAIL.
    pub fn effective_status(&self) -> Option<Status> {
        self.status.as_deref().and_then(Status::parse).or(self
            .valid
            .map(|v| if v { Status::Pass } else { Status::Fail }))
    }
}

/// Where a test ran.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Environment {
    pub compatible: Option<Vec<String>>,
    /// Free-form; `platform` is read from it.
    pub misc: Option<Box<RawValue>>,
}

/// A test run on a build.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Test {
    pub id: String,
    pub build_id: Option<String>,
    pub origin: Option<String>,
    pub path: Option<String>,
    pub status: Option<String>,
    pub start_time: Option<String>,
    pub environment: Option<Environment>,
    pub log_url: Option<String>,
    pub log_excerpt: Option<String>,
    /// Free-form; `lab` or `runtime` is read from it.
    pub misc: Option<Box<RawValue>>,
}

/// Reads one string field out of a free-form `misc` object, if it is there and a string.
fn misc_str(misc: Option<&RawValue>, key: &str) -> Option<String> {
    let map: std::collections::HashMap<String, &RawValue> =
        serde_json::from_str(misc?.get()).ok()?;
    serde_json::from_str::<String>(map.get(key)?.get())
        .ok()
        .filter(|s| !s.is_empty())
}

impl Test {
    /// The parsed status; `None` while the test is still running (or the field is absent).
    pub fn status(&self) -> Option<Status> {
        self.status.as_deref().and_then(Status::parse)
    }

    /// The board: `environment.misc.platform`, falling back to `environment.compatible[0]`.
    pub fn platform(&self) -> Option<String> {
        let env = self.environment.as_ref()?;
        misc_str(env.misc.as_deref(), "platform").or_else(|| {
            env.compatible
                .as_ref()
                .and_then(|c| c.first())
                .filter(|s| !s.is_empty())
                .cloned()
        })
    }

    /// The lab: `misc.lab`, falling back to `misc.runtime`.
    pub fn lab(&self) -> Option<String> {
        misc_str(self.misc.as_deref(), "lab").or_else(|| misc_str(self.misc.as_deref(), "runtime"))
    }
}

/// Who is blamed by an issue.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct Culprit {
    pub code: Option<bool>,
    pub tool: Option<bool>,
    pub harness: Option<bool>,
}

/// A KCIDB issue: a known problem, possibly reported somewhere.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Issue {
    pub id: String,
    pub version: Option<i64>,
    pub origin: Option<String>,
    pub report_url: Option<String>,
    pub report_subject: Option<String>,
    pub culprit: Option<Culprit>,
    pub comment: Option<String>,
    pub categories: Option<Vec<String>>,
}

/// A KCIDB incident: an issue seen in a build or test.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Incident {
    pub id: String,
    pub issue_id: Option<String>,
    pub issue_version: Option<i64>,
    pub origin: Option<String>,
    pub build_id: Option<String>,
    pub test_id: Option<String>,
    pub present: Option<bool>,
    pub comment: Option<String>,
}

/// Combines two sightings of the same object: fields already known win.
pub trait Merge {
    /// Merges `later` in and returns the identifying fields on which it disagreed (kept first).
    fn merge(&mut self, later: Self) -> Vec<&'static str>;
}

/// `checked` fields are compared when both sightings have them (a clash is reported), the
/// `rest` only fill gaps.
macro_rules! merge_fields {
    ($ty:ty: [$($checked:ident),*] [$($rest:ident),*]) => {
        impl Merge for $ty {
            #[allow(unused_mut)]
            fn merge(&mut self, later: Self) -> Vec<&'static str> {
                let mut clashes = Vec::new();
                $(
                    match (&self.$checked, later.$checked) {
                        (None, v) => self.$checked = v,
                        (Some(a), Some(b)) if *a != b => clashes.push(stringify!($checked)),
                        _ => {}
                    }
                )*
                $( if self.$rest.is_none() { self.$rest = later.$rest; } )*
                clashes
            }
        }
    };
}

merge_fields!(Checkout: [git_repository_url, git_repository_branch, git_commit_hash, start_time]
    [origin, tree_name, git_commit_name]);
merge_fields!(Build: [checkout_id, architecture, config_name, compiler, status]
    [origin, start_time, valid]);
merge_fields!(Test: [build_id, path, status, start_time]
    [origin, environment, log_url, log_excerpt, misc]);
merge_fields!(Issue: [] [version, origin, report_url, report_subject, culprit, comment, categories]);
merge_fields!(Incident: [issue_id, test_id, build_id] [issue_version, origin, present, comment]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_keeps_first_non_null() {
        let mut a = Test {
            id: "o:1".into(),
            path: Some("boot".into()),
            ..Default::default()
        };
        let b = Test {
            id: "o:1".into(),
            path: Some("other".into()),
            status: Some("PASS".into()),
            ..Default::default()
        };
        assert_eq!(a.merge(b), vec!["path"]);
        assert_eq!(a.path.as_deref(), Some("boot"));
        assert_eq!(a.status(), Some(Status::Pass));
    }

    #[test]
    fn platform_falls_back_to_compatible() {
        let t: Test = serde_json::from_str(
            r#"{"id":"o:1","environment":{"compatible":["ti,am625-sk","ti,am625"],"misc":{"x":1}}}"#,
        )
        .unwrap();
        assert_eq!(t.platform().as_deref(), Some("ti,am625-sk"));
        let t: Test = serde_json::from_str(
            r#"{"id":"o:1","environment":{"misc":{"platform":""}},"misc":{"lab":"lab-a","runtime":"r"}}"#,
        )
        .unwrap();
        assert_eq!(t.platform(), None);
        assert_eq!(t.lab().as_deref(), Some("lab-a"));
    }

    #[test]
    fn status_priority_order() {
        assert!(Status::Fail < Status::Error && Status::Miss < Status::Pass);
    }
}
