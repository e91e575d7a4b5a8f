// Preview only: `clusterdir serve` adds this script to pages it serves; `build` never does.
// It asks the preview server to answer when the next build finishes (a long poll), then
// reloads the page, or shows the build's errors over the page until the next good save.
// On the server's error page (shown while there is no good site yet) it reloads after
// every build, so the page shows the new errors or, once fixed, the site.
(function () {
  "use strict";
  var overlay = null;
  var errorPage = document.documentElement.hasAttribute("data-clusterdir-error");
  function showError(s) {
    if (errorPage) { return; }
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "alert");
      overlay.className = "clusterdir-preview-error";
      document.body.appendChild(overlay);
    }
    overlay.textContent = (s.last_good
      ? "The last edit did not build. Still showing the last good version.\n\n"
      : "Nothing to show yet: fix the problem and save; the page will reload.\n\n") + s.error;
  }
  function wait(seen) {
    fetch("/__clusterdir/wait?v=" + seen, { cache: "no-store" })
      // 503: too many pages wait already; ask again a second later.
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (s) {
        if (s.version !== seen && (!s.error || errorPage)) { window.location.reload(); return; }
        if (s.error) { showError(s); }
        wait(s.version);
      })
      .catch(function () { setTimeout(start, 1000); });
  }
  function start() {
    fetch("/__clusterdir/status", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) { if (s.error) { showError(s); } wait(s.version); })
      .catch(function () { setTimeout(start, 1000); });
  }
  start();
})();
