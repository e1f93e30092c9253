// While a data export is being prepared, reload the privacy page every few seconds to show its progress.
// Without JavaScript the page has a "Refresh" link that does the same.
(function () {
  "use strict";
  if (!document.querySelector("[data-export-pending]")) {
    return;
  }
  window.setTimeout(function () {
    window.location.reload();
  }, 4000);
})();
