// A finished document job downloads itself once per press of its button (templates/docjobs/_job.html):
// the link marked data-auto-download (job and press) is followed when the page shows it, after a
// load or an htmx swap. The download leaves the page in place; sessionStorage keeps a reload of
// the same page from downloading it again.
(function () {
  function follow() {
    document.querySelectorAll("a[data-auto-download]").forEach(function (link) {
      var key = "document-downloaded-" + link.dataset.autoDownload;
      try {
        if (sessionStorage.getItem(key)) { return; }
        sessionStorage.setItem(key, "1");
      } catch (e) { /* storage refused: download anyway */ }
      window.location.assign(link.href);
    });
  }
  document.addEventListener("DOMContentLoaded", follow);
  document.addEventListener("htmx:afterSettle", follow);
})();
