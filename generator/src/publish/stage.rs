//! Staging: the new site written in full beside the published one, before the switch.
//!
//! A file whose bytes are the same as the published one's is hard-linked to it instead of
//! written (most of a night's site: permalink pages of unchanged regressions, board pages,
//! assets), so staging costs about what rewriting only the changed files in place cost. No
//! file is ever written in place, so the published tree sharing those inodes never changes
//! under its readers. Where hard links are not possible (another file system, or one
//! without them) the file is written. Finally the file system is flushed once (`syncfs`),
//! so a power cut after the switch cannot leave new names over unwritten data.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;

/// What staging did.
#[derive(Debug, Clone, Copy, Default)]
pub struct Staged {
    pub files: usize,
    pub bytes: u64,
    /// Files hard-linked from the published site (unchanged).
    pub linked: usize,
    /// Files written (new or changed).
    pub written: usize,
}

/// Whether the published `old` file holds exactly `bytes`.
fn same_bytes(old: &Path, bytes: &[u8]) -> bool {
    std::fs::symlink_metadata(old).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && std::fs::read(old).is_ok_and(|b| b == bytes)
}

/// Writes `files` under the empty folder `staging`, linking unchanged files from `published`.
pub fn stage(files: &[(String, Vec<u8>)], published: &Path, staging: &Path) -> Result<Staged> {
    let dirs: BTreeSet<PathBuf> = files
        .iter()
        .filter_map(|(rel, _)| staging.join(rel).parent().map(Path::to_path_buf))
        .collect();
    for dir in &dirs {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let half = files.len() / 2;
    let linked: Vec<bool> = files
        .par_iter()
        .enumerate()
        .map(|(i, (rel, bytes))| {
            if i == half {
                crate::kill_point::reached("staging");
            }
            let path = staging.join(rel);
            let old = published.join(rel);
            if same_bytes(&old, bytes) && std::fs::hard_link(&old, &path).is_ok() {
                return Ok(true);
            }
            std::fs::write(&path, bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
            Ok(false)
        })
        .collect::<Result<_>>()?;
    let linked = linked.iter().filter(|&&l| l).count();
    Ok(Staged {
        files: files.len(),
        bytes: files.iter().map(|(_, b)| b.len() as u64).sum(),
        linked,
        written: files.len() - linked,
    })
}

/// Flushes everything written on the staging folder's file system (one `syncfs`; on other
/// systems each folder is synced, which orders the renames but not the data).
pub fn flush(staging: &Path) -> Result<()> {
    let dir = std::fs::File::open(staging)
        .with_context(|| format!("cannot open {}", staging.display()))?;
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: syncfs takes an open descriptor, valid for the duration of the call.
        if unsafe { libc::syncfs(dir.as_raw_fd()) } != 0 {
            return Err(std::io::Error::last_os_error())
                .with_context(|| format!("cannot flush {}", staging.display()));
        }
    }
    #[cfg(not(target_os = "linux"))]
    dir.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    #[test]
    fn unchanged_files_are_linked_and_changed_ones_written() {
        let root = std::env::temp_dir().join(format!("regtrack-stage-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let (published, staging) = (root.join("site"), root.join("next"));
        std::fs::create_dir_all(published.join("r/a")).unwrap();
        std::fs::write(published.join("r/a/index.html"), "same").unwrap();
        std::fs::write(published.join("index.html"), "old night").unwrap();
        let files = vec![
            ("index.html".to_string(), b"new night".to_vec()),
            ("r/a/index.html".to_string(), b"same".to_vec()),
            ("r/b/index.html".to_string(), b"new page".to_vec()),
        ];
        let s = stage(&files, &published, &staging).unwrap();
        assert_eq!((s.files, s.linked, s.written), (3, 1, 2));
        let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
        assert_eq!(
            ino(&staging.join("r/a/index.html")),
            ino(&published.join("r/a/index.html"))
        );
        assert_eq!(
            std::fs::read(staging.join("index.html")).unwrap(),
            b"new night"
        );
        // The published tree is untouched.
        assert_eq!(
            std::fs::read(published.join("index.html")).unwrap(),
            b"old night"
        );
        flush(&staging).unwrap();
        std::fs::remove_dir_all(&root).unwrap();
    }
}
