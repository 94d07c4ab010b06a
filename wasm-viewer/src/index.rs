//! The regression index as the generator writes it (`data/index.js`), format version 3
//! (version 3 added the `origin` list).
//!
//! ```js
//! regtrack.register("index", {"v": 3, "rows": R, "strings": S, "chunk": K,
//!                             "text": "<the S interned strings, concatenated>",
//!                             "columns": "<base64 of LEB128 varints>"});
//! ```
//!
//! **Why this encoding.** One table of `R` regressions, stored column by column:
//! - Every text value is *interned*: a column holds indices into one string table, so a tree,
//!   board, status or test path shared by thousands of rows is stored once, and the viewer's
//!   facets work on integers (string index = facet value) without ever comparing text.
//! - The string table travels as *one* JavaScript string literal (`text`), the strings simply
//!   concatenated, their UTF-8 byte lengths at the head of `columns`. The JS engine scans a
//!   string literal far faster than it builds millions of array elements, hands it to the
//!   module in one copy, and the module slices it without allocating per string. It also stays
//!   readable (grep-able) in the file.
//! - Every integer is an unsigned LEB128 varint (1 byte below 128, 2 below 16384: string
//!   indices of common values and counts are small), and the byte stream is base64 so it can sit
//!   in a classic `.js` file (the only thing `file://` loads). Decoding is one pass with no
//!   number parsing; JSON arrays of the same integers were 2-3x larger before gzip and
//!   parsed several times slower in the module.
//!
//! **The column stream**, in this order:
//! 1. `S` string lengths in UTF-8 bytes. String 0 is always `""`, meaning none/unknown.
//! 2. [`SCALARS`]: `R` values each. Text columns are string indices; `boards` and
//!    `occurrences` are plain counts. Dates are `YYYY-MM-DD` strings (ISO dates sort as text).
//! 3. [`LISTS`]: for each row, a count followed by that many string indices.
//!
//! `chunk` is the number of regressions per drill-down chunk: row `r`'s details are in
//! `data/detail-<r / chunk>.js`.

use crate::decode::{self, DecodeError, Varints};

/// Format version the generator writes; the viewer refuses anything else.
pub const FORMAT_VERSION: u32 = 3;

/// Single-valued columns, in stream order.
pub const SCALARS: [&str; 13] = [
    "id",
    "title",
    "status",
    "tree",
    "branch",
    "scope",
    "scope_value",
    "state",
    "signature",
    "first_seen",
    "last_seen",
    "boards",
    "occurrences",
];

/// Multi-valued columns, in stream order.
pub const LISTS: [&str; 9] = [
    "tests", "suite", "flags", "arch", "platform", "lab", "origin", "config", "compiler",
];

/// A multi-valued column in compressed-row form: row `r`'s values are
/// `values[start[r]..start[r + 1]]`.
#[derive(Debug, Clone, Default)]
pub struct ListColumn {
    pub start: Vec<u32>,
    pub values: Vec<u32>,
}

impl ListColumn {
    /// Values of row `r`.
    #[inline]
    pub fn row(&self, r: usize) -> &[u32] {
        &self.values[self.start[r] as usize..self.start[r + 1] as usize]
    }
}

/// The decoded index.
#[derive(Debug, Clone)]
pub struct IndexData {
    /// All strings, concatenated.
    text: String,
    /// Byte offset of string `i` in `text` (one more entry than strings).
    offsets: Vec<u32>,
    /// Regressions per detail chunk.
    pub chunk: u32,
    /// [`SCALARS`], in order.
    pub scalars: Vec<Vec<u32>>,
    /// [`LISTS`], in order.
    pub lists: Vec<ListColumn>,
}

/// Why an index could not be loaded.
#[derive(Debug)]
pub enum IndexError {
    /// Written by another version of the generator.
    Version(u32),
    /// Not decodable, or a column's length or a string index does not match the table.
    Shape(String),
}

impl std::fmt::Display for IndexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IndexError::Version(v) => write!(
                f,
                "index data has format version {v}, this viewer reads {FORMAT_VERSION}"
            ),
            IndexError::Shape(s) => write!(f, "index data is inconsistent: {s}"),
        }
    }
}

impl From<DecodeError> for IndexError {
    fn from(e: DecodeError) -> Self {
        IndexError::Shape(e.0)
    }
}

impl IndexData {
    /// Decodes and checks an index chunk's parts.
    pub fn decode(
        version: u32,
        rows: u32,
        strings: u32,
        chunk: u32,
        text: &str,
        columns_b64: &str,
    ) -> Result<Self, IndexError> {
        if version != FORMAT_VERSION {
            return Err(IndexError::Version(version));
        }
        let bytes = decode::base64(columns_b64)?;
        let mut r = Varints::new(&bytes);
        let (n, s) = (rows as usize, strings as usize);
        let mut offsets = Vec::with_capacity(s + 1);
        let mut at: u64 = 0;
        offsets.push(0);
        for _ in 0..s {
            at += r.read()? as u64;
            if at > text.len() as u64 {
                return Err(IndexError::Shape("string lengths exceed the text".into()));
            }
            offsets.push(at as u32);
        }
        if at != text.len() as u64 {
            return Err(IndexError::Shape(
                "string lengths do not cover the text".into(),
            ));
        }
        if offsets
            .windows(2)
            .any(|w| !text.is_char_boundary(w[0] as usize))
        {
            return Err(IndexError::Shape("a string splits a character".into()));
        }
        if s == 0 || offsets[1] != 0 {
            return Err(IndexError::Shape("string 0 must be empty".into()));
        }
        let mut scalars = Vec::with_capacity(SCALARS.len());
        for _ in SCALARS {
            scalars.push(r.take(n)?);
        }
        let mut lists = Vec::with_capacity(LISTS.len());
        for _ in LISTS {
            let mut col = ListColumn {
                start: Vec::with_capacity(n + 1),
                values: Vec::with_capacity(n),
            };
            col.start.push(0);
            for _ in 0..n {
                let k = r.read()? as usize;
                if k > bytes.len() {
                    return Err(IndexError::Shape("list longer than the data".into()));
                }
                for _ in 0..k {
                    col.values.push(r.read()?);
                }
                col.start.push(col.values.len() as u32);
            }
            lists.push(col);
        }
        if !r.at_end() {
            return Err(IndexError::Shape(
                "extra bytes after the last column".into(),
            ));
        }
        let data = IndexData {
            text: text.to_string(),
            offsets,
            chunk: chunk.max(1),
            scalars,
            lists,
        };
        data.check()?;
        Ok(data)
    }

    fn check(&self) -> Result<(), IndexError> {
        let s = self.strings() as u32;
        for (name, col) in SCALARS.iter().zip(&self.scalars) {
            if matches!(*name, "boards" | "occurrences") {
                continue;
            }
            if col.iter().any(|&i| i >= s) {
                return Err(IndexError::Shape(format!(
                    "column {name}: string index out of range"
                )));
            }
        }
        for (name, col) in LISTS.iter().zip(&self.lists) {
            if col.values.iter().any(|&i| i >= s) {
                return Err(IndexError::Shape(format!(
                    "column {name}: string index out of range"
                )));
            }
        }
        Ok(())
    }

    /// Number of regressions.
    pub fn len(&self) -> usize {
        self.scalars[0].len()
    }

    /// True when there are no regressions.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of interned strings.
    pub fn strings(&self) -> usize {
        self.offsets.len() - 1
    }

    /// The interned string `i` ("" when out of range).
    #[inline]
    pub fn str(&self, i: u32) -> &str {
        let i = i as usize;
        if i + 1 >= self.offsets.len() {
            return "";
        }
        &self.text[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    /// A scalar column by name.
    pub fn scalar(&self, name: &str) -> &[u32] {
        let i = SCALARS
            .iter()
            .position(|n| *n == name)
            .expect("known column");
        &self.scalars[i]
    }

    /// A list column by name.
    pub fn list(&self, name: &str) -> &ListColumn {
        let i = LISTS.iter().position(|n| *n == name).expect("known column");
        &self.lists[i]
    }
}

/// Builds an index chunk's parts from rows, the way the generator does (for tests).
#[derive(Default)]
pub struct Builder {
    strings: Vec<String>,
    ids: std::collections::HashMap<String, u32>,
    scalars: Vec<Vec<u32>>,
    lists: Vec<Vec<Vec<u32>>>,
}

/// One row for [`Builder::push`]: scalar text values in [`SCALARS`] order (counts as decimal
/// text), list values in [`LISTS`] order.
pub struct RowSpec<'a> {
    pub scalars: [&'a str; 13],
    pub lists: [&'a [&'a str]; 9],
}

impl Builder {
    pub fn new() -> Self {
        let mut b = Builder {
            scalars: vec![Vec::new(); SCALARS.len()],
            lists: vec![Vec::new(); LISTS.len()],
            ..Default::default()
        };
        b.intern("");
        b
    }

    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        let i = self.strings.len() as u32;
        self.strings.push(s.to_string());
        self.ids.insert(s.to_string(), i);
        i
    }

    pub fn push(&mut self, row: RowSpec<'_>) {
        for (i, v) in row.scalars.iter().enumerate() {
            let x = if matches!(SCALARS[i], "boards" | "occurrences") {
                v.parse().unwrap_or(0)
            } else {
                self.intern(v)
            };
            self.scalars[i].push(x);
        }
        for (i, vs) in row.lists.iter().enumerate() {
            let ids = vs.iter().map(|v| self.intern(v)).collect();
            self.lists[i].push(ids);
        }
    }

    /// `(rows, strings, text, columns_b64)`.
    pub fn finish(&self) -> (u32, u32, String, String) {
        let mut bytes = Vec::new();
        for s in &self.strings {
            decode::push_varint(&mut bytes, s.len() as u32);
        }
        for col in &self.scalars {
            for &v in col {
                decode::push_varint(&mut bytes, v);
            }
        }
        for col in &self.lists {
            for row in col {
                decode::push_varint(&mut bytes, row.len() as u32);
                for &v in row {
                    decode::push_varint(&mut bytes, v);
                }
            }
        }
        (
            self.scalars[0].len() as u32,
            self.strings.len() as u32,
            self.strings.concat(),
            decode::to_base64(&bytes),
        )
    }

    /// Decodes what was built.
    pub fn build(&self, chunk: u32) -> IndexData {
        let (rows, strings, text, cols) = self.finish();
        IndexData::decode(FORMAT_VERSION, rows, strings, chunk, &text, &cols).expect("valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one() -> Builder {
        let mut b = Builder::new();
        b.push(RowSpec {
            scalars: [
                "a1",
                "tls fails",
                "new",
                "mainline",
                "master",
                "all",
                "",
                "",
                "",
                "2026-11-20",
                "2026-11-20",
                "3",
                "6",
            ],
            lists: [
                &["kselftest.net.tls"],
                &["kselftest.net"],
                &[],
                &["arm64"],
                &["juno-r2", "rk3399"],
                &[],
                &["maestro"],
                &["defconfig"],
                &["gcc-14"],
            ],
        });
        b
    }

    #[test]
    fn decodes_what_the_builder_wrote() {
        let d = one().build(100);
        assert_eq!(d.len(), 1);
        assert_eq!(d.str(d.scalar("title")[0]), "tls fails");
        assert_eq!(d.scalar("boards")[0], 3);
        let p: Vec<&str> = d
            .list("platform")
            .row(0)
            .iter()
            .map(|&i| d.str(i))
            .collect();
        assert_eq!(p, ["juno-r2", "rk3399"]);
        let origin = d.list("origin").row(0);
        assert_eq!(origin.len(), 1);
        assert_eq!(d.str(origin[0]), "maestro");
        assert_eq!(d.str(0), "");
        assert_eq!(d.str(9999), "");
    }

    #[test]
    fn rejects_bad_data() {
        let (rows, strings, text, cols) = one().finish();
        assert!(matches!(
            IndexData::decode(1, rows, strings, 1, &text, &cols),
            Err(IndexError::Version(1))
        ));
        // Too many rows for the data.
        assert!(IndexData::decode(2, rows + 1, strings, 1, &text, &cols).is_err());
        // Text that does not match the lengths.
        assert!(IndexData::decode(2, rows, strings, 1, &format!("{text}x"), &cols).is_err());
        // A string index beyond the table.
        let mut bytes = decode::base64(&cols).unwrap();
        let n = bytes.len();
        bytes[n - 1] = 120;
        assert!(IndexData::decode(2, rows, strings, 1, &text, &decode::to_base64(&bytes)).is_err());
        assert!(IndexData::decode(2, rows, strings, 1, &text, "!!!!").is_err());
    }
}
