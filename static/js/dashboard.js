// The dashboard's period selector: "Khoảng thời gian tùy chọn" waits for both dates before the
// panels reload (htmx would otherwise ask at once and be told that a date is missing).
document.addEventListener("htmx:confirm", function (event) {
  var form = event.target.closest ? event.target.closest("form.dashboard-filters") : null;
  if (!form || event.detail.verb !== "get") return;
  var period = form.querySelector("select[name=period]");
  if (!period || period.value !== "custom") return;
  var from = form.querySelector("input[name=from]");
  var to = form.querySelector("input[name=to]");
  var complete = /^\d{1,2}\/\d{1,2}\/\d{4}$|^\d{4}-\d{2}-\d{2}$/;
  var ready = complete.test(from.value.trim()) && complete.test(to.value.trim());
  // An explicit "Xem" always asks: the server then says what is missing, next to the field.
  var submitted = event.detail.triggeringEvent && event.detail.triggeringEvent.type === "submit";
  if (!ready && !submitted) {
    event.preventDefault();
    (from.value.trim() ? to : from).focus();
  }
});
