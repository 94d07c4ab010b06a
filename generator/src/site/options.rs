//! What a site is written with (title, base URL, theme).

use std::path::PathBuf;

/// Options for writing a site.
#[derive(Debug, Clone, Default)]
pub struct SiteOptions {
    /// Site title shown in headers.
    pub title: String,
    /// Absolute URL the site is published at, to print full permalinks (optional).
    pub base_url: Option<String>,
    /// A folder whose `templates/` override the built-in theme's templates by name.
    pub theme_dir: Option<PathBuf>,
}
