// Preview only: `clusterdir serve` adds this script to pages it serves; `build` never does.
// It asks the preview server for the build number; when it changes the page reloads, and
// when the last build failed the error is shown over the page until the next good save.
(function () {
  "use strict";
  var seen = null;
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
  function poll() {
    fetch("/__clusterdir/status", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (seen === null) { seen = s.version; }
        else if (s.version !== seen) {
          if (s.error) { seen = s.version; showError(s.error); }
          else { window.location.reload(); return; }
        }
        if (s.error && !overlay) { showError(s.error); }
        setTimeout(poll, 500);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
