// What a parent on a phone sees first: a way to get help on the first screen (390 x 844)
// of the home page and of every cluster page, and the way forward when a school is not
// listed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { newPage } from "./lib/checks.mjs";
import { pages } from "./lib/server.mjs";
import { realSiteSession } from "./lib/sites.mjs";

const session = await realSiteSession();
const PHONE = { width: 390, height: 844 };

/** Where the first `tel:` link in the main content is, at the top of the page. */
async function firstPhone(page) {
  return page.evaluate(() => {
    const a = document.querySelector("main a[href^='tel:']");
    if (!a) return null;
    const r = a.getBoundingClientRect();
    return { href: a.getAttribute("href"), bottom: r.bottom + window.scrollY, height: r.height };
  });
}

test("the home page and every cluster page show a phone number on a phone's first screen", async () => {
  const page = await newPage(session.browser, PHONE);
  const urls = ["/", ...(await clusterUrls(page))];
  assert.ok(urls.length > 5, `cluster pages found: ${urls.join(" ")}`);
  for (const url of urls) {
    await page.goto(session.server.url + url);
    const phone = await firstPhone(page);
    assert.ok(phone, `${url}: no phone link in the main content`);
    assert.ok(phone.height > 0 && phone.bottom <= PHONE.height, `${url}: the first phone link ends ${Math.round(phone.bottom)} px down, below the first screen (${PHONE.height} px)`);
  }
  await page.context().close();
});

/** The cluster pages, from the list of every cluster. */
async function clusterUrls(page) {
  await page.goto(session.server.url + "/clusters/");
  return page.$$eval("main a[href^='/clusters/']", (as) => [...new Set(as.map((a) => a.getAttribute("href")).filter((h) => /^\/clusters\/[a-z0-9-]+\/$/.test(h)))]);
}

test("a cluster with a cluster leader's phone but no help line of its own offers the leader first", async () => {
  const page = await newPage(session.browser, PHONE);
  await page.goto(session.server.url + "/clusters/arm/");
  const phone = await firstPhone(page);
  assert.equal(phone.href, "tel:+441133931244");
  assert.match(await page.innerText("main .help-first"), /To ask this cluster for help, call Jo Odu, cluster leader, on 0113 393 1244/);
  assert.ok(!(await page.innerText("main")).includes("not published here"));
  await page.context().close();
});

test("the schools A to Z says what to do when a school is not listed", async () => {
  const page = await newPage(session.browser, PHONE);
  await page.goto(session.server.url + "/schools/");
  const box = page.locator(".not-listed");
  assert.match(await box.innerText(), /Is your school not listed\?/);
  assert.equal(await box.locator("a[href^='tel:']").getAttribute("href"), "tel:+441133785254");
  // A link near the top leads there.
  await page.click("a[href='#not-listed']");
  assert.ok(await box.isVisible());
  await page.context().close();
});

test("every link and control on every page is at least 24 x 24 px to tap, or a link within a sentence (WCAG 2.2, 2.5.8)", async () => {
  const page = await newPage(session.browser, PHONE);
  const urls = pages(session.root);
  assert.ok(urls.length > 20, `${urls.length} pages`);
  const small = [];
  for (const url of urls) {
    await page.goto(session.server.url + url);
    small.push(...(await page.evaluate((url) => {
      const out = [];
      for (const el of document.querySelectorAll("a[href], button, input, select, textarea, summary")) {
        const r = el.getBoundingClientRect();
        if ((r.width === 0 && r.height === 0) || getComputedStyle(el).visibility === "hidden") continue;
        // The exception for a link in a sentence: its block holds other text too.
        let block = el.parentElement;
        while (block && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
        if (block && block.textContent.trim().length > el.textContent.trim().length + 1) continue;
        if (r.width < 24 || r.height < 24) out.push(`${url}: ${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 40)}" is ${Math.round(r.width)} x ${Math.round(r.height)}`);
      }
      return out;
    }, url)));
  }
  assert.deepEqual(small, []);
  await page.context().close();
});
