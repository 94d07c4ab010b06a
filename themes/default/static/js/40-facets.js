    /* -- facets */
    var TOP = 8;
    function label(name, v) {
      if (v === "") { return name === "first_seen" ? "(unknown)" : "(none)"; }
      return v;
    }
    function buildFacets() {
      facets.forEach(function (f) {
        if (f.values.length === 0) { return; }
        var box = el("fieldset", "facet");
        box.setAttribute("data-facet", f.name);
        box.appendChild(el("legend", null, FACET_LABELS[f.name] || f.name));
        var fu = { box: box, items: [], expanded: false, search: "", list: null };
        facetUi[f.name] = fu;
        if (f.name === "first_seen") {
          buildDates(f, fu);
        } else {
          fu.list = el("ul", "facet-values");
          box.appendChild(fu.list);
          if (f.values.length > TOP) {
            fu.filter = el("input", "facet-filter");
            fu.filter.type = "search";
            fu.filter.placeholder = "Find a value";
            fu.filter.setAttribute("aria-label", "Find a " + (FACET_LABELS[f.name] || f.name).toLowerCase());
            fu.filter.hidden = true;
            fu.filter.addEventListener("input", function () { fu.search = fu.filter.value.toLowerCase(); renderFacet(f); });
            box.insertBefore(fu.filter, fu.list);
            fu.toggle = el("button", "facet-toggle");
            fu.toggle.type = "button";
            fu.toggle.addEventListener("click", function () {
              fu.expanded = !fu.expanded;
              fu.filter.hidden = !fu.expanded || f.values.length <= 20;
              renderFacet(f);
              if (fu.expanded && !fu.filter.hidden) { fu.filter.focus(); }
            });
            box.appendChild(fu.toggle);
          }
        }
        ui.facets.appendChild(box);
      });
    }
    function item(f, fu, i) {
      if (fu.items[i]) { return fu.items[i]; }
      var li = el("li");
      var lab = el("label");
      var box = el("input");
      box.type = "checkbox";
      box.addEventListener("change", function () {
        var s = copyState(state);
        var vs = (s.f[f.name] || []).filter(function (x) { return x !== f.values[i]; });
        if (box.checked) { vs.push(f.values[i]); }
        s.f[f.name] = vs.sort();
        navigate(s, "push");
      });
      var n = el("span", "n");
      lab.appendChild(box);
      lab.appendChild(el("span", "v", label(f.name, f.values[i])));
      lab.appendChild(n);
      li.appendChild(lab);
      li.setAttribute("data-value", f.values[i]);
      fu.items[i] = { li: li, box: box, n: n, lower: f.values[i].toLowerCase() };
      return fu.items[i];
    }
    var STATUS_ORDER = ["new", "ongoing", "reopened", "fixed"];
    function renderFacet(f) {
      var fu = facetUi[f.name];
      if (!fu) { return; }
      if (f.name === "first_seen") { renderDates(f, fu); return; }
      var c = counts, off = offsets[f.index];
      var selected = {};
      (state.f[f.name] || []).forEach(function (v) { selected["$" + v] = true; });
      var order = f.values.map(function (_, i) { return i; });
      if (f.name === "status") {
        order.sort(function (a, b) { return rank(f.values[a]) - rank(f.values[b]); });
      } else {
        order.sort(function (a, b) {
          return (c[off + b] - c[off + a]) || (f.totals[b] - f.totals[a]) || (a - b);
        });
      }
      var visible = [];
      order.forEach(function (i, pos) {
        var sel = !!selected["$" + f.values[i]];
        var show;
        if (fu.expanded) {
          show = !fu.search || f.values[i].toLowerCase().indexOf(fu.search) >= 0 || sel;
        } else {
          show = sel || (pos < TOP && (c[off + i] > 0 || f.values.length <= TOP));
        }
        if (show) { visible.push(i); }
      });
      var nodes = visible.map(function (i) {
        var it = item(f, fu, i);
        var checked = !!selected["$" + f.values[i]];
        if (it.box.checked !== checked) { it.box.checked = checked; }
        var n = c[off + i];
        if (it.count !== n) {
          it.count = n;
          it.n.textContent = String(n);
        }
        var cls = n === 0 && !checked ? "zero" : "";
        if (it.li.className !== cls) { it.li.className = cls; }
        return it.li;
      });
      if (!sameChildren(fu.list, nodes)) { fu.list.replaceChildren.apply(fu.list, nodes); }
      if (fu.toggle) {
        fu.toggle.textContent = fu.expanded ? "Show fewer" : "Show all " + f.values.length;
        fu.toggle.setAttribute("aria-expanded", fu.expanded ? "true" : "false");
      }
    }
    function rank(v) { var i = STATUS_ORDER.indexOf(v); return i < 0 ? 99 : i; }
    function sameChildren(parent, nodes) {
      var kids = parent.children;
      if (kids.length !== nodes.length) { return false; }
      for (var i = 0; i < nodes.length; i++) { if (kids[i] !== nodes[i]) { return false; } }
      return true;
    }
    function renderFacets() { facets.forEach(renderFacet); }

