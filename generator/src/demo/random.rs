//! Deterministic randomness: seeded streams and the random ids and strings KCIDB submitters use,
//! the same on every platform and Rust version (integer-only sampling, own string hash).

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// SplitMix64 finalizer: spreads the bits of a seed or hash.
pub(super) fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Folds `parts` into `seed`, one splitmix round each.
fn mix(seed: u64, parts: &[u64]) -> u64 {
    let mut h = splitmix(seed);
    for p in parts {
        h = splitmix(h ^ p.wrapping_mul(0x2545_F491_4F6C_DD1D));
    }
    h
}

/// An independent stream for one part of the history, so that changing one part (or the scale)
/// does not shift the random choices of the others.
pub(super) fn sub_rng(seed: u64, parts: &[u64]) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(mix(seed, parts))
}

/// FNV-1a: a string hash that is the same on every platform and Rust version.
pub(super) fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// `nchars` random lowercase hex digits (git hashes, KCIDB ids).
pub(super) fn hex_str(rng: &mut ChaCha8Rng, nchars: usize) -> String {
    const H: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(nchars);
    let mut bits = 0u64;
    let mut left = 0;
    for _ in 0..nchars {
        if left == 0 {
            bits = rng.random::<u64>();
            left = 16;
        }
        s.push(H[(bits & 15) as usize] as char);
        bits >>= 4;
        left -= 1;
    }
    s
}

/// A random element of a non-empty list.
pub(super) fn pick<'a, T>(rng: &mut ChaCha8Rng, xs: &'a [T]) -> &'a T {
    let n = u32::try_from(xs.len()).expect("short list");
    &xs[rng.random_range(0..n) as usize]
}

/// KSUID (as in LKFT/TuxSuite ids): 4-byte timestamp + 16 random bytes, base62, 27 chars.
pub(super) fn ksuid(rng: &mut ChaCha8Rng, unix_seconds: i64) -> String {
    const A: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut num = [0u8; 20];
    let t =
        u32::try_from((unix_seconds - 1_400_000_000).clamp(0, i64::from(u32::MAX))).unwrap_or(0);
    num[..4].copy_from_slice(&t.to_be_bytes());
    for chunk in num[4..].chunks_mut(8) {
        let r = rng.random::<u64>().to_be_bytes();
        chunk.copy_from_slice(&r[..chunk.len()]);
    }
    let mut out = [b'0'; 27];
    let mut i = out.len();
    while i > 0 && num.iter().any(|&x| x != 0) {
        let mut rem = 0u32;
        for byte in num.iter_mut() {
            let acc = (rem << 8) | u32::from(*byte);
            *byte = (acc / 62) as u8;
            rem = acc % 62;
        }
        i -= 1;
        out[i] = A[rem as usize];
    }
    out.iter().map(|&c| c as char).collect()
}

/// A random (version 4) UUID.
pub(super) fn uuid4(rng: &mut ChaCha8Rng) -> String {
    let h = hex_str(rng, 32);
    let variant = ['8', '9', 'a', 'b'][rng.random_range(0..4u32) as usize];
    format!(
        "{}-{}-4{}-{}{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        variant,
        &h[17..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ksuid_has_27_chars() {
        let k = ksuid(&mut sub_rng(1, &[1]), 1_795_000_000);
        assert_eq!(k.len(), 27);
    }
}
