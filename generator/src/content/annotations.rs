//! Annotations: what maintainers write about one regression (`regressions/<id>.md`), in
//! regzbot's vocabulary of states.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::markdown::{front_matter, render_markdown};
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

/// Reads one annotation: its id from the file name, its fields from the front matter.
pub fn load_annotation(path: &Path) -> Result<(String, Annotation), String> {
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
