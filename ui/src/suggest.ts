/**
 * Suggest mode (Google Docs' "suggesting"): while it is on, what the user types and deletes
 * is written as CriticMarkup (docs/review.md) instead of changing the text directly.
 *
 * `suggestEdit` is the pure transformation (one change on a piece of text → the change to
 * make instead and where the cursor goes); `suggestFilter` applies it to CodeMirror
 * transactions. The marks are found here with a small scanner that only needs to be right
 * around the cursor: the authoritative list comes from `review_marks`.
 */
import { Annotation, Transaction, type EditorState, type TransactionSpec } from "@codemirror/state";
import type { EditorView } from "@codemirror/view";
import type { MarkKind } from "./ipc";

/** Transactions that must not be turned into suggestions (the comment command, resolves). */
export const SuggestBypass = Annotation.define<boolean>();

export interface LocalMark {
  kind: MarkKind;
  /** The whole mark, delimiters included: [start, end). */
  start: number;
  end: number;
  /** Where typing and deleting are plain edits (an insertion's text, a substitution's new text, a comment), if anywhere. */
  zone: [number, number] | null;
  /** A substitution's old text. */
  old?: string;
}

const MARK_RE = /\{\+\+([\s\S]*?)\+\+\}|\{--([\s\S]*?)--\}|\{~~([\s\S]*?)~>([\s\S]*?)~~\}|\{==([\s\S]*?)==\}|\{>>([\s\S]*?)<<\}/g;

/** The CriticMarkup marks in `text` (no nesting; a mark cannot cross a blank line; `\{` is literal). */
export function scanMarks(text: string): LocalMark[] {
  const out: LocalMark[] = [];
  MARK_RE.lastIndex = 0;
  for (let m = MARK_RE.exec(text); m; m = MARK_RE.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (/\n[ \t]*\r?\n/.test(m[0]) || (start > 0 && text[start - 1] === "\\")) {
      MARK_RE.lastIndex = start + 1;
      continue;
    }
    if (m[1] !== undefined) out.push({ kind: "insertion", start, end, zone: [start + 3, end - 3] });
    else if (m[2] !== undefined) out.push({ kind: "deletion", start, end, zone: null });
    else if (m[3] !== undefined) out.push({ kind: "substitution", start, end, zone: [start + 3 + m[3].length + 2, end - 3], old: m[3] });
    else if (m[5] !== undefined) out.push({ kind: "highlight", start, end, zone: null });
    else out.push({ kind: "comment", start, end, zone: [start + 3, end - 3] });
  }
  return out;
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
 */
export function suggestEdit(text: string, from: number, to: number, insert: string, forward = false): Edit {
  const marks = scanMarks(text);
  const plain: Edit = { from, to, insert, cursor: from + insert.length };
  const none = (cursor: number): Edit => ({ from, to: from, insert: "", cursor });
  const inZone = (m: LocalMark) => m.zone !== null && m.zone[0] <= from && to <= m.zone[1];
  const zoned = marks.find(inZone);
  const overlapping = marks.filter((m) => (from < m.end && to > m.start) || (from === to && m.start < from && from < m.end));

  // ---- insertion
  if (from === to) {
    if (zoned) return plain;
    const inside = overlapping[0];
    if (inside) {
      // inside a deletion, a highlight or delimiters: suggest it after the mark (and its comment)
      let at = inside.end;
      const next = marks.find((m) => m.start === at && m.kind === "comment");
      if (next) at = next.end;
      return { from: at, to: at, insert: `{++${insert}++}`, cursor: at + 3 + insert.length };
    }
    const before = marks.find((m) => m.kind === "insertion" && m.end === from);
    if (before) return { from: from - 3, to: from - 3, insert, cursor: from - 3 + insert.length };
    const after = marks.find((m) => m.kind === "insertion" && m.start === from);
    if (after) return { from: from + 3, to: from + 3, insert, cursor: from + 3 + insert.length };
    return { from, to, insert: `{++${insert}++}`, cursor: from + 3 + insert.length };
  }

  const old = text.slice(from, to);

  // ---- deletion
  if (insert === "") {
    if (zoned) {
      const [zs, ze] = zoned.zone!;
      if (from === zs && to === ze && zoned.kind === "insertion") {
        // the whole suggestion deleted: nothing is left of it
        return { from: zoned.start, to: zoned.end, insert: "", cursor: zoned.start };
      }
      if (from === zs && to === ze && zoned.kind === "substitution") {
        const del = `{--${zoned.old ?? ""}--}`;
        return { from: zoned.start, to: zoned.end, insert: del, cursor: zoned.start + del.length };
      }
      return plain;
    }
    if (overlapping.length) {
      const m = overlapping[0];
      // Backspace just after a suggestion's closing delimiter: take its last character
      if (!forward && overlapping.length === 1 && to === m.end && from === m.end - 1) {
        if (m.kind === "insertion" || m.kind === "substitution") {
          const [zs, ze] = m.zone!;
          if (ze > zs) return suggestEdit(text, ze - 1, ze, "", false);
        }
        // after a deletion: strike the character before it too
        if (m.kind === "deletion" && m.start > 0 && !marks.some((o) => o.end === m.start)) {
          const c = text.slice(m.start - 1, m.start);
          if (c !== "\n") return { from: m.start - 1, to: m.start + 3, insert: `{--${c}`, cursor: m.start - 1 };
        }
      }
      if (forward && overlapping.length === 1 && from === m.start && to === m.start + 1 && m.kind === "deletion") {
        // Delete just before a deletion: strike the character after it too
        const c = text.slice(m.end, m.end + 1);
        if (c && c !== "\n" && !marks.some((o) => o.start === m.end)) return { from: m.end - 3, to: m.end + 1, insert: `${c}--}`, cursor: m.end + 1 };
      }
      // across a mark's delimiters: only move the cursor over it
      if (to - from > 1) return none(from);
      return none(forward ? Math.max(...overlapping.map((o) => o.end)) : Math.min(...overlapping.map((o) => o.start)));
    }
    const delAfter = marks.find((m) => m.kind === "deletion" && m.start === to);
    if (delAfter) return { from, to: to + 3, insert: `{--${old}`, cursor: from };
    const delBefore = marks.find((m) => m.kind === "deletion" && m.end === from);
    if (delBefore) {
      const cursor = forward ? to : delBefore.start;
      return { from: from - 3, to, insert: `${old}--}`, cursor };
    }
    const wrapped = `{--${old}--}`;
    return { from, to, insert: wrapped, cursor: forward ? from + wrapped.length : from };
  }

  // ---- replacement of a selection
  if (zoned) return plain;
  if (overlapping.length) return none(from);
  return { from, to, insert: `{~~${old}~>${insert}~~}`, cursor: from + 3 + old.length + 2 + insert.length };
}

/** The paragraph around `from..to` (marks never cross a blank line), as [start, end) positions. */
function paragraphAround(state: EditorState, from: number, to: number): [number, number] {
  const doc = state.doc;
  let first = doc.lineAt(from).number;
  let last = doc.lineAt(to).number;
  for (let i = 0; i < 400 && first > 1 && doc.line(first - 1).text.trim() !== ""; i++) first--;
  for (let i = 0; i < 400 && last < doc.lines && doc.line(last + 1).text.trim() !== ""; i++) last++;
  return [doc.line(first).from, doc.line(last).to];
}

/** The user's typing and deleting as suggestions; everything else (undo, reloads, metadata) passes. */
export function suggestFilter(tr: Transaction): Transaction | TransactionSpec {
  if (!tr.docChanged || tr.annotation(SuggestBypass)) return tr;
  const ev = tr.annotation(Transaction.userEvent);
  if (!ev || ev === "input.metadata" || ev.startsWith("input.type.compose")) return tr;
  if (!ev.startsWith("input") && !ev.startsWith("delete")) return tr;
  const changes: { from: number; to: number; insert: string }[] = [];
  tr.changes.iterChanges((fa, ta, _fb, _tb, ins) => changes.push({ from: fa, to: ta, insert: ins.toString() }));
  if (changes.length !== 1) return tr;
  const c = changes[0];
  const state = tr.startState;
  const [ps, pe] = paragraphAround(state, c.from, c.to);
  const e = suggestEdit(state.sliceDoc(ps, pe), c.from - ps, c.to - ps, c.insert, ev === "delete.forward");
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
