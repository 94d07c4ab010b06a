//! KTAP v1 and TAP 13/14 as KUnit and kselftest print them, alone or inside a serial console.
//!
//! Reading:
//! - The first `KTAP version N` / `TAP version N` line starts a document; the text before the
//!   token on that line is the console prefix (`[   12.3] `, `[    0.06][    T1] `,
//!   `<6>[ 1.2] `, LAVA's `[2025-…] <8>[ 301.1] `, a lone space), stripped from every later
//!   line: verbatim, or for timestamp prefixes the same number of `[…]`/`<N>` groups.
//! - Nesting follows structure and indentation together: a nested block starts at an indented
//!   version line or a `# Subtest:` header and ends at a result line indented less than its
//!   contents (or, for un-indented TAP 14, when its plan is complete or the result carries the
//!   header's name). kselftest's child TAP, printed behind `# `, nests the same way: a `# TAP
//!   version` line opens a block whose lines carry one more `# `.
//! - Plans may come first, last or not at all; a missing plan is not an error. Diagnostic and
//!   unknown lines (console noise included) go to the log of the test whose result follows;
//!   those between a header and its plan (KUnit attributes such as `# module: x`) and after
//!   the last subtest belong to the parent. A TAP 13 YAML block (`---` … `...`, indented
//!   under the result line) belongs to the result before it.
//! - `Kernel panic - not syncing`, `List of all partitions:`, `reboot: System halted` (the
//!   markers kunit_tool stops at) and `Bail out!` end the document; a later version line
//!   (after a reboot) starts another, whose results join the same tree.
//!
//! Status (one record per test at every level, parents included, like KCIDB paths):
//! - `ok` → PASS, `not ok` → FAIL; `# SKIP` (either) → SKIP; `# XFAIL` ok → PASS;
//!   `# TIMEOUT` not ok → FAIL (what LKFT and KernelCI report for kselftest timeouts);
//!   `# ERROR` → ERROR (the producer says the test could not run properly);
//!   `# TODO`: `not ok` → DONE (ran, the producer waived the verdict), `ok` → PASS.
//! - A parent's record carries its own result line: the producer's word is authoritative, and
//!   a failing child is recorded anyway.
//! - Crash or truncation: a test that started (its header, version line or kselftest
//!   `# selftests: x: y` line was printed) but has no result line is ERROR, with the console
//!   lines after the end marker in its excerpt. Planned tests that never started have no name,
//!   so they are not invented: a [`FormatError`] counts them in `records`. The
//!   `kunit test case crashed!` diagnostic keeps the case's own `not ok` (FAIL: an oops in
//!   the code under test is a kernel fault) but counts as crashed in [`Tree::verdict`].
//! - A plan after the results (`ok 4 x` … `1..4`) is legal TAP: missing numbers are reported
//!   as format errors, not as a crash.
//!
//! Paths: `kunit.<suite>.<case>…`, or `kselftest.<collection>.<test>.<subtest>…` when the
//! top-level results read `selftests: <collection>: <test>` (kselftest's runner); the caller's
//! prefix replaces `kunit`/`kselftest`.

use super::record::{FormatError, FormatOutput, ResultRecord};
use super::text::{PathSet, TailBuf, prefix_segments, segment};
use crate::model::Status;

/// Deeper nesting than this is treated as text (reported once): guards against hostile input.
const MAX_DEPTH: usize = 64;
/// Console lines kept after an end marker, for the crashed test's excerpt.
const TAIL_LINES: usize = 100;
/// A TAP 13 YAML block longer than this is taken to have lost its `...`.
const YAML_LINES: usize = 1000;

/// Parses KTAP/TAP text into records.
pub fn parse(text: &str, suite_prefix: Option<&str>) -> FormatOutput {
    parse_tree(text).to_output(suite_prefix)
}

/// Parses KTAP/TAP text into its test tree (for callers that need kunit_tool's view).
pub fn parse_tree(text: &str) -> Tree {
    Parser::default().run(text)
}

/// Whether some line of `head` is a KTAP/TAP version line (with any console prefix).
pub(crate) fn has_version_line(head: &str) -> bool {
    head.lines().any(|l| find_version(l).is_some())
}

/// kunit_tool's overall verdict, for conformance with its fixtures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Success,
    Failure,
    Skipped,
    Crashed,
    NoTests,
    FailureToParse,
}

/// kunit_tool's counts: leaf tests by status, and `errors` = format problems found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub passed: usize,
    pub failed: usize,
    pub crashed: usize,
    pub skipped: usize,
    /// `not ok # TODO` (no kunit_tool equivalent).
    pub done: usize,
    pub errors: usize,
}

impl Counts {
    fn total(&self) -> usize {
        self.passed + self.failed + self.crashed + self.skipped + self.done
    }

    fn add(&mut self, o: &Counts) {
        self.passed += o.passed;
        self.failed += o.failed;
        self.crashed += o.crashed;
        self.skipped += o.skipped;
        self.done += o.done;
    }

    fn add_status(&mut self, s: Status, crash_marker: bool) {
        match s {
            _ if crash_marker => self.crashed += 1,
            Status::Pass => self.passed += 1,
            Status::Fail => self.failed += 1,
            Status::Skip => self.skipped += 1,
            Status::Done => self.done += 1,
            Status::Error | Status::Miss => self.crashed += 1,
        }
    }
}

/// A result line's directive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Directive {
    None,
    Skip,
    Todo,
    Xfail,
    Timeout,
    Error,
}

/// What a test's result line said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub ok: bool,
    pub directive: Directive,
}

impl Outcome {
    /// The KCIDB status (see the module documentation).
    pub fn status(self) -> Status {
        match (self.ok, self.directive) {
            (_, Directive::Skip) => Status::Skip,
            (_, Directive::Error) => Status::Error,
            (false, Directive::Todo) => Status::Done,
            (true, _) => Status::Pass,
            (false, _) => Status::Fail,
        }
    }
}

/// One test; node 0 of a [`Tree`] is the document itself.
#[derive(Debug, Clone, Default)]
pub struct Node {
    /// The result line's description (without ` - `), else the `# Subtest:` name.
    pub name: Option<String>,
    pub header: Option<String>,
    /// `None`: no result line (crashed, interrupted).
    pub outcome: Option<Outcome>,
    pub parent: usize,
    pub children: Vec<usize>,
    /// Opened by a version line or `# Subtest:` header: it was to have subtests.
    pub announced: bool,
    /// Planned subtests that never appeared because the output ended.
    pub missing: usize,
    /// The `kunit test case crashed!` diagnostic preceded its result.
    pub crash_marker: bool,
    /// Its result line, or the line that opened it.
    pub line: usize,
    /// Its number among its siblings.
    pub number: usize,
    /// kselftest's `selftests: x: y` line printed before it (names a test that never ended).
    hint: Option<String>,
    log: TailBuf,
}

impl Node {
    /// The log lines kept for this test.
    pub fn excerpt(&self) -> Option<String> {
        self.log.excerpt()
    }
}

/// The parsed test tree.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    pub nodes: Vec<Node>,
    pub errors: Vec<FormatError>,
    /// A version line was found.
    pub found: bool,
    /// Σ plans, when every block with results had one.
    pub expected: Option<usize>,
}

impl Tree {
    /// Status of a test (`None` for the document node).
    pub fn status(&self, i: usize) -> Option<Status> {
        (i != 0).then(|| self.nodes[i].outcome.map_or(Status::Error, Outcome::status))
    }

    /// The top-level tests.
    pub fn top_level(&self) -> &[usize] {
        self.nodes.first().map_or(&[], |n| &n.children)
    }

    /// kunit_tool's counts over the whole tree.
    pub fn counts(&self) -> Counts {
        let mut per = vec![Counts::default(); self.nodes.len()];
        // Children always come after their parent, so a reverse sweep is a post-order.
        for i in (0..self.nodes.len()).rev() {
            let n = &self.nodes[i];
            let mut c = Counts::default();
            for &ch in &n.children {
                c.add(&per[ch]);
            }
            c.crashed += n.missing;
            let own = self.status(i);
            if let Some(s) = own {
                // A test announced as a parent that reported no subtest counts for nothing
                // (kunit_tool's NO_TESTS); a parent whose subtests count for nothing counts
                // as itself.
                let empty_parent = n.announced && n.children.is_empty() && n.missing == 0;
                if c.total() == 0 && !(empty_parent && n.outcome.is_some()) {
                    c.add_status(s, n.crash_marker);
                } else if n.outcome.is_none() {
                    // Everything still open when the output ended crashed.
                    c.crashed += 1;
                } else if s == Status::Fail && c.failed == 0 && c.crashed == 0 {
                    // A parent's own `not ok` with no failing child still is a failure.
                    c.failed += 1;
                }
            }
            per[i] = c;
        }
        let mut total = per.first().copied().unwrap_or_default();
        total.errors = self.errors.len();
        total
    }

    /// kunit_tool's overall verdict.
    pub fn verdict(&self) -> Verdict {
        if !self.found {
            return Verdict::FailureToParse;
        }
        let c = self.counts();
        if c.total() == 0 {
            Verdict::NoTests
        } else if c.crashed > 0 {
            Verdict::Crashed
        } else if c.failed > 0 {
            Verdict::Failure
        } else if c.passed > 0 || c.done > 0 {
            Verdict::Success
        } else {
            Verdict::Skipped
        }
    }

    /// Whether the top level looks like kselftest's runner (`selftests: dir: name`).
    pub fn is_kselftest(&self) -> bool {
        self.top_level().iter().any(|&i| {
            let n = &self.nodes[i];
            n.name
                .as_deref()
                .or(n.hint.as_deref())
                .is_some_and(|s| kselftest_split(s).is_some())
        })
    }

    /// The records, paths and all.
    pub fn to_output(&self, suite_prefix: Option<&str>) -> FormatOutput {
        let kselftest = self.is_kselftest();
        let base = match suite_prefix {
            Some(p) => prefix_segments(p),
            None => vec![if kselftest { "kselftest" } else { "kunit" }.to_string()],
        };
        let mut paths: Vec<Vec<String>> = vec![base; self.nodes.len().min(1)];
        let mut used = PathSet::default();
        let mut results = Vec::with_capacity(self.nodes.len().saturating_sub(1));
        for (i, n) in self.nodes.iter().enumerate().skip(1) {
            let mut segs = paths[n.parent].clone();
            let name = n.name.as_deref().or(n.hint.as_deref()).unwrap_or("");
            match (n.parent == 0).then(|| kselftest_split(name)).flatten() {
                Some(parts) => segs.extend(parts.into_iter().map(segment)),
                None => segs.push(segment(name)),
            }
            if segs.last().is_none_or(String::is_empty) {
                segs.pop();
                segs.push(format!("test_{}", n.number));
            }
            let path = used.unique(&segs);
            let last = path.rsplit('.').next().unwrap_or("").to_string();
            segs.pop();
            segs.push(last);
            paths.push(segs);
            results.push(ResultRecord {
                path,
                status: self.status(i).unwrap_or(Status::Error),
                log_excerpt: n.excerpt(),
                start_time: None,
                duration: None,
                line: Some(n.line),
            });
        }
        FormatOutput {
            format: "ktap",
            results,
            errors: self.errors.clone(),
            expected: self.expected,
        }
    }
}

/// `selftests: net: foo.sh` → `["net", "foo.sh"]`.
fn kselftest_split(name: &str) -> Option<Vec<&str>> {
    let rest = name.strip_prefix("selftests:")?;
    let parts: Vec<&str> = rest
        .split(": ")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then_some(parts)
}

/// A console prefix seen before the version line.
#[derive(Debug)]
struct Prefix {
    text: String,
    /// `[…]`/`<N>` groups, when the prefix is made of them only (timestamps vary per line).
    groups: usize,
    trailing_space: bool,
}

impl Prefix {
    fn new(text: &str) -> Prefix {
        let (groups, end) = console_groups(text);
        let groups = if text[end..].chars().all(|c| c == ' ' || c == '\t') {
            groups
        } else {
            0
        };
        Prefix {
            text: text.to_string(),
            groups,
            trailing_space: text.ends_with(' '),
        }
    }

    fn strip<'a>(&self, raw: &'a str) -> &'a str {
        if let Some(rest) = raw.strip_prefix(self.text.as_str()) {
            return rest;
        }
        if self.groups == 0 {
            return raw;
        }
        let mut end = 0;
        for _ in 0..self.groups {
            match group_end(raw, end) {
                Some(e) => end = e,
                None => return raw,
            }
        }
        let rest = &raw[end..];
        if self.trailing_space {
            rest.strip_prefix(' ').unwrap_or(rest)
        } else {
            rest
        }
    }
}

/// End of the console group (`[…]` or `<N>`, after a few blanks) that starts at `from`.
fn group_end(s: &str, from: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut p = from;
    while p < b.len() && p - from < 16 && (b[p] == b' ' || b[p] == b'\t') {
        p += 1;
    }
    let close = match b.get(p)? {
        b'[' => b']',
        b'<' => b'>',
        _ => return None,
    };
    let q = (p + 1..(p + 64).min(b.len())).find(|&q| matches!(b[q], b']' | b'>' | b'[' | b'<'))?;
    if b[q] != close
        || (close == b'>' && !(q > p + 1 && b[p + 1..q].iter().all(u8::is_ascii_digit)))
    {
        return None;
    }
    Some(q + 1)
}

/// How many console groups `s` starts with, and where the last one ends.
fn console_groups(s: &str) -> (usize, usize) {
    let (mut groups, mut end) = (0, 0);
    while let Some(e) = group_end(s, end) {
        groups += 1;
        end = e;
    }
    (groups, end)
}

/// The prefix before a version line in `raw` (kselftest `# ` nesting markers excluded).
fn find_version(raw: &str) -> Option<String> {
    for (pos, _) in raw.match_indices("TAP version ") {
        let after = raw[pos + "TAP version ".len()..].trim_end();
        if !version_number(after) {
            continue;
        }
        let start = if raw[..pos].ends_with('K') {
            pos - 1
        } else {
            pos
        };
        if raw[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric())
        {
            continue;
        }
        let mut prefix = &raw[..start];
        loop {
            if let Some(p) = prefix.strip_suffix("# ") {
                prefix = p;
            } else if let Some(p) = prefix.strip_suffix('#') {
                prefix = p;
            } else {
                break;
            }
        }
        return Some(prefix.to_string());
    }
    None
}

/// `13`, `1`, `1.3` (binfmt_script prints `TAP version 1.3`).
fn version_number(s: &str) -> bool {
    let (major, minor) = s.split_once('.').unwrap_or((s, "0"));
    !major.is_empty()
        && major.len() <= 4
        && major.bytes().all(|b| b.is_ascii_digit())
        && !minor.is_empty()
        && minor.len() <= 4
        && minor.bytes().all(|b| b.is_ascii_digit())
}

/// The markers after which the kernel prints no more test output (kunit_tool's list).
fn end_marker(raw: &str) -> Option<&'static str> {
    [
        "Kernel panic - not syncing",
        "List of all partitions:",
        "reboot: System halted",
    ]
    .into_iter()
    .find(|m| raw.contains(m))
}

/// Indentation width (tab = to the next multiple of 8) and the rest.
fn split_indent(s: &str) -> (usize, &str) {
    let mut width = 0;
    for (i, c) in s.char_indices() {
        match c {
            ' ' => width += 1,
            '\t' => width = (width / 8 + 1) * 8,
            _ => return (width, &s[i..]),
        }
    }
    (width, "")
}

/// `s` without `d` kselftest nesting markers (`# `), if it has them.
fn strip_hashes(mut s: &str, d: usize) -> Option<&str> {
    for _ in 0..d {
        s = s.strip_prefix('#')?;
        if let Some(r) = s.strip_prefix(' ') {
            s = r;
        } else if !s.is_empty() {
            return None;
        }
    }
    Some(s)
}

/// A result line.
#[derive(Debug, Clone, Copy)]
struct ResultLine<'a> {
    ok: bool,
    number: Option<u64>,
    desc: &'a str,
    directive: Directive,
    has_comment: bool,
}

/// What a (prefix-, indent- and hash-stripped) line is.
#[derive(Debug, Clone, Copy)]
enum Kind<'a> {
    Version,
    Plan(usize),
    Result(ResultLine<'a>),
    Header(&'a str),
    BailOut,
    Other,
}

fn classify(c: &str) -> Kind<'_> {
    let t = c.trim_end();
    if let Some(v) = t
        .strip_prefix("KTAP version ")
        .or_else(|| t.strip_prefix("TAP version "))
        && version_number(v)
    {
        return Kind::Version;
    }
    if let Some(rest) = t.strip_prefix("1..") {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let tail = rest[digits..].trim_start();
        if digits > 0
            && (tail.is_empty() || tail.starts_with('#'))
            && let Ok(n) = rest[..digits].parse::<usize>()
        {
            return Kind::Plan(n);
        }
    }
    if let Some(r) = result_line(t) {
        return Kind::Result(r);
    }
    if let Some(rest) = t.strip_prefix("# Subtest") {
        if rest.is_empty() {
            return Kind::Header("");
        }
        if let Some(name) = rest.strip_prefix(':') {
            return Kind::Header(name.trim());
        }
    }
    if t.starts_with("Bail out!") {
        return Kind::BailOut;
    }
    Kind::Other
}

fn result_line(t: &str) -> Option<ResultLine<'_>> {
    let (ok, rest) = match t.strip_prefix("not ok") {
        Some(r) => (false, r),
        None => (true, t.strip_prefix("ok")?),
    };
    if !(rest.is_empty() || rest.starts_with([' ', '\t', '#'])) {
        return None;
    }
    let rest = rest.trim_start();
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (number, rest) = if digits > 0
        && rest[digits..]
            .chars()
            .next()
            .is_none_or(|c| c == ' ' || c == '\t' || c == '#')
    {
        (
            rest[..digits].parse::<u64>().ok(),
            rest[digits..].trim_start(),
        )
    } else {
        (None, rest)
    };
    let rest = match rest.strip_prefix('-') {
        Some(r) if r.is_empty() || r.starts_with([' ', '\t']) => r.trim_start(),
        _ => rest,
    };
    let (desc, comment) = match rest.split_once('#') {
        Some((d, c)) => (d.trim_end(), Some(c.trim_start())),
        None => (rest.trim_end(), None),
    };
    let directive = comment.map_or(Directive::None, |c| {
        let word = c
            .split(|ch: char| ch.is_whitespace() || ch == ':')
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        match word.as_str() {
            "SKIP" | "SKIPPED" => Directive::Skip,
            "TODO" => Directive::Todo,
            "XFAIL" => Directive::Xfail,
            "TIMEOUT" => Directive::Timeout,
            "ERROR" => Directive::Error,
            _ => Directive::None,
        }
    });
    // kselftest prints `ok 3 # SKIP CLOCK_TAI`: the name follows the directive.
    let desc = match comment {
        Some(c) if desc.is_empty() && directive != Directive::None => c
            .split_once(|ch: char| ch.is_whitespace())
            .map_or("", |(_, rest)| rest.trim_start_matches(':').trim()),
        _ => desc,
    };
    Some(ResultLine {
        ok,
        number,
        desc,
        directive,
        has_comment: comment.is_some_and(|c| !c.is_empty()),
    })
}

/// An open block: a test whose subtests are being read (block 0 is the document).
#[derive(Debug)]
struct Block {
    node: usize,
    /// kselftest `# ` nesting depth of its lines.
    hash: usize,
    /// Opened by a `# TAP version` line one `# ` deeper than its parent.
    hash_opened: bool,
    header_indent: usize,
    content_indent: Option<usize>,
    /// No plan and no subtest yet.
    fresh: bool,
    has_version: bool,
    plan: Option<usize>,
    plan_line: usize,
    late_plan: bool,
    /// Subtests in the current segment.
    count: usize,
}

impl Block {
    fn indent(&self) -> usize {
        self.content_indent.unwrap_or(self.header_indent)
    }

    fn satisfied(&self) -> bool {
        self.plan.is_some_and(|p| self.count >= p)
    }
}

#[derive(Default)]
struct Parser {
    nodes: Vec<Node>,
    blocks: Vec<Block>,
    errors: Vec<FormatError>,
    pending: TailBuf,
    /// Set while a document is open.
    prefix: Option<Prefix>,
    ksft_hint: Option<String>,
    crash_hint: bool,
    /// The last result (node, indent): a `---` right after it opens its YAML block.
    after_result: Option<(usize, usize)>,
    /// An open YAML block: (node, indent, lines it may still take).
    yaml: Option<(usize, usize, usize)>,
    /// Node receiving console lines after an end marker, and how many more.
    tail: Option<(usize, usize)>,
    /// Why the current document ended, for error messages.
    ending: Option<String>,
    expected_total: usize,
    unplanned: bool,
    depth_reported: bool,
}

impl Parser {
    fn run(mut self, text: &str) -> Tree {
        let mut last = 0;
        for (idx, raw) in text.split('\n').enumerate() {
            let lineno = idx + 1;
            last = lineno;
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            if self.prefix.is_none() {
                if let Some(p) = find_version(raw) {
                    self.start_document(&p, lineno);
                    self.line(lineno, raw);
                } else if let Some((node, left)) = self.tail.as_mut()
                    && *left > 0
                {
                    self.nodes[*node].log.push_line(raw);
                    *left -= 1;
                }
                continue;
            }
            if let Some(marker) = end_marker(raw) {
                self.end_document(lineno, &format!("'{marker}' at line {lineno}"), Some(raw));
                continue;
            }
            self.line(lineno, raw);
        }
        if self.prefix.is_some() {
            self.end_document(last, "end of input", None);
        }
        let found = !self.nodes.is_empty();
        if !found {
            self.errors.push(FormatError::new(
                None,
                "no KTAP/TAP version line found: not KTAP output, or the run printed nothing",
                0,
            ));
        } else if self.nodes.len() == 1 {
            self.errors.push(FormatError::new(
                Some(self.nodes[0].line),
                "KTAP output with no test results",
                0,
            ));
        }
        let expected = (found && !self.unplanned).then_some(self.expected_total);
        Tree {
            nodes: self.nodes,
            errors: self.errors,
            found,
            expected,
        }
    }

    fn start_document(&mut self, prefix: &str, lineno: usize) {
        self.prefix = Some(Prefix::new(prefix));
        self.tail = None;
        self.ending = None;
        if self.nodes.is_empty() {
            self.nodes.push(Node {
                line: lineno,
                ..Default::default()
            });
        }
        if self.blocks.is_empty() {
            self.blocks.push(Block {
                node: 0,
                hash: 0,
                hash_opened: false,
                header_indent: 0,
                content_indent: None,
                fresh: true,
                has_version: false,
                plan: None,
                plan_line: lineno,
                late_plan: false,
                count: 0,
            });
        }
    }

    /// One console line while a document is open.
    fn line(&mut self, lineno: usize, raw: &str) {
        let Some(prefix) = self.prefix.as_ref() else {
            return;
        };
        let mut line = prefix.strip(raw);
        // A new document printed behind another prefix (only between top-level tests).
        if self.blocks.len() == 1
            && (self.blocks[0].satisfied() || self.blocks[0].plan.is_none())
            && !matches!(classify(split_indent(line).1), Kind::Version)
            && let Some(p) = find_version(raw)
            && p != prefix.text
        {
            self.prefix = Some(Prefix::new(&p));
            line = &raw[p.len()..];
        }
        if let Some((node, indent, left)) = self.yaml.as_mut() {
            let (i, c) = split_indent(line);
            let node = *node;
            if c.trim_end() == "..." {
                self.nodes[node].log.push_line(line);
                self.yaml = None;
                return;
            }
            if *left > 0 && (c.is_empty() || i >= *indent) {
                *left -= 1;
                self.nodes[node].log.push_line(line);
                return;
            }
            self.yaml = None;
        }
        if let Some((node, indent)) = self.after_result.take() {
            let (i, c) = split_indent(line);
            if c.trim_end() == "---" && i > indent {
                self.nodes[node].log.push_line(line);
                self.yaml = Some((node, i, YAML_LINES));
                return;
            }
        }
        self.handle(lineno, line);
    }

    fn depth(&self) -> usize {
        self.blocks.last().map_or(0, |b| b.hash)
    }

    fn handle(&mut self, lineno: usize, line: &str) {
        let (i0, c0) = split_indent(line);
        let h = self.depth();
        for d in (1..=h + 1).rev() {
            let Some(rest) = strip_hashes(c0, d) else {
                continue;
            };
            let (i, c) = split_indent(rest);
            match classify(c) {
                Kind::Version if d == h + 1 => {
                    self.open_child(lineno, d, i, None, line);
                    return;
                }
                Kind::Other => {}
                k if d <= h => {
                    self.structural(lineno, d, i, k, line);
                    return;
                }
                _ => {}
            }
        }
        match classify(c0) {
            Kind::Other => self.text(line, c0),
            Kind::Header(_) if h > 0 => self.text(line, c0),
            k => self.structural(lineno, 0, i0, k, line),
        }
    }

    fn structural(&mut self, lineno: usize, d: usize, i: usize, kind: Kind<'_>, line: &str) {
        match kind {
            Kind::Version => self.version(lineno, d, i, line),
            Kind::Plan(n) => self.plan(lineno, d, i, n),
            Kind::Result(r) => self.result(lineno, d, i, r, line),
            Kind::Header(name) => self.header(lineno, d, i, name, line),
            Kind::BailOut => {
                self.pending.push_line(line);
                self.end_document(lineno, &format!("'Bail out!' at line {lineno}"), None);
            }
            Kind::Other => self.text(line, line),
        }
    }

    /// A diagnostic or unknown line: kept for the next result.
    fn text(&mut self, line: &str, content: &str) {
        if let Some(d) = content.strip_prefix("# ") {
            if self.blocks.len() == 1 && kselftest_split(d.trim()).is_some() {
                self.ksft_hint = Some(d.trim().to_string());
            }
            if d.trim_end().ends_with("kunit test case crashed!") {
                self.crash_hint = true;
            }
        }
        self.pending.push_line(line);
    }

    fn version(&mut self, lineno: usize, d: usize, i: usize, line: &str) {
        self.close_hash_deeper_than(d, lineno);
        loop {
            let top = self.blocks.len() - 1;
            let b = &self.blocks[top];
            if b.fresh && !b.has_version {
                // The block's own version line (the document's, or after a `# Subtest:`).
                let pending = self.pending.take();
                let b = &mut self.blocks[top];
                b.has_version = true;
                b.content_indent = Some(i);
                b.header_indent = b.header_indent.min(i);
                let node = b.node;
                if node == 0 {
                    self.pending = pending;
                } else {
                    self.nodes[node].log.append(pending);
                }
            } else if i > b.indent() {
                self.open_child(lineno, d, i, None, line);
            } else if i == b.indent() || top == 0 {
                // Another document at this level: its results join this block.
                self.restart_segment(top, lineno);
                self.blocks[top].content_indent = Some(i);
            } else {
                self.close_missing(lineno);
                continue;
            }
            return;
        }
    }

    /// Opens a subtest block: a version line (`header` None) or a `# Subtest:` header.
    fn open_child(
        &mut self,
        lineno: usize,
        hash: usize,
        indent: usize,
        header: Option<&str>,
        line: &str,
    ) {
        if self.blocks.len() >= MAX_DEPTH {
            if !self.depth_reported {
                self.depth_reported = true;
                self.errors.push(FormatError::new(
                    Some(lineno),
                    format!("nesting deeper than {MAX_DEPTH} levels: deeper lines read as text"),
                    0,
                ));
            }
            self.pending.push_line(line);
            return;
        }
        let parent_ix = self.blocks.len() - 1;
        let node = self.new_child(parent_ix, lineno, indent, hash);
        self.nodes[node].announced = true;
        self.nodes[node].header = header.map(str::to_string);
        self.nodes[node].name = header.filter(|h| !h.is_empty()).map(str::to_string);
        let log = self.pending.take();
        self.nodes[node].log.append(log);
        let hash_opened = hash > self.blocks[parent_ix].hash;
        self.blocks.push(Block {
            node,
            hash,
            hash_opened,
            header_indent: indent,
            content_indent: header.is_none().then_some(indent),
            fresh: true,
            has_version: header.is_none(),
            plan: None,
            plan_line: lineno,
            late_plan: false,
            count: 0,
        });
    }

    /// A new test under block `parent_ix`, numbered in its segment.
    fn new_child(&mut self, parent_ix: usize, lineno: usize, indent: usize, hash: usize) -> usize {
        let id = self.nodes.len();
        let parent = &mut self.blocks[parent_ix];
        parent.count += 1;
        parent.fresh = false;
        if parent.hash == hash && parent.content_indent.is_none() {
            parent.content_indent = Some(indent);
        }
        let number = parent.count;
        let pnode = parent.node;
        let hint = if pnode == 0 {
            self.ksft_hint.take()
        } else {
            None
        };
        self.nodes.push(Node {
            parent: pnode,
            line: lineno,
            number,
            hint,
            ..Default::default()
        });
        self.nodes[pnode].children.push(id);
        id
    }

    fn header(&mut self, lineno: usize, d: usize, i: usize, name: &str, line: &str) {
        let top = self.blocks.len() - 1;
        let b = &self.blocks[top];
        if b.hash != d {
            self.text(line, line.trim_start());
            return;
        }
        if top > 0 && b.fresh && b.has_version && self.nodes[b.node].header.is_none() {
            let node = b.node;
            let pending = self.pending.take();
            let n = &mut self.nodes[node];
            n.header = Some(name.to_string());
            if n.name.is_none() && !name.is_empty() {
                n.name = Some(name.to_string());
            }
            n.log.append(pending);
            return;
        }
        self.open_child(lineno, d, i, Some(name), line);
    }

    fn plan(&mut self, lineno: usize, d: usize, i: usize, n: usize) {
        let Some(ix) = (0..self.blocks.len())
            .rev()
            .find(|&k| self.blocks[k].hash == d && self.blocks[k].indent() <= i)
            .or_else(|| {
                (0..self.blocks.len())
                    .rev()
                    .find(|&k| self.blocks[k].hash == d)
            })
        else {
            return;
        };
        let b = &self.blocks[ix];
        match b.plan {
            None if b.count == 0 => {
                let pending = self.pending.take();
                let b = &mut self.blocks[ix];
                b.plan = Some(n);
                b.plan_line = lineno;
                b.fresh = false;
                b.content_indent.get_or_insert(i);
                if b.node != 0 {
                    let node = b.node;
                    self.nodes[node].log.append(pending);
                } else {
                    self.pending = pending;
                }
            }
            None => {
                let b = &mut self.blocks[ix];
                b.plan = Some(n);
                b.plan_line = lineno;
                b.late_plan = true;
            }
            Some(_) if b.satisfied() => {
                self.restart_segment(ix, lineno);
                let b = &mut self.blocks[ix];
                b.plan = Some(n);
                b.plan_line = lineno;
                b.fresh = false;
            }
            Some(p) => self.errors.push(FormatError::new(
                Some(lineno),
                format!(
                    "second plan 1..{n} while 1..{p} (line {}) is not complete: ignored",
                    b.plan_line
                ),
                0,
            )),
        }
    }

    fn result(&mut self, lineno: usize, d: usize, i: usize, r: ResultLine<'_>, line: &str) {
        let mut closed = 0;
        let mut k = self.blocks.len() - 1;
        while k > 0 {
            let b = &self.blocks[k];
            if b.hash > d || (b.hash == d && i < b.indent()) {
                closed += 1;
                k -= 1;
                continue;
            }
            let parent = &self.blocks[k - 1];
            let flat = !b.hash_opened && parent.hash == b.hash && parent.indent() == b.indent();
            let name_match = self.nodes[b.node].header.as_deref() == Some(r.desc);
            if closed == 0
                && flat
                && b.hash == d
                && i == b.indent()
                && (b.satisfied() || (b.plan.is_none() && name_match))
            {
                closed = 1;
            }
            break;
        }
        let node = if closed > 0 {
            for _ in 1..closed {
                self.close_missing(lineno);
            }
            let b = self.blocks.pop().expect("closed blocks exist");
            let pending = self.pending.take();
            self.nodes[b.node].log.append(pending);
            self.finish_segment(&b, lineno, true);
            b.node
        } else {
            let top = self.blocks.len() - 1;
            self.new_child(top, lineno, i, d)
        };
        let n = &mut self.nodes[node];
        n.outcome = Some(Outcome {
            ok: r.ok,
            directive: r.directive,
        });
        if !r.desc.is_empty() {
            n.name = Some(r.desc.to_string());
        }
        n.line = lineno;
        n.crash_marker |= std::mem::take(&mut self.crash_hint);
        let pending = self.pending.take();
        n.log.append(pending);
        if r.has_comment {
            n.log.push_line(line);
        }
        if n.parent == 0 {
            self.ksft_hint = None;
        }
        if let Some(num) = r.number
            && num != n.number as u64
        {
            let expected = n.number;
            self.errors.push(FormatError::new(
                Some(lineno),
                format!("expected test number {expected}, found {num}"),
                0,
            ));
        }
        self.after_result = Some((node, i));
    }

    /// Closes blocks nested behind more `# ` than `d`: their tests never printed a result.
    fn close_hash_deeper_than(&mut self, d: usize, lineno: usize) {
        while self.blocks.len() > 1 && self.blocks.last().is_some_and(|b| b.hash > d) {
            self.close_missing(lineno);
        }
    }

    /// Closes the innermost block whose test has no result line.
    fn close_missing(&mut self, lineno: usize) {
        let Some(b) = self.blocks.pop() else {
            return;
        };
        let pending = self.pending.take();
        self.nodes[b.node].log.append(pending);
        self.crash_hint = false;
        let why = self
            .ending
            .clone()
            .unwrap_or_else(|| format!("line {lineno}"));
        let name = self.display_name(b.node);
        self.errors.push(FormatError::new(
            Some(self.nodes[b.node].line),
            format!("test {name} has no result line (output interrupted: {why})"),
            0,
        ));
        self.finish_segment(&b, lineno, false);
    }

    fn display_name(&self, node: usize) -> String {
        let n = &self.nodes[node];
        match n.name.as_deref().or(n.hint.as_deref()) {
            Some(s) => format!("'{s}'"),
            None => format!("#{}", n.number),
        }
    }

    /// Accounts a block's finished segment against its plan.
    fn finish_segment(&mut self, b: &Block, lineno: usize, with_result: bool) {
        let node = b.node;
        let mut count = b.count;
        if node == 0
            && b.plan.is_none_or(|p| count < p)
            && self.ending.is_some()
            && let Some(hint) = self.ksft_hint.take()
        {
            // kselftest printed `# selftests: x: y` and never its result: that test crashed.
            let id = self.nodes.len();
            self.nodes.push(Node {
                parent: 0,
                line: lineno,
                number: count + 1,
                name: Some(hint.clone()),
                hint: Some(hint.clone()),
                log: self.pending.take(),
                ..Default::default()
            });
            self.nodes[0].children.push(id);
            count += 1;
            self.tail = Some((id, TAIL_LINES));
            self.errors.push(FormatError::new(
                Some(lineno),
                format!(
                    "test '{hint}' has no result line (output interrupted: {})",
                    self.ending.as_deref().unwrap_or("")
                ),
                0,
            ));
        }
        match b.plan {
            Some(p) => {
                self.expected_total = self.expected_total.saturating_add(p);
                if count < p {
                    let missing = p - count;
                    let name = if node == 0 {
                        "the run".to_string()
                    } else {
                        self.display_name(node)
                    };
                    let why = if b.late_plan {
                        "numbers missing before the closing plan".to_string()
                    } else {
                        self.nodes[node].missing += missing;
                        format!(
                            "output interrupted: {}",
                            self.ending
                                .clone()
                                .unwrap_or_else(|| format!("line {lineno}"))
                        )
                    };
                    self.errors.push(FormatError::new(
                        Some(b.plan_line),
                        format!("{name} planned {p} tests (1..{p}), {count} reported: {why}"),
                        missing,
                    ));
                } else if count > p {
                    self.errors.push(FormatError::new(
                        Some(b.plan_line),
                        format!("{} results beyond the plan 1..{p}", count - p),
                        0,
                    ));
                }
            }
            None if count > 0 => self.unplanned = true,
            None => {
                if with_result && node != 0 && self.nodes[node].announced {
                    let name = self.display_name(node);
                    self.errors.push(FormatError::new(
                        Some(self.nodes[node].line),
                        format!("{name} announced subtests but reported none (0 tests run)"),
                        0,
                    ));
                }
            }
        }
    }

    /// Starts a new segment of block `ix` (a new version line or plan after a complete one).
    fn restart_segment(&mut self, ix: usize, lineno: usize) {
        while self.blocks.len() > ix + 1 {
            self.close_missing(lineno);
        }
        let b = &mut self.blocks[ix];
        let old = Block {
            node: b.node,
            hash: b.hash,
            hash_opened: b.hash_opened,
            header_indent: b.header_indent,
            content_indent: b.content_indent,
            fresh: b.fresh,
            has_version: b.has_version,
            plan: b.plan.take(),
            plan_line: b.plan_line,
            late_plan: std::mem::take(&mut b.late_plan),
            count: std::mem::take(&mut b.count),
        };
        b.fresh = true;
        b.has_version = true;
        b.plan_line = lineno;
        self.finish_segment(&old, lineno, false);
    }

    /// Ends the open document: open tests become ERROR, planned ones are counted as missing.
    fn end_document(&mut self, lineno: usize, why: &str, marker_line: Option<&str>) {
        self.ending = Some(why.to_string());
        self.tail = None;
        let crashed = (self.blocks.len() > 1).then(|| self.blocks[self.blocks.len() - 1].node);
        while self.blocks.len() > 1 {
            self.close_missing(lineno);
        }
        if let Some(root) = self.blocks.first_mut() {
            let old = Block {
                node: 0,
                hash: 0,
                hash_opened: false,
                header_indent: root.header_indent,
                content_indent: root.content_indent,
                fresh: root.fresh,
                has_version: root.has_version,
                plan: root.plan.take(),
                plan_line: root.plan_line,
                late_plan: std::mem::take(&mut root.late_plan),
                count: std::mem::take(&mut root.count),
            };
            root.fresh = true;
            root.has_version = false;
            root.content_indent = None;
            self.finish_segment(&old, lineno, false);
        }
        if let Some(node) = crashed {
            self.tail = Some((node, TAIL_LINES));
        }
        if let (Some(line), Some((node, _))) = (marker_line, self.tail) {
            self.nodes[node].log.push_line(line);
        }
        self.pending = TailBuf::default();
        self.prefix = None;
        self.ksft_hint = None;
        self.crash_hint = false;
        self.after_result = None;
        self.yaml = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statuses(text: &str) -> Vec<(String, Status)> {
        parse(text, None)
            .results
            .into_iter()
            .map(|r| (r.path, r.status))
            .collect()
    }

    #[test]
    fn directives_map_to_statuses() {
        let got = statuses(
            "TAP version 13\n1..6\nok 1 a\nnot ok 2 b\nok 3 c # SKIP no hw\nnot ok 4 d # TODO later\nok 5 e # XFAIL\nnot ok 6 f # TIMEOUT 45 seconds\n",
        );
        let want = [
            ("kunit.a", Status::Pass),
            ("kunit.b", Status::Fail),
            ("kunit.c", Status::Skip),
            ("kunit.d", Status::Done),
            ("kunit.e", Status::Pass),
            ("kunit.f", Status::Fail),
        ];
        assert_eq!(
            got,
            want.iter()
                .map(|(p, s)| (p.to_string(), *s))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn lava_prefix_with_varying_timestamps() {
        let text = "[2025-07-17T10:40:03.023271] <8>[  301.116879] KTAP version 1\n\
                    [2025-07-17T10:40:03.123271] <8>[  301.216879] 1..1\n\
                    [2025-07-17T10:40:04.023271] <8>[  302.116879]     KTAP version 1\n\
                    [2025-07-17T10:40:04.023271] <8>[  302.116879]     # Subtest: s\n\
                    [2025-07-17T10:40:04.023271] <8>[  302.116879]     1..1\n\
                    [2025-07-17T10:40:05.023271] <8>[  303.116879]     not ok 1 c\n\
                    [2025-07-17T10:40:05.023271] <8>[  303.116879] not ok 1 s\n";
        assert_eq!(
            statuses(text),
            vec![
                ("kunit.s".to_string(), Status::Fail),
                ("kunit.s.c".to_string(), Status::Fail)
            ]
        );
    }

    #[test]
    fn yaml_block_belongs_to_the_result_before() {
        let out = parse(
            "TAP version 13\n1..3\nnot ok 1 a\n  ---\n  message: boom\n  ...\nok 2 b\n---\nok 3 c\n",
            None,
        );
        assert_eq!(out.results.len(), 3, "a bare `---` is no YAML block");
        assert!(
            out.results[0]
                .log_excerpt
                .as_deref()
                .unwrap()
                .contains("boom")
        );
        assert_eq!(out.results[1].log_excerpt, None);
        assert!(out.errors.is_empty(), "{:?}", out.errors);
    }

    #[test]
    fn late_plan_is_not_a_crash() {
        let tree = parse_tree("TAP version 13\nok 4 test4\n1..4\n");
        assert_eq!(tree.verdict(), Verdict::Success);
        let c = tree.counts();
        assert_eq!((c.passed, c.errors), (1, 2));
        let out = tree.to_output(None);
        assert_eq!(out.expected, Some(4));
        assert_eq!(out.errors.iter().map(|e| e.records).sum::<usize>(), 3);
    }

    #[test]
    fn kselftest_crash_names_the_running_test() {
        let out = parse(
            "TAP version 13\n1..3\n# selftests: timers: a\nok 1 selftests: timers: a\n# selftests: timers: b\n# doing things\nKernel panic - not syncing: oops\nmore\n",
            None,
        );
        let paths: Vec<_> = out.verdicts();
        assert_eq!(
            paths,
            vec![
                ("kselftest.timers.a", Status::Pass),
                ("kselftest.timers.b", Status::Error)
            ]
        );
        let ex = out.results[1].log_excerpt.as_deref().unwrap();
        assert!(ex.contains("doing things") && ex.contains("Kernel panic") && ex.contains("more"));
        assert_eq!(out.errors.iter().map(|e| e.records).sum::<usize>(), 1);
        assert_eq!(out.expected, Some(3));
    }

    #[test]
    fn two_runs_in_one_console() {
        let out = parse(
            "TAP version 13\n1..1\nok 1 selftests: a: x\nboot noise\n[ 5.0] TAP version 13\n[ 5.0] 1..1\n[ 5.1] ok 1 selftests: b: y\n",
            None,
        );
        let paths: Vec<_> = out.results.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(paths, vec!["kselftest.a.x", "kselftest.b.y"]);
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!(out.expected, Some(2));
    }

    #[test]
    fn several_tap_documents_in_one_kselftest_program() {
        let out = parse(
            "TAP version 13\n1..1\n# selftests: net: run.sh\n# TAP version 13\n# 1..2\n# ok 1 a\n# ok 2 b\n# TAP version 13\n# 1..1\n# not ok 1 c\nnot ok 1 selftests: net: run.sh\n",
            None,
        );
        let got: Vec<_> = out.verdicts();
        assert_eq!(
            got,
            vec![
                ("kselftest.net.run_sh", Status::Fail),
                ("kselftest.net.run_sh.a", Status::Pass),
                ("kselftest.net.run_sh.b", Status::Pass),
                ("kselftest.net.run_sh.c", Status::Fail),
            ]
        );
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!(out.expected, Some(4));
    }

    #[test]
    fn kunit_parameterised_tests() {
        let text = "KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: suite\n    # module: foo\n    1..2\n        KTAP version 1\n        # Subtest: param_test\n        ok 1 param-0\n        not ok 2 param-1\n    # param_test: pass:1 fail:1 skip:0 total:2\n    not ok 1 param_test\n    ok 2 plain\n# suite: pass:1 fail:1\nnot ok 1 suite\n";
        let out = parse(text, None);
        let got: Vec<_> = out.verdicts();
        assert_eq!(
            got,
            vec![
                ("kunit.suite", Status::Fail),
                ("kunit.suite.param_test", Status::Fail),
                ("kunit.suite.param_test.param-0", Status::Pass),
                ("kunit.suite.param_test.param-1", Status::Fail),
                ("kunit.suite.plain", Status::Pass),
            ]
        );
        // Parameterised tests print no plan: nothing is claimed for them.
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!(out.expected, None);
        let tree = parse_tree(text);
        assert_eq!(tree.verdict(), Verdict::Failure);
        assert_eq!((tree.counts().passed, tree.counts().failed), (2, 1));
    }

    #[test]
    fn prefix_override_and_duplicates() {
        let out = parse("KTAP version 1\n1..2\nok 1 x\nok 2 x\n", Some("my.suite"));
        let paths: Vec<_> = out.results.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(paths, vec!["my.suite.x", "my.suite.x_dup2"]);
    }
}
