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

