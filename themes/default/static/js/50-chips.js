    /* -- active filters as removable chips */
    function renderChips() {
      var nodes = [];
      function chip(text, without) {
        var b = el("button", "chip", [text, el("span", "x", " ×")]);
        b.type = "button";
        b.setAttribute("aria-label", "Remove filter " + text);
        b.addEventListener("click", function () { navigate(without(copyState(state)), "push"); });
        nodes.push(b);
      }
      if (state.q) { chip("text: " + state.q, function (s) { s.q = ""; return s; }); }
      FACETS.forEach(function (k) {
        (state.f[k] || []).forEach(function (v) {
          chip(FACET_LABELS[k] + ": " + label(k, v), function (s) {
            s.f[k] = (s.f[k] || []).filter(function (x) { return x !== v; });
            return s;
          });
        });
      });
      if (state.from || state.to) {
        chip("first seen: " + (state.from || "…") + " to " + (state.to || "…"), function (s) { s.from = ""; s.to = ""; return s; });
      }
      ui.chips.replaceChildren.apply(ui.chips, nodes);
      ui.chips.hidden = nodes.length === 0;
    }

