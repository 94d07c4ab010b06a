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

  /* ---------------------------------------------------------------- chunks */
  var chunks = {};
  var waiters = {};
  var requested = {};

  window.regtrack = {
    register: function (name, data) {
      chunks[name] = data;
      (waiters[name] || []).forEach(function (w) { w.resolve(data); });
      delete waiters[name];
    }
  };

  function root() { return document.body.getAttribute("data-root") || ""; }

  /* Resolves with a chunk's data, inserting its script the first time. */
  function loadChunk(name) {
    return new Promise(function (resolve, reject) {
      if (name in chunks) { resolve(chunks[name]); return; }
      if (!/^[a-z0-9-]+$/.test(name)) { reject(new Error("bad chunk name")); return; }
      (waiters[name] = waiters[name] || []).push({ resolve: resolve, reject: reject });
      if (requested[name]) { return; }
      requested[name] = true;
      var s = document.createElement("script");
      s.src = root() + "data/" + name + ".js";
      s.onerror = function () {
        delete requested[name];
        (waiters[name] || []).forEach(function (w) { w.reject(new Error("cannot load data/" + name + ".js")); });
        delete waiters[name];
      };
      document.body.appendChild(s);
    });
  }

  var parsedCache = {};
  function loadJson(name) {
    if (parsedCache[name]) { return Promise.resolve(parsedCache[name]); }
    return loadChunk(name).then(function (text) {
      parsedCache[name] = JSON.parse(text);
      delete chunks[name];
      return parsedCache[name];
    });
  }

  /* ---------------------------------------------------------------- DOM helpers */
  function el(tag, cls, content) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (content !== undefined && content !== null) { append(e, content); }
    return e;
  }
  function append(parent, content) {
    if (Array.isArray(content)) {
      content.forEach(function (c) { append(parent, c); });
    } else if (content instanceof Node) {
      parent.appendChild(content);
    } else if (content !== undefined && content !== null && content !== "") {
      parent.appendChild(document.createTextNode(String(content)));
    }
    return parent;
  }
  function isWebUrl(u) {
    return typeof u === "string" && /^https?:\/\/[^\s\u0000-\u001f\u007f]+$/i.test(u);
  }
  function isId(s) { return typeof s === "string" && /^[0-9a-f]{16}$/.test(s); }
  function isSlug(s) { return typeof s === "string" && /^[a-z0-9-]+$/.test(s); }
  /* An external link, or plain text when the URL is not http(s). */
  function extLink(url, content) {
    if (!isWebUrl(url)) { return el("span", null, content); }
    var a = el("a", null, content);
    a.setAttribute("href", url);
    a.setAttribute("rel", "noopener noreferrer");
    return a;
  }
  /* A link to another view of this page. */
  function viewLink(s, content, cls) {
    var a = el("a", cls || null, content);
    a.setAttribute("href", "#" + stateHash(s));
    a.addEventListener("click", function (e) {
      if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) { return; }
      e.preventDefault();
      navigate(s, "push");
    });
    return a;
  }
  function dl(pairs) {
    var d = el("dl", "facts");
    pairs.forEach(function (p) {
      if (p[1] === null || p[1] === undefined || p[1] === "") { return; }
      d.appendChild(el("dt", null, p[0]));
      d.appendChild(el("dd", null, p[1]));
    });
    return d;
  }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  var RUNS = { P: "pass", F: "fail", E: "error", M: "miss", D: "done", S: "skip" };
  /* A history strip: one cell per run, oldest first; `titles` (optional) says which run
   * each cell is (status, commit, day). */
  function strip(letters, big, titles) {
    var s = el("span", "strip" + (big ? " strip-big" : ""));
    var words = [];
    for (var i = 0; i < letters.length; i++) {
      var c = letters.charAt(i);
      var word = RUNS[c] || "unknown";
      words.push(word);
      var cell = el("span", "run run-" + word, c);
      cell.setAttribute("title", (titles && titles[i]) || word);
      s.appendChild(cell);
    }
    s.setAttribute("role", "img");
    s.setAttribute("aria-label", "recent runs, oldest first: " + (words.join(", ") || "none"));
    return s;
  }

  /* ---------------------------------------------------------------- theme */
  function startTheme() {
    var button = document.getElementById("theme-toggle");
    if (!button) { return; }
    var order = ["auto", "light", "dark"];
    function current() {
      var t = document.documentElement.getAttribute("data-theme");
      return t === "light" || t === "dark" ? t : "auto";
    }
    function show() { button.textContent = "Theme: " + current(); }
    button.hidden = false;
    show();
    button.addEventListener("click", function () {
      var next = order[(order.indexOf(current()) + 1) % order.length];
      if (next === "auto") { document.documentElement.removeAttribute("data-theme"); }
      else { document.documentElement.setAttribute("data-theme", next); }
      try {
        if (next === "auto") { localStorage.removeItem("regtrack-theme"); }
        else { localStorage.setItem("regtrack-theme", next); }
      } catch (e) { /* storage unavailable: the choice lasts for this page */ }
      show();
    });
  }

  /* ---------------------------------------------------------------- view state */
  var FACET_LABELS = {
    status: "Status", flags: "Flags", tree: "Tree", branch: "Branch", scope: "Scope",
    suite: "Test suite", arch: "Architecture", platform: "Board", config: "Config",
    compiler: "Compiler", lab: "Lab", origin: "Origin", first_seen: "First seen"
  };
  var FACETS = ["status", "flags", "tree", "branch", "scope", "suite", "arch", "platform",
    "config", "compiler", "lab", "origin"];
  var SORTS = ["report", "first_seen-desc", "first_seen-asc", "last_seen-desc", "last_seen-asc",
    "boards-desc", "boards-asc", "occurrences-desc", "occurrences-asc"];
  var DATE = /^\d{4}-\d{2}-\d{2}$/;

  function emptyState() {
    return { q: "", f: {}, from: "", to: "", sort: "report", board: "", r: "", o: "" };
  }
  function copyState(s) {
    var c = emptyState();
    c.q = s.q; c.from = s.from; c.to = s.to; c.sort = s.sort; c.board = s.board; c.r = s.r; c.o = s.o;
    FACETS.forEach(function (k) { if (s.f[k] && s.f[k].length) { c.f[k] = s.f[k].slice(); } });
    return c;
  }
  function parseHash(hash) {
    var p = new URLSearchParams(String(hash || "").replace(/^#/, ""));
    var s = emptyState();
    s.q = p.get("q") || "";
    FACETS.forEach(function (k) {
      var vs = p.getAll(k);
      if (vs.length) {
        var seen = {};
        s.f[k] = vs.filter(function (v) { if (seen["$" + v]) { return false; } seen["$" + v] = 1; return true; }).sort();
      }
    });
    var from = p.get("from") || "", to = p.get("to") || "";
    s.from = DATE.test(from) ? from : "";
    s.to = DATE.test(to) ? to : "";
    var sort = p.get("sort") || "report";
    s.sort = SORTS.indexOf(sort) >= 0 ? sort : "report";
    s.board = p.get("board") || "";
    s.r = p.get("r") || "";
    var o = p.get("o") || "";
    s.o = s.r && /^[0-9a-f]{8}$/.test(o) ? o : "";
    return s;
  }
  /* The canonical hash of a state: the same view always gives the same link. */
  function stateHash(s) {
    var p = new URLSearchParams();
    if (s.q) { p.append("q", s.q); }
    FACETS.forEach(function (k) {
      (s.f[k] || []).slice().sort().forEach(function (v) { p.append(k, v); });
    });
    if (s.from) { p.append("from", s.from); }
    if (s.to) { p.append("to", s.to); }
    if (s.sort && s.sort !== "report") { p.append("sort", s.sort); }
    if (s.board) { p.append("board", s.board); }
    if (s.r) { p.append("r", s.r); }
    if (s.r && s.o) { p.append("o", s.o); }
    return p.toString();
  }
  function filterKey(s) {
    var c = copyState(s);
    c.board = ""; c.r = ""; c.o = "";
    return stateHash(c);
  }
  function hasFilters(s) {
    return !!(s.q || s.from || s.to || FACETS.some(function (k) { return s.f[k] && s.f[k].length; }));
  }

  var state = emptyState();
  var render = function () {};
  var typing = false;

  function navigate(next, mode) {
    if (mode !== "type") { typing = false; }
    var before = stateHash(state);
    state = copyState(next);
    var h = stateHash(state);
    if (h !== before) {
      var url = h ? "#" + h : location.pathname + location.search;
      if (mode === "push" || (mode === "type" && !typing)) { history.pushState(null, "", url); }
      else { history.replaceState(null, "", url); }
    }
    if (mode === "type") { typing = true; }
    render();
  }

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

    /* -- the result list, PAGE rows at a time */
    function renderList() {
      ui.list.textContent = "";
      shown = 0;
      appendRows(PAGE);
      ui.empty.hidden = resultCount !== 0;
    }
    function appendRows(k) {
      var rows = viewer.resultRows(shown, k);
      var frag = document.createDocumentFragment();
      for (var i = 0; i < rows.length; i++) {
        var li = rowCache.get(rows[i]);
        if (!li) {
          if (rowCache.size > 4000) { rowCache.clear(); }
          li = rowElement(JSON.parse(viewer.rowJson(rows[i])));
          rowCache.set(rows[i], li);
        }
        frag.appendChild(li);
      }
      ui.list.appendChild(frag);
      shown += rows.length;
      ui.more.hidden = shown >= resultCount;
      ui.more.textContent = "Show more (" + (resultCount - shown) + " left)";
    }
    function rowElement(r) {
      var li = el("li");
      li.setAttribute("data-id", r.id);
      li.setAttribute("data-row", String(r.row));
      var title = el("a", "title", r.title);
      if (isId(r.id)) {
        title.setAttribute("href", root() + "r/" + r.id + "/index.html");
        title.addEventListener("click", function (e) {
          if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) { return; }
          e.preventDefault();
          openedFrom = r.id;
          var s = copyState(state);
          s.r = r.id; s.o = "";
          navigate(s, "push");
        });
      }
      li.appendChild(title);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "status status-" + (/^[a-z]+$/.test(r.status) ? r.status : "unknown"), r.status));
      r.flags.forEach(function (f) {
        if (f === "known" || f === "flaky") { append(li, [" ", el("span", "badge " + f, f)]); }
      });
      if (r.state) { append(li, [" ", el("span", "badge state", r.state)]); }
      var meta = el("span", "meta");
      if (r.signature) { append(meta, [el("code", "tests", r.tests.join(", ")), " · "]); }
      append(meta, [
        el("span", "tree", (r.tree || "unknown tree") + (r.branch ? "/" + r.branch : "")),
        " · " + plural(r.boards, "board"),
        " · scope " + r.scope + (r.scope_value ? " (" + r.scope_value + ")" : ""),
        " · " + plural(r.occurrences, "occurrence"),
        r.first_seen ? " · first seen " + r.first_seen : "",
        r.last_seen && r.last_seen !== r.first_seen ? " · last seen " + r.last_seen : ""
      ]);
      li.appendChild(meta);
      return li;
    }
    ui.more.addEventListener("click", function () { appendRows(PAGE * 4); });
    if ("IntersectionObserver" in window) {
      new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; }) && !ui.more.hidden && ui.drill.hidden) {
          appendRows(PAGE * 2);
        }
      }, { rootMargin: "600px" }).observe(ui.more);
    }

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

    /* -- the first-seen range: two date fields and the count per day */
    function buildDates(f, fu) {
      var days = f.values.filter(function (v) { return DATE.test(v); });
      var row = el("div", "date-range");
      fu.from = el("input");
      fu.to = el("input");
      [[fu.from, "from"], [fu.to, "to"]].forEach(function (p) {
        var input = p[0];
        input.type = "date";
        if (days.length) { input.min = days[0]; input.max = days[days.length - 1]; }
        input.setAttribute("aria-label", "First seen " + p[1]);
        input.addEventListener("change", function () {
          var s = copyState(state);
          s[p[1]] = DATE.test(input.value) ? input.value : "";
          navigate(s, "push");
        });
        var lab = el("label", null, p[1] + " ");
        lab.appendChild(input);
        row.appendChild(lab);
      });
      fu.box.appendChild(row);
      fu.days = el("ol", "days");
      fu.box.appendChild(fu.days);
      fu.dayItems = {};
    }
    function renderDates(f, fu) {
      if (fu.from.value !== state.from) { fu.from.value = state.from; }
      if (fu.to.value !== state.to) { fu.to.value = state.to; }
      var off = offsets[f.index];
      var max = 1;
      f.values.forEach(function (v, i) { if (counts[off + i] > max) { max = counts[off + i]; } });
      var nodes = [];
      for (var i = f.values.length - 1; i >= 0; i--) {
        var v = f.values[i];
        if (!DATE.test(v)) { continue; }
        var it = fu.dayItems[v];
        if (!it) {
          it = { li: el("li"), button: el("button", "day") };
          it.button.type = "button";
          it.bar = el("span", "bar");
          it.n = el("span", "n");
          append(it.button, [el("span", "d", v), it.bar, it.n]);
          it.button.addEventListener("click", (function (day) {
            return function () {
              var s = copyState(state);
              var only = s.from === day && s.to === day;
              s.from = only ? "" : day;
              s.to = only ? "" : day;
              navigate(s, "push");
            };
          })(v));
          it.li.appendChild(it.button);
          fu.dayItems[v] = it;
        }
        var n = counts[off + i];
        var width = Math.round(100 * n / max);
        var inRange = (!state.from || v >= state.from) && (!state.to || v <= state.to);
        var pressed = (state.from || state.to) && inRange ? "true" : "false";
        if (it.count !== n) {
          it.count = n;
          it.n.textContent = String(n);
          it.button.setAttribute("aria-label", v + ": " + plural(n, "regression"));
        }
        if (it.width !== width) { it.width = width; it.bar.style.width = width + "%"; }
        if (it.pressed !== pressed) { it.pressed = pressed; it.button.setAttribute("aria-pressed", pressed); }
        nodes.push(it.li);
      }
      if (!sameChildren(fu.days, nodes)) { fu.days.replaceChildren.apply(fu.days, nodes); }
    }

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

    /* -- the board panel */
    var boardShown = null;
    function renderBoard() {
      var name = state.board;
      if (!name) { ui.board.hidden = true; boardShown = null; return; }
      if (boardShown === name) { return; }
      boardShown = name;
      ui.board.hidden = false;
      ui.board.replaceChildren(el("p", null, "Loading " + name + "…"));
      loadJson("boards").then(function (boards) {
        if (state.board !== name) { return; }
        var b = null;
        for (var i = 0; i < boards.length; i++) { if (boards[i].name === name) { b = boards[i]; break; } }
        var close = el("button", "close", "Close board");
        close.type = "button";
        close.addEventListener("click", function () {
          var s = copyState(state);
          s.board = "";
          navigate(s, "push");
        });
        var head = el("div", "panel-head", [el("h2", null, ["Board ", el("code", null, name)]), close]);
        var parts = [head];
        if (!b) {
          parts.push(el("p", null, "Nothing is known about this board tonight."));
        } else {
          var links = el("p");
          if (isSlug(b.slug)) {
            var a = el("a", null, "Board page");
            a.setAttribute("href", root() + "boards/" + b.slug + "/index.html");
            append(links, [a, " · "]);
          }
          var onlyBoard = copyState(state);
          onlyBoard.f = { platform: [name] };
          onlyBoard.q = ""; onlyBoard.from = ""; onlyBoard.to = "";
          append(links, [viewLink(onlyBoard, plural(b.regressions, "regression") + " on it"), " · " +
            plural(b.flaky_tests.length, "flaky test")]);
          parts.push(links);
          if (b.suspect) {
            parts.push(el("p", "notice", "Suspect board: " + b.suspect.sporadic_failures +
              " sporadic failures in tests no other board fails (" + b.suspect.sporadic_tests.join(", ") +
              "); " + b.suspect.mass_failure_jobs + " jobs failing many tests at once; " + b.suspect.runs + " runs."));
          }
          if (b.flaky_tests.length) {
            var ul = el("ul", "flaky-list");
            b.flaky_tests.forEach(function (t) {
              var q = copyState(state);
              q.q = t.test;
              ul.appendChild(el("li", null, [viewLink(q, el("code", null, t.test)),
                " (" + (t.tree || "") + "/" + t.branch + "): fails " + Math.round(t.failure_rate * 1000) / 10 +
                "% of " + t.runs + " runs, flaky score " + t.flaky_score.toFixed(2)]));
            });
            parts.push(el("h3", null, "Flaky tests on this board"), ul);
          }
          if (b.lab_outages.length) {
            var lo = el("ul");
            b.lab_outages.forEach(function (o) {
              lo.appendChild(el("li", null, o.lab + " on " + o.day + ": " + o.errors + " ERROR, " + o.misses + " MISS of " + o.runs + " runs"));
            });
            parts.push(el("h3", null, "Lab outages"), lo);
          }
          if (b.always_failing.length) {
            var af = el("ul");
            b.always_failing.forEach(function (a) {
              af.appendChild(el("li", null, [el("code", null, a.test), " (" + (a.tree || "") + "/" + a.branch + ") since " +
                (a.since || "unknown") + ", " + a.runs + " runs"]));
            });
            parts.push(el("h3", null, "Always failing on it"), af);
          }
        }
        ui.board.replaceChildren.apply(ui.board, parts);
      }).catch(function (err) {
        ui.board.replaceChildren(el("p", "viewer-status", "Board data could not be loaded: " + err));
      });
    }

    /* -- drill-down */
    var drillShown = null;
    function renderDrill(focus) {
      if (!state.r) {
        if (!ui.drill.hidden) {
          ui.drill.hidden = true;
          ui.body.hidden = false;
          ui.bar.hidden = false;
          ui.chips.hidden = ui.chips.childNodes.length === 0;
          drillShown = null;
          if (openedFrom) {
            var back = ui.list.querySelector("li[data-id='" + (isId(openedFrom) ? openedFrom : "x") + "'] a.title");
            if (back) { back.focus(); }
          }
        }
        return;
      }
      var key = state.r + "/" + state.o;
      ui.drill.hidden = false;
      ui.body.hidden = true;
      ui.bar.hidden = true;
      ui.chips.hidden = true;
      if (drillShown === key) { return; }
      drillShown = key;
      var row = viewer.find(state.r);
      if (row < 0) {
        ui.drill.replaceChildren(backButton(), el("h2", null, "Unknown regression"),
          el("p", null, ["No regression ", el("code", null, state.r), " in tonight's report."]));
        return;
      }
      var r = JSON.parse(viewer.rowJson(row));
      ui.drill.replaceChildren(backButton(), el("h2", null, r.title), el("p", null, "Loading details…"));
      var name = "detail-" + Math.floor(row / chunkSize);
      loadJson(name).then(function (chunk) {
        if (drillShown !== key) { return; }
        var i = row - chunk.first;
        if (i < 0 || i >= chunk.id.length || chunk.strings[chunk.id[i]] !== r.id) {
          throw new Error("detail chunk does not match the index");
        }
        ui.drill.replaceChildren.apply(ui.drill, drill(r, chunk, i));
        if (focus) {
          var h = ui.drill.querySelector(state.o ? "#occurrence-heading" : "h2");
          if (h) { h.setAttribute("tabindex", "-1"); h.focus(); }
        }
      }).catch(function (err) {
        ui.drill.replaceChildren(backButton(), el("p", "viewer-status", "Details could not be loaded: " + err));
        console.error(err);
      });
    }
    function backButton() {
      var b = el("button", "back", "← All regressions");
      b.type = "button";
      b.setAttribute("aria-keyshortcuts", "Escape");
      b.addEventListener("click", closeDrill);
      return b;
    }
    function closeDrill() {
      var s = copyState(state);
      s.r = ""; s.o = "";
      navigate(s, "push");
    }

    function drill(r, c, i) {
      var S = function (k) { return (k && c.strings[k]) || ""; };
      function commitView(cm) {
        if (!cm) { return null; }
        var shown = S(cm[1]) || S(cm[0]) || "unknown";
        var code = el("code", null, shown);
        if (S(cm[0]) && S(cm[1])) { code.setAttribute("title", S(cm[0])); }
        return S(cm[3]) ? extLink(S(cm[3]), code) : code;
      }
      var out = [backButton()];
      var h = el("h2", null, r.title);
      append(h, [" ", el("span", "status status-" + (/^[a-z]+$/.test(r.status) ? r.status : "unknown"), r.status)]);
      if (r.state) { append(h, [" ", el("span", "badge state", r.state)]); }
      r.flags.forEach(function (f) {
        if (f === "known" || f === "flaky") { append(h, [" ", el("span", "badge " + f, f)]); }
      });
      out.push(h);

      var permalink = new URL(root() + "r/" + r.id + "/", location.href).href;
      var link = el("a", null, el("code", "permalink", permalink));
      link.setAttribute("href", root() + "r/" + r.id + "/index.html");
      var copy = el("button", "copy", "Copy link");
      copy.type = "button";
      copy.addEventListener("click", function () { copyText(permalink, link, copy); });
      var repo = S(c.repo[i]);
      var tree = [(r.tree || "unknown") + (r.branch ? " / " + r.branch : "")];
      if (repo) { tree.push(" (", S(c.repo_link[i]) ? extLink(S(c.repo_link[i]), repo) : repo, ")"); }
      var testLinks = el("ul", "tests");
      r.tests.forEach(function (t) {
        var s = emptyState();
        s.q = t;
        testLinks.appendChild(el("li", null, viewLink(s, el("code", null, t))));
      });
      var known = c.known[i];
      var fixed = c.fixed_first_pass[i];
      out.push(dl([
        ["Permalink", [link, " ", copy]],
        ["Signature", r.signature ? el("code", "signature", r.signature) : null],
        ["Tree", tree],
        ["Introduced", el("span", "window", ["last pass ", commitView(c.last_pass[i]), " .. first fail ", commitView(c.first_fail[i])])],
        ["Fixed", fixed ? el("span", "window", ["last fail ", commitView(c.fixed_last_fail[i]), " .. first pass ", commitView(fixed)]) : null],
        ["Not run", c.explained_misses[i] ? c.explained_misses[i] + " tests did not run (MISS) after this boot failure: they are part of this problem." : null],
        ["Scope", r.scope + (r.scope_value ? ": " + r.scope_value : "")],
        ["First seen", r.first_seen || "unknown"],
        ["Last seen", r.last_seen || "unknown"],
        ["Tests", testLinks],
        ["Known issue", known ? extLink(S(known[2]), S(known[1]) || S(known[0])) : null]
      ]));

      var a = c.annotation[i];
      if (a) {
        var dup = S(a[1]);
        var dupView = null;
        if (dup) {
          if (isId(dup)) {
            var ds = emptyState();
            ds.r = dup;
            dupView = [" (duplicate of ", viewLink(ds, el("code", null, dup)), ")"];
          } else {
            dupView = [" (duplicate of ", el("code", null, dup), ")"];
          }
        }
        var sec = el("section", "annotation", el("h3", null, "Maintainer notes"));
        sec.appendChild(dl([
          ["State", S(a[0]) ? [S(a[0]), dupView] : null],
          ["Report", S(a[2]) ? extLink(S(a[2]), S(a[2])) : null],
          ["Fix", S(a[3]) ? extLink(S(a[3]), S(a[3])) : null],
          ["Culprit", S(a[4]) ? (S(a[5]) ? extLink(S(a[5]), el("code", null, S(a[4]))) : el("code", null, S(a[4]))) : null]
        ]));
        if (S(a[6])) { sec.appendChild(noteView(S(a[6]))); }
        out.push(sec);
      }

      var issues = c.issues[i];
      if (issues.length) {
        var ul = el("ul", "kcidb-issues");
        issues.forEach(function (it) {
          var title = S(it[2]) || S(it[3]) || S(it[0]);
          ul.appendChild(el("li", null, [S(it[4]) ? extLink(S(it[4]), title) : title, " ",
            el("span", "meta", S(it[0]) + (it[1] !== null ? " v" + it[1] : "") + " · seen in " + plural(it[5], "failing run") +
              (it[6].length ? " · " + it[6].map(S).join(", ") : ""))]));
        });
        out.push(el("section", "kcidb-issues", [el("h3", null, "KCIDB issues"), ul]));
      }

      var first = c.occ_start[i], last = c.occ_start[i + 1];
      if (state.o) {
        var found = -1;
        for (var k = first; k < last; k++) { if (c.o_key[k] === state.o) { found = k; break; } }
        if (found >= 0) { out.push(occurrenceView(r, c, found, S)); }
        else { out.push(el("p", "notice", "That environment is not part of this regression tonight.")); }
      }
      out.push(matrix(r, c, first, last, S));

      var ex = c.excerpts[i];
      if (ex.length) {
        var xs = el("section", "excerpts", el("h3", null, "Log excerpts"));
        ex.forEach(function (x, n) {
          var o = first + x[0];
          var d = el("details", "excerpt");
          if (n === 0) { d.open = true; }
          var sum = el("summary", null, [S(c.o_platform[o]), " · ", el("code", null, S(c.o_test[o]))]);
          if (S(c.o_log[o])) { append(sum, [" · ", extLink(S(c.o_log[o]), "full log")]); }
          d.appendChild(sum);
          d.appendChild(el("pre", null, S(x[1])));
          xs.appendChild(d);
        });
        out.push(xs);
      }
      return out;
    }

    /* Boards down, config/compiler across: each cell is the environment's recent runs. */
    function matrix(r, c, first, last, S) {
      var boards = {}, envs = {}, cells = {};
      var boardList = [], envList = [];
      for (var o = first; o < last; o++) {
        var b = S(c.o_platform[o]);
        var env = S(c.o_config[o]) + " / " + S(c.o_compiler[o]);
        if (!(("$" + b) in boards)) { boards["$" + b] = S(c.o_arch[o]); boardList.push(b); }
        if (!(("$" + env) in envs)) { envs["$" + env] = true; envList.push(env); }
        var k = "$" + b + "\u0000" + env;
        (cells[k] = cells[k] || []).push(o);
      }
      boardList.sort();
      envList.sort();
      var table = el("table", "matrix");
      var head = el("tr", null, el("th", null, "Board"));
      envList.forEach(function (e) { var th = el("th", null, e); th.setAttribute("scope", "col"); head.appendChild(th); });
      table.appendChild(el("thead", null, head));
      var body = el("tbody");
      var multiTest = r.tests.length > 1;
      boardList.forEach(function (b) {
        var tr = el("tr");
        var bs = copyState(state);
        bs.r = ""; bs.o = ""; bs.board = b; bs.f = { platform: [b] }; bs.q = ""; bs.from = ""; bs.to = "";
        var th = el("th", null, [viewLink(bs, b), el("span", "meta", " " + boards["$" + b])]);
        th.setAttribute("scope", "row");
        tr.appendChild(th);
        envList.forEach(function (e) {
          var td = el("td");
          (cells["$" + b + "\u0000" + e] || []).forEach(function (o) {
            var os = copyState(state);
            os.o = c.o_key[o];
            var prefix = multiTest ? [el("code", "cell-test", S(c.o_test[o])), " "] : [];
            var a = viewLink(os, prefix.concat([strip(S(c.o_recent[o]))]), "cell");
            a.setAttribute("title", S(c.o_test[o]) + " on " + b + " (" + e + "): latest " + S(c.o_latest[o]) + "; open its history");
            td.appendChild(a);
          });
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
      table.appendChild(body);
      var n = last - first;
      return el("section", "environments", [
        el("h3", null, "Where it fails (" + plural(n, "environment") + ", " + plural(boardList.length, "board") + ")"),
        el("p", "meta", "Each cell: recent runs, oldest first (P pass, F fail, E error, M miss, S skip, D done). Open a cell for that test's history on that board."),
        el("div", "table-wrap", table)
      ]);
    }

    /* The recent runs, newest first: status, commit and day (per-run logs are on the
     * permalink page). */
    function runList(titles) {
      var ol = el("ol", "runs");
      ol.setAttribute("aria-label", "recent runs, newest first");
      for (var i = titles.length - 1; i >= 0; i--) {
        ol.appendChild(el("li", null, titles[i]));
      }
      return ol;
    }

    /* One test on one board: its history, commits and log. */
    function occurrenceView(r, c, o, S) {
      var sec = el("section", "occurrence");
      var board = S(c.o_platform[o]);
      var test = S(c.o_test[o]);
      var h = el("h3", null, ["History of ", el("code", null, test), " on ", board]);
      h.id = "occurrence-heading";
      sec.appendChild(h);
      var titles = (c.o_run_title ? c.o_run_title[o] : []).map(S);
      sec.appendChild(strip(S(c.o_recent[o]), true, titles));
      sec.appendChild(runList(titles));
      var same = emptyState();
      same.q = test;
      same.f = { platform: [board] };
      var bs = emptyState();
      bs.board = board;
      bs.f = { platform: [board] };
      var closeOcc = copyState(state);
      closeOcc.o = "";
      sec.appendChild(dl([
        ["Environment", (S(c.o_arch[o]) + " · " + S(c.o_config[o]) + " · " + S(c.o_compiler[o]) + (S(c.o_lab[o]) ? " · " + S(c.o_lab[o]) : ""))],
        ["Latest run", S(c.o_latest[o])],
        ["Flaky score", (c.o_flaky[o] / 1000).toFixed(2)],
        ["Last pass", S(c.o_last_pass[o]) ? (S(c.o_last_pass_link[o]) ? extLink(S(c.o_last_pass_link[o]), el("code", null, S(c.o_last_pass[o]))) : el("code", null, S(c.o_last_pass[o]))) : "unknown"],
        ["First fail", S(c.o_first_fail[o]) ? (S(c.o_first_fail_link[o]) ? extLink(S(c.o_first_fail_link[o]), el("code", null, S(c.o_first_fail[o]))) : el("code", null, S(c.o_first_fail[o]))) : "unknown"],
        ["Signature", S(c.o_signature[o]) ? el("code", null, S(c.o_signature[o])) : null],
        ["Log", S(c.o_log[o]) ? extLink(S(c.o_log[o]), "first failing run's log") : null],
        ["More", [viewLink(same, "every regression of this test on this board"), " · ", viewLink(bs, "the board"), " · ", viewLink(closeOcc, "close")]]
      ]));
      return sec;
    }

    /* A maintainer note is HTML rendered by the generator from markdown (raw HTML already
     * escaped). It is parsed into an inert document and rebuilt element by element from a
     * small allow-list, so nothing in it can run or load. */
    function noteView(html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var allowed = { P: 1, EM: 1, STRONG: 1, CODE: 1, PRE: 1, UL: 1, OL: 1, LI: 1, BLOCKQUOTE: 1, A: 1, BR: 1, H1: 1, H2: 1, H3: 1, H4: 1 };
      function copy(node, into) {
        node.childNodes.forEach(function (n) {
          if (n.nodeType === 3) { into.appendChild(document.createTextNode(n.nodeValue)); return; }
          if (n.nodeType !== 1) { return; }
          var tag = n.tagName;
          if (!allowed[tag]) { copy(n, into); return; }
          var e;
          if (tag === "A") {
            var href = n.getAttribute("href") || "";
            e = isWebUrl(href) ? extLink(href, null) : el("span");
          } else {
            e = document.createElement(/^H\d$/.test(tag) ? "h4" : tag.toLowerCase());
          }
          copy(n, e);
          into.appendChild(e);
        });
      }
      var out = el("div", "note");
      copy(doc.body, out);
      return out;
    }

    function copyText(text, fallbackNode, button) {
      var done = function () { button.textContent = "Copied"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { selectText(fallbackNode); });
      } else {
        selectText(fallbackNode);
        button.textContent = "Selected: press Ctrl+C";
      }
    }

    /* -- one render for any state change */
    render = function (focus) {
      applyFilters();
      renderBoard();
      renderDrill(focus !== false);
    };

    /* -- events */
    ui.input.addEventListener("input", function () {
      var s = copyState(state);
      s.q = ui.input.value;
      s.r = ""; s.o = "";
      navigate(s, "type");
    });
    ui.input.addEventListener("blur", function () { typing = false; });
    ui.sort.addEventListener("change", function () {
      var s = copyState(state);
      s.sort = ui.sort.value;
      navigate(s, "push");
    });
    ui.clear.addEventListener("click", function () {
      var s = emptyState();
      s.sort = state.sort;
      navigate(s, "push");
      ui.input.focus();
    });
    function fromLocation() {
      typing = false;
      /* "#main" and the like are in-page anchors (the skip link), not views. */
      if (location.hash.length > 1 && location.hash.indexOf("=") < 0) { return; }
      var next = parseHash(location.hash);
      if (stateHash(next) === stateHash(state)) { return; }
      state = next;
      render(false);
    }
    window.addEventListener("popstate", fromLocation);
    window.addEventListener("hashchange", fromLocation);
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      var inField = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
      if (e.key === "/" && !inField && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        if (state.r) { closeDrill(); }
        ui.input.focus();
        ui.input.select();
      } else if (e.key === "Escape") {
        if (state.r) {
          e.preventDefault();
          if (state.o) {
            var s = copyState(state);
            s.o = "";
            navigate(s, "push");
          } else {
            closeDrill();
          }
        } else if (t === ui.input && ui.input.value) {
          e.preventDefault();
          var q = copyState(state);
          q.q = "";
          navigate(q, "push");
        } else if (state.board && !inField) {
          var b = copyState(state);
          b.board = "";
          navigate(b, "push");
        }
      }
    });

    var skip = document.getElementById("skip-filters");
    if (skip) {
      skip.addEventListener("click", function () {
        var first = ui.list.querySelector("a.title");
        if (first) { first.focus(); } else { ui.input.focus(); }
      });
    }
    buildFacets();
    state = location.hash.indexOf("=") >= 0 ? parseHash(location.hash) : emptyState();
    render(false);
    document.body.setAttribute("data-viewer", "ready");

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

  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  /* ---------------------------------------------------------------- permalink pages */
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
  }

  function start() {
    startTheme();
    var page = document.body.getAttribute("data-page");
    if (page === "index") { startIndex(); return; }
    if (page === "regression") { startRegression(); }
    document.body.setAttribute("data-viewer", "ready");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
