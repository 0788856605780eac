/**
 * The fast path for keystrokes: most renders differ from the last one only in the
 * paragraph being typed in (and, after Enter, in the line numbers of the blocks below).
 * Parsing a 50,000-word render into DOM and comparing every block (see previewPatch) costs
 * tens of milliseconds; comparing the render's top-level body blocks as *strings* and
 * parsing only the changed ones costs a fraction of one. The page around the body (header,
 * featured image, tags) is compared as a string too; when it changed, or anything looks
 * unusual, the caller falls back to the full patch, which is always right.
 */

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
