//! The regression index as the generator writes it: columnar, strings interned.
//!
//! One table of `rows` regressions; every text column holds indices into `strings`, so a value
//! shared by thousands of rows (a tree, a board, a status) is stored once. Columns are plain
//! JSON arrays of integers: compact once gzipped by the host, and parsed by serde in one pass.

use serde::Deserialize;

/// Format version the generator writes; the viewer refuses anything else.
pub const FORMAT_VERSION: u32 = 1;

/// The index chunk, exactly as serialised by the generator.
#[derive(Debug, Deserialize)]
pub struct IndexData {
    /// Format version, see [`FORMAT_VERSION`].
    pub v: u32,
    /// Interned strings; every `u32` below that names text is an index into this table.
    pub strings: Vec<String>,
    /// Permalink id per row.
    pub id: Vec<u32>,
    /// Title per row.
    pub title: Vec<u32>,
    /// Status per row (`new`, `ongoing`, `fixed`, ...).
    pub status: Vec<u32>,
    /// Tree name per row.
    pub tree: Vec<u32>,
    /// Branch per row.
    pub branch: Vec<u32>,
    /// First-seen date (`YYYY-MM-DD`) per row.
    pub first_seen: Vec<u32>,
    /// Last-seen date per row.
    pub last_seen: Vec<u32>,
    /// Test paths per row.
    pub tests: Vec<Vec<u32>>,
    /// Crash signature per row, or `u32::MAX` for none.
    pub signature: Vec<u32>,
    /// Number of distinct boards affected per row.
    pub boards: Vec<u32>,
    /// Number of occurrences (series) per row.
    pub occurrences: Vec<u32>,
}

/// Why an index could not be loaded.
#[derive(Debug)]
pub enum IndexError {
    /// Not valid JSON for the index shape.
    Parse(serde_json::Error),
    /// Written by another version of the generator.
    Version(u32),
    /// A column's length or a string index does not match the table.
    Shape(String),
}

impl std::fmt::Display for IndexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IndexError::Parse(e) => write!(f, "index data is not valid: {e}"),
            IndexError::Version(v) => write!(
                f,
                "index data has format version {v}, this viewer reads {FORMAT_VERSION}"
            ),
            IndexError::Shape(s) => write!(f, "index data is inconsistent: {s}"),
        }
    }
}

/// Sentinel for "no string" in optional text columns.
pub const NONE: u32 = u32::MAX;

impl IndexData {
    /// Parses and checks an index chunk.
    pub fn parse(json: &str) -> Result<Self, IndexError> {
        let data: IndexData = serde_json::from_str(json).map_err(IndexError::Parse)?;
        if data.v != FORMAT_VERSION {
            return Err(IndexError::Version(data.v));
        }
        data.check()?;
        Ok(data)
    }

    /// Number of regressions.
    pub fn len(&self) -> usize {
        self.id.len()
    }

    /// True when there are no regressions.
    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// The interned string at `i`, or "" for [`NONE`].
    pub fn str(&self, i: u32) -> &str {
        self.strings
            .get(i as usize)
            .map(String::as_str)
            .unwrap_or("")
    }

    fn check(&self) -> Result<(), IndexError> {
        let n = self.id.len();
        let lens = [
            ("title", self.title.len()),
            ("status", self.status.len()),
            ("tree", self.tree.len()),
            ("branch", self.branch.len()),
            ("first_seen", self.first_seen.len()),
            ("last_seen", self.last_seen.len()),
            ("tests", self.tests.len()),
            ("signature", self.signature.len()),
            ("boards", self.boards.len()),
            ("occurrences", self.occurrences.len()),
        ];
        if let Some((name, len)) = lens.iter().find(|(_, len)| *len != n) {
            return Err(IndexError::Shape(format!(
                "column {name} has {len} rows, expected {n}"
            )));
        }
        let s = self.strings.len() as u32;
        let text = [
            &self.id,
            &self.title,
            &self.status,
            &self.tree,
            &self.branch,
            &self.first_seen,
            &self.last_seen,
        ];
        let bad = text
            .iter()
            .flat_map(|c| c.iter())
            .chain(self.tests.iter().flatten())
            .chain(self.signature.iter().filter(|&&i| i != NONE))
            .any(|&i| i >= s);
        if bad {
            return Err(IndexError::Shape("string index out of range".into()));
        }
        Ok(())
    }
}
