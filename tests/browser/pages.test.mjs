// Every page of the real site and the fixture site: zero axe violations (WCAG 2.0, 2.1
// and 2.2, A and AA), no horizontal scrolling at 320 px and at 200% zoom, no CSP
// violations under a strict policy, and zero Nu Html Checker errors.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, pages } from "./lib/server.mjs";
import { launch, newPage, checkPage, vnuErrors } from "./lib/checks.mjs";
import { SITES } from "./lib/sites.mjs";

let browser;
const built = {};
before(async () => {
  browser = await launch();
  for (const [name, build] of Object.entries(SITES)) built[name] = build();
});
after(async () => browser && browser.close());

for (const site of Object.keys(SITES)) {
  test(`${site} site: every page passes axe, reflow and CSP checks`, async () => {
    const server = await serve(built[site]);
    const page = await newPage(browser);
    const list = pages(built[site]);
    assert.ok(list.length >= 10, `only ${list.length} pages found`);
    const problems = [];
    for (const p of list) problems.push(...(await checkPage(page, server.url + p, `${site}${p}`)));
    await page.context().close();
    await server.close();
    console.log(`# ${site} site: ${list.length} pages checked`);
    assert.deepEqual(problems, [], `problems found:\n${problems.join("\n")}`);
  });
}

test("every page and stylesheet is valid HTML and CSS (Nu Html Checker)", () => {
  const errors = vnuErrors(Object.values(built));
  assert.deepEqual(errors, [], errors.join("\n"));
});
