// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Submit the language switcher as soon as a language is picked.
  document.querySelectorAll("form.lang select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
