    /* -- events */
    ui.input.addEventListener("input", function () {
      var s = copyState(state);
      s.q = ui.input.value;
      s.r = ""; s.o = "";
      navigate(s, "type");
    });
    ui.input.addEventListener("blur", function () { typing = false; });
    ui.sort.addEventListener("change", function () {
      var s = copyState(state);
      s.sort = ui.sort.value;
      navigate(s, "push");
    });
    ui.clear.addEventListener("click", function () {
      var s = emptyState();
      s.sort = state.sort;
      navigate(s, "push");
      ui.input.focus();
    });
