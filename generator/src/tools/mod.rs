//! Development tools, apart from the product path: the accuracy harness, the scale
//! benchmark and the synthetic night the viewer's benchmark and browser tests use.

pub mod accuracy;
pub mod bench;
pub mod synthetic;
