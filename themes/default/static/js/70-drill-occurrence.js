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

