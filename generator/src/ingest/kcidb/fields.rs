//! KCIDB objects as both fast readers see them: fields borrowed from the document's text
//! (copied only when escaped), just the ones rows are made of. The scanner and serde_json's
//! fast path fill the same types, so [`super::rows`] builds rows from either alike.

use std::borrow::Cow;

use serde::Deserialize;

use crate::model::{Incident, Issue};

/// A string borrowed from the document unless it has escapes. serde's own `Option<Cow<str>>`
/// always copies (it borrows only a bare `Cow` field), which costs an allocation per field.
#[derive(Deserialize)]
pub(crate) struct StrValue<'a>(#[serde(borrow)] pub(crate) Cow<'a, str>);

pub(crate) type StrField<'a> = Option<StrValue<'a>>;

#[derive(Deserialize)]
pub(crate) struct FastVersion {
    pub(crate) major: u64,
}

#[derive(Deserialize)]
pub(crate) struct FastCheckout<'a> {
    #[serde(borrow)]
    pub(crate) id: Cow<'a, str>,
    #[serde(borrow, default)]
    pub(crate) origin: StrField<'a>,
    #[serde(borrow, default)]
    pub(crate) tree_name: StrField<'a>,
    #[serde(borrow, default)]
    pub(crate) git_repository_url: StrField<'a>,
    #[serde(borrow, default)]
    pub(crate) git_repository_branch: StrField<'a>,
    #[serde(borrow, default)]
    pub(crate) git_commit_hash: StrField<'a>,
    #[serde(borrow, default)]
    pub(crate) git_commit_name: StrField<'a>,
    #[serde(borrow, default)]
    pub(crate) start_time: StrField<'a>,
}

#[derive(Deserialize)]
pub(crate) struct FastBuild<'a> {
    #[serde(borrow)]
    pub(crate) id: Cow<'a, str>,
    #[serde(borrow, default)]
    pub(crate) checkout_id: StrField<'a>,
    #[serde(borrow, default)]
    pub(crate) architecture: StrField<'a>,
    #[serde(borrow, default)]
    pub(crate) config_name: StrField<'a>,
    #[serde(borrow, default)]
    pub(crate) compiler: StrField<'a>,
    #[serde(borrow, default)]
    pub(crate) start_time: StrField<'a>,
    #[serde(borrow, default)]
    pub(crate) status: StrField<'a>,
    #[serde(default)]
    pub(crate) valid: Option<bool>,
}

#[derive(Default)]
pub(crate) struct FastMisc<'a> {
    pub(crate) platform: StrField<'a>,
    pub(crate) lab: StrField<'a>,
    pub(crate) runtime: StrField<'a>,
}
#[derive(Default)]
pub(crate) struct FastEnv<'a> {
    pub(crate) compatible: StrField<'a>,
    pub(crate) misc: Option<FastMisc<'a>>,
}

/// A test object; `id` is checked present when it is read.
#[derive(Default)]
pub(crate) struct FastTest<'a> {
    pub(crate) id: StrField<'a>,
    pub(crate) build_id: StrField<'a>,
    pub(crate) path: StrField<'a>,
    pub(crate) status: StrField<'a>,
    pub(crate) start_time: StrField<'a>,
    pub(crate) environment: Option<FastEnv<'a>>,
    pub(crate) log_url: Log<'a>,
    pub(crate) log_excerpt: Log<'a>,
    pub(crate) misc: Option<FastMisc<'a>>,
}

/// A log URL or excerpt as read: decoded (serde_json), or as written in the document (the
/// scanner), kept by reference when the document stays readable (see [`crate::store::Text`]).
pub(crate) enum LogText<'a> {
    Text(Cow<'a, str>),
    Json { raw: &'a str, escaped: bool },
}

pub(crate) type Log<'a> = Option<LogText<'a>>;

/// A document minus its tests, which were turned into rows while parsing.
#[derive(Default)]
pub(crate) struct FastDoc<'a> {
    pub(crate) major: Option<u64>,
    pub(crate) checkouts: Vec<FastCheckout<'a>>,
    pub(crate) builds: Vec<FastBuild<'a>>,
    pub(crate) tests: usize,
    pub(crate) issues: Vec<Issue>,
    pub(crate) incidents: Vec<Incident>,
}
