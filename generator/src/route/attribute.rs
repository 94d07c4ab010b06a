//! Attribution: from a regression's crash reports and tests to the kernel files it points
//! at, and from those to MAINTAINERS sections, people and lists.
//!
//! Evidence is gathered from every shown log excerpt (the crash report's blamed file, the
//! first stack frame the kernel tree defines, KUnit assertion lines) and every failing test
//! (kselftest folder, KUnit suite file, the site's `test-owners.toml`). The strongest kind of
//! evidence that names a maintained file decides the subsystems (see [`Evidence`]); within it,
//! files seen in more excerpts come first. Catch-all sections (`THE REST`: every file matches
//! it) never count as a subsystem.

use super::evidence::{
    assertion_files, blamed_file, bug_start, frame_module, is_generic_file, title_function,
};
use super::maintainers::Maintainers;
use super::owners::{TestOwners, kselftest_dir, kunit_file};
use super::routing::{AttributedFile, Contact, Evidence, Route, SubsystemRef};
use super::source::SourceTree;
use crate::correlate::Regression;

/// Subsystems listed per regression at most (most specific first).
const MAX_SUBSYSTEMS: usize = 8;

/// What attribution reads.
pub struct Inputs<'a> {
    pub maintainers: Option<&'a Maintainers>,
    pub tree: Option<&'a SourceTree>,
    pub owners: Option<&'a TestOwners>,
}

/// A section a test-owners rule names directly.
struct NamedSection {
    section: usize,
    rule: String,
}

impl Inputs<'_> {
    fn exists(&self, path: &str) -> Option<bool> {
        self.tree.map(|t| t.is_file(path))
    }

    /// Adds a file to `files` (counting repeats).
    fn add(files: &mut Vec<AttributedFile>, path: String, evidence: Evidence, detail: String) {
        match files
            .iter_mut()
            .find(|f| f.path == path && f.evidence == evidence)
        {
            Some(f) => f.count += 1,
            None => files.push(AttributedFile {
                path,
                evidence,
                detail,
                count: 1,
            }),
        }
    }

    /// Evidence from a crash report or test log.
    fn read_log(&self, files: &mut Vec<AttributedFile>, log: &str, place: &str) {
        let exists = |p: &str| self.exists(p);
        if let Some((crash, lines)) = crate::crash::first_report(log) {
            let stall = matches!(crash.kind, "RCU_STALL" | "LOCKUP");
            if let Some(b) = blamed_file(&lines, stall, &exists) {
                let kind = if b.generic {
                    Evidence::GenericCrashFile
                } else {
                    Evidence::CrashFile
                };
                Self::add(
                    files,
                    b.path.clone(),
                    kind,
                    format!("{}:{} in the crash report {place}", b.path, b.line),
                );
            }
            if let Some(tree) = self.tree
                && let Some((name, file)) = frame_file(tree, &crash.title, &lines, stall)
            {
                Self::add(
                    files,
                    file.clone(),
                    Evidence::CrashFrame,
                    format!("{name}, a frame of the crash report {place}, is defined in {file}"),
                );
            }
        }
        for (path, line) in assertion_files(log, &exists) {
            Self::add(
                files,
                path.clone(),
                Evidence::KunitAssertion,
                format!("KUnit assertion failed at {path}:{line} {place}"),
            );
        }
    }

    /// Evidence from a test's path alone.
    fn read_test(
        &self,
        files: &mut Vec<AttributedFile>,
        named: &mut Vec<NamedSection>,
        test: &str,
    ) {
        if let Some(dir) = kselftest_dir(test, self.tree) {
            Self::add(
                files,
                dir.clone(),
                Evidence::Kselftest,
                format!("{test} runs {dir}"),
            );
        }
        if let Some(tree) = self.tree
            && let Some((file, suite)) = kunit_file(test, tree)
        {
            Self::add(
                files,
                file.to_string(),
                Evidence::KunitSuite,
                format!("KUnit suite {suite:?} of {test} is defined in {file}"),
            );
        }
        if let Some(owners) = self.owners {
            for rule in owners.rules_for(test) {
                for f in &rule.files {
                    Self::add(
                        files,
                        f.clone(),
                        Evidence::TestOwners,
                        format!("{}:{} maps {test} to {f}", owners.name, rule.line),
                    );
                }
                if let (Some(name), Some(m)) = (&rule.section, self.maintainers)
                    && let Some(section) = m.section_named(name)
                    && !named.iter().any(|n| n.section == section)
                {
                    named.push(NamedSection {
                        section,
                        rule: format!("{}:{} maps {test}", owners.name, rule.line),
                    });
                }
            }
        }
    }

    /// Routes a test alone (flaky tests: no crash report to read). Section indices.
    pub fn test_sections(&self, test: &str) -> Vec<usize> {
        let mut files = Vec::new();
        let mut named = Vec::new();
        self.read_test(&mut files, &mut named, test);
        let Some(m) = self.maintainers else {
            return Vec::new();
        };
        let mut out: Vec<usize> = Vec::new();
        for f in &files {
            for x in m.lookup(&f.path) {
                if x.depth >= 0 && !out.contains(&x.section) {
                    out.push(x.section);
                }
            }
        }
        for n in named {
            if !out.contains(&n.section) {
                out.push(n.section);
            }
        }
        out
    }

    /// Everything routing says about `r` (suspects aside).
    pub fn attribute(&self, r: &Regression) -> Route {
        let mut files: Vec<AttributedFile> = Vec::new();
        let mut named: Vec<NamedSection> = Vec::new();
        for o in &r.occurrences {
            if let Some(log) = o.log_excerpt.as_deref() {
                self.read_log(&mut files, log, &format!("on {} ({})", o.platform, o.test));
            }
        }
        for t in &r.tests {
            self.read_test(&mut files, &mut named, t);
        }
        // Strongest kind first; within a kind the most often seen, then first seen.
        let mut order: Vec<usize> = (0..files.len()).collect();
        order.sort_by(|&a, &b| {
            (files[a].evidence, std::cmp::Reverse(files[a].count), a).cmp(&(
                files[b].evidence,
                std::cmp::Reverse(files[b].count),
                b,
            ))
        });
        let files: Vec<AttributedFile> = order.into_iter().map(|i| files[i].clone()).collect();
        let mut route = Route {
            attributed_files: files,
            ..Default::default()
        };
        let Some(m) = self.maintainers else {
            return route;
        };
        for kind in Evidence::ALL {
            let mut subs: Vec<SubsystemRef> = Vec::new();
            for f in route.attributed_files.iter().filter(|f| f.evidence == kind) {
                for x in m.lookup(&f.path) {
                    if x.depth < 0 || subs.iter().any(|s| s.section == x.section) {
                        continue;
                    }
                    let sec = &m.sections[x.section];
                    subs.push(SubsystemRef {
                        name: sec.name.clone(),
                        slug: sec.slug.clone(),
                        status: sec.status.clone(),
                        file: Some(f.path.clone()),
                        pattern: x.pattern,
                        evidence: kind,
                        depth: x.depth,
                        section: x.section,
                    });
                }
            }
            if kind == Evidence::TestOwners {
                for n in &named {
                    if subs.iter().any(|s| s.section == n.section) {
                        continue;
                    }
                    let sec = &m.sections[n.section];
                    subs.push(SubsystemRef {
                        name: sec.name.clone(),
                        slug: sec.slug.clone(),
                        status: sec.status.clone(),
                        file: None,
                        pattern: n.rule.clone(),
                        evidence: kind,
                        depth: i32::MAX,
                        section: n.section,
                    });
                }
            }
            if !subs.is_empty() {
                // Most specific first; a stable sort keeps file order among equals.
                subs.sort_by_key(|s| std::cmp::Reverse(s.depth));
                subs.truncate(MAX_SUBSYSTEMS);
                route.attributed_by = Some(kind);
                route.subsystems = subs;
                break;
            }
        }
        for s in &route.subsystems {
            let sec = &m.sections[s.section];
            add_contacts(&mut route.maintainers, &sec.maintainers, &s.name, true);
            add_contacts(&mut route.reviewers, &sec.reviewers, &s.name, true);
            add_contacts(&mut route.lists, &sec.lists, &s.name, false);
        }
        route
    }
}

/// The function of a crash report that the kernel tree defines, and its file: the function
/// the title names (the guilty frame), then the stack's frames in order; the first defined in
/// exactly one file that is not generic code (a module name after a frame, `[dwmac_sun8i]`,
/// picks among same-named static functions).
pub fn frame_file(
    tree: &SourceTree,
    title: &str,
    lines: &[&str],
    stall: bool,
) -> Option<(String, String)> {
    let from = bug_start(lines, stall);
    let frames = crate::crash::report_frames(&lines[from..]);
    let title = title_function(title).map(|f| (f.to_string(), None));
    let candidates = title.into_iter().chain(
        frames
            .into_iter()
            .map(|(f, at)| (f, frame_module(lines[from + at]))),
    );
    for (name, module) in candidates {
        let mut defs = tree.function_files(&name);
        if defs.len() > 1
            && let Some(module) = module
        {
            defs.retain(|f| {
                let stem = f.rsplit('/').next().unwrap_or(f);
                stem.trim_end_matches(".c").replace('-', "_") == module
            });
        }
        if let [file] = defs[..]
            && !is_generic_file(file)
        {
            return Some((name, file.to_string()));
        }
    }
    None
}

/// Adds `entries` of section `name` to `out`, one per address (people by their e-mail
/// address, case-insensitively).
fn add_contacts(out: &mut Vec<Contact>, entries: &[String], name: &str, people: bool) {
    let key = |s: &str| -> String {
        let addr = if people {
            s.rsplit_once('<')
                .map_or(s, |(_, a)| a.trim_end_matches('>'))
        } else {
            s
        };
        addr.trim().to_ascii_lowercase()
    };
    for e in entries {
        let k = key(e);
        match out.iter_mut().find(|c| key(&c.address) == k) {
            Some(c) => {
                if !c.subsystems.iter().any(|s| s == name) {
                    c.subsystems.push(name.to_string());
                }
            }
            None => out.push(Contact {
                address: e.clone(),
                subsystems: vec![name.to_string()],
            }),
        }
    }
}
