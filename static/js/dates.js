// Date boxes (input[data-date-picker], app.forms.DateInput): plain text typed as dd/mm/yyyy,
// whatever the browser's language; the server reads "5/1/2026" too and says when a date is wrong.
// This script only helps: it writes "5/1/2026" as 05/01/2026 when the box is left, and adds a
// button beside each box that opens a calendar (the vendored flatpickr) starting the week on
// Monday, marking weekends, national holidays and the province's extra days off (from the
// server: /calendar/days-off, app/deadlines.py). Without JavaScript the text box works alone.
(function () {
  "use strict";

  var script = document.currentScript;
  var calendarUrl = script.dataset.calendarUrl;
  var buttonLabel = script.dataset.buttonLabel;
  var weekendLabel = script.dataset.weekendLabel;
  var years = {}; // year -> {off: {iso: name}, worked: {iso: true}} once loaded, or "loading"

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function isoDay(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function formatDay(d) {
    return pad(d.getDate()) + "/" + pad(d.getMonth() + 1) + "/" + d.getFullYear();
  }

  // Day first (05/01/2026, 5/1/2026, 5-1-2026, 5.1.2026) or ISO, as app.forms.parse_day reads it.
  function parseDay(text) {
    var day, month, year, m;
    text = (text || "").trim();
    if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text))) {
      year = +m[1]; month = +m[2]; day = +m[3];
    } else if ((m = /^(\d{1,2})\s*[\/.\-]\s*(\d{1,2})\s*[\/.\-]\s*(\d{4})$/.exec(text))) {
      day = +m[1]; month = +m[2]; year = +m[3];
    } else {
      return null;
    }
    var date = new Date(year, month - 1, day);
    return date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day ? date : null;
  }

  function loadYear(year, picker) {
    if (!calendarUrl || years[year]) return;
    years[year] = "loading";
    fetch(calendarUrl + "?year=" + year, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        var marks = { off: {}, worked: {} };
        data.off.forEach(function (item) { marks.off[item.date] = item.name; });
        data.worked.forEach(function (iso) { marks.worked[iso] = true; });
        years[year] = marks;
        // Mark the days shown in place: rebuilding them would take the keyboard focus away.
        if (picker.daysContainer) {
          Array.prototype.forEach.call(picker.daysContainer.querySelectorAll(".flatpickr-day"), markDay);
        }
      })
      .catch(function () { delete years[year]; });
  }

  function loadShownYears(picker) {
    var year = picker.currentYear;
    loadYear(year, picker);
    // The first and last weeks show days of the neighbouring years.
    if (picker.currentMonth === 0) loadYear(year - 1, picker);
    if (picker.currentMonth === 11) loadYear(year + 1, picker);
  }

  function markDay(dayElem) {
    var date = dayElem.dateObj;
    var marks = years[date.getFullYear()];
    var iso = isoDay(date);
    var known = marks && marks !== "loading";
    var name = known ? marks.off[iso] : null;
    var weekend = (date.getDay() === 0 || date.getDay() === 6) && !(known && marks.worked[iso]);
    if (!dayElem.dataset.label) dayElem.dataset.label = dayElem.getAttribute("aria-label") || formatDay(date);
    var label = dayElem.dataset.label;
    dayElem.classList.remove("holiday", "weekend");
    dayElem.removeAttribute("title");
    dayElem.setAttribute("aria-label", label);
    if (name) {
      dayElem.classList.add("holiday");
      dayElem.title = name;
      dayElem.setAttribute("aria-label", label + ", " + name);
    } else if (weekend) {
      dayElem.classList.add("weekend");
      dayElem.setAttribute("aria-label", label + ", " + weekendLabel);
    }
  }

  function changed(input) {
    ["input", "change"].forEach(function (type) {
      input.dispatchEvent(new Event(type, { bubbles: true }));
    });
  }

  function enhance(input) {
    if (input._datePicker || !window.flatpickr) return;
    var wrapper = input.parentNode;
    if (!wrapper.classList || !wrapper.classList.contains("date-field")) {
      wrapper = document.createElement("span");
      wrapper.className = "date-field";
      input.parentNode.insertBefore(wrapper, input);
      wrapper.appendChild(input);
    }
    // A page restored from htmx's history keeps the markup of an older button: start again.
    Array.prototype.forEach.call(wrapper.querySelectorAll(".date-picker-button, .date-picker-anchor"), function (old) {
      old.remove();
    });
    var button = document.createElement("button");
    button.type = "button";
    button.className = "date-picker-button";
    button.setAttribute("aria-label", buttonLabel);
    button.setAttribute("aria-haspopup", "dialog");
    button.title = buttonLabel;
    button.innerHTML =
      '<svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 24 24" fill="none" ' +
      'stroke="currentColor" stroke-width="2"><rect x="3" y="5" width="18" height="16" rx="2"/>' +
      '<path d="M3 10h18M8 3v4M16 3v4"/></svg>';
    var anchor = document.createElement("input");
    anchor.type = "hidden";
    anchor.className = "date-picker-anchor";
    wrapper.appendChild(button);
    wrapper.appendChild(anchor);

    var picker = window.flatpickr(anchor, {
      locale: Object.assign({}, window.flatpickr.l10ns.vn || {}, { firstDayOfWeek: 1 }),
      dateFormat: "d/m/Y",
      clickOpens: false,
      disableMobile: true, // a phone's own date box would show the phone's language's format
      positionElement: input,
      monthSelectorType: "static",
      onDayCreate: function (_dates, _text, _picker, dayElem) { markDay(dayElem); },
      onMonthChange: function () { loadShownYears(picker); },
      onYearChange: function () { loadShownYears(picker); },
      onOpen: function () { loadShownYears(picker); },
      onChange: function (dates) {
        if (dates.length) {
          input.value = formatDay(dates[0]);
          changed(input);
        }
        picker.close();
      },
      onClose: function () {
        // Back to the box (after flatpickr has finished moving the focus itself).
        setTimeout(function () {
          var active = document.activeElement;
          if (!active || active === document.body || active === anchor || picker.calendarContainer.contains(active)) {
            input.focus();
          }
        }, 0);
      },
    });
    input._datePicker = picker;

    button.addEventListener("click", function () {
      var typed = parseDay(input.value);
      if (typed) picker.setDate(typed, false);
      else picker.clear(false);
      picker.jumpToDate(typed || new Date());
      picker.open();
      var target = picker.selectedDateElem || picker.todayDateElem ||
        picker.calendarContainer.querySelector(".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)");
      if (target) target.focus();
    });
    // Before anyone else hears of the change (htmx filters listen on the form), write the date
    // the one way.
    input.addEventListener("change", function () {
      var typed = parseDay(input.value);
      if (typed && formatDay(typed) !== input.value) input.value = formatDay(typed);
    }, true);
  }

  function enhanceAll(root) {
    if (!root || !root.querySelectorAll) return;
    if (root.matches && root.matches("input[data-date-picker]")) enhance(root);
    Array.prototype.forEach.call(root.querySelectorAll("input[data-date-picker]"), enhance);
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document.body); });
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); });
  document.addEventListener("htmx:historyRestore", function () { enhanceAll(document.body); });
})();
