// Quick exit: leave the page at once for a neutral website, by the button or by pressing
// Escape three times. Without JavaScript the button is an ordinary link.
// location.replace() takes this page out of the tab's back history.
const link = document.querySelector("[data-quick-exit]");
if (link) {
  const leave = () => {
    document.title = "";
    document.body.hidden = true;
    window.location.replace(link.href);
  };
  link.addEventListener("click", (e) => {
    e.preventDefault();
    leave();
  });
  let presses = [];
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape") return;
    const now = Date.now();
    presses = presses.filter((t) => now - t < 2000).concat(now);
    if (presses.length >= 3) leave();
  });
}
