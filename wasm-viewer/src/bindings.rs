//! The JavaScript-facing surface: load the index chunk, set filters, read results and counts.

use wasm_bindgen::prelude::*;

use crate::engine::{Engine, FACETS, SortKey};
use crate::index::{IndexData, Kind, List, Scalar};
use crate::json;

/// A loaded index and its filter state, held by the page's JavaScript shell.
#[wasm_bindgen]
pub struct Viewer {
    engine: Engine,
}

#[wasm_bindgen]
impl Viewer {
    /// Decodes the index chunk's parts (see `index` for the format) and builds the facets.
    #[wasm_bindgen(constructor)]
    pub fn new(
        version: u32,
        rows: u32,
        strings: u32,
        chunk: u32,
        text: &str,
        columns: &str,
    ) -> Result<Viewer, JsError> {
        let index = IndexData::decode(version, rows, strings, chunk, text, columns)
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Viewer {
            engine: Engine::new(index),
        })
    }

    /// Number of regressions in the index.
    pub fn len(&self) -> usize {
        self.engine.len()
    }

    /// True when the index holds no regression.
    #[wasm_bindgen(js_name = isEmpty)]
    pub fn is_empty(&self) -> bool {
        self.engine.is_empty()
    }

    /// Regressions per detail chunk.
    pub fn chunk(&self) -> u32 {
        self.engine.index().chunk()
    }

    /// `[{"name": facet, "values": [text...], "totals": [rows...]}...]`, in display order;
    /// [`Viewer::counts`] follows the same order.
    #[wasm_bindgen(js_name = facetsJson)]
    pub fn facets_json(&self) -> String {
        let mut out = String::from("[");
        for (f, column) in FACETS.iter().enumerate() {
            if f > 0 {
                out.push(',');
            }
            out.push('{');
            json::key(&mut out, "name");
            json::string(&mut out, column.name());
            out.push(',');
            json::key(&mut out, "values");
            out.push('[');
            for (i, v) in self.engine.values(f).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json::string(&mut out, v);
            }
            out.push_str("],");
            json::key(&mut out, "totals");
            out.push('[');
            for (i, n) in self.engine.totals(f).iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&n.to_string());
            }
            out.push_str("]}");
        }
        out.push(']');
        out
    }

    /// Sets the free-text query.
    #[wasm_bindgen(js_name = setQuery)]
    pub fn set_query(&mut self, q: &str) {
        self.engine.set_query(q);
    }

    /// Selects values (by text) in a facet; an empty list clears it. False for an unknown facet.
    #[wasm_bindgen(js_name = setFacet)]
    pub fn set_facet(&mut self, facet: &str, values: Vec<String>) -> bool {
        match Engine::facet(facet) {
            Some(f) if !Engine::is_range(f) => {
                self.engine.set_facet(f, &values);
                true
            }
            _ => false,
        }
    }

    /// Restricts the first-seen date to `from..=to` (`YYYY-MM-DD`, "" for open).
    #[wasm_bindgen(js_name = setRange)]
    pub fn set_range(&mut self, from: &str, to: &str) {
        self.engine.set_range(from, to);
    }

    /// Orders results by `report`, `first_seen`, `last_seen`, `boards` or `occurrences`.
    /// False (and no change) for an unknown key.
    #[wasm_bindgen(js_name = setSort)]
    pub fn set_sort(&mut self, key: &str, descending: bool) -> bool {
        match SortKey::parse(key) {
            Some(k) => {
                self.engine.set_sort(k, descending);
                true
            }
            None => false,
        }
    }

    /// Clears the query and every facet.
    pub fn clear(&mut self) {
        self.engine.clear();
    }

    /// Applies the filters; returns the number of matching regressions.
    pub fn update(&mut self) -> usize {
        self.engine.update()
    }

    /// Live counts of every facet's values, facets concatenated in [`Viewer::facets_json`]
    /// order.
    pub fn counts(&self) -> Vec<u32> {
        let mut out = Vec::new();
        for f in 0..FACETS.len() {
            out.extend_from_slice(self.engine.counts(f));
        }
        out
    }

    /// Row numbers of results `start..start + count`, in the current order.
    #[wasm_bindgen(js_name = resultRows)]
    pub fn result_rows(&self, start: usize, count: usize) -> Vec<u32> {
        let rows = self.engine.rows();
        let a = start.min(rows.len());
        let b = start.saturating_add(count).min(rows.len());
        rows[a..b].to_vec()
    }

    /// Results `start..start + count` as a JSON array of rows (see [`Viewer::row_json`]).
    #[wasm_bindgen(js_name = rowsJson)]
    pub fn rows_json(&self, start: usize, count: usize) -> String {
        let mut out = String::from("[");
        for (i, r) in self.result_rows(start, count).into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            self.write_row(&mut out, r as usize);
        }
        out.push(']');
        out
    }

    /// One row as JSON: `row`, every scalar column by name (text, counts as numbers) and every
    /// list column as an array of text. `null` for a row out of range.
    #[wasm_bindgen(js_name = rowJson)]
    pub fn row_json(&self, row: usize) -> String {
        if row >= self.engine.len() {
            return "null".into();
        }
        let mut out = String::new();
        self.write_row(&mut out, row);
        out
    }

    /// Every result's id, in order, one per line (for tests and the benchmark).
    #[wasm_bindgen(js_name = resultIds)]
    pub fn result_ids(&self) -> String {
        let idx = self.engine.index();
        let ids = idx.scalar(Scalar::Id);
        let mut out = String::new();
        for &r in self.engine.rows() {
            out.push_str(idx.str(ids[r as usize]));
            out.push('\n');
        }
        out
    }

    /// The row of regression `id`, or -1.
    pub fn find(&self, id: &str) -> i32 {
        self.engine.find(id).map(|r| r as i32).unwrap_or(-1)
    }
}

impl Viewer {
    fn write_row(&self, out: &mut String, r: usize) {
        let idx = self.engine.index();
        out.push('{');
        json::key(out, "row");
        out.push_str(&r.to_string());
        for c in Scalar::ALL {
            let v = idx.scalar(c)[r];
            out.push(',');
            json::key(out, c.name());
            match c.kind() {
                Kind::Count => out.push_str(&v.to_string()),
                Kind::Text => json::string(out, idx.str(v)),
            }
        }
        for c in List::ALL {
            out.push(',');
            json::key(out, c.name());
            out.push('[');
            for (i, &s) in idx.list(c).row(r).iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json::string(out, idx.str(s));
            }
            out.push(']');
        }
        out.push('}');
    }
}
