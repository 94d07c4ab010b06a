//! The little JSON the chunks need, written exactly as `serde_json` writes it (the generator's
//! other files, and every site written so far, used serde_json: the same input must keep giving
//! the same bytes). Only integers, strings, arrays and `null` occur in a detail chunk.

use std::fmt::Write;

use crate::strings::StringTable;

/// Appends `s` as a JSON string literal, escaped as serde_json does: `"` and `\`, the short
/// forms `\b \f \n \r \t`, every other control character as `\u00xx`; everything else as is.
pub(crate) fn string(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0c => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..0x20 => "",
            _ => continue,
        };
        // Every escaped byte is ASCII, so `i` is a character boundary.
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            write!(out, "\\u{b:04x}").expect("writing to a String");
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// A value a chunk holds, written as JSON.
pub(crate) trait ToJson {
    fn write_json(&self, out: &mut String);
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn write_json(&self, out: &mut String) {
                write!(out, "{self}").expect("writing to a String");
            }
        }
    )*};
}

integers!(u32, usize, i64);

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        string(out, self);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(v) => v.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            v.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson, const N: usize> ToJson for [T; N] {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl ToJson for StringTable {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

/// Tuples are arrays (as serde writes them).
macro_rules! tuple {
    ($($n:tt $t:ident),*) => {
        impl<$($t: ToJson),*> ToJson for ($($t,)*) {
            fn write_json(&self, out: &mut String) {
                let mut first = true;
                out.push('[');
                $(
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    self.$n.write_json(out);
                )*
                let _ = first;
                out.push(']');
            }
        }
    };
}

tuple!(0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G);

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> String {
        let mut out = String::new();
        string(&mut out, v);
        out
    }

    #[test]
    fn strings_escape_like_serde_json() {
        assert_eq!(s(""), r#""""#);
        assert_eq!(s("a\"b\\c/d"), r#""a\"b\\c/d""#);
        assert_eq!(s("\u{8}\u{c}\n\r\t"), r#""\b\f\n\r\t""#);
        assert_eq!(s("\u{0}\u{1f}\u{7f}"), "\"\\u0000\\u001f\u{7f}\"");
        assert_eq!(s("é\u{2028}</script>"), "\"é\u{2028}</script>\"");
    }

    #[test]
    fn values() {
        let mut out = String::new();
        let v: (u32, Option<i64>, u32, u32, u32, usize, Vec<u32>) = (1, None, 2, 3, 4, 5, vec![6]);
        v.write_json(&mut out);
        vec![Some([1u32, 2]), None].write_json(&mut out);
        vec!["x".to_string()].write_json(&mut out);
        (-3i64).write_json(&mut out);
        assert_eq!(out, r#"[1,null,2,3,4,5,[6]][[1,2],null]["x"]-3"#);
    }
}
