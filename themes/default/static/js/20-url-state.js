  /* ---------------------------------------------------------------- view state */
  var FACET_LABELS = {
    status: "Status", flags: "Flags", subsystem: "Subsystem", maintainer: "Maintainer / list",
    tree: "Tree", branch: "Branch", scope: "Scope",
    suite: "Test suite", arch: "Architecture", platform: "Board", config: "Config",
    compiler: "Compiler", lab: "Lab", origin: "Origin", first_seen: "First seen"
  };
  var FACETS = ["status", "flags", "subsystem", "maintainer", "tree", "branch", "scope", "suite",
    "arch", "platform", "config", "compiler", "lab", "origin"];
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

