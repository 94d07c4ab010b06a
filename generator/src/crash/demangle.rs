//! Rust v0 symbol demangling: Rust-for-Linux frames are v0-mangled, and the hash-bearing
//! crate disambiguators change with every build, so titles must use the demangled path.

/// `_RNvCs..._7___rustc17rust_begin_unwind` -> `__rustc::rust_begin_unwind`; None when `sym`
/// is not a (well-formed) v0 symbol.
pub(super) fn demangle(sym: &str) -> Option<String> {
    let rest = sym.strip_prefix("_R")?;
    let mut d = Demangler {
        s: rest.as_bytes(),
        pos: 0,
        depth: 0,
    };
    while d.peek().is_some_and(|c| c.is_ascii_digit()) {
        d.pos += 1;
    }
    let mut out = String::new();
    d.path(&mut out, true)?;
    Some(out)
}

/// A cursor over the mangled bytes after `_R`; `depth` bounds recursion on hostile input.
struct Demangler<'a> {
    s: &'a [u8],
    pos: usize,
    depth: u32,
}

impl<'a> Demangler<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }
    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn base62(&mut self) -> Option<u64> {
        if self.eat(b'_') {
            return Some(0);
        }
        let mut x: u64 = 0;
        loop {
            let c = self.next()?;
            let d = match c {
                b'_' => return x.checked_add(1),
                b'0'..=b'9' => c - b'0',
                b'a'..=b'z' => c - b'a' + 10,
                b'A'..=b'Z' => c - b'A' + 36,
                _ => return None,
            };
            x = x.checked_mul(62)?.checked_add(u64::from(d))?;
        }
    }
    fn disambiguator(&mut self) -> Option<()> {
        if self.eat(b's') {
            self.base62()?;
        }
        Some(())
    }
    fn ident(&mut self) -> Option<&'a str> {
        self.disambiguator()?;
        self.eat(b'u');
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let len: usize = std::str::from_utf8(&self.s[start..self.pos])
            .ok()?
            .parse()
            .ok()?;
        self.eat(b'_');
        let end = self.pos.checked_add(len)?;
        let id = std::str::from_utf8(self.s.get(self.pos..end)?).ok()?;
        self.pos = end;
        Some(id)
    }
    fn backref<F>(&mut self, f: F) -> Option<()>
    where
        F: FnOnce(&mut Self) -> Option<()>,
    {
        let at = self.pos - 1;
        let target = usize::try_from(self.base62()?).ok()?;
        if target >= at {
            return None;
        }
        let saved = self.pos;
        self.pos = target;
        let r = f(self);
        self.pos = saved;
        r
    }
    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth < 100).then_some(())
    }
    fn path(&mut self, out: &mut String, value: bool) -> Option<()> {
        self.enter()?;
        let r = match self.next()? {
            b'C' => {
                out.push_str(self.ident()?);
                Some(())
            }
            b'M' => {
                self.disambiguator()?;
                self.path(&mut String::new(), false)?;
                out.push('<');
                self.ty(out)?;
                out.push('>');
                Some(())
            }
            b'X' => {
                self.disambiguator()?;
                self.path(&mut String::new(), false)?;
                out.push('<');
                self.ty(out)?;
                out.push_str(" as ");
                self.path(out, false)?;
                out.push('>');
                Some(())
            }
            b'Y' => {
                out.push('<');
                self.ty(out)?;
                out.push_str(" as ");
                self.path(out, false)?;
                out.push('>');
                Some(())
            }
            b'N' => {
                let ns = self.next()?;
                self.path(out, value)?;
                let id = self.ident()?;
                if ns.is_ascii_uppercase() {
                    out.push_str(if ns == b'C' { "::{closure" } else { "::{shim" });
                    if !id.is_empty() {
                        out.push(':');
                        out.push_str(id);
                    }
                    out.push('}');
                } else if !id.is_empty() {
                    out.push_str("::");
                    out.push_str(id);
                }
                Some(())
            }
            b'I' => {
                self.path(out, value)?;
                out.push_str(if value { "::<" } else { "<" });
                let mut first = true;
                while !self.eat(b'E') {
                    if !first {
                        out.push_str(", ");
                    }
                    first = false;
                    self.generic_arg(out)?;
                }
                out.push('>');
                Some(())
            }
            b'B' => self.backref(|d| d.path(out, value)),
            _ => None,
        };
        self.depth -= 1;
        r
    }
    fn generic_arg(&mut self, out: &mut String) -> Option<()> {
        if self.eat(b'L') {
            self.base62()?;
            out.push_str("'_");
            Some(())
        } else if self.eat(b'K') {
            self.konst(out)
        } else {
            self.ty(out)
        }
    }
    fn konst(&mut self, out: &mut String) -> Option<()> {
        match self.next()? {
            b'p' => out.push('_'),
            b'B' => return self.backref(|d| d.konst(out)),
            _ => {
                let neg = self.eat(b'n');
                let start = self.pos;
                while self.peek().is_some_and(|c| c != b'_') {
                    self.pos += 1;
                }
                let hex = std::str::from_utf8(&self.s[start..self.pos]).ok()?;
                self.eat(b'_');
                if neg {
                    out.push('-');
                }
                match u128::from_str_radix(hex, 16) {
                    Ok(v) => out.push_str(&v.to_string()),
                    Err(_) => out.push_str(if hex.is_empty() { "0" } else { hex }),
                }
            }
        }
        Some(())
    }
    fn ty(&mut self, out: &mut String) -> Option<()> {
        self.enter()?;
        let c = self.peek()?;
        let basic = match c {
            b'a' => Some("i8"),
            b'b' => Some("bool"),
            b'c' => Some("char"),
            b'd' => Some("f64"),
            b'e' => Some("str"),
            b'f' => Some("f32"),
            b'h' => Some("u8"),
            b'i' => Some("isize"),
            b'j' => Some("usize"),
            b'l' => Some("i32"),
            b'm' => Some("u32"),
            b'n' => Some("i128"),
            b'o' => Some("u128"),
            b's' => Some("i16"),
            b't' => Some("u16"),
            b'u' => Some("()"),
            b'v' => Some("..."),
            b'x' => Some("i64"),
            b'y' => Some("u64"),
            b'z' => Some("!"),
            b'p' => Some("_"),
            _ => None,
        };
        let r = if let Some(name) = basic {
            self.pos += 1;
            out.push_str(name);
            Some(())
        } else {
            match c {
                b'A' | b'S' => {
                    self.pos += 1;
                    out.push('[');
                    self.ty(out)?;
                    if c == b'A' {
                        out.push_str("; ");
                        self.konst(out)?;
                    }
                    out.push(']');
                    Some(())
                }
                b'T' => {
                    self.pos += 1;
                    out.push('(');
                    let mut n = 0;
                    while !self.eat(b'E') {
                        if n > 0 {
                            out.push_str(", ");
                        }
                        self.ty(out)?;
                        n += 1;
                    }
                    if n == 1 {
                        out.push(',');
                    }
                    out.push(')');
                    Some(())
                }
                b'R' | b'Q' => {
                    self.pos += 1;
                    if self.eat(b'L') {
                        self.base62()?;
                    }
                    out.push_str(if c == b'Q' { "&mut " } else { "&" });
                    self.ty(out)
                }
                b'P' | b'O' => {
                    self.pos += 1;
                    out.push_str(if c == b'O' { "*mut " } else { "*const " });
                    self.ty(out)
                }
                b'F' => {
                    self.pos += 1;
                    if self.eat(b'G') {
                        self.base62()?;
                    }
                    if self.eat(b'U') {
                        out.push_str("unsafe ");
                    }
                    if self.eat(b'K') && !self.eat(b'C') {
                        self.ident()?;
                    }
                    out.push_str("fn(");
                    let mut first = true;
                    while !self.eat(b'E') {
                        if !first {
                            out.push_str(", ");
                        }
                        first = false;
                        self.ty(out)?;
                    }
                    out.push(')');
                    let mut ret = String::new();
                    self.ty(&mut ret)?;
                    if ret != "()" {
                        out.push_str(" -> ");
                        out.push_str(&ret);
                    }
                    Some(())
                }
                b'D' => {
                    self.pos += 1;
                    if self.eat(b'G') {
                        self.base62()?;
                    }
                    out.push_str("dyn ");
                    let mut first = true;
                    while !self.eat(b'E') {
                        if !first {
                            out.push_str(" + ");
                        }
                        first = false;
                        self.path(out, false)?;
                        while self.eat(b'p') {
                            self.ident()?;
                            self.ty(&mut String::new())?;
                        }
                    }
                    if self.eat(b'L') {
                        self.base62()?;
                    }
                    Some(())
                }
                b'B' => {
                    self.pos += 1;
                    self.backref(|d| d.ty(out))
                }
                _ => self.path(out, false),
            }
        };
        self.depth -= 1;
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v0_symbols() {
        assert_eq!(
            demangle("_RNvXs1_CscPPBqWtAqum_11ashmem_rustNtB5_6AshmemNtNtCs43vyB533jt3_6kernel10miscdevice10MiscDevice4mmap")
                .as_deref(),
            Some("<ashmem_rust::Ashmem as kernel::miscdevice::MiscDevice>::mmap")
        );
        assert_eq!(
            demangle("_RNvCscSpY9Juk0HT_7___rustc17rust_begin_unwind").as_deref(),
            Some("__rustc::rust_begin_unwind")
        );
        assert_eq!(demangle("not_rust"), None);
    }
}
