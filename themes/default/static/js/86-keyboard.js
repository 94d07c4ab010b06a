    document.addEventListener("keydown", function (e) {
      var t = e.target;
      var inField = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
      if (e.key === "/" && !inField && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        if (state.r) { closeDrill(); }
        ui.input.focus();
        ui.input.select();
      } else if (e.key === "Escape") {
        if (state.r) {
          e.preventDefault();
          if (state.o) {
            var s = copyState(state);
            s.o = "";
            navigate(s, "push");
          } else {
            closeDrill();
          }
        } else if (t === ui.input && ui.input.value) {
          e.preventDefault();
          var q = copyState(state);
          q.q = "";
          navigate(q, "push");
        } else if (state.board && !inField) {
          var b = copyState(state);
          b.board = "";
          navigate(b, "push");
        }
      }
    });

