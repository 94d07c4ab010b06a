//! The string table every chunk carries: text values are stored once and referred to by
//! index, so a tree, board or test path shared by thousands of rows costs one entry, and the
//! viewer compares integers where it would compare text.

use std::collections::HashMap;

/// Interned strings in first-use order. String 0 is always `""`, which every reader takes to
/// mean none/unknown.
#[derive(Debug, Clone)]
pub struct StringTable {
    strings: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Default for StringTable {
    fn default() -> Self {
        let mut t = StringTable {
            strings: Vec::new(),
            ids: HashMap::new(),
        };
        t.get("");
        t
    }
}

impl StringTable {
    /// A table holding only `""`.
    pub fn new() -> Self {
        Self::default()
    }

    /// The index of `s`, added at the end if new.
    pub fn get(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        let i = self.strings.len() as u32;
        self.strings.push(s.to_string());
        self.ids.insert(s.to_string(), i);
        i
    }

    /// The index of `s`, or 0 for none.
    pub fn opt(&mut self, s: Option<&str>) -> u32 {
        self.get(s.unwrap_or(""))
    }

    /// Every string, by index.
    pub fn as_slice(&self) -> &[String] {
        &self.strings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_is_empty_and_indices_are_first_use_order() {
        let mut t = StringTable::new();
        assert_eq!(t.get("b"), 1);
        assert_eq!(t.get("a"), 2);
        assert_eq!(t.get("b"), 1);
        assert_eq!(t.opt(None), 0);
        assert_eq!(t.get(""), 0);
        assert_eq!(t.as_slice(), ["", "b", "a"]);
    }
}
