// Forms that never lose work, and lists whose controls match the address bar.
// Plain JavaScript, no inline code (the CSP allows scripts from 'self' only); every page works
// without it, this only helps:
//  1. after a validation error, focus goes to the first field in error;
//  2. a long form marked data-draft keeps what is typed in this browser (localStorage) and
//     offers it back when the page is opened again; a successful save forgets it;
//  3. a list's filter form (GET, hx-push-url) shows the filters of the address bar, also when
//     the page comes back from the browser's cache or from htmx's history.
(function () {
  "use strict";

  var PREFIX = "giaoban-draft:";
  var SENT = "giaoban-draft-sent";

  // --- 1. focus the first field in error ---------------------------------------------------

  function focusFirstError(root) {
    var summary = root.querySelector("[data-error-summary]");
    if (!summary) return;
    var form = summary.closest("form") || root;
    var field = form.querySelector('[aria-invalid="true"]');
    if (field && !/^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(field.tagName)) {
      field = field.querySelector("input, select, textarea") || field;
    }
    (field || summary).focus();
  }

  // --- 2. drafts kept in the browser ---------------------------------------------------------

  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !/^(hidden|file|password|submit|button)$/.test(el.type) && el.name !== "csrf_token";
    });
  }

  function readForm(form) {
    var values = {};
    draftFields(form).forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) (values[el.name] = values[el.name] || []).push(el.value);
      } else if (el.multiple) {
        values[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function writeForm(form, values) {
    draftFields(form).forEach(function (el) {
      if (!(el.name in values)) return;
      var value = values[el.name];
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = Array.isArray(value) && value.indexOf(el.value) >= 0;
      } else if (el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = value.indexOf(o.value) >= 0; });
      } else {
        el.value = value;
      }
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function sameValues(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function hasText(values) {
    return Object.keys(values).some(function (name) {
      var v = values[name];
      return typeof v === "string" && v.trim().length > 0 && !/^\d*$/.test(v);
    });
  }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function offerDraft(form, key, draft) {
    var template = document.getElementById("draft-offer-template");
    if (!template) return;
    var offer = template.content.firstElementChild.cloneNode(true);
    var when = new Date(draft.savedAt);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    offer.querySelector("[data-draft-time]").textContent = pad(when.getHours()) + ":" + pad(when.getMinutes()) + " " +
      pad(when.getDate()) + "/" + pad(when.getMonth() + 1) + "/" + when.getFullYear();
    offer.querySelector("[data-draft-restore]").addEventListener("click", function () {
      writeForm(form, draft.values);
      offer.remove();
      var first = draftFields(form)[0];
      if (first) first.focus();
    });
    offer.querySelector("[data-draft-discard]").addEventListener("click", function () {
      storage().removeItem(key);
      offer.remove();
    });
    form.parentNode.insertBefore(offer, form);
  }

  function keepDrafts(root) {
    var store = storage();
    if (!store) return;
    Array.prototype.forEach.call(root.querySelectorAll("form[data-draft]"), function (form) {
      if (form.dataset.draftBound) return;
      form.dataset.draftBound = "1";
      var key = PREFIX + form.dataset.draft;
      var saved = null;
      try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
      if (saved && saved.values && hasText(saved.values) && !sameValues(saved.values, readForm(form))) {
        offerDraft(form, key, saved);
      }
      var timer = null;
      var save = function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          var values = readForm(form);
          try {
            if (hasText(values)) store.setItem(key, JSON.stringify({ savedAt: Date.now(), values: values }));
          } catch (e) { /* storage full or refused: the form itself still works */ }
        }, 400);
      };
      form.addEventListener("input", save);
      form.addEventListener("change", save);
      // The draft is forgotten only once the save is confirmed (the next page says so).
      form.addEventListener("submit", function () {
        try { window.sessionStorage.setItem(SENT, key); } catch (e) { /* ignore */ }
      });
    });
  }

  function forgetSentDraft(root) {
    var key;
    try { key = window.sessionStorage.getItem(SENT); } catch (e) { return; }
    if (!key) return;
    if (root.querySelector(".flash-success")) {
      storage() && storage().removeItem(key);
      window.sessionStorage.removeItem(SENT);
    } else if (root.querySelector("[data-error-summary], [data-conflict]")) {
      window.sessionStorage.removeItem(SENT);  // not saved: the draft stays
    }
  }

  function forgetAllDrafts() {
    var store = storage();
    if (!store) return;
    for (var i = store.length - 1; i >= 0; i--) {
      var name = store.key(i);
      if (name && name.indexOf(PREFIX) === 0) store.removeItem(name);
    }
  }

  // --- 3. list filters that match the address bar --------------------------------------------

  function syncFilters(root) {
    var params = new URLSearchParams(window.location.search);
    Array.prototype.forEach.call(root.querySelectorAll('form[method="get"][hx-push-url]'), function (form) {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.type === "hidden" || el.type === "submit" || el.type === "button") return;
        var values = params.getAll(el.name);
        if (el.type === "checkbox" || el.type === "radio") {
          el.checked = values.indexOf(el.value) >= 0;
        } else if (el.tagName === "SELECT") {
          // Absent from the URL: the list's default, which is the blank "Tất cả" or the first option.
          var wanted = values.length ? values[0] : "";
          var match = Array.prototype.find.call(el.options, function (o) { return o.value === wanted; });
          var chosen = match || Array.prototype.find.call(el.options, function (o) { return o.value === ""; }) || el.options[0];
          if (chosen) el.value = chosen.value;
        } else {
          el.value = values.length ? values[0] : "";
        }
      });
    });
  }

  // --- wiring ----------------------------------------------------------------------------------

  function ready(root) {
    forgetSentDraft(root);
    keepDrafts(root);
    focusFirstError(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    ready(document);
    document.addEventListener("submit", function (event) {
      if (event.target.matches && event.target.matches('form[action$="/logout"]')) forgetAllDrafts();
    });
  });
  document.addEventListener("htmx:afterSettle", function (event) { ready(event.target); });
  document.addEventListener("htmx:historyRestore", function () { syncFilters(document); });
  // A page the browser kept in its cache (Back) shows the controls as they were left, not as
  // its address says; htmx's own history snapshot loses the selected options.
  window.addEventListener("pageshow", function (event) { if (event.persisted) syncFilters(document); });
})();
