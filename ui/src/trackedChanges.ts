/**
 * Tracked changes in the editor: the CriticMarkup marks of the text coloured where they are
 * written (insertions green and underlined, deletions red and struck, a substitution's two
 * sides as both, highlights yellow, comments as notes), the delimiters dimmed, and each
 * suggestion's initials shown as a badge. A signature alone (`{>>AK:<<}` after a
 * suggestion, as suggest mode writes it) folds into its badge; Backspace takes it whole.
 *
 * The marks are read with `scanCritic` (the core's pairing), code skipped by the editor's
 * syntax tree. The whole text is read again on each change: one pass, and nothing when the
 * text has no opener at all.
 */
import { type Extension, RangeSetBuilder } from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView, ViewPlugin, type ViewUpdate, WidgetType } from "@codemirror/view";
import { syntaxTree } from "@codemirror/language";
import type { EditorState } from "@codemirror/state";
import { type CriticMark, initialsIn, scanCritic } from "./critic";

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

const delim = Decoration.mark({ class: "cm-nr-delim" });
const KIND_CLASS: Record<string, string> = {
  insertion: "cm-nr-ins",
  deletion: "cm-nr-del",
  highlight: "cm-nr-hl",
  comment: "cm-nr-comment",
};

interface Piece {
  from: number;
  to: number;
  deco: Decoration;
}

/** The decorations of one mark (its nested marks are decorated on their own). */
function piecesOf(m: CriticMark, text: string): Piece[] {
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
    const body = text.slice(cs + 3, ce - 3);
    if (m.author && body.trim() === `${m.author}:`) {
      // a signature alone: the badge stands for it
      out.push({ from: cs, to: ce, deco: Decoration.replace({ widget: new InitialsBadge(m.author, m.kind) }) });
    } else {
      add(cs, cs + 3, delim);
      add(cs + 3, ce - 3, Decoration.mark({ class: "cm-nr-comment" }));
      add(ce - 3, ce, delim);
    }
  }
  return out;
}

/** The decorations, and the folded signatures alone (the cursor steps over those whole). */
function build(state: EditorState): { all: DecorationSet; folded: DecorationSet } {
  const text = state.doc.toString();
  const marks = scanCritic(text, codeAt(state));
  if (!marks.length) return { all: Decoration.none, folded: Decoration.none };
  const pieces: Piece[] = [];
  for (const m of marks) {
    pieces.push(...piecesOf(m, text));
    // a comment of its own with initials: the initials as a badge-coloured prefix
    if (m.kind === "comment" && initialsIn(text.slice(m.content[0], m.content[1]))) {
      const at = text.indexOf(":", m.content[0]);
      pieces.push({ from: m.content[0], to: at + 1, deco: Decoration.mark({ class: "cm-nr-initials-text" }) });
    }
  }
  // RangeSetBuilder wants them by position, outer before inner at the same place
  pieces.sort((a, b) => a.from - b.from || a.deco.startSide - b.deco.startSide || b.to - a.to);
  const all = new RangeSetBuilder<Decoration>();
  const folded = new RangeSetBuilder<Decoration>();
  let replacedTo = -1;
  for (const p of pieces) {
    // nothing may start inside a folded signature
    if (p.from < replacedTo) continue;
    all.add(p.from, p.to, p.deco);
    if (p.deco.spec.widget) {
      replacedTo = p.to;
      folded.add(p.from, p.to, p.deco);
    }
  }
  return { all: all.finish(), folded: folded.finish() };
}

const trackedPlugin = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    folded: DecorationSet;
    constructor(view: EditorView) {
      ({ all: this.decorations, folded: this.folded } = build(view.state));
    }
    update(u: ViewUpdate) {
      if (u.docChanged || syntaxTree(u.startState) !== syntaxTree(u.state)) ({ all: this.decorations, folded: this.folded } = build(u.state));
    }
  },
  {
    decorations: (v) => v.decorations,
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
  "&dark .cm-nr-ins": { color: "#81c995", textDecorationColor: "#81c995" },
  "&dark .cm-nr-del": { color: "#ff9b94", textDecorationColor: "#ff9b94" },
  "&dark .cm-nr-hl": { backgroundColor: "#5c4d00" },
  "&dark .cm-nr-comment": { backgroundColor: "#3a3420", color: "#f3e3a0" },
});

/** The editor extension: marks coloured, signatures as badges. */
export function trackedChanges(): Extension {
  return [trackedPlugin, trackedTheme];
}
