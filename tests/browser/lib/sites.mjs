// Builds the real site and the fixture site with the clusterdir binary into temporary
// folders, once per test file.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export function binary() {
  const candidates = [process.env.CLUSTERDIR_BIN, path.join(REPO, "target/release/clusterdir"), path.join(REPO, "target/debug/clusterdir")].filter(Boolean);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error("no clusterdir binary: run 'cargo build --release' first (scripts/test.sh does)");
  return found;
}

/** Build the site in `root` into a new temporary folder; returns the folder. */
export function buildSite(root) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "clusterdir-browser-"));
  execFileSync(binary(), ["--root", root, "build", "--output", path.join(out, "public")], { stdio: ["ignore", "ignore", "inherit"] });
  return path.join(out, "public");
}

export const SITES = {
  real: () => buildSite(REPO),
  fixture: () => buildSite(path.join(REPO, "tests/fixtures/full")),
};

/** For a test file: a browser and the real site served (strict CSP), started before
 * the tests and stopped after them. Returns an object whose `browser`, `server` and
 * `root` (the built site's folder) are set once the `before` hook has run. */
export async function realSiteSession() {
  const { before, after } = await import("node:test");
  const { launch } = await import("./checks.mjs");
  const { serve } = await import("./server.mjs");
  const session = {};
  before(async () => {
    session.browser = await launch();
    session.root = SITES.real();
    session.server = await serve(session.root);
  });
  after(async () => {
    await session.server?.close();
    await session.browser?.close();
  });
  return session;
}
