// The core offer opened from a shared link with filters (?category=...): until search.mjs
// has applied them, the results are hidden, so they appear filtered instead of appearing
// whole and then moving. Shown anyway after 3 seconds, should that script not run.
if (/[?&](category|age|cluster|self)=/.test(window.location.search)) {
  const root = document.documentElement;
  root.classList.add("offer-pending");
  setTimeout(() => root.classList.remove("offer-pending"), 3000);
}
