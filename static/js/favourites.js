// Save / remove favourites without leaving the page. Without this file the same forms post and redirect back.
(function () {
  "use strict";
  document.querySelectorAll("form[data-favourite]").forEach(function (form) {
    var button = form.querySelector("button[type=submit]");
    var label = button.querySelector(".visually-hidden");
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.FormData) { return; }
      event.preventDefault();
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (data) {
        form.action = data.saved ? form.dataset.removeUrl : form.dataset.addUrl;
        button.textContent = data.saved ? form.dataset.labelRemove : form.dataset.labelAdd;
        if (label) { button.appendChild(label); }
        button.setAttribute("aria-pressed", data.saved ? "true" : "false");
        var status = form.querySelector("[role=status]");
        if (!status) {
          status = document.createElement("span");
          status.setAttribute("role", "status");
          status.className = "visually-hidden";
          form.appendChild(status);
        }
        status.textContent = data.message;
      }).catch(function () {
        // Fall back to the plain form post, which shows the server's answer.
        form.submit();
      }).then(function () {
        button.disabled = false;
      });
    });
  });
})();
