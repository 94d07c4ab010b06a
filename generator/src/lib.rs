//! regtrack: correlates Linux kernel CI results into regressions and writes a static site
//! with an offline WebAssembly viewer.
//!
//! Pipeline: [`ingest`] reads KCIDB files into a merged dataset, [`series`] orders each test's
//! runs per environment, [`correlate`] turns pass-to-fail transitions into regressions, and
//! [`site`] renders pages, the export and the viewer's data.

pub mod accuracy;
pub mod bench;
pub mod cache;
pub mod content;
pub mod context;
pub mod correlate;
pub mod demo;
pub mod diag;
pub mod export;
pub mod formats;
pub mod ingest;
pub mod json_scan;
pub mod kcidb;
pub mod kcidb_rows;
pub mod kcidb_scan;
pub mod ledger;
pub mod model;
pub mod report;
pub mod series;
pub mod signature;
pub mod site;
pub mod store;
pub mod timings;

/// The viewer, built from `wasm-viewer/` by `build.rs` and embedded here.
pub mod viewer_assets {
    /// The wasm-bindgen glue: a classic script defining the global `wasm_bindgen`.
    pub const GLUE_JS: &str = include_str!(concat!(env!("OUT_DIR"), "/viewer/regtrack_viewer.js"));
    /// The viewer's WebAssembly module.
    pub const WASM: &[u8] =
        include_bytes!(concat!(env!("OUT_DIR"), "/viewer/regtrack_viewer_bg.wasm"));
}
