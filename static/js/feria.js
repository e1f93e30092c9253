// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Ask before leaving a form that has unsaved changes (booth builder, catalogue).
  document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); }
    });
  });
})();
