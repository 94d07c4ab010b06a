//! Staging: the new site written in full beside the published one, before the switch.
//!
//! A file whose bytes are the same as the published one's is hard-linked to it instead of
//! written (most of a night's site: permalink pages of unchanged regressions, board pages,
//! assets), so staging costs about what rewriting only the changed files in place cost. No
//! file is ever written in place, so the published tree sharing those inodes never changes
//! under its readers. Where hard links are not possible (another file system, or one
//! without them) the file is written. Each written file's data is put on disk as it is
//! written (`sync_file_range`, no journal commit per file), so the one commit that makes the
//! switch durable (the folder's fsync after it) finds the data already there: a power cut
//! cannot leave the new names over unwritten data. Not `syncfs`: that flushes every
//! process's dirty data on the file system, which on a shared CI machine measured seconds
//! to tens of seconds; not an `fsync` per file: a journal commit each, 4.6 s for a site.

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
            write_durably(&path, bytes)
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

/// Writes a new file and waits until its data is on disk (its metadata is committed with
/// the switch).
fn write_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)?;
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let flags = libc::SYNC_FILE_RANGE_WAIT_BEFORE
            | libc::SYNC_FILE_RANGE_WRITE
            | libc::SYNC_FILE_RANGE_WAIT_AFTER;
        // SAFETY: an open descriptor and plain integers; the whole file (0, 0).
        if unsafe { libc::sync_file_range(f.as_raw_fd(), 0, 0, flags) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    #[cfg(not(target_os = "linux"))]
    f.sync_data()?;
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
        std::fs::remove_dir_all(&root).unwrap();
    }
}
