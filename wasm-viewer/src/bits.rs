//! Fixed-size bitsets over rows: one bit per regression, 64 per word. Combining filters is a
//! word-wise AND/OR over `rows / 64` words (1,563 words for 100,000 rows).

/// A set of row numbers below a fixed size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitset {
    words: Vec<u64>,
    len: usize,
}

impl Bitset {
    /// The empty set over `len` rows.
    pub fn new(len: usize) -> Self {
        Bitset {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    /// Every row below `len`.
    pub fn full(len: usize) -> Self {
        let mut b = Bitset::new(len);
        b.fill();
        b
    }

    /// Number of rows the set ranges over.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the set ranges over no rows.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The words, low rows first.
    pub fn words(&self) -> &[u64] {
        &self.words
    }

    /// Makes the set contain every row.
    pub fn fill(&mut self) {
        self.words.fill(u64::MAX);
        let rem = self.len % 64;
        if rem != 0
            && let Some(last) = self.words.last_mut()
        {
            *last = (1u64 << rem) - 1;
        }
    }

    /// Makes the set empty.
    pub fn clear(&mut self) {
        self.words.fill(0);
    }

    #[inline]
    pub fn insert(&mut self, row: u32) {
        self.words[(row >> 6) as usize] |= 1u64 << (row & 63);
    }

    #[inline]
    pub fn contains(&self, row: u32) -> bool {
        self.words[(row >> 6) as usize] & (1u64 << (row & 63)) != 0
    }

    /// Number of rows in the set.
    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Makes this set a copy of `other` (same size).
    pub fn copy_from(&mut self, other: &Bitset) {
        self.words.copy_from_slice(&other.words);
    }

    /// Keeps only rows also in `other`.
    pub fn and_with(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= *b;
        }
    }

    /// Adds the rows of `other`.
    pub fn or_with(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= *b;
        }
    }

    /// `|self ∩ other|` without building the intersection.
    pub fn and_count(&self, other: &Bitset) -> usize {
        self.words
            .iter()
            .zip(&other.words)
            .map(|(a, b)| (a & b).count_ones() as usize)
            .sum()
    }

    /// Calls `f` with every row in the set, in increasing order.
    #[inline]
    pub fn for_each(&self, mut f: impl FnMut(u32)) {
        for (i, &w) in self.words.iter().enumerate() {
            let mut w = w;
            while w != 0 {
                let bit = w.trailing_zeros();
                f(((i as u32) << 6) | bit);
                w &= w - 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations() {
        let mut a = Bitset::new(130);
        for r in [0, 5, 64, 129] {
            a.insert(r);
        }
        assert_eq!(a.count(), 4);
        assert!(a.contains(129) && !a.contains(128));
        let full = Bitset::full(130);
        assert_eq!(full.count(), 130);
        assert_eq!(a.and_count(&full), 4);
        let mut b = Bitset::new(130);
        b.insert(5);
        b.insert(6);
        let mut c = a.clone();
        c.and_with(&b);
        assert_eq!(c.count(), 1);
        c.or_with(&b);
        let mut rows = Vec::new();
        c.for_each(|r| rows.push(r));
        assert_eq!(rows, [5, 6]);
        c.clear();
        assert_eq!(c.count(), 0);
        assert_eq!(Bitset::full(128).count(), 128);
        assert_eq!(Bitset::full(0).count(), 0);
    }
}
