  /* ---------------------------------------------------------------- chunks */
  var chunks = {};
  var waiters = {};
  var requested = {};

  window.regtrack = {
    register: function (name, data) {
      chunks[name] = data;
      (waiters[name] || []).forEach(function (w) { w.resolve(data); });
      delete waiters[name];
    }
  };

  function root() { return document.body.getAttribute("data-root") || ""; }

  /* Resolves with a chunk's data, inserting its script the first time. */
  function loadChunk(name) {
    return new Promise(function (resolve, reject) {
      if (name in chunks) { resolve(chunks[name]); return; }
      if (!/^[a-z0-9-]+$/.test(name)) { reject(new Error("bad chunk name")); return; }
      (waiters[name] = waiters[name] || []).push({ resolve: resolve, reject: reject });
      if (requested[name]) { return; }
      requested[name] = true;
      var s = document.createElement("script");
      s.src = root() + "data/" + name + ".js";
      s.onerror = function () {
        delete requested[name];
        (waiters[name] || []).forEach(function (w) { w.reject(new Error("cannot load data/" + name + ".js")); });
        delete waiters[name];
      };
      document.body.appendChild(s);
    });
  }

  var parsedCache = {};
  function loadJson(name) {
    if (parsedCache[name]) { return Promise.resolve(parsedCache[name]); }
    return loadChunk(name).then(function (text) {
      parsedCache[name] = JSON.parse(text);
      delete chunks[name];
      return parsedCache[name];
    });
  }

