//! The regtrack viewer: the filtering core that runs in the browser.
//!
//! [`index`] (the data, decoded by the `regtrack-viewer-format` crate), [`engine`] (facets,
//! counts, sorting) and [`text`] (free-text search) are plain Rust, compiled and unit-tested
//! natively; [`bindings`] is the thin wasm-bindgen surface the site's JavaScript shell calls. The shell owns the DOM and writes
//! text only; this crate never produces HTML.

pub mod bindings;
pub mod bits;
pub mod engine;
pub mod index;
pub mod json;
pub mod text;
