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
    /// KCIDB origin of `api/v1/kcidb.json` (default `regtrack`).
    pub kcidb_origin: Option<String>,
}

impl SiteOptions {
    /// What the announce stage needs of these options.
    pub fn announce(&self) -> crate::announce::AnnounceOptions {
        crate::announce::AnnounceOptions {
            site_title: self.title.clone(),
            base_url: self.base_url.clone(),
            kcidb_origin: self.kcidb_origin.clone(),
        }
    }
}
