// The practitioner's comparison and the page's stability: the core offer never breaks a
// word, reads at 320 px (a block per cluster, filtered data on screen), and nothing on
// the pages with script-driven controls moves while they load (cumulative layout shift 0).
import { test } from "node:test";
import assert from "node:assert/strict";
import { newPage } from "./lib/checks.mjs";
import { realSiteSession } from "./lib/sites.mjs";

const session = await realSiteSession();
const WIDTHS = [320, 390, 768, 1024, 1280];

/** Every word in the core offer's table that the browser laid out on two lines. */
async function brokenWords(page) {
  return page.evaluate(() => {
    const out = [];
    const walker = document.createTreeWalker(document.querySelector("table.matrix"), NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement.checkVisibility()) continue;
      // A hyphenated compound may wrap after its hyphen ("one-to-" / "one"), as print
      // does; each part is checked on its own.
      for (const m of node.data.matchAll(/[^\s-]+-?/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        // A word on one line has one box (or two at most when it ends a line with
        // nothing after it); a word split across lines has boxes at different heights.
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) out.push(m[0]);
      }
    }
    return out;
  });
}

test("the core offer never breaks a word inside, at any width", async () => {
  for (const width of WIDTHS) {
    const page = await newPage(session.browser, { width, height: 900 });
    await page.goto(session.server.url + "/core-offer/");
    assert.deepEqual(await brokenWords(page), [], `words broken at ${width} px`);
    assert.ok((await page.$$eval("table.matrix tbody tr", (rs) => rs.length)) > 0);
    await page.context().close();
  }
});

test("at 320 px the core offer is a block per cluster, and a filtered view's data is on screen", async () => {
  const page = await newPage(session.browser, { width: 320, height: 640 });
  await page.goto(session.server.url + "/core-offer/");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
  // No "None listed" cells on a phone: each block lists only what the cluster offers, under
  // the kind of help's name.
  const shown = await page.$$eval("table.matrix td", (tds) => tds.filter((td) => td.checkVisibility()).map((td) => td.innerText));
  assert.ok(shown.length > 0);
  for (const cell of shown) assert.doesNotMatch(cell, /None listed/, "an empty cell is shown on a phone");
  await page.selectOption("#category", "counselling");
  await page.waitForURL(/category=counselling/);
  const items = await page.$$eval("table.matrix li", (ls) =>
    ls.filter((l) => l.checkVisibility()).map((l) => { const r = l.getBoundingClientRect(); return { text: l.innerText, left: r.left, right: r.right }; }));
  assert.ok(items.length > 0, "the filtered view shows no service");
  for (const i of items) assert.ok(i.left >= 0 && i.right <= 320, `"${i.text}" is off screen (${Math.round(i.left)} to ${Math.round(i.right)} px)`);
  const label = await page.$$eval("table.matrix .cell-label", (ls) => ls.filter((l) => l.checkVisibility()).map((l) => l.innerText));
  assert.deepEqual([...new Set(label)], ["Counselling and therapy"]);
  await page.context().close();
});

/** The page's cumulative layout shift from the start of loading until it has settled. */
async function layoutShift(page, url) {
  await page.addInitScript(() => {
    window.__shift = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
    }).observe({ type: "layout-shift", buffered: true });
  });
  await page.goto(url, { waitUntil: "networkidle" });
  await page.waitForTimeout(500);
  return page.evaluate(() => window.__shift);
}

test("nothing moves while the finder and the core-offer filters load (layout shift 0)", async () => {
  for (const width of [390, 1280]) {
    for (const url of ["/", "/core-offer/", "/core-offer/?category=counselling", "/search/?q=counselling"]) {
      const page = await newPage(session.browser, { width, height: 844 });
      // Slow the scripts down, as on a phone, so any late insertion would show.
      await page.route("**/*.mjs", async (route) => { await new Promise((r) => setTimeout(r, 300)); await route.continue(); });
      const shift = await layoutShift(page, session.server.url + url);
      assert.equal(shift, 0, `${url} at ${width} px: layout shift ${shift.toFixed(4)}`);
      await page.context().close();
    }
  }
});
