//! Maintainer content: annotations per regression, known-issue rules, and markdown pages.
//!
//! Layout of a content folder (`--content DIR`):
//! - `regressions/<id>.md`: TOML front matter between `+++` lines, then a markdown note.
//! - `known-issues.toml`: `[[known_issue]]` rules (test glob, board/lab glob, signature regex).
//! - `*.md` at the top: extra pages, rendered to `<name>/index.html`.
//!
//! Markdown is rendered with pulldown-cmark with raw HTML shown as text and only web links
//! kept: content files are reviewed by maintainers, but a pasted log must not become markup.

use std::collections::BTreeMap;
use std::path::Path;

use globset::{Glob, GlobMatcher};
use pulldown_cmark::{CowStr, Event, Parser, Tag, html};
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Location, RejectReason};
use crate::links::is_web_url;

/// What maintainers say about one regression.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Annotation {
    /// Replaces the generated title.
    pub title: Option<String>,
    /// reported, fix-proposed, fixed, invalid, duplicate-of (regzbot's vocabulary).
    pub state: Option<String>,
    /// Id of the regression this one duplicates (with state duplicate-of).
    pub duplicate_of: Option<String>,
    pub report_url: Option<String>,
    pub fix_url: Option<String>,
    /// The commit that introduced it, once bisected.
    pub culprit: Option<String>,
    /// The markdown note, rendered.
    #[serde(skip_deserializing)]
    pub note_html: Option<String>,
}

/// The states an annotation may give.
pub const STATES: [&str; 5] = [
    "reported",
    "fix-proposed",
    "fixed",
    "invalid",
    "duplicate-of",
];

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

/// A markdown page of the site.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// File stem: the page is written to `<slug>/index.html`.
    pub slug: String,
    pub title: String,
    pub html: String,
}

/// Everything read from a content folder.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub annotations: BTreeMap<String, Annotation>,
    pub known_issues: Vec<KnownIssue>,
    pub pages: Vec<Page>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Renders maintainer markdown: raw HTML becomes text, links and images keep only web URLs.
pub fn render_markdown(md: &str) -> String {
    let events = Parser::new(md).map(|e| match e {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let relative = !url.contains(':') && !url.starts_with("//");
    if relative || is_web_url(&url) {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

/// Splits `+++\n<toml>\n+++\n<body>`; no front matter gives an empty table.
fn front_matter(text: &str) -> Result<(&str, &str), String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
    else {
        return Ok(("", text));
    };
    let end = rest
        .find("\n+++")
        .ok_or("front matter opened with +++ is never closed")?;
    let body = rest[end + 4..].trim_start_matches(['\r', '\n']);
    Ok((&rest[..end], body))
}

fn diag(path: &Path, message: String) -> Diagnostic {
    Diagnostic::new(
        &path.display().to_string(),
        Location::File,
        RejectReason::Malformed,
        message,
    )
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

/// Reads a content folder. Bad files are reported and skipped, the rest is used.
pub fn load(dir: &Path) -> Content {
    let mut content = Content::default();
    let ann_dir = dir.join("regressions");
    if let Ok(entries) = std::fs::read_dir(&ann_dir) {
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
        {
            match load_annotation(path) {
                Ok((id, a)) => {
                    content.annotations.insert(id, a);
                }
                Err(msg) => content.diagnostics.push(diag(path, msg)),
            }
        }
    }
    let rules = dir.join("known-issues.toml");
    if rules.is_file() {
        match load_rules(&rules) {
            Ok(r) => content.known_issues = r,
            Err(msg) => content.diagnostics.push(diag(&rules, msg)),
        }
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
        {
            match load_page(path) {
                Ok(p) => content.pages.push(p),
                Err(msg) => content.diagnostics.push(diag(path, msg)),
            }
        }
    }
    content
}

fn load_annotation(path: &Path) -> Result<(String, Annotation), String> {
    let id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| s.len() == 16 && s.chars().all(|c| c.is_ascii_hexdigit()))
        .ok_or("file name must be a regression id (16 hex digits) + .md")?
        .to_ascii_lowercase();
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let (fm, body) = front_matter(&text)?;
    let mut a: Annotation = toml::from_str(fm).map_err(|e| format!("front matter: {e}"))?;
    if let Some(state) = &a.state
        && !STATES.contains(&state.as_str())
    {
        return Err(format!(
            "unknown state {state:?} (expected one of {})",
            STATES.join(", ")
        ));
    }
    for (field, url) in [("report_url", &a.report_url), ("fix_url", &a.fix_url)] {
        if let Some(u) = url
            && !is_web_url(u)
        {
            return Err(format!("{field} {u:?} is not an http(s) URL"));
        }
    }
    if !body.trim().is_empty() {
        a.note_html = Some(render_markdown(body));
    }
    Ok((id, a))
}

fn load_rules(path: &Path) -> Result<Vec<KnownIssue>, String> {
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

fn load_page(path: &Path) -> Result<Page, String> {
    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields)]
    struct PageMeta {
        title: Option<String>,
    }
    let slug = path
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .ok_or("page file names may use only letters, digits, - and _")?
        .to_string();
    if ["r", "api", "data", "assets", "flaky", "boards"].contains(&slug.as_str()) {
        return Err(format!(
            "page name {slug:?} is reserved for the site's own folders"
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let (fm, body) = front_matter(&text)?;
    let meta: PageMeta = toml::from_str(fm).map_err(|e| format!("front matter: {e}"))?;
    Ok(Page {
        title: meta.title.unwrap_or_else(|| slug.clone()),
        slug,
        html: render_markdown(body),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_shows_raw_html_as_text_and_drops_unsafe_links() {
        let html = render_markdown(
            "Hi <script>alert(1)</script>\n\n[ok](https://lore.kernel.org/x) [bad](javascript:alert(1)) [rel](../r/)",
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("href=\"https://lore.kernel.org/x\""));
        assert!(!html.contains("javascript:"));
        assert!(html.contains("href=\"../r/\""));
    }

    #[test]
    fn front_matter_splits() {
        let (fm, body) = front_matter("+++\nstate = \"reported\"\n+++\n\nBody").unwrap();
        assert_eq!(fm, "state = \"reported\"");
        assert_eq!(body, "Body");
        assert_eq!(front_matter("Just body").unwrap(), ("", "Just body"));
        assert!(front_matter("+++\nx = 1\n").is_err());
    }

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
