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

test("every abbreviation in a page's main text is spelled out in the text, and the glossary is a link away", async () => {
  const page = await newPage(session.browser, { width: 390, height: 844 });
  await page.goto(session.server.url + "/clusters/arm/");
  const first = await page.evaluate(() => {
    const a = document.querySelector("main abbr[title]");
    return a && { text: a.textContent, title: a.title, after: a.nextSibling && a.nextSibling.textContent };
  });
  assert.ok(first, "no abbreviation is explained on A.R.M's page");
  const urls = [];
  for (const list of ["/clusters/", "/guides/", "/"]) {
    await page.goto(session.server.url + list);
    urls.push(...(await page.$$eval("a[href^='/']", (as) => as.map((a) => a.getAttribute("href")).filter((h) => /^\/([a-z0-9-]+\/){1,2}$/.test(h)))));
  }
  let explained = 0;
  for (const url of new Set(urls)) {
    await page.goto(session.server.url + url);
    const problems = await page.evaluate(() => {
      const main = document.querySelector("main");
      const text = main.innerText.toLowerCase();
      return [...main.querySelectorAll("abbr")].filter((a) => !a.title || !text.includes(a.title.toLowerCase())).map((a) => a.outerHTML);
    });
    assert.deepEqual(problems, [], `${url}: an abbreviation whose expansion is not in the text`);
    explained += await page.$$eval("main abbr", (as) => as.length);
  }
  assert.ok(explained >= 3, `only ${explained} abbreviations explained across the site`);
  await page.goto(session.server.url + "/");
  await page.click("footer a:text('Words we use')");
  assert.match(await page.innerText("main dl.glossary"), /CAMHS \(Child and Adolescent Mental Health Service\)/);
  await page.context().close();
});
