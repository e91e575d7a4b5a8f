// A static file server for built sites, on 127.0.0.1 only, that sends with every
// response the headers the build wrote to `_headers` (the production headers, with a
// strict Content-Security-Policy), so any inline style or script fails.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

/** The headers for `/*` in a Netlify/Cloudflare `_headers` file; throws if there are none. */
export function productionHeaders(root) {
  const file = path.join(root, "_headers");
  const headers = {};
  let inAll = false;
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue;
    if (!/^\s/.test(line)) {
      inAll = line.trim() === "/*";
      continue;
    }
    if (inAll) {
      const i = line.indexOf(":");
      headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    }
  }
  if (!/default-src 'self'/.test(headers["Content-Security-Policy"] || "")) {
    throw new Error(`${file} has no strict Content-Security-Policy for /*`);
  }
  return headers;
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** Serve `root`; resolves to { url, close }. */
export function serve(root) {
  const base = path.resolve(root);
  const security = productionHeaders(base);
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = path.join(base, urlPath);
    if (!file.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    let status = 200;
    if (!fs.existsSync(file)) {
      status = 404;
      file = path.join(base, "404.html");
    }
    res.writeHead(status, {
      "Content-Type": TYPES[path.extname(file)] || "application/octet-stream",
      ...security,
    });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

/** Every HTML page under `root`, as URL paths ("/", "/clusters/arm/", "/404.html"). */
export function pages(root) {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".html")) {
        const rel = "/" + path.relative(root, p).split(path.sep).join("/");
        out.push(rel.endsWith("/index.html") ? rel.slice(0, -"index.html".length) : rel);
      }
    }
  };
  walk(root);
  return out.sort();
}
