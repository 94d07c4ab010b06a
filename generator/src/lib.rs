//! regtrack: correlates Linux kernel CI results into regressions and writes a static site
//! with an offline WebAssembly viewer.
//!
//! The modules follow the data, one stage per folder (ARCHITECTURE.md has the whole map):
//!
//! [`ingest`] (result files to a merged [`ingest::Dataset`]) -> [`store`] (the compact rows it
//! holds) -> [`series`] (each test's runs per environment, in commit order) -> [`correlate`]
//! (series to kernel regressions, flaky tests and board/lab health, with [`crash`] reading
//! crash reports) -> [`route`] (each regression's subsystems, maintainers, lists and suspect
//! commits, from MAINTAINERS and git) -> [`report`] (the night's report: maintainer
//! [`content`], KCIDB issues, the permalink ledger, the API exports) -> [`announce`] (feeds,
//! mail-ready reports, the digest, KCIDB issues) -> [`site`] (pages, assets, the viewer's
//! data) -> [`publish`] (the new site switched in atomically, under a lock).
//! [`config`] is a build's options (`regtrack.toml` and the command line), [`serve`] the local
//! preview server.
//!
//! Shared by every stage: [`model`] (KCIDB objects), [`diag`] (diagnostics for bad input),
//! [`time`], [`json`] (the strict JSON cursor), [`links`] (which URLs may become links),
//! [`timings`], [`progress`] (the terminal's progress bar), [`durable`] (atomic file
//! writes), [`lock`] (build locks) and [`kill_point`] (the crash tests' hook). Development only, never used by the stages above: [`demo`] (the generated
//! demo history) and [`tools`] (accuracy, bench, synthetic viewer data).

pub mod announce;
pub mod config;
pub mod content;
pub mod correlate;
pub mod crash;
pub mod diag;
pub mod durable;
pub mod ingest;
pub mod json;
pub mod kill_point;
pub mod links;
pub mod lock;
pub mod model;
pub mod progress;
pub mod publish;
pub mod report;
pub mod route;
pub mod series;
pub mod serve;
pub mod site;
pub mod store;
pub mod time;
pub mod timings;

pub mod demo;
pub mod tools;
