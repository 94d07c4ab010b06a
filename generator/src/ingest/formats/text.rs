//! Text helpers every format parser uses: path segments and unique paths, log excerpts (the
//! tail), line positions and timestamps.

use std::collections::{HashMap, HashSet};

use super::record::{EXCERPT_MAX, SEGMENT_MAX};

/// One path segment: `[A-Za-z0-9_-]` kept, anything else `_`, runs collapsed, ends trimmed.
pub(crate) fn segment(name: &str) -> String {
    let mut out = String::with_capacity(name.len().min(SEGMENT_MAX));
    for c in name.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            c
        } else {
            '_'
        };
        if c == '_' && (out.is_empty() || out.ends_with('_')) {
            continue;
        }
        if out.len() >= SEGMENT_MAX {
            break;
        }
        out.push(c);
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// A dotted prefix given by the caller (`a.b`), each part sanitised.
pub(crate) fn prefix_segments(prefix: &str) -> Vec<String> {
    prefix
        .split('.')
        .map(segment)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Hands out unique paths: the second `a.b` becomes `a.b_dup2`.
#[derive(Default)]
pub(crate) struct PathSet {
    used: HashSet<String>,
    /// Next suffix to try per path, so a file of identical names stays linear.
    next: HashMap<String, usize>,
}

impl PathSet {
    /// `segments` joined with `.`, empty segments dropped, made unique in this file.
    pub(crate) fn unique(&mut self, segments: &[String]) -> String {
        let path = segments
            .iter()
            .filter(|s| !s.is_empty())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(".");
        let path = if path.is_empty() {
            "unnamed".to_string()
        } else {
            path
        };
        if self.used.insert(path.clone()) {
            return path;
        }
        let n = self.next.entry(path.clone()).or_insert(2);
        loop {
            let candidate = format!("{path}_dup{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// The last [`EXCERPT_MAX`] bytes of `text`, cut at a line start when one is near; `None`
/// when there is nothing but whitespace.
pub(crate) fn excerpt(text: &str) -> Option<String> {
    let text = text.trim_matches(|c: char| c == '\n' || c == '\r');
    if text.trim().is_empty() {
        return None;
    }
    if text.len() <= EXCERPT_MAX {
        return Some(text.to_string());
    }
    const MARK: &str = "[…]\n";
    let mut start = text.len() - (EXCERPT_MAX - MARK.len());
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let tail = &text[start..];
    let near = &tail.as_bytes()[..tail.len().min(1024)];
    let tail = match near.iter().position(|&b| b == b'\n') {
        Some(nl) => &tail[nl + 1..],
        None => tail,
    };
    Some(format!("{MARK}{tail}"))
}

/// A growing text that keeps only about its last `2 × max` bytes, so a noisy console cannot
/// make a parser hold more than a bounded amount per test.
#[derive(Debug, Clone, Default)]
pub(crate) struct TailBuf {
    text: String,
}

impl TailBuf {
    pub(crate) fn push_line(&mut self, line: &str) {
        let line = if line.len() > EXCERPT_MAX {
            let mut s = line.len() - EXCERPT_MAX;
            while !line.is_char_boundary(s) {
                s += 1;
            }
            &line[s..]
        } else {
            line
        };
        self.text.push_str(line);
        self.text.push('\n');
        if self.text.len() > 2 * EXCERPT_MAX {
            let mut cut = self.text.len() - EXCERPT_MAX;
            while !self.text.is_char_boundary(cut) {
                cut += 1;
            }
            self.text.drain(..cut);
        }
    }

    pub(crate) fn append(&mut self, other: TailBuf) {
        for line in other.text.lines() {
            self.push_line(line);
        }
    }

    pub(crate) fn take(&mut self) -> TailBuf {
        std::mem::take(self)
    }

    pub(crate) fn excerpt(&self) -> Option<String> {
        excerpt(&self.text)
    }
}

/// Maps byte offsets of one text to 1-based line and column (column in characters).
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { text, starts }
    }

    /// Line of byte `offset` (clamped to the text).
    pub(crate) fn line(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset.min(self.text.len()))
    }

    /// Line and column of byte `offset`.
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line(offset);
        let start = self.starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }

    /// Byte offset of a 1-based line and column (as serde_json reports them).
    pub(crate) fn offset(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let col = rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        start + col
    }

    /// Byte offset of `inner` if it is a slice of this text.
    pub(crate) fn offset_of(&self, inner: &str) -> Option<usize> {
        let base = self.text.as_ptr() as usize;
        let p = inner.as_ptr() as usize;
        (p >= base && p + inner.len() <= base + self.text.len()).then(|| p - base)
    }
}

/// `s` when it is an RFC 3339 date-time (`2024-01-31T10:00:00[.123](Z|±hh:mm)`, a space for
/// the `T` accepted and normalised); `None` otherwise, notably for times without a zone.
pub(crate) fn rfc3339(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let ok_date = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'T' | b't' | b' ')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if !ok_date {
        return None;
    }
    let mut i = 19;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let zone = &b[i..];
    let zone_ok = matches!(zone, [b'Z'] | [b'z'])
        || (zone.len() == 6
            && matches!(zone[0], b'+' | b'-')
            && zone[1..3].iter().all(u8::is_ascii_digit)
            && zone[3] == b':'
            && zone[4..6].iter().all(u8::is_ascii_digit));
    zone_ok.then(|| {
        let mut out = s.to_string();
        out.replace_range(10..11, "T");
        out
    })
}
