//! What a site is written with (title, base URL, theme).

use std::path::PathBuf;

/// Options for writing a site.
#[derive(Debug, Clone)]
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

/// The title a site has when none is given.
pub const DEFAULT_TITLE: &str = "Kernel regressions";

impl Default for SiteOptions {
    fn default() -> Self {
        SiteOptions {
            title: DEFAULT_TITLE.into(),
            base_url: None,
            theme_dir: None,
            kcidb_origin: None,
        }
    }
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
