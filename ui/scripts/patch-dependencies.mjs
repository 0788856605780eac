// Run after every `npm install` / `npm ci` (package.json's postinstall): one change to a
// dependency, made here in the open rather than by a fork, and checked by
// ui/test/markdownReuse.test.ts.
//
// @lezer/markdown reuses the previous syntax tree after an edit, but never takes a
// grouped node bigger than a quarter of what it has parsed so far in the current block
// (to keep the tree balanced). At the start of the document that limit is zero, so
// everything before an edit is taken back one top-level block at a time and the
// document's node is balanced again from them: at 50,000 words, ≈ 1,300 blocks on every
// keystroke at the end of the draft, where a reporter types. Letting the document's own
// level take groups of up to a quarter of the whole document keeps the tree just as
// balanced (the old tree's groups are no bigger than that) and makes the keystroke's
// reparse independent of the draft's length. Which nodes may be reused at all is
// decided elsewhere and unchanged: the tree is the same as a fresh parse's (the test
// compares them after thousands of random edits).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "node_modules", "@lezer", "markdown");
const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
const ORIGINAL = "let maxAnonSize = (cx.lineStart - cx.block.from) >> 2;";
const PATCHED =
  "let maxAnonSize = Math.max(cx.lineStart - cx.block.from, cx.block.type == Type.Document ? cx.input.length : 0) >> 2; /* newsroom: ui/scripts/patch-dependencies.mjs */";

for (const file of ["dist/index.js", "dist/index.cjs"]) {
  const path = join(root, file);
  const text = readFileSync(path, "utf8");
  if (text.includes(PATCHED)) continue;
  const at = text.indexOf(ORIGINAL);
  if (at < 0 || text.indexOf(ORIGINAL, at + 1) >= 0) {
    console.error(
      `patch-dependencies: @lezer/markdown ${version}: ${file} does not hold the line this patch changes exactly once; ` +
        "see ui/scripts/patch-dependencies.mjs (a new version may have changed or fixed it)",
    );
    process.exit(1);
  }
  writeFileSync(path, text.slice(0, at) + PATCHED + text.slice(at + ORIGINAL.length));
  console.log(`patch-dependencies: @lezer/markdown ${version} ${file}: reuse of whole groups at the document's level`);
}
