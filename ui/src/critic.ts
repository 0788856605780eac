/**
 * CriticMarkup as the editor reads it: the same pairing as the core's `critic` module
 * (docs/review.md), so that what the editor colours and what suggest mode extends are the
 * marks `review_marks` lists. Marks span paragraphs and nest (a closer ends the latest open
 * mark of its kind; marks opened after it and still open are text), comments run to their
 * first `<<}`, a comment right after a mark is that mark's, a substitution needs its `~>`,
 * `\{` is literal, and nesting stops at `MAX_DEPTH`. Code is the caller's to say (`isCode`):
 * the editor asks its syntax tree; the core asks comrak.
 */
import type { MarkKind } from "./ipc";

/** As the core's `critic::MAX_DEPTH`. */
export const MAX_DEPTH = 8;

export interface CriticMark {
  kind: MarkKind;
  /** The opener's position. */
  start: number;
  /** After the mark, its attached comment included. */
  end: number;
  /** After the mark's own closer (before an attached comment). */
  close: number;
  /** Between the opener and the closer. */
  content: [number, number];
  /** A substitution's `~>`. */
  sep: number | null;
  /** The attached comment, delimiters included. */
  comment: [number, number] | null;
  /** Initials from the comment (the mark's own, or its attached one). */
  author: string | null;
  /** 0 at the top; 1 inside another mark, … */
  depth: number;
}

const TOKEN_RE = /\{\+\+|\{--|\{~~|\{==|\{>>|\+\+\}|--\}|~~\}|==\}|<<\}|~>/g;
const OPENERS: Record<string, MarkKind> = { "{++": "insertion", "{--": "deletion", "{~~": "substitution", "{==": "highlight", "{>>": "comment" };
const CLOSERS: Record<string, MarkKind> = { "++}": "insertion", "--}": "deletion", "~~}": "substitution", "==}": "highlight", "<<}": "comment" };

interface Token {
  at: number;
  open?: MarkKind;
  close?: MarkKind;
  sep?: true;
}

function escaped(text: string, at: number): boolean {
  let n = 0;
  for (let i = at - 1; i >= 0 && text[i] === "\\"; i--) n++;
  return n % 2 === 1;
}

function tokens(text: string, isCode?: (pos: number) => boolean): Token[] {
  const out: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(text); m; m = TOKEN_RE.exec(text)) {
    const s = m[0];
    const at = m.index;
    const open = OPENERS[s];
    if ((open && escaped(text, at)) || isCode?.(at)) {
      TOKEN_RE.lastIndex = at + 1;
      continue;
    }
    if (open) out.push({ at, open });
    else if (CLOSERS[s]) out.push({ at, close: CLOSERS[s] });
    else out.push({ at, sep: true });
  }
  return out;
}

/** `AK: text` → `AK` (two or three capitals, then a colon). */
export function initialsIn(comment: string): string | null {
  const m = /^\s*(\p{Lu}{2,3}):/u.exec(comment);
  return m ? m[1] : null;
}

/** Every mark of `text`, nested ones included, in the order they open. */
/** What opens a mark: a text without one has none. */
export const MARK_OPENER = /\{(\+\+|--|~~|==|>>)/;

export function scanCritic(text: string, isCode?: (pos: number) => boolean): CriticMark[] {
  if (!MARK_OPENER.test(text)) return [];
  const toks = tokens(text, isCode);
  const nextCommentClose: number[] = new Array(toks.length + 1).fill(-1);
  for (let i = toks.length - 1; i >= 0; i--) nextCommentClose[i] = toks[i].close === "comment" ? i : nextCommentClose[i + 1];
  const stack: { kind: MarkKind; at: number; sep: number | null }[] = [];
  const onStack: Partial<Record<MarkKind, number>> = {};
  const found: CriticMark[] = [];
  let lastClosed: CriticMark | null = null;
  for (let i = 0; i < toks.length; ) {
    const t = toks[i++];
    if (t.open === "comment") {
      const j = nextCommentClose[i];
      if (j < 0) continue;
      const end = toks[j].at + 3;
      i = j + 1;
      const author = initialsIn(text.slice(t.at + 3, toks[j].at));
      if (lastClosed && lastClosed.end === t.at && !lastClosed.comment) {
        lastClosed.comment = [t.at, end];
        lastClosed.end = end;
        lastClosed.author = author;
      } else {
        found.push({ kind: "comment", start: t.at, end, close: end, content: [t.at + 3, end - 3], sep: null, comment: null, author, depth: 0 });
      }
      lastClosed = null;
    } else if (t.open) {
      if (stack.length >= MAX_DEPTH) continue;
      stack.push({ kind: t.open, at: t.at, sep: null });
      onStack[t.open] = (onStack[t.open] ?? 0) + 1;
    } else if (t.sep) {
      const top = stack[stack.length - 1];
      if (top?.kind === "substitution" && top.sep === null) top.sep = t.at;
    } else if (t.close) {
      const kind = t.close;
      if (!onStack[kind]) continue;
      let o = stack.pop();
      while (o) {
        onStack[o.kind] = (onStack[o.kind] ?? 1) - 1;
        if (o.kind === kind) break;
        o = stack.pop();
      }
      if (!o || (kind === "substitution" && o.sep === null)) continue;
      const m: CriticMark = { kind, start: o.at, end: t.at + 3, close: t.at + 3, content: [o.at + 3, t.at], sep: o.sep, comment: null, author: null, depth: 0 };
      found.push(m);
      lastClosed = m;
    }
  }
  found.sort((a, b) => a.start - b.start);
  const enclosing: CriticMark[] = [];
  for (const m of found) {
    while (enclosing.length && m.start >= enclosing[enclosing.length - 1].end) enclosing.pop();
    m.depth = enclosing.length;
    enclosing.push(m);
  }
  return found;
}
