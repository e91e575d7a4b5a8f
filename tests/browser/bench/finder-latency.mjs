// Measures the school finder's time from a keystroke to its suggestions in headless
// Chromium, once the index parts for the typed prefixes are loaded (each query is typed
// once to load them, then measured): from the input event to the suggestion list's change.
//
//   node tests/browser/bench/finder-latency.mjs PUBLIC_DIR "st pauls" "allerton" 5
import { launch } from "../lib/checks.mjs";
import { serve } from "../lib/server.mjs";
const args = process.argv.slice(2);
const [dir, ...rest] = args;
const runs = Number(rest.pop());
const queries = rest;
const server = await serve(dir);
const browser = await launch();
const page = await browser.newPage();
await page.goto(server.url + "/");
await page.evaluate(() => {
  window.__lat = [];
  let t0 = 0;
  document.querySelector("#find-school").addEventListener("input", () => { t0 = performance.now(); }, true);
  new MutationObserver(() => { if (t0) { window.__lat.push(performance.now() - t0); t0 = 0; } })
    .observe(document.querySelector("#find-school-list"), { childList: true });
});
const typeOut = async (q) => {
  await page.fill("#find-school", "");
  await page.waitForTimeout(150);
  for (const ch of q) { await page.keyboard.type(ch); await page.waitForTimeout(150); }
};
await page.click("#find-school");
for (const q of queries) await typeOut(q); // loads the index parts
await page.evaluate(() => { window.__lat = []; });
for (let i = 0; i < runs; i++) for (const q of queries) await typeOut(q);
const lat = (await page.evaluate(() => window.__lat)).sort((a, b) => a - b);
const at = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))].toFixed(1);
console.log(`keystroke to suggestions, ${lat.length} keystrokes: median ${at(0.5)} ms, 90th percentile ${at(0.9)} ms, max ${lat[lat.length - 1].toFixed(1)} ms`);
await browser.close(); await server.close(); process.exit(0);
