// Scroll sync after a keystroke: the preview put where the editor's top line is, as the
// measured blocks say, without measuring the whole article when the keystroke's delta
// changed only what comes after the blocks the last sync was read from.
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { PageRenderer, PageUpdate } from "../src/pageRenderer";
import { PreviewPane } from "../src/preview";
import { measureBlocks, previewYForLine } from "../src/scrollSync";
import { afterTest, realRenderer } from "./harness";

let renderer: PageRenderer;
beforeAll(async () => {
  renderer = await realRenderer();
});

const PATH = "world/brest.md";
const HEAD = "---\ntitle: Brest crossings reopen\n---\n";

function article(paragraphs: number): string {
  let out = HEAD;
  for (let i = 0; i < paragraphs; i++) {
    if (i % 6 === 2) out += "- one\n- two\n\n";
    out += `Paragraph ${i}: delegates met in Brest on *Tuesday*.\n\n`;
  }
  return out;
}

/** A pane showing `text` from the real renderer, each block `20 px × its lines` tall in
 * document order (what the layout would say), its reads of boxes counted. */
async function pane(text: string) {
  const p = new PreviewPane({ openExternal: () => {} });
  document.body.append(p.element);
  afterTest(() => p.element.remove());
  let update = renderer.renderPage(PATH, text, false, 0)!;
  p.showUpdate(update);
  await vi.waitFor(() => expect(p.iframe.contentDocument?.querySelector(".nr-body p")).toBeTruthy());
  p.showUpdate(update); // once the frame has loaded: its pieces mapped
  const doc = p.iframe.contentDocument!;
  const win = doc.defaultView! as Window & typeof globalThis;
  const reads = { n: 0 };
  const boxes = new Map<Element, { top: number; bottom: number }>();
  const layout = () => {
    boxes.clear();
    let y = 0;
    for (const el of Array.from(doc.querySelectorAll(".nr-body [data-sourcepos]"))) {
      const h = 20 * (1 + (el.textContent?.length ?? 0) / 60);
      boxes.set(el, { top: y, bottom: y + h });
      if (el.children.length === 0) y += h;
    }
  };
  vi.spyOn(win.Element.prototype, "getBoundingClientRect").mockImplementation(function (this: Element) {
    reads.n++;
    if (!boxes.has(this)) layout();
    const b = boxes.get(this) ?? { top: 0, bottom: 0 };
    return { top: b.top, bottom: b.bottom, left: 0, right: 100, width: 100, height: b.bottom - b.top, x: 0, y: b.top, toJSON() {} } as DOMRect;
  });
  const scrolled: number[] = [];
  vi.spyOn(win, "scrollTo").mockImplementation(((_x: number, y: number) => {
    scrolled.push(y);
  }) as unknown as typeof win.scrollTo);
  let generation = update.generation;
  let current = text;
  return {
    p,
    reads,
    scrolled,
    /** The user typed `insert` at `at`: the module's delta shown, the layout done again. */
    type(at: number, insert: string) {
      current = current.slice(0, at) + insert + current.slice(at);
      update = renderer.renderEdit(PATH, { from: at, to: at, insert }, current.length, false, generation) as PageUpdate;
      expect(update.delta).not.toBeNull();
      expect(p.showUpdate(update)).toBe(true);
      generation = update.generation;
      layout();
    },
    text: () => current,
    /** Where the whole article's measure puts body line `line`, as the pane scrolls to it. */
    truth: (line: number) => Math.max(0, previewYForLine(measureBlocks(doc.querySelector(".nr-body")!), line) - 8),
  };
}

describe("scroll sync after a keystroke", () => {
  it("below the editor's top line: the place is kept, nothing measured; above it or elsewhere: measured again, and always where the whole measure says", async () => {
    const r = await pane(article(60));
    const line = 30.5;
    r.p.scrollToBodyLine(line);
    expect(r.reads.n).toBeGreaterThan(50); // the first sync measures the article
    expect(r.scrolled.at(-1)).toBe(r.truth(line));

    // keystrokes far below the top line, Enter among them: nothing read, the same place
    const below = r.text().indexOf("Paragraph 50:");
    r.type(below, "x");
    r.type(below + 1, "\n\nNew paragraph.\n\n");
    r.reads.n = 0;
    r.p.scrollToBodyLine(line);
    expect(r.reads.n).toBe(0);
    expect(r.scrolled.at(-1)).toBe(r.truth(line));

    // a keystroke above it moves the blocks: measured again, and right
    const above = r.text().indexOf("Paragraph 3:");
    r.type(above, "A longer paragraph now, long enough to wrap onto another line of the preview. ");
    r.reads.n = 0;
    r.p.scrollToBodyLine(line);
    expect(r.reads.n).toBeGreaterThan(0);
    expect(r.scrolled.at(-1)).toBe(r.truth(line));

    // in the very block the top line is in: measured again
    const lines = r.text().split("\n");
    const offset = HEAD.split("\n").length - 1; // file lines before the body's first
    const top = lines.findIndex((l, i) => i >= offset + 39 && l.startsWith("Paragraph")) - offset + 1;
    r.p.scrollToBodyLine(top + 0.5);
    r.type(r.text().indexOf(lines[top + offset - 1]) + 3, "yyyy ");
    r.reads.n = 0;
    r.p.scrollToBodyLine(top + 0.5);
    expect(r.reads.n).toBeGreaterThan(0);
    expect(r.scrolled.at(-1)).toBe(r.truth(top + 0.5));

    // another top line: where the whole measure says
    r.p.scrollToBodyLine(12);
    expect(r.scrolled.at(-1)).toBe(r.truth(12));
  });
});
