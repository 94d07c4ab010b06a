  /* ---------------------------------------------------------------- DOM helpers */
  function el(tag, cls, content) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (content !== undefined && content !== null) { append(e, content); }
    return e;
  }
  function append(parent, content) {
    if (Array.isArray(content)) {
      content.forEach(function (c) { append(parent, c); });
    } else if (content instanceof Node) {
      parent.appendChild(content);
    } else if (content !== undefined && content !== null && content !== "") {
      parent.appendChild(document.createTextNode(String(content)));
    }
    return parent;
  }
  function isWebUrl(u) {
    return typeof u === "string" && /^https?:\/\/[^\s\u0000-\u001f\u007f]+$/i.test(u);
  }
  function isId(s) { return typeof s === "string" && /^[0-9a-f]{16}$/.test(s); }
  function isSlug(s) { return typeof s === "string" && /^[a-z0-9-]+$/.test(s); }
  /* An external link, or plain text when the URL is not http(s). */
  function extLink(url, content) {
    if (!isWebUrl(url)) { return el("span", null, content); }
    var a = el("a", null, content);
    a.setAttribute("href", url);
    a.setAttribute("rel", "noopener noreferrer");
    return a;
  }
  /* A link to another view of this page. */
  function viewLink(s, content, cls) {
    var a = el("a", cls || null, content);
    a.setAttribute("href", "#" + stateHash(s));
    a.addEventListener("click", function (e) {
      if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) { return; }
      e.preventDefault();
      navigate(s, "push");
    });
    return a;
  }
  function dl(pairs) {
    var d = el("dl", "facts");
    pairs.forEach(function (p) {
      if (p[1] === null || p[1] === undefined || p[1] === "") { return; }
      d.appendChild(el("dt", null, p[0]));
      d.appendChild(el("dd", null, p[1]));
    });
    return d;
  }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  var RUNS = { P: "pass", F: "fail", E: "error", M: "miss", D: "done", S: "skip" };
  /* A history strip: one cell per run, oldest first; `titles` (optional) says which run
   * each cell is (status, commit, day). */
  function strip(letters, big, titles) {
    var s = el("span", "strip" + (big ? " strip-big" : ""));
    var words = [];
    for (var i = 0; i < letters.length; i++) {
      var c = letters.charAt(i);
      var word = RUNS[c] || "unknown";
      words.push(word);
      var cell = el("span", "run run-" + word, c);
      cell.setAttribute("title", (titles && titles[i]) || word);
      s.appendChild(cell);
    }
    s.setAttribute("role", "img");
    s.setAttribute("aria-label", "recent runs, oldest first: " + (words.join(", ") || "none"));
    return s;
  }

