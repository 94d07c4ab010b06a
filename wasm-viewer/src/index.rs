//! The regression index the viewer filters: `data/index.js`, decoded by the format crate
//! (`regtrack-viewer-format`, `wasm-viewer/format/src/index.rs`), the one definition of the
//! file shared with the generator. See there for the encoding and why.

pub use regtrack_viewer_format::index::{Column, IndexData, Kind, List, Scalar};
