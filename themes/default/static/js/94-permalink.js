  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  /* ---------------------------------------------------------------- permalink pages */
  /* "Copy report": the mail-ready report shown on the page (the same text as report.txt). */
  function startCopyReport() {
    var button = document.getElementById("copy-report");
    var text = document.getElementById("report-text");
    if (!button || !text) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () { button.textContent = "Copied"; };
      /* Shown, so what is copied (or selected, where the clipboard is refused) can be seen. */
      var details = text.closest("details");
      if (details) { details.open = true; }
      selectText(text);
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text.textContent).then(done, function () {});
      } else {
        try { if (document.execCommand("copy")) { done(); } } catch (e) {}
      }
    });
  }

  function startRegression() {
    startCopyReport();
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

