// The checks can fail: pages with planted defects are reported, naming the page and the rule.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { serve } from "./lib/server.mjs";
import { SITES } from "./lib/sites.mjs";
import { launch, newPage, checkPage, vnuErrors } from "./lib/checks.mjs";

const GOOD_HEAD = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>T</title></head>`;
const page = (body) => `${GOOD_HEAD}<body><main><h1>Title</h1>${body}</main></body></html>`;

const DEFECTS = {
  "image-alt": { file: "no-alt.html", html: page(`<img src="x.png">`), expect: /no-alt\.html: axe image-alt/ },
  "heading-order": { file: "skipped-heading.html", html: page(`<h3>Skipped a level</h3><p>Text</p>`), expect: /skipped-heading\.html: axe heading-order/ },
  "inline-style": { file: "inline-style.html", html: page(`<p style="color: red">Styled inline</p>`), expect: /inline-style\.html: CSP violation: style-src/ },
  "color-contrast": { file: "low-contrast.html", html: page(`<p class="pale">Pale text</p>`).replace("</head>", `<link rel="stylesheet" href="/pale.css"></head>`), expect: /low-contrast\.html: axe color-contrast/ },
  reflow: { file: "too-wide.html", html: page(`<p class="wide">Wide</p>`).replace("</head>", `<link rel="stylesheet" href="/pale.css"></head>`), expect: /too-wide\.html: reflow: scrolls sideways at 320 px wide/ },
};

let browser, dir, server;
before(async () => {
  browser = await launch();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "clusterdir-defects-"));
  for (const d of Object.values(DEFECTS)) fs.writeFileSync(path.join(dir, d.file), d.html);
  fs.writeFileSync(path.join(dir, "pale.css"), ".pale { color: #bbbbbb; background: #ffffff; } .wide { width: 900px; }\n");
  fs.writeFileSync(path.join(dir, "404.html"), page("<p>Not found</p>"));
  // The planted pages are served with the headers the real build writes.
  fs.copyFileSync(path.join(SITES.real(), "_headers"), path.join(dir, "_headers"));
  fs.writeFileSync(path.join(dir, "invalid.html"), `${GOOD_HEAD}<body><main><h1>T</h1><p><div>block in p</div></p><span id="a"></span><span id="a"></span></main></body></html>`);
  server = await serve(dir);
});
after(async () => {
  await server?.close();
  await browser?.close();
});

for (const [rule, d] of Object.entries(DEFECTS)) {
  test(`a planted ${rule} defect is reported with its page and rule`, async () => {
    const p = await newPage(browser);
    const problems = await checkPage(p, `${server.url}/${d.file}`, `/${d.file}`);
    await p.context().close();
    assert.ok(problems.some((x) => d.expect.test(x)), `expected ${d.expect} in:\n${problems.join("\n")}`);
  });
}

test("invalid HTML is reported by the Nu Html Checker with its file", () => {
  const errors = vnuErrors([path.join(dir, "invalid.html")]);
  assert.ok(errors.length >= 1, "no errors reported");
  assert.ok(errors.every((e) => e.includes("invalid.html")), errors.join("\n"));
  assert.ok(errors.some((e) => /Duplicate ID/.test(e)), errors.join("\n"));
});
