/* Inlined at the top of every page's <head> by coursebook/extension.py, before any theme script.
   Browsers may block web storage, for example in a frame from another site (an LMS iframe) or in
   some private modes; then every read throws. The theme reads it without a guard, which would
   stop its scripts, so a page-lifetime stand-in takes its place and the course says so. */
(function () {
  function works(name) {
    try {
      var store = window[name];
      store.setItem("smx-probe", "1");
      store.removeItem("smx-probe");
      return true;
    } catch (_err) {
      return false;
    }
  }
  function memory() {
    var data = {};
    return {
      getItem: function (k) {
        return Object.prototype.hasOwnProperty.call(data, k) ? data[k] : null;
      },
      setItem: function (k, v) {
        data[String(k)] = String(v);
      },
      removeItem: function (k) {
        delete data[k];
      },
      clear: function () {
        data = {};
      },
      key: function (i) {
        return Object.keys(data)[i] || null;
      },
      get length() {
        return Object.keys(data).length;
      },
    };
  }
  ["localStorage", "sessionStorage"].forEach(function (name) {
    if (works(name)) return;
    try {
      Object.defineProperty(window, name, { value: memory(), configurable: true });
      if (name === "localStorage") {
        document.documentElement.setAttribute("data-smx-storage", "memory");
      }
    } catch (_err) {
      /* cannot replace it: the course's own scripts guard every access anyway */
    }
  });
})();
