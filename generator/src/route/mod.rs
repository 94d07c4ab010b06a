//! Routing: whose is each regression, which list to mail, which commits are likely.
//!
//! Between correlation and the report: the kernel answers the first two questions itself in
//! its MAINTAINERS file ([`maintainers`]), its git history the third ([`suspects`]).
//!
//! 1. [`evidence`] reads what a log says about where the bug is: the file its crash report
//!    blames (syzkaller's guilty-file rules), its stack frames, KUnit assertion lines.
//! 2. [`source`] indexes a kernel tree (`--kernel-source`): frames and KUnit suites to files.
//! 3. [`owners`]: a test's own files (kselftest folder, KUnit suite, the site's
//!    `test-owners.toml`).
//! 4. [`attribute`] weighs the evidence and names the sections, people and lists
//!    ([`routing`] holds what it hands on).
//! 5. [`suspects`] lists each window's commits from a local clone (`--kernel-git`, through
//!    [`git`]) and ranks those touching the attributed files first.
//!
//! Every input is optional and every problem with one (a malformed MAINTAINERS line, a
//! folder that is not a repository, a shallow clone, commits missing from it) is one
//! diagnostic: routing does what the rest allows and the site is always built.

pub mod attribute;
pub mod evidence;
pub mod git;
pub mod maintainers;
pub mod owners;
pub mod routing;
pub mod source;
pub mod suspects;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::correlate::Regression;
use crate::correlate::health::Health;
use crate::diag::{Diagnostic, Location, RejectReason};
use attribute::Inputs;
use maintainers::{DirCheck, Maintainers, NoTree};
use owners::TestOwners;
use routing::{Route, Routing, RoutingSummary, SubsystemPage};
use source::SourceTree;

/// What routing reads; every field is optional.
#[derive(Debug, Clone, Default)]
pub struct RouteOptions {
    /// The kernel's MAINTAINERS file (default: the one of `kernel_source`).
    pub maintainers: Option<PathBuf>,
    /// An unpacked kernel tree.
    pub kernel_source: Option<PathBuf>,
    /// A local clone of the tree the results test (bare or not).
    pub kernel_git: Option<PathBuf>,
    /// The site's `test-owners.toml`.
    pub test_owners: Option<PathBuf>,
    /// Where the kernel tree's index is cached.
    pub cache: Option<PathBuf>,
}

impl RouteOptions {
    /// True when neither MAINTAINERS, a kernel tree nor a clone is given: the site then has
    /// no routing at all (a content folder's `test-owners.toml` alone names no section).
    pub fn is_empty(&self) -> bool {
        self.maintainers.is_none() && self.kernel_source.is_none() && self.kernel_git.is_none()
    }
}

/// The loaded inputs, ready to route any number of regressions.
#[derive(Default)]
pub struct Router {
    pub maintainers: Option<Maintainers>,
    pub tree: Option<SourceTree>,
    pub owners: Option<TestOwners>,
    pub git: Option<git::Git>,
    pub diagnostics: Vec<Diagnostic>,
}

impl DirCheck for SourceTree {
    fn is_dir(&self, path: &str) -> Option<bool> {
        Some(SourceTree::is_dir(self, path))
    }
}

fn whole_file(path: &Path, reason: RejectReason, message: String) -> Diagnostic {
    let mut d = Diagnostic::new(&path.display().to_string(), Location::File, reason, message);
    d.records = 0;
    d
}

impl Router {
    /// Loads every input given; each problem is a diagnostic.
    pub fn load(opts: &RouteOptions) -> Router {
        let mut tm = crate::timings::Timer::start();
        let mut r = Router::default();
        if let Some(dir) = &opts.kernel_source {
            let (tree, diags) = SourceTree::load(dir, opts.cache.as_deref());
            r.tree = tree;
            r.diagnostics.extend(diags);
            tm.mark("route: kernel tree index");
        }
        let maintainers = opts.maintainers.clone().or_else(|| {
            opts.kernel_source
                .as_ref()
                .map(|d| d.join("MAINTAINERS"))
                .filter(|p| p.is_file())
        });
        if let Some(path) = &maintainers {
            let check: &dyn DirCheck = match &r.tree {
                Some(t) => t,
                None => &NoTree,
            };
            let m = Maintainers::load(path, check);
            r.diagnostics.extend(m.diagnostics.iter().cloned());
            tm.mark("route: MAINTAINERS");
            if let Some(t) = &r.tree {
                let stale = stale_patterns(&m, t, opts.cache.as_deref());
                r.diagnostics.extend(maintainers::unmatched_diagnostics(
                    &path.display().to_string(),
                    &stale,
                ));
                tm.mark("route: MAINTAINERS patterns against the tree");
            }
            if m.is_empty() && m.diagnostics.is_empty() {
                r.diagnostics.push(whole_file(
                    path,
                    RejectReason::Malformed,
                    "no MAINTAINERS section found (a title line followed by `X:` lines)".into(),
                ));
            }
            r.maintainers = Some(m);
        }
        if let Some(path) = &opts.test_owners {
            let o = TestOwners::load(path);
            r.diagnostics.extend(o.diagnostics.iter().cloned());
            if let Some(m) = &r.maintainers {
                for rule in &o.rules {
                    if let Some(name) = &rule.section
                        && m.section_named(name).is_none()
                    {
                        let mut d = Diagnostic::new(
                            &o.file,
                            Location::LineCol(rule.line, 1),
                            RejectReason::Malformed,
                            format!("no MAINTAINERS section is called {name:?}"),
                        );
                        d.records = 0;
                        r.diagnostics.push(d);
                    }
                }
            }
            r.owners = Some(o);
        }
        if let Some(dir) = &opts.kernel_git {
            match git::Git::open(dir) {
                Ok(g) => {
                    if g.shallow {
                        r.diagnostics.push(whole_file(
                            dir,
                            RejectReason::Malformed,
                            "kernel git: a shallow clone: windows reaching below its depth \
                             cannot be listed (`git fetch --unshallow` gives the whole history)"
                                .into(),
                        ));
                    }
                    r.git = Some(g);
                }
                Err(e) => r.diagnostics.push(whole_file(
                    dir,
                    RejectReason::Unreadable,
                    format!("kernel git: {e}; no suspect commits"),
                )),
            }
        }
        r
    }

    fn inputs(&self) -> Inputs<'_> {
        Inputs {
            maintainers: self.maintainers.as_ref(),
            tree: self.tree.as_ref(),
            owners: self.owners.as_ref(),
        }
    }

    /// Routes the night's regressions and flaky tests.
    pub fn route(&self, regressions: &[Regression], health: &Health) -> Routing {
        let mut tm = crate::timings::Timer::start();
        let inputs = self.inputs();
        let mut routes: Vec<Route> = regressions
            .par_iter()
            .map(|r| inputs.attribute(r))
            .collect();
        tm.mark("route: attribute");
        if let Some(g) = &self.git {
            let mut history = suspects::History::new(g, regressions);
            for (r, route) in regressions.iter().zip(&mut routes) {
                let files: Vec<String> = route
                    .attributed_files
                    .iter()
                    .filter(|f| Some(f.evidence) == route.attributed_by)
                    .map(|f| f.path.clone())
                    .collect();
                let sections: Vec<usize> = route.subsystems.iter().map(|s| s.section).collect();
                route.suspects =
                    Some(history.suspects(r, &files, &sections, self.maintainers.as_ref()));
            }
        }
        let mut out = Routing {
            diagnostics: self.diagnostics.clone(),
            ..Default::default()
        };
        let mut summary = RoutingSummary {
            regressions: regressions.len(),
            ..Default::default()
        };
        let sections = self
            .maintainers
            .as_ref()
            .map_or(&[][..], |m| &m.sections[..]);
        for (r, route) in regressions.iter().zip(routes) {
            if let Some(kind) = route.attributed_by {
                summary.attributed += 1;
                *summary.by_evidence.entry(kind).or_default() += 1;
            }
            if route.suspects.as_ref().is_some_and(|s| s.commits > 0) {
                summary.with_suspects += 1;
            }
            for s in &route.subsystems {
                let page = page(&mut out, &sections[s.section]);
                page.regressions.push(r.id.clone());
                for o in &r.occurrences {
                    *page.boards.entry(o.platform.clone()).or_default() += 1;
                }
            }
            out.routes.insert(r.id.clone(), route);
        }
        for t in &health.flaky_tests {
            for s in inputs.test_sections(&t.test) {
                page(&mut out, &sections[s])
                    .flaky_tests
                    .push((t.test.clone(), t.platforms.clone()));
            }
        }
        out.summary = summary;
        out
    }
}

/// The MAINTAINERS patterns that match nothing in the tree, as (line, pattern): checked once
/// per version of the file and of the tree, kept in the cache beside the tree's index, and
/// reported on every run.
fn stale_patterns(
    m: &Maintainers,
    tree: &SourceTree,
    cache: Option<&Path>,
) -> Vec<(usize, String)> {
    let file = cache.map(|c| {
        c.join("kernel-source").join(format!(
            "patterns-{:016x}-{:016x}.postcard",
            tree.fingerprint(),
            m.digest
        ))
    });
    if let Some(stale) = file
        .as_ref()
        .and_then(|f| std::fs::read(f).ok())
        .and_then(|b| postcard::from_bytes(&b).ok())
    {
        return stale;
    }
    let stale = m.unmatched_patterns(tree.files());
    if let (Some(f), Ok(bytes)) = (file, postcard::to_allocvec(&stale)) {
        // Not written: the next run checks again.
        let _ = f.parent().map(std::fs::create_dir_all);
        let _ = std::fs::write(f, bytes);
    }
    stale
}

/// The page of `section`, made on first use.
fn page<'a>(out: &'a mut Routing, section: &maintainers::Section) -> &'a mut SubsystemPage {
    out.pages
        .entry(section.slug.clone())
        .or_insert_with(|| SubsystemPage {
            section: section.clone(),
            ..Default::default()
        })
}
