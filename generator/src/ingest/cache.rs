//! The ingest cache: what a KCIDB file parsed to, kept between runs so a nightly build only
//! parses the new night.
//!
//! One entry per input file, named by a hash of its path, holding the file's fingerprint (size,
//! modification time, a hash of its first and last 64 KiB, and the format version of the
//! cache) and its rows in postcard's compact binary form. A stale or unreadable entry is
//! simply a miss; deleting the folder is always safe. Only files that parsed without any
//! diagnostic are cached, so every problem is reported again on every run.

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::kcidb::FileResult;
use super::kcidb::KINDS;
use crate::model::{Incident, Issue};
use crate::store::FileRows;

/// Bump whenever parsing or the row layout changes: old entries then miss.
const FORMAT: u32 = 2;
const EDGE: u64 = 64 * 1024;

/// What identifies one version of an input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    format: u32,
    tool: String,
    size: u64,
    mtime_ns: i128,
    edges: u64,
}

impl Fingerprint {
    /// Reads the file's metadata and its first and last 64 KiB.
    pub fn of(path: &Path) -> Option<Fingerprint> {
        let meta = std::fs::metadata(path).ok()?;
        let mtime = meta.modified().ok()?;
        let mtime_ns = match mtime.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        };
        let mut f = std::fs::File::open(path).ok()?;
        let mut buf = Vec::with_capacity(2 * EDGE as usize);
        (&mut f).take(EDGE).read_to_end(&mut buf).ok()?;
        if meta.len() > 2 * EDGE {
            f.seek(SeekFrom::End(-(EDGE as i64))).ok()?;
            f.take(EDGE).read_to_end(&mut buf).ok()?;
        }
        Some(Fingerprint {
            format: FORMAT,
            tool: env!("CARGO_PKG_VERSION").to_string(),
            size: meta.len(),
            mtime_ns,
            edges: xxhash_rust::xxh3::xxh3_64(&buf),
        })
    }
}

#[derive(Serialize, Deserialize)]
struct Entry {
    fingerprint: Fingerprint,
    rows: FileRows,
    issues: Vec<Issue>,
    incidents: Vec<Incident>,
    seen: Vec<(String, usize)>,
    accepted: Vec<(String, usize)>,
}

/// A cache folder.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

fn kind(k: &str) -> Option<&'static str> {
    KINDS.iter().find(|x| **x == k).copied()
}

fn counts(m: &BTreeMap<&'static str, usize>) -> Vec<(String, usize)> {
    m.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

impl Cache {
    pub fn new(dir: PathBuf) -> Self {
        Cache { dir }
    }

    /// The default folder: `$REGTRACK_CACHE_DIR`, else `$XDG_CACHE_HOME/regtrack`, else
    /// `~/.cache/regtrack`.
    pub fn default_dir() -> Option<PathBuf> {
        let env = |k| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        env("REGTRACK_CACHE_DIR")
            .or_else(|| env("XDG_CACHE_HOME").map(|d| d.join("regtrack")))
            .or_else(|| env("HOME").map(|d| d.join(".cache/regtrack")))
    }

    fn entry_path(&self, file: &Path) -> PathBuf {
        let abs = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
        let h = xxhash_rust::xxh3::xxh3_64(abs.as_os_str().as_encoded_bytes());
        self.dir.join(format!("{h:016x}.bin"))
    }

    /// The cached result of `file` if its fingerprint still matches.
    pub fn get(&self, file: &Path, name: &str, fp: &Fingerprint) -> Option<FileResult> {
        let bytes = std::fs::read(self.entry_path(file)).ok()?;
        let e: Entry = postcard::from_bytes(&bytes).ok()?;
        if &e.fingerprint != fp {
            return None;
        }
        let to_map = |v: Vec<(String, usize)>| -> Option<BTreeMap<&'static str, usize>> {
            v.into_iter().map(|(k, n)| Some((kind(&k)?, n))).collect()
        };
        Some(FileResult {
            file: name.to_string(),
            source: None,
            rows: e.rows,
            issues: e.issues,
            incidents: e.incidents,
            diagnostics: Vec::new(),
            seen: to_map(e.seen)?,
            accepted: to_map(e.accepted)?,
        })
    }

    /// Drops the entry of `file`, if any (benchmarks use it to replay a nightly run).
    pub fn forget(&self, file: &Path) {
        let _ = std::fs::remove_file(self.entry_path(file));
    }

    /// Stores a clean result (one with diagnostics is not cached). Failures are ignored: the
    /// cache only ever saves time.
    pub fn put(&self, file: &Path, fp: Fingerprint, r: &FileResult) {
        if !r.diagnostics.is_empty() {
            return;
        }
        let entry = Entry {
            fingerprint: fp,
            rows: r.rows.clone(),
            issues: r.issues.clone(),
            incidents: r.incidents.clone(),
            seen: counts(&r.seen),
            accepted: counts(&r.accepted),
        };
        let Ok(bytes) = postcard::to_stdvec(&entry) else {
            return;
        };
        let path = self.entry_path(file);
        let _ = std::fs::create_dir_all(&self.dir);
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, &path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}
