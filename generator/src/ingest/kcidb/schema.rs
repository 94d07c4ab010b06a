//! What every reader checks a document against: the schema versions and object kinds.

/// Schema major versions this parser understands.
pub const SUPPORTED_MAJOR: [u64; 2] = [4, 5];

/// The object arrays of a document, in schema order.
pub const KINDS: [&str; 5] = ["checkouts", "builds", "tests", "issues", "incidents"];
