// Keyboard-only journeys, visible focus, and print.
import { test } from "node:test";
import assert from "node:assert/strict";
import { newPage, focusIsVisible } from "./lib/checks.mjs";
import { realSiteSession } from "./lib/sites.mjs";

const session = await realSiteSession();

test("Tab reaches the skip link first, and it moves focus to the main content", async () => {
  const page = await newPage(session.browser);
  await page.goto(session.server.url + "/");
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => ({ text: document.activeElement.textContent, href: document.activeElement.getAttribute("href") }));
  assert.deepEqual(first, { text: "Skip to main content", href: "#main" });
  const skip = await focusIsVisible(page);
  assert.ok(skip.ok, `skip link focus not visible: ${skip.what}`);
  const box = await page.evaluate(() => document.activeElement.getBoundingClientRect().left);
  assert.ok(box >= 0, "the focused skip link is on screen");
  await page.keyboard.press("Enter");
  const focused = await page.evaluate(() => document.activeElement.id);
  assert.equal(focused, "main");
  await page.context().close();
});

test("from a school in the A to Z, the keyboard reaches the cluster's How to get help and its first phone link (the cluster leader's), with focus always visible", async () => {
  const page = await newPage(session.browser);
  await page.goto(session.server.url + "/schools/");
  // Tab to the "how to get help" link for St Paul's RC Primary.
  let reached = false;
  for (let i = 0; i < 400 && !reached; i++) {
    await page.keyboard.press("Tab");
    const f = await focusIsVisible(page);
    assert.ok(f.ok, `A to Z, Tab ${i + 1}: focus not visible on ${f.what}`);
    reached = await page.evaluate(() => {
      const el = document.activeElement;
      return el.matches("a[href$='#how-to-get-help']") && el.closest("li").textContent.includes("St Paul's RC Primary");
    });
  }
  assert.ok(reached, "could not reach St Paul's RC Primary's help link by keyboard");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/clusters\/arm\/#how-to-get-help$/);
  await page.waitForLoadState("load");
  // Keys go to the new document only once it has the focus.
  await page.waitForFunction(() => document.hasFocus());
  // Keep tabbing until the phone link inside How to get help has focus.
  let phone = null;
  for (let i = 0; i < 60 && !phone; i++) {
    await page.keyboard.press("Tab");
    const f = await focusIsVisible(page);
    assert.ok(f.ok, `cluster page, Tab ${i + 1}: focus not visible on ${f.what}`);
    phone = await page.evaluate(() => {
      const el = document.activeElement;
      return el.matches("section.get-help a[href^='tel:']") ? el.getAttribute("href") : null;
    });
  }
  // A.R.M publishes no help line of its own, but its cluster leader's phone: that
  // comes first, before the city-wide number.
  assert.equal(phone, "tel:+441133931244");
  await page.context().close();
});

/** Pages in a PDF from Chromium's print-to-PDF. */
function pdfPages(buffer) {
  return (buffer.toString("latin1").match(/\/Type\s*\/Page(?![s\w])/g) || []).length;
}

test("cluster and core-offer pages print without navigation chrome, with repeating table headers, on few pages", async () => {
  const page = await newPage(session.browser);
  const counts = {};
  for (const path of ["/clusters/arm/", "/clusters/temple-newsam/", "/core-offer/"]) {
    await page.goto(session.server.url + path);
    await page.emulateMedia({ media: "print" });
    const hidden = await page.evaluate(() =>
      [".skip-link", ".site-header nav", ".breadcrumbs", ".site-footer", ".contents"].every((s) => [...document.querySelectorAll(s)].every((e) => getComputedStyle(e).display === "none")),
    );
    assert.ok(hidden, `${path}: navigation is printed`);
    // On paper: where to find the page again, and when it was printed.
    const source = await page.evaluate(() => { const p = document.querySelector("[data-print-source]"); return p && getComputedStyle(p).display !== "none" ? p.textContent : null; });
    const today = new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
    assert.equal(source, `This page is at ${session.server.url}${path}, printed on ${today}.`, `${path}: the printed page does not say where it is from`);
    // What the printout says it leaves out is not printed, and run-on facts read cleanly.
    const printed = await page.evaluate(() => document.body.innerText);
    if (path.startsWith("/clusters/")) {
      assert.doesNotMatch(printed, /What it costs the cluster|Paid for by/, `${path}: costs are printed though the note says they are left out`);
    }
    assert.doesNotMatch(printed, /\.\.|\. \./, `${path}: a doubled full stop on paper`);
    const theadRepeats = await page.evaluate(() => [...document.querySelectorAll("thead")].every((t) => getComputedStyle(t).display === "table-header-group"));
    assert.ok(theadRepeats, `${path}: table headers do not repeat`);
    const pdf = await page.pdf({ format: "A4", printBackground: false });
    counts[path] = pdfPages(pdf);
    await page.emulateMedia({ media: "screen" });
    assert.equal(await page.isVisible("[data-print-source]"), false, `${path}: the print-only line shows on screen`);
  }
  console.log(`# printed pages: ${JSON.stringify(counts)}`);
  assert.ok(counts["/clusters/temple-newsam/"] <= 2, `a short cluster page prints on ${counts["/clusters/temple-newsam/"]} pages`);
  // The fullest record: its services' facts run on as sentences, and what is for the
  // screen (costs, funding, governance, meetings, news) is left out, with a note saying so.
  assert.ok(counts["/clusters/arm/"] <= 4, `the fullest cluster page prints on ${counts["/clusters/arm/"]} pages`);
  assert.ok(counts["/core-offer/"] <= 4, `the core offer prints on ${counts["/core-offer/"]} pages`);
  await page.context().close();
});
