//! The JavaScript-facing surface: load an index chunk, answer queries.

use wasm_bindgen::prelude::*;

use crate::filter::Filter;
use crate::index::IndexData;

/// A loaded index, held by the page's JavaScript shell.
#[wasm_bindgen]
pub struct Viewer {
    filter: Filter,
    rows: usize,
}

#[wasm_bindgen]
impl Viewer {
    /// Parses the index chunk (the JSON text the generator wrote).
    #[wasm_bindgen(constructor)]
    pub fn new(index_json: &str) -> Result<Viewer, JsError> {
        let index = IndexData::parse(index_json).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Viewer {
            filter: Filter::new(&index),
            rows: index.len(),
        })
    }

    /// Number of regressions in the index.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// True when the index holds no regression.
    #[wasm_bindgen(js_name = isEmpty)]
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Row numbers matching a free-text query, in index order.
    pub fn query(&self, text: &str) -> Vec<u32> {
        self.filter.matching(text)
    }
}
