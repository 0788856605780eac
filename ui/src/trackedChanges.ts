/**
 * Tracked changes in the editor: the CriticMarkup marks of the text coloured where they are
 * written (insertions green and underlined, deletions red and struck, a substitution's two
 * sides as both, highlights yellow), the delimiters dimmed, and each suggestion's initials
 * shown as a badge. A signature alone (`{>>AK:<<}` after a suggestion, as suggest mode
 * writes it) folds into its badge; Backspace takes it whole. A comment shows as a note (a
 * widget: its author's initials and its text) while the cursor is elsewhere; clicked, or
 * with the cursor next to it, it shows its own text to edit.
 *
 * The marks are read with `scanCritic` (the core's pairing), code skipped by the editor's
 * syntax tree. The whole text is read again on each change: one pass, and nothing when the
 * text has no opener at all; while it has none, a change is looked at only where it is
 * (a keystroke in a long draft then costs nothing here, docs/performance.md).
 */
import { type Extension, RangeSetBuilder } from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView, ViewPlugin, type ViewUpdate, WidgetType } from "@codemirror/view";
import { syntaxTree } from "@codemirror/language";
import type { EditorState } from "@codemirror/state";
import { type CriticMark, initialsIn, MARK_OPENER, scanCritic } from "./critic";
import { perfTime } from "./perfLog";

const CODE_NODES = new Set(["InlineCode", "FencedCode", "CodeBlock", "CodeText", "CodeMark"]);

/** Whether `pos` is in code, as the Markdown syntax tree has it (the core asks comrak). */
function codeAt(state: EditorState): (pos: number) => boolean {
  const tree = syntaxTree(state);
  return (pos) => {
    for (let n: ReturnType<typeof tree.resolveInner> | null = tree.resolveInner(pos, 1); n; n = n.parent) {
      if (CODE_NODES.has(n.name)) return true;
    }
    return false;
  };
}

class InitialsBadge extends WidgetType {
  constructor(
    readonly initials: string,
    readonly kind: string,
  ) {
    super();
  }
  eq(other: InitialsBadge): boolean {
    return other.initials === this.initials && other.kind === this.kind;
  }
  toDOM(): HTMLElement {
    const span = document.createElement("span");
    span.className = "cm-nr-initials";
    span.textContent = this.initials;
    span.title = `Suggested by ${this.initials}`;
    span.setAttribute("aria-label", `${this.kind} suggested by ${this.initials}`);
    return span;
  }
  ignoreEvent(): boolean {
    return false;
  }
}

/** A comment as a note: its author's initials and its text (the whole text on hover). */
class CommentNote extends WidgetType {
  constructor(
    readonly initials: string | null,
    readonly text: string,
  ) {
    super();
  }
  eq(other: CommentNote): boolean {
    return other.initials === this.initials && other.text === this.text;
  }
  toDOM(): HTMLElement {
    const note = document.createElement("span");
    note.className = "cm-nr-note";
    note.title = `${this.initials ? `${this.initials}: ` : ""}${this.text}\n(click to edit)`;
    note.setAttribute("aria-label", `Comment${this.initials ? ` by ${this.initials}` : ""}: ${this.text}`);
    if (this.initials) {
      const badge = document.createElement("span");
      badge.className = "cm-nr-note-initials";
      badge.textContent = this.initials;
      note.append(badge);
    }
    const body = document.createElement("span");
    body.className = "cm-nr-note-text";
    body.textContent = this.text.length > NOTE_CHARS ? `${this.text.slice(0, NOTE_CHARS - 1)}…` : this.text;
    note.append(body);
    return note;
  }
  ignoreEvent(): boolean {
    return false;
  }
}

/** How much of a comment a note shows before an ellipsis. */
const NOTE_CHARS = 80;

const delim = Decoration.mark({ class: "cm-nr-delim" });
const KIND_CLASS: Record<string, string> = {
  insertion: "cm-nr-ins",
  deletion: "cm-nr-del",
  highlight: "cm-nr-hl",
  comment: "cm-nr-comment",
};

/** A part of the text (comments only are read: not the whole text on each cursor move). */
type Slice = (from: number, to: number) => string;

interface Piece {
  from: number;
  to: number;
  deco: Decoration;
}

/** The decorations of one mark (its nested marks are decorated on their own). */
function piecesOf(m: CriticMark, text: Slice, touched: (from: number, to: number) => boolean): Piece[] {
  if (m.kind === "comment") return commentPieces(m.start, m.end, text, touched);
  const out: Piece[] = [];
  const add = (from: number, to: number, deco: Decoration) => {
    if (to > from) out.push({ from, to, deco });
  };
  const attrs = { "data-mark-kind": m.kind };
  add(m.start, m.start + 3, delim);
  if (m.kind === "substitution" && m.sep !== null) {
    add(m.content[0], m.sep, Decoration.mark({ class: "cm-nr-del", attributes: attrs }));
    add(m.sep, m.sep + 2, delim);
    add(m.sep + 2, m.content[1], Decoration.mark({ class: "cm-nr-ins", attributes: attrs }));
  } else {
    add(m.content[0], m.content[1], Decoration.mark({ class: KIND_CLASS[m.kind], attributes: attrs }));
  }
  add(m.close - 3, m.close, delim);
  if (m.comment) {
    const [cs, ce] = m.comment;
    const body = text(cs + 3, ce - 3);
    if (m.author && body.trim() === `${m.author}:`) {
      // a signature alone: the badge stands for it
      out.push({ from: cs, to: ce, deco: Decoration.replace({ widget: new InitialsBadge(m.author, m.kind) }) });
    } else {
      out.push(...commentPieces(cs, ce, text, touched));
    }
  }
  return out;
}

/**
 * A comment (`cs..ce`, delimiters included): a note widget while the cursor is elsewhere,
 * its own text (styled, delimiters dimmed) while the cursor touches it, to be edited.
 */
function commentPieces(cs: number, ce: number, text: Slice, touched: (from: number, to: number) => boolean): Piece[] {
  const body = text(cs + 3, ce - 3);
  const initials = initialsIn(body);
  if (!touched(cs, ce)) {
    const said = initials ? body.slice(body.indexOf(":") + 1).trim() : body.trim();
    return [{ from: cs, to: ce, deco: Decoration.replace({ widget: new CommentNote(initials, said) }) }];
  }
  const out: Piece[] = [
    { from: cs, to: cs + 3, deco: delim },
    { from: ce - 3, to: ce, deco: delim },
  ];
  if (ce - 3 > cs + 3) out.push({ from: cs + 3, to: ce - 3, deco: Decoration.mark({ class: "cm-nr-comment" }) });
  if (initials) {
    const at = cs + 3 + body.indexOf(":");
    out.push({ from: cs + 3, to: at + 1, deco: Decoration.mark({ class: "cm-nr-initials-text" }) });
  }
  return out;
}

/** The decorations, and the folded ones alone (the cursor steps over those whole). */
function build(state: EditorState, marks: CriticMark[]): { all: DecorationSet; folded: DecorationSet } {
  if (!marks.length) return { all: Decoration.none, folded: Decoration.none };
  const text: Slice = (from, to) => state.sliceDoc(from, to);
  const ranges = state.selection.ranges;
  const touched = (from: number, to: number) => ranges.some((r) => r.from <= to && r.to >= from);
  const pieces: Piece[] = [];
  for (const m of marks) pieces.push(...piecesOf(m, text, touched));
  // RangeSetBuilder wants them by position, outer before inner at the same place
  pieces.sort((a, b) => a.from - b.from || a.deco.startSide - b.deco.startSide || b.to - a.to);
  const all = new RangeSetBuilder<Decoration>();
  const folded = new RangeSetBuilder<Decoration>();
  let replacedTo = -1;
  for (const p of pieces) {
    // nothing may start inside a folded signature or note
    if (p.from < replacedTo) continue;
    all.add(p.from, p.to, p.deco);
    if (p.deco.spec.widget) {
      replacedTo = p.to;
      folded.add(p.from, p.to, p.deco);
    }
  }
  return { all: all.finish(), folded: folded.finish() };
}

/** The note clicked: the cursor into its comment, which then shows its text to edit. */
function openNote(view: EditorView, event: MouseEvent): boolean {
  const note = (event.target as HTMLElement | null)?.closest?.(".cm-nr-note");
  if (!note) return false;
  const pos = view.posAtDOM(note);
  const text = view.state.sliceDoc(pos, Math.min(view.state.doc.length, pos + 8));
  if (!text.startsWith("{>>")) return false;
  const initials = /^\{>>\s*\p{Lu}{2,3}:\s?/u.exec(text);
  event.preventDefault();
  view.dispatch({ selection: { anchor: pos + (initials ? initials[0].length : 3) } });
  view.focus();
  return true;
}

/** Whether a change may have made an opener: one is three characters, so a new one lies
 * within two characters of what changed. */
function openerMade(u: ViewUpdate): boolean {
  let made = false;
  u.changes.iterChangedRanges((_fromA, _toA, fromB, toB) => {
    if (!made) made = MARK_OPENER.test(u.state.sliceDoc(Math.max(0, fromB - 2), Math.min(u.state.doc.length, toB + 2)));
  });
  return made;
}

const trackedPlugin = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    folded: DecorationSet;
    /** The marks of the current text: read again only when the text (or its code) changes. */
    marks: CriticMark[] = [];
    /** Whether the text has anything that opens a mark (else it has no mark, code or not). */
    openers = false;
    constructor(view: EditorView) {
      this.read(view.state);
      ({ all: this.decorations, folded: this.folded } = build(view.state, this.marks));
    }
    update(u: ViewUpdate) {
      perfTime("trackedChanges", () => this.follow(u));
    }
    follow(u: ViewUpdate) {
      let reread = u.docChanged || syntaxTree(u.startState) !== syntaxTree(u.state);
      // no opener before and none made by the change: still no mark, and the text unread
      if (reread && !this.openers && !(u.docChanged && openerMade(u))) reread = false;
      if (reread) this.read(u.state);
      if (reread || u.selectionSet) ({ all: this.decorations, folded: this.folded } = build(u.state, this.marks));
    }
    read(state: EditorState) {
      const text = state.doc.toString();
      this.openers = MARK_OPENER.test(text);
      this.marks = this.openers ? scanCritic(text, codeAt(state)) : [];
    }
  },
  {
    decorations: (v) => v.decorations,
    eventHandlers: { mousedown: (event, view) => openNote(view, event) },
    provide: (p) => EditorView.atomicRanges.of((view) => view.plugin(p)?.folded ?? Decoration.none),
  },
);

const trackedTheme = EditorView.baseTheme({
  // longhands: WebKitGTK drops a text-decoration shorthand that carries a thickness
  ".cm-nr-ins": {
    color: "#1f7a3a",
    textDecorationLine: "underline",
    textDecorationColor: "#1f7a3a",
    textDecorationThickness: "2px",
    textUnderlineOffset: "3px",
    backgroundColor: "rgb(31 122 58 / .08)",
  },
  ".cm-nr-del": {
    color: "#b3261e",
    textDecorationLine: "line-through",
    textDecorationColor: "#b3261e",
    textDecorationThickness: "2px",
    backgroundColor: "rgb(179 38 30 / .06)",
  },
  ".cm-nr-hl": { backgroundColor: "#fff1a8" },
  ".cm-nr-comment": { backgroundColor: "#fff7d1", color: "#5c4d00", fontStyle: "italic", borderRadius: "4px", padding: "0 .15em" },
  ".cm-nr-delim": { color: "var(--muted, #888)", opacity: "0.55", fontSize: "0.85em" },
  ".cm-nr-initials, .cm-nr-initials-text": {
    fontStyle: "normal",
    fontWeight: "700",
    fontSize: "0.75em",
    letterSpacing: ".03em",
    color: "#fff",
    backgroundColor: "#b3261e",
    borderRadius: "999px",
    padding: "0 .4em",
    margin: "0 .15em",
    verticalAlign: ".1em",
  },
  ".cm-nr-note": {
    display: "inline-block",
    maxWidth: "22em",
    overflow: "hidden",
    textOverflow: "ellipsis",
    whiteSpace: "nowrap",
    verticalAlign: "bottom",
    fontFamily: "var(--sans, sans-serif)",
    fontSize: "0.8em",
    lineHeight: "1.5",
    color: "#5c4d00",
    backgroundColor: "#fff7d1",
    border: "1px solid #e5c84a",
    borderRadius: "10px 10px 10px 2px",
    padding: "0 .5em",
    margin: "0 .2em",
    cursor: "text",
  },
  ".cm-nr-note-initials": {
    fontWeight: "700",
    color: "#fff",
    backgroundColor: "#b3261e",
    borderRadius: "999px",
    padding: "0 .35em",
    marginRight: ".35em",
    fontSize: "0.9em",
  },
  "&dark .cm-nr-note": { backgroundColor: "#3a3420", borderColor: "#7a6a2a", color: "#f3e3a0" },
  "&dark .cm-nr-ins": { color: "#81c995", textDecorationColor: "#81c995" },
  "&dark .cm-nr-del": { color: "#ff9b94", textDecorationColor: "#ff9b94" },
  "&dark .cm-nr-hl": { backgroundColor: "#5c4d00" },
  "&dark .cm-nr-comment": { backgroundColor: "#3a3420", color: "#f3e3a0" },
});

/** The editor extension: marks coloured, signatures as badges. */
export function trackedChanges(): Extension {
  return [trackedPlugin, trackedTheme];
}
