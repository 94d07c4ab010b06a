//! The atomic switch: the staged site takes the published one's place in one rename.
//!
//! On Linux the two folders are swapped with `renameat2(RENAME_EXCHANGE)`: the published
//! path never stops existing and names the old tree or the new one whole, nothing between.
//! `--out` stays a real folder (not a symlink), so web servers, `file://` readers and Pages
//! uploaders see an ordinary folder. A first publish is a plain rename (the folder appears
//! whole). Where the file system cannot swap (`EINVAL`, `ENOSYS`, `EOPNOTSUPP`: some network
//! and FUSE file systems, other kernels) two renames do it, old away then new in; a crash
//! between them leaves no site for a moment and the old one beside it, which the next
//! build puts back before anything else ([`super::Target::lock`]).

use std::io;
use std::path::{Path, PathBuf};

/// How the new site was put in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// No site was published yet: one rename.
    FirstRename,
    /// The two folders were swapped in one step.
    Exchange,
    /// Old away, new in: two renames (file systems that cannot swap).
    TwoRenames,
}

/// Swaps two folders in one step (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are NUL-terminated C strings that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from_raw_os_error(libc::ENOSYS))
}

/// The file system cannot swap folders (as opposed to a real failure).
fn cannot_swap(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
    )
}

/// Puts `staged` at `out`. Returns how, and where the previous site now is (to remove).
/// `allow_exchange: false` forces the two-rename path (tests).
pub fn switch(
    staged: &Path,
    out: &Path,
    old: &Path,
    allow_exchange: bool,
) -> io::Result<(Method, Option<PathBuf>)> {
    if std::fs::symlink_metadata(out).is_err() {
        std::fs::rename(staged, out)?;
        return Ok((Method::FirstRename, None));
    }
    if allow_exchange {
        match exchange(staged, out) {
            Ok(()) => return Ok((Method::Exchange, Some(staged.to_path_buf()))),
            Err(e) if cannot_swap(&e) => {}
            Err(e) => return Err(e),
        }
    }
    std::fs::rename(out, old)?;
    crate::kill_point::reached("switch-between-renames");
    std::fs::rename(staged, out)?;
    Ok((Method::TwoRenames, Some(old.to_path_buf())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(dir: &Path, text: &str) {
        std::fs::create_dir_all(dir.join("api")).unwrap();
        std::fs::write(dir.join("index.html"), text).unwrap();
        std::fs::write(dir.join("api/x.json"), text).unwrap();
    }

    #[test]
    fn every_method_leaves_the_new_site_whole_and_the_old_one_aside() {
        for allow in [true, false] {
            let root = std::env::temp_dir()
                .join(format!("regtrack-switch-{allow}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&root);
            std::fs::create_dir_all(&root).unwrap();
            let (out, staged, old) = (root.join("site"), root.join("next"), root.join("old"));
            site(&staged, "one");
            assert_eq!(
                switch(&staged, &out, &old, allow).unwrap().0,
                Method::FirstRename
            );
            site(&staged, "two");
            let (method, previous) = switch(&staged, &out, &old, allow).unwrap();
            assert!(matches!(method, Method::Exchange | Method::TwoRenames));
            assert!(allow || method == Method::TwoRenames);
            assert_eq!(
                std::fs::read_to_string(out.join("index.html")).unwrap(),
                "two"
            );
            assert_eq!(
                std::fs::read_to_string(out.join("api/x.json")).unwrap(),
                "two"
            );
            let previous = previous.unwrap();
            assert_eq!(
                std::fs::read_to_string(previous.join("index.html")).unwrap(),
                "one"
            );
            std::fs::remove_dir_all(&root).unwrap();
        }
    }
}
