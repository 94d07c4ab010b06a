    /* For tests and the benchmark: read-only views of what is shown, and a way to go to a
     * view synchronously (as a click would). */
    window.regtrackView = {
      readyAt: performance.now(),
      paintedAt: 0,
      startedAt: started,
      hash: function () { return stateHash(state); },
      ids: function () { return viewer.resultIds().split("\n").filter(Boolean); },
      total: function () { return resultCount; },
      counts: function () {
        var out = {};
        facets.forEach(function (f) {
          var m = {};
          f.values.forEach(function (v, i) { m[v] = counts[offsets[f.index] + i]; });
          out[f.name] = m;
        });
        return out;
      },
      go: function (hash) { navigate(parseHash(hash), "push"); },
      type: function (q) { var s = copyState(state); s.q = q; s.r = ""; s.o = ""; navigate(s, "type"); },
      viewer: viewer
    };
    /* The first frame with the list on screen. */
    requestAnimationFrame(function () {
      setTimeout(function () { window.regtrackView.paintedAt = performance.now(); }, 0);
    });
  }

