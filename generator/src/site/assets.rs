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
const APP: &str = include_str!("../../../themes/default/static/app.js");
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
