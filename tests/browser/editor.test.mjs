// The editor in `clusterdir serve` (/_edit/), in Chromium, on a copy of the real site:
// the jobs the product brief lists done by keyboard alone (change a phone number, post
// an update, add a service, publish a new edition of a guide, add a meeting), an
// invalid value shown beside its field with the file untouched, and the editor's
// pages checked like every other page (axe-core, reflow at 320 px, strict CSP, the Nu
// Html Checker).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import readline from "node:readline";
import http from "node:http";
import { chromium } from "playwright-core";
import { CHROMIUM, launch, newPage, checkPage, vnuErrors, focusIsVisible, cspViolations, axeViolations, reflowProblems } from "./lib/checks.mjs";
import { REPO, binary } from "./lib/sites.mjs";

let browser, serve, root;

/** Start `clusterdir serve` on a copy of the real site's content; resolves to its address. */
function startServe(site) {
  const child = spawn(binary(), ["--root", site, "serve", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = readline.createInterface({ input: child.stdout });
  const printed = [];
  const url = new Promise((resolve, reject) => {
    lines.on("line", (line) => {
      printed.push(line);
      const m = line.match(/^Previewing at (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`serve exited (${code}): ${printed.join("\n")}`)));
  });
  return { child, url, printed };
}

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "clusterdir-editor-"));
  fs.cpSync(path.join(REPO, "content"), path.join(root, "content"), { recursive: true });
  serve = startServe(root);
  serve.url = await serve.url;
  browser = await launch();
});

after(async () => {
  serve?.child.kill();
  await browser?.close();
});

const file = (rel) => fs.readFileSync(path.join(root, rel), "utf8");
const changedLines = (a, b) => {
  const [x, y] = [a.split("\n"), b.split("\n")];
  return { count: Math.max(x.length, y.length), changed: x.filter((l, i) => l !== y[i]).length, added: y.length - x.length };
};

/** Press Tab until the focused element matches `selector`; every stop shows its focus. */
async function tabTo(page, selector, limit = 1500) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) {
      const f = await focusIsVisible(page);
      assert.ok(f.ok, `focus not visible on ${f.what}`);
      return;
    }
  }
  assert.fail(`Tab never reached ${selector}`);
}

/** Replace the focused field's text by typing. */
async function typeOver(page, text) {
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Backspace");
  await page.keyboard.type(text);
}

/** Wait until the preview has rebuilt with `expected` in the page at `url`, then
 * load that page in the browser and see it there. */
async function waitForPage(page, url, expected) {
  let found = false;
  for (let i = 0; i < 100 && !found; i++) {
    const r = await fetch(serve.url + url);
    found = r.status === 200 && (await r.text()).includes(expected);
    if (!found) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(found, `${url} never showed ${expected}`);
  await page.goto(serve.url + url, { waitUntil: "load" });
  assert.ok((await page.locator("main").innerHTML()).includes(expected), `${url} in the browser lacks ${expected}`);
}

/** Wait for the answer to a save: the confirmation panel, or fail with the problems. */
async function saved(page) {
  await page.waitForSelector(".govuk-panel, .govuk-error-summary");
  const problems = await page.evaluate(() => document.querySelector(".govuk-error-summary")?.textContent);
  assert.equal(problems, undefined, `the save was refused: ${problems}`);
}

async function open(path) {
  const page = await newPage(browser);
  await page.goto(serve.url + path);
  await page.waitForFunction(() => document.hasFocus());
  return page;
}

test("keyboard only: follow 'Edit this page' on A.R.M, change a phone number, and see it in the reloaded page; the file changes by one line", async () => {
  const before = file("content/clusters/arm.toml");
  const page = await open("/clusters/arm/");
  await tabTo(page, "a[href='/_edit/cluster/arm']");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/_edit\/cluster\/arm$/);
  await page.waitForFunction(() => document.hasFocus());
  await tabTo(page, "#f-contacts-0-phone");
  await typeOver(page, "0113 496 0123");
  await page.keyboard.press("Enter");
  await saved(page);
  assert.match(await page.textContent(".editor-diff"), /0113 496 0123/);
  const after = file("content/clusters/arm.toml");
  assert.deepEqual(changedLines(before, after), { count: before.split("\n").length, changed: 1, added: 0 });
  await waitForPage(page, "/clusters/arm/", "0113 496 0123");
  assert.deepEqual(await cspViolations(page), []);
  await page.context().close();
});

test("keyboard only: post an update, and see it on the home page and in the Atom feed", async () => {
  const page = await open("/_edit/update");
  await tabTo(page, "#f-_cluster");
  await page.keyboard.type("Morley");
  await tabTo(page, "#f-updates-0-date");
  const today = new Date().toISOString().slice(0, 10);
  await page.keyboard.type(today);
  await tabTo(page, "#f-updates-0-title");
  await page.keyboard.type("New drop-in sessions for parents");
  await tabTo(page, "#f-updates-0-body");
  await page.keyboard.type("Drop-in sessions start on Tuesdays at the children's centre.");
  await tabTo(page, "button[value='save']:not([tabindex])");
  await page.keyboard.press("Enter");
  await saved(page);
  assert.match(file("content/clusters/morley.toml"), /New drop-in sessions for parents/);
  await waitForPage(page, "/", "New drop-in sessions for parents");
  const feed = await (await fetch(serve.url + "/feed.xml")).text();
  assert.match(feed, /New drop-in sessions for parents/);
  await page.context().close();
});

test("an invalid email shows the error beside the field and in the summary, and the file is untouched", async () => {
  const before = file("content/clusters/arm.toml");
  const page = await open("/_edit/cluster/arm");
  await tabTo(page, "#f-contacts-0-email");
  await typeOver(page, "jo at example");
  await page.keyboard.press("Enter");
  await page.waitForSelector(".govuk-error-summary");
  const beside = await page.evaluate(() => {
    const input = document.getElementById("f-contacts-0-email");
    const ids = (input.getAttribute("aria-describedby") || "").split(" ");
    const errors = ids.map((id) => document.getElementById(id)).filter((e) => e && e.classList.contains("govuk-error-message"));
    return { errors: errors.map((e) => e.textContent), group: input.closest(".govuk-form-group--error") !== null, kept: input.value };
  });
  assert.ok(beside.errors.length > 0 && beside.errors[0].startsWith("Error:"), JSON.stringify(beside));
  assert.ok(beside.group);
  assert.equal(beside.kept, "jo at example");
  const link = await page.getAttribute(".govuk-error-summary a[href='#f-contacts-0-email']", "href");
  assert.equal(link, "#f-contacts-0-email");
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains("govuk-error-summary")), true);
  assert.equal(file("content/clusters/arm.toml"), before);
  await page.context().close();
});

test("keyboard only: add a service with 'Add another', without JavaScript doing it", async () => {
  const before = file("content/clusters/arm.toml");
  const offers = (before.match(/^\[\[offer\]\]/gm) || []).length;
  const page = await open("/_edit/cluster/arm");
  await tabTo(page, "button[value='add:offer']");
  await page.keyboard.press("Enter");
  await page.waitForSelector(`#f-offer-${offers}-service`);
  assert.equal(file("content/clusters/arm.toml"), before, "adding a row saves nothing");
  // The page opens at the new row: the next Tab is its first field.
  await page.waitForFunction(() => document.hasFocus());
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), `f-offer-${offers}-service`);
  await page.keyboard.type("Parenting course");
  await tabTo(page, `#f-offer-${offers}-category`);
  await page.keyboard.type("Family");
  await tabTo(page, ".editor-actions button[value='save']");
  await page.keyboard.press("Enter");
  await saved(page);
  const after = file("content/clusters/arm.toml");
  assert.equal((after.match(/^\[\[offer\]\]/gm) || []).length, offers + 1);
  assert.match(after, /service = "Parenting course"/);
  await page.context().close();
});

test("keyboard only: publish a new edition of a guide", async () => {
  const page = await open("/_edit/");
  await tabTo(page, "a[href='/_edit/new/guide?from=cluster-working-2025']");
  await page.keyboard.press("Enter");
  await page.waitForURL(/new\/guide/);
  await page.waitForFunction(() => document.hasFocus());
  await tabTo(page, "#f-_slug");
  await page.keyboard.type("cluster-working-2026");
  await tabTo(page, "#f-edition");
  await page.keyboard.type("2026-11");
  await page.keyboard.press("Enter");
  await saved(page);
  const made = file("content/guides/cluster-working-2026.md");
  assert.match(made, /replaces = "cluster-working-2025"/);
  await waitForPage(page, "/guides/cluster-working-2026/", "<h1");
  await page.context().close();
});

test("keyboard only: add a meeting", async () => {
  const page = await open("/_edit/meeting");
  await tabTo(page, "#f-_cluster");
  await page.keyboard.type("Alwoodley");
  await tabTo(page, "#f-meetings-0-title");
  await page.keyboard.type("Parents' open evening");
  await tabTo(page, "#f-meetings-0-date");
  await page.keyboard.type("2026-12-03");
  await page.keyboard.press("Enter");
  await saved(page);
  assert.match(file("content/clusters/arm.toml"), /Parents' open evening/);
  await waitForPage(page, "/clusters/arm/", "open evening");
  await page.context().close();
});

test("a guide's body shows a live preview as it is typed (JavaScript), and with the Preview button (without)", async () => {
  const before = file("content/guides/cluster-working-2025.md");
  const page = await open("/_edit/guide/cluster-working-2025");
  await page.focus("#f-body");
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.type("\n\nA *fresh* paragraph.");
  await page.waitForFunction(() => [...document.querySelectorAll("#editor-preview em")].some((e) => e.textContent === "fresh"));
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(serve.url + "/_edit/guide/cluster-working-2025");
  await plain.fill("#f-body", "Only *this*.");
  await plain.click("button[value='preview']");
  assert.equal(await plain.textContent("#editor-preview em"), "this");
  assert.equal(file("content/guides/cluster-working-2025.md"), before, "previewing saves nothing");
  assert.deepEqual(await cspViolations(page), []);
  await noScript.close();
  await page.context().close();
});

test("in Chromium: a post from another website, a request under another host name and a form without its token are each refused, and nothing is written", async () => {
  const file0 = file("content/clusters/arm.toml");
  const form = await (await fetch(serve.url + "/_edit/cluster/arm")).text();
  const hidden = (name) => form.match(new RegExp(`name="${name}" value="([^"]*)"`))[1];
  const [token, version] = [hidden("_token"), hidden("_version")];
  // Another website (another port is another origin) whose page posts the right token.
  const other = http.createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(`<!DOCTYPE html><title>Elsewhere</title><form method="post" action="${serve.url}/_edit/cluster/arm">
      <input name="_token" value="${token}"><input name="_version" value="${version}">
      <input name="name" value="Taken over"><input name="last_reviewed" value="2026-01">
      <button name="_action" value="save">Go</button></form>`);
  });
  await new Promise((r) => other.listen(0, "127.0.0.1", r));
  const page = await newPage(browser);
  await page.goto(`http://127.0.0.1:${other.address().port}/`);
  const [posted] = await Promise.all([page.waitForNavigation(), page.click("button")]);
  assert.equal(posted.status(), 403);
  assert.match(await page.textContent("body"), /another website/);
  other.close();
  // The editor's own form with its token taken out.
  await page.goto(serve.url + "/_edit/cluster/arm");
  await page.evaluate(() => document.querySelector("input[name=_token]").remove());
  await page.fill("#f-area", "Changed without a token");
  const [untokened] = await Promise.all([page.waitForNavigation(), page.click(".editor-actions button[value='save']")]);
  assert.equal(untokened.status(), 403);
  assert.match(await page.textContent("body"), /no editor token/);
  await page.context().close();
  // A website that points its own name at the preview (DNS rebinding).
  const rebound = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", `--host-resolver-rules=MAP evil.example 127.0.0.1`],
  });
  try {
    const evil = await rebound.newPage();
    const port = new URL(serve.url).port;
    const r = await evil.goto(`http://evil.example:${port}/_edit/cluster/arm`);
    assert.equal(r.status(), 421);
    assert.doesNotMatch(await evil.content(), /_token/);
  } finally {
    await rebound.close();
  }
  assert.equal(file("content/clusters/arm.toml"), file0);
});

test("the editor's pages pass axe, reflow at 320 px, the strict CSP and the Nu Html Checker", async () => {
  // Every record's form (each linked from the start page), and every other kind of page.
  const start = await (await fetch(serve.url + "/_edit/")).text();
  const forms = [...new Set([...start.matchAll(/href="(\/_edit\/(?:cluster|guide|page)\/[a-z0-9-]+)"/g)].map((m) => m[1]))];
  assert.ok(forms.length >= 15, `only ${forms.length} records on the start page`);
  const pages = ["/_edit/", ...forms, "/_edit/update", "/_edit/meeting", "/_edit/new/cluster", "/_edit/new/guide", "/_edit/new/page", "/_edit/new/guide?from=cluster-working-2025", "/_edit/cluster/arm/history"];
  const saved = fs.mkdtempSync(path.join(os.tmpdir(), "clusterdir-editor-html-"));
  const problems = [];
  const page = await newPage(browser);
  for (const p of pages) {
    problems.push(...(await checkPage(page, serve.url + p, p)));
    fs.writeFileSync(path.join(saved, p.replace(/\W+/g, "_") + ".html"), await page.content());
  }
  // A form shown with its errors.
  await page.goto(serve.url + "/_edit/cluster/arm");
  await page.fill("#f-contacts-0-email", "not an email");
  await page.click(".editor-actions button[value='save']");
  await page.waitForSelector(".govuk-error-summary");
  for (const p of [...(await axeViolations(page)), ...(await reflowProblems(page)), ...(await cspViolations(page))]) {
    problems.push(`the form with errors: ${p}`);
  }
  fs.writeFileSync(path.join(saved, "errors.html"), await page.content());
  // After a save (the panel and the diff), and a file changed since the form was opened.
  const states = {
    saved: async () => page.fill("#f-area", "Alwoodley, Roundhay and Moortown, north east Leeds"),
    conflict: async () => fs.appendFileSync(path.join(root, "content/clusters/arm.toml"), "\n# Someone else's note\n"),
  };
  for (const [name, change] of Object.entries(states)) {
    await page.goto(serve.url + "/_edit/cluster/arm");
    await change();
    await Promise.all([page.waitForNavigation(), page.click(".editor-actions button[value='save']")]);
    assert.ok(await page.$(name === "saved" ? ".govuk-panel" : "text=This file changed since you opened it"), name);
    for (const p of [...(await axeViolations(page)), ...(await reflowProblems(page)), ...(await cspViolations(page))]) {
      problems.push(`${name}: ${p}`);
    }
    fs.writeFileSync(path.join(saved, `${name}.html`), await page.content());
  }
  // The fixture site's records fill every field of the model (sub-tables, lists in
  // lists, every choice), which the real site's do not.
  const fixture = fs.mkdtempSync(path.join(os.tmpdir(), "clusterdir-editor-fixture-"));
  fs.cpSync(path.join(REPO, "tests/fixtures/full"), fixture, { recursive: true });
  const second = startServe(fixture);
  try {
    const base = await second.url;
    const list = await (await fetch(base + "/_edit/")).text();
    const records = [...new Set([...list.matchAll(/href="(\/_edit\/(?:cluster|guide|page)\/[a-z0-9-]+)"/g)].map((m) => m[1]))];
    assert.ok(records.length >= 5, `only ${records.length} fixture records`);
    for (const p of records) {
      problems.push(...(await checkPage(page, base + p, `fixture ${p}`)));
      fs.writeFileSync(path.join(saved, "fixture" + p.replace(/\W+/g, "_") + ".html"), await page.content());
    }
  } finally {
    second.child.kill();
  }
  const css = await (await fetch(serve.url + "/_edit/static/editor.css")).text();
  fs.writeFileSync(path.join(saved, "editor.css"), css);
  problems.push(...vnuErrors([saved]));
  assert.deepEqual(problems, []);
  await page.context().close();
});

test("at 390 px and 320 px no button of the editor breaks inside a word, and the history page is headed by the record's name with times in UTC", async () => {
  const page = await newPage(browser);
  // A save, so that the history has a version to restore.
  await page.goto(serve.url + "/_edit/cluster/arm");
  await page.fill("#f-area", "Alwoodley, Roundhay and Moortown");
  await Promise.all([page.waitForNavigation(), page.click(".editor-actions button[value='save']")]);
  const broken = [];
  for (const width of [390, 320]) {
    await page.setViewportSize({ width, height: 800 });
    for (const p of ["/_edit/", "/_edit/cluster/arm", "/_edit/cluster/arm/history", "/_edit/new/guide"]) {
      await page.goto(serve.url + p);
      // Every word of every visible button's text sits on one line.
      const split = await page.evaluate(() => {
        const out = [];
        for (const b of document.querySelectorAll("button, .govuk-button")) {
          if (!b.offsetParent || b.closest(".govuk-visually-hidden")) continue;
          const walker = document.createTreeWalker(b, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            if (n.parentElement.closest(".govuk-visually-hidden")) continue;
            for (const m of n.data.matchAll(/\S+/g)) {
              const r = document.createRange();
              r.setStart(n, m.index);
              r.setEnd(n, m.index + m[0].length);
              const tops = new Set([...r.getClientRects()].map((c) => Math.round(c.top)));
              if (tops.size > 1) out.push(m[0]);
            }
          }
        }
        return out;
      });
      broken.push(...split.map((w) => `${p} at ${width} px: "${w}"`));
    }
  }
  assert.deepEqual(broken, []);
  await page.goto(serve.url + "/_edit/cluster/arm/history");
  assert.match(await page.textContent("h1"), /^Earlier versions of Alwoodley, Roundhay and Moortown/);
  const when = await page.textContent("tbody td");
  assert.match(when.trim(), /^\d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d:\d\d UTC$/);
  await page.context().close();
});
