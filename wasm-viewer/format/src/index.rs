//! `data/index.js`: the regression index, every regression's list row and facet values.
//!
//! ```js
//! regtrack.register("index", {"v": 3, "rows": R, "strings": S, "chunk": K,
//!                             "text": "<the S interned strings, concatenated>",
//!                             "columns": "<base64 of LEB128 varints>"});
//! ```
//!
//! **Why this encoding.** One table of `R` regressions, stored column by column:
//! - Every text value is *interned* ([`StringTable`]): a column holds indices into one string
//!   table, so a tree, board, status or test path shared by thousands of rows is stored once,
//!   and the viewer's facets work on integers (string index = facet value) without ever
//!   comparing text.
//! - The string table travels as *one* JavaScript string literal (`text`), the strings simply
//!   concatenated, their UTF-8 byte lengths at the head of `columns`. The JS engine scans a
//!   string literal far faster than it builds millions of array elements, hands it to the
//!   module in one copy, and the module slices it without allocating per string. It also stays
//!   readable (grep-able) in the file.
//! - Every integer is an unsigned LEB128 varint (1 byte below 128, 2 below 16384: string
//!   indices of common values and counts are small), and the byte stream is base64 so it can
//!   sit in a classic `.js` file (the only thing `file://` loads). Decoding is one pass with no
//!   number parsing; JSON arrays of the same integers were 2-3x larger before gzip and parsed
//!   several times slower in the module.
//!
//! **The column stream**, in this order:
//! 1. `S` string lengths in UTF-8 bytes. String 0 is always `""`, meaning none/unknown.
//! 2. The [`Scalar`] columns, in table order: `R` values each. Text columns are string
//!    indices; [`Kind::Count`] columns are plain numbers.
//! 3. The [`List`] columns, in table order: for each row, a count followed by that many string
//!    indices.
//!
//! `chunk` is the number of regressions per drill-down chunk: row `r`'s details are in
//! `data/detail-<r / chunk>.js` (see [`crate::detail`]).
//!
//! Version history: 3 added the `origin` list; 4 the `subsystem` and `maintainer` lists.

use std::fmt;

use crate::FORMAT_VERSION;
use crate::codec::{self, DecodeError, Varints};
use crate::json;
use crate::strings::StringTable;

/// What a scalar column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string index.
    Text,
    /// A number.
    Count,
}

/// The type a [`Row`] field has for a scalar column of a [`Kind`].
macro_rules! cell_type {
    (Text, $a:lifetime) => { &$a str };
    (Count, $a:lifetime) => { u32 };
}

/// Defines, from the one column table below: the [`Scalar`] and [`List`] enums (stream order =
/// declaration order), their names (the viewer's names for them, and the keys of its row JSON),
/// and [`Row`], what the generator fills per regression.
macro_rules! columns {
    (
        scalars { $( $(#[$sdoc:meta])* $sv:ident $sf:ident: $kind:ident, )* }
        lists { $( $(#[$ldoc:meta])* $lv:ident $lf:ident, )* }
    ) => {
        /// A single-valued column: one value per row.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Scalar { $( $(#[$sdoc])* $sv, )* }

        /// A multi-valued column: a list of string indices per row.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum List { $( $(#[$ldoc])* $lv, )* }

        impl Scalar {
            /// Every scalar column, in stream order.
            pub const ALL: [Scalar; [$(Scalar::$sv),*].len()] = [$(Scalar::$sv),*];

            /// The column's name.
            pub const fn name(self) -> &'static str {
                match self { $( Scalar::$sv => stringify!($sf), )* }
            }

            /// What the column holds.
            pub const fn kind(self) -> Kind {
                match self { $( Scalar::$sv => Kind::$kind, )* }
            }
        }

        impl List {
            /// Every list column, in stream order.
            pub const ALL: [List; [$(List::$lv),*].len()] = [$(List::$lv),*];

            /// The column's name.
            pub const fn name(self) -> &'static str {
                match self { $( List::$lv => stringify!($lf), )* }
            }
        }

        /// One regression's values, filled by the generator for [`Builder::push`]. Text is
        /// `""` for none/unknown; list values in the order they should show.
        #[derive(Debug, Clone, Default)]
        pub struct Row<'a> {
            $( $(#[$sdoc])* pub $sf: cell_type!($kind, 'a), )*
            $( $(#[$ldoc])* pub $lf: Vec<&'a str>, )*
        }

        impl Builder {
            /// Interns the row's text in column order (the order fixes the string indices, so
            /// the bytes) and appends its values.
            pub fn push(&mut self, row: &Row<'_>) {
                $( let v = Cell::index(row.$sf, &mut self.strings);
                   self.scalars[Scalar::$sv as usize].push(v); )*
                $( let v = row.$lf.iter().map(|s| self.strings.get(s)).collect();
                   self.lists[List::$lv as usize].push(v); )*
            }
        }
    };
}

columns! {
    scalars {
        /// The permalink id: 16 hex digits, also the URL's `r=`.
        Id id: Text,
        /// The one-line title the list shows.
        Title title: Text,
        /// `new`, `ongoing`, `fixed`, `reopened`...
        Status status: Text,
        /// The tree (`mainline`, `next`...).
        Tree tree: Text,
        /// The branch.
        Branch branch: Text,
        /// Where it fails: `all`, `board`, `arch`, `config`...
        Scope scope: Text,
        /// The board, architecture... the scope names, if any.
        ScopeValue scope_value: Text,
        /// The maintainers' annotated state, if any.
        State state: Text,
        /// The crash signature, if any.
        Signature signature: Text,
        /// `YYYY-MM-DD` (ISO dates sort as text), or `""` when unknown.
        FirstSeen first_seen: Text,
        /// `YYYY-MM-DD`, or `""` when unknown.
        LastSeen last_seen: Text,
        /// Distinct boards among the affected environments.
        Boards boards: Count,
        /// Affected environments.
        Occurrences occurrences: Count,
    }
    lists {
        /// The failing test paths.
        Tests tests,
        /// Their suites (a test's parent, at most two components deep), distinct.
        Suite suite,
        /// `annotated`, `flaky`, `known`.
        Flags flags,
        /// The distinct non-empty values of the affected environments' field, sorted (so for
        /// every list below).
        Arch arch,
        /// Boards.
        Platform platform,
        /// Labs.
        Lab lab,
        /// CI systems the results came from.
        Origin origin,
        /// Kernel configs.
        Config config,
        /// Compilers.
        Compiler compiler,
        /// MAINTAINERS sections the regression is routed to, most specific first (empty when
        /// the site does not route).
        Subsystem subsystem,
        /// Their maintainers, reviewers (`Name <address>`) and lists (addresses).
        Maintainer maintainer,
    }
}

/// A scalar value of a [`Row`]: text is interned, a count is stored as it is.
trait Cell {
    fn index(self, strings: &mut StringTable) -> u32;
}

impl Cell for &str {
    fn index(self, strings: &mut StringTable) -> u32 {
        strings.get(self)
    }
}

impl Cell for u32 {
    fn index(self, _: &mut StringTable) -> u32 {
        self
    }
}

/// Either kind of column, for whoever names columns at run time (the viewer's facets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Scalar(Scalar),
    List(List),
}

impl Column {
    /// The column's name.
    pub const fn name(self) -> &'static str {
        match self {
            Column::Scalar(s) => s.name(),
            Column::List(l) => l.name(),
        }
    }

    /// The column called `name`.
    pub fn by_name(name: &str) -> Option<Column> {
        Scalar::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .map(Column::Scalar)
            .or_else(|| {
                List::ALL
                    .into_iter()
                    .find(|l| l.name() == name)
                    .map(Column::List)
            })
    }
}

/// The column table as a classic script defining `window.regtrackIndexFormat` (`version`,
/// `scalars`, `counts`, `lists`: names in stream order), for JavaScript that decodes the index
/// on its own (the benchmark's plain-JS reference, `tests/viewer-reference.js`): it takes the
/// table from here instead of typing it again.
pub fn columns_script() -> String {
    let names = |out: &mut String, names: &mut dyn Iterator<Item = &'static str>| {
        out.push('[');
        for (i, n) in names.enumerate() {
            if i > 0 {
                out.push(',');
            }
            json::string(out, n);
        }
        out.push(']');
    };
    let mut out = String::from(
        "/* The viewer index's column table, from regtrack-viewer-format \
         (wasm-viewer/format/src/index.rs). Generated; do not edit. */\n",
    );
    out.push_str(&format!(
        "window.regtrackIndexFormat = {{\"version\":{FORMAT_VERSION},\"scalars\":"
    ));
    names(&mut out, &mut Scalar::ALL.iter().map(|s| s.name()));
    out.push_str(",\"counts\":");
    names(
        &mut out,
        &mut Scalar::ALL
            .iter()
            .filter(|s| s.kind() == Kind::Count)
            .map(|s| s.name()),
    );
    out.push_str(",\"lists\":");
    names(&mut out, &mut List::ALL.iter().map(|l| l.name()));
    out.push_str("};\n");
    out
}

// ------------------------------------------------------------------------------------------
// Writing.

/// Builds the index from rows in the list's order (the generator's side).
#[derive(Debug, Default)]
pub struct Builder {
    strings: StringTable,
    scalars: [Vec<u32>; Scalar::ALL.len()],
    lists: [Vec<Vec<u32>>; List::ALL.len()],
}

/// An encoded index: the fields of `data/index.js`'s object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    version: u32,
    rows: u32,
    strings: u32,
    chunk: u32,
    text: String,
    columns: String,
}

impl Builder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Encodes the rows pushed so far; `chunk` is the number of rows per detail chunk.
    pub fn finish(&self, chunk: u32) -> Encoded {
        let rows = self.scalars[0].len();
        let strings = self.strings.as_slice();
        let mut bytes = Vec::with_capacity(rows * 64);
        for s in strings {
            codec::push_varint(&mut bytes, s.len() as u32);
        }
        for col in &self.scalars {
            for &v in col {
                codec::push_varint(&mut bytes, v);
            }
        }
        for col in &self.lists {
            for row in col {
                codec::push_varint(&mut bytes, row.len() as u32);
                for &v in row {
                    codec::push_varint(&mut bytes, v);
                }
            }
        }
        Encoded {
            version: FORMAT_VERSION,
            rows: rows as u32,
            strings: strings.len() as u32,
            chunk,
            text: strings.concat(),
            columns: codec::to_base64(&bytes),
        }
    }
}

impl Encoded {
    /// The file `data/index.js`.
    pub fn script(&self) -> String {
        let mut text = String::with_capacity(self.text.len() + 2);
        json::string(&mut text, &self.text);
        // The comment names the viewer's reading module: changing it would change every
        // site's bytes, so it stays (that module points here).
        format!(
            "/* regtrack viewer index (format {v}; see wasm-viewer/src/index.rs). Generated; do not edit. */\n\
             regtrack.register(\"index\", {{\"v\":{v},\"rows\":{rows},\"strings\":{strings},\"chunk\":{chunk},\n\"text\":{text},\n\"columns\":\"{columns}\"}});\n",
            v = self.version,
            rows = self.rows,
            strings = self.strings,
            chunk = self.chunk,
            columns = self.columns,
        )
    }

    /// Decodes it again (as the viewer would).
    pub fn decode(&self) -> Result<IndexData, IndexError> {
        IndexData::decode(
            self.version,
            self.rows,
            self.strings,
            self.chunk,
            &self.text,
            &self.columns,
        )
    }
}

// ------------------------------------------------------------------------------------------
// Reading.

/// A multi-valued column in compressed-row form: row `r`'s values are
/// `values[start[r]..start[r + 1]]`.
#[derive(Debug, Clone, Default)]
pub struct ListColumn {
    start: Vec<u32>,
    values: Vec<u32>,
}

impl ListColumn {
    /// Values of row `r`.
    #[inline]
    pub fn row(&self, r: usize) -> &[u32] {
        &self.values[self.start[r] as usize..self.start[r + 1] as usize]
    }
}

/// The decoded index (the viewer's side).
#[derive(Debug, Clone)]
pub struct IndexData {
    /// All strings, concatenated.
    text: String,
    /// Byte offset of string `i` in `text` (one more entry than strings).
    offsets: Vec<u32>,
    /// Regressions per detail chunk (at least 1).
    chunk: u32,
    /// By [`Scalar`].
    scalars: Vec<Vec<u32>>,
    /// By [`List`].
    lists: Vec<ListColumn>,
}

/// Why an index could not be loaded.
#[derive(Debug)]
pub enum IndexError {
    /// Written by another version of the generator.
    Version(u32),
    /// Not decodable, or a column's length or a string index does not match the table.
    Shape(String),
}

impl fmt::Display for IndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndexError::Version(v) => write!(
                f,
                "index data has format version {v}, this viewer reads {FORMAT_VERSION}"
            ),
            IndexError::Shape(s) => write!(f, "index data is inconsistent: {s}"),
        }
    }
}

impl std::error::Error for IndexError {}

impl From<DecodeError> for IndexError {
    fn from(e: DecodeError) -> Self {
        IndexError::Shape(e.0)
    }
}

impl IndexData {
    /// Decodes and checks the fields of `data/index.js`'s object.
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
        let bytes = codec::from_base64(columns_b64)?;
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
        let mut scalars = Vec::with_capacity(Scalar::ALL.len());
        for _ in Scalar::ALL {
            scalars.push(r.take(n)?);
        }
        let mut lists = Vec::with_capacity(List::ALL.len());
        for _ in List::ALL {
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
        let out_of_range =
            |name: &str| IndexError::Shape(format!("column {name}: string index out of range"));
        for c in Scalar::ALL {
            if c.kind() == Kind::Text && self.scalar(c).iter().any(|&i| i >= s) {
                return Err(out_of_range(c.name()));
            }
        }
        for c in List::ALL {
            if self.list(c).values.iter().any(|&i| i >= s) {
                return Err(out_of_range(c.name()));
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

    /// Regressions per detail chunk.
    pub fn chunk(&self) -> u32 {
        self.chunk
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

    /// A scalar column: one value per row.
    #[inline]
    pub fn scalar(&self, c: Scalar) -> &[u32] {
        &self.scalars[c as usize]
    }

    /// A list column.
    #[inline]
    pub fn list(&self, c: List) -> &ListColumn {
        &self.lists[c as usize]
    }

    /// Row `r`'s values in column `c` (one for a scalar column).
    #[inline]
    pub fn values(&self, c: Column, r: usize) -> &[u32] {
        match c {
            Column::Scalar(s) => std::slice::from_ref(&self.scalar(s)[r]),
            Column::List(l) => self.list(l).row(r),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one() -> Builder {
        let mut b = Builder::new();
        b.push(&Row {
            id: "a1",
            title: "tls fails",
            status: "new",
            tree: "mainline",
            branch: "master",
            scope: "all",
            first_seen: "2026-11-20",
            last_seen: "2026-11-20",
            boards: 3,
            occurrences: 6,
            tests: vec!["kselftest.net.tls"],
            suite: vec!["kselftest.net"],
            arch: vec!["arm64"],
            platform: vec!["juno-r2", "rk3399"],
            origin: vec!["maestro"],
            config: vec!["defconfig"],
            compiler: vec!["gcc-14"],
            ..Row::default()
        });
        b
    }

    #[test]
    fn the_table() {
        assert_eq!(Scalar::ALL.len(), 13);
        assert_eq!(List::ALL.len(), 11);
        assert_eq!(Scalar::ScopeValue.name(), "scope_value");
        assert_eq!(Scalar::Boards.kind(), Kind::Count);
        assert_eq!(Scalar::FirstSeen.kind(), Kind::Text);
        assert_eq!(
            Column::by_name("platform"),
            Some(Column::List(List::Platform))
        );
        assert_eq!(
            Column::by_name("first_seen"),
            Some(Column::Scalar(Scalar::FirstSeen))
        );
        assert_eq!(Column::by_name("nope"), None);
        for (i, s) in Scalar::ALL.iter().enumerate() {
            assert_eq!(*s as usize, i);
        }
    }

    #[test]
    fn decodes_what_the_builder_wrote() {
        let d = one().finish(100).decode().unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(d.chunk(), 100);
        assert_eq!(d.str(d.scalar(Scalar::Title)[0]), "tls fails");
        assert_eq!(d.scalar(Scalar::Boards)[0], 3);
        assert_eq!(d.scalar(Scalar::Occurrences)[0], 6);
        let p: Vec<&str> = d
            .list(List::Platform)
            .row(0)
            .iter()
            .map(|&i| d.str(i))
            .collect();
        assert_eq!(p, ["juno-r2", "rk3399"]);
        let origin = d.values(Column::List(List::Origin), 0);
        assert_eq!(origin.len(), 1);
        assert_eq!(d.str(origin[0]), "maestro");
        assert_eq!(d.values(Column::Scalar(Scalar::State), 0), [0]);
        assert!(d.list(List::Lab).row(0).is_empty());
        assert_eq!(d.str(0), "");
        assert_eq!(d.str(9999), "");
    }

    #[test]
    fn strings_are_interned_in_column_order() {
        let e = one().finish(100);
        assert_eq!(
            e.text,
            "a1tls failsnewmainlinemasterall2026-11-20kselftest.net.tlskselftest.netarm64\
             juno-r2rk3399maestrodefconfiggcc-14"
        );
        assert_eq!(e.strings, 16);
    }

    #[test]
    fn script() {
        let mut b = Builder::new();
        b.push(&Row {
            id: "x\"y",
            ..Row::default()
        });
        let e = b.finish(7);
        assert_eq!(
            e.script(),
            "/* regtrack viewer index (format 4; see wasm-viewer/src/index.rs). Generated; do not edit. */\n\
             regtrack.register(\"index\", {\"v\":4,\"rows\":1,\"strings\":2,\"chunk\":7,\n\
             \"text\":\"x\\\"y\",\n\"columns\":\"AAMBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"});\n"
        );
        let empty = Builder::new().finish(100);
        assert_eq!(empty.decode().unwrap().len(), 0);
    }

    #[test]
    fn rejects_bad_data() {
        let e = one().finish(1);
        let decode =
            |v, rows, text: &str, cols: &str| IndexData::decode(v, rows, e.strings, 1, text, cols);
        assert!(matches!(
            decode(1, e.rows, &e.text, &e.columns),
            Err(IndexError::Version(1))
        ));
        let v = FORMAT_VERSION;
        // Too many rows for the data.
        assert!(decode(v, e.rows + 1, &e.text, &e.columns).is_err());
        // Text that does not match the lengths.
        assert!(decode(v, e.rows, &format!("{}x", e.text), &e.columns).is_err());
        // A string index beyond the table.
        let mut bytes = codec::from_base64(&e.columns).unwrap();
        let n = bytes.len();
        bytes[n - 1] = 120;
        assert!(decode(v, e.rows, &e.text, &codec::to_base64(&bytes)).is_err());
        assert!(decode(v, e.rows, &e.text, "!!!!").is_err());
        assert!(decode(v, e.rows, &e.text, &e.columns).is_ok());
    }

    #[test]
    fn columns_script_lists_the_table() {
        let js = columns_script();
        assert!(js.contains(
            "window.regtrackIndexFormat = {\"version\":4,\"scalars\":[\"id\",\"title\","
        ));
        assert!(js.contains("\"counts\":[\"boards\",\"occurrences\"],\"lists\":[\"tests\","));
        assert!(js.ends_with("\"compiler\",\"subsystem\",\"maintainer\"]};\n"));
    }
}
