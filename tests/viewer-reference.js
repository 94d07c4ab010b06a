/* The viewer's filter and facet counts in plain JavaScript: the benchmark's reference.
 *
 * Shipped only with the benchmark (generator/benches/viewer.rs), never with a site. Same data
 * (the site's data/index.js, decoded here), same semantics as the wasm engine
 * (wasm-viewer/src/engine.rs and text.rs):
 *  - text: every whitespace-separated word, lowercased, is a substring of the lowercased
 *    title, signature, a test path, a subsystem, maintainer or list, or a prefix of the id;
 *  - facets: OR within a facet, AND across facets; a multi-valued facet matches when any value
 *    is selected; first_seen is a YYYY-MM-DD range (unknown dates excluded while active);
 *  - counts: for each facet, per value, the rows matching every OTHER active filter;
 *  - order: the report's, or a stable sort by first/last seen, boards or occurrences.
 *
 * The index's column table (names, stream order) is not typed here: it comes from the format
 * crate (regtrack_viewer_format::index::columns_script), loaded before this file as
 * window.regtrackIndexFormat, and the data's format version must be that table's.
 *
 * Written the way a careful JavaScript implementation would be: columns in typed arrays, one
 * lowercased haystack per row prepared at load, and a single pass over the rows per update
 * that tests each filter once and counts each facet under the other filters (a row failing
 * exactly one facet counts for that facet only). No indexes beyond that, no caches between
 * updates.
 */
(function () {
  "use strict";

  /* The engine's facets, in its order (each is the index column of the same name). */
  var FACETS = ["status", "flags", "subsystem", "maintainer", "tree", "branch", "scope", "suite",
    "arch", "platform", "config", "compiler", "lab", "origin", "first_seen"];

  /* The column table, checked against the data. */
  function format(index) {
    var f = window.regtrackIndexFormat;
    if (!f) { throw new Error("the index column table (window.regtrackIndexFormat) is not loaded"); }
    if (index.v !== f.version) {
      throw new Error("index data has format version " + index.v + ", the column table is for " + f.version);
    }
    return f;
  }

  /* Splits the concatenated string table by UTF-8 byte lengths. */
  function splitStrings(text, lengths) {
    var out = new Array(lengths.length);
    var pos = 0;
    for (var i = 0; i < lengths.length; i++) {
      var bytes = lengths[i];
      var start = pos;
      while (bytes > 0) {
        var c = text.charCodeAt(pos);
        if (c < 0x80) { bytes -= 1; pos += 1; }
        else if (c < 0x800) { bytes -= 2; pos += 1; }
        else if (c >= 0xd800 && c <= 0xdbff) { bytes -= 4; pos += 2; }
        else { bytes -= 3; pos += 1; }
      }
      out[i] = text.slice(start, pos);
    }
    return out;
  }

  function Reference(index) {
    var F = format(index);
    var bin = atob(index.columns);
    var bytes = new Uint8Array(bin.length);
    for (var b = 0; b < bin.length; b++) { bytes[b] = bin.charCodeAt(b); }
    var pos = 0;
    function next() {
      var v = 0, shift = 0, x;
      do { x = bytes[pos++]; v += (x & 0x7f) * Math.pow(2, shift); shift += 7; } while (x & 0x80);
      return v;
    }
    var n = index.rows;
    var lengths = new Uint32Array(index.strings);
    for (var s = 0; s < index.strings; s++) { lengths[s] = next(); }
    var strings = splitStrings(index.text, lengths);
    var cols = {};
    F.scalars.forEach(function (name) {
      var c = new Uint32Array(n);
      for (var r = 0; r < n; r++) { c[r] = next(); }
      cols[name] = c;
    });
    var lists = {};
    F.lists.forEach(function (name) {
      var start = new Uint32Array(n + 1);
      var values = [];
      for (var r = 0; r < n; r++) {
        var k = next();
        for (var j = 0; j < k; j++) { values.push(next()); }
        start[r + 1] = values.length;
      }
      lists[name] = { start: start, values: Uint32Array.from(values) };
    });
    this.n = n;
    this.strings = strings;
    this.cols = cols;
    this.lists = lists;

    /* Facets: values sorted by text (as the engine numbers them), row -> value numbers. */
    var self = this;
    this.facets = FACETS.map(function (name) {
      var seen = new Map();
      var raw = [];
      var rowStart = new Uint32Array(n + 1);
      for (var r = 0; r < n; r++) {
        var vs;
        if (name in cols) { vs = [cols[name][r]]; }
        else {
          var l = lists[name];
          vs = Array.from(new Set(l.values.subarray(l.start[r], l.start[r + 1])));
        }
        vs.forEach(function (sid) {
          if (!seen.has(sid)) { seen.set(sid, seen.size); }
          raw.push(seen.get(sid));
        });
        rowStart[r + 1] = raw.length;
      }
      var sids = Array.from(seen.keys());
      var order = sids.map(function (_, i) { return i; });
      order.sort(function (a, b) {
        var x = strings[sids[a]], y = strings[sids[b]];
        return x < y ? -1 : x > y ? 1 : 0;
      });
      var renumber = new Uint32Array(sids.length);
      order.forEach(function (old, i) { renumber[old] = i; });
      var rowVals = new Uint32Array(raw.length);
      for (var i = 0; i < raw.length; i++) { rowVals[i] = renumber[raw[i]]; }
      return {
        name: name,
        values: order.map(function (o) { return strings[sids[o]]; }),
        rowStart: rowStart,
        rowVals: rowVals
      };
    });
    /* One lowercased haystack per row: title, signature, tests, subsystems, maintainers and
     * lists; and the lowercased id. */
    this.hay = new Array(n);
    this.ids = new Array(n);
    for (var r = 0; r < n; r++) {
      var h = strings[cols.title[r]].toLowerCase() + "\n" + strings[cols.signature[r]].toLowerCase();
      ["tests", "subsystem", "maintainer"].forEach(function (name) {
        var t = lists[name];
        for (var j = t.start[r]; j < t.start[r + 1]; j++) { h += "\n" + strings[t.values[j]].toLowerCase(); }
      });
      self.hay[r] = h;
      self.ids[r] = strings[cols.id[r]].toLowerCase();
    }
    this.perms = {};
  }

  /* state: {q, f: {facet: [values]}, from, to, sort}. Returns the number of results, the
   * counts (facets concatenated, engine order) and the first `show` rows' ids. */
  Reference.prototype.apply = function (state, show) {
    var n = this.n, facets = this.facets;
    var words = String(state.q || "").split(/\s+/).filter(Boolean).map(function (w) { return w.toLowerCase(); });
    var nf = facets.length;
    var active = [];
    var selected = facets.map(function (f, fi) {
      var sel = new Uint8Array(f.values.length);
      var on = false;
      if (f.name === "first_seen") {
        if (state.from || state.to) {
          on = true;
          f.values.forEach(function (v, i) {
            if (v && (!state.from || v >= state.from) && (!state.to || v <= state.to)) { sel[i] = 1; }
          });
        }
      } else {
        var want = (state.f && state.f[f.name]) || [];
        if (want.length) {
          on = true;
          f.values.forEach(function (v, i) { if (want.indexOf(v) >= 0) { sel[i] = 1; } });
        }
      }
      if (on) { active.push(fi); }
      return sel;
    });
    var counts = facets.map(function (f) { return new Uint32Array(f.values.length); });
    var rows = [];
    var hay = this.hay, ids = this.ids;
    for (var r = 0; r < n; r++) {
      if (words.length) {
        var ok = true;
        for (var w = 0; w < words.length; w++) {
          if (hay[r].indexOf(words[w]) < 0 && ids[r].indexOf(words[w]) !== 0) { ok = false; break; }
        }
        if (!ok) { continue; }
      }
      var failed = -1, fails = 0;
      for (var a = 0; a < active.length && fails < 2; a++) {
        var f = facets[active[a]], sel = selected[active[a]];
        var hit = false;
        for (var j = f.rowStart[r]; j < f.rowStart[r + 1]; j++) { if (sel[f.rowVals[j]]) { hit = true; break; } }
        if (!hit) { fails++; failed = active[a]; }
      }
      if (fails === 0) {
        rows.push(r);
        for (var fi = 0; fi < nf; fi++) {
          var fc = facets[fi], c = counts[fi];
          for (var k = fc.rowStart[r]; k < fc.rowStart[r + 1]; k++) { c[fc.rowVals[k]]++; }
        }
      } else if (fails === 1) {
        var ff = facets[failed], cc = counts[failed];
        for (var m = ff.rowStart[r]; m < ff.rowStart[r + 1]; m++) { cc[ff.rowVals[m]]++; }
      }
    }
    var sort = String(state.sort || "report").split("-");
    if (sort[0] !== "report") {
      var perm = this.perm(sort[0], sort[1] === "desc");
      var keep = new Uint8Array(n);
      rows.forEach(function (x) { keep[x] = 1; });
      rows = [];
      for (var p = 0; p < n; p++) { if (keep[perm[p]]) { rows.push(perm[p]); } }
    }
    var flat = [];
    counts.forEach(function (c) { for (var i = 0; i < c.length; i++) { flat.push(c[i]); } });
    var strings = this.strings, id = this.cols.id;
    return {
      total: rows.length,
      counts: flat,
      ids: rows.slice(0, show === undefined ? rows.length : show).map(function (x) { return strings[id[x]]; })
    };
  };

  /* Stable order by a column, computed once per key. */
  Reference.prototype.perm = function (key, desc) {
    var name = key + (desc ? "-desc" : "-asc");
    if (this.perms[name]) { return this.perms[name]; }
    var col = this.cols[key], strings = this.strings;
    var isDate = key === "first_seen" || key === "last_seen";
    var keys = new Array(this.n);
    for (var r = 0; r < this.n; r++) { keys[r] = isDate ? strings[col[r]] : col[r]; }
    var perm = [];
    for (var i = 0; i < this.n; i++) { perm.push(i); }
    perm.sort(function (a, b) {
      var x = keys[a], y = keys[b];
      var c = x < y ? -1 : x > y ? 1 : 0;
      if (desc) { c = -c; }
      return c || a - b;
    });
    this.perms[name] = perm;
    return perm;
  };

  /* Loads the site's data/index.js again (the viewer drops its copy once decoded) and builds
   * the reference from it. */
  window.regtrackReference = {
    load: function (root) {
      return new Promise(function (resolve, reject) {
        var original = window.regtrack.register;
        window.regtrack.register = function (name, data) {
          if (name !== "index") { return original(name, data); }
          window.regtrack.register = original;
          var t0 = performance.now();
          var ref = new Reference(data);
          resolve({ ref: ref, ms: performance.now() - t0 });
        };
        var s = document.createElement("script");
        s.src = (root || "") + "data/index.js";
        s.onerror = function () { window.regtrack.register = original; reject(new Error("cannot load index")); };
        document.body.appendChild(s);
      });
    },
    Reference: Reference
  };
})();
