/**
 * Keeping the editor and the preview on the same paragraph. The preview's blocks carry
 * `data-sourcepos="startLine:col-endLine:col"` in lines of the *body*; the editor counts
 * lines of the whole file, so body line N is file line N + bodyLineOffset(text).
 */

import { flushMoved, sourceposOf } from "./previewPatch";

export interface SourceBlock {
  start: number; // first body line
  end: number; // last body line
  top: number; // px from the top of the preview document
  bottom: number;
  /** The element measured (measureBlocks), to tell later whether it can have moved. */
  el?: Element;
}

export function parseSourcepos(value: string | null): { start: number; end: number } | null {
  const m = value && /^(\d+):\d+-(\d+):\d+$/.exec(value);
  if (!m) return null;
  const start = Number(m[1]);
  const end = Math.max(start, Number(m[2]));
  return { start, end };
}

/** The preview's blocks in source order, measured. */
export function measureBlocks(root: ParentNode, scrollY = 0): SourceBlock[] {
  const blocks: SourceBlock[] = [];
  // before the query: a moved block may be rebuilt (see flushMoved)
  const doc = (root as Node).ownerDocument;
  if (doc) flushMoved(doc);
  for (const el of Array.from(root.querySelectorAll("[data-sourcepos]"))) {
    const pos = parseSourcepos(sourceposOf(el));
    if (!pos) continue;
    const r = el.getBoundingClientRect();
    blocks.push({ ...pos, top: r.top + scrollY, bottom: r.bottom + scrollY, el });
  }
  blocks.sort((a, b) => a.start - b.start || b.end - a.end);
  return blocks;
}

/** Where in the preview (px) body line `line` (fractional) is. */
export function previewYForLine(blocks: SourceBlock[], line: number): number {
  return placeOfLine(blocks, line).y;
}

/**
 * `previewYForLine`, with the blocks the answer was read from (none: the top): as long as
 * these have not moved, nor any block come between them, the answer stands.
 */
export function placeOfLine(blocks: SourceBlock[], line: number): { y: number; from: SourceBlock[] } {
  if (blocks.length === 0) return { y: 0, from: [] };
  if (line < blocks[0].start) return { y: 0, from: [blocks[0]] };
  let i = 0;
  for (let j = 0; j < blocks.length; j++) if (blocks[j].start <= line) i = j;
  const b = blocks[i];
  if (line <= b.end + 1) {
    const frac = (line - b.start) / (b.end - b.start + 1);
    return { y: b.top + Math.min(1, Math.max(0, frac)) * (b.bottom - b.top), from: [b] };
  }
  // blocks are in order of their first lines: the next one starts after `line`
  const next = blocks[i + 1];
  if (!next) return { y: b.bottom, from: [b] };
  const frac = (line - (b.end + 1)) / Math.max(1, next.start - (b.end + 1));
  return { y: b.bottom + frac * (next.top - b.bottom), from: [b, next] };
}

/**
 * Whether `el` lies wholly before the point after `kept` (at or inside `kept`, or
 * earlier in the document): a change made only after `kept` cannot move it, in the
 * preview's normal flow of blocks.
 */
export function wellBefore(el: Element, kept: Element): boolean {
  if (el === kept || kept.contains(el)) return true;
  return !el.contains(kept) && (el.compareDocumentPosition(kept) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
}

/** The body line (fractional) shown at preview offset `y` px. */
export function lineForPreviewY(blocks: SourceBlock[], y: number): number {
  if (blocks.length === 0) return 1;
  if (y <= blocks[0].top) return blocks[0].start;
  // the innermost block containing y, else the gap after the last block above it
  let inside: SourceBlock | null = null;
  let above: SourceBlock | null = null;
  for (const b of blocks) {
    if (b.top <= y && y < b.bottom) inside = b; // later (nested) blocks win
    if (b.bottom <= y && (!above || b.bottom >= above.bottom)) above = b;
  }
  if (inside) {
    const frac = (y - inside.top) / Math.max(1, inside.bottom - inside.top);
    return inside.start + frac * (inside.end - inside.start + 1);
  }
  if (!above) return blocks[0].start;
  const next = blocks.find((b) => b.top >= y);
  if (!next) return above.end + 1;
  const frac = (y - above.bottom) / Math.max(1, next.top - above.bottom);
  return above.end + 1 + frac * Math.max(0, next.start - (above.end + 1));
}
