// "Report a problem with this page": on every cluster, guide and page, in the same place
// (the end of the main content), opening without JavaScript, with one mail link per kind
// of problem that names the page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { newPage } from "./lib/checks.mjs";
import { realSiteSession } from "./lib/sites.mjs";

const session = await realSiteSession();

/** Every cluster, guide and page of the real site, from the lists that link to them. */
async function recordPages(page) {
  const found = new Set();
  for (const [list, pattern] of [["/clusters/", /^\/clusters\/[a-z0-9-]+\/$/], ["/guides/", /^\/guides\/[a-z0-9-]+\/$/], ["/", /^\/[a-z0-9-]+\/$/]]) {
    await page.goto(session.server.url + list);
    const hrefs = await page.$$eval("a[href^='/']", (as) => as.map((a) => a.getAttribute("href")));
    for (const h of hrefs) if (pattern.test(h)) found.add(h);
  }
  return [...found];
}

test("every cluster, guide and page ends with the same way to report a problem, without JavaScript", async () => {
  const context = await session.browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const urls = await recordPages(page);
  for (const kind of ["/clusters/", "/guides/"]) assert.ok(urls.some((u) => u.startsWith(kind) && u !== kind), `no ${kind} pages found: ${urls.join(" ")}`);
  assert.ok(urls.includes("/governance/"), urls.join(" "));
  for (const url of urls) {
    await page.goto(session.server.url + url);
    const last = await page.$eval("main", (m) => m.lastElementChild && m.lastElementChild.id);
    assert.equal(last, "report", `${url}: the report link is not the last thing in the main content`);
    assert.equal((await page.innerText("#report summary")).trim(), "Report a problem with this page", url);
    assert.equal(await page.isVisible("#report a[href^='mailto:']"), false, `${url}: open before it is asked for`);
    await page.click("#report summary");
    const links = await page.$$eval("#report a[href^='mailto:']", (as) => as.map((a) => ({ text: a.textContent, href: a.getAttribute("href") })));
    assert.equal(links.length, 4, `${url}: ${JSON.stringify(links)}`);
    for (const l of links) {
      const body = decodeURIComponent(new URL(l.href).searchParams.get("body") || l.href.split("body=")[1]);
      assert.ok(body.includes(url), `${url}: the mail for "${l.text}" does not name the page: ${body}`);
    }
    assert.ok(await page.isVisible("#report a[href^='mailto:']"), `${url}: the links do not show when opened`);
    assert.match(await page.innerText("#report"), /Or email \S+@\S+, saying which page/, `${url}: the address is not shown`);
  }
  await context.close();
});
