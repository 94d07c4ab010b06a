//! The ingest cache: what a KCIDB file parsed to, kept between runs so a nightly build only
//! parses the new night.
//!
//! One entry per input file, named by a hash of its path, holding the file's fingerprint (size,
//! modification time, a hash of its first and last 64 KiB, and the format version of the
//! cache) and its rows in postcard's compact binary form, behind a magic number and an
//! xxh3 checksum of those bytes. A stale entry (the file changed) is simply a miss; a
//! corrupted or truncated one (checksum or decoding failure) is reported, never trusted, and
//! rebuilt from the input. Entries are written atomically (write, fsync, rename), and the
//! folder is locked while a build reads and writes it. Deleting the folder is always safe.
//! Only files that parsed without any diagnostic are cached, so every problem is reported
//! again on every run.

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::kcidb::FileResult;
use super::kcidb::KINDS;
use crate::model::{Incident, Issue};
use crate::store::FileRows;

/// Bump whenever parsing or the row layout changes: old entries then miss.
const FORMAT: u32 = 3;
/// Starts every entry, then the xxh3-64 of the rest (little-endian), then the postcard bytes.
/// An entry without it was written by an older regtrack: a miss, not a corruption.
const MAGIC: &[u8; 8] = b"RTCACHE1";
const HEADER: usize = MAGIC.len() + 8;
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

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The cached result of `file` if its fingerprint still matches (`Ok(None)`: a miss).
    /// `Err` says why the entry is corrupt; the caller reports it and parses the file again.
    pub fn get(
        &self,
        file: &Path,
        name: &str,
        fp: &Fingerprint,
    ) -> Result<Option<FileResult>, CorruptEntry> {
        let path = self.entry_path(file);
        let Ok(bytes) = std::fs::read(&path) else {
            return Ok(None);
        };
        let corrupt = |reason: String| CorruptEntry {
            entry: path.clone(),
            reason,
        };
        if bytes.len() >= MAGIC.len() && !bytes.starts_with(MAGIC) {
            return Ok(None);
        }
        if bytes.len() < HEADER {
            return Err(corrupt(format!(
                "truncated to {} bytes, shorter than its header",
                bytes.len()
            )));
        }
        let (head, body) = bytes.split_at(HEADER);
        let written = u64::from_le_bytes(head[MAGIC.len()..].try_into().expect("8 bytes"));
        let actual = xxhash_rust::xxh3::xxh3_64(body);
        if written != actual {
            return Err(corrupt(format!(
                "checksum mismatch (written {written:016x}, content {actual:016x}): truncated or damaged"
            )));
        }
        let e: Entry = postcard::from_bytes(body)
            .map_err(|err| corrupt(format!("cannot be decoded: {err}")))?;
        if &e.fingerprint != fp {
            return Ok(None);
        }
        let to_map = |v: Vec<(String, usize)>| -> Option<BTreeMap<&'static str, usize>> {
            v.into_iter().map(|(k, n)| Some((kind(&k)?, n))).collect()
        };
        let counts = |v| to_map(v).ok_or_else(|| corrupt("names an unknown object kind".into()));
        Ok(Some(FileResult {
            file: name.to_string(),
            source: None,
            rows: e.rows,
            issues: e.issues,
            incidents: e.incidents,
            diagnostics: Vec::new(),
            seen: counts(e.seen)?,
            accepted: counts(e.accepted)?,
        }))
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
        let Ok(body) = postcard::to_stdvec(&entry) else {
            return;
        };
        let mut bytes = Vec::with_capacity(HEADER + body.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&body).to_le_bytes());
        bytes.extend_from_slice(&body);
        let _ = std::fs::create_dir_all(&self.dir);
        let _ = crate::durable::write_atomic(&self.entry_path(file), &bytes);
    }
}

/// A cache entry that cannot be trusted, and why.
#[derive(Debug, Clone)]
pub struct CorruptEntry {
    pub entry: PathBuf,
    pub reason: String,
}
