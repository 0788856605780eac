/**
 * The front matter folded into one protected line (YAML `---`, TOML `+++` or a leading JSON
 * object, as the core reads them). It belongs to the document
 * sidebar: in the editor it shows as a single read-only line ("Front matter · 9 fields —
 * edit in the sidebar") that the caret cannot enter and no keystroke can change. Typing,
 * Tab, Backspace at the start of the body, a selection reaching into it typed over, cut or
 * pasted over, select-all, drag and drop: every change the user makes is kept to the body,
 * so the file's front matter keeps its exact bytes. The app's own edits (the sidebar's
 * `update_front_matter`, reloads from disk, restores) carry `appEdit` and pass; so do undo
 * and redo, which can only replay what was let through (a sidebar edit, a reload).
 *
 * Only the document is guarded: the text saved is still the whole file.
 */
import { Annotation, EditorSelection, EditorState, Facet, Prec, StateField, Transaction, type ChangeSet, type ChangeSpec, type Extension, type Text, type TransactionSpec } from "@codemirror/state";
import { Decoration, EditorView, WidgetType, type DecorationSet } from "@codemirror/view";

/** Marks a change the app itself makes (sidebar, reload, restore): it may touch the front matter. */
export const appEdit = Annotation.define<boolean>();

/** Where a draft's front matter lies in the editor's document (line breaks count as one). */
export interface FrontMatterSpan {
  /** End of the closing fence line (before its line break). */
  fenceEnd: number;
  /** Where the body starts: after the closing fence's line break (`fenceEnd` when the file ends there). */
  bodyStart: number;
  /** Top-level `key:` lines. */
  fields: number;
}

const FENCE_OPEN = /^\uFEFF?---[ \t]*$/;
const FENCE_CLOSE = /^(---|\.\.\.)[ \t]*$/;
const FIELD = /^[A-Za-z_][\w-]*[ \t]*:/;
const TOML_OPEN = /^\uFEFF?\+\+\+[ \t]*$/;
const TOML_CLOSE = /^\+\+\+[ \t]*$/;
/** A top-level `key = value` line (bare or quoted key, dotted or not). */
const TOML_FIELD = /^(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')(?:[ \t]*\.[ \t]*(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*'))*[ \t]*=/;
/** A table header, `[params]` or `[[menu]]`: one field of the front matter each name. */
const TOML_TABLE = /^[ \t]*\[\[?[ \t]*([^\]]+?)[ \t]*\]/;
/** A JSON front matter's first line: `{` then nothing, a key's quote or `}` (so `{{< … >}}` is body). */
const JSON_OPEN = /^\uFEFF?\{[ \t]*(?:"|\}|$)/;
/** How far to look for a JSON front matter's closing brace: the core refuses larger ones. */
const JSON_MAX = 1024 * 1024;

/**
 * The front matter of `doc`, by the same rule as the core's `draft::split`: a `---` first
 * line and a closing `---`/`...` line (YAML), a `+++` first line and a closing `+++` line
 * (Hugo's TOML), or a JSON object starting the file whose closing `}` ends its line
 * (Hugo's JSON). Unclosed, there is none.
 */
export function frontMatterSpan(doc: Text): FrontMatterSpan | null {
  const first = doc.line(1).text;
  if (JSON_OPEN.test(first)) return jsonSpan(doc);
  const toml = TOML_OPEN.test(first);
  if (!toml && !FENCE_OPEN.test(first)) return null;
  let fields = 0;
  const tables = new Set<string>();
  let n = 1;
  const lines = doc.iterLines(2);
  for (let next = lines.next(); !next.done; next = lines.next()) {
    n += 1;
    const text = next.value;
    if (toml ? TOML_CLOSE.test(text) : FENCE_CLOSE.test(text)) {
      const fenceEnd = doc.line(n).to;
      return { fenceEnd, bodyStart: Math.min(fenceEnd + 1, doc.length), fields: fields + tables.size };
    }
    if (!toml) {
      if (FIELD.test(text)) fields += 1;
      continue;
    }
    const table = TOML_TABLE.exec(text);
    if (table) tables.add(table[1].split(".")[0].trim());
    else if (tables.size === 0 && TOML_FIELD.test(text)) fields += 1;
  }
  return null;
}

/** A leading JSON object: to its matching `}` (strings and escapes skipped), counting its top-level keys. */
function jsonSpan(doc: Text): FrontMatterSpan | null {
  const text = doc.sliceString(0, Math.min(doc.length, JSON_MAX + 1));
  let depth = 0;
  let fields = 0;
  let inString = false;
  let escaped = false;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      if (depth === 1 && expectKey) {
        fields += 1;
        expectKey = false;
      }
    } else if (c === "{" || c === "[") {
      depth += 1;
      expectKey = depth === 1;
    } else if (c === "}" || c === "]") {
      depth -= 1;
      if (depth === 0) {
        const line = doc.lineAt(i);
        // like the core: text after the closing brace makes it no front matter the editor may fold
        if (doc.sliceString(i + 1, line.to).trim() !== "") return null;
        return { fenceEnd: line.to, bodyStart: Math.min(line.to + 1, doc.length), fields };
      }
    } else if (c === "," && depth === 1) expectKey = true;
  }
  return null;
}

/** Where the caret goes when a draft opens: the first character of the body. */
export function bodyStart(doc: Text): number {
  return frontMatterSpan(doc)?.bodyStart ?? 0;
}

function isAppEdit(tr: Transaction): boolean {
  return !!tr.annotation(appEdit) || tr.isUserEvent("undo") || tr.isUserEvent("redo");
}

/**
 * The user's changes with nothing left inside the front matter: an insertion there (typed,
 * pasted, dropped) moves to the start of the body, a deletion or replacement wholly inside
 * it is dropped, and one that reaches from the front matter into the body is cut at the
 * body's start (select-all + type replaces the body). `null` when nothing had to change.
 */
export function keepOutOfFrontMatter(tr: Transaction, span: FrontMatterSpan, lineBreak: string): ChangeSpec[] | null {
  const { fenceEnd, bodyStart: start } = span;
  // a file that ends with the closing fence: text typed after it starts a new line
  const noBreak = start === fenceEnd;
  const out: ChangeSpec[] = [];
  let touched = false;
  tr.changes.iterChanges((fromA, toA, _fromB, _toB, inserted) => {
    const insert = inserted.toString();
    if (fromA >= start && !(noBreak && fromA === fenceEnd)) {
      out.push({ from: fromA, to: toA, insert });
      return;
    }
    touched = true;
    if (toA > start) out.push({ from: start, to: toA, insert });
    // typed or dropped text goes to the body; a replacement inside (replace all) is dropped
    else if (insert && fromA === toA) out.push({ from: start, insert: noBreak ? lineBreak + insert : insert });
  }, false);
  return touched ? out : null;
}

/** Every selection end moved out of the front matter, to the body's start. */
function clampSelection(sel: EditorSelection, start: number): EditorSelection | null {
  if (!sel.ranges.some((r) => r.from < start)) return null;
  return EditorSelection.create(
    sel.ranges.map((r) => EditorSelection.range(Math.max(r.anchor, start), Math.max(r.head, start))),
    sel.mainIndex,
  );
}

class FrontMatterLine extends WidgetType {
  constructor(
    readonly fields: number,
    readonly open: () => void,
  ) {
    super();
  }

  eq(other: FrontMatterLine): boolean {
    return other.fields === this.fields;
  }

  toDOM(): HTMLElement {
    const line = document.createElement("div");
    line.className = "cm-front-matter";
    line.setAttribute("data-testid", "front-matter-line");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "cm-front-matter-open";
    button.setAttribute("data-testid", "front-matter-open");
    const label = `Front matter · ${this.fields} ${this.fields === 1 ? "field" : "fields"}`;
    button.textContent = `${label} — edit in the sidebar`;
    button.title = "The title, status, categories and the rest live in the document sidebar (Alt+4)";
    button.addEventListener("mousedown", (e) => e.preventDefault()); // no caret jump first
    button.addEventListener("click", (e) => {
      e.preventDefault();
      this.open();
    });
    line.append(button);
    return line;
  }

  ignoreEvent(): boolean {
    return true;
  }
}

export interface ProtectedFrontMatterOptions {
  /** The folded line was clicked: show the document sidebar and focus its first field. */
  openSidebar(): void;
}

/** What the folded line does when clicked (the app shows the sidebar). */
const openSidebar = Facet.define<() => void, () => void>({ combine: (fns) => fns[0] ?? (() => undefined) });

/** The front matter of the current document, read again only when a change reaches it. */
const spanField = StateField.define<FrontMatterSpan | null>({
  create: (state) => frontMatterSpan(state.doc),
  update(span, tr) {
    if (!tr.docChanged) return span;
    // a body edit leaves the front matter where it is: no need to read it again
    if (span && !tr.changes.touchesRange(0, span.bodyStart)) return span;
    return frontMatterSpan(tr.newDoc);
  },
});

function decorate(state: EditorState): DecorationSet {
  const span = state.field(spanField);
  if (!span) return Decoration.none;
  const widget = new FrontMatterLine(span.fields, state.facet(openSidebar));
  return Decoration.set([Decoration.replace({ widget, block: true }).range(0, span.fenceEnd)]);
}

const folded = StateField.define<DecorationSet>({
  create: decorate,
  update(deco, tr) {
    if (tr.startState.field(spanField, false) === tr.state.field(spanField)) return tr.docChanged ? deco.map(tr.changes) : deco;
    return decorate(tr.state);
  },
  provide: (f) => [EditorView.decorations.from(f), EditorView.atomicRanges.of((view) => view.state.field(f))],
});

/**
 * Keeps the user's changes and selections out of the front matter. It runs last of the
 * transaction filters (suggest mode's included), so nothing gets past it.
 */
const guard = Prec.highest(
  EditorState.transactionFilter.of((tr): Transaction | TransactionSpec | readonly TransactionSpec[] => {
    const span = tr.startState.field(spanField, false);
    if (!span) return tr;
    const changes = tr.docChanged && !isAppEdit(tr) ? keepOutOfFrontMatter(tr, span, tr.startState.lineBreak) : null;
    if (changes) {
      const set = tr.startState.changes(changes);
      const start = frontMatterSpan(set.apply(tr.startState.doc))?.bodyStart ?? 0;
      // the caret goes after what was typed, as it would have without the front matter in the way
      const cursorOnly = !tr.selection || tr.selection.ranges.every((r) => r.empty);
      const mapped = tr.startState.selection.map(set, 1);
      const selection = cursorOnly
        ? EditorSelection.create(
            mapped.ranges.map((r) => EditorSelection.cursor(Math.max(r.head, endOfInsertAt(set, start)))),
            mapped.mainIndex,
          )
        : (clampSelection(mapped, start) ?? mapped);
      const userEvent = tr.annotation(Transaction.userEvent);
      const annotations = tr.annotation(Transaction.addToHistory) === false ? [Transaction.addToHistory.of(false)] : [];
      return { changes: set, selection, effects: tr.effects, scrollIntoView: tr.scrollIntoView, annotations, ...(userEvent ? { userEvent } : {}) };
    }
    const sel = tr.selection ?? (tr.docChanged ? tr.newSelection : null);
    if (!sel) return tr;
    const after = !tr.docChanged || !tr.changes.touchesRange(0, span.bodyStart) ? span : frontMatterSpan(tr.newDoc);
    const clamped = after ? clampSelection(sel, after.bodyStart) : null;
    return clamped ? [tr, { selection: clamped, sequential: true }] : tr;
  }),
);

/**
 * Whether `changes` (to `state`'s text) may have changed the front matter, so that whoever
 * shows it must read it again: they reach into it (up to the body's first character), or
 * the text has none and they touch its first line (which could open one), or its first
 * line opens a fence that no line closes yet (which a line anywhere could close). A
 * keystroke further down the body leaves it as it was: nothing reads the whole text for it.
 * Without the guard (a draft whose front matter does not parse) every change may.
 */
export function changeReachesFrontMatter(state: EditorState, changes: ChangeSet): boolean {
  const span = state.field(spanField, false);
  if (span === undefined) return true;
  if (span) return changes.touchesRange(0, span.bodyStart) !== false;
  const first = state.doc.line(1);
  if (FENCE_OPEN.test(first.text) || TOML_OPEN.test(first.text) || JSON_OPEN.test(first.text)) return true;
  return changes.touchesRange(0, first.to) !== false;
}

/** The extension: the folded line, the atomic range and the guard. */
export function protectedFrontMatter(opts: ProtectedFrontMatterOptions): Extension {
  return [openSidebar.of(opts.openSidebar), spanField, folded, guard, protectedTheme];
}

/** The end of the text inserted at the body's start (the body's start if none was). */
function endOfInsertAt(set: ChangeSet, start: number): number {
  let end = start;
  set.iterChanges((_fromA, _toA, fromB, toB) => {
    if (fromB <= start && toB > end) end = toB;
  });
  return end;
}

const protectedTheme = EditorView.theme({
  ".cm-front-matter": { padding: "0.2rem 0 0.6rem" },
  ".cm-front-matter-open": {
    font: "inherit",
    fontSize: "0.85em",
    color: "var(--muted)",
    background: "var(--panel)",
    border: "1px solid var(--border)",
    borderRadius: "4px",
    padding: "0.15rem 0.6rem",
    cursor: "pointer",
  },
  ".cm-front-matter-open:hover, .cm-front-matter-open:focus-visible": { color: "var(--fg)", outline: "2px solid var(--focus)" },
});
