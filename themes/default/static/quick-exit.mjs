// Exit this page, as GOV.UK's component does it: the button (and a skip link for
// keyboard users) or the Shift key pressed three times within 5 seconds leaves at once
// for a neutral website. Each press fills a dot and is announced ("Shift, press 2 more
// times to exit."); a Shift held for capital letters does not count. Escape is not used:
// in browsers it stops a page loading, which would stop the exit. Leaving blanks the
// page and replaces it in the tab's history. Without JavaScript the button and the skip
// link are ordinary links.
const links = [...document.querySelectorAll("[data-quick-exit]")];
const status = document.querySelector("[data-quick-exit-status]");
const indicator = document.querySelector("[data-quick-exit-indicator]");
const PRESSES = 3;
const WINDOW_MS = 5000;

if (links.length) {
  const url = links[0].href;
  const leave = () => {
    const overlay = document.createElement("div");
    overlay.className = "quick-exit-overlay";
    overlay.setAttribute("role", "alert");
    overlay.textContent = "Loading.";
    document.body.append(overlay);
    document.documentElement.classList.add("quick-exit-leaving");
    document.title = "Loading";
    window.location.replace(url);
  };
  for (const link of links) {
    link.addEventListener("click", (e) => {
      e.preventDefault();
      leave();
    });
  }

  let count = 0;
  let timer = null;
  let alone = false; // Shift went down with no other key since
  const show = () => {
    if (indicator) {
      indicator.hidden = count === 0;
      [...indicator.children].forEach((dot, i) => dot.classList.toggle("on", i < count));
    }
  };
  const reset = (said) => {
    count = 0;
    clearTimeout(timer);
    show();
    if (status) status.textContent = said;
  };
  document.addEventListener("keydown", (e) => {
    alone = e.key === "Shift" && !e.repeat;
  });
  document.addEventListener("keyup", (e) => {
    if (e.key !== "Shift" || !alone) return;
    alone = false;
    count += 1;
    show();
    clearTimeout(timer);
    if (count >= PRESSES) {
      if (status) status.textContent = "Loading.";
      leave();
      return;
    }
    const left = PRESSES - count;
    if (status) status.textContent = `Shift, press ${left} more time${left === 1 ? "" : "s"} to exit.`;
    timer = setTimeout(() => reset("Exit this page expired."), WINDOW_MS);
  });
  // Back to this page from the browser's cache: show it again.
  window.addEventListener("pageshow", (e) => {
    if (!e.persisted) return;
    document.documentElement.classList.remove("quick-exit-leaving");
    document.querySelector(".quick-exit-overlay")?.remove();
    reset("");
  });
}
