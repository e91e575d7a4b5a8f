// The checks run on every page: axe-core (WCAG 2.0/2.1/2.2 A and AA), reflow at 320 px
// and at 200% zoom, Content-Security-Policy violations, visible focus; the Nu Html
// Checker over whole folders; and a plain-English score. Each returns problems as
// strings naming the page and the rule, so a failure says what to fix where.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
export const VNU_JAR = path.join(path.dirname(require.resolve("vnu-jar/package.json")), "build/dist/vnu.jar");
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

// WCAG A and AA rules, plus axe's best practices (heading order, one main landmark,
// content inside landmarks, a level-one heading), which this site also promises.
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"];

/** Launch Debian's Chromium (never a downloaded browser). */
export async function launch() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with 'apt-get install -y chromium' (scripts/test.sh does this when run as root)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** A page that records CSP violations (the listener is added by the browser's debugger
 * protocol, so it is not itself subject to the policy). */
export async function newPage(browser, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  // Keyboard tests need this tab to have the focus, not another context's tab.
  await page.bringToFront();
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile || ""}:${e.lineNumber || 0})`);
    });
  });
  return page;
}

export async function cspViolations(page) {
  return page.evaluate(() => window.__csp || []);
}

/** axe-core with the WCAG A and AA rules. Evaluated through the debugger protocol, so
 * the page's strict CSP stays on. */
export async function axeViolations(page) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }), WCAG_TAGS);
  return result.violations.map((v) => `axe ${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

/** True when the page scrolls sideways at the current viewport width. */
export async function overflowsHorizontally(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}

/** Reflow: no horizontal scrolling at 320 CSS px (WCAG 1.4.10) and at 200% zoom of a
 * 1280 px window (640 CSS px). */
export async function reflowProblems(page) {
  const problems = [];
  for (const [label, width] of [["320 px wide", 320], ["200% zoom", 640]]) {
    await page.setViewportSize({ width, height: 800 });
    if (await overflowsHorizontally(page)) {
      const culprit = await page.evaluate(() => {
        const w = document.documentElement.clientWidth;
        const el = [...document.querySelectorAll("body *")].find((e) => e.getBoundingClientRect().right > w + 1 && !e.closest(".table-scroll"));
        return el ? `${el.tagName.toLowerCase()}${el.className ? "." + el.className : ""}` : "unknown element";
      });
      problems.push(`reflow: scrolls sideways at ${label} (${culprit} is too wide)`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  return problems;
}

/** Whether the focused element shows a focus indicator (outline or box-shadow). */
export async function focusIsVisible(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { ok: false, what: "nothing focused" };
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
    const shadow = s.boxShadow && s.boxShadow !== "none";
    const isMain = el.tagName === "MAIN";
    return { ok: outline || shadow || isMain, what: `${el.tagName.toLowerCase()} ${el.getAttribute("href") || el.id || ""}` };
  });
}

/** Load a page and run every per-page check; returns problems naming the page. */
export async function checkPage(page, url, name) {
  const response = await page.goto(url, { waitUntil: "load" });
  const problems = [];
  if (!response || (response.status() !== 200 && !name.endsWith("404.html"))) problems.push(`HTTP ${response && response.status()}`);
  problems.push(...(await axeViolations(page)));
  problems.push(...(await reflowProblems(page)));
  problems.push(...(await cspViolations(page)).map((v) => `CSP violation: ${v}`));
  return problems.map((p) => `${name}: ${p}`);
}

/** Run the Nu Html Checker on every HTML and CSS file under the folders; returns errors. */
export function vnuErrors(dirs) {
  let out;
  try {
    out = execFileSync("java", ["-jar", VNU_JAR, "--format", "json", "--errors-only", "--skip-non-html", "--also-check-css", ...dirs], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    // vnu exits 1 when it finds errors; the report is on stderr.
    out = (e.stderr || "").toString();
    if (!out.trim().startsWith("{")) throw new Error(`the Nu Html Checker did not run (is Java installed?): ${e.message}`);
  }
  const text = out.trim() || '{"messages":[]}';
  const report = JSON.parse(text);
  return report.messages
    .filter((m) => m.type === "error" || m.subType === "fatal")
    .map((m) => `${m.url.replace(/^file:/, "")}:${m.lastLine || 0}: vnu: ${m.message}`);
}

/** Flesch reading ease of English text (higher is easier; 60 to 70 is plain English). */
export function fleschReadingEase(text) {
  const sentences = text.split(/[.!?:;]+(?=\s|$)/).filter((s) => /[a-z]/i.test(s)).length || 1;
  const words = text.match(/[A-Za-z][A-Za-z'’-]*/g) || [];
  const syllables = words.reduce((n, w) => n + countSyllables(w), 0);
  return 206.835 - 1.015 * (words.length / sentences) - 84.6 * (syllables / Math.max(words.length, 1));
}

export function countSyllables(word) {
  let w = word.toLowerCase().replace(/[^a-z]/g, "");
  if (w.length <= 3) return 1;
  w = w.replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, "").replace(/^y/, "");
  const groups = w.match(/[aeiouy]{1,2}/g);
  return Math.max(1, groups ? groups.length : 1);
}
