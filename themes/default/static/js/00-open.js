/* regtrack viewer shell: loads the wasm viewer and wires it to the page.
 *
 * Classic script on purpose (ES modules, fetch and workers from URLs fail on file://). Data
 * chunks are classic scripts too; they call regtrack.register(name, data).
 *
 * Safety: everything in the data is untrusted text. This shell builds the DOM with
 * createElement and textContent only (never innerHTML or similar), sets attributes from
 * fixed values or checked ones, and links only http(s) URLs and site paths built from
 * regression ids (16 hex digits) or board slugs ([a-z0-9-]).
 *
 * Views live in the URL hash (URLSearchParams): q (text), one key per facet value (status,
 * flags, tree, branch, scope, suite, arch, platform, config, compiler, lab), from/to (first
 * seen), sort, board (board panel), r (open regression), o (one environment of it).
 * Deliberate navigation pushes a history entry; typing replaces it after the first keystroke.
 */
(function () {
  "use strict";

