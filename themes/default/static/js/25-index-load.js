  /* ---------------------------------------------------------------- the index page */
  function startIndex() {
    var ui = {
      viewer: document.getElementById("viewer"),
      staticList: document.getElementById("static-list"),
      input: document.getElementById("filter-text"),
      sort: document.getElementById("sort"),
      clear: document.getElementById("clear-all"),
      count: document.getElementById("filter-count"),
      chips: document.getElementById("active-filters"),
      body: document.getElementById("viewer-body"),
      facetsWrap: document.getElementById("facets-wrap"),
      facets: document.getElementById("facets"),
      list: document.getElementById("viewer-list"),
      empty: document.getElementById("list-empty"),
      more: document.getElementById("show-more"),
      board: document.getElementById("board-panel"),
      drill: document.getElementById("drill"),
      bar: document.getElementById("viewer-bar")
    };
    if (!ui.viewer || !ui.input) { return; }
    if (!("index" in chunks)) {
      showStatus("The interactive viewer's data (data/index.js) did not load; the list below is complete.");
      return;
    }
    var started = performance.now();
    var wasm = null;
    loadChunk("index").then(function (index) {
      var bin = atob(window.regtrackWasm);
      var bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
      return wasm_bindgen({ module_or_path: bytes }).then(function () {
        wasm = wasm_bindgen;
        var v = new wasm.Viewer(index.v, index.rows, index.strings, index.chunk, index.text, index.columns);
        delete chunks.index;
        return v;
      });
    }).then(function (viewer) {
      runIndex(ui, viewer, started);
    }).catch(function (err) {
      showStatus("The interactive viewer could not start (" + err + "); the list below is complete.");
      console.error(err);
    });
  }

  function showStatus(message) {
    var e = document.getElementById("viewer-status");
    if (e) { e.textContent = message; e.hidden = false; }
  }

