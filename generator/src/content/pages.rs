//! Extra pages: `<name>.md` at the top of the content folder, rendered to `<name>/index.html`.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::markdown::{front_matter, render_markdown};

/// A markdown page of the site.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// File stem: the page is written to `<slug>/index.html`.
    pub slug: String,
    pub title: String,
    pub html: String,
}

/// Reads one page; names that would collide with the site's own folders are refused.
pub fn load_page(path: &Path) -> Result<Page, String> {
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
