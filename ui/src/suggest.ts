/**
 * Suggest mode (Google Docs' "suggesting"): while it is on, what the user types and deletes
 * is written as CriticMarkup (docs/review.md) instead of changing the text directly.
 *
 * `suggestEdit` is the pure transformation (one change on a piece of text → the change to
 * make instead and where the cursor goes); `suggestFilter` applies it to CodeMirror
 * transactions. The marks are read with `critic.ts`, paired as the core pairs them; the
 * authoritative list still comes from `review_marks`.
 */
import { Annotation, Transaction, type EditorState, type TransactionSpec } from "@codemirror/state";
import type { EditorView } from "@codemirror/view";
import type { MarkKind } from "./ipc";
import { scanCritic } from "./critic";

/** Transactions that must not be turned into suggestions (the comment command, resolves). */
export const SuggestBypass = Annotation.define<boolean>();

export interface LocalMark {
  kind: MarkKind;
  /** The whole mark, delimiters and an attached comment included: [start, end). */
  start: number;
  end: number;
  /** After the mark's own closer (before its attached comment). */
  close: number;
  /** Where typing and deleting are plain edits (an insertion's text, a substitution's new text, a comment), if anywhere. */
  zone: [number, number] | null;
  /** Inside the attached comment's delimiters: plain edits too. */
  commentZone: [number, number] | null;
  /** A substitution's old text. */
  old?: string;
  /** Initials that sign the mark (`{>>AK:<<}` after it), if any. */
  author: string | null;
  depth: number;
}

/** The CriticMarkup marks in `text`, paired as the core pairs them (`critic.ts`). */
export function scanMarks(text: string): LocalMark[] {
  return scanCritic(text).map((m) => ({
    kind: m.kind,
    start: m.start,
    end: m.end,
    close: m.close,
    zone: m.kind === "insertion" || m.kind === "comment" ? m.content : m.kind === "substitution" && m.sep !== null ? [m.sep + 2, m.content[1]] : null,
    commentZone: m.comment ? [m.comment[0] + 3, m.comment[1] - 3] : null,
    old: m.kind === "substitution" && m.sep !== null ? text.slice(m.content[0], m.sep) : undefined,
    author: m.author,
    depth: m.depth,
  }));
}

export interface Edit {
  from: number;
  to: number;
  insert: string;
  /** The cursor afterwards, in the text after the edit. */
  cursor: number;
}

/**
 * The edit to make in suggest mode instead of replacing `from..to` of `text` with `insert`.
 * `forward`: a Delete (rather than a Backspace), which leaves the cursor after the deletion.
 * `initials` sign each new suggestion (`{++new++}{>>AK:<<}`); typing next to one's own
 * signed suggestion extends it rather than starting another.
 */
export function suggestEdit(text: string, from: number, to: number, insert: string, forward = false, initials = ""): Edit {
  const marks = scanMarks(text);
  const sig = initials ? `{>>${initials}:<<}` : "";
  const mine = (m: LocalMark) => (m.author ?? "") === initials;
  const plain: Edit = { from, to, insert, cursor: from + insert.length };
  const none = (cursor: number): Edit => ({ from, to: from, insert: "", cursor });
  const within = (z: [number, number] | null) => z !== null && z[0] <= from && to <= z[1];
  // the innermost mark around the change decides
  const around = marks.filter((m) => (m.start < from && to < m.end) || (from === to ? m.start < from && from < m.end : from >= m.start && to <= m.end && (within(m.zone) || within(m.commentZone))));
  const inner = around.reduce<LocalMark | undefined>((a, m) => (!a || m.depth >= a.depth ? m : a), undefined);
  const zoned = inner && (within(inner.zone) || within(inner.commentZone)) ? inner : undefined;
  const inComment = !!zoned && within(zoned.commentZone) && !within(zoned.zone);
  const overlapping = marks.filter((m) => (from < m.end && to > m.start) || (from === to && m.start < from && from < m.end));

  // ---- insertion
  if (from === to) {
    if (zoned) return plain;
    const inside = inner ?? overlapping[0];
    if (inside) {
      // inside a deletion, a highlight or delimiters: suggest it after the mark (and its comment)
      let at = inside.end;
      const next = marks.find((m) => m.start === at && m.kind === "comment");
      if (next) at = next.end;
      return { from: at, to: at, insert: `{++${insert}++}${sig}`, cursor: at + 3 + insert.length };
    }
    const before = marks.find((m) => m.kind === "insertion" && m.end === from && mine(m));
    if (before) return { from: before.close - 3, to: before.close - 3, insert, cursor: before.close - 3 + insert.length };
    const after = marks.find((m) => m.kind === "insertion" && m.start === from && mine(m));
    if (after) return { from: from + 3, to: from + 3, insert, cursor: from + 3 + insert.length };
    return { from, to, insert: `{++${insert}++}${sig}`, cursor: from + 3 + insert.length };
  }

  const old = text.slice(from, to);

  // ---- deletion
  if (insert === "") {
    if (zoned) {
      if (inComment) return plain;
      const [zs, ze] = zoned.zone!;
      if (from === zs && to === ze && zoned.kind === "insertion") {
        // the whole suggestion deleted: nothing is left of it
        return { from: zoned.start, to: zoned.end, insert: "", cursor: zoned.start };
      }
      if (from === zs && to === ze && zoned.kind === "substitution") {
        const del = `{--${zoned.old ?? ""}--}${text.slice(zoned.close, zoned.end)}`;
        return { from: zoned.start, to: zoned.end, insert: del, cursor: zoned.start + del.length };
      }
      return plain;
    }
    if (overlapping.length) {
      const m = overlapping[overlapping.length - 1];
      // Backspace just after a suggestion (its signature included): take its last character
      if (!forward && to === m.end && from === m.end - 1 && m.depth === 0) {
        if ((m.kind === "insertion" || m.kind === "substitution") && m.zone) {
          const [zs, ze] = m.zone;
          if (ze > zs) return suggestEdit(text, ze - 1, ze, "", false, initials);
        }
        // after a deletion: strike the character before it too
        if (m.kind === "deletion" && m.start > 0 && !marks.some((o) => o.end === m.start)) {
          const c = text.slice(m.start - 1, m.start);
          if (c !== "\n") return { from: m.start - 1, to: m.start + 3, insert: `{--${c}`, cursor: m.start - 1 };
        }
      }
      if (forward && from === m.start && to === m.start + 1 && m.kind === "deletion" && m.depth === 0) {
        // Delete just before a deletion: strike the character after it too
        const c = text.slice(m.end, m.end + 1);
        if (c && c !== "\n" && !marks.some((o) => o.start === m.end)) {
          return { from: m.close - 3, to: m.end + 1, insert: `${c}${text.slice(m.close - 3, m.end)}`, cursor: m.end + 1 };
        }
      }
      // across a mark's delimiters: only move the cursor over it
      if (to - from > 1) return none(from);
      return none(forward ? Math.max(...overlapping.map((o) => o.end)) : Math.min(...overlapping.map((o) => o.start)));
    }
    const delAfter = marks.find((m) => m.kind === "deletion" && m.start === to && mine(m));
    if (delAfter) return { from, to: to + 3, insert: `{--${old}`, cursor: from };
    const delBefore = marks.find((m) => m.kind === "deletion" && m.end === from && mine(m));
    if (delBefore) {
      // the struck text goes before the closer (and the signature)
      const cursor = forward ? to : delBefore.start;
      return { from: delBefore.close - 3, to, insert: `${old}${text.slice(delBefore.close - 3, from)}`, cursor };
    }
    const wrapped = `{--${old}--}${sig}`;
    return { from, to, insert: wrapped, cursor: forward ? from + wrapped.length : from };
  }

  // ---- replacement of a selection
  if (zoned) return plain;
  if (overlapping.length) return none(from);
  return { from, to, insert: `{~~${old}~>${insert}~~}${sig}`, cursor: from + 3 + old.length + 2 + insert.length };
}

/** Texts up to this long are read whole for their marks (which may span paragraphs). */
const WHOLE_TEXT_UP_TO = 400_000;

/**
 * The part of the text a change is judged in, as [start, end): the whole text, or for a
 * very long one the paragraphs around the change (marks that span further are not seen).
 */
function contextAround(state: EditorState, from: number, to: number): [number, number] {
  const doc = state.doc;
  if (doc.length <= WHOLE_TEXT_UP_TO) return [0, doc.length];
  let first = doc.lineAt(from).number;
  let last = doc.lineAt(to).number;
  for (let i = 0; i < 400 && first > 1 && doc.line(first - 1).text.trim() !== ""; i++) first--;
  for (let i = 0; i < 400 && last < doc.lines && doc.line(last + 1).text.trim() !== ""; i++) last++;
  return [doc.line(first).from, doc.line(last).to];
}

/**
 * The user's typing and deleting as suggestions, signed with `initials`; everything else
 * (undo, reloads, metadata) passes. A deletion or a paste across paragraphs is one mark
 * over them, as other CriticMarkup tools write it.
 */
export function suggestFilter(tr: Transaction, initials = ""): Transaction | TransactionSpec {
  if (!tr.docChanged || tr.annotation(SuggestBypass)) return tr;
  const ev = tr.annotation(Transaction.userEvent);
  if (!ev || ev === "input.metadata" || ev.startsWith("input.type.compose")) return tr;
  if (!ev.startsWith("input") && !ev.startsWith("delete")) return tr;
  const changes: { from: number; to: number; insert: string }[] = [];
  tr.changes.iterChanges((fa, ta, _fb, _tb, ins) => changes.push({ from: fa, to: ta, insert: ins.toString() }));
  if (changes.length !== 1) return tr;
  const c = changes[0];
  const state = tr.startState;
  const [ps, pe] = contextAround(state, c.from, c.to);
  // positions count a line break as one character: so does the text read here (sliceDoc
  // would give a CRLF file's own breaks, two characters each)
  const e = suggestEdit(state.doc.sliceString(ps, pe), c.from - ps, c.to - ps, c.insert, ev === "delete.forward", initials);
  if (e.from === c.from - ps && e.to === c.to - ps && e.insert === c.insert) return tr;
  return {
    changes: { from: e.from + ps, to: e.to + ps, insert: e.insert },
    selection: { anchor: e.cursor + ps },
    userEvent: ev,
    scrollIntoView: true,
    annotations: SuggestBypass.of(true),
  };
}

export { initialsOf } from "./initials";

/** Comment: `{==selection==}{>>AK: <<}` (or just the comment at the cursor), cursor in the comment. */
export function insertComment(view: EditorView, initials: string): boolean {
  const { from, to } = view.state.selection.main;
  const sig = initials ? `${initials}: ` : "";
  const sel = view.state.sliceDoc(from, to);
  const insert = from === to ? `{>>${sig}<<}` : `{==${sel}==}{>>${sig}<<}`;
  view.dispatch({
    changes: { from, to, insert },
    selection: { anchor: from + insert.length - 3 },
    userEvent: "input.comment",
    annotations: SuggestBypass.of(true),
    scrollIntoView: true,
  });
  return true;
}
