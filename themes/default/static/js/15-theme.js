  /* ---------------------------------------------------------------- theme */
  function startTheme() {
    var button = document.getElementById("theme-toggle");
    if (!button) { return; }
    var order = ["auto", "light", "dark"];
    function current() {
      var t = document.documentElement.getAttribute("data-theme");
      return t === "light" || t === "dark" ? t : "auto";
    }
    function show() { button.textContent = "Theme: " + current(); }
    button.hidden = false;
    show();
    button.addEventListener("click", function () {
      var next = order[(order.indexOf(current()) + 1) % order.length];
      if (next === "auto") { document.documentElement.removeAttribute("data-theme"); }
      else { document.documentElement.setAttribute("data-theme", next); }
      try {
        if (next === "auto") { localStorage.removeItem("regtrack-theme"); }
        else { localStorage.setItem("regtrack-theme", next); }
      } catch (e) { /* storage unavailable: the choice lasts for this page */ }
      show();
    });
  }

