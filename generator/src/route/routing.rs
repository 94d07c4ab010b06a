//! What routing hands on: per regression, the files it was attributed to and why, the
//! MAINTAINERS sections, people and lists that own them, and the suspect commits of its
//! window; per section, what its page lists. These are the shapes `api/v1/regressions.json`
//! exports (fields only ever added) and the pages render.

use std::collections::BTreeMap;

use serde::Serialize;

use super::maintainers::Section;
use crate::diag::Diagnostic;

/// Where an attribution comes from, strongest first: the first kind that names a maintained
/// file decides a regression's subsystems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    /// A source file the crash report names (`WARNING: … at net/tls/tls_sw.c:2123`, `kernel
    /// BUG at mm/slub.c:…`, a frame's `file:line`), chosen like syzkaller's guilty file.
    CrashFile,
    /// A stack frame's function, found defined in the kernel tree (`--kernel-source`).
    CrashFrame,
    /// The file defining the failing KUnit suite (`--kernel-source`).
    KunitSuite,
    /// A KUnit `EXPECTATION FAILED at <file>:<line>` line.
    KunitAssertion,
    /// A kselftest's folder, `tools/testing/selftests/<dir>/`.
    Kselftest,
    /// A rule of the site's `test-owners.toml`.
    TestOwners,
    /// Only generic files (locking, allocators, `lib/`…) in the crash report: the last
    /// resort, as syzkaller keeps it rather than mail nobody.
    GenericCrashFile,
}

impl Evidence {
    pub const ALL: [Evidence; 7] = [
        Evidence::CrashFile,
        Evidence::CrashFrame,
        Evidence::KunitSuite,
        Evidence::KunitAssertion,
        Evidence::Kselftest,
        Evidence::TestOwners,
        Evidence::GenericCrashFile,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::CrashFile => "crash-file",
            Evidence::CrashFrame => "crash-frame",
            Evidence::KunitSuite => "kunit-suite",
            Evidence::KunitAssertion => "kunit-assertion",
            Evidence::Kselftest => "kselftest",
            Evidence::TestOwners => "test-owners",
            Evidence::GenericCrashFile => "generic-crash-file",
        }
    }

    /// How a page says it.
    pub fn describe(self) -> &'static str {
        match self {
            Evidence::CrashFile => "named in the crash report",
            Evidence::CrashFrame => "defines a crash frame's function",
            Evidence::KunitSuite => "defines the KUnit suite",
            Evidence::KunitAssertion => "named by a failed KUnit assertion",
            Evidence::Kselftest => "the kselftest's folder",
            Evidence::TestOwners => "mapped by test-owners.toml",
            Evidence::GenericCrashFile => "generic code named in the crash report",
        }
    }
}

/// A file (or folder, ending in `/`) a regression was attributed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttributedFile {
    pub path: String,
    pub evidence: Evidence,
    /// Where it was seen: `net/tls/tls_sw.c:2123 in the crash report on juno-r2
    /// (kselftest.net.tls)`.
    pub detail: String,
    /// How many shown excerpts or tests gave it.
    pub count: usize,
}

/// A MAINTAINERS section a regression belongs to, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubsystemRef {
    pub name: String,
    pub slug: String,
    pub status: Option<String>,
    /// The attributed file that matched (absent for a `test-owners.toml` rule naming the
    /// section itself).
    pub file: Option<String>,
    /// The MAINTAINERS line that matched (`F: net/tls/*`), or the rule.
    pub pattern: String,
    pub evidence: Evidence,
    /// `get_maintainer.pl`'s rank of the match (larger is more specific).
    #[serde(skip)]
    pub depth: i32,
    /// Index into the router's sections.
    #[serde(skip)]
    pub section: usize,
}

/// A maintainer, reviewer or list, with the sections that name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    /// `Name <address>` for people, the address for lists.
    pub address: String,
    pub subsystems: Vec<String>,
}

/// One commit of a regression's window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuspectCommit {
    pub commit: String,
    pub subject: String,
    pub author: String,
    /// Author date, `YYYY-MM-DD`.
    pub date: String,
    /// Its page in the repository's web UI, when the host is known.
    pub url: Option<String>,
    /// Why it ranks where it does: `touches net/tls/tls_sw.c`, `touches NETWORKING [TLS]`.
    pub reason: String,
    /// 2 touches an attributed file, 1 the subsystems' files, 0 neither.
    pub score: u8,
}

/// The commits of a regression's window, ranked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Suspects {
    /// The narrowed window: last good commit(s) and first bad commit(s), full hashes.
    pub good: Vec<String>,
    pub bad: Vec<String>,
    /// Environments whose windows were intersected, and how many of them were usable.
    pub environments: usize,
    pub environments_used: usize,
    /// Commits in the window.
    pub commits: usize,
    /// Of them, touching an attributed file / a subsystem's files.
    pub touching_files: usize,
    pub touching_subsystems: usize,
    /// The top-ranked ones.
    pub top: Vec<SuspectCommit>,
    /// Why the window could not be listed (commits missing from the clone, environments
    /// that disagree, git failing), when it could not.
    pub problem: Option<String>,
    /// `#regzbot introduced: A..B`, from the narrowed window.
    pub regzbot: Option<String>,
    /// `git bisect start BAD GOOD…`, from the narrowed window.
    pub bisect: Option<String>,
}

/// Everything routing says about one regression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Route {
    /// The kind of evidence that decided the subsystems, if any did.
    pub attributed_by: Option<Evidence>,
    /// Every file the evidence pointed at, strongest kind first.
    pub attributed_files: Vec<AttributedFile>,
    /// Most specific first.
    pub subsystems: Vec<SubsystemRef>,
    pub maintainers: Vec<Contact>,
    pub reviewers: Vec<Contact>,
    pub lists: Vec<Contact>,
    /// With `--kernel-git`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suspects: Option<Suspects>,
}

/// A section's page: what it owns tonight.
#[derive(Debug, Clone, Default)]
pub struct SubsystemPage {
    pub section: Section,
    /// Ids of its regressions, in the report's order.
    pub regressions: Vec<String>,
    /// Flaky tests routed to it (by their test alone: kselftest folder, KUnit suite,
    /// test-owners.toml), with the boards they flake on.
    pub flaky_tests: Vec<(String, Vec<String>)>,
    /// Boards its regressions fail on, with how many of them.
    pub boards: BTreeMap<String, usize>,
}

/// Share of regressions attributed, by evidence (printed after a build, the measure of how
/// well a site routes).
#[derive(Debug, Clone, Default, Serialize)]
pub struct RoutingSummary {
    pub regressions: usize,
    pub attributed: usize,
    pub by_evidence: BTreeMap<Evidence, usize>,
    pub with_suspects: usize,
}

/// The night's routing.
#[derive(Debug, Clone, Default)]
pub struct Routing {
    /// By regression id.
    pub routes: BTreeMap<String, Route>,
    /// Sections with anything routed to them, by slug.
    pub pages: BTreeMap<String, SubsystemPage>,
    pub summary: RoutingSummary,
    pub diagnostics: Vec<Diagnostic>,
}

impl Routing {
    /// The route of regression `id`, if routing ran.
    pub fn get(&self, id: &str) -> Option<&Route> {
        self.routes.get(id)
    }
}

impl std::fmt::Display for RoutingSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pct = |n: usize| {
            if self.regressions == 0 {
                0.0
            } else {
                100.0 * n as f64 / self.regressions as f64
            }
        };
        write!(
            f,
            "routing: {} of {} regressions ({:.0}%) attributed to a subsystem",
            self.attributed,
            self.regressions,
            pct(self.attributed)
        )?;
        if !self.by_evidence.is_empty() {
            let parts: Vec<String> = self
                .by_evidence
                .iter()
                .map(|(k, v)| format!("{} {v}", k.as_str()))
                .collect();
            write!(f, " (by {})", parts.join(", "))?;
        }
        write!(f, "; {} with suspect commits", self.with_suspects)
    }
}
