//! The static files every site carries: stylesheet, JavaScript shell and the viewer.
//!
//! The wasm module is shipped base64-encoded inside a classic `.js` file: browsers refuse to
//! `fetch` a sibling `.wasm` from `file://`, but run any `<script src>`.

use base64::Engine;

/// The viewer's wasm-bindgen glue (a classic script defining the global `wasm_bindgen`),
/// built from `wasm-viewer/` by `build.rs` and embedded here.
pub const VIEWER_GLUE_JS: &str =
    include_str!(concat!(env!("OUT_DIR"), "/viewer/regtrack_viewer.js"));
/// The viewer's WebAssembly module.
pub const VIEWER_WASM: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/viewer/regtrack_viewer_bg.wasm"));

const STYLE: &str = include_str!("../../../themes/default/static/regtrack.css");
/// The JavaScript shell: `themes/default/static/js/*.js` joined in name order by `build.rs`.
const APP: &str = include_str!(concat!(env!("OUT_DIR"), "/app.js"));
const FAVICON: &str = include_str!("../../../themes/default/static/favicon.svg");

/// `(file name under assets/, contents)` for every asset.
pub fn files() -> Vec<(&'static str, Vec<u8>)> {
    let wasm_b64 = base64::engine::general_purpose::STANDARD.encode(VIEWER_WASM);
    let wasm_js = format!(
        "/* regtrack viewer module (WebAssembly, base64). Generated; do not edit. */\n\
         window.regtrackWasm = \"{wasm_b64}\";\n"
    );
    vec![
        ("regtrack.css", STYLE.as_bytes().to_vec()),
        ("app.js", APP.as_bytes().to_vec()),
        ("favicon.svg", FAVICON.as_bytes().to_vec()),
        ("viewer-glue.js", VIEWER_GLUE_JS.as_bytes().to_vec()),
        ("viewer-wasm.js", wasm_js.into_bytes()),
    ]
}

#[cfg(test)]
mod tests {
    use super::APP;
    use std::path::PathBuf;

    /// The shell's parts as they are in the source tree, in join order.
    fn parts() -> Vec<(String, String)> {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../themes/default/static/js");
        let mut parts: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "js"))
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read_to_string(&p).unwrap())
            })
            .collect();
        parts.sort();
        parts
    }

    /// The parts are consecutive slices of one closure, cut at line ends: joined, they are
    /// exactly the embedded script, which opens and closes the IIFE (so they share its scope
    /// and nothing leaks into the page's globals).
    #[test]
    fn shell_is_its_parts_joined_in_order() {
        let parts = parts();
        assert!(parts.len() > 1, "the shell has parts");
        for (name, text) in &parts {
            let (nn, rest) = name.split_at(2);
            assert!(
                nn.bytes().all(|b| b.is_ascii_digit())
                    && rest.starts_with('-')
                    && rest.len() > "-.js".len()
                    && rest
                        .trim_end_matches(".js")
                        .bytes()
                        .all(|b| b == b'-' || b.is_ascii_lowercase() || b.is_ascii_digit()),
                "{name}: parts are named NN-name.js"
            );
            assert!(!text.trim().is_empty(), "{name} is empty");
            assert!(text.ends_with('\n'), "{name} does not end at a line end");
        }
        // Part by part, so a failure names the first part that differs.
        let mut at = 0;
        for (name, text) in &parts {
            assert!(
                APP[at..].starts_with(text.as_str()),
                "the embedded app.js does not have {name} at byte {at}"
            );
            at += text.len();
        }
        assert_eq!(at, APP.len(), "the embedded app.js has more than its parts");

        let first = &parts[0].1;
        let last = &parts[parts.len() - 1].1;
        assert!(
            first.starts_with("/*"),
            "the first part opens with the shell's header"
        );
        assert!(
            first.contains("\n(function () {\n  \"use strict\";\n"),
            "the first part opens the IIFE"
        );
        assert!(last.ends_with("\n})();\n"), "the last part closes the IIFE");
        assert_eq!(
            APP.matches("\n(function () {\n").count(),
            1,
            "one IIFE opens"
        );
        assert_eq!(APP.matches("\n})();").count(), 1, "one IIFE closes");
    }
}
