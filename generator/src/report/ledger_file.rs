//! The ledger's file: its entries sealed with a SHA-256 checksum, so a ledger that was cut
//! short or damaged is never mistaken for a smaller one (which would silently forget
//! published ids).
//!
//! The file stays plain, pretty-printed JSON (it is also `api/v1/ledger.json`):
//! `{"version": 1, "checksum": "sha256:<hex>", "entries": {...}}`, where the checksum is taken
//! over the exact bytes of the `entries` value as they stand in the file. A ledger without a
//! `checksum` (written by an older regtrack, or edited by hand with the line removed) is read
//! unchecked. This module knows bytes, not entries, so the ledger can use it without a cycle.

use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The whole file for `version` and the pretty-printed `entries` (as `serde_json` writes them
/// at the top level): entries indented to their place, checksum over those bytes.
pub fn seal(version: u32, entries_pretty: &str) -> Vec<u8> {
    let indented = entries_pretty.replace('\n', "\n  ");
    let mut out = format!(
        "{{\n  \"version\": {version},\n  \"checksum\": \"sha256:{}\",\n  \"entries\": {indented}\n}}\n",
        sha256(indented.as_bytes())
    );
    out.shrink_to_fit();
    out.into_bytes()
}

#[derive(Deserialize)]
struct Sealed<'a> {
    version: u32,
    #[serde(default)]
    checksum: Option<String>,
    #[serde(borrow)]
    entries: &'a RawValue,
}

/// Checks a ledger file's text: its version and the raw text of its entries, once the
/// checksum (if any) matches. The error says what is wrong (and where, for bad JSON).
pub fn open(text: &str) -> Result<(u32, &str), String> {
    let sealed: Sealed = serde_json::from_str(text).map_err(|e| {
        if e.is_eof() {
            format!(
                "it ends early, at line {} column {}: truncated",
                e.line(),
                e.column()
            )
        } else {
            format!("{e}")
        }
    })?;
    if let Some(written) = &sealed.checksum {
        let actual = format!("sha256:{}", sha256(sealed.entries.get().as_bytes()));
        if *written != actual {
            return Err(format!(
                "its checksum does not match its entries (written {written}, entries hash to {actual}): damaged or edited"
            ));
        }
    }
    Ok((sealed.version, sealed.entries.get()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_file_opens_and_any_change_is_caught() {
        let entries = serde_json::to_string_pretty(&serde_json::json!({"a": {"id": "a"}})).unwrap();
        let file = String::from_utf8(seal(1, &entries)).unwrap();
        let v: serde_json::Value = serde_json::from_str(&file).unwrap();
        assert_eq!(v["entries"]["a"]["id"], "a");
        let (version, raw) = open(&file).unwrap();
        assert_eq!(version, 1);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(raw).unwrap(),
            v["entries"]
        );
        let edited = file.replace("\"id\": \"a\"", "\"id\": \"b\"");
        assert!(
            open(&edited)
                .unwrap_err()
                .contains("checksum does not match")
        );
        let cut = &file[..file.len() / 2];
        assert!(
            open(cut).unwrap_err().contains("truncated"),
            "{:?}",
            open(cut)
        );
        // Unsealed (older) ledgers are read as they are.
        assert!(open("{\"version\": 1, \"entries\": {}}").is_ok());
    }
}
