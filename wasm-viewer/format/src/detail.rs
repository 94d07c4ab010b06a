//! `data/detail-<n>.js`: what a drill-down shows (windows, annotations, KCIDB issues, every
//! affected environment with its history strip, log excerpts) for index rows
//! `n * chunk .. (n + 1) * chunk` (`chunk` from the index), loaded on demand.
//!
//! Read by the JavaScript shell (`themes/default/static/js/`, joined into `assets/app.js`) with `JSON.parse`, so plain
//! JSON integers here: chunks are small and the shell reads them directly. The object is a
//! [`DetailChunk`], keys = its field names, in field order: a per-chunk string table (a board,
//! commit or a history strip such as `PPPPFFF` repeats across hundreds of environments),
//! per-regression columns (one entry per regression in the chunk), and one `o_*` column per
//! occurrence field across the chunk, regression `i`'s occurrences being
//! `occ_start[i]..occ_start[i + 1]`. Text is a string index, 0 for none.

use crate::json::{self, ToJson};
use crate::script;
use crate::strings::StringTable;

/// A commit: `[hash, describe, start time, web link]`.
pub type Commit = [u32; 4];

/// A known issue: `[id, title, link]`.
pub type KnownIssue = [u32; 3];

/// Maintainers' notes: `[state, duplicate_of, report link, fix link, culprit, culprit link,
/// note html]`.
pub type Annotation = [u32; 7];

/// A KCIDB issue: `[id, version or null, subject, comment, link, incidents, [categories]]`.
pub type Issue = (u32, Option<i64>, u32, u32, u32, usize, Vec<u32>);

/// A suspect commit: `[short hash, subject, author, date, web link, why it ranks]`.
pub type Suspect = [u32; 6];

/// A log excerpt: `[occurrence number within the regression, excerpt text]`.
pub type Excerpt = [u32; 2];

/// The shell's name for chunk `n` (`regtrack.register` name and, plus `.js`, file name).
pub fn name(n: usize) -> String {
    format!("detail-{n}")
}

/// Defines the chunk struct, its [`DetailChunk::KEYS`] and its JSON from one field list, so a
/// field's name is its key and the declaration order the order written.
macro_rules! chunk {
    (
        $(#[$m:meta])*
        pub struct $name:ident { $( $(#[$fm:meta])* pub $f:ident: $t:ty, )* }
    ) => {
        $(#[$m])*
        pub struct $name { $( $(#[$fm])* pub $f: $t, )* }

        impl $name {
            /// The chunk object's keys, in the order written.
            pub const KEYS: &[&str] = &[$(stringify!($f)),*];
        }

        impl ToJson for $name {
            fn write_json(&self, out: &mut String) {
                let mut sep = '{';
                $(
                    out.push(sep);
                    sep = ',';
                    json::string(out, stringify!($f));
                    out.push(':');
                    self.$f.write_json(out);
                )*
                let _ = sep;
                out.push('}');
            }
        }
    };
}

chunk! {
    /// One drill-down chunk, filled by the generator (see the module doc).
    #[derive(Debug, Clone, Default)]
    pub struct DetailChunk {
        /// [`crate::FORMAT_VERSION`].
        pub v: u32,
        /// Index row of the chunk's first regression.
        pub first: usize,
        pub strings: StringTable,
        /// The regression's id (the shell checks it against the index row's).
        pub id: Vec<u32>,
        /// The repository URL.
        pub repo: Vec<u32>,
        /// The repository URL when it is a web URL.
        pub repo_link: Vec<u32>,
        pub last_pass: Vec<Commit>,
        pub first_fail: Vec<Commit>,
        pub fixed_last_fail: Vec<Option<Commit>>,
        pub fixed_first_pass: Vec<Option<Commit>>,
        /// Tests that did not run (MISS) after a boot failure and belong to it.
        pub explained_misses: Vec<usize>,
        pub known: Vec<Option<KnownIssue>>,
        pub annotation: Vec<Option<Annotation>>,
        pub issues: Vec<Vec<Issue>>,
        pub excerpts: Vec<Vec<Excerpt>>,
        /// The page folder (`s/<slug>/`) of each of the index row's `subsystem` values, in
        /// the same order.
        pub subsystem_slug: Vec<Vec<u32>>,
        /// The top suspect commits of its window (`--kernel-git`), best first.
        pub suspects: Vec<Vec<Suspect>>,
        /// What the window holds (`3 of 412 commits touch net/tls/tls_sw.c; …`), or why it
        /// could not be listed.
        pub suspect_note: Vec<u32>,
        /// `#regzbot introduced: A..B` and `git bisect start B A`, from the narrowed window
        /// when there is one.
        pub regzbot: Vec<u32>,
        pub bisect: Vec<u32>,
        /// Where each regression's occurrences start in the `o_*` columns, plus the end.
        pub occ_start: Vec<u32>,
        pub o_test: Vec<u32>,
        pub o_platform: Vec<u32>,
        pub o_arch: Vec<u32>,
        pub o_config: Vec<u32>,
        pub o_compiler: Vec<u32>,
        pub o_lab: Vec<u32>,
        pub o_last_pass: Vec<u32>,
        pub o_last_pass_link: Vec<u32>,
        pub o_first_fail: Vec<u32>,
        pub o_first_fail_link: Vec<u32>,
        /// KCIDB status of the newest run (`FAIL`, `PASS`...).
        pub o_latest: Vec<u32>,
        /// Flaky score in thousandths.
        pub o_flaky: Vec<u32>,
        pub o_signature: Vec<u32>,
        pub o_log: Vec<u32>,
        /// Recent runs, oldest first, one letter each (P F E M D S).
        pub o_recent: Vec<u32>,
        /// Per recent run, which run it is (`fail · <describe> · <day>`; interned, so few
        /// strings). Per-run log links stay on the permalink page: one URL per failing run
        /// would make a large regression's chunk several times bigger.
        pub o_run_title: Vec<Vec<u32>>,
        /// The environment's stable key: names it in links (`o=`). Plain text, not interned:
        /// every environment's is different.
        pub o_key: Vec<String>,
    }
}

impl DetailChunk {
    /// An empty chunk starting at index row `first`.
    pub fn new(first: usize) -> Self {
        DetailChunk {
            v: crate::FORMAT_VERSION,
            first,
            occ_start: vec![0],
            ..Default::default()
        }
    }

    /// The chunk's file, registered as `name` (see [`name`]).
    pub fn script(&self, name: &str) -> String {
        let mut text = String::new();
        self.write_json(&mut text);
        script::register_json(name, &text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_every_key_in_order() {
        let mut c = DetailChunk::new(200);
        let s = c.strings.get("ab\"c");
        c.id.push(s);
        c.known.push(None);
        c.issues.push(vec![(s, Some(2), 0, 0, 0, 3, vec![s])]);
        c.o_key.push("0a1b2c3d".into());
        c.occ_start.push(1);
        let js = c.script(&name(2));
        let prefix = "regtrack.register(\"detail-2\", \"{\\\"v\\\":4,\\\"first\\\":200,\\\"strings\\\":[\\\"\\\",\\\"ab\\\\\\\"c\\\"],\\\"id\\\":[1],";
        assert!(js.starts_with(prefix), "{js}");
        assert!(js.contains(
            "\\\"known\\\":[null],\\\"annotation\\\":[],\\\"issues\\\":[[[1,2,0,0,0,3,[1]]]]"
        ));
        assert!(
            js.ends_with("\\\"o_key\\\":[\\\"0a1b2c3d\\\"]}\");\n"),
            "{js}"
        );
        let mut at = 0;
        for k in DetailChunk::KEYS {
            let key = format!("\\\"{k}\\\":");
            let i = js[at..].find(&key).unwrap_or_else(|| panic!("{k}"));
            at += i + key.len();
        }
        assert_eq!(DetailChunk::KEYS.len(), 38);
    }
}
