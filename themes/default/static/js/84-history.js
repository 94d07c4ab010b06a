    function fromLocation() {
      typing = false;
      /* "#main" and the like are in-page anchors (the skip link), not views. */
      if (location.hash.length > 1 && location.hash.indexOf("=") < 0) { return; }
      var next = parseHash(location.hash);
      if (stateHash(next) === stateHash(state)) { return; }
      state = next;
      render(false);
    }
    window.addEventListener("popstate", fromLocation);
    window.addEventListener("hashchange", fromLocation);
