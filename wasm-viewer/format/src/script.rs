//! The envelope every data file shares: a classic script calling `regtrack.register(name,
//! data)`, which the shell (`themes/default/static/js/`, joined into `assets/app.js`) defines before loading any.

use crate::json;

/// `regtrack.register("<name>", "<json>");` plus a newline: the data travels as one JSON
/// string literal, which the shell hands to `JSON.parse` (faster to load than the same data as
/// a JavaScript object literal, and never executed as code).
pub(crate) fn register_json(name: &str, json_text: &str) -> String {
    let mut out = String::with_capacity(json_text.len() + json_text.len() / 8 + 40);
    out.push_str("regtrack.register(");
    json::string(&mut out, name);
    out.push_str(", ");
    json::string(&mut out, json_text);
    out.push_str(");\n");
    out
}
