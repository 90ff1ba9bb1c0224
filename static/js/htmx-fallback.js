// Load the vendored htmx when the CDN copy did not arrive (offices may have no internet).
// Synchronous on purpose: pages rely on htmx being ready when they are parsed.
if (!window.htmx) {
  document.write('<script src="' + document.currentScript.dataset.htmxSrc + '"><\/script>');
}
