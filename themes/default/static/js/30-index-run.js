  function runIndex(ui, viewer, started) {
    var total = viewer.len();
    var chunkSize = viewer.chunk();
    var facets = JSON.parse(viewer.facetsJson());
    var offsets = [];
    var at = 0;
    facets.forEach(function (f) { offsets.push(at); at += f.values.length; });
    var byName = {};
    facets.forEach(function (f, i) { f.index = i; byName[f.name] = f; });
    var counts = null;
    var resultCount = total;
    var shown = 0;
    var PAGE = 40;
    /* Rows never change: an element once built is reused whenever its row shows again. */
    var rowCache = new Map();
    var appliedKey = null;
    var facetUi = {};
    var openedFrom = null;

    ui.staticList.hidden = true;
    ui.viewer.hidden = false;
    if (window.matchMedia && window.matchMedia("(max-width: 50rem)").matches) {
      ui.facetsWrap.open = false;
    }

    /* -- filters into the engine */
    function applyFilters() {
      var key = filterKey(state);
      if (key === appliedKey) { return; }
      appliedKey = key;
      viewer.setQuery(state.q);
      FACETS.forEach(function (k) { viewer.setFacet(k, state.f[k] || []); });
      viewer.setRange(state.from, state.to);
      var sort = state.sort.split("-");
      viewer.setSort(sort[0], sort[1] === "desc");
      resultCount = viewer.update();
      counts = viewer.counts();
      renderList();
      renderFacets();
      renderChips();
      ui.count.textContent = resultCount + " of " + total;
      if (ui.input.value !== state.q) { ui.input.value = state.q; }
      if (ui.sort.value !== state.sort) { ui.sort.value = state.sort; }
      ui.clear.disabled = !hasFilters(state);
    }

