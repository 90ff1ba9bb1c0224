// On paper the filter forms are hidden: write what they select into the page's print header
// (.print-meta [data-print-filters]), kept up to date as the filters change or htmx swaps the list.
(function () {
  function describe(form) {
    var parts = [];
    form.querySelectorAll("input, select").forEach(function (field) {
      if (!field.name || field.type === "hidden" || field.type === "submit") return;
      var value = field.tagName === "SELECT"
        ? (field.selectedOptions[0] && field.value !== "" ? field.selectedOptions[0].textContent.trim() : "")
        : (field.type === "checkbox" || field.type === "radio" ? (field.checked ? "✓" : "") : field.value.trim());
      if (!value) return;
      var label = field.name;
      if (field.labels && field.labels[0]) {
        // The label's own words: a label may wrap its field (and a select's options).
        var copy = field.labels[0].cloneNode(true);
        copy.querySelectorAll("input, select, textarea, small").forEach(function (n) { n.remove(); });
        label = copy.textContent.replace(/\*/g, "").replace(/\s+/g, " ").trim() || field.name;
      }
      parts.push(label + ": " + value);
    });
    return parts;
  }
  function update() {
    var target = document.querySelector("[data-print-filters]");
    if (!target) return;
    var parts = [];
    document.querySelectorAll("form.filters").forEach(function (form) { parts = parts.concat(describe(form)); });
    // A page without a filter form that is still about a chosen scope says it in [data-print-scope].
    var scope = document.querySelector("[data-print-scope]");
    if (!parts.length && scope) parts.push(scope.textContent.replace(/\s+/g, " ").trim());
    target.textContent = parts.length ? target.dataset.label + " " + parts.join("; ") : target.dataset.none;
  }
  document.addEventListener("DOMContentLoaded", update);
  document.addEventListener("change", update);
  document.addEventListener("input", update);
  document.addEventListener("htmx:afterSettle", update);
  window.addEventListener("beforeprint", update);
})();
