    /* -- the first-seen range: two date fields and the count per day */
    function buildDates(f, fu) {
      var days = f.values.filter(function (v) { return DATE.test(v); });
      var row = el("div", "date-range");
      fu.from = el("input");
      fu.to = el("input");
      [[fu.from, "from"], [fu.to, "to"]].forEach(function (p) {
        var input = p[0];
        input.type = "date";
        if (days.length) { input.min = days[0]; input.max = days[days.length - 1]; }
        input.setAttribute("aria-label", "First seen " + p[1]);
        input.addEventListener("change", function () {
          var s = copyState(state);
          s[p[1]] = DATE.test(input.value) ? input.value : "";
          navigate(s, "push");
        });
        var lab = el("label", null, p[1] + " ");
        lab.appendChild(input);
        row.appendChild(lab);
      });
      fu.box.appendChild(row);
      fu.days = el("ol", "days");
      fu.box.appendChild(fu.days);
      fu.dayItems = {};
    }
    function renderDates(f, fu) {
      if (fu.from.value !== state.from) { fu.from.value = state.from; }
      if (fu.to.value !== state.to) { fu.to.value = state.to; }
      var off = offsets[f.index];
      var max = 1;
      f.values.forEach(function (v, i) { if (counts[off + i] > max) { max = counts[off + i]; } });
      var nodes = [];
      for (var i = f.values.length - 1; i >= 0; i--) {
        var v = f.values[i];
        if (!DATE.test(v)) { continue; }
        var it = fu.dayItems[v];
        if (!it) {
          it = { li: el("li"), button: el("button", "day") };
          it.button.type = "button";
          it.bar = el("span", "bar");
          it.n = el("span", "n");
          append(it.button, [el("span", "d", v), it.bar, it.n]);
          it.button.addEventListener("click", (function (day) {
            return function () {
              var s = copyState(state);
              var only = s.from === day && s.to === day;
              s.from = only ? "" : day;
              s.to = only ? "" : day;
              navigate(s, "push");
            };
          })(v));
          it.li.appendChild(it.button);
          fu.dayItems[v] = it;
        }
        var n = counts[off + i];
        var width = Math.round(100 * n / max);
        var inRange = (!state.from || v >= state.from) && (!state.to || v <= state.to);
        var pressed = (state.from || state.to) && inRange ? "true" : "false";
        if (it.count !== n) {
          it.count = n;
          it.n.textContent = String(n);
          it.button.setAttribute("aria-label", v + ": " + plural(n, "regression"));
        }
        if (it.width !== width) { it.width = width; it.bar.style.width = width + "%"; }
        if (it.pressed !== pressed) { it.pressed = pressed; it.button.setAttribute("aria-pressed", pressed); }
        nodes.push(it.li);
      }
      if (!sameChildren(fu.days, nodes)) { fu.days.replaceChildren.apply(fu.days, nodes); }
    }

