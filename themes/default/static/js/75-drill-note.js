    /* A maintainer note is HTML rendered by the generator from markdown (raw HTML already
     * escaped). It is parsed into an inert document and rebuilt element by element from a
     * small allow-list, so nothing in it can run or load. */
    function noteView(html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var allowed = { P: 1, EM: 1, STRONG: 1, CODE: 1, PRE: 1, UL: 1, OL: 1, LI: 1, BLOCKQUOTE: 1, A: 1, BR: 1, H1: 1, H2: 1, H3: 1, H4: 1 };
      function copy(node, into) {
        node.childNodes.forEach(function (n) {
          if (n.nodeType === 3) { into.appendChild(document.createTextNode(n.nodeValue)); return; }
          if (n.nodeType !== 1) { return; }
          var tag = n.tagName;
          if (!allowed[tag]) { copy(n, into); return; }
          var e;
          if (tag === "A") {
            var href = n.getAttribute("href") || "";
            e = isWebUrl(href) ? extLink(href, null) : el("span");
          } else {
            e = document.createElement(/^H\d$/.test(tag) ? "h4" : tag.toLowerCase());
          }
          copy(n, e);
          into.appendChild(e);
        });
      }
      var out = el("div", "note");
      copy(doc.body, out);
      return out;
    }

