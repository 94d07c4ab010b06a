//! The viewer's index chunk: the regression list in the columnar, interned form that
//! `wasm-viewer/src/index.rs` reads, wrapped in a script that registers itself (so it loads
//! from `file://`, where `fetch` of a sibling file is refused).

use std::collections::HashMap;

use serde::Serialize;

use crate::report::Report;

/// Must match `regtrack_viewer::index::FORMAT_VERSION`.
const FORMAT_VERSION: u32 = 1;
const NONE: u32 = u32::MAX;

#[derive(Default)]
struct Interner {
    strings: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Interner {
    fn get(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        let i = self.strings.len() as u32;
        self.strings.push(s.to_string());
        self.ids.insert(s.to_string(), i);
        i
    }
}

#[derive(Serialize, Default)]
struct Columns {
    v: u32,
    strings: Vec<String>,
    id: Vec<u32>,
    title: Vec<u32>,
    status: Vec<u32>,
    tree: Vec<u32>,
    branch: Vec<u32>,
    first_seen: Vec<u32>,
    last_seen: Vec<u32>,
    tests: Vec<Vec<u32>>,
    signature: Vec<u32>,
    boards: Vec<u32>,
    occurrences: Vec<u32>,
}

/// The index chunk's JSON text, rows in the same order as the index page's list.
pub fn index_json(report: &Report) -> String {
    let mut st = Interner::default();
    let mut c = Columns {
        v: FORMAT_VERSION,
        ..Default::default()
    };
    for r in &report.regressions {
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        c.id.push(st.get(&r.id));
        c.title.push(st.get(&r.title));
        c.status.push(st.get(r.status.as_str()));
        c.tree.push(st.get(r.tree.as_deref().unwrap_or("")));
        c.branch.push(st.get(r.branch.as_deref().unwrap_or("")));
        c.first_seen.push(st.get(&date(r.first_seen)));
        c.last_seen.push(st.get(&date(r.last_seen)));
        c.tests.push(r.tests.iter().map(|t| st.get(t)).collect());
        c.signature.push(NONE);
        c.boards.push(r.board_count() as u32);
        c.occurrences.push(r.occurrences.len() as u32);
    }
    c.strings = st.strings;
    serde_json::to_string(&c).expect("index columns serialise")
}

/// The chunk as a classic script: `regtrack.register("index", "<json>")`. The JSON travels as
/// a JS string literal (JSON's string syntax is valid JS), parsed once inside the wasm module.
pub fn index_chunk(report: &Report) -> String {
    let json = index_json(report);
    let literal = serde_json::to_string(&json).expect("string serialises");
    format!("regtrack.register(\"index\", {literal});\n")
}
