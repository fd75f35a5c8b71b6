// Organization picker: an <input data-org-picker="URL"> becomes a combobox listing suggestions
// from URL (the user's own subtree) as the user types a name, pinyin initials (zgz) or a code.
// Choosing one (click, tap, or arrows and Enter) puts the organization's code in the input.
// No inline script or style (CSP); without this script the input takes a code or exact name.
(function () {
  "use strict";
  var serial = 0;

  function attach(input) {
    if (input.dataset.orgPickerReady) return;
    input.dataset.orgPickerReady = "1";
    var list = document.createElement("ul");
    list.id = (input.id || "org-picker") + "-listbox-" + ++serial;
    list.className = "org-picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var wrap = document.createElement("div");
    wrap.className = "org-picker";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");

    var timer = null;
    var active = -1;

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    // data-org-picker-multi: a list of codes (spaces or commas between); the picker works on
    // the last one being typed and appends the chosen code.
    var multi = input.hasAttribute("data-org-picker-multi");
    var SEPARATORS = /[\s,，、;；]+/;

    function typed() {
      if (!multi) return input.value.trim();
      var parts = input.value.split(SEPARATORS);
      return parts[parts.length - 1];
    }

    function choose(option) {
      if (multi) {
        var kept = input.value.split(SEPARATORS).slice(0, -1).filter(Boolean);
        kept.push(option.dataset.code);
        input.value = kept.join(" ") + " ";
      } else {
        input.value = option.dataset.code;
      }
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (index + options.length) % options.length;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function show(results) {
      list.replaceChildren();
      results.forEach(function (org, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.code = org.code;
        option.textContent = org.name;
        var code = document.createElement("span");
        code.className = "code";
        code.textContent = org.code;
        option.appendChild(code);
        // mousedown, not click: the input's blur would close the list first.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(option);
        });
        list.appendChild(option);
      });
      list.hidden = !results.length;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      active = -1;
    }

    input.addEventListener("input", function () {
      var text = typed();
      clearTimeout(timer);
      if (!text) { close(); return; }
      timer = setTimeout(function () {
        var url = input.dataset.orgPicker + "?q=" + encodeURIComponent(text);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            if (typed() === text) show(data.results || []);
          })
          .catch(function () {});
      }, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(list.querySelectorAll("[role=option]")[active]);
      }
    });
    input.addEventListener("blur", close);
  }

  function attachAll(root) {
    (root || document).querySelectorAll("[data-org-picker]").forEach(attach);
  }

  document.addEventListener("DOMContentLoaded", function () { attachAll(document); });
  document.addEventListener("htmx:load", function (event) { attachAll(event.target); });
})();
