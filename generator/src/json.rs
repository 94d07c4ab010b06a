//! A strict, forward-only JSON cursor for the hot path of KCIDB ingest.
//!
//! serde_json's typed path costs about twice its own `IgnoredAny` on KCIDB test objects (the
//! visitor and key machinery per field, not the scanning), and simd-json and sonic-rs were no
//! faster here. This cursor reads the few shapes the fast KCIDB reader needs straight from the
//! bytes: objects key by key, strings borrowed unless escaped, anything else skipped.
//!
//! It is deliberately partial: whatever it is not sure of (a surrogate `\u` escape, an escaped
//! key, deep nesting, a number it would have to convert) makes it give up (`None`), and the
//! caller hands the document to serde_json, which decides. It must never accept what
//! serde_json would refuse, and never read a value differently: `ingest::kcidb::scan`'s tests and the
//! KCIDB fuzz test compare the two on real and mutated documents.

use std::borrow::Cow;

/// `None`: not sure; let serde_json decide.
pub type Scan<T> = Option<T>;

/// Nesting deeper than this gives up (serde_json's own limit is 128; it decides those).
const MAX_DEPTH: u32 = 64;

/// A position in a JSON text.
pub struct Cursor<'a> {
    text: &'a str,
    b: &'a [u8],
    pub(crate) i: usize,
    depth: u32,
}

impl<'a> Cursor<'a> {
    pub fn new(text: &'a str) -> Self {
        Cursor {
            text,
            b: text.as_bytes(),
            i: 0,
            depth: 0,
        }
    }

    /// Skips JSON whitespace.
    #[inline]
    pub fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    /// The next byte after whitespace, not consumed.
    #[inline]
    pub fn peek(&mut self) -> Scan<u8> {
        self.ws();
        self.b.get(self.i).copied()
    }

    /// Consumes `c` after whitespace.
    #[inline]
    pub fn eat(&mut self, c: u8) -> Scan<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// Whether only whitespace is left.
    pub fn at_end(&mut self) -> bool {
        self.ws();
        self.i == self.b.len()
    }

    /// Where the next value starts and, once skipped, ends: for handing a sub-document to
    /// serde_json.
    pub fn value_slice(&mut self) -> Scan<&'a str> {
        self.ws();
        let start = self.i;
        self.skip_value()?;
        self.text.get(start..self.i)
    }

    /// Calls `field` with each key of an object, the cursor before its value; `field` must
    /// consume the value. Keys with escapes give up.
    #[inline]
    pub fn object(&mut self, mut field: impl FnMut(&mut Self, &'a str) -> Scan<()>) -> Scan<()> {
        self.delimited(b'{', b'}', |c| {
            let key = c.key()?;
            c.eat(b':')?;
            c.ws();
            field(c, key)
        })
    }

    /// Calls `element` before each element of an array; it must consume the element.
    #[inline]
    pub fn array(&mut self, element: impl FnMut(&mut Self) -> Scan<()>) -> Scan<()> {
        self.delimited(b'[', b']', element)
    }

    /// `open`, then `item`s separated by commas (each called at its first byte), then `close`.
    #[inline]
    fn delimited(
        &mut self,
        open: u8,
        close: u8,
        mut item: impl FnMut(&mut Self) -> Scan<()>,
    ) -> Scan<()> {
        self.eat(open)?;
        self.enter()?;
        if self.peek()? == close {
            self.i += 1;
            self.depth -= 1;
            return Some(());
        }
        loop {
            self.ws();
            item(self)?;
            match self.peek()? {
                b',' => self.i += 1,
                c if c == close => {
                    self.i += 1;
                    self.depth -= 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn enter(&mut self) -> Scan<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// `null`, consumed if it is next.
    #[inline]
    pub fn null(&mut self) -> Scan<bool> {
        if self.peek()? != b'n' {
            return Some(false);
        }
        self.literal(b"null")?;
        Some(true)
    }

    /// An object key: a string without escapes.
    #[inline]
    fn key(&mut self) -> Scan<&'a str> {
        if self.b.get(self.i) != Some(&b'"') {
            return None;
        }
        let start = self.i + 1;
        let end = start + find_special(&self.b[start..])?;
        if self.b[end] != b'"' {
            return None;
        }
        self.i = end + 1;
        self.text.get(start..end)
    }

    /// A string (the cursor at its opening quote), borrowed unless it has escapes.
    #[inline]
    pub fn string(&mut self) -> Scan<Cow<'a, str>> {
        if self.b.get(self.i) != Some(&b'"') {
            return None;
        }
        let start = self.i + 1;
        let end = start + find_special(&self.b[start..])?;
        if self.b[end] == b'"' {
            self.i = end + 1;
            return self.text.get(start..end).map(Cow::Borrowed);
        }
        self.unescaped(start, end)
    }

    /// The rest of [`Cursor::string`] for a string with escapes (or a control character) at
    /// `end`: an owned, decoded copy. Out of line, so that the common case (no escapes) is
    /// small enough to inline where strings are read, and hands its result over in registers.
    #[cold]
    #[inline(never)]
    fn unescaped(&mut self, start: usize, end: usize) -> Scan<Cow<'a, str>> {
        let mut out = String::with_capacity(end - start + 16);
        out.push_str(self.text.get(start..end)?);
        let mut at = end;
        loop {
            match self.b[at] {
                b'"' => {
                    self.i = at + 1;
                    return Some(Cow::Owned(out));
                }
                b'\\' => {
                    at = self.escape(at + 1, Some(&mut out))?;
                }
                _ => return None, // a control character
            }
            let next = at + find_special(&self.b[at..])?;
            out.push_str(self.text.get(at..next)?);
            at = next;
        }
    }

    /// A string (the cursor at its opening quote) as it is written between its quotes,
    /// checked, and whether it has escapes: for text kept by reference and decoded only
    /// if it is shown ([`unescape`]).
    #[inline]
    pub fn raw_string(&mut self) -> Scan<(&'a str, bool)> {
        if self.b.get(self.i) != Some(&b'"') {
            return None;
        }
        let start = self.i + 1;
        let escaped = self.skip_string()?;
        Some((self.text.get(start..self.i - 1)?, escaped))
    }

    /// Reads the escape after a backslash at `at`, appending it to `out` when given; returns
    /// where the string goes on. Surrogates (`\uD800`-`\uDFFF`) give up.
    fn escape(&self, at: usize, out: Option<&mut String>) -> Scan<usize> {
        let c = match *self.b.get(at)? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hex = self.b.get(at + 1..at + 5)?;
                let mut v = 0u32;
                for &h in hex {
                    v = v * 16 + (h as char).to_digit(16)?;
                }
                let c = char::from_u32(v)?; // None for surrogates
                if let Some(out) = out {
                    out.push(c);
                }
                return Some(at + 5);
            }
            _ => return None,
        };
        if let Some(out) = out {
            out.push(c);
        }
        Some(at + 1)
    }

    /// Skips a string, checking it as serde_json would; returns whether it had escapes.
    #[inline]
    fn skip_string(&mut self) -> Scan<bool> {
        let mut at = self.i + 1;
        let mut escaped = false;
        loop {
            at += find_special(&self.b[at..])?;
            match self.b[at] {
                b'"' => {
                    self.i = at + 1;
                    return Some(escaped);
                }
                b'\\' => {
                    escaped = true;
                    at = self.escape(at + 1, None)?;
                }
                _ => return None,
            }
        }
    }

    /// Skips any value, checking its syntax.
    pub fn skip_value(&mut self) -> Scan<()> {
        match self.peek()? {
            b'"' => self.skip_string().map(|_| ()),
            b'{' => self.object(|c, _| c.skip_value()),
            b'[' => self.array(|c| c.skip_value()),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.skip_number(),
            _ => None,
        }
    }

    fn literal(&mut self, lit: &[u8]) -> Scan<()> {
        (self.b.get(self.i..self.i + lit.len())? == lit).then(|| self.i += lit.len())
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, like serde_json's own check.
    fn skip_number(&mut self) -> Scan<()> {
        let digits = |c: &mut Self| {
            let start = c.i;
            while c.b.get(c.i).is_some_and(u8::is_ascii_digit) {
                c.i += 1;
            }
            (c.i > start).then_some(())
        };
        if self.b.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        if self.b.get(self.i) == Some(&b'0') {
            self.i += 1;
            if self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
                return None;
            }
        } else {
            digits(self)?;
        }
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            digits(self)?;
        }
        if let Some(b'e' | b'E') = self.b.get(self.i) {
            self.i += 1;
            if let Some(b'+' | b'-') = self.b.get(self.i) {
                self.i += 1;
            }
            digits(self)?;
        }
        Some(())
    }

    /// A small non-negative integer without fraction or exponent (for values that are
    /// kept as "not a string"); anything else gives up rather than judge its range.
    pub fn skip_small_integer(&mut self) -> Scan<()> {
        let start = self.i;
        self.skip_number()?;
        let n = &self.b[start..self.i];
        (n.len() <= 15 && n.iter().all(u8::is_ascii_digit)).then_some(())
    }
}

/// The text of a string written between quotes with escapes, as [`Cursor::raw_string`] found
/// it; `None` if it is not such a string (text kept by reference from a file that changed).
pub fn unescape(raw: &str) -> Option<String> {
    let quoted = format!("\"{raw}\"");
    let mut c = Cursor::new(&quoted);
    let s = c.string()?;
    (c.i == quoted.len()).then(|| s.into_owned())
}

/// The offset of the first `"`, `\` or control character (a byte below 0x20) in `b`:
/// the bytes a JSON string cannot hold as they are. `None` when there is none.
#[inline]
fn find_special(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    #[cfg(target_arch = "x86_64")]
    {
        // SSE2 is part of x86_64, and inlined: most strings (ids, paths, times, URLs) end
        // within four steps, before a call into the AVX2 loop would pay off.
        for _ in 0..4 {
            if i + 16 > b.len() {
                break;
            }
            // SAFETY: `i + 16 <= b.len()`, so the 16-byte load stays in `b`.
            let mask = unsafe { x86::special_16(b.as_ptr().add(i)) };
            if mask != 0 {
                return Some(i + mask.trailing_zeros() as usize);
            }
            i += 16;
        }
        // Long strings (log excerpts, a large share of the bytes): 32 bytes per step where
        // the CPU has AVX2.
        if b.len().saturating_sub(i) >= 64 && x86::has_avx2() {
            // SAFETY: AVX2 was just detected.
            match unsafe { x86::find_special_avx2(&b[i..]) } {
                Ok(p) => return Some(i + p),
                Err(scanned) => i += scanned,
            }
        }
        while i + 16 <= b.len() {
            // SAFETY: as above.
            let mask = unsafe { x86::special_16(b.as_ptr().add(i)) };
            if mask != 0 {
                return Some(i + mask.trailing_zeros() as usize);
            }
            i += 16;
        }
    }
    b[i..]
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
        .map(|p| i + p)
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;
    use std::sync::atomic::{AtomicU8, Ordering};

    /// Bit per byte of the 16 at `p`: a quote, a backslash or a control character.
    ///
    /// # Safety
    /// `p..p + 16` must be readable (SSE2 itself is part of x86_64).
    #[inline]
    pub unsafe fn special_16(p: *const u8) -> u32 {
        // SAFETY: the caller guarantees `p..p + 16` is readable; SSE2 is always present.
        unsafe {
            let v = _mm_loadu_si128(p.cast());
            let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
            let slash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
            // v <= 0x1F (unsigned) exactly when max(v, 0x1F) == 0x1F.
            let low = _mm_set1_epi8(0x1F);
            let control = _mm_cmpeq_epi8(_mm_max_epu8(v, low), low);
            _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, slash), control)) as u32
        }
    }

    /// Whether the CPU has AVX2 (detected once).
    #[inline]
    pub fn has_avx2() -> bool {
        static AVX2: AtomicU8 = AtomicU8::new(0);
        match AVX2.load(Ordering::Relaxed) {
            0 => {
                let yes = is_x86_feature_detected!("avx2");
                AVX2.store(if yes { 2 } else { 1 }, Ordering::Relaxed);
                yes
            }
            v => v == 2,
        }
    }

    /// [`super::find_special`] 32 bytes per step over the whole 32-byte blocks of `b`:
    /// `Ok(offset)`, or `Err(bytes scanned)` (the few after the last block are the caller's).
    ///
    /// # Safety
    /// The CPU must have AVX2.
    #[target_feature(enable = "avx2")]
    pub unsafe fn find_special_avx2(b: &[u8]) -> Result<usize, usize> {
        let quote = _mm256_set1_epi8(b'"' as i8);
        let slash = _mm256_set1_epi8(b'\\' as i8);
        let low = _mm256_set1_epi8(0x1F);
        let mut i = 0;
        while i + 32 <= b.len() {
            // SAFETY: `i + 32 <= b.len()`.
            let v = unsafe { _mm256_loadu_si256(b.as_ptr().add(i).cast()) };
            let hit = _mm256_or_si256(
                _mm256_or_si256(_mm256_cmpeq_epi8(v, quote), _mm256_cmpeq_epi8(v, slash)),
                _mm256_cmpeq_epi8(_mm256_max_epu8(v, low), low),
            );
            let mask = _mm256_movemask_epi8(hit) as u32;
            if mask != 0 {
                return Ok(i + mask.trailing_zeros() as usize);
            }
            i += 32;
        }
        Err(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cursor and serde_json agree on whether `text` is one valid JSON value, whenever
    /// the cursor is sure.
    fn agrees(text: &str) {
        let mut c = Cursor::new(text);
        let ours = c.skip_value().is_some() && c.at_end();
        let theirs = serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok();
        if ours {
            assert!(theirs, "cursor accepted what serde_json refuses: {text:?}");
        }
    }

    #[test]
    fn never_accepts_what_serde_json_refuses() {
        for t in [
            "{}",
            "[]",
            "0",
            "-0",
            "01",
            "-",
            "1.",
            "1.5",
            "1e",
            "1e+5",
            "1E-2",
            ".5",
            "+1",
            "true",
            "tru",
            "nul",
            "null",
            "falsey",
            r#""a"#,
            r#""a\""#,
            r#""\q""#,
            r#""\u12""#,
            r#""\u00e9""#,
            r#""\ud83d\ude00""#,
            "\"a\u{1}b\"",
            "\"tab\there\"",
            r#"{"a":1,}"#,
            r#"{"a" 1}"#,
            r#"{"a":1 "b":2}"#,
            r#"[1,]"#,
            r#"[1 2]"#,
            r#"{,}"#,
            r#"{"a":[{}]}"#,
            r#"  {"a" : [ 1 , "x" , null ] }  "#,
            r#"{"a":1}x"#,
            "[[[[[[[[]]]]]]]]",
        ] {
            agrees(t);
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        agrees(&deep);
    }

    #[test]
    fn strings_read_like_serde_json() {
        for t in [
            r#""plain""#,
            r#""a\"b\\c\/d\be\ff\ng\rh\ti""#,
            r#""\u00e9t\u00E9 \u20ac""#,
            r#""snow ☃ and \u2603""#,
            r#""""#,
            r#""a long string that crosses the sixteen byte blocks \n twice over, yes""#,
        ] {
            let mut c = Cursor::new(t);
            let ours = c.string().expect(t);
            let theirs: String = serde_json::from_str(t).unwrap();
            assert_eq!(ours, theirs);
            assert!(c.at_end());
            assert_eq!(matches!(ours, Cow::Borrowed(_)), !t.contains('\\'));
        }
        // Surrogates and control characters: not sure, serde_json decides.
        for t in [r#""\ud83d\ude00""#, "\"a\u{1f}\"", r#""\x""#, r#""open"#] {
            assert!(Cursor::new(t).string().is_none(), "{t}");
        }
    }

    #[test]
    fn raw_strings_decode_to_what_strings_read() {
        for t in [r#""plain""#, r#""a\"b\n\u00e9""#, r#""""#] {
            let (raw, escaped) = Cursor::new(t).raw_string().unwrap();
            assert_eq!(raw, &t[1..t.len() - 1]);
            assert_eq!(escaped, t.contains('\\'));
            let read = Cursor::new(t).string().unwrap();
            assert_eq!(unescape(raw).as_deref(), Some(&*read));
        }
        assert!(Cursor::new(r#""\q""#).raw_string().is_none());
        assert_eq!(unescape(r#"a"b"#), None);
        assert_eq!(unescape("x\\"), None);
    }

    #[test]
    fn special_bytes_are_found_in_every_position() {
        // Short (SSE2 steps) and long (AVX2 blocks, then SSE2 and byte tails) alike.
        for len in (0..40).chain([63, 64, 65, 95, 96, 97, 130, 161]) {
            for at in 0..len {
                for special in [b'"', b'\\', 0x00, 0x1F] {
                    let mut b = vec![b'x'; len];
                    b[at] = special;
                    assert_eq!(find_special(&b), Some(at));
                }
            }
            let b: Vec<u8> = (0..len).map(|i| 0x20 + (i % 90) as u8).collect();
            let plain: Vec<u8> = b.into_iter().filter(|&c| c != b'"' && c != b'\\').collect();
            assert_eq!(find_special(&plain), None);
        }
        assert_eq!(find_special("é\"".as_bytes()), Some(2));
    }
}
