// Measures the search index: bytes on disk (raw and gzip), bytes a browser downloads
// before the first result of a query, and time from the query to results, in headless
// Chromium. With --pagefind, the same figures for a Pagefind index of the same site
// (run `npx pagefind --site DIR` first; Pagefind is not a dependency of the project).
//
//   node tests/browser/bench/search-size.mjs PUBLIC_DIR "query" [--pagefind]
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import http from "node:http";
import { launch } from "../lib/checks.mjs";

const [dir, query = "counselling", flag] = process.argv.slice(2);
const usePagefind = flag === "--pagefind";

function sizes(folder) {
  let raw = 0, gz = 0, files = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const b = fs.readFileSync(p);
        raw += b.length;
        gz += p.endsWith(".pf_meta") || p.endsWith(".pf_index") || p.endsWith(".pf_fragment") || p.endsWith(".wasm") ? b.length : zlib.gzipSync(b).length;
        files += 1;
      }
    }
  };
  walk(folder);
  return { files, raw, gz };
}

// A plain static server without CSP (Pagefind needs 'wasm-unsafe-eval').
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json", ".css": "text/css", ".wasm": "application/wasm" };
const server = http.createServer((req, res) => {
  let f = path.join(dir, decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (fs.existsSync(f) && fs.statSync(f).isDirectory()) f = path.join(f, "index.html");
  if (!fs.existsSync(f)) return res.writeHead(404).end();
  res.writeHead(200, { "Content-Type": TYPES[path.extname(f)] || "application/octet-stream" });
  fs.createReadStream(f).pipe(res);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await launch();
const page = await browser.newPage();
await page.goto(base + "/404.html");
const fetched = [];
page.on("response", async (r) => {
  try {
    const body = await r.body();
    fetched.push({ url: r.url().replace(base, ""), raw: body.length, gz: zlib.gzipSync(body).length });
  } catch {}
});

let result;
if (usePagefind) {
  result = await page.evaluate(async (q) => {
    const t0 = performance.now();
    const pf = await import("/pagefind/pagefind.js");
    await pf.init();
    const s = await pf.search(q);
    const first = s.results.length ? await s.results[0].data() : null;
    return { ms: performance.now() - t0, count: s.results.length, first: first && first.meta.title };
  }, query);
} else {
  result = await page.evaluate(async (q) => {
    const t0 = performance.now();
    const { SearchIndex } = await import("/static/search-core.mjs");
    const idx = new SearchIndex((p) => fetch(`/search/${p}`).then((r) => (r.ok ? r.json() : null)));
    const s = await idx.search(q, { limit: 10, perKind: true });
    return { ms: performance.now() - t0, count: s.total, first: s.results[0] && s.results[0].title };
  }, query);
}
// A second, warm query in the same page (files already fetched).
await page.waitForTimeout(200);
const downloaded = fetched.filter((f) => !f.url.endsWith("404.html") && !f.url.endsWith(".css"));
const total = downloaded.reduce((a, f) => ({ raw: a.raw + f.raw, gz: a.gz + f.gz }), { raw: 0, gz: 0 });
const index = usePagefind ? sizes(path.join(dir, "pagefind")) : sizes(path.join(dir, "search"));
console.log(JSON.stringify({ engine: usePagefind ? "pagefind" : "clusterdir", query, index, firstQuery: { ...result, requests: downloaded.length, bytes: total } }, null, 1));
await browser.close();
server.close();
