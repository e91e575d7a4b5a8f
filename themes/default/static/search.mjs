// clusterdir: the "Find your cluster" box, the search page and the core-offer filters.
// Progressive enhancement: each part builds its controls only when this script runs;
// without JavaScript the pages already show everything. DOM is built with
// textContent, never from HTML strings.
import { SearchIndex, highlight, KIND } from "./search-core.mjs";

const index = new SearchIndex((path) =>
  fetch(`/search/${path}`).then((r) => (r.ok ? r.json() : null)),
);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k === "text") e.textContent = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

/** Title with matched words in <mark>. */
function marked(title, queryTokens) {
  const frag = document.createDocumentFragment();
  for (const [text, hit] of highlight(title, queryTokens)) frag.append(hit ? el("mark", { text }) : document.createTextNode(text));
  return frag;
}

/** "1 service", "2 services". */
function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function debounce(fn, ms) {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

// ---------------------------------------------------------------------------------
// Home: "Find your cluster" combobox (ARIA 1.2 combobox with a listbox popup).

function findSchool(host) {
  // The label, box and list are in the page (so nothing moves when this runs).
  const input = host.querySelector("#find-school");
  const list = host.querySelector("#find-school-list");
  const status = host.querySelector("#find-school-status");
  const noMatch = notListed(host.dataset);
  status.before(noMatch.box);
  let options = [];
  let active = -1;

  const setActive = (i) => {
    active = i;
    options.forEach((o, j) => o.li.setAttribute("aria-selected", j === i ? "true" : "false"));
    if (i >= 0) {
      input.setAttribute("aria-activedescendant", options[i].li.id);
      options[i].li.scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  };
  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(-1);
  };
  const go = (i) => {
    if (options[i]) window.location.assign(options[i].url);
  };
  // A school's page opens at its top, which says the school is in the cluster.
  const schoolUrl = (r) => `${r.cluster.url}?school=${encodeURIComponent(r.title)}`;

  // No wait before looking: once the index part for what is typed is loaded, the answer
  // comes within a frame; an answer for text that has since changed is dropped.
  const update = async () => {
    const query = input.value;
    const { results, total, tokens } = await index.search(query, { kinds: [KIND.school, KIND.centre], limit: 8 });
    if (query !== input.value) return;
    list.replaceChildren();
    options = results.map((r, i) => {
      const li = el("li", { role: "option", id: `find-school-option-${i}`, "aria-selected": "false", class: "suggestion" },
        el("span", { class: "suggestion-name" }, marked(r.title, tokens)),
        el("span", { class: "suggestion-cluster", text: `${r.cluster.name} cluster` }));
      li.addEventListener("click", () => go(i));
      list.append(li);
      return { li, url: r.cluster ? schoolUrl(r) : r.url };
    });
    const shown = options.length > 0;
    list.hidden = !shown;
    input.setAttribute("aria-expanded", shown ? "true" : "false");
    setActive(-1);
    noMatch.show(input.value.trim().length >= 2 && total === 0 ? input.value.trim() : null);
    if (input.value.trim().length < 2) status.textContent = "";
    else if (total === 0) status.textContent = noMatch.box.textContent;
    else status.textContent = `${total} match${total === 1 ? "" : "es"}. ${total > options.length ? `Showing the first ${options.length}.` : ""}`;
  };

  input.addEventListener("input", update);
  // On a phone the on-screen keyboard covers the lower half: bring the box to the top
  // so the suggestions (or the answer when nothing matches) show above the keyboard.
  input.addEventListener("focus", () => {
    if (window.matchMedia("(max-width: 40rem)").matches) host.scrollIntoView({ block: "start" });
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" && options.length) {
      e.preventDefault();
      if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
      setActive((active + 1) % options.length);
    } else if (e.key === "ArrowUp" && options.length) {
      e.preventDefault();
      setActive(active <= 0 ? options.length - 1 : active - 1);
    } else if (e.key === "Enter") {
      if (options.length) {
        e.preventDefault();
        go(active >= 0 ? active : 0);
      }
    } else if (e.key === "Escape") {
      if (!list.hidden) close();
      else input.value = "";
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
}

/** The visible answer when no school matches: what to do next, with the city-wide
 * contact's number (from the finder's data attributes) and a link to every cluster. */
function notListed(data) {
  const box = el("div", { class: "no-match", hidden: true });
  const show = (query) => {
    box.hidden = query === null;
    if (query === null) return box.replaceChildren();
    const help = [document.createTextNode(` Not every cluster has published its schools here yet. The ${data.contactName} can tell you which cluster a school belongs to`)];
    if (data.contactTel) help.push(document.createTextNode(": call "), el("a", { class: "tel", href: data.contactTel, text: data.contactPhone }));
    help.push(document.createTextNode(". Or "), el("a", { href: data.clustersUrl, text: "see every cluster" }), document.createTextNode("."));
    box.replaceChildren(el("p", {}, el("strong", { text: `No school or children's centre called “${query}” is listed here.` }), ...help));
  };
  return { box, show };
}

// ---------------------------------------------------------------------------------
// Search page: everything, grouped by kind.

const GROUPS = [
  ["Clusters", [KIND.cluster]],
  ["Schools and children's centres", [KIND.school, KIND.centre]],
  ["Services", [KIND.service]],
  ["Guides and pages", [KIND.guide, KIND.page]],
];

function searchPage(host) {
  // The form is in the page (so nothing moves when this runs); this script makes it work.
  const params = new URLSearchParams(window.location.search);
  const form = host.querySelector("form.search-form");
  const input = host.querySelector("#search-input");
  const status = host.querySelector("#search-status");
  const results = host.querySelector(".search-results");
  input.value = params.get("q") || "";

  const run = async () => {
    const query = input.value;
    const url = new URL(window.location.href);
    if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    const found = await index.search(query, { limit: 10, perKind: true });
    if (query !== input.value) return;
    results.replaceChildren();
    if (!query.trim()) { status.textContent = ""; return; }
    status.textContent = found.total === 0 ? `No results for “${query}”.` : `${found.total} result${found.total === 1 ? "" : "s"} for “${query}”.`;
    for (const [name, kinds] of GROUPS) {
      const rs = found.results.filter((r) => kinds.includes(r.kind));
      if (!rs.length) continue;
      const id = `results-${name.split(" ")[0].toLowerCase()}`;
      const ul = el("ul", { class: "result-list" });
      for (const r of rs) {
        const a = el("a", { href: r.url }, marked(r.title, found.tokens));
        const about = [r.detail, r.cluster && r.kind !== KIND.cluster ? `${r.cluster.name} cluster` : null].filter(Boolean).join(", ");
        ul.append(el("li", {}, a, about ? el("span", { class: "kind", text: ` (${about})` }) : null));
      }
      results.append(el("section", { "aria-labelledby": id }, el("h2", { id, text: name }), ul));
    }
  };
  form.addEventListener("submit", (e) => { e.preventDefault(); run(); });
  input.addEventListener("input", debounce(run, 120));
  if (input.value) run();
}

// ---------------------------------------------------------------------------------
// Core offer: filters by category, age, cluster and self-referral, kept in the URL.

function offerFilters(form) {
  // The form is in the page (so nothing moves when this runs); this script makes it work.
  const table = document.querySelector("table.matrix");
  if (!table) return;
  const clusters = [...form.querySelectorAll("#cluster option")].filter((o) => o.value);
  const categories = [...form.querySelectorAll("#category option")].filter((o) => o.value);
  const [cat, age, cluster, self] = ["category", "age", "cluster", "self"].map((id) => form.querySelector(`#${id}`));
  const status = form.querySelector(".filter-status");

  const params = new URLSearchParams(window.location.search);
  cat.value = categories.some((o) => o.value === params.get("category")) ? params.get("category") : "";
  cluster.value = clusters.some((o) => o.value === params.get("cluster")) ? params.get("cluster") : "";
  age.value = /^\d{1,2}$/.test(params.get("age") || "") ? params.get("age") : "";
  self.checked = params.get("self") === "1";

  const serviceMatches = (li, a) =>
    (!self.checked || li.dataset.self === "true") &&
    (a === null || !("minAge" in li.dataset) || (a >= +li.dataset.minAge && a <= +li.dataset.maxAge));

  const apply = () => {
    const a = age.value === "" ? null : Number(age.value);
    const serviceFilter = a !== null || self.checked;
    table.querySelectorAll("[data-category]").forEach((c) => (c.hidden = cat.value !== "" && c.dataset.category !== cat.value));
    let rows = 0;
    table.querySelectorAll("tbody tr").forEach((tr) => {
      let any = false;
      tr.querySelectorAll("td li").forEach((li) => {
        const ok = serviceMatches(li, a);
        li.hidden = !ok;
        if (ok && !li.closest("td").hidden) any = true;
      });
      const show = (cluster.value === "" || tr.dataset.cluster === cluster.value) && (!serviceFilter && cat.value === "" || any);
      tr.hidden = !show;
      if (show) rows += 1;
    });
    let services = 0;
    document.querySelectorAll("section[data-category]").forEach((sec) => {
      let visible = 0;
      sec.querySelectorAll("li[data-cluster]").forEach((li) => {
        const ok = (cluster.value === "" || li.dataset.cluster === cluster.value) && serviceMatches(li, a);
        li.hidden = !ok;
        if (ok) visible += 1;
      });
      sec.hidden = (cat.value !== "" && sec.dataset.category !== cat.value) || (visible === 0 && (serviceFilter || cluster.value !== ""));
      if (!sec.hidden) services += visible;
    });
    // Nothing matches: say so and what to change, instead of an empty table.
    const empty = rows === 0;
    table.closest(".table-scroll").hidden = empty;
    document.getElementById("table").hidden = empty;
    const byKind = document.getElementById("by-kind");
    if (byKind) byKind.hidden = services === 0;
    if (empty) {
      const changes = [];
      if (cat.value) changes.push("choose another kind of help");
      if (age.value) changes.push("try another age");
      if (cluster.value) changes.push("choose another cluster");
      if (self.checked) changes.push("untick “Only help families can ask for themselves”");
      const tries = changes.length ? `${changes.join(", or ")}, or ` : "";
      status.textContent = `No cluster has published a service that matches all of these choices. To see more, ${tries}choose Show everything.`;
    } else {
      const filtered = cat.value || age.value || cluster.value || self.checked;
      // Unfiltered, the same words the page was built with, so nothing moves on load.
      const n = clusters.length;
      status.textContent = filtered
        ? `Showing ${rows} of the ${n === 1 ? "1 cluster that has published its offer" : `${n} clusters that have published their offer`}, and ${plural(services, "service")}.`
        : n === 1
          ? `Showing the 1 cluster that has published its offer, and its ${plural(services, "service")}.`
          : `Showing the ${n} clusters that have published their offer, and their ${plural(services, "service")}.`;
    }
    const url = new URL(window.location.href);
    for (const [k, v] of [["category", cat.value], ["age", age.value], ["cluster", cluster.value], ["self", self.checked ? "1" : ""]]) {
      if (v) url.searchParams.set(k, v); else url.searchParams.delete(k);
    }
    history.replaceState(null, "", url);
  };
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("reset", () => setTimeout(apply, 0));
  apply();
  // Results held back for a shared link's filters (offer-pending.js) show now, filtered.
  document.documentElement.classList.remove("offer-pending");
}

const hosts = [
  ["[data-find-school]", findSchool],
  ["[data-search-page]", searchPage],
  ["[data-offer-filters]", offerFilters],
];
for (const [selector, init] of hosts) {
  const host = document.querySelector(selector);
  if (host) init(host);
}
