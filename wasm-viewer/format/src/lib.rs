//! The viewer's data format, defined once: what the generator writes under `data/` and what
//! the in-browser viewer (the wasm module and the JavaScript shell) reads.
//!
//! Every file is a classic script that calls `regtrack.register(name, data)`: unlike `fetch`
//! of a sibling file or an ES module, a classic script loads from `file://`, so the site works
//! opened from disk.
//!
//! - `data/index.js` ([`index`]): every regression's list row and facet values, columnar and
//!   compact, decoded by the wasm module. The generator fills [`index::Builder`]; the viewer
//!   reads [`index::IndexData`].
//! - `data/detail-<n>.js` ([`detail`]): a drill-down's details for a chunk of rows, read by the
//!   shell with `JSON.parse`. The generator fills [`detail::DetailChunk`].
//! - `data/boards.js` ([`boards`]): every board's health, for the board view; the keys the
//!   shell reads.
//!
//! The crate has no dependencies and compiles for the host (the generator, tests) and for
//! wasm32 (the viewer): neither side can drift from the other, because there is no other side.

mod codec;
mod json;
mod script;
mod strings;

pub mod boards;
pub mod detail;
pub mod index;

pub use strings::StringTable;

/// Version of the data format, written into every chunk (`v`). The viewer refuses an index of
/// another version rather than misreading it; bump it on any change a reader could notice.
pub const FORMAT_VERSION: u32 = 4;
