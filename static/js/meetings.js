// Meetings: a time picker where a slot is chosen ([data-slot-picker]: the times as buttons grouped by day in
// the viewer's zone, filling the form's own radio or select), and meeting lists that refresh when a meeting
// card arrives on the chat socket ([data-meeting-live]; chat.js fires "feria:meeting"). Without this script
// the plain form and the page as served work the same.
(function () {
  "use strict";
  var lang = document.documentElement.lang || undefined;

  function format(zone, options) {
    try { return new Intl.DateTimeFormat(lang, Object.assign({ timeZone: zone }, options)); } catch (e) {
      return new Intl.DateTimeFormat(lang, options); // an unknown zone: the browser's own
    }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function picker(box) {
    var options = box.querySelector("[data-slot-options]");
    var inputs = options && options.querySelectorAll("[data-start]");
    if (!inputs || !inputs.length) { return; }
    var zone = box.getAttribute("data-zone") || undefined;
    var dayKey = format(zone, { year: "numeric", month: "2-digit", day: "2-digit" });
    var dayName = format(zone, { weekday: "short", day: "numeric", month: "short" });
    var clock = format(zone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    var select = options.querySelector("select");
    var days = {}, order = [], buttons = [];

    function pick(input, button) {
      if (select) { select.value = input.value; } else { input.checked = true; }
      (select || input).dispatchEvent(new Event("change", { bubbles: true }));
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
    }

    Array.prototype.forEach.call(inputs, function (input) {
      var start = new Date(input.getAttribute("data-start"));
      var end = new Date(input.getAttribute("data-end"));
      var key = dayKey.formatToParts(start).filter(function (p) { return p.type !== "literal"; })
        .map(function (p) { return p.value; }).join("-");
      if (!days[key]) {
        days[key] = el("section", "slot-picker-day");
        days[key].setAttribute("data-day", key);
        days[key].appendChild(el("h3", "slot-picker-day-name", dayName.format(start)));
        days[key].appendChild(el("div", "slot-picker-times"));
        order.push(key);
      }
      var button = el("button", "button button-secondary slot-time", clock.format(start) + "–" + clock.format(end));
      button.type = "button";
      button.setAttribute("data-value", input.value);
      if (input.getAttribute("data-note")) { button.title = input.getAttribute("data-note"); }
      button.setAttribute("aria-pressed", String(select ? select.value === input.value : input.checked));
      button.addEventListener("click", function () { pick(input, button); });
      buttons.push(button);
      days[key].lastChild.appendChild(button);
    });

    var panel = el("div", "slot-picker");
    if (order.length > 1) {
      var filter = el("div", "slot-picker-filter");
      filter.setAttribute("role", "group");
      filter.setAttribute("aria-label", box.getAttribute("data-days-label") || "");
      var showDay = function (key, chosen) {
        order.forEach(function (k) { days[k].hidden = key !== "" && k !== key; });
        Array.prototype.forEach.call(filter.children, function (b) {
          b.setAttribute("aria-pressed", String(b === chosen));
        });
      };
      [""].concat(order).forEach(function (key) {
        var text = key ? days[key].firstChild.textContent : box.getAttribute("data-all-days") || "*";
        var button = el("button", "button button-secondary slot-picker-day-filter", text);
        button.type = "button";
        button.setAttribute("data-day", key);
        button.setAttribute("aria-pressed", String(key === ""));
        button.addEventListener("click", function () { showDay(key, button); });
        filter.appendChild(button);
      });
      panel.appendChild(filter);
    }
    order.forEach(function (key) { panel.appendChild(days[key]); });
    options.hidden = true;
    options.parentNode.insertBefore(panel, options);
    box.setAttribute("data-slot-picker-ready", "");
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-slot-picker]"), picker);

  // Live lists: the server renders the list again (?fragment=lists) when a meeting card says something
  // changed, or after the socket reconnects (a card may have been missed meanwhile).
  var live = document.querySelector("[data-meeting-live]");
  if (!live || !window.fetch) { return; }
  var timer = null, connected = false;
  function refresh() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch(live.getAttribute("data-meeting-live"), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null) { return; }
          live.innerHTML = html;
          live.setAttribute("data-meeting-live-version", String(Number(live.getAttribute("data-meeting-live-version") || 0) + 1));
        })
        .catch(function () {}); // offline: the next card or reconnect tries again
    }, 250); // several cards at once (a proposal declines one request and makes another): one fetch
  }
  document.addEventListener("feria:meeting", refresh);
  document.addEventListener("feria:chat-ready", function () {
    if (connected) { refresh(); }
    connected = true;
  });
})();
