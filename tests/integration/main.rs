//! regtrack's integration tests, one module per feature, in one test binary (one link, one
//! run). The browser tests are a binary of their own (`tests/browser/`). Shared helpers (the
//! corpus and real-data folders, scratch folders, the binary) are in `tests/support/`.

#[path = "../support/mod.rs"]
mod support;

mod accuracy;
mod announce;
mod architecture;
mod bad_input;
mod correlation;
mod crash_signatures;
mod demo_site;
mod formats_corpus;
mod fuzz_kcidb;
mod fuzz_parsers;
mod kcidb_corpus;
mod nightly_job;
mod other_formats;
mod publishing;
mod realdata;
mod routing;
mod viewer_data;
