//! Finding result files: every candidate under the roots, in path order (the order objects
//! are merged in, so "first non-null wins" means the same on every run and machine).

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{Diagnostic, Location, RejectReason};

/// A file found under a root (or why it could not be listed).
pub struct Found {
    pub root: PathBuf,
    pub path: PathBuf,
    pub listed: Result<(), Diagnostic>,
}

/// File names that may hold results; anything else under the roots is not looked at.
fn is_result_name(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let name = name.strip_suffix(".gz").unwrap_or(name);
    [".json", ".xml", ".tap", ".ktap", ".log", ".txt"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Lists the candidate result files under `roots`, sorted by path, deduplicated.
pub fn find_files(roots: &[PathBuf]) -> Vec<Found> {
    let mut files = Vec::new();
    for root in roots {
        for entry in WalkDir::new(root).follow_links(true) {
            match entry {
                Ok(e) if e.file_type().is_file() && is_result_name(e.path()) => files.push(Found {
                    root: root.clone(),
                    path: e.into_path(),
                    listed: Ok(()),
                }),
                Ok(_) => {}
                Err(err) => {
                    let path = err
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| root.clone());
                    let mut d = Diagnostic::new(
                        &path.display().to_string(),
                        Location::File,
                        RejectReason::Unreadable,
                        format!("cannot list: {err}"),
                    );
                    d.records = 0;
                    files.push(Found {
                        root: root.clone(),
                        path,
                        listed: Err(d),
                    });
                }
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    files
}
