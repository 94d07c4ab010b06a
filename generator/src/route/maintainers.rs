//! The kernel's MAINTAINERS file: its sections, and which of them own a path.
//!
//! The format is documented at the top of the file itself; the ranking follows
//! `scripts/get_maintainer.pl`, so regtrack names the sections a kernel developer would get
//! from `get_maintainer.pl -f FILE`:
//! - `F:`/`X:` patterns: `*` and `?` match any character (`/` included), `[ch]` a class; a
//!   pattern ending in `/` matches everything below that directory, any other pattern is a
//!   prefix of paths with the same number of `/` (so `drivers/net/*` is the files directly in
//!   `drivers/net/`). A pattern naming a directory without its trailing `/` is taken as that
//!   directory (get_maintainer.pl checks the tree; without one, a pattern with no wildcard
//!   and no dot in its last component is taken as both a file and a directory).
//! - `X:` excludes a path from its section before `F:` is tried; `N:` is an extended regex
//!   over the path.
//! - Most specific first: a match ranks by the `/`s in the pattern (plus one for a file
//!   pattern), `N:` matches rank 0, and catch-all patterns (starting with `*`, the `THE REST`
//!   section) rank -1. Like get_maintainer.pl, a section ranks by its *last* matching line
//!   (so a section whose `N:` line follows its `F:` lines ranks 0 for paths both match): the
//!   order a kernel developer gets from `get_maintainer.pl -f`, checked against it.
//!
//! All `F:`/`X:` patterns go into one [`globset::GlobSet`] (most are literal prefixes, which
//! it matches with one Aho-Corasick automaton), all `N:` regexes into one [`regex::RegexSet`]:
//! reading Linux 6.12's 25,700 lines and building both takes milliseconds, a lookup
//! microseconds. Bad lines get one diagnostic each (line, reason) and are skipped.

use std::collections::BTreeMap;
use std::path::Path;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use regex::RegexSet;
use serde::Serialize;

use crate::diag::{Diagnostic, Location, RejectReason};

/// Tags the format defines (see the file's own header).
const KNOWN_TAGS: &str = "MRLSWQBCPTFXNK";

/// One section of MAINTAINERS (`NETWORKING [TLS]` and its lines).
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Section {
    /// The section's title line.
    pub name: String,
    /// Its page's folder name, `s/<slug>/`: the name reduced to `[a-z0-9-]`, unique.
    pub slug: String,
    /// Line of the title (1-based).
    pub line: usize,
    /// `S:` (Supported, Maintained, Odd Fixes, Orphan, Obsolete...).
    pub status: Option<String>,
    /// `M:` entries, `Name <address>` as written.
    pub maintainers: Vec<String>,
    /// `R:` entries.
    pub reviewers: Vec<String>,
    /// `L:` addresses (a `(moderated ...)` note dropped).
    pub lists: Vec<String>,
    /// `T:` entries (`git git://...`).
    pub trees: Vec<String>,
    /// `W:` web pages.
    pub web: Vec<String>,
    /// `F:` patterns, as written.
    pub files: Vec<String>,
}

/// One `F:`/`X:` pattern in the glob set.
#[derive(Debug, Clone)]
struct Pattern {
    section: u32,
    /// Matches everything below a directory (no same-depth rule).
    dir: bool,
    /// `X:` rather than `F:`.
    exclude: bool,
    /// `/`s in the pattern as written (file patterns need as many in the path).
    slashes: usize,
    /// get_maintainer.pl's rank for a match of this pattern.
    depth: i32,
    /// The pattern as written, and its line.
    text: String,
    line: usize,
}

/// Why a section owns a path: the pattern that matched, and how specific it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionMatch {
    /// Index into [`Maintainers::sections`].
    pub section: usize,
    /// get_maintainer.pl's rank (larger is more specific; -1 for catch-alls).
    pub depth: i32,
    /// `F: net/tls/*` or `N: tegra`, as written.
    pub pattern: String,
}

/// A parsed MAINTAINERS file.
#[derive(Debug, Default)]
pub struct Maintainers {
    pub sections: Vec<Section>,
    patterns: Vec<Pattern>,
    globs: GlobSet,
    /// `N:` regexes: section, line and the text as written, in the set's order.
    regex_owner: Vec<(u32, usize, String)>,
    regexes: Option<RegexSet>,
    /// Bad lines, one diagnostic each.
    pub diagnostics: Vec<Diagnostic>,
    /// Of the file's text: identifies this version of it.
    pub digest: u64,
}

/// How a directory-like pattern without its trailing `/` is resolved.
pub trait DirCheck {
    /// True when `path` is a directory of the kernel tree; `None` when there is no tree.
    fn is_dir(&self, path: &str) -> Option<bool>;
}

/// No kernel tree: guess from the pattern's shape.
pub struct NoTree;

impl DirCheck for NoTree {
    fn is_dir(&self, _: &str) -> Option<bool> {
        None
    }
}

/// Folder-name form of a section title: lowercase `[a-z0-9-]`, at most 60 characters.
fn slug_of(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if s.len() >= 60 {
            break;
        }
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-');
    if s.is_empty() {
        "section".into()
    } else {
        s.to_string()
    }
}

/// `foo@bar (moderated for non-subscribers)` -> `foo@bar`.
fn list_address(value: &str) -> &str {
    value.split(" (").next().unwrap_or(value).trim()
}

/// True for a pattern that looks like a directory named without its trailing `/`.
fn looks_like_dir(pattern: &str) -> bool {
    !pattern.ends_with('/')
        && !pattern.contains(['*', '?', '['])
        && !pattern.rsplit('/').next().unwrap_or("").contains('.')
}

impl Maintainers {
    /// Reads and parses `path`; an unreadable file is one diagnostic and no sections.
    pub fn load(path: &Path, tree: &dyn DirCheck) -> Maintainers {
        let name = path.display().to_string();
        match std::fs::read(path) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                let mut m = Maintainers::parse(&name, &text, tree);
                if let std::borrow::Cow::Owned(_) = text {
                    m.diagnostics.push(Diagnostic::new(
                        &name,
                        Location::File,
                        RejectReason::Malformed,
                        "not valid UTF-8 (invalid bytes were replaced)",
                    ));
                }
                m
            }
            Err(e) => Maintainers {
                diagnostics: vec![Diagnostic::new(
                    &name,
                    Location::File,
                    RejectReason::Unreadable,
                    format!("cannot read the MAINTAINERS file: {e}"),
                )],
                ..Default::default()
            },
        }
    }

    /// Parses the text of a MAINTAINERS file named `file` (for diagnostics).
    pub fn parse(file: &str, text: &str, tree: &dyn DirCheck) -> Maintainers {
        let mut m = Maintainers {
            digest: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
            ..Default::default()
        };
        let diag = |line: usize, reason: RejectReason, msg: String| {
            let mut d = Diagnostic::new(file, Location::LineCol(line, 1), reason, msg);
            d.records = 0;
            d
        };
        let mut diagnostics = Vec::new();
        // A title waits for its first tag line; `open` is true while a section takes tags.
        let mut pending: Option<(String, usize)> = None;
        let mut open = false;
        let mut globs = GlobSetBuilder::new();
        let mut regexes: Vec<String> = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let n = i + 1;
            let line = raw.trim_end();
            if line.trim().is_empty() {
                open = false;
                pending = None;
                continue;
            }
            let bytes = line.as_bytes();
            let is_tag = bytes.len() >= 2 && bytes[0].is_ascii_uppercase() && bytes[1] == b':';
            if !is_tag {
                if open {
                    diagnostics.push(diag(
                        n,
                        RejectReason::Malformed,
                        format!("not a `X:` tag line inside section {:?}: {line:?}", {
                            m.sections.last().map_or("", |s| s.name.as_str())
                        }),
                    ));
                } else {
                    // A section title, or the file's preamble (only a title followed by a
                    // tag line opens a section).
                    pending = Some((line.trim().to_string(), n));
                }
                continue;
            }
            if let Some((title, at)) = pending.take() {
                m.sections.push(Section {
                    name: title,
                    line: at,
                    ..Default::default()
                });
                open = true;
            }
            if !open {
                diagnostics.push(diag(
                    n,
                    RejectReason::Malformed,
                    format!("tag line outside any section: {line:?}"),
                ));
                continue;
            }
            let tag = bytes[0] as char;
            let value = line[2..].trim();
            if !KNOWN_TAGS.contains(tag) {
                diagnostics.push(diag(
                    n,
                    RejectReason::Malformed,
                    format!("unknown tag `{tag}:` (the format defines {KNOWN_TAGS})"),
                ));
                continue;
            }
            if value.is_empty() {
                diagnostics.push(diag(n, RejectReason::Malformed, format!("empty `{tag}:`")));
                continue;
            }
            let si = m.sections.len() - 1;
            let section = &mut m.sections[si];
            match tag {
                'M' | 'R' => {
                    if !value.contains('@') {
                        diagnostics.push(diag(
                            n,
                            RejectReason::Malformed,
                            format!("`{tag}:` without an e-mail address: {value:?}"),
                        ));
                        continue;
                    }
                    if tag == 'M' {
                        section.maintainers.push(value.to_string());
                    } else {
                        section.reviewers.push(value.to_string());
                    }
                }
                'L' => section.lists.push(list_address(value).to_string()),
                'S' => section.status = Some(value.to_string()),
                'T' => section.trees.push(value.to_string()),
                'W' => section.web.push(value.to_string()),
                'F' | 'X' => {
                    let mut pats = vec![(value.to_string(), value.ends_with('/'))];
                    if looks_like_dir(value) {
                        match tree.is_dir(value) {
                            Some(true) => pats = vec![(format!("{value}/"), true)],
                            Some(false) => {}
                            None => pats.push((format!("{value}/"), true)),
                        }
                    }
                    let mut ok = true;
                    for (p, dir) in pats {
                        // The pattern is a prefix: `p*` (one `*` only, `**` means something
                        // else to globset).
                        let glob = if p.ends_with('*') {
                            p.clone()
                        } else {
                            format!("{p}*")
                        };
                        match GlobBuilder::new(&glob)
                            .literal_separator(false)
                            .backslash_escape(true)
                            .build()
                        {
                            Ok(g) => {
                                globs.add(g);
                                let slashes = p.matches('/').count();
                                let depth = if p.starts_with('*') {
                                    -1
                                } else {
                                    slashes as i32 + i32::from(!p.ends_with('/'))
                                };
                                m.patterns.push(Pattern {
                                    section: si as u32,
                                    dir,
                                    exclude: tag == 'X',
                                    slashes,
                                    depth,
                                    text: value.to_string(),
                                    line: n,
                                });
                            }
                            Err(e) => {
                                ok = false;
                                diagnostics.push(diag(
                                    n,
                                    RejectReason::Malformed,
                                    format!("bad `{tag}:` pattern {value:?}: {e}"),
                                ));
                                break;
                            }
                        }
                    }
                    if ok && tag == 'F' {
                        section.files.push(value.to_string());
                    }
                }
                'N' => match regex::Regex::new(&format!("(?x){value}")) {
                    Ok(_) => {
                        regexes.push(format!("(?x){value}"));
                        m.regex_owner.push((si as u32, n, value.to_string()));
                    }
                    Err(e) => diagnostics.push(diag(
                        n,
                        RejectReason::Malformed,
                        format!("bad `N:` regex {value:?}: {e}"),
                    )),
                },
                // B, C, P, Q, K: links and content patterns routing does not use.
                _ => {}
            }
        }
        m.globs = globs.build().unwrap_or_else(|e| {
            diagnostics.push(diag(
                0,
                RejectReason::Malformed,
                format!("patterns could not be compiled together: {e}"),
            ));
            GlobSet::empty()
        });
        if !regexes.is_empty() {
            m.regexes = RegexSet::new(&regexes).ok();
        }
        // Slugs: unique, the first section of a name keeps the plain one.
        let mut taken: BTreeMap<String, usize> = BTreeMap::new();
        for s in &mut m.sections {
            let mut slug = slug_of(&s.name);
            if taken.contains_key(&slug) {
                use sha2::{Digest, Sha256};
                let h = Sha256::digest(format!("{}\n{}", s.name, s.line).as_bytes());
                slug = format!("{slug}-{:02x}{:02x}{:02x}", h[0], h[1], h[2]);
            }
            taken.insert(slug.clone(), s.line);
            s.slug = slug;
        }
        m.diagnostics = diagnostics;
        m
    }

    /// True when no section was read.
    pub fn is_empty(&self) -> bool {
        self.sections.is_empty()
    }

    /// The sections owning `path` (a file, or a directory ending in `/`), most specific
    /// first (ties in file order), each with the pattern that gave it its rank: as in
    /// get_maintainer.pl, a section's rank is that of its *last* matching `F:`/`N:` line.
    pub fn lookup(&self, path: &str) -> Vec<SectionMatch> {
        let path = path.trim_start_matches("./");
        let slashes = path.matches('/').count();
        let mut excluded: Vec<u32> = Vec::new();
        // Per section: (line of the last matching pattern, its rank, its text).
        let mut last: BTreeMap<u32, (usize, i32, String)> = BTreeMap::new();
        let mut note = |section: u32, line: usize, depth: i32, text: String| {
            let e = last.entry(section).or_insert((0, i32::MIN, String::new()));
            if line >= e.0 {
                *e = (line, depth, text);
            }
        };
        for h in self.globs.matches(path) {
            let p = &self.patterns[h];
            if !p.dir && p.slashes != slashes {
                continue;
            }
            if p.exclude {
                excluded.push(p.section);
            } else {
                note(p.section, p.line, p.depth, format!("F: {}", p.text));
            }
        }
        if let Some(set) = &self.regexes {
            for i in set.matches(path).iter() {
                let (s, line, text) = &self.regex_owner[i];
                note(*s, *line, 0, format!("N: {text}"));
            }
        }
        let mut out: Vec<SectionMatch> = last
            .into_iter()
            .filter(|(s, _)| !excluded.contains(s))
            .map(|(s, (_, depth, pattern))| SectionMatch {
                section: s as usize,
                depth,
                pattern,
            })
            .collect();
        out.sort_by(|a, b| b.depth.cmp(&a.depth).then(a.section.cmp(&b.section)));
        out
    }

    /// The section called `name` (exactly, or ignoring case).
    pub fn section_named(&self, name: &str) -> Option<usize> {
        self.sections
            .iter()
            .position(|s| s.name == name)
            .or_else(|| {
                self.sections
                    .iter()
                    .position(|s| s.name.eq_ignore_ascii_case(name))
            })
    }

    /// `F:` patterns that match none of `files` (the kernel tree's paths, sorted): stale
    /// entries, which route nothing, as (line, pattern). Each pattern is tried only on the
    /// files sharing its literal prefix (a binary search away): Linux's 8,000 patterns against
    /// its 86,000 files take tens of milliseconds.
    pub fn unmatched_patterns(&self, files: &[String]) -> Vec<(usize, String)> {
        // A pattern added twice (file and directory reading) is used when either is.
        let mut by_line: BTreeMap<(usize, &str), bool> = BTreeMap::new();
        for p in &self.patterns {
            let used = by_line.entry((p.line, p.text.as_str())).or_default();
            if !*used {
                *used = pattern_matches_some(p, files);
            }
        }
        by_line
            .into_iter()
            .filter(|(_, used)| !used)
            .map(|((line, text), _)| (line, text.to_string()))
            .collect()
    }
}

/// One diagnostic per pattern of `file` that matches nothing.
pub fn unmatched_diagnostics(file: &str, unmatched: &[(usize, String)]) -> Vec<Diagnostic> {
    unmatched
        .iter()
        .map(|(line, text)| {
            let mut d = Diagnostic::new(
                file,
                Location::LineCol(*line, 1),
                RejectReason::Malformed,
                format!("pattern {text:?} matches no file in the kernel tree"),
            );
            d.records = 0;
            d
        })
        .collect()
}

/// Whether pattern `p` matches one of `files` (sorted), looking only at the files that start
/// with its literal prefix.
fn pattern_matches_some(p: &Pattern, files: &[String]) -> bool {
    let written = if p.dir && !p.text.ends_with('/') {
        format!("{}/", p.text)
    } else {
        p.text.clone()
    };
    let literal = &written[..written
        .find(['*', '?', '[', '{', '\\'])
        .unwrap_or(written.len())];
    let start = files.partition_point(|f| f.as_str() < literal);
    let mut range = files[start..].iter().take_while(|f| f.starts_with(literal));
    let same_depth = |f: &String| p.dir || f.matches('/').count() == p.slashes;
    if literal.len() == written.len() {
        // No wildcard: a prefix, which every file of the range has.
        return range.any(same_depth);
    }
    let glob = if written.ends_with('*') {
        written.clone()
    } else {
        format!("{written}*")
    };
    let Ok(m) = GlobBuilder::new(&glob)
        .literal_separator(false)
        .backslash_escape(true)
        .build()
        .map(|g| g.compile_matcher())
    else {
        return false;
    };
    range.any(|f| same_depth(f) && m.is_match(f.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "List of maintainers\n===================\n\n\tM: *Mail* patches to: FullName <address@domain>\n\nMaintainers List\n----------------\n\n\
NETWORKING [GENERAL]\nM:\tDavid S. Miller <davem@davemloft.net>\nL:\tnetdev@vger.kernel.org\nS:\tMaintained\nF:\tnet/\nF:\tinclude/net/\nX:\tnet/bluetooth/\n\n\
NETWORKING [TLS]\nM:\tJohn Fastabend <john.fastabend@gmail.com>\nR:\tSabrina Dubroca <sd@queasysnail.net>\nL:\tnetdev@vger.kernel.org\nS:\tMaintained\nF:\tinclude/net/tls.h\nF:\tnet/tls/*\n\n\
ARM/TEGRA\nL:\tlinux-tegra@vger.kernel.org (moderated for non-subscribers)\nS:\tSupported\nN:\t[^a-z]tegra\nF:\tdrivers/*/tegra*\n\n\
SOUND - CODECS\nS:\tMaintained\nF:\tsound/soc/codecs/da[79]*.[ch]\nF:\tDocumentation/sound\n\n\
THE REST\nM:\tLinus Torvalds <torvalds@linux-foundation.org>\nL:\tlinux-kernel@vger.kernel.org\nS:\tBuried alive in reporters\nF:\t*\nF:\t*/\n";

    fn names(m: &Maintainers, path: &str) -> Vec<String> {
        m.lookup(path)
            .into_iter()
            .map(|x| m.sections[x.section].name.clone())
            .collect()
    }

    #[test]
    fn sections_and_fields() {
        let m = Maintainers::parse("M", SAMPLE, &NoTree);
        assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics);
        let n: Vec<&str> = m.sections.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            n,
            [
                "NETWORKING [GENERAL]",
                "NETWORKING [TLS]",
                "ARM/TEGRA",
                "SOUND - CODECS",
                "THE REST"
            ]
        );
        let tls = &m.sections[1];
        assert_eq!(tls.slug, "networking-tls");
        assert_eq!(tls.reviewers, ["Sabrina Dubroca <sd@queasysnail.net>"]);
        assert_eq!(m.sections[2].lists, ["linux-tegra@vger.kernel.org"]);
        assert_eq!(m.sections[2].slug, "arm-tegra");
    }

    #[test]
    fn most_specific_first_like_get_maintainer() {
        let m = Maintainers::parse("M", SAMPLE, &NoTree);
        assert_eq!(
            names(&m, "net/tls/tls_sw.c"),
            ["NETWORKING [TLS]", "NETWORKING [GENERAL]", "THE REST"]
        );
        // `net/tls/*` covers files directly in net/tls/, not below.
        assert_eq!(
            names(&m, "net/tls/sub/x.c"),
            ["NETWORKING [GENERAL]", "THE REST"]
        );
        // X: excludes before F: matches.
        assert_eq!(names(&m, "net/bluetooth/hci_core.c"), ["THE REST"]);
        // N: regex, and a `*` in a file pattern crossing one directory level.
        assert_eq!(
            names(&m, "drivers/gpio/gpio-tegra.c"),
            ["ARM/TEGRA", "THE REST"]
        );
        assert_eq!(
            names(&m, "drivers/tegra-x.c"),
            ["ARM/TEGRA", "THE REST"],
            "same depth through `*`"
        );
        assert_eq!(names(&m, "drivers/integrator/x.c"), ["THE REST"]);
        // Character classes; a directory named without its slash.
        assert_eq!(
            names(&m, "sound/soc/codecs/da7219.c"),
            ["SOUND - CODECS", "THE REST"]
        );
        assert_eq!(
            names(&m, "sound/soc/codecs/da7219.c.orig"),
            ["SOUND - CODECS", "THE REST"],
            "a file pattern is a prefix"
        );
        assert_eq!(names(&m, "sound/soc/codecs/da7219.o"), ["THE REST"]);
        assert_eq!(
            names(&m, "Documentation/sound/index.rst"),
            ["SOUND - CODECS", "THE REST"]
        );
        // A directory path (kselftest folder) is matched like a file in it.
        assert_eq!(
            names(&m, "net/tls/"),
            ["NETWORKING [TLS]", "NETWORKING [GENERAL]", "THE REST"]
        );
        let rest = m.lookup("README");
        assert_eq!(rest.len(), 1);
        assert_eq!(rest[0].depth, -1);
    }

    #[test]
    fn bad_lines_get_one_diagnostic_each() {
        let text = "FOO DRIVER\nM:\tA <a@b>\nthis line is junk\nZ:\tunknown tag\nF:\tdrivers/foo/[\nN:\t(unclosed\nM:\tNo Address\nF:\tdrivers/foo/\n\nM:\tloose <x@y>\n";
        let m = Maintainers::parse("MAINTAINERS", text, &NoTree);
        let lines: Vec<String> = m.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(lines.len(), 6, "{lines:#?}");
        assert!(lines[0].starts_with("MAINTAINERS: line 3, column 1: not a `X:` tag line"));
        assert!(lines[1].contains("line 4") && lines[1].contains("unknown tag `Z:`"));
        assert!(lines[2].contains("line 5") && lines[2].contains("bad `F:` pattern"));
        assert!(lines[3].contains("line 6") && lines[3].contains("bad `N:` regex"));
        assert!(lines[4].contains("line 7") && lines[4].contains("without an e-mail"));
        assert!(lines[5].contains("line 10") && lines[5].contains("outside any section"));
        // The rest still routes.
        assert_eq!(names(&m, "drivers/foo/a.c"), ["FOO DRIVER"]);
    }

    #[test]
    fn a_tree_decides_directory_patterns() {
        struct Tree;
        impl DirCheck for Tree {
            fn is_dir(&self, p: &str) -> Option<bool> {
                Some(p == "Documentation/sound")
            }
        }
        let m = Maintainers::parse("M", SAMPLE, &Tree);
        assert_eq!(
            names(&m, "Documentation/sound/x.rst"),
            ["SOUND - CODECS", "THE REST"]
        );
        let files = vec!["README".to_string(), "net/tls/tls_sw.c".to_string()];
        let stale = unmatched_diagnostics("M", &m.unmatched_patterns(&files));
        assert!(
            stale.iter().any(|d| d
                .to_string()
                .contains("\"include/net/tls.h\" matches no file")),
            "{stale:?}"
        );
        assert!(
            !stale
                .iter()
                .any(|d| d.to_string().contains("\"net/tls/*\""))
        );
    }

    #[test]
    fn duplicate_titles_get_distinct_slugs() {
        let m = Maintainers::parse(
            "M",
            "A B\nS:\tMaintained\nF:\ta/\n\nA-B\nS:\tMaintained\nF:\tb/\n",
            &NoTree,
        );
        assert_eq!(m.sections[0].slug, "a-b");
        assert!(m.sections[1].slug.starts_with("a-b-") && m.sections[1].slug.len() == 10);
    }
}
