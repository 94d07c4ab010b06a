//! Free-text filtering over the index.
//!
//! The haystack of each row (id, title, tree, branch, status, signature, test paths) is
//! lower-cased once at load, so a keystroke costs one substring scan per row and no allocation
//! per row.

use crate::index::{IndexData, NONE};

/// The index plus per-row search text, ready to answer queries.
pub struct Filter {
    haystacks: Vec<String>,
}

impl Filter {
    /// Prepares the per-row search text.
    pub fn new(index: &IndexData) -> Self {
        let haystacks = (0..index.len())
            .map(|r| {
                let mut h = String::new();
                let mut push = |s: &str| {
                    h.push_str(&s.to_lowercase());
                    h.push('\n');
                };
                push(index.str(index.id[r]));
                push(index.str(index.title[r]));
                push(index.str(index.tree[r]));
                push(index.str(index.branch[r]));
                push(index.str(index.status[r]));
                if index.signature[r] != NONE {
                    push(index.str(index.signature[r]));
                }
                for &t in &index.tests[r] {
                    push(index.str(t));
                }
                h
            })
            .collect();
        Filter { haystacks }
    }

    /// Rows whose text contains every whitespace-separated word of `query`, case-insensitively,
    /// in index order. An empty query matches every row.
    pub fn matching(&self, query: &str) -> Vec<u32> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        self.haystacks
            .iter()
            .enumerate()
            .filter(|(_, h)| words.iter().all(|w| h.contains(w.as_str())))
            .map(|(i, _)| i as u32)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> IndexData {
        IndexData::parse(
            r#"{"v":1,"strings":["a1","kselftest.net.tls fails","mainline","master","new",
            "2026-11-20","kselftest.net.tls","b2","ltp.mm.vma05 fails","next","ongoing",
            "ltp.mm.vma05","WARNING in tls_sw_recvmsg"],
            "id":[0,7],"title":[1,8],"status":[4,10],"tree":[2,9],"branch":[3,3],
            "first_seen":[5,5],"last_seen":[5,5],"tests":[[6],[11]],"signature":[12,4294967295],
            "boards":[3,1],"occurrences":[6,1]}"#,
        )
        .unwrap()
    }

    #[test]
    fn empty_query_matches_all() {
        let f = Filter::new(&sample());
        assert_eq!(f.matching(""), vec![0, 1]);
        assert_eq!(f.matching("   "), vec![0, 1]);
    }

    #[test]
    fn words_are_anded_and_case_insensitive() {
        let f = Filter::new(&sample());
        assert_eq!(f.matching("TLS"), vec![0]);
        assert_eq!(f.matching("vma05 next"), vec![1]);
        assert_eq!(f.matching("vma05 mainline"), Vec::<u32>::new());
        assert_eq!(f.matching("tls_sw_recvmsg"), vec![0]);
    }

    #[test]
    fn rejects_inconsistent_columns() {
        let bad = r#"{"v":1,"strings":["x"],"id":[0],"title":[],"status":[0],"tree":[0],
            "branch":[0],"first_seen":[0],"last_seen":[0],"tests":[[]],"signature":[4294967295],
            "boards":[0],"occurrences":[0]}"#;
        assert!(matches!(
            IndexData::parse(bad),
            Err(crate::index::IndexError::Shape(_))
        ));
        let oob = r#"{"v":1,"strings":["x"],"id":[3],"title":[0],"status":[0],"tree":[0],
            "branch":[0],"first_seen":[0],"last_seen":[0],"tests":[[]],"signature":[4294967295],
            "boards":[0],"occurrences":[0]}"#;
        assert!(IndexData::parse(oob).is_err());
        assert!(matches!(
            IndexData::parse(r#"{"v":2}"#),
            Err(crate::index::IndexError::Parse(_))
        ));
    }
}
