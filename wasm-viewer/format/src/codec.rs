//! The index's two primitive encodings, both ways: unsigned LEB128 varints and standard
//! base64 (RFC 4648, with padding). Decoding is one tight pass with no allocation per value.

/// Why a byte stream could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecodeError(pub(crate) String);

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

const INVALID: u8 = 0xff;

const fn table() -> [u8; 256] {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        t[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t
}

static TABLE: [u8; 256] = table();

/// Appends `v` as an unsigned LEB128 varint: 1 byte below 128, 2 below 16384.
pub(crate) fn push_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Encodes bytes as standard base64 with padding.
pub(crate) fn to_base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (c[0] as u32) << 16
            | (c.get(1).copied().unwrap_or(0) as u32) << 8
            | c.get(2).copied().unwrap_or(0) as u32;
        out.push(ALPHABET[(n >> 18) as usize & 63] as char);
        out.push(ALPHABET[(n >> 12) as usize & 63] as char);
        out.push(if c.len() > 1 {
            ALPHABET[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if c.len() > 2 {
            ALPHABET[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

/// Decodes standard base64 with padding.
pub(crate) fn from_base64(text: &str) -> Result<Vec<u8>, DecodeError> {
    let b = text.as_bytes();
    if !b.len().is_multiple_of(4) {
        return Err(DecodeError("base64 length is not a multiple of 4".into()));
    }
    let mut out = Vec::with_capacity(b.len() / 4 * 3);
    let bad = || DecodeError("invalid base64".into());
    for (q, quad) in b.chunks_exact(4).enumerate() {
        let last = q + 1 == b.len() / 4;
        let pad = if last {
            quad.iter().rev().take_while(|&&c| c == b'=').count()
        } else {
            0
        };
        if pad > 2 {
            return Err(bad());
        }
        let mut n: u32 = 0;
        for &c in &quad[..4 - pad] {
            let v = TABLE[c as usize];
            if v == INVALID {
                return Err(bad());
            }
            n = (n << 6) | v as u32;
        }
        n <<= 6 * pad as u32;
        out.push((n >> 16) as u8);
        if pad < 2 {
            out.push((n >> 8) as u8);
        }
        if pad < 1 {
            out.push(n as u8);
        }
    }
    Ok(out)
}

/// Reads unsigned LEB128 varints (at most 32 bits each) from a byte slice.
pub(crate) struct Varints<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Varints<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Varints { bytes, pos: 0 }
    }

    /// The next value, or an error at the end of the stream or on an overlong value.
    #[inline]
    pub(crate) fn read(&mut self) -> Result<u32, DecodeError> {
        let mut v: u32 = 0;
        let mut shift = 0;
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err(DecodeError("column data ends early".into()));
            };
            self.pos += 1;
            if shift == 28 && b > 0x0f {
                return Err(DecodeError("varint does not fit 32 bits".into()));
            }
            v |= ((b & 0x7f) as u32) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
            shift += 7;
        }
    }

    /// `n` values into a vector.
    pub(crate) fn take(&mut self, n: usize) -> Result<Vec<u32>, DecodeError> {
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(self.read()?);
        }
        Ok(out)
    }

    /// True when every byte has been read.
    pub(crate) fn at_end(&self) -> bool {
        self.pos == self.bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varint_bytes() {
        let mut b = Vec::new();
        for v in [0, 127, 128, 300] {
            push_varint(&mut b, v);
        }
        assert_eq!(b, [0, 127, 0x80, 1, 0xac, 2]);
    }

    #[test]
    fn base64_round_trips() {
        for len in 0..20 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(from_base64(&to_base64(&bytes)).unwrap(), bytes);
        }
        assert_eq!(to_base64(b"hi"), "aGk=");
        assert_eq!(to_base64(b"hi!"), "aGkh");
        assert_eq!(from_base64("aGk=").unwrap(), b"hi");
        assert!(from_base64("a").is_err());
        assert!(from_base64("a!==").is_err());
        assert!(from_base64("a===").is_err());
    }

    #[test]
    fn varints_round_trip() {
        let values = [0, 1, 127, 128, 300, 16383, 16384, u32::MAX];
        let mut bytes = Vec::new();
        for &v in &values {
            push_varint(&mut bytes, v);
        }
        let mut r = Varints::new(&bytes);
        assert_eq!(r.take(values.len()).unwrap(), values);
        assert!(r.at_end());
        assert!(r.read().is_err());
        assert!(
            Varints::new(&[0xff, 0xff, 0xff, 0xff, 0x7f])
                .read()
                .is_err()
        );
    }
}
