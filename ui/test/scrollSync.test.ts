import { describe, expect, it } from "vitest";
import { bodyLineOffset, bodyLineOffsetOfLines } from "../src/frontMatter";
import { lineForPreviewY, parseSourcepos, previewYForLine, type SourceBlock } from "../src/scrollSync";

describe("body offset", () => {
  it("is the line number of the closing fence", () => {
    expect(bodyLineOffset("---\ntitle: a\nstatus: draft\n---\nBody\n")).toBe(4);
    expect(bodyLineOffset("---\ntitle: a\n...\nBody")).toBe(3);
    expect(bodyLineOffset("---\r\ntitle: a\r\n---\r\nBody\r\n")).toBe(3);
    expect(bodyLineOffset("\uFEFF---\ntitle: a\n---  \nBody")).toBe(3);
  });

  it("is 0 without front matter or when it is never closed", () => {
    expect(bodyLineOffset("# Headline\n\n---\nText")).toBe(0);
    expect(bodyLineOffset("---\ntitle: a\nno closing fence")).toBe(0);
    expect(bodyLineOffset("")).toBe(0);
    expect(bodyLineOffset("----\ntitle: a\n---\n")).toBe(0);
  });

  it("reads the same from the editor's lines as from the text", () => {
    for (const text of [
      "---\ntitle: a\nstatus: draft\n---\nBody\n",
      "---\ntitle: a\n...\nBody",
      "---\r\ntitle: a\r\n---\r\nBody\r\n",
      "\uFEFF---\ntitle: a\n---  \nBody",
      "# Headline\n\n---\nText",
      "---\ntitle: a\nno closing fence",
      "",
      "---",
      "----\ntitle: a\n---\n",
    ]) {
      const lines = text.split(/\r?\n/);
      expect(
        bodyLineOffsetOfLines(lines.length, (n) => lines[n - 1]),
        JSON.stringify(text),
      ).toBe(bodyLineOffset(text));
    }
  });
});

describe("sourcepos mapping", () => {
  // three blocks: lines 1-2 at 0-100px, 4 at 120-150px, 6-9 at 200-400px
  const blocks: SourceBlock[] = [
    { start: 1, end: 2, top: 0, bottom: 100 },
    { start: 4, end: 4, top: 120, bottom: 150 },
    { start: 6, end: 9, top: 200, bottom: 400 },
  ];

  it("parses data-sourcepos", () => {
    expect(parseSourcepos("3:1-5:10")).toEqual({ start: 3, end: 5 });
    expect(parseSourcepos("bogus")).toBeNull();
    expect(parseSourcepos(null)).toBeNull();
  });

  it("maps a body line to the block holding it, interpolating inside", () => {
    expect(previewYForLine(blocks, 1)).toBe(0);
    expect(previewYForLine(blocks, 2)).toBe(50);
    expect(previewYForLine(blocks, 4)).toBe(120);
    expect(previewYForLine(blocks, 7)).toBe(250);
    expect(previewYForLine(blocks, 0)).toBe(0);
    expect(previewYForLine(blocks, 50)).toBe(400);
    expect(previewYForLine([], 10)).toBe(0);
  });

  it("maps a preview offset back to a body line", () => {
    expect(lineForPreviewY(blocks, 0)).toBe(1);
    expect(lineForPreviewY(blocks, 50)).toBe(2);
    expect(lineForPreviewY(blocks, 250)).toBe(7);
    expect(lineForPreviewY(blocks, 500)).toBe(10);
  });

  it("round-trips editor line → preview → editor", () => {
    for (const line of [1, 1.5, 4, 6, 7.25, 9]) {
      expect(lineForPreviewY(blocks, previewYForLine(blocks, line))).toBeCloseTo(line, 5);
    }
  });

  it("file lines are body lines plus the offset", () => {
    const text = "---\ntitle: a\n---\nFirst paragraph.\n\nSecond.\n";
    const offset = bodyLineOffset(text);
    // "Second." is file line 6, body line 3
    expect(6 - offset).toBe(3);
  });
});

describe("measuring the preview", () => {
  it("uses the latest line numbers of kept blocks", async () => {
    const { applyPreviewHtml } = await import("../src/preview");
    const { measureBlocks } = await import("../src/scrollSync");
    document.body.innerHTML = '<main id="nr-root"></main>';
    const body = (lines: number[]) => `<div class="nr-body">${lines.map((l, i) => `<p data-sourcepos="${l}:1-${l}:3">p${i}</p>`).join("")}</div>`;
    applyPreviewHtml(document, body([1, 3, 5]));
    applyPreviewHtml(document, body([2, 4, 6])); // a line was added above: same blocks, new numbers
    expect(measureBlocks(document.getElementById("nr-root")!).map((b) => b.start)).toEqual([2, 4, 6]);
  });
});
