// Search: the shared normalisation table, queries against built indexes, and the three
// search interfaces in Chromium, with JavaScript on and off.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { serve } from "./lib/server.mjs";
import { launch, newPage, focusIsVisible, axeViolations, cspViolations } from "./lib/checks.mjs";
import { SITES, REPO } from "./lib/sites.mjs";
import { normalise, SearchIndex, KIND, editDistance, shardKey, matchScore } from "../../themes/default/static/search-core.mjs";
import { CONFUSABLES } from "../../themes/default/static/confusables.mjs";

const VECTORS = JSON.parse(fs.readFileSync(path.join(REPO, "tests/search/normalise.json"), "utf8")).cases;

/** An index reading files from a built site, counting the files it reads. */
function diskIndex(publicDir) {
  const read = [];
  const idx = new SearchIndex((p) => {
    read.push(p);
    const f = path.join(publicDir, "search", p);
    return fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, "utf8")) : null;
  });
  return { idx, read };
}

let real, fixture, browser, server;
before(async () => {
  real = SITES.real();
  fixture = SITES.fixture();
  browser = await launch();
  server = await serve(real);
});
after(async () => {
  await server?.close();
  await browser?.close();
});

test("normalisation matches the shared table (the same table the Rust tests read)", () => {
  assert.ok(VECTORS.length >= 15);
  for (const { input, expected } of VECTORS) assert.equal(normalise(input), expected, `normalising ${JSON.stringify(input)}`);
});

test("every look-alike of the generated table reads as what it stands for, inside a word (as in src/text.rs)", () => {
  const entries = Object.entries(CONFUSABLES);
  assert.ok(entries.length > 800);
  for (const [c, to] of entries) assert.equal(normalise(`zq${c}qz`), normalise(`zq${to}qz`), `U+${c.codePointAt(0).toString(16)}`);
});

test("edit distance and shard keys", () => {
  assert.equal(editDistance("alwodley", "alwoodley", 2), 1);
  assert.equal(editDistance("gledhwo", "gledhow", 2), 1);
  assert.equal(editDistance("abc", "xyz", 1), 2);
  assert.equal(matchScore("1234", "1235"), 0, "numbers are not typo-matched");
  assert.equal(matchScore("123", "1234"), 2, "but they are prefix-matched");
  assert.equal(matchScore("alwodley", "alwoodley"), 1);
  assert.equal(shardKey("allerton"), "616c");
  assert.equal(shardKey("ångström"), "c3a56e");
});

test("fixture index: punctuation, synonyms and typos find the school", async () => {
  const { idx } = diskIndex(fixture);
  for (const q of ["st tests", "Saint Test's R.C.", "st. tests roman catholic primary school", "zebra", "zebar academy", "angstrom", "Ångström"]) {
    const { results } = await idx.search(q, { kinds: [KIND.school, KIND.centre] });
    assert.ok(results.length > 0, `${q}: nothing found`);
  }
  const { results } = await idx.search("St Tests", { kinds: [KIND.school] });
  assert.equal(results[0].title, "St. Test's RC Primary");
  assert.equal(results[0].url, "/clusters/complete/#how-to-get-help");
  const none = await idx.search("qqqq");
  assert.equal(none.total, 0);
});

test("real index: every school from the A.R.M profile, in the spellings people use, finds the A.R.M cluster first", async () => {
  const { idx } = diskIndex(real);
  const spellings = {
    "Allerton CE Primary": ["allerton c of e", "Allerton CofE", "allerton church of england primary school", "allerton ce"],
    "Highfield Primary": ["highfield", "highfeild primary"],
    "Alwoodley Primary": ["alwoodley primary", "alwodley"],
    "St Paul's RC Primary": ["st pauls", "St. Paul's RC", "saint pauls roman catholic", "st pauls r.c. primary school"],
    "St Urban's RC Primary": ["st urbans", "Saint Urban's", "st. urban"],
    "Brodetsky Primary": ["brodetsky", "brodetski"],
    "Wigton Moor Primary": ["wigton moor", "wigtonmoor"],
    "Khalsa Academy": ["khalsa", "khalsa academy"],
    "Moor Allerton Hall Primary": ["moor allerton hall", "moor allerton"],
    "Moortown Primary": ["moortown primary", "moortwon"],
    "Talbot Primary": ["talbot", "talbott primary"],
    "Kerr Mackie Primary": ["kerr mackie", "ker mackie", "kerr mckie"],
    "Gledhow Primary": ["gledhow", "gledow"],
    "Roundhay St John's CE Primary": ["roundhay st johns", "Roundhay Saint John's C of E", "st johns roundhay"],
    "Immaculate Heart RC Primary": ["immaculate heart", "the immaculate heart roman catholic"],
    "Allerton Grange School": ["allerton grange"],
    "Roundhay Through School": ["roundhay through", "roundhay through school"],
    "Allerton High School": ["allerton high"],
    "Cardinal Heenan RC High": ["cardinal heenan", "cardinal heenan roman catholic"],
    "Leeds Jewish Free School": ["leeds jewish free school", "jewish free"],
  };
  for (const [school, queries] of Object.entries(spellings)) {
    for (const q of queries) {
      const { results } = await idx.search(q, { kinds: [KIND.school, KIND.centre], limit: 5 });
      const hit = results.find((r) => r.title === school);
      assert.ok(hit, `${q}: ${school} not found (got ${results.map((r) => r.title).join(", ")})`);
      assert.equal(hit.url, "/clusters/arm/#how-to-get-help");
      const rank = results.indexOf(hit);
      assert.ok(rank <= 1, `${q}: ${school} ranked ${rank + 1}`);
    }
  }
});

test("real index: 'counselling' finds the counselling offers, and prefixes work while typing", async () => {
  const { idx, read } = diskIndex(real);
  const { results } = await idx.search("counselling");
  const services = results.filter((r) => r.kind === KIND.service).map((r) => r.title);
  assert.ok(services.includes("Pupil counselling") && services.includes("Parent counselling"), services.join(", "));
  const typing = await idx.search("allert", { kinds: [KIND.school] });
  assert.ok(typing.results.length >= 4, typing.results.map((r) => r.title).join(", "));
  // Only the shards and chunks a query needs are read, not the whole index.
  const files = fs.readdirSync(path.join(real, "search/t")).length;
  assert.ok(read.filter((p) => p.startsWith("t/")).length <= 3 && files > 20, `read ${read.join(", ")} of ${files} shards`);
});

test("home page: type a school name and reach its cluster's page, which says the school is in it, with the keyboard alone", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/");
  // Tab from the top of the page to the box.
  let inBox = false;
  for (let i = 0; i < 40 && !inBox; i++) {
    await page.keyboard.press("Tab");
    inBox = await page.evaluate(() => document.activeElement.id === "find-school");
  }
  assert.ok(inBox, "the Find your cluster box is not reachable by Tab");
  const focus = await focusIsVisible(page);
  assert.ok(focus.ok, "focus on the box is not visible");
  await page.keyboard.type("st pauls", { delay: 20 });
  await page.waitForSelector("#find-school-list li[role=option]");
  assert.equal(await page.getAttribute("#find-school", "aria-expanded"), "true");
  await page.keyboard.press("ArrowDown");
  const active = await page.getAttribute("#find-school", "aria-activedescendant");
  assert.equal(active, "find-school-option-0");
  const name = await page.textContent("#find-school-option-0 .suggestion-name");
  assert.equal(name, "St Paul's RC Primary");
  assert.match(await page.textContent("#find-school-status"), /match/);
  assert.deepEqual(await axeViolations(page), [], "axe, with suggestions open");
  await page.keyboard.press("Enter");
  // The cluster's page opens at its top and says the school is in the cluster.
  await page.waitForURL(/\/clusters\/arm\/\?school=St%20Paul/);
  await page.waitForSelector("[data-school-confirm]:not([hidden])");
  assert.equal(
    (await page.textContent("[data-school-confirm]")).trim(),
    "St Paul's RC Primary is in the Alwoodley, Roundhay and Moortown cluster.",
  );
  await page.context().close();
});

test("cluster page: a school name in the address that the page does not list is not repeated", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/clusters/arm/?school=" + encodeURIComponent("Hogwarts <b>School</b>"));
  await page.waitForLoadState("load");
  assert.equal(await page.isVisible("[data-school-confirm]"), false);
  assert.ok(!(await page.content()).includes("Hogwarts"));
  await page.context().close();
});

test("home page: a school that is not listed gets a visible answer with the way forward", async () => {
  const page = await newPage(browser, { width: 390, height: 844 });
  await page.goto(server.url + "/");
  await page.fill("#find-school", "temple moor");
  await page.waitForSelector(".no-match:not([hidden])");
  const box = page.locator(".no-match");
  assert.ok(await box.isVisible(), "the no-match answer is on screen, not only read out");
  assert.match(await box.innerText(), /No school or children's centre called “temple moor” is listed here/);
  assert.equal(await box.locator("a[href^='tel:']").getAttribute("href"), "tel:+441133785254");
  assert.equal(await box.locator("a[href='/clusters/']").count(), 1);
  // A name that matches clears it.
  await page.fill("#find-school", "st pauls");
  await page.waitForSelector("#find-school-list li[role=option]");
  assert.equal(await box.isVisible(), false);
  await page.context().close();
});

test("home page: Escape closes the suggestions", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/");
  await page.focus("#find-school");
  await page.keyboard.type("allerton");
  await page.waitForSelector("#find-school-list:not([hidden])");
  await page.keyboard.press("Escape");
  assert.equal(await page.getAttribute("#find-school", "aria-expanded"), "false");
  assert.equal(await page.isHidden("#find-school-list"), true);
  await page.context().close();
});

test("search page groups results by kind, highlights matches and announces the count", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/search/?q=counselling");
  await page.waitForSelector(".search-results h2");
  const groups = await page.$$eval(".search-results h2", (hs) => hs.map((h) => h.textContent));
  assert.ok(groups.includes("Services"), groups.join(", "));
  const marks = await page.$$eval(".search-results mark", (ms) => ms.map((m) => m.textContent.toLowerCase()));
  assert.ok(marks.some((m) => m.includes("counselling")), marks.join(", "));
  assert.match(await page.textContent("#search-status"), /^\d+ results? for “counselling”\.$/);
  assert.equal(await page.getAttribute("#search-status", "aria-live"), "polite");
  assert.deepEqual(await axeViolations(page), [], "axe, with results shown");
  assert.deepEqual(await cspViolations(page), []);
  await page.context().close();
});

test("core offer: filters show the right rows and are kept in the URL", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/core-offer/");
  const all = await page.$$eval("table.matrix tbody tr", (rs) => rs.length);
  await page.selectOption("#category", "counselling");
  await page.waitForURL(/category=counselling/);
  const visible = await page.$$eval("table.matrix tbody tr:not([hidden]) th", (ths) => ths.map((t) => t.textContent));
  assert.deepEqual(visible, ["Alwoodley, Roundhay and Moortown"]);
  const headers = await page.$$eval("table.matrix thead th:not([hidden])", (ths) => ths.map((t) => t.textContent));
  assert.deepEqual(headers, ["Cluster", "Counselling and therapy"]);
  assert.match(await page.textContent(".filter-status"), /^Showing 1 of the \d+ clusters that have published their offer, and 3 services\.$/);
  // A shared link opens the same view.
  await page.goto(server.url + "/core-offer/?category=family-support&age=8");
  assert.equal(await page.inputValue("#category"), "family-support");
  assert.equal(await page.inputValue("#age"), "8");
  const rows = await page.$$eval("table.matrix tbody tr:not([hidden])", (rs) => rs.length);
  assert.equal(rows, 1);
  // One service is "1 service", never "1 services".
  const shown = await page.$$eval("table.matrix tbody tr:not([hidden]) td:not([hidden]) li", (ls) => ls.filter((l) => !l.hidden && l.offsetParent).length);
  const status = await page.textContent(".filter-status");
  assert.equal(status, `Showing 1 of the ${all} clusters that have published their offer, and ${shown} service${shown === 1 ? "" : "s"}.`);
  await page.check("#self");
  await page.waitForURL(/self=1/);
  assert.equal(await page.$$eval("table.matrix tbody tr:not([hidden])", (rs) => rs.length), 0);
  // Nothing matches: no empty table, but what to change.
  assert.equal(await page.isVisible("table.matrix"), false);
  assert.equal(await page.isVisible("#table"), false);
  assert.equal(
    await page.textContent(".filter-status"),
    "No cluster has published a service that matches all of these choices. To see more, choose another kind of help, or try another age, or untick “Only help families can ask for themselves”, or choose Show everything.",
  );
  assert.deepEqual(await axeViolations(page), [], "axe, with filters applied");
  await page.click("button[type=reset]");
  await page.waitForFunction(() => !location.search);
  assert.equal(await page.$$eval("table.matrix tbody tr:not([hidden])", (rs) => rs.length), all);
  assert.equal(await page.isVisible("table.matrix"), true);
  await page.context().close();
});

test("without JavaScript every page still shows everything", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.url + "/");
  // Controls that need scripts are in the page (so nothing moves when they load) but
  // hidden when scripts do not run.
  assert.ok(await page.$("#find-school"), "the finder is not in the page");
  assert.equal(await page.isVisible("#find-school"), false);
  assert.equal(await page.isVisible(".find-label"), false);
  assert.ok((await page.$$("ul.letters a")).length > 5, "A to Z letters are missing");
  await page.goto(server.url + "/core-offer/");
  assert.equal(await page.isVisible("form.filters"), false);
  const rows = await page.$$eval("table.matrix tbody tr", (rs) => rs.filter((r) => !r.hidden).length);
  const unlisted = await page.$$eval("#unlisted a:not(.tel)", (as) => as.length);
  assert.equal(rows + unlisted, 9, `${rows} rows and ${unlisted} clusters named as listing nothing`);
  assert.ok(rows >= 1);
  await page.goto(server.url + "/search/");
  const text = await page.textContent("main");
  assert.match(text, /Search works in your browser with JavaScript/);
  assert.ok(await page.$("main a[href='/schools/']"));
  await context.close();
});
