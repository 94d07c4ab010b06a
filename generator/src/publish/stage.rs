//! Staging: the new site written in full beside the published one, before the switch.
//!
//! The staging folder is last night's tree, the one the previous switch swapped out: files
//! are brought up to date there instead of a fresh tree being written and a whole old one
//! deleted (deleting 4,600 files took 24 s on the bench machine, an ext4 mounted with
//! `discard`: every freed block is trimmed). A file whose bytes equal the published one's is
//! made a hard link to it (assets, mostly); a changed file is rewritten in place when no
//! other name shares it, else replaced by a new file, so the published tree, which may share
//! inodes with the staging one, never changes under its readers; a file the new site does
//! not have is removed. Each rewritten file's data is then put on disk (`sync_file_range`:
//! started as it is written, waited for at the end), so the one commit that makes the switch
//! durable (the folder's fsync after it) finds the data there: a power cut cannot leave the
//! new names over unwritten data. Not `syncfs` (it waits on every process's dirty data on
//! the file system: 32 s on the shared bench machine) and not an `fsync` per file (a journal
//! commit each: 4.6 s for a site).

use std::collections::BTreeSet;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;

/// What staging did.
#[derive(Debug, Clone, Copy, Default)]
pub struct Staged {
    pub files: usize,
    pub bytes: u64,
    /// Files hard-linked to the published site's (unchanged).
    pub linked: usize,
    /// Files written (new or changed).
    pub written: usize,
    /// Files of the previous tree the new site no longer has, removed.
    pub removed: usize,
}

/// What was done to one file.
enum Done {
    Linked,
    Written,
}

/// Whether the published `old` file holds exactly `bytes`.
fn same_bytes(old: &Path, bytes: &[u8]) -> bool {
    std::fs::symlink_metadata(old).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && std::fs::read(old).is_ok_and(|b| b == bytes)
}

/// Removes whatever is at `path` (file, symlink or folder); nothing there is fine.
fn remove(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Starts writing a file's data to disk (`wait`: and waits until it is there).
fn sync_data(f: &std::fs::File, wait: bool) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let flags = if wait {
            libc::SYNC_FILE_RANGE_WAIT_BEFORE
                | libc::SYNC_FILE_RANGE_WRITE
                | libc::SYNC_FILE_RANGE_WAIT_AFTER
        } else {
            libc::SYNC_FILE_RANGE_WRITE
        };
        // SAFETY: an open descriptor and plain integers; (0, 0) is the whole file.
        if unsafe { libc::sync_file_range(f.as_raw_fd(), 0, 0, flags) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    if wait { f.sync_data() } else { Ok(()) }
}

/// Makes `path` hold `bytes`: in place when no other name shares the file (the published
/// tree may), else as a new file.
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let reusable = std::fs::symlink_metadata(path).ok();
    let mut f = match reusable {
        Some(m) if m.is_file() && m.nlink() == 1 => {
            let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
            f.set_len(bytes.len() as u64)?;
            std::io::Seek::rewind(&mut f)?;
            f
        }
        Some(_) => {
            remove(path)?;
            std::fs::File::create(path)?
        }
        None => std::fs::File::create(path)?,
    };
    f.write_all(bytes)?;
    sync_data(&f, false)
}

/// Makes `path` a hard link to the published `old` (false: not possible here).
fn link_file(old: &Path, path: &Path) -> bool {
    let same_inode =
        |a: &Path, b: &Path| match (std::fs::symlink_metadata(a), std::fs::symlink_metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        };
    if same_inode(old, path) {
        return true;
    }
    remove(path).is_ok() && std::fs::hard_link(old, path).is_ok()
}

/// Brings the folder `staging` (empty, or an older tree) to exactly `files`, linking files
/// unchanged from `published`, and waits for the written files' data to be on disk.
pub fn stage(files: &[(String, Vec<u8>)], published: &Path, staging: &Path) -> Result<Staged> {
    let wanted: BTreeSet<&str> = files.iter().map(|(rel, _)| rel.as_str()).collect();
    // Every folder the new site has, with all its ancestors below `staging`.
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    for (rel, _) in files {
        let mut dir = staging.join(rel);
        while dir.pop() && dir != staging && dirs.insert(dir.clone()) {}
    }
    // What the older tree has that the new site does not; also anything standing where a
    // folder must be.
    let mut removed = 0;
    let mut stale: Vec<PathBuf> = Vec::new();
    for e in walkdir::WalkDir::new(staging)
        .min_depth(1)
        .contents_first(true)
    {
        let e = e.with_context(|| format!("cannot list {}", staging.display()))?;
        let rel = e.path().strip_prefix(staging).expect("under staging");
        let keep = if e.file_type().is_dir() {
            dirs.contains(e.path())
        } else {
            rel.to_str().is_some_and(|r| wanted.contains(r)) && !dirs.contains(e.path())
        };
        if !keep {
            stale.push(e.path().to_path_buf());
        }
    }
    for path in stale {
        if std::fs::symlink_metadata(&path).is_ok() {
            removed += usize::from(!path.is_dir());
            remove(&path).with_context(|| format!("cannot remove {}", path.display()))?;
        }
    }
    for dir in &dirs {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let half = files.len() / 2;
    let done: Vec<Done> = files
        .par_iter()
        .enumerate()
        .map(|(i, (rel, bytes))| {
            if i == half {
                crate::kill_point::reached("staging");
            }
            let path = staging.join(rel);
            let old = published.join(rel);
            if same_bytes(&old, bytes) && link_file(&old, &path) {
                return Ok(Done::Linked);
            }
            write_file(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
            Ok(Done::Written)
        })
        .collect::<Result<_>>()?;
    // The data of every written file on disk, waited for in a second pass so the device
    // worked while the first went on.
    files
        .par_iter()
        .zip(&done)
        .filter(|(_, d)| matches!(d, Done::Written))
        .try_for_each(|((rel, _), _)| {
            let path = staging.join(rel);
            std::fs::File::open(&path)
                .and_then(|f| sync_data(&f, true))
                .with_context(|| format!("cannot flush {}", path.display()))
        })?;
    let linked = done.iter().filter(|d| matches!(d, Done::Linked)).count();
    Ok(Staged {
        files: files.len(),
        bytes: files.iter().map(|(_, b)| b.len() as u64).sum(),
        linked,
        written: files.len() - linked,
        removed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_files_are_linked_changed_ones_written_and_gone_ones_removed() {
        let root = std::env::temp_dir().join(format!("regtrack-stage-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let (published, staging) = (root.join("site"), root.join("next"));
        std::fs::create_dir_all(published.join("r/a")).unwrap();
        std::fs::write(published.join("r/a/index.html"), "same").unwrap();
        std::fs::write(published.join("index.html"), "old night").unwrap();
        // The older tree: a file the new site drops, one shared with the published tree (a
        // link from an earlier night), a file where a folder must go.
        std::fs::create_dir_all(staging.join("r/gone")).unwrap();
        std::fs::write(staging.join("r/gone/index.html"), "gone").unwrap();
        std::fs::hard_link(published.join("index.html"), staging.join("index.html")).unwrap();
        std::fs::write(staging.join("r/b"), "not a folder").unwrap();
        let files = vec![
            ("index.html".to_string(), b"new night".to_vec()),
            ("r/a/index.html".to_string(), b"same".to_vec()),
            ("r/b/index.html".to_string(), b"new page".to_vec()),
        ];
        let s = stage(&files, &published, &staging).unwrap();
        assert_eq!((s.files, s.linked, s.written, s.removed), (3, 1, 2, 2));
        let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
        assert_eq!(
            ino(&staging.join("r/a/index.html")),
            ino(&published.join("r/a/index.html"))
        );
        assert_eq!(
            std::fs::read(staging.join("index.html")).unwrap(),
            b"new night"
        );
        assert_eq!(
            std::fs::read(staging.join("r/b/index.html")).unwrap(),
            b"new page"
        );
        assert!(!staging.join("r/gone").exists());
        // The published tree is untouched, though it shared a file with the staging one.
        assert_eq!(
            std::fs::read(published.join("index.html")).unwrap(),
            b"old night"
        );
        // Again over the same tree: a shorter file rewritten in place is cut to its length.
        let files = vec![("index.html".to_string(), b"3rd".to_vec())];
        let s = stage(&files, &published, &staging).unwrap();
        assert_eq!((s.written, s.removed), (1, 2));
        assert_eq!(std::fs::read(staging.join("index.html")).unwrap(), b"3rd");
        assert!(!staging.join("r").exists());
        std::fs::remove_dir_all(&root).unwrap();
    }
}
