// On paper, say where the page is and when it was printed: the line at the top of the
// page (shown only in print) gets today's date, and the page's address when the site
// has no `base_url` to write it in at build time. Text only (textContent).
const line = document.querySelector("[data-print-source]");
if (line) {
  const fill = () => {
    const where = line.querySelector("[data-address]");
    if (!where.textContent) where.textContent = window.location.origin + window.location.pathname;
    const today = new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
    line.querySelector("[data-printed-on]").textContent = `, printed on ${today}`;
    line.hidden = false;
  };
  fill();
  window.addEventListener("beforeprint", fill);
}
