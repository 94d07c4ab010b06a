//! Stage 7, publishing: the rendered site replaces the published one atomically, under a
//! lock, so a reader (a web server, a Pages upload, someone's browser) and a crash at any
//! moment see last night's site whole or tonight's whole, never a mix.
//!
//! Beside `--out` (same folder, so the same file system) live three names:
//! `.<out>.regtrack-lock` (the lock, see [`crate::lock`]), `.<out>.regtrack-next` (the
//! staging tree: last night's site between builds, tonight's while it is staged, see
//! [`stage`]) and `.<out>.regtrack-old` (last night's, only between the two renames of the
//! fallback switch, see [`switch`]). A build takes the lock, puts right what a killed build
//! left, brings the staging tree to tonight's site (hard-linking unchanged files, each
//! written file's data on disk), lets the caller write what must be durable before the
//! switch (an outside ledger), and switches: last night's tree becomes the staging tree of
//! the next build. So a site costs twice its size on disk, and no build deletes a whole
//! tree. When `--out` is a symlink the site is published where it points and the symlink
//! is left alone.

pub mod stage;
pub mod switch;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::kill_point::reached;
use crate::lock::Lock;

/// Where a site is published, and the names beside it.
#[derive(Debug, Clone)]
pub struct Target {
    out: PathBuf,
    staging: PathBuf,
    old: PathBuf,
    lock: PathBuf,
}

/// What publishing did and how long each step took.
#[derive(Debug, Clone, Default)]
pub struct Published {
    pub staged: stage::Staged,
    pub method: Option<switch::Method>,
    /// Staging, each written file's data put on disk.
    pub stage: Duration,
    /// The switch, and the fsync of the folder that commits it.
    pub switch: Duration,
    /// Last night's tree kept as the next staging tree (a rename after the fallback switch).
    pub cleanup: Duration,
}

impl Published {
    /// Time from the first staged file to the old tree removed.
    pub fn total(&self) -> Duration {
        self.stage + self.switch + self.cleanup
    }
}

impl Target {
    /// The publishing target for `--out`. A symlink is followed (its target is published).
    pub fn new(out: &Path) -> Result<Target> {
        let out = if std::fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink()) {
            std::fs::canonicalize(out)
                .with_context(|| format!("{} is a symlink that leads nowhere", out.display()))?
        } else {
            std::path::absolute(out).with_context(|| format!("cannot resolve {}", out.display()))?
        };
        let name = out
            .file_name()
            .with_context(|| format!("--out {} names no folder", out.display()))?
            .to_string_lossy()
            .into_owned();
        let beside = |suffix: &str| out.with_file_name(format!(".{name}.regtrack-{suffix}"));
        Ok(Target {
            staging: beside("next"),
            old: beside("old"),
            lock: beside("lock"),
            out,
        })
    }

    /// The published folder.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Takes the site's lock (see [`Lock::acquire`]) and puts right what a killed build left:
    /// a site moved aside by an interrupted fallback switch is put back (a half-staged tree
    /// needs nothing: staging brings any tree to the new site). Call before reading anything
    /// from the published site.
    pub fn lock(&self, wait: Duration) -> Result<Lock> {
        if let Some(parent) = self.out.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let what = format!("the site {}", self.out.display());
        let lock = Lock::acquire(&self.lock, &what, wait)?;
        if self.old.exists() {
            if self.out.exists() {
                // Killed right after the fallback's two renames: last night's tree, aside.
                std::fs::remove_dir_all(&self.old)
                    .with_context(|| format!("cannot remove {}", self.old.display()))?;
            } else {
                eprintln!(
                    "note: a build was stopped while switching sites; putting the previous site back from {}",
                    self.old.display()
                );
                std::fs::rename(&self.old, &self.out)
                    .with_context(|| format!("cannot restore {}", self.out.display()))?;
            }
        }
        Ok(lock)
    }

    /// Publishes `files` (site-relative path, bytes). `before_switch` runs once the new site
    /// is staged, before it becomes visible: what must never be older than the
    /// published site (an outside ledger) is written there. Call with the lock held.
    pub fn publish(
        &self,
        files: &[(String, Vec<u8>)],
        before_switch: impl FnOnce() -> Result<()>,
    ) -> Result<Published> {
        self.publish_with(files, before_switch, true)
    }

    fn publish_with(
        &self,
        files: &[(String, Vec<u8>)],
        before_switch: impl FnOnce() -> Result<()>,
        allow_exchange: bool,
    ) -> Result<Published> {
        let mut p = Published::default();
        let t = Instant::now();
        if std::fs::symlink_metadata(&self.staging).is_ok_and(|m| !m.is_dir()) {
            std::fs::remove_file(&self.staging)
                .with_context(|| format!("cannot remove {}", self.staging.display()))?;
        }
        std::fs::create_dir_all(&self.staging)
            .with_context(|| format!("cannot create {}", self.staging.display()))?;
        p.staged = stage::stage(files, &self.out, &self.staging)?;
        p.stage = t.elapsed();
        reached("staged");
        before_switch()?;
        reached("ledger-written");
        let t = Instant::now();
        let (method, previous) =
            switch::switch(&self.staging, &self.out, &self.old, allow_exchange).with_context(
                || {
                    format!(
                        "cannot put the new site {} in place of {}",
                        self.staging.display(),
                        self.out.display()
                    )
                },
            )?;
        if let Some(parent) = self.out.parent() {
            crate::durable::sync_dir(parent)
                .with_context(|| format!("cannot flush {}", parent.display()))?;
        }
        p.method = Some(method);
        p.switch = t.elapsed();
        reached("switched");
        let t = Instant::now();
        // Last night's tree is the next build's staging tree (after an exchange it already is).
        if let Some(previous) = previous.filter(|p| *p != self.staging) {
            std::fs::rename(&previous, &self.staging).with_context(|| {
                format!("cannot move the previous site {} aside", previous.display())
            })?;
        }
        p.cleanup = t.elapsed();
        reached("cleaned");
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(night: &str) -> Vec<(String, Vec<u8>)> {
        vec![
            ("index.html".into(), night.as_bytes().to_vec()),
            ("api/v1/regressions.json".into(), night.as_bytes().to_vec()),
            ("assets/app.js".into(), b"same every night".to_vec()),
        ]
    }

    #[test]
    fn publishes_whole_sites_and_cleans_up_after_itself() {
        for allow in [true, false] {
            let root = std::env::temp_dir()
                .join(format!("regtrack-publish-{allow}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&root);
            let target = Target::new(&root.join("site")).unwrap();
            for night in ["one", "two", "three"] {
                let lock = target.lock(Duration::ZERO).unwrap();
                let p = target
                    .publish_with(&files(night), || Ok(()), allow)
                    .unwrap();
                drop(lock);
                assert_eq!(
                    std::fs::read_to_string(root.join("site/index.html")).unwrap(),
                    night
                );
                if night != "one" {
                    assert_eq!((p.staged.linked, p.staged.written), (1, 2), "{night}");
                }
            }
            let mut names: Vec<String> = std::fs::read_dir(&root)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            assert_eq!(
                names,
                [".site.regtrack-lock", ".site.regtrack-next", "site"]
            );
            // The staging tree holds the night before the published one, whole.
            assert_eq!(
                std::fs::read_to_string(root.join(".site.regtrack-next/index.html")).unwrap(),
                "two"
            );
            std::fs::remove_dir_all(&root).unwrap();
        }
    }

    #[test]
    fn a_symlinked_out_publishes_where_it_points_and_stays_a_symlink() {
        let root = std::env::temp_dir().join(format!("regtrack-symlink-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("www")).unwrap();
        std::os::unix::fs::symlink(root.join("www/site"), root.join("site")).unwrap();
        // A dangling symlink (its folder not made yet) is an error naming it.
        assert!(Target::new(&root.join("site")).is_err());
        std::fs::create_dir_all(root.join("www/site")).unwrap();
        let target = Target::new(&root.join("site")).unwrap();
        let lock = target.lock(Duration::ZERO).unwrap();
        target.publish(&files("one"), || Ok(())).unwrap();
        drop(lock);
        assert!(
            std::fs::symlink_metadata(root.join("site"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            std::fs::read_to_string(root.join("www/site/index.html")).unwrap(),
            "one"
        );
        assert!(root.join("www/.site.regtrack-lock").exists());
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn leftovers_of_a_killed_build_are_cleared_or_put_back() {
        let root = std::env::temp_dir().join(format!("regtrack-leftovers-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let target = Target::new(&root.join("site")).unwrap();
        // Killed between the fallback's two renames: no site, the old one aside, the new staged.
        std::fs::create_dir_all(root.join(".site.regtrack-old")).unwrap();
        std::fs::write(root.join(".site.regtrack-old/index.html"), "published").unwrap();
        std::fs::create_dir_all(root.join(".site.regtrack-next")).unwrap();
        let lock = target.lock(Duration::ZERO).unwrap();
        assert_eq!(
            std::fs::read_to_string(root.join("site/index.html")).unwrap(),
            "published"
        );
        assert!(!root.join(".site.regtrack-old").exists());
        // A half-staged tree is reused: publishing brings it to exactly the new site.
        std::fs::write(root.join(".site.regtrack-next/stray.html"), "half").unwrap();
        target.publish(&files("next"), || Ok(())).unwrap();
        drop(lock);
        assert!(!root.join(".site.regtrack-next/stray.html").exists());
        assert!(!root.join("site/stray.html").exists());
        assert_eq!(
            std::fs::read_to_string(root.join("site/index.html")).unwrap(),
            "next"
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}
