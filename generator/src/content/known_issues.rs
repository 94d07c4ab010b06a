//! Known-issue rules (`known-issues.toml`): failures every given field of a rule matches
//! (globs for test, board and lab, a regular expression for the crash signature) are known.

use std::path::Path;

use globset::{Glob, GlobMatcher};
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::links::is_web_url;

/// A known-issue rule, as written in `known-issues.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    id: String,
    title: Option<String>,
    url: Option<String>,
    test: Option<String>,
    platform: Option<String>,
    lab: Option<String>,
    signature: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    known_issue: Vec<RuleSpec>,
}

/// A compiled known-issue rule; every given field must match.
#[derive(Debug, Clone)]
pub struct KnownIssue {
    pub id: String,
    pub title: Option<String>,
    pub url: Option<String>,
    test: Option<GlobMatcher>,
    platform: Option<GlobMatcher>,
    lab: Option<GlobMatcher>,
    signature: Option<Regex>,
}

/// What the export and pages say about a matched rule.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct KnownIssueRef {
    pub id: String,
    pub title: Option<String>,
    pub url: Option<String>,
}

impl KnownIssue {
    /// True when the failure (test, board, lab, crash title) matches every field of the rule.
    pub fn matches(
        &self,
        test: &str,
        platform: &str,
        lab: Option<&str>,
        signature: Option<&str>,
    ) -> bool {
        self.test.as_ref().is_none_or(|g| g.is_match(test))
            && self.platform.as_ref().is_none_or(|g| g.is_match(platform))
            && self
                .lab
                .as_ref()
                .is_none_or(|g| lab.is_some_and(|l| g.is_match(l)))
            && self
                .signature
                .as_ref()
                .is_none_or(|r| signature.is_some_and(|s| r.is_match(s)))
    }

    pub fn reference(&self) -> KnownIssueRef {
        KnownIssueRef {
            id: self.id.clone(),
            title: self.title.clone(),
            url: self.url.clone().filter(|u| is_web_url(u)),
        }
    }
}

fn compile_glob(field: &str, pattern: &Option<String>) -> Result<Option<GlobMatcher>, String> {
    pattern
        .as_ref()
        .map(|p| {
            Glob::new(p)
                .map(|g| g.compile_matcher())
                .map_err(|e| format!("bad {field} glob {p:?}: {e}"))
        })
        .transpose()
}

/// Reads and compiles a rules file; the first bad rule refuses the file.
pub fn load_rules(path: &Path) -> Result<Vec<KnownIssue>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let file: RulesFile = toml::from_str(&text).map_err(|e| e.to_string())?;
    file.known_issue
        .into_iter()
        .map(|r| {
            Ok(KnownIssue {
                test: compile_glob("test", &r.test)?,
                platform: compile_glob("platform", &r.platform)?,
                lab: compile_glob("lab", &r.lab)?,
                signature: r
                    .signature
                    .as_ref()
                    .map(|s| {
                        Regex::new(s)
                            .map_err(|e| format!("rule {}: bad signature regex: {e}", r.id))
                    })
                    .transpose()?,
                id: r.id,
                title: r.title,
                url: r.url,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_match_all_given_fields() {
        let dir = std::env::temp_dir().join(format!("regtrack-rules-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("known-issues.toml");
        std::fs::write(
            &p,
            "[[known_issue]]\nid = \"a\"\ntest = \"kselftest.net.*\"\nplatform = \"rk3399-*\"\n\n\
             [[known_issue]]\nid = \"b\"\nsignature = \"^WARNING in tls_\"\n",
        )
        .unwrap();
        let rules = load_rules(&p).unwrap();
        assert!(rules[0].matches("kselftest.net.tls", "rk3399-gru-kevin", None, None));
        assert!(!rules[0].matches("kselftest.net.tls", "juno-r2", None, None));
        assert!(rules[1].matches("x", "y", None, Some("WARNING in tls_sw_recvmsg")));
        assert!(!rules[1].matches("x", "y", None, None));
        std::fs::write(&p, "[[known_issue]]\nid = \"c\"\ntset = \"x\"\n").unwrap();
        assert!(load_rules(&p).unwrap_err().contains("tset"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
