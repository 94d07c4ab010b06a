//! The values options take in `regtrack.toml` beyond plain types: paths (relative to the
//! file's folder) and the `[context]` table.

use std::cell::RefCell;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};

thread_local! {
    /// The folder of the config file being read: where its relative paths start.
    static BASE: RefCell<Option<PathBuf>> = const { RefCell::new(None) };
}

/// A path option: as given on the command line, or resolved from the config file's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigPath(PathBuf);

impl ConfigPath {
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl From<OsString> for ConfigPath {
    fn from(s: OsString) -> Self {
        ConfigPath(PathBuf::from(s))
    }
}

impl From<PathBuf> for ConfigPath {
    fn from(p: PathBuf) -> Self {
        ConfigPath(p)
    }
}

impl<'de> Deserialize<'de> for ConfigPath {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.is_empty() {
            return Err(serde::de::Error::custom("an empty path"));
        }
        let p = PathBuf::from(s);
        let p = match BASE.with(|b| b.borrow().clone()) {
            Some(base) if p.is_relative() => base.join(p),
            _ => p,
        };
        Ok(ConfigPath(p))
    }
}

/// `context` in the file: a table (`[context]`, `platform = "juno-r2"`), or a list of
/// `"key=value"` strings like the flags. Either way, the flags' `key=value` form.
pub fn context_entries<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Form {
        Table(std::collections::BTreeMap<String, String>),
        List(Vec<String>),
    }
    match Form::deserialize(d).map_err(|_| {
        serde::de::Error::custom(
            "expected a table of strings (key = \"value\") or a list of \"key=value\"",
        )
    })? {
        Form::Table(t) => Ok(t.into_iter().map(|(k, v)| format!("{k}={v}")).collect()),
        Form::List(l) => Ok(l),
    }
}

/// Runs `f` (a parse of a config file) with relative paths taken from `base`.
pub fn with_base<T>(base: Option<PathBuf>, f: impl FnOnce() -> T) -> T {
    BASE.with(|b| *b.borrow_mut() = base);
    let out = f();
    BASE.with(|b| *b.borrow_mut() = None);
    out
}
