    function copyText(text, fallbackNode, button) {
      var done = function () { button.textContent = "Copied"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { selectText(fallbackNode); });
      } else {
        selectText(fallbackNode);
        button.textContent = "Selected: press Ctrl+C";
      }
    }

