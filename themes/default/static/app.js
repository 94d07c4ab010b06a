/* regtrack viewer shell: loads the wasm viewer and wires it to the page.
 *
 * Classic script on purpose (ES modules, fetch and workers from URLs fail on file://). Data
 * chunks are classic scripts too; they call regtrack.register(name, json). This shell never
 * builds HTML from data: it only toggles elements the generator rendered, and writes text.
 */
(function () {
  "use strict";

  var chunks = {};
  var waiters = {};

  /* Data chunks call this as they load. */
  window.regtrack = {
    register: function (name, json) {
      chunks[name] = json;
      (waiters[name] || []).forEach(function (fn) { fn(json); });
      delete waiters[name];
    }
  };

  function whenChunk(name, fn) {
    if (name in chunks) { fn(chunks[name]); return; }
    (waiters[name] = waiters[name] || []).push(fn);
  }

  var viewerReady = null;
  /* Instantiates the wasm module once, from the base64 bytes viewer-wasm.js carries. */
  function loadViewer() {
    if (!viewerReady) {
      var bin = atob(window.regtrackWasm);
      var bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
      viewerReady = wasm_bindgen({ module_or_path: bytes }).then(function () { return wasm_bindgen; });
    }
    return viewerReady;
  }

  function showStatus(message) {
    var el = document.getElementById("viewer-status");
    if (el) { el.textContent = message; el.hidden = false; }
  }

  /* The filter text lives in the URL hash (#q=...), so a filtered view is a link. */
  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    return params.get("q") || "";
  }
  function writeHash(q) {
    var params = new URLSearchParams();
    if (q) { params.set("q", q); }
    var hash = params.toString();
    history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
  }

  function startIndex() {
    var list = document.getElementById("regressions");
    var controls = document.getElementById("viewer-controls");
    var input = document.getElementById("filter-text");
    var count = document.getElementById("filter-count");
    if (!controls || !input) { return; }
    whenChunk("index", function (json) {
      loadViewer().then(function (wb) {
        var viewer = new wb.Viewer(json);
        var rows = list ? list.children : [];
        var total = viewer.len();
        function apply() {
          var q = input.value;
          var hits = viewer.query(q);
          var keep = new Uint8Array(total);
          for (var i = 0; i < hits.length; i++) { keep[hits[i]] = 1; }
          for (var r = 0; r < rows.length; r++) {
            var row = rows[r];
            row.hidden = !keep[Number(row.getAttribute("data-row"))];
          }
          count.textContent = hits.length + " of " + total;
          writeHash(q);
        }
        input.value = readHash();
        input.addEventListener("input", apply);
        window.addEventListener("hashchange", function () {
          if (readHash() !== input.value) { input.value = readHash(); apply(); }
        });
        controls.hidden = false;
        apply();
        document.body.setAttribute("data-viewer", "ready");
      }).catch(function (err) {
        showStatus("The interactive viewer could not start: " + err);
        console.error(err);
      });
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "/" && document.activeElement !== input) {
        e.preventDefault();
        input.focus();
      }
    });
  }

  function startRegression() {
    var button = document.getElementById("copy-permalink");
    var code = document.getElementById("permalink");
    if (!button || !code) { return; }
    /* The page's own address is the permalink; the text shows it relative to the site. */
    var link = location.href.replace(/#.*$/, "").replace(/index\.html$/, "");
    if (!/^file:/.test(link)) { code.textContent = link; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () { button.textContent = "Copied"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(link).then(done, function () { selectText(code); });
      } else {
        selectText(code);
      }
    });
    document.body.setAttribute("data-viewer", "ready");
  }

  function selectText(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  var page = document.body.getAttribute("data-page");
  if (page === "index") { startIndex(); }
  if (page === "regression") { startRegression(); }
})();
