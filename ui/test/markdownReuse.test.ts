/**
 * The editor's syntax tree after an edit is the one a fresh parse gives, and a keystroke's
 * reparse does not grow with the draft: `scripts/patch-dependencies.mjs` lets lezer's
 * incremental parse take back whole groups of blocks at the document's level.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { EditorState } from "@codemirror/state";
import { ensureSyntaxTree, syntaxTree } from "@codemirror/language";
import type { Tree } from "@lezer/common";
import { draftLanguage } from "../src/markdownFrontMatter";

const DRAFTS = ["world/brest-freight-crossings.md", "science/lake-sediment-microplastics.md", "sports/riverside-handball-promotion.md", "cooling-centres-need-nurses.md"];
const sample = (path: string) => readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../../drafts", path), "utf8");

/** A draft whose body is `path`'s body `times` over. */
function long(path: string, times: number): string {
  const text = sample(path);
  const cut = text.indexOf("\n---\n") + 5;
  const body = text.slice(cut).trim();
  return `${text.slice(0, cut)}\n${Array(times).fill(body).join("\n\n")}\n`;
}

/** Every named node as `Name from-to`: what highlighting, folding and our marks read. */
function nodes(tree: Tree): string[] {
  const out: string[] = [];
  tree.iterate({ enter: (n) => void out.push(`${n.name} ${n.from}-${n.to}`) });
  return out;
}

function complete(state: EditorState): Tree {
  const tree = ensureSyntaxTree(state, state.doc.length, 10_000);
  if (!tree) throw new Error("the parse did not finish");
  return tree;
}

/** Same sequence on every run (a failure names its seed and step). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// what reaches further than a line: fences, lists, quotes, tables, setext underlines,
// HTML blocks, link reference definitions, CriticMarkup, blank lines that end or join blocks
const PIECES = [
  "a",
  "b ",
  "\n",
  "\n\n",
  "```\n",
  "~~~",
  "- ",
  "1. ",
  "> ",
  "| a | b |\n|---|---|\n",
  "===\n",
  "---\n",
  "<div>\n",
  "[x]: /u\n",
  "{++new++}",
  "{--old--}",
  "    ",
  "# ",
  "*",
  "`",
  "![",
  "](u)",
];

describe("the draft language's incremental parse", () => {
  it("gives the tree a fresh parse gives after thousands of random edits (typing, deleting, pasting across blocks)", () => {
    let edits = 0;
    for (const [d, path] of DRAFTS.entries()) {
      const next = lcg(0x5eed + d);
      let state = EditorState.create({ doc: long(path, 3), extensions: [draftLanguage] });
      complete(state);
      for (let step = 0; step < 600; step++) {
        const len = state.doc.length;
        const kind = next();
        const at = Math.floor(next() * (len + 1));
        let change: { from: number; to?: number; insert?: string };
        if (kind < 0.55) change = { from: at, insert: PIECES[Math.floor(next() * PIECES.length)] };
        else if (kind < 0.8) change = { from: at, to: Math.min(len, at + 1 + Math.floor(next() * 3)) };
        else if (kind < 0.9)
          change = { from: at, to: Math.min(len, at + Math.floor(next() * 400)) }; // across blocks
        else {
          const from = Math.floor(next() * len);
          change = { from: at, insert: state.doc.sliceString(from, Math.min(len, from + Math.floor(next() * 300))) }; // a paste of the draft's own text
        }
        state = state.update({ changes: change }).state;
        const fresh = draftLanguage.parser.parse(state.doc.toString());
        expect(nodes(complete(state)), `${path}, step ${step}: ${JSON.stringify(change)}`).toEqual(nodes(fresh));
        edits++;
      }
    }
    expect(edits).toBe(2400);
  }, 120_000);

  it("takes back whole groups of blocks when a reporter types at the end of a long draft, not each block again", () => {
    let state = EditorState.create({ doc: long("world/brest-freight-crossings.md", 60), extensions: [draftLanguage] });
    const before = complete(state);
    // groups of blocks the old tree had at its top two levels
    const groups = new Set<Tree>();
    for (const child of before.children) {
      if (!(child instanceof Object) || !("children" in child)) continue;
      groups.add(child as Tree);
      for (const grand of (child as Tree).children) if (grand && "children" in grand) groups.add(grand as Tree);
    }
    let at = state.doc.length;
    for (const ch of "council met") {
      state = state.update({ changes: { from: at, insert: ch } }).state;
      at++;
    }
    const after = complete(state);
    const kept = after.children.filter((c) => groups.has(c as Tree)).reduce((sum, c) => sum + c.length, 0);
    // most of the draft is carried over as the very same groups (unpatched: none is)
    expect(kept).toBeGreaterThan(state.doc.length / 2);
    expect(nodes(after)).toEqual(nodes(draftLanguage.parser.parse(state.doc.toString())));
    expect(syntaxTree(state).length).toBe(state.doc.length);
  });
});
