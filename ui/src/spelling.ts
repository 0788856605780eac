/**
 * Spelling in the editor: the whole body is checked when a draft opens (WebKit's own
 * checker only marks words as they are typed), then the lines each edit touched. The words
 * come from the core (`spell_check`: the system's hunspell dictionary in the language of
 * the settings, the personal word list, the byline's names left alone) and are drawn as
 * squiggles. A right click (or the context-menu key, or "Spelling suggestions…" in the
 * palette) on one offers replacements, "Add to dictionary" and "Ignore".
 */
import { type ChangeSet, type EditorState, StateEffect, StateField, type Text } from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView, ViewPlugin, type ViewUpdate } from "@codemirror/view";
import { h } from "./html";
import type { Misspelling } from "./ipc";
import { bodyStart } from "./protectedFrontMatter";
import { perfTime } from "./perfLog";

/** What the editor needs of the core's checker, and the names not to flag. */
export interface SpellChecker {
  check(text: string, names: string[]): Promise<Misspelling[]>;
  suggest(word: string): Promise<string[]>;
  learn(word: string): Promise<void>;
  /** The byline's names (the draft's author, the user): never flagged. */
  names(): string[];
}

/** How long typing pauses before the touched lines are checked again. */
export const SPELL_DELAY_MS = 400;

/** Words flagged in `[from, to)`, replacing those flagged there before. */
const setRange = StateEffect.define<{ from: number; to: number; words: Misspelling[] }>();
/** Everything is checked again (the language or the word list changed). */
export const recheckSpelling = StateEffect.define<null>();
/** A word is no longer flagged anywhere (learnt or ignored). */
const dropWord = StateEffect.define<string>();

const squiggle = Decoration.mark({ class: "cm-misspelled", attributes: { "data-misspelled": "" } });

/** The flagged words, kept in place through edits. */
export const misspellings = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(set, tr) {
    let next = set.map(tr.changes);
    for (const e of tr.effects) {
      if (e.is(setRange)) {
        const { from, to, words } = e.value;
        next = next.update({
          filter: (f, t) => t <= from || f >= to,
          add: words.filter((w) => w.to > w.from && w.to <= tr.state.doc.length).map((w) => squiggle.range(w.from, w.to)),
          sort: true,
        });
      } else if (e.is(dropWord)) {
        const doc = tr.state.doc;
        next = next.update({ filter: (f, t) => doc.sliceString(f, t) !== e.value });
      } else if (e.is(recheckSpelling)) {
        next = Decoration.none;
      }
    }
    return next;
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** The flagged words as `{from, to, word}`, in order (tests, the menu). */
export function flaggedWords(state: EditorState): { from: number; to: number; word: string }[] {
  const out: { from: number; to: number; word: string }[] = [];
  const set = state.field(misspellings, false);
  if (!set) return out;
  set.between(0, state.doc.length, (from, to) => {
    out.push({ from, to, word: state.sliceDoc(from, to) });
  });
  return out;
}

/** The flagged word at `pos` (inside it or touching its end), if any. */
export function flaggedAt(state: EditorState, pos: number): { from: number; to: number; word: string } | null {
  let found: { from: number; to: number; word: string } | null = null;
  state.field(misspellings, false)?.between(pos, pos, (from, to) => {
    found = { from, to, word: state.sliceDoc(from, to) };
    return false;
  });
  return found;
}

/** `[from, to)` widened to whole lines of `doc`. */
function wholeLines(doc: Text, from: number, to: number): { from: number; to: number } {
  return { from: doc.lineAt(Math.min(from, doc.length)).from, to: doc.lineAt(Math.min(to, doc.length)).to };
}

/** The part of the new document `changes` touched, or null. */
function touched(changes: ChangeSet): { from: number; to: number } | null {
  let from = Number.POSITIVE_INFINITY;
  let to = -1;
  changes.iterChangedRanges((_fa, _ta, fb, tb) => {
    from = Math.min(from, fb);
    to = Math.max(to, tb);
  });
  return to < 0 ? null : { from, to };
}

/**
 * The checker for one editor state: the whole body at once, then the lines edits touched
 * once typing pauses. An answer for a text that has changed since is dropped (the change
 * that made it schedules its own check, over a range that still covers the old one).
 */
function checkerPlugin(checker: SpellChecker) {
  return ViewPlugin.fromClass(
    class {
      /** The part still to check, in the current document. */
      dirty: { from: number; to: number } | null;
      timer: ReturnType<typeof setTimeout> | null = null;
      destroyed = false;
      constructor(readonly view: EditorView) {
        this.dirty = { from: 0, to: view.state.doc.length };
        this.schedule(0);
      }
      update(u: ViewUpdate) {
        perfTime("spelling", () => this.follow(u));
      }
      follow(u: ViewUpdate) {
        if (u.transactions.some((tr) => tr.effects.some((e) => e.is(recheckSpelling)))) {
          this.dirty = { from: 0, to: u.state.doc.length };
          this.schedule(0);
          return;
        }
        if (!u.docChanged) return;
        const t = touched(u.changes);
        const old = this.dirty ? { from: u.changes.mapPos(this.dirty.from, -1), to: u.changes.mapPos(this.dirty.to, 1) } : null;
        if (t) this.dirty = old ? { from: Math.min(old.from, t.from), to: Math.max(old.to, t.to) } : t;
        else this.dirty = old;
        this.schedule(SPELL_DELAY_MS);
      }
      schedule(ms: number) {
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.run(), ms);
      }
      async run() {
        this.timer = null;
        if (!this.dirty || this.destroyed) return;
        const doc = this.view.state.doc;
        const start = bodyStart(doc);
        const range = wholeLines(doc, Math.max(this.dirty.from, start), Math.max(this.dirty.to, start));
        if (range.from < start) range.from = start;
        const text = doc.sliceString(range.from, range.to);
        let words: Misspelling[];
        try {
          words = await checker.check(text, checker.names());
        } catch {
          return; // no dictionary or a failed call: nothing flagged, nothing broken
        }
        if (this.destroyed || this.view.state.doc !== doc) return;
        this.dirty = null;
        if (!Array.isArray(words)) words = []; // a page without the app behind it
        this.view.dispatch({
          effects: setRange.of({ from: range.from, to: range.to, words: words.map((w) => ({ from: w.from + range.from, to: w.to + range.from })) }),
        });
      }
      destroy() {
        this.destroyed = true;
        if (this.timer) clearTimeout(this.timer);
      }
    },
  );
}

/** The suggestions menu, one at a time in the window. */
let openMenu: { el: HTMLElement; close: () => void } | null = null;

export function closeSpellingMenu(): void {
  openMenu?.close();
}

/**
 * Opens the menu for the flagged word at `pos` (none there: nothing, false). Its items are
 * buttons: arrows move, Enter chooses, Escape closes and gives the focus back to the text.
 */
export function openSpellingMenu(view: EditorView, checker: SpellChecker, pos: number, at?: { x: number; y: number }): boolean {
  const word = flaggedAt(view.state, pos);
  if (!word) return false;
  closeSpellingMenu();
  const coords =
    at ??
    (() => {
      const c = view.coordsAtPos(word.to);
      return c ? { x: c.left, y: c.bottom } : { x: 0, y: 0 };
    })();
  const list = h("div", { class: "spell-suggestions", "data-testid": "spell-suggestions" }, h("span", { class: "spell-note", text: "Looking for suggestions…" }));
  const learn = h("button", { type: "button", role: "menuitem", "data-testid": "spell-learn", text: "Add to dictionary" });
  const ignore = h("button", { type: "button", role: "menuitem", "data-testid": "spell-ignore", text: "Ignore" });
  const el = h("div", { class: "spell-menu", role: "menu", "aria-label": `Spelling of ‘${word.word}’`, "data-testid": "spell-menu" }, list, h("hr"), learn, ignore);
  el.style.left = `${Math.max(0, Math.min(coords.x, window.innerWidth - 220))}px`;
  el.style.top = `${Math.max(0, Math.min(coords.y + 2, window.innerHeight - 200))}px`;
  const close = (refocus = true) => {
    el.remove();
    document.removeEventListener("mousedown", outside, true);
    if (openMenu?.el === el) openMenu = null;
    if (refocus) view.focus();
  };
  const outside = (e: MouseEvent) => {
    if (!el.contains(e.target as Node)) close(false);
  };
  const items = () => Array.from(el.querySelectorAll<HTMLButtonElement>("button"));
  el.addEventListener("keydown", (e) => {
    const all = items();
    const i = all.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      close();
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const next = all[(i + (e.key === "ArrowDown" ? 1 : all.length - 1)) % all.length];
      next?.focus();
    } else if (e.key === "Tab") {
      close();
    }
  });
  /** Still the same word at the same place (the text may have changed meanwhile). */
  const stillThere = () => view.state.sliceDoc(word.from, word.to) === word.word;
  learn.addEventListener("click", () => {
    close();
    void checker.learn(word.word).then(() => view.dispatch({ effects: dropWord.of(word.word) }));
  });
  ignore.addEventListener("click", () => {
    close();
    view.dispatch({ effects: dropWord.of(word.word) });
  });
  document.body.append(el);
  document.addEventListener("mousedown", outside, true);
  openMenu = { el, close: () => close(false) };
  learn.focus();
  void checker.suggest(word.word).then(
    (found) => {
      if (!el.isConnected) return;
      const buttons = found.slice(0, 6).map((s) => {
        const b = h("button", { type: "button", role: "menuitem", class: "spell-suggestion", text: s });
        b.addEventListener("click", () => {
          close();
          if (!stillThere()) return;
          view.dispatch({ changes: { from: word.from, to: word.to, insert: s }, userEvent: "input.spelling" });
        });
        return b;
      });
      list.replaceChildren(...(buttons.length ? buttons : [h("span", { class: "spell-note", text: "No suggestions" })]));
      buttons[0]?.focus();
    },
    () => list.replaceChildren(h("span", { class: "spell-note", text: "No suggestions" })),
  );
  return true;
}

/** The spelling extension: the squiggles' field, the checker, the right click. */
export function spelling(checker: SpellChecker) {
  return [
    misspellings,
    checkerPlugin(checker),
    EditorView.domEventHandlers({
      contextmenu: (event, view) => {
        // the keyboard's menu key (Shift+F10) is no right button: the caret's word
        const fromKeyboard = event.button !== 2 || (event.clientX === 0 && event.clientY === 0);
        const pos = fromKeyboard ? view.state.selection.main.head : view.posAtCoords({ x: event.clientX, y: event.clientY });
        if (pos === null) return false;
        if (!openSpellingMenu(view, checker, pos, fromKeyboard ? undefined : { x: event.clientX, y: event.clientY })) return false;
        event.preventDefault();
        return true;
      },
    }),
  ];
}
