// Exit this page: by click, by keyboard, by pressing Shift three times, and without
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

test("an Exit this page skip link is the second thing Tab reaches and the button the third, with visible focus, and Enter leaves", async () => {
  for (const [tabs, className] of [[2, "skip-link quick-exit-skip"], [3, "quick-exit-link"]]) {
    const page = await pageWithNeutralSite();
    await page.goto(session.server.url + "/clusters/inner-east/");
    for (let i = 0; i < tabs; i++) await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => [document.activeElement.className, document.activeElement.textContent]);
    assert.deepEqual(focused, [className, className === "quick-exit-link" ? "Emergency: Exit this page" : "Exit this page"]);
    assert.ok((await focusIsVisible(page)).ok, `focus on ${className} is not visible`);
    await page.keyboard.press("Enter");
    await page.waitForURL(NEUTRAL);
    await page.context().close();
  }
});

test("pressing Shift three times leaves; twice does not, nor Shift held for capital letters", async () => {
  const page = await pageWithNeutralSite();
  await page.goto(session.server.url + "/getting-help/");
  // Capital letters typed with Shift held do not count.
  for (let i = 0; i < 4; i++) await page.keyboard.press("Shift+KeyA");
  await page.keyboard.press("Shift");
  await page.keyboard.press("Shift");
  await page.waitForTimeout(300);
  assert.equal(page.url(), session.server.url + "/getting-help/");
  assert.equal(await page.textContent("[data-quick-exit-status]"), "Shift, press 1 more time to exit.");
  assert.equal(await page.$$eval("[data-quick-exit-indicator] .on", (d) => d.length), 2, "two dots filled");
  await page.keyboard.press("Shift");
  await page.waitForURL(NEUTRAL);
  await page.context().close();
});

test("presses more than 5 seconds apart start again", async () => {
  const page = await pageWithNeutralSite();
  await page.clock.install();
  await page.goto(session.server.url + "/getting-help/");
  await page.keyboard.press("Shift");
  await page.keyboard.press("Shift");
  await page.clock.runFor(5100);
  assert.equal(await page.textContent("[data-quick-exit-status]"), "Exit this page expired.");
  await page.keyboard.press("Shift");
  await page.waitForTimeout(300);
  assert.equal(page.url(), session.server.url + "/getting-help/");
  await page.context().close();
});

test("the Exit this page button stays on screen at every width while the page scrolls", async () => {
  for (const width of [320, 390, 768, 1280]) {
    const page = await pageWithNeutralSite({ viewport: { width, height: 700 } });
    await page.goto(session.server.url + "/clusters/inner-east/");
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForTimeout(100);
    const box = await page.locator("a.quick-exit-link").boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= 700 && box.x + box.width <= width, `${width} px: ${JSON.stringify(box)}`);
    await page.context().close();
  }
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
