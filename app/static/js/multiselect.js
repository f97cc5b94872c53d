// <select data-searchable>: a long list of choices (countries…) becomes searchable with
// tom-select. The server renders a plain <select> (multiple or not) that posts without
// JavaScript; this only enhances it, on load and after each htmx swap. The widget's own
// words come from the select's data-no-results and data-remove-title (translated).
// <input data-searchable data-create data-options='[..]'>: words separated by commas
// (interests) become a multi-choice offering the known ones, any other typed in.
(function () {
  "use strict";
  function escapeText(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function settings(select) {
    var typed = select.tagName === "INPUT";
    var multiple = typed || select.multiple;
    var noResults = select.dataset.noResults || "No results";
    var options = {
      maxOptions: null,  // every country, not the first 50
      hidePlaceholder: true,
      closeAfterSelect: !multiple,
      allowEmptyOption: !multiple,
      render: {
        no_results: function () {
          return '<div class="no-results">' + escapeText(noResults) + "</div>";
        }
      }
    };
    if (typed) {
      options.create = select.hasAttribute("data-create");
      options.persist = false;
      options.delimiter = ",";
      options.options = JSON.parse(select.dataset.options || "[]").map(function (word) {
        return {value: word, text: word};
      });
    }
    if (multiple) {
      var remove = select.dataset.removeTitle || "Remove";
      options.plugins = { remove_button: { title: remove, html: function (data) {
        // Named by aria-label: a "×" alone would be the button's accessible name.
        var button = document.createElement("div");
        button.className = data.className;
        button.title = remove;
        button.setAttribute("role", "button");
        button.setAttribute("aria-label", remove);
        button.tabIndex = -1;
        button.textContent = "×";
        return button;
      } } };
    }
    return options;
  }

  function enhance(root) {
    if (!window.TomSelect || !root.querySelectorAll) { return; }
    root.querySelectorAll("select[data-searchable], input[data-searchable]").forEach(function (select) {
      if (select.tomselect) { return; }
      if (select.tagName === "INPUT") {  // "cuisine, voyage": items without their spaces
        select.value = select.value.split(",").map(function (word) { return word.trim(); })
          .filter(Boolean).join(",");
      }
      var widget = new window.TomSelect(select, settings(select));
      // The plain select stays in the form (it is what posts) but leaves the accessibility
      // tree: the widget's combobox carries the label now.
      select.setAttribute("aria-hidden", "true");
      if (select.hasAttribute("aria-invalid")) {
        widget.control_input.setAttribute("aria-invalid", "true");
      }
      var described = select.getAttribute("aria-describedby");
      if (described) { widget.control_input.setAttribute("aria-describedby", described); }
      // A help that only the plain select needs ("hold Ctrl to choose several").
      var help = select.hasAttribute("data-hide-help") && select.closest(".field");
      help = help && help.querySelector(".help");
      if (help) { help.hidden = true; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
})();
