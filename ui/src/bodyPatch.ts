/**
 * The fast path for keystrokes: most renders differ from the last one only in the
 * paragraph being typed in (and, after Enter, in the line numbers of the blocks below).
 * Parsing a 50,000-word render into DOM and comparing every block (see previewPatch) costs
 * tens of milliseconds; comparing the render's top-level body blocks as *strings* and
 * parsing only the changed ones costs a fraction of one. The page around the body (header,
 * featured image, tags) is compared as a string too; when it changed, or anything looks
 * unusual, the caller falls back to the full patch, which is always right.
 */

import { deferSourcepos, setSourcepos, sourceposOf } from "./previewPatch";

/** An article page cut into the part before the body's blocks, the blocks, and the rest. */
export interface ArticleSplit {
  head: string;
  blocks: string[];
  tail: string;
}

const BODY_OPEN = '<div class="nr-body">';
const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]);

/**
 * Cuts a render (`<article>…<div class="nr-body">BLOCKS</div>…`) into head, top-level
 * blocks and tail by following tag depth. The render is the core's: escaped text, quoted
 * attributes (a `<` may appear inside quotes), no script or style. Anything else — text
 * directly in the body, a comment, an unbalanced tag — gives `null`, and the caller takes
 * the slow, general path.
 */
export function splitArticle(html: string): ArticleSplit | null {
  const open = html.indexOf(BODY_OPEN);
  if (open < 0) return null;
  const bodyStart = open + BODY_OPEN.length;
  const blocks: string[] = [];
  let depth = 0;
  let blockStart = -1;
  let i = bodyStart;
  for (;;) {
    const lt = html.indexOf("<", i);
    if (lt < 0) return null; // the body never closed
    if (depth === 0 && html.slice(i, lt).trim() !== "") return null; // stray text in the body
    if (html.startsWith("<!--", lt)) return null;
    if (html.charCodeAt(lt + 1) === 47 /* / */) {
      const gt = html.indexOf(">", lt);
      if (gt < 0) return null;
      if (depth === 0) {
        // the body's own closing tag
        if (html.slice(lt, gt + 1) !== "</div>") return null;
        return { head: html.slice(0, bodyStart), blocks, tail: html.slice(lt) };
      }
      depth--;
      i = gt + 1;
      if (depth === 0) {
        blocks.push(html.slice(blockStart, i));
        blockStart = -1;
      }
      continue;
    }
    const gt = tagEnd(html, lt);
    if (gt < 0) return null;
    const name = /^<([a-zA-Z][a-zA-Z0-9-]*)/.exec(html.slice(lt, lt + 32))?.[1]?.toLowerCase();
    if (!name) return null;
    if (depth === 0) blockStart = lt;
    i = gt + 1;
    if (VOID.has(name) || html.charCodeAt(gt - 1) === 47 /* / */) {
      if (depth === 0) {
        blocks.push(html.slice(blockStart, i));
        blockStart = -1;
      }
    } else {
      depth++;
    }
  }
}

/** The `>` that ends the tag opened at `lt`, skipping quoted attribute values. */
function tagEnd(html: string, lt: number): number {
  let quote = 0;
  for (let j = lt + 1; j < html.length; j++) {
    const c = html.charCodeAt(j);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) {
      quote = c;
    } else if (c === 62) {
      return j;
    }
  }
  return -1;
}

const SOURCEPOS = / data-sourcepos="[^"]*"/g;

/** A block's identity: its HTML without line numbers (which shift when a line is added above). */
export function blockKey(block: string): string {
  return block.replace(SOURCEPOS, "");
}

/**
 * A render's body blocks, each compared first by its raw string (equal for every block
 * above the one being typed in) and only then by its key, computed once when first asked:
 * stripping line numbers from all of a 50,000-word article's blocks on every keystroke
 * would cost more than the comparison itself.
 */
export class Blocks {
  private readonly keys: (string | undefined)[];

  constructor(readonly raw: string[]) {
    this.keys = new Array<string | undefined>(raw.length);
  }

  get length(): number {
    return this.raw.length;
  }

  key(i: number): string {
    let k = this.keys[i];
    if (k === undefined) this.keys[i] = k = blockKey(this.raw[i]);
    return k;
  }

  /** Block `i` here and block `j` of `other` differ at most in line numbers. */
  same(i: number, other: Blocks, j: number): boolean {
    return this.raw[i] === other.raw[j] || this.key(i) === other.key(j);
  }
}

/** What the page shows now, in the terms of the render it came from. */
export interface BodyState {
  head: string;
  tail: string;
  blocks: Blocks;
}

/** The blocks to replace: `[start, oldEnd)` of the old blocks by `[start, newEnd)` of the new. */
export interface BlockChange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** The smallest middle range outside which both block lists are the same (line numbers aside). */
export function changedRange(old: Blocks, next: Blocks): BlockChange {
  let start = 0;
  const min = Math.min(old.length, next.length);
  while (start < min && old.same(start, next, start)) start++;
  let oldEnd = old.length;
  let newEnd = next.length;
  while (oldEnd > start && newEnd > start && old.same(oldEnd - 1, next, newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return { start, oldEnd, newEnd };
}

/**
 * The body in the DOM as the core's pieces (see `render/incremental_delta.rs`), so a
 * keystroke's answer replaces a few pieces instead of the page cutting and comparing the
 * whole render: each piece's first element (`null`: a piece with no HTML), which runs to
 * the next piece's first element, and the line each piece's first element is on now and
 * in its DOM (which lags after a delta moved it, until somebody reads positions).
 */
export interface PieceMap {
  firsts: (Element | null)[];
  lines: number[];
  domLines: number[];
}

/**
 * Finds the pieces whose first elements are on `lines` among `parent`'s children, in
 * order: each the first child element whose `data-sourcepos` starts on its line (a
 * piece's blocks are on its own lines, so no earlier piece has one there). `null` when
 * one is not found (the caller does without).
 */
export function mapPieces(parent: ParentNode, lines: number[]): PieceMap | null {
  const firsts: (Element | null)[] = [];
  let el = parent.firstElementChild;
  for (const line of lines) {
    if (line === 0) {
      firsts.push(null);
      continue;
    }
    while (el && startLine(sourceposOf(el)) !== line) el = el.nextElementSibling;
    if (!el) return null;
    firsts.push(el);
    el = el.nextElementSibling;
  }
  return { firsts, lines: [...lines], domLines: [...lines] };
}

function startLine(pos: string | null): number {
  if (!pos) return -1;
  const colon = pos.indexOf(":");
  return colon > 0 ? Number(pos.slice(0, colon)) : -1;
}

/** What a delta needs of the page: the body's element and the map of its pieces. */
export interface DeltaTarget {
  body: Element;
  map: PieceMap;
}

/**
 * Applies the core's body delta to the page: the pieces it replaces removed, its pieces
 * parsed and put in their place (`prepare` sees them first, e.g. in-article links), the
 * pieces after them told their new lines. False, with nothing touched, when the delta
 * does not fit the map (the caller asks for the whole page).
 */
export function applyDelta(
  doc: Document,
  { body, map }: DeltaTarget,
  delta: { start: number; removed: number; lines: number[]; shift: number; html: string },
  prepare: (fresh: DocumentFragment) => void = () => {},
): boolean {
  const { start, removed, lines, shift } = delta;
  const end = start + removed;
  if (start < 0 || removed < 0 || end > map.firsts.length) return false;
  const template = doc.createElement("template");
  template.innerHTML = delta.html;
  const fresh = template.content;
  const found = mapPieces(fresh, lines);
  if (!found) return false;
  prepare(fresh);
  const after = firstOf(map.firsts, end, map.firsts.length);
  const from = firstOf(map.firsts, start, end);
  if ((after && after.parentNode !== body) || (from && from.parentNode !== body)) return false;
  for (let n: ChildNode | null = from; n && n !== after; ) {
    const next: ChildNode | null = n.nextSibling;
    n.remove();
    n = next;
  }
  body.insertBefore(fresh, after);
  map.firsts.splice(start, removed, ...found.firsts);
  map.lines.splice(start, removed, ...lines);
  map.domLines.splice(start, removed, ...lines);
  if (shift !== 0) {
    for (let k = start + lines.length; k < map.lines.length; k++) if (map.lines[k] > 0) map.lines[k] += shift;
    deferSourcepos(doc, () => syncLines(map));
  }
  return true;
}

/**
 * The body's last element that a delta replacing pieces from `start` on leaves where it
 * was (everything it changes comes after it); `null` when it may change the body from its
 * first element. Read before the delta is applied.
 */
export function keptBefore(body: Element, map: PieceMap, start: number): Element | null {
  const first = firstOf(map.firsts, start, map.firsts.length);
  return first ? first.previousElementSibling : body.lastElementChild;
}

/** The first piece's element among pieces `from..to`, or null when they have none. */
function firstOf(firsts: (Element | null)[], from: number, to: number): Element | null {
  for (let k = from; k < to; k++) if (firsts[k]) return firsts[k];
  return null;
}

/** Gives the elements of every moved piece their lines now (see `setSourcepos`). */
function syncLines(map: PieceMap): void {
  const { firsts, lines, domLines } = map;
  for (let k = 0; k < firsts.length; k++) {
    const first = firsts[k];
    const by = lines[k] - domLines[k];
    if (!first || by === 0) continue;
    domLines[k] = lines[k];
    const stop = firstOf(firsts, k + 1, firsts.length);
    for (let n: Element | null = first; n && n !== stop; n = n.nextElementSibling) {
      const nodes = n.hasAttribute("data-sourcepos") ? [n, ...Array.from(n.querySelectorAll("[data-sourcepos]"))] : Array.from(n.querySelectorAll("[data-sourcepos]"));
      for (const el of nodes) {
        const m = /^(\d+)(:\d+-)(\d+)(:\d+)$/.exec(sourceposOf(el) ?? "");
        if (m) setSourcepos(el, `${Number(m[1]) + by}${m[2]}${Number(m[3]) + by}${m[4]}`);
      }
    }
  }
}
