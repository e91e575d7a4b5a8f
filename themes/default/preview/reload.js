// Preview only: `clusterdir serve` adds this script to pages it serves; `build` never does.
// It asks the preview server to answer when the next build finishes (a long poll), then
// reloads the page, or shows the build error over the page until the next good save.
(function () {
  "use strict";
  var overlay = null;
  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "alert");
      overlay.className = "clusterdir-preview-error";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "The last edit did not build. Still showing the last good version.\n\n" + text;
  }
  function wait(seen) {
    fetch("/__clusterdir/wait?v=" + seen, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.version !== seen && !s.error) { window.location.reload(); return; }
        if (s.error) { showError(s.error); }
        wait(s.version);
      })
      .catch(function () { setTimeout(start, 1000); });
  }
  function start() {
    fetch("/__clusterdir/status", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) { if (s.error) { showError(s.error); } wait(s.version); })
      .catch(function () { setTimeout(start, 1000); });
  }
  start();
})();
