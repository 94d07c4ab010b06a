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

