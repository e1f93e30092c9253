// Time zones: sign-up proposes the browser's zone (a hidden field; without this file the server guesses it
// from the country of the browser's language), and the settings' long zone list gets a filter box
// (without this file the list still works, and typing on it jumps to a zone).
(function () {
  "use strict";
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (error) { zone = ""; }
  document.querySelectorAll("input[data-browser-zone]").forEach(function (input) {
    if (zone && !input.value) { input.value = zone; }
  });

  document.querySelectorAll("select[data-zone-filter]").forEach(function (select) {
    var filter = document.createElement("input");
    filter.type = "search";
    filter.id = select.id + "_filter";
    filter.className = "zone-filter";
    filter.setAttribute("aria-controls", select.id);
    filter.setAttribute("autocomplete", "off");
    var label = document.createElement("label");
    label.htmlFor = filter.id;
    label.textContent = select.dataset.zoneFilterLabel || "Filter";
    label.className = "small";
    select.parentNode.insertBefore(label, select);
    select.parentNode.insertBefore(filter, select);
    filter.addEventListener("input", function () {
      var words = filter.value.toLocaleLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").split(/\s+/);
      var first = null;
      select.querySelectorAll("optgroup, select > option").forEach(function (group) {
        var options = group.tagName === "OPTGROUP" ? group.querySelectorAll("option") : [group];
        var groupText = group.tagName === "OPTGROUP" ? group.label : "";
        var shown = 0;
        options.forEach(function (option) {
          var text = (groupText + " " + option.textContent + " " + option.value).toLocaleLowerCase()
            .normalize("NFD").replace(/[\u0300-\u036f]/g, "");
          var match = words.every(function (word) { return text.indexOf(word) !== -1; });
          option.hidden = !match && !option.selected;
          if (match) { shown += 1; if (!first) { first = option; } }
        });
        if (group.tagName === "OPTGROUP") { group.hidden = shown === 0; }
      });
      if (first && filter.value) { select.value = first.value; }
    });
  });
}());
