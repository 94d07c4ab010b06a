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
        r.subsystem && r.subsystem.length ? [" · ", el("span", "subsystem", r.subsystem[0] +
          (r.subsystem.length > 1 ? " +" + (r.subsystem.length - 1) : ""))] : "",
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

