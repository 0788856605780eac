import { beforeAll, describe, expect, it } from "vitest";
import { applyPageUpdate, previewSrcdoc, targetsInFrame } from "../src/preview";
import type { PieceMap } from "../src/bodyPatch";
import type { PageRenderer, PageUpdate, TextEdit } from "../src/pageRenderer";
import { flushMoved, sourceposOf } from "../src/previewPatch";
import { realRenderer } from "./harness";

// The real module (`make wasm`): the page's preview kept by deltas must be the full render.
let renderer: PageRenderer;
beforeAll(async () => {
  renderer = await realRenderer();
});

const PATH = "world/brest.md";

/** A seeded generator, so a failure can be replayed from its seed and step. */
function lcg(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % Math.max(1, n);
  };
}

/** What typing and pasting put in: mostly letters, some blocks that reach further, a few
 * things that make the body render whole, non-ASCII text (UTF-16 offsets). */
const INSERTS = [
  "a",
  "e",
  " ",
  " ",
  ".",
  "\n",
  "\n",
  "\n\n",
  "\n\nA new paragraph.\n\n",
  "## ",
  "- ",
  "\n- item\n",
  "1. ",
  "> ",
  "```\n",
  "\n```\n",
  "\n===\n",
  "*",
  "`",
  "é",
  "“",
  "🙂",
  "[x](#notes)",
  "title: New\n",
];
const GLOBAL = ["[^1]", "\n\n[^1]: A note.\n", "{++x++}"];

function article(paragraphs: number): string {
  let out = "---\ntitle: Brest crossings reopen\ncategories: [World]\n---\n\n";
  for (let i = 0; i < paragraphs; i++) {
    if (i % 5 === 0) out += `## Part ${i}\n\n`;
    if (i % 7 === 3) out += "- one\n- two\n\n";
    out += `Paragraph ${i}: delegates met in Brest on *Tuesday* — “talks” went on, café 🙂 [link](https://example.org/${i}).\n\n`;
  }
  return out;
}

function freshRoot(): Document {
  const doc = document.implementation.createHTMLDocument("preview");
  doc.body.innerHTML = previewSrcdoc()
    .replace(/^.*<body>/s, "")
    .replace(/<\/body>.*$/s, "");
  return doc;
}

/** The article's HTML with the line numbers the page reads (scroll sync's), whitespace
 * between the body's blocks left out (the DOM patch keeps no text between them). */
function shownHtml(doc: Document): string {
  flushMoved(doc);
  const root = doc.getElementById("nr-root")!;
  const copy = root.cloneNode(true) as Element;
  const from = Array.from(root.querySelectorAll("[data-sourcepos]"));
  const to = Array.from(copy.querySelectorAll("[data-sourcepos]"));
  for (const [i, el] of from.entries()) to[i].setAttribute("data-sourcepos", sourceposOf(el) ?? "");
  return normalised(copy);
}

function normalised(root: Element): string {
  for (const container of [root, ...root.querySelectorAll(".nr-body, article, header")]) {
    for (const n of Array.from(container.childNodes)) if (n.nodeType === 3 && !n.textContent?.trim()) n.remove();
  }
  return root.innerHTML;
}

/** The full render of `text` (the module's one-off `render`), as a fresh page shows it. */
function fullHtml(text: string): string {
  const html = renderer.render(PATH, text)!.html;
  const doc = freshRoot();
  const root = doc.getElementById("nr-root")!;
  root.innerHTML = html;
  targetsInFrame(doc);
  return normalised(root);
}

describe("the preview kept by the page renderer's deltas", () => {
  it("sends a keystroke's piece and the shift below, not the page", () => {
    const text = article(40);
    const first = renderer.renderPage(PATH, text, false, 0)!;
    expect(first.delta).toBeNull();
    expect(first.pieces!.length).toBeGreaterThan(40);
    const at = text.indexOf("Paragraph 20:");
    const typed = renderer.renderEdit(PATH, { from: at, to: at, insert: "New line.\n\n" }, text.length + 11, false, first.generation) as PageUpdate;
    expect(typed.delta).not.toBeNull();
    expect(typed.delta!.shift).toBe(2);
    expect(typed.delta!.html.length).toBeLessThan(500);
    expect(typed.preview.html).toBe("");
    // an edit for an answer that is not the module's last: the whole text, please
    expect(renderer.renderEdit(PATH, { from: 0, to: 0, insert: "x" }, text.length + 12, false, first.generation)).toBe("resend");
    // a length that does not fit the module's text: the page is out of step
    expect(renderer.renderEdit(PATH, { from: 0, to: 0, insert: "x" }, text.length, false, typed.generation)).toBe("resend");
  });

  it("is the full render after every one of hundreds of random edits", () => {
    for (const seed of [1, 2, 3]) {
      const rnd = lcg(seed);
      const original = article(12 + seed * 4);
      let text = original;
      const doc = freshRoot();
      let map: PieceMap | null = null;
      let generation = 0;
      let cursor = text.length >> 1;
      let deltas = 0;
      for (let step = 0; step < 150; step++) {
        let what = "open";
        let edit: TextEdit | null = null;
        if (step > 0 && step % 50 === 0) {
          text = original;
          what = "back to the original";
        } else if (step > 0) {
          if (rnd(6) === 0) cursor = rnd(text.length + 1);
          // never between the two halves of a surrogate pair
          if (cursor > 0 && /[\uDC00-\uDFFF]/.test(text[cursor] ?? "")) cursor--;
          if (rnd(4) === 0) {
            let to = Math.min(text.length, cursor + (rnd(5) === 0 ? rnd(200) : 1));
            if (/[\uDC00-\uDFFF]/.test(text[to] ?? "")) to++;
            edit = { from: cursor, to, insert: "" };
          } else {
            const insert = rnd(40) === 0 ? GLOBAL[rnd(GLOBAL.length)] : INSERTS[rnd(INSERTS.length)];
            edit = { from: cursor, to: cursor, insert };
            cursor += insert.length;
          }
          text = text.slice(0, edit.from) + edit.insert + text.slice(edit.to);
          what = `${JSON.stringify(edit)}`;
        }
        let update = edit && generation ? renderer.renderEdit(PATH, edit, text.length, false, generation) : null;
        if (update === null || update === "resend") update = renderer.renderPage(PATH, text, false, generation)!;
        if (update.delta) deltas++;
        const next = applyPageUpdate(doc, map, update);
        expect(next !== null || !update.delta, `seed ${seed} step ${step}: a delta the page could not follow`).toBe(true);
        map = next;
        generation = map ? update.generation : 0;
        expect(shownHtml(doc), `seed ${seed} step ${step} (${what})`).toBe(fullHtml(text));
      }
      expect(deltas).toBeGreaterThan(60);
    }
  }, 120_000);
});
