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

      out.push.apply(out, routing(r, c, i, S));

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

    /* Whose it is (subsystems, maintainers, lists), its suspect commits and the lines to
     * report it with; all text, links only to subsystem pages (slugs) and http(s) URLs. */
    function routing(r, c, i, S) {
      var out = [];
      var subs = r.subsystem || [], people = r.maintainer || [];
      var slugs = (c.subsystem_slug && c.subsystem_slug[i]) || [];
      if (subs.length) {
        var su = el("ul", "subsystems");
        subs.forEach(function (name, k) {
          var slug = S(slugs[k]);
          var fs = emptyState();
          fs.f.subsystem = [name];
          var page = null;
          if (isSlug(slug)) {
            page = el("a", null, "page");
            page.setAttribute("href", root() + "s/" + slug + "/index.html");
          }
          su.appendChild(el("li", null, [name, " ", el("span", "meta", [viewLink(fs, "filter"), page ? [" · ", page] : null])]));
        });
        var cu = el("ul", "contacts");
        people.forEach(function (p) { cu.appendChild(el("li", null, p)); });
        out.push(el("section", "routing", [el("h3", null, "Whose it is"),
          dl([["Subsystems", su], ["Maintainers, reviewers, lists", people.length ? cu : null]])]));
      }
      var sus = (c.suspects && c.suspects[i]) || [];
      var note = c.suspect_note ? S(c.suspect_note[i]) : "";
      if (sus.length || note) {
        var sec = el("section", "suspects", el("h3", null, "Suspect commits"));
        if (note) { sec.appendChild(el("p", null, note)); }
        if (sus.length) {
          var ol = el("ol", "suspects");
          sus.forEach(function (x) {
            var code = el("code", null, S(x[0]));
            ol.appendChild(el("li", null, [S(x[4]) ? extLink(S(x[4]), code) : code, " ", S(x[1]), " ",
              el("span", "meta", [S(x[2]), " · ", S(x[3]), S(x[5]) ? " · " + S(x[5]) : ""])]));
          });
          sec.appendChild(ol);
        }
        out.push(sec);
      }
      var rz = c.regzbot ? S(c.regzbot[i]) : "";
      if (rz) {
        out.push(el("section", "report-it", [el("h3", null, "Report it"),
          el("pre", "command", rz + "\n" + S(c.bisect[i]))]));
      }
      return out;
    }
