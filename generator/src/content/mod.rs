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

mod annotations;
mod known_issues;
mod markdown;
mod pages;

pub use annotations::{Annotation, STATES};
pub use known_issues::{KnownIssue, KnownIssueRef};
pub use markdown::render_markdown;
pub use pages::Page;

use crate::diag::{Diagnostic, Location, RejectReason};

/// Everything read from a content folder.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub annotations: BTreeMap<String, Annotation>,
    pub known_issues: Vec<KnownIssue>,
    pub pages: Vec<Page>,
    pub diagnostics: Vec<Diagnostic>,
}

fn diag(path: &Path, message: String) -> Diagnostic {
    Diagnostic::new(
        &path.display().to_string(),
        Location::File,
        RejectReason::Malformed,
        message,
    )
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
            match annotations::load_annotation(path) {
                Ok((id, a)) => {
                    content.annotations.insert(id, a);
                }
                Err(msg) => content.diagnostics.push(diag(path, msg)),
            }
        }
    }
    let rules = dir.join("known-issues.toml");
    if rules.is_file() {
        match known_issues::load_rules(&rules) {
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
            match pages::load_page(path) {
                Ok(p) => content.pages.push(p),
                Err(msg) => content.diagnostics.push(diag(path, msg)),
            }
        }
    }
    content
}
