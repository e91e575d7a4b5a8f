// Measures save-to-reload time of `clusterdir serve` in headless Chromium: edits a
// record's name RUNS times and reports when the server answered the waiting page and
// when the reloaded page had loaded with the new name.
//
//   node tests/browser/bench/reload-time.mjs SITE_ROOT /clusters/arm/ SITE_ROOT/content/clusters/arm.toml 7
// The binary is CLUSTERDIR_BIN if set (as scripts/test.sh sets it), else target/release/.
import fs from "node:fs";
import { spawn } from "node:child_process";
import { launch } from "../lib/checks.mjs";
const [root, page_path, file, runs] = process.argv.slice(2);
const bin = process.env.CLUSTERDIR_BIN || new URL("../../../target/release/clusterdir", import.meta.url).pathname;
const child = spawn(bin, ["--root", root, "serve", "--port", "0"], { stdio: ["ignore", "pipe", "ignore"] });
const port = await new Promise((res) => { let buf = ""; child.stdout.on("data", (d) => { buf += d; const m = buf.match(/127\.0\.0\.1:(\d+)/); if (m) res(m[1]); }); });
const b = await launch(); const p = await b.newPage();
await p.goto(`http://127.0.0.1:${port}${page_path}`);
await p.waitForTimeout(500);
const times = [];
let T0 = 0;
const waits = [];
p.on("response", (r) => { if (T0 && r.url().includes("/__clusterdir/wait")) waits.push(Date.now() - T0); });
const original = fs.readFileSync(file, "utf8");
for (let i = 0; i < Number(runs); i++) {
  const marker = `Reload test ${i}`;
  const loaded = p.waitForEvent("load", { timeout: 60000 });
  const t0 = Date.now(); T0 = t0;
  fs.writeFileSync(file, original.replace(/^name = "(.*)"$/m, `name = "${marker}"`));
  await loaded;
  const ok = (await p.textContent("h1")).includes(marker);
  times.push(ok ? Date.now() - t0 : -1);
  await p.waitForTimeout(300);
}
fs.writeFileSync(file, original);
console.log("server answered ms:", waits.join(", "));
console.log("save-to-reload ms:", times.join(", "), "median", [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]);
await b.close(); child.kill();
