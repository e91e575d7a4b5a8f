// Measures the editor's save to preview updated on a copy of a site's content: posts
// A.R.M's form with one phone number changed, as a browser would (same origin, the
// form's token), and times until the preview reports the new build. Ten saves.
//
//   node tests/browser/bench/editor-save.mjs target/release/clusterdir .
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import readline from "node:readline";

const [bin, repo] = process.argv.slice(2);
const root = fs.mkdtempSync(path.join(os.tmpdir(), "editor-save-"));
fs.cpSync(path.join(repo, "content"), path.join(root, "content"), { recursive: true });
const child = spawn(bin, ["--root", root, "serve", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
const rebuilt = [];
const base = await new Promise((res) =>
  readline.createInterface({ input: child.stdout }).on("line", (l) => {
    const m = l.match(/^Previewing at (http:\/\/127\.0\.0\.1:\d+)/);
    if (m) res(m[1]);
    const r = l.match(/^Rebuilt in ([\d.]+) ms/);
    if (r) rebuilt.push(+r[1]);
  }),
);
const unescape = (s) =>
  s.replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&#x27;/g, "'").replace(/&#39;/g, "'").replace(/&amp;/g, "&");
/// Every control's name and value, as the browser would post the form.
function values(form) {
  const inputs = [...form.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1], unescape(m[2])]);
  const areas = [...form.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>\n?([^<]*)<\/textarea>/g)].map((m) => [m[1], unescape(m[2])]);
  const selects = [...form.matchAll(/<select[^>]*name="([^"]+)"[^>]*>(.*?)<\/select>/gs)].map((m) => [m[1], (m[2].match(/<option value="([^"]*)" selected>/) || [, ""])[1]]);
  return [...inputs, ...areas, ...selects];
}
const times = [];
for (let i = 0; i < 10; i++) {
  const form = await (await fetch(base + "/_edit/cluster/arm")).text();
  const phone = `0113 496 0${String(100 + i).padStart(3, "0")}`;
  const posted = values(form).map(([k, v]) => (k === "contacts.0.phone" ? [k, phone] : [k, v]));
  posted.push(["_action", "save"]);
  const before = await (await fetch(base + "/__clusterdir/status")).json();
  const waiting = fetch(base + "/__clusterdir/wait?v=" + before.version).then((r) => r.json());
  const t0 = performance.now();
  const r = await fetch(base + "/_edit/cluster/arm", {
    method: "POST",
    headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(posted).toString(),
  });
  const answered = performance.now() - t0;
  if (r.status !== 200) {
    console.error(`save ${i}: HTTP ${r.status}`);
    process.exitCode = 1;
    break;
  }
  const status = await waiting;
  times.push([answered, performance.now() - t0, status.error]);
}
child.kill();
fs.rmSync(root, { recursive: true, force: true });
for (const [a, b, e] of times) console.log(`save answered in ${a.toFixed(0)} ms, preview updated in ${b.toFixed(0)} ms${e ? " ERROR " + e : ""}`);
const sorted = times.map((t) => t[1]).sort((a, b) => a - b);
console.log(`median save to preview updated: ${sorted[sorted.length >> 1].toFixed(1)} ms (min ${sorted[0].toFixed(1)}, max ${sorted[sorted.length - 1].toFixed(1)})`);
console.log(`rebuilds as serve reports them: ${rebuilt.join(", ")} ms`);
