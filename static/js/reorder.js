// Progressive enhancement for the ↑/↓ buttons of ordered lists (gallery, brochures, products).
// Without this file each button posts its form and the page reloads at the same list; with it, the move is
// posted in the background and the row changes place without a reload. Any failure falls back to the form.
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) { return; }

  function refreshButtons(list) {
    var items = list.querySelectorAll(":scope > [data-move-item]");
    items.forEach(function (item, index) {
      var up = item.querySelector("form[data-move=up] button");
      var down = item.querySelector("form[data-move=down] button");
      if (up) { up.disabled = index === 0; }
      if (down) { down.disabled = index === items.length - 1; }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-move]")) { return; }
    var item = form.closest("[data-move-item]");
    var list = item && item.closest("[data-move-list]");
    if (!list) { return; }
    event.preventDefault();
    var direction = form.getAttribute("data-move");
    var button = form.querySelector("button");
    if (button) { button.disabled = true; }
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin"
    }).then(function (response) {
      if (response.status !== 204) { form.submit(); return; }
      var sibling = direction === "up" ? item.previousElementSibling : item.nextElementSibling;
      if (sibling) {
        if (direction === "up") { list.insertBefore(item, sibling); } else { list.insertBefore(sibling, item); }
      }
      refreshButtons(list);
      var again = item.querySelector("form[data-move=" + direction + "] button");
      var focusTarget = again && !again.disabled ? again : item.querySelector("form[data-move] button:not([disabled])");
      if (focusTarget) { focusTarget.focus(); }
    }).catch(function () { form.submit(); });
  });
})();
