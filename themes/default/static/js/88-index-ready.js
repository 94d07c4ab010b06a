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

