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
