//! Development tools, apart from the product path: the accuracy harnesses (the final night,
//! and the night-by-night replay), the scale benchmark and the synthetic night the viewer's
//! benchmark and browser tests use.

pub mod accuracy;
pub mod bench;
pub mod realdata;
pub mod replay;
pub mod synthetic;
