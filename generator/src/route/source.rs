//! An unpacked kernel tree (`--kernel-source`), indexed once: which file defines each
//! function (so a stack frame `tls_sw_recvmsg+0x3a/0x1e0` names `net/tls/tls_sw.c`), which
//! file defines each KUnit suite (`kunit.overflow.*` is `lib/overflow_kunit.c`), and which
//! paths and directories exist (to cut log paths to the tree's root and to tell MAINTAINERS'
//! directory patterns from file patterns).
//!
//! Function definitions are found the way the kernel's coding style lays them out: a `{`
//! alone at column 0 closes a signature whose line at column 0 names the function before its
//! first `(` (`SYSCALL_DEFINEn(name, …)` gives `name`, as syscall frames are named after it
//! once their `__x64_sys_` prefix is stripped). That reads the 35,000 `.c` files of Linux 6.12
//! (700 MB) in a few seconds on two cores, so the index is kept in the cache folder, keyed by
//! the tree's path and a fingerprint of every file's path, size and modification time: a
//! night with an unchanged tree pays for one walk of its folders.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use rayon::prelude::*;
use regex::bytes::Regex;
use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Location, RejectReason};

/// Bump when the index's content or layout changes: old cache entries then miss.
const FORMAT: u32 = 2;

/// Folders whose code never runs in the kernel (user-space tools, samples, docs, build
/// scripts): not indexed for functions or KUnit suites.
const NOT_KERNEL_CODE: &[&str] = &["tools/", "samples/", "scripts/", "Documentation/", "usr/"];

/// Names, each with a file index, sorted by name, stored as one text: the cache reads back in
/// a few copies rather than 600,000 allocations.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Names {
    text: String,
    /// End of each name in `text`.
    ends: Vec<u32>,
    /// Index of each name's file in the tree's sorted file list.
    files: Vec<u32>,
}

impl Names {
    fn new(mut pairs: Vec<(String, u32)>) -> Names {
        pairs.sort_unstable();
        pairs.dedup();
        let mut n = Names::default();
        for (name, file) in pairs {
            n.text.push_str(&name);
            n.ends.push(n.text.len() as u32);
            n.files.push(file);
        }
        n
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn name(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// File indices of `name`.
    fn get(&self, name: &str) -> &[u32] {
        let start = partition(self.len(), |i| self.name(i) < name);
        let end = start + partition(self.len() - start, |i| self.name(start + i) == name);
        &self.files[start..end]
    }
}

/// First `i` in `0..n` for which `pred` is false (`pred` true then false).
fn partition(n: usize, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The index of one kernel tree.
#[derive(Debug, Default)]
pub struct SourceTree {
    /// Every file, relative to the root, `/`-separated, sorted (from tonight's walk).
    files: Vec<String>,
    /// Every directory, sorted.
    dirs: Vec<String>,
    /// What the files define (cached).
    defined: Defined,
    /// Of the file list and the indexed files' sizes and times.
    fingerprint: u64,
}

/// What the tree's files define: the cached part of the index.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Defined {
    functions: Names,
    kunit: Names,
}

#[derive(Serialize, Deserialize)]
struct Cached {
    format: u32,
    tool: String,
    fingerprint: u64,
    defined: Defined,
}

fn diag(root: &Path, reason: RejectReason, message: String) -> Diagnostic {
    let mut d = Diagnostic::new(&root.display().to_string(), Location::File, reason, message);
    d.records = 0;
    d
}

/// Every file under `root`, relative, `/`-separated, sorted (`.git` left out). Folders are
/// read on every core, and directory entries carry their type, so listing 86,000 files costs
/// no `stat` per file.
fn walk(root: &Path) -> Vec<String> {
    fn list(dir: &Path, rel: &str) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut files = Vec::new();
        let mut dirs = Vec::new();
        for e in entries.filter_map(|e| e.ok()) {
            let Ok(kind) = e.file_type() else { continue };
            let name = e.file_name();
            let Some(name) = name.to_str() else { continue };
            if kind.is_dir() {
                if name != ".git" {
                    dirs.push(name.to_string());
                }
            } else if kind.is_file() {
                files.push(format!("{rel}{name}"));
            }
        }
        let below: Vec<Vec<String>> = dirs
            .par_iter()
            .map(|d| list(&dir.join(d), &format!("{rel}{d}/")))
            .collect();
        files.extend(below.into_iter().flatten());
        files
    }
    let mut files = list(root, "");
    files.par_sort_unstable();
    files
}

/// Whether a file's functions and KUnit suites are indexed.
fn is_kernel_code(f: &str) -> bool {
    f.ends_with(".c") && !NOT_KERNEL_CODE.iter().any(|d| f.starts_with(d))
}

/// What the index depends on: every path (files added, removed, renamed) and the size and
/// modification time of every indexed file (`stat`ed on every core).
fn fingerprint(root: &Path, files: &[String]) -> u64 {
    let stamps: Vec<(u64, i128)> = files
        .par_iter()
        .filter(|f| is_kernel_code(f))
        .map(|f| {
            std::fs::metadata(root.join(f)).map_or((0, 0), |m| {
                let t = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos() as i128);
                (m.len(), t)
            })
        })
        .collect();
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for f in files {
        h.update(f.as_bytes());
        h.update(&[0]);
    }
    for (size, mtime) in stamps {
        h.update(&size.to_le_bytes());
        h.update(&mtime.to_le_bytes());
    }
    h.digest()
}

/// Where the index of `root` is cached under `cache`.
fn cache_file(cache: &Path, root: &Path) -> PathBuf {
    let key = xxhash_rust::xxh3::xxh3_64(root.display().to_string().as_bytes());
    cache
        .join("kernel-source")
        .join(format!("{key:016x}.postcard"))
}

/// Reads every kernel `.c` file of the walk on every core.
fn index(root: &Path, files: &[String]) -> Defined {
    let code: Vec<u32> = (0..files.len() as u32)
        .filter(|&i| is_kernel_code(&files[i as usize]))
        .collect();
    let found: Vec<(Vec<String>, Vec<String>)> = code
        .par_iter()
        .map(|&i| match std::fs::read(root.join(&files[i as usize])) {
            Ok(text) => (functions_in(&text), kunit_suites_in(&text)),
            Err(_) => (Vec::new(), Vec::new()),
        })
        .collect();
    let mut functions = Vec::new();
    let mut kunit = Vec::new();
    for (&i, (fns, suites)) in code.iter().zip(found) {
        functions.extend(fns.into_iter().map(|f| (f, i)));
        kunit.extend(suites.into_iter().map(|s| (s, i)));
    }
    Defined {
        functions: Names::new(functions),
        kunit: Names::new(kunit),
    }
}

/// Every directory of a sorted file list, sorted.
fn dirs_of(files: &[String]) -> Vec<String> {
    let mut dirs: Vec<String> = Vec::new();
    for f in files {
        let mut at = 0;
        while let Some(j) = f[at..].find('/') {
            let d = &f[..at + j];
            if dirs.last().is_none_or(|l| l != d) {
                dirs.push(d.to_string());
            }
            at += j + 1;
        }
    }
    dirs.sort_unstable();
    dirs.dedup();
    dirs
}

impl SourceTree {
    /// Indexes the tree at `root` (or takes the index from `cache`). Problems (not a folder,
    /// not a kernel tree, no KUnit suites) are diagnostics; `None` when there is nothing to use.
    pub fn load(root: &Path, cache: Option<&Path>) -> (Option<SourceTree>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        if !root.is_dir() {
            diags.push(diag(
                root,
                RejectReason::Unreadable,
                "kernel source: not a folder".into(),
            ));
            return (None, diags);
        }
        if !root.join("Makefile").is_file() || !root.join("arch").is_dir() {
            diags.push(diag(
                root,
                RejectReason::Malformed,
                "kernel source: not a kernel tree (no top-level Makefile and arch/)".into(),
            ));
            return (None, diags);
        }
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let mut tm = crate::timings::Timer::start();
        let walked = walk(&root);
        let fp = fingerprint(&root, &walked);
        tm.mark("route: walk the kernel tree");
        let cached = cache.map(|c| cache_file(c, &root));
        let from_cache = cached.as_ref().and_then(|p| {
            let bytes = std::fs::read(p).ok()?;
            let c: Cached = postcard::from_bytes(&bytes).ok()?;
            (c.format == FORMAT && c.tool == env!("CARGO_PKG_VERSION") && c.fingerprint == fp)
                .then_some(c.defined)
        });
        tm.mark("route: read the cached index");
        let defined = match from_cache {
            Some(d) => d,
            None => {
                let d = index(&root, &walked);
                if let Some(p) = &cached {
                    let c = Cached {
                        format: FORMAT,
                        tool: env!("CARGO_PKG_VERSION").to_string(),
                        fingerprint: fp,
                        defined: d,
                    };
                    // A cache that cannot be written only costs the next run the indexing.
                    if let Ok(bytes) = postcard::to_allocvec(&c) {
                        let _ = p.parent().map(std::fs::create_dir_all);
                        // Two builds sharing a cache may write at once: each its own file.
                        let tmp = p.with_extension(format!(
                            "{}-{:?}.tmp",
                            std::process::id(),
                            std::thread::current().id()
                        ));
                        if std::fs::write(&tmp, bytes).is_ok() {
                            let _ = std::fs::rename(&tmp, p);
                        }
                    }
                    c.defined
                } else {
                    d
                }
            }
        };
        let tree = SourceTree {
            dirs: dirs_of(&walked),
            files: walked,
            defined,
            fingerprint: fp,
        };
        if tree.defined.kunit.is_empty() {
            diags.push(diag(
                &root,
                RejectReason::Malformed,
                "kernel source: no KUnit suite found (no `struct kunit_suite` with a `.name`): \
                 KUnit tests are routed by their assertion lines only"
                    .into(),
            ));
        }
        if tree.defined.functions.is_empty() {
            diags.push(diag(
                &root,
                RejectReason::Malformed,
                "kernel source: no function definition found in any .c file: crash frames \
                 cannot be routed"
                    .into(),
            ));
        }
        (Some(tree), diags)
    }

    /// Every file of the tree, relative, sorted.
    pub fn files(&self) -> &[String] {
        &self.files
    }

    pub fn is_file(&self, path: &str) -> bool {
        self.files
            .binary_search_by(|f| f.as_str().cmp(path))
            .is_ok()
    }

    pub fn is_dir(&self, path: &str) -> bool {
        let path = path.trim_end_matches('/');
        self.dirs.binary_search_by(|d| d.as_str().cmp(path)).is_ok()
    }

    /// Files defining a function called `name` (a static function can be defined in many).
    pub fn function_files(&self, name: &str) -> Vec<&str> {
        self.defined
            .functions
            .get(name)
            .iter()
            .map(|&i| self.files[i as usize].as_str())
            .collect()
    }

    /// The file defining KUnit suite `suite`, when exactly one does.
    pub fn kunit_file(&self, suite: &str) -> Option<&str> {
        match self.defined.kunit.get(suite) {
            [one] => Some(self.files[*one as usize].as_str()),
            _ => None,
        }
    }

    /// Files, functions and KUnit suites indexed (for the summary line).
    pub fn counts(&self) -> (usize, usize, usize) {
        (
            self.files.len(),
            self.defined.functions.len(),
            self.defined.kunit.len(),
        )
    }

    /// Identifies this version of the tree (its paths and indexed files' sizes and times).
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }
}

/// Words before a `(` that are not function names.
const NOT_NAMES: &[&str] = &[
    "if",
    "for",
    "while",
    "switch",
    "return",
    "sizeof",
    "typeof",
    "__typeof__",
    "defined",
    "int",
    "void",
    "char",
    "long",
    "short",
    "unsigned",
    "signed",
    "const",
    "static",
    "struct",
    "union",
    "enum",
    "bool",
    "__attribute__",
];

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The function a signature line (column 0, up to its first `(`) defines.
fn defined_name(decl: &[u8]) -> Option<String> {
    let open = decl.iter().position(|&b| b == b'(')?;
    let head = &decl[..open];
    if head.contains(&b'=') || head.contains(&b';') || head.starts_with(b"typedef") {
        return None;
    }
    let end = head.iter().rposition(|&b| !b.is_ascii_whitespace())? + 1;
    let start = head[..end]
        .iter()
        .rposition(|&b| !is_ident(b))
        .map_or(0, |p| p + 1);
    let name = std::str::from_utf8(&head[start..end]).ok()?;
    if name.is_empty() || name.as_bytes()[0].is_ascii_digit() || NOT_NAMES.contains(&name) {
        return None;
    }
    let macro_like = name
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    if macro_like {
        // `SYSCALL_DEFINE3(recvmsg, …)` and `COMPAT_SYSCALL_DEFINE…`: the syscall's name.
        if name.contains("SYSCALL_DEFINE") {
            let args = &decl[open + 1..];
            let len = args.iter().take_while(|&&b| is_ident(b)).count();
            return std::str::from_utf8(&args[..len])
                .ok()
                .filter(|s| !s.is_empty())
                .map(String::from);
        }
        return None;
    }
    Some(name.to_string())
}

/// Names of the functions a C file defines, in order.
fn functions_in(text: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut decl: Option<&[u8]> = None;
    for line in text.split(|&b| b == b'\n') {
        let Some(&first) = line.first() else {
            continue;
        };
        match first {
            b'{' => {
                if let Some(name) = decl.take().and_then(defined_name) {
                    out.push(name);
                }
            }
            b' ' | b'\t' | b'\r' | b'#' | b'/' | b'*' => {}
            b'}' => decl = None,
            _ => {
                let trimmed = line.trim_ascii_end();
                if trimmed.ends_with(b"{") && trimmed.contains(&b')') {
                    // `int foo(void) {` on one line (not kernel style, but it happens).
                    if let Some(name) = defined_name(trimmed) {
                        out.push(name);
                    }
                    decl = None;
                } else {
                    decl = Some(line);
                }
            }
        }
    }
    out
}

static KUNIT_SUITE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"struct\s+kunit_suite\s+[A-Za-z_]\w*\s*=\s*\{").expect("static regex")
});
static KUNIT_NAME_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\.name\s*=\s*"([^"\\]+)""#).expect("static regex"));

/// Names of the KUnit suites a C file defines (`static struct kunit_suite x = { .name = "…" }`).
fn kunit_suites_in(text: &[u8]) -> Vec<String> {
    if memchr_find(text, b"kunit_suite").is_none() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for m in KUNIT_SUITE_RE.find_iter(text) {
        let body = &text[m.end()..];
        let body = &body[..memchr_find(body, b"};").unwrap_or(body.len()).min(4096)];
        if let Some(c) = KUNIT_NAME_RE.captures(body)
            && let Ok(name) = std::str::from_utf8(&c[1])
        {
            out.push(name.to_string());
        }
    }
    out
}

fn memchr_find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_function_definitions_in_kernel_style() {
        let c = b"// SPDX\n#include <x.h>\n\nstatic int\ntls_sw_recvmsg(struct sock *sk,\n\t\t   struct msghdr *msg)\n{\n\treturn 0;\n}\n\n\
static const struct file_operations fops =\n{\n};\n\nSYSCALL_DEFINE3(recvmsg, int, fd, struct user_msghdr __user *, msg,\n\t\tunsigned int, flags)\n{\n}\n\n\
static DEFINE_MUTEX(lock);\nint one_line(void) {\n\treturn 1;\n}\nvoid __init *alloc_thing(size_t n)\n{\n\tif (x)\n{\n}\n}\n";
        assert_eq!(
            functions_in(c),
            ["tls_sw_recvmsg", "recvmsg", "one_line", "alloc_thing"]
        );
    }

    #[test]
    fn finds_kunit_suites() {
        let c = b"static struct kunit_case overflow_test_cases[] = {\n};\n\nstatic struct kunit_suite overflow_test_suite = {\n\t.name = \"overflow\",\n\t.test_cases = overflow_test_cases,\n};\n";
        assert_eq!(kunit_suites_in(c), ["overflow"]);
        assert!(kunit_suites_in(b"int x;").is_empty());
    }

    #[test]
    fn a_folder_that_is_not_a_kernel_tree_is_one_diagnostic() {
        let dir = std::env::temp_dir().join(format!("regtrack-notree-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (tree, diags) = SourceTree::load(&dir, None);
        assert!(tree.is_none());
        assert_eq!(diags.len(), 1);
        assert!(diags[0].to_string().contains("not a kernel tree"));
        let (tree, diags) = SourceTree::load(&dir.join("missing"), None);
        assert!(tree.is_none() && diags[0].to_string().contains("not a folder"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
