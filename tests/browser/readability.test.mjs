// Plain English: pages written for families keep a Flesch reading ease score at or
// above a floor the current content meets, so later edits are held to it.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fleschReadingEase, countSyllables } from "./lib/checks.mjs";
import { REPO } from "./lib/sites.mjs";

/** Pages for families, and the lowest score each may have. */
const FLOORS = {
  "content/pages/getting-help.md": 75,
  "content/guides/cluster-working-2025.md": 62,
  "content/pages/accessibility.md": 65,
  "content/pages/about.md": 55,
};

/** The Markdown body as plain prose: no front matter, code, link targets or markup. */
function prose(markdown) {
  return markdown
    .replace(/^\+\+\+[\s\S]*?\n\+\+\+\n/, "")
    .replace(/```[\s\S]*?```/g, "")
    .replace(/\]\([^)]*\)/g, "]")
    .replace(/^#+\s*(.*)$/gm, "$1.")
    .replace(/^\s*(?:[-*]|\d+\.)\s+/gm, "")
    .replace(/[*_`[\]|]/g, "");
}

test("syllable counter and score behave as the Flesch formula expects", () => {
  assert.equal(countSyllables("cat"), 1);
  assert.equal(countSyllables("family"), 3);
  assert.equal(countSyllables("support"), 2);
  assert.ok(fleschReadingEase("The cat sat on the mat. It was a nice day.") > 90);
  assert.ok(fleschReadingEase("Multidisciplinary safeguarding arrangements necessitate comprehensive interorganisational coordination.") < 0);
});

for (const [file, floor] of Object.entries(FLOORS)) {
  test(`${file} reads plainly (Flesch reading ease at least ${floor})`, () => {
    const score = fleschReadingEase(prose(fs.readFileSync(path.join(REPO, file), "utf8")));
    console.log(`# ${file}: ${score.toFixed(1)}`);
    assert.ok(score >= floor, `${file} scores ${score.toFixed(1)}, below ${floor}: use shorter sentences and everyday words`);
  });
}
