    /* -- one render for any state change */
    render = function (focus) {
      applyFilters();
      renderBoard();
      renderDrill(focus !== false);
    };

