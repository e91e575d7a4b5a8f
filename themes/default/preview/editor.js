// The site editor's one script (preview only; `build` never writes it). Everything
// works without it: forms post back to the preview. It adds two things: the error
// summary takes the focus when a form comes back with problems (the GOV.UK pattern),
// and a guide's or page's body shows a live preview, asked of the preview server
// (which renders Markdown as the build does) a moment after typing stops.
(function () {
  "use strict";
  var summary = document.querySelector(".govuk-error-summary");
  if (summary) { summary.focus(); }
  var body = document.getElementById("f-body");
  var shown = document.getElementById("editor-preview");
  if (!body || !shown || !body.form) { return; }
  var form = body.form;
  var timer = null;
  function update() {
    var data = new URLSearchParams();
    data.append("_token", form.elements._token.value);
    data.append("body", body.value);
    fetch("/_edit/preview", { method: "POST", body: data, cache: "no-store" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (html) { shown.innerHTML = html; })
      .catch(function () { /* the Preview button still works */ });
  }
  body.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 300);
  });
})();
