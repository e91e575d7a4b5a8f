// The quick exit: by click, by keyboard, by pressing Escape three times, and without
// JavaScript as a plain link. The neutral site is answered locally (no network here).
import { test } from "node:test";
import assert from "node:assert/strict";
import { newPage, focusIsVisible } from "./lib/checks.mjs";
import { realSiteSession } from "./lib/sites.mjs";

const NEUTRAL = "https://www.bbc.co.uk/weather";
const session = await realSiteSession();

async function pageWithNeutralSite(options = {}) {
  const context = await session.browser.newContext(options);
  await context.route("https://www.bbc.co.uk/**", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<title>Weather</title><p>Weather</p>" }));
  return context.newPage();
}

test("clicking quick exit replaces the page with the neutral site, and Back does not return", async () => {
  const page = await pageWithNeutralSite();
  await page.goto(session.server.url + "/");
  await page.goto(session.server.url + "/getting-help/");
  await page.click("a.quick-exit-link");
  await page.waitForURL(NEUTRAL);
  await page.goBack();
  assert.equal(page.url(), session.server.url + "/", "the sensitive page was replaced in the history");
  await page.context().close();
});

test("quick exit is the second thing Tab reaches, with visible focus, and Enter leaves", async () => {
  const page = await pageWithNeutralSite();
  await page.goto(session.server.url + "/clusters/inner-east/");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement.className);
  assert.equal(focused, "quick-exit-link");
  assert.ok((await focusIsVisible(page)).ok, "focus on quick exit is not visible");
  await page.keyboard.press("Enter");
  await page.waitForURL(NEUTRAL);
  await page.context().close();
});

test("pressing Escape three times leaves; twice does not", async () => {
  const page = await pageWithNeutralSite();
  await page.goto(session.server.url + "/getting-help/");
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");
  await page.waitForTimeout(300);
  assert.equal(page.url(), session.server.url + "/getting-help/");
  await page.keyboard.press("Escape");
  await page.waitForURL(NEUTRAL);
  await page.context().close();
});

test("without JavaScript quick exit is a plain link to the neutral site", async () => {
  const page = await pageWithNeutralSite({ javaScriptEnabled: false });
  await page.goto(session.server.url + "/getting-help/");
  assert.equal(await page.getAttribute("a.quick-exit-link", "href"), NEUTRAL);
  assert.match(await page.textContent(".quick-exit-help"), /browsing history/);
  await page.click("a.quick-exit-link");
  await page.waitForURL(NEUTRAL);
  await page.context().close();
});

test("pages without sensitive content have no quick exit", async () => {
  const page = await newPage(session.browser);
  for (const p of ["/", "/clusters/arm/", "/core-offer/"]) {
    await page.goto(session.server.url + p);
    assert.equal(await page.$("a.quick-exit-link"), null, p);
  }
  await page.context().close();
});

test("a cluster's printable offer fits on one or two pages", async () => {
  const page = await newPage(session.browser);
  const counts = {};
  for (const slug of ["arm", "temple-newsam"]) {
    await page.goto(`${session.server.url}/clusters/${slug}/offer/`);
    await page.emulateMedia({ media: "print" });
    const pdf = await page.pdf({ format: "A4" });
    counts[slug] = (pdf.toString("latin1").match(/\/Type\s*\/Page(?![s\w])/g) || []).length;
  }
  console.log(`# printable offer pages: ${JSON.stringify(counts)}`);
  assert.ok(counts.arm <= 2, `A.R.M's offer prints on ${counts.arm} pages`);
  assert.equal(counts["temple-newsam"], 1);
  await page.context().close();
});
