//! Exclusive locks on what a build writes (the published site, the ledger, the cache), so two
//! builds started at once can never interleave their writes.
//!
//! A lock is an advisory `flock` on a small lock file (std's `File::try_lock`). The kernel
//! drops it when its process ends, however it ends, so a build killed with `kill -9` never
//! leaves the next one locked out. The file also holds who took it (pid, host, start time,
//! command line): a build that finds the lock taken names the holder, and one that gets the
//! lock but finds a holder written there knows that holder died without releasing it (a
//! stale lock) and says so before taking over. A lock file is never deleted: deleting it
//! would let two builds lock two different files of the same name.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// Who holds (or held) a lock, as written in its file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Holder {
    pub pid: u32,
    pub host: String,
    /// RFC 3339, UTC.
    pub started: String,
    pub command: String,
}

impl Holder {
    fn me() -> Holder {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_string())
            .unwrap_or_else(|_| "unknown host".into());
        Holder {
            pid: std::process::id(),
            host,
            started: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            command: std::env::args().collect::<Vec<_>>().join(" "),
        }
    }
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "pid {} on {}, started {} ({})",
            self.pid, self.host, self.started, self.command
        )
    }
}

/// A held lock; released (and its holder line cleared) when dropped.
#[derive(Debug)]
pub struct Lock {
    file: File,
    path: PathBuf,
    /// The holder of a stale lock this one took over, if any.
    pub took_over: Option<Holder>,
}

/// How often a waiting build tries the lock again.
const POLL: Duration = Duration::from_millis(100);

/// What the lock file says, if anything readable.
fn read_holder(file: &mut File) -> Option<Holder> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut text).ok()?;
    serde_json::from_str(text.trim()).ok()
}

impl Lock {
    /// Takes the lock file `path` for `what` (e.g. "the site /srv/kci"), waiting up to `wait`
    /// for another build to release it; past that, fails naming the holder.
    pub fn acquire(path: &Path, what: &str, wait: Duration) -> Result<Lock> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {} for its lock", dir.display()))?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .with_context(|| format!("cannot open the lock file {}", path.display()))?;
        let deadline = Instant::now() + wait;
        let mut told = false;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) => {
                    let holder = read_holder(&mut file).map_or_else(
                        || "a build that has not said who it is yet".into(),
                        |h| h.to_string(),
                    );
                    if Instant::now() >= deadline {
                        anyhow::bail!(
                            "{what} is locked by another regtrack build: {holder}; lock file {}. \
                             Wait for it to finish (or pass --lock-wait SECONDS to wait for it)",
                            path.display()
                        );
                    }
                    if !told {
                        eprintln!(
                            "waiting for {what}, locked by {holder} ({})",
                            path.display()
                        );
                        told = true;
                    }
                    std::thread::sleep(POLL);
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(e).with_context(|| format!("cannot lock {}", path.display()));
                }
            }
        }
        let took_over = read_holder(&mut file);
        if let Some(h) = &took_over {
            eprintln!(
                "note: taking over a stale lock on {what}: {h} ended without releasing it ({})",
                path.display()
            );
        }
        let mut me = serde_json::to_vec(&Holder::me()).expect("holder serialises");
        me.push(b'\n');
        file.set_len(0)?;
        file.seek(SeekFrom::Start(0))?;
        file.write_all(&me)?;
        file.sync_data()?;
        Ok(Lock {
            file,
            path: path.to_path_buf(),
            took_over,
        })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Cleared before unlocking: a holder line found under a free lock means a dead holder.
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("regtrack-lock-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_second_taker_is_refused_with_the_holder_named() {
        let dir = scratch("second");
        let path = dir.join("site.lock");
        let held = Lock::acquire(&path, "the site", Duration::ZERO).unwrap();
        assert!(held.took_over.is_none());
        let err = Lock::acquire(&path, "the site", Duration::from_millis(250)).unwrap_err();
        let msg = format!("{err:#}");
        assert!(
            msg.contains(&format!("pid {}", std::process::id())),
            "{msg}"
        );
        assert!(
            msg.contains("site.lock") && msg.contains("--lock-wait"),
            "{msg}"
        );
        drop(held);
        // Released cleanly: the next taker sees no stale holder.
        let again = Lock::acquire(&path, "the site", Duration::ZERO).unwrap();
        assert!(again.took_over.is_none());
        drop(again);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_holder_left_in_a_free_lock_is_reported_as_stale() {
        let dir = scratch("stale");
        let path = dir.join("site.lock");
        let dead = Holder {
            pid: 999_999,
            host: "h".into(),
            started: "2026-01-01T00:00:00Z".into(),
            command: "regtrack build".into(),
        };
        std::fs::write(&path, serde_json::to_string(&dead).unwrap()).unwrap();
        let lock = Lock::acquire(&path, "the site", Duration::ZERO).unwrap();
        assert_eq!(lock.took_over, Some(dead));
        drop(lock);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
