// Only when HTMX_USE_CDN is on: fetch htmx from its CDN without blocking the page (the page is
// already usable without htmx: every link and form works as plain HTML), checked against its
// integrity hash; when the CDN answers with an error, the vendored copy is loaded instead.
(function () {
  var settings = document.currentScript.dataset;
  function load(src, integrity, onerror) {
    var script = document.createElement("script");
    script.src = src;
    if (integrity) {
      script.integrity = integrity;
      script.crossOrigin = "anonymous";
    }
    script.onerror = onerror || null;
    document.head.appendChild(script);
  }
  load(settings.cdnSrc, settings.integrity, function () { load(settings.localSrc); });
})();
