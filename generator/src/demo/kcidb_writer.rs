//! Writing KCIDB submissions: the objects in the submitters' field order, and the file of one
//! origin and day built up object by object and rendered one object per line.

use chrono::{NaiveDate, NaiveDateTime};
use rand::RngExt;
use serde::Serialize;

use super::dates::{day_number, unix_seconds, ymd};
use super::random::sub_rng;
use super::tables::Origin;

/// One KCIDB submission file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoFile {
    /// Relative path, e.g. `2026-11-07/maestro.json`.
    pub rel_path: String,
    /// KCIDB v5.3 JSON, one object per line inside each array.
    pub contents: String,
}

// KCIDB objects, serialized in field order (the order the real submitters use).

#[derive(Serialize)]
pub(super) struct KcidbCheckout<'a> {
    pub(super) id: &'a str,
    pub(super) origin: &'static str,
    pub(super) tree_name: &'static str,
    pub(super) git_repository_url: &'static str,
    pub(super) git_repository_branch: &'static str,
    pub(super) git_commit_hash: &'a str,
    pub(super) git_commit_name: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub(super) git_commit_tags: &'a [String],
    pub(super) git_repository_branch_tip: bool,
    pub(super) patchset_hash: &'static str,
    pub(super) start_time: String,
    pub(super) valid: bool,
}

#[derive(Serialize)]
pub(super) struct KcidbBuild<'a> {
    pub(super) id: &'a str,
    pub(super) checkout_id: &'a str,
    pub(super) origin: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) comment: Option<&'a str>,
    pub(super) start_time: String,
    pub(super) duration: u64,
    pub(super) architecture: &'static str,
    pub(super) compiler: &'static str,
    pub(super) config_name: &'static str,
    pub(super) config_url: String,
    pub(super) log_url: String,
    pub(super) status: &'static str,
}

#[derive(Serialize)]
pub(super) struct KcidbTest<'a> {
    pub(super) id: &'a str,
    pub(super) build_id: &'a str,
    pub(super) origin: &'static str,
    pub(super) path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) comment: Option<&'a str>,
    pub(super) start_time: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) status: Option<&'static str>,
    pub(super) environment: KcidbEnvironment<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) misc: Option<KcidbTestMisc<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) log_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) log_excerpt: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct KcidbEnvironment<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) compatible: Option<&'static [&'static str]>,
    pub(super) misc: KcidbEnvironmentMisc<'a>,
}

#[derive(Serialize)]
pub(super) struct KcidbEnvironmentMisc<'a> {
    pub(super) platform: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) job_id: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct KcidbTestMisc<'a> {
    pub(super) runtime: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) error_code: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) error_msg: Option<&'static str>,
}

#[derive(Serialize)]
pub(super) struct KcidbCulprit {
    pub(super) code: bool,
    pub(super) harness: bool,
    pub(super) tool: bool,
}

#[derive(Serialize)]
pub(super) struct KcidbIssue<'a> {
    pub(super) id: &'a str,
    pub(super) version: u32,
    pub(super) origin: &'static str,
    pub(super) comment: &'a str,
    pub(super) report_url: &'a str,
    pub(super) report_subject: &'a str,
    pub(super) culprit: KcidbCulprit,
    pub(super) categories: &'a [&'a str],
}

#[derive(Serialize)]
pub(super) struct KcidbIncident<'a> {
    pub(super) id: &'a str,
    pub(super) issue_id: &'a str,
    pub(super) issue_version: u32,
    pub(super) test_id: &'a str,
    pub(super) origin: &'static str,
    pub(super) present: bool,
    pub(super) comment: &'static str,
}

/// One object on one line.
pub(super) fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("plain structs serialize")
}

/// One output file (one origin, one day) under construction: already serialized objects, plus
/// the ObjectId state of the origin for that day.
pub(super) struct SubmissionBuffer {
    pub(super) checkouts: Vec<String>,
    pub(super) builds: Vec<String>,
    pub(super) tests: Vec<String>,
    pub(super) issues: Vec<String>,
    pub(super) incidents: Vec<String>,
    object_id_machine: u64,
    object_id_counter: u32,
}

impl SubmissionBuffer {
    /// The empty file of `origin` for `date`, with that day's ObjectId machine and counter start.
    pub(super) fn new(seed: u64, date: NaiveDate, origin: Origin) -> SubmissionBuffer {
        let mut rng = sub_rng(seed, &[3, day_number(date), origin as u64]);
        SubmissionBuffer {
            checkouts: Vec::new(),
            builds: Vec::new(),
            tests: Vec::new(),
            issues: Vec::new(),
            incidents: Vec::new(),
            object_id_machine: rng.random::<u64>() & 0xff_ffff_ffff,
            object_id_counter: rng.random_range(0..0x40_0000u32),
        }
    }

    /// The next MongoDB ObjectId, as KernelCI's maestro uses for node ids (timestamp, machine,
    /// counter).
    pub(super) fn next_object_id(&mut self, at: &NaiveDateTime) -> String {
        self.object_id_counter = self.object_id_counter.wrapping_add(1);
        format!(
            "{:08x}{:010x}{:06x}",
            unix_seconds(at) as u32,
            self.object_id_machine,
            self.object_id_counter & 0xff_ffff
        )
    }

    /// The finished file, at `YYYY-MM-DD/<origin>.json`.
    pub(super) fn render_file(&self, date: NaiveDate, origin: Origin) -> DemoFile {
        DemoFile {
            rel_path: format!("{}/{}.json", ymd(date), origin.as_str()),
            contents: self.render(origin),
        }
    }

    /// KCIDB JSON, `version` first, one object per line. Maestro always writes all five arrays
    /// (as the real pipeline does); linaro leaves out empty ones.
    fn render(&self, origin: Origin) -> String {
        let size: usize = [
            &self.checkouts,
            &self.builds,
            &self.tests,
            &self.issues,
            &self.incidents,
        ]
        .iter()
        .map(|v| v.iter().map(|s| s.len() + 6).sum::<usize>())
        .sum();
        let mut s = String::with_capacity(size + 256);
        s.push_str("{\n  \"version\": {\"major\": 5, \"minor\": 3}");
        for (key, items) in [
            ("checkouts", &self.checkouts),
            ("builds", &self.builds),
            ("tests", &self.tests),
            ("issues", &self.issues),
            ("incidents", &self.incidents),
        ] {
            if items.is_empty() && origin == Origin::Linaro {
                continue;
            }
            s.push_str(",\n  \"");
            s.push_str(key);
            s.push_str("\": [");
            if items.is_empty() {
                s.push(']');
                continue;
            }
            for (i, it) in items.iter().enumerate() {
                s.push_str(if i == 0 { "\n    " } else { ",\n    " });
                s.push_str(it);
            }
            s.push_str("\n  ]");
        }
        s.push_str("\n}\n");
        s
    }
}
