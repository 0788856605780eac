/**
 * The Markdown editor: CodeMirror 6 with soft wrap, undo history, find/replace, the
 * desk's formatting shortcuts, spell checking, image paste/drop, and tracked changes
 * (CriticMarkup coloured where it is written, `trackedChanges.ts`).
 */
import { Annotation, type ChangeSet, Compartment, EditorSelection, EditorState, Prec, Transaction } from "@codemirror/state";
import { EditorView, drawSelection, dropCursor, highlightActiveLine, highlightSpecialChars, keymap, placeholder } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab, redo, undo } from "@codemirror/commands";
import { search, searchKeymap, highlightSelectionMatches, openSearchPanel } from "@codemirror/search";
import { markdownKeymap } from "@codemirror/lang-markdown";
import { draftLanguage } from "./markdownFrontMatter";
import { HighlightStyle, syntaxHighlighting, indentOnInput, bracketMatching } from "@codemirror/language";
import { tags as t } from "@lezer/highlight";
import { insertLink, setHeading, toggleLinePrefix, toggleWrap } from "./markdownCommands";
import { type DraftText, draftText, minimalChange } from "./textChange";
import type { TextEdit } from "./pageRenderer";
import { bodyLineOffsetOfLines } from "./frontMatter";
import { insertComment, suggestFilter } from "./suggest";
import type { EditorCommand } from "./actions";
import { appEdit, bodyStart, changeReachesFrontMatter, protectedFrontMatter } from "./protectedFrontMatter";
import { openSpellingMenu, recheckSpelling, spelling, type SpellChecker } from "./spelling";
import { perfBegin, perfLog, perfStep } from "./perfLog";

/** The text's keyboard note: Tab indents, and how to leave (CodeMirror's tab-focus mode). */
export const EDITOR_KEYS_HELP = "Tab indents. To leave the text, press Escape and then Tab, or Control+M to make Tab move the focus.";
const EDITOR_KEYS_ID = "nr-editor-keys";
import { trackedChanges } from "./trackedChanges";

/** Marks changes that did not come from the user (reloads from disk): no autosave. */
export const External = Annotation.define<boolean>();

const markdownHighlight = HighlightStyle.define([
  { tag: t.heading1, fontWeight: "700", fontSize: "1.3em" },
  { tag: t.heading2, fontWeight: "700", fontSize: "1.15em" },
  { tag: [t.heading3, t.heading4, t.heading5, t.heading6], fontWeight: "700" },
  { tag: t.strong, fontWeight: "700" },
  { tag: t.emphasis, fontStyle: "italic" },
  { tag: t.strikethrough, textDecoration: "line-through" },
  { tag: [t.link, t.url], color: "var(--accent)" },
  { tag: t.quote, color: "var(--muted)", fontStyle: "italic" },
  { tag: t.monospace, fontFamily: "var(--mono)" },
  { tag: [t.processingInstruction, t.contentSeparator], color: "var(--muted)" },
  { tag: t.meta, color: "var(--muted)", fontFamily: "var(--mono)", fontSize: "0.88em" },
  { tag: [t.atom, t.keyword, t.propertyName], color: "var(--accent-2)" },
  { tag: t.string, color: "var(--fg)" },
  { tag: t.comment, color: "var(--muted)" },
]);

const calmTheme = EditorView.theme({
  "&": { height: "100%", backgroundColor: "var(--bg)", color: "var(--fg)" },
  ".cm-scroller": { fontFamily: "var(--editor-font)", lineHeight: "1.7", fontSize: "var(--editor-size)" },
  // the reading measure is styles.css's --measure, one place for it
  ".cm-content": { margin: "0 auto", padding: "2rem 1.5rem 40vh", caretColor: "var(--fg)" },
  ".cm-activeLine": { backgroundColor: "var(--active-line)" },
  ".cm-selectionBackground, &.cm-focused .cm-selectionBackground, ::selection": { backgroundColor: "var(--selection) !important" },
  "&.cm-focused": { outline: "none" },
  ".cm-panels": { backgroundColor: "var(--panel)", color: "var(--fg)" },
  ".cm-searchMatch": { backgroundColor: "var(--mark)" },
});

export interface EditorHooks {
  /** The text changed; `user` is false for reloads from disk. `edit`: the change as one
   * replacement of the text before it (UTF-16 units of `getText()`), `null` when the
   * file's line breaks are CRLF (the editor's positions then count one per break).
   * `frontMatter`: whether the change may have changed the front matter (false for a
   * keystroke in the body, see `changeReachesFrontMatter`). */
  onChange(user: boolean, edit?: TextEdit | null, frontMatter?: boolean): void;
  onScroll?(): void;
  onSave?(): void;
  /** An image was pasted or dropped: returns the Markdown to insert. */
  onImage?(file: File): Promise<string | null>;
  /** A local image file was pasted by its path (a file manager's `text/uri-list`): the Markdown to insert. */
  onImageFile?(path: string): Promise<string | null>;
  /** What was pasted or dropped was not taken, and why (the status bar says it). */
  onRefused?(why: string): void;
  /** The folded front matter line was clicked: the sidebar edits it. */
  onOpenFrontMatter?(): void;
  /** The core's spell checker: the whole text is checked (WebKit's own checker is then off here). */
  spelling?: SpellChecker;
}

/**
 * Where the user left a draft: the selection and the document position of the line at the
 * top of the editor (not pixels: line heights change with the window's width).
 */
export interface EditorPlace {
  anchor: number;
  head: number;
  top: number;
}

export function isImageFile(f: File): boolean {
  return /^image\//.test(f.type) || isImagePath(f.name);
}

/** A file name the core takes for an image (image_import.rs's list). */
export function isImagePath(name: string): boolean {
  return /\.(png|jpe?g|gif|webp|avif|svg)$/i.test(name);
}

/**
 * The local paths of a `text/uri-list` (a file manager's copied files): `file://` URIs only,
 * comments and other schemes left out, percent-escapes decoded.
 */
export function localPathsOfUriList(list: string): string[] {
  const paths: string[] = [];
  for (const line of list.split(/\r?\n/)) {
    const uri = line.trim();
    if (!uri || uri.startsWith("#") || !/^file:/i.test(uri)) continue;
    try {
      const url = new URL(uri);
      if (url.host && url.host !== "localhost") continue; // another machine's file
      paths.push(decodeURIComponent(url.pathname));
    } catch {
      // not a URI: left out
    }
  }
  return paths;
}

/**
 * The files of a paste or drop: from `files`, else from `items` (where WebKit puts a copied
 * screenshot) when no text came with them.
 */
function transferFiles(data: DataTransfer | null | undefined): File[] {
  if (!data) return [];
  const files = Array.from(data.files ?? []);
  if (files.length) return files;
  // an office program's copied text comes with a picture of itself: the text is what was meant
  if (Array.from(data.types ?? []).includes("text/plain")) return [];
  return Array.from(data.items ?? [])
    .filter((i) => i.kind === "file")
    .map((i) => i.getAsFile())
    .filter((f): f is File => !!f);
}

export class Editor {
  readonly view: EditorView;
  private readonly language = new Compartment();
  private readonly editable = new Compartment();
  /** The front matter folded and guarded; off for a draft whose front matter does not parse. */
  private readonly protection = new Compartment();
  private protectedNow = true;
  /** Suggest mode: typing and deleting become CriticMarkup suggestions. */
  suggesting = false;
  /** The initials that sign comments ("AK"), from settings. */
  initials = "";
  /** The formatting keys and the window's editor actions run the same commands. */
  private readonly commands: Record<EditorCommand, (view: EditorView) => boolean> = {
    find: openSearchPanel,
    bold: (v) => toggleWrap(v, "**"),
    italic: (v) => toggleWrap(v, "_"),
    link: insertLink,
    h1: (v) => setHeading(v, 1),
    h2: (v) => setHeading(v, 2),
    h3: (v) => setHeading(v, 3),
    quote: (v) => toggleLinePrefix(v, "> "),
    list: (v) => toggleLinePrefix(v, "- "),
    undo,
    redo,
    comment: (v) => insertComment(v, this.initials),
    spelling: () => this.spellingMenu(),
  };

  constructor(
    parent: HTMLElement,
    private readonly hooks: EditorHooks,
  ) {
    this.view = new EditorView({ parent, state: this.makeState("", false), dispatchTransactions: perfLog ? timedDispatch : undefined });
    // what Tab does here, told to assistive tech (the text's aria-describedby)
    const keys = document.createElement("p");
    keys.id = EDITOR_KEYS_ID;
    keys.className = "visually-hidden";
    keys.textContent = EDITOR_KEYS_HELP;
    parent.append(keys);
    this.view.scrollDOM.addEventListener("scroll", () => this.hooks.onScroll?.(), { passive: true });
  }

  private makeState(text: string, plain: boolean): EditorState {
    const hooks = this.hooks;
    const c = this.commands;
    const formatting = keymap.of([
      { key: "Mod-b", run: c.bold },
      { key: "Mod-i", run: c.italic },
      { key: "Mod-k", run: c.link },
      { key: "Mod-Alt-1", run: c.h1 },
      { key: "Mod-Alt-2", run: c.h2 },
      { key: "Mod-Alt-3", run: c.h3 },
      { key: "Mod-Shift-.", run: c.quote },
      { key: "Mod-Shift-8", run: c.list },
      { key: "Mod-Alt-m", run: c.comment },
      {
        key: "Mod-s",
        run: () => {
          hooks.onSave?.();
          return true;
        },
      },
    ]);
    // keep the file's line endings: a CRLF draft is saved back as CRLF
    const crlf = /\r\n/.test(text.slice(0, 4096));
    return EditorState.create({
      doc: text,
      extensions: [
        crlf ? EditorState.lineSeparator.of("\r\n") : [],
        Prec.high(formatting),
        EditorState.transactionFilter.of((tr) => (this.suggesting ? suggestFilter(tr, this.initials) : tr)),
        history(),
        drawSelection(),
        dropCursor(),
        highlightSpecialChars(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        indentOnInput(),
        bracketMatching(),
        search({ top: true }),
        keymap.of([...searchKeymap, ...historyKeymap, indentWithTab, ...defaultKeymap]),
        EditorView.lineWrapping,
        // markdownLanguage alone (not markdown()): no embedded HTML/JS/CSS parsers, a third of the bundle
        this.language.of(plain ? [] : [draftLanguage, Prec.high(keymap.of(markdownKeymap)), trackedChanges()]),
        this.protection.of(plain ? [] : this.protectionExtension()),
        syntaxHighlighting(markdownHighlight),
        calmTheme,
        this.editable.of(EditorView.editable.of(true)),
        placeholder("Start writing…"),
        hooks.spelling ? spelling(hooks.spelling) : [],
        EditorView.contentAttributes.of({
          // ours checks the whole text; WebKit's would mark only words typed, twice over
          spellcheck: hooks.spelling ? "false" : "true",
          autocorrect: "on",
          autocapitalize: "sentences",
          "aria-label": "Draft text",
          "aria-multiline": "true",
          "aria-describedby": EDITOR_KEYS_ID,
        }),
        // the benchmark's mark between CodeMirror's own update (plugins, the editor's DOM) and the listeners
        perfLog ? Prec.highest(EditorView.updateListener.of((u) => u.docChanged && perfStep("viewUpdated"))) : [],
        EditorView.updateListener.of((u) => {
          if (!u.docChanged) return;
          const user = u.transactions.some((tr) => tr.docChanged && !tr.annotation(External));
          const frontMatter = u.transactions.some((tr) => tr.docChanged && changeReachesFrontMatter(tr.startState, tr.changes));
          hooks.onChange(user, u.state.lineBreak === "\n" ? coveringEdit(u.changes, u.state) : null, frontMatter);
        }),
        EditorView.domEventHandlers({
          paste: (event, view) => this.handleTransfer(event.clipboardData, view.state.selection.main.head, event),
          drop: (event, view) => {
            const pos = view.posAtCoords({ x: event.clientX, y: event.clientY }) ?? view.state.selection.main.head;
            return this.handleTransfer(event.dataTransfer, pos, event);
          },
        }),
      ],
    });
  }

  /**
   * A paste or drop: image files (a screenshot, copied or dropped files) and a file
   * manager's `text/uri-list` of local images are copied beside the draft and their
   * Markdown inserted, in order; what is not an image is refused with its reason. Anything
   * else (text, web links) is left to the editor's own paste.
   */
  private handleTransfer(data: DataTransfer | null | undefined, pos: number, event: Event): boolean {
    const files = transferFiles(data);
    const types = Array.from(data?.types ?? []);
    const uriList = types.includes("text/uri-list") ? (data?.getData("text/uri-list") ?? "") : "";
    const paths = files.length ? [] : localPathsOfUriList(uriList);
    if (!files.length && !paths.length) {
      // an image type offered but not readable as a file: say so rather than nothing
      if (types.some((t) => t.startsWith("image/")) && !types.includes("text/plain")) {
        event.preventDefault();
        this.hooks.onRefused?.("The pasted image could not be read from the clipboard");
        return true;
      }
      return false;
    }
    event.preventDefault();
    const refused = [...files.filter((f) => !isImageFile(f)).map((f) => f.name || f.type || "a file"), ...paths.filter((p) => !isImagePath(p))];
    if (refused.length) this.hooks.onRefused?.(`Not inserted (only images can be inserted): ${refused.join(", ")}`);
    const jobs: (() => Promise<string | null>)[] = [
      ...files.filter(isImageFile).map((f) => () => this.hooks.onImage?.(f) ?? Promise.resolve(null)),
      ...paths.filter(isImagePath).map((p) => () => this.hooks.onImageFile?.(p) ?? Promise.resolve(null)),
    ];
    void (async () => {
      let at = pos;
      for (const job of jobs) {
        const md = await job();
        if (!md) continue;
        // dropped on the folded front matter: into the body, in order
        const floor = this.protectedNow ? bodyStart(this.view.state.doc) : 0;
        at = Math.min(Math.max(at, floor), this.view.state.doc.length);
        const insert = md;
        this.view.dispatch({
          changes: { from: at, insert },
          selection: EditorSelection.cursor(at + insert.length),
          userEvent: "input.paste",
          scrollIntoView: true,
        });
        at += insert.length;
      }
    })();
    return true;
  }

  private protectionExtension() {
    return protectedFrontMatter({ openSidebar: () => this.hooks.onOpenFrontMatter?.() });
  }

  /**
   * Opens another draft: new text, fresh undo history. `plain` turns Markdown and the
   * front matter's protection off (a draft that does not parse is shown as it is). The
   * caret goes to `place` (where the user left this draft) or to the start of the body,
   * and the view scrolls there: nothing is kept of the previous draft's scroll.
   */
  load(text: string, plain = false, place: EditorPlace | null = null): void {
    this.view.setState(this.makeState(text, plain));
    this.protectedNow = !plain;
    const len = this.view.state.doc.length;
    const start = bodyStart(this.view.state.doc);
    const clamp = (n: number) => Math.max(0, Math.min(len, Math.floor(Number.isFinite(n) ? n : 0)));
    const selection = place ? EditorSelection.single(clamp(place.anchor), clamp(place.head)) : EditorSelection.cursor(start);
    const top = place ? clamp(place.top) : 0;
    this.view.scrollDOM.scrollTop = 0;
    this.view.dispatch({
      selection,
      // a scroll target (not a bare scrollTop, which CodeMirror's scroll anchoring undoes):
      // the remembered top line at the top, else the very top ("nearest" leaves the
      // content's top padding in view, "start" would scroll past it)
      effects: top > 0 ? EditorView.scrollIntoView(top, { y: "start", yMargin: 0 }) : EditorView.scrollIntoView(0, { y: "nearest" }),
      annotations: Transaction.addToHistory.of(false),
    });
  }

  /** The caret and the scroll, to come back to this draft where the user left it. */
  place(): EditorPlace {
    const { anchor, head } = this.view.state.selection.main;
    const block = this.view.lineBlockAtHeight(this.view.scrollDOM.scrollTop);
    return { anchor, head, top: block.from };
  }

  /** Markdown on or off: off shows a draft that does not parse as plain text. */
  setPlain(plain: boolean): void {
    this.view.dispatch({ effects: this.language.reconfigure(plain ? [] : [draftLanguage, Prec.high(keymap.of(markdownKeymap)), trackedChanges()]) });
  }

  /** Turns the front matter's protection on or off (off while it does not parse). */
  setProtected(on: boolean): void {
    if (on === this.protectedNow) return;
    this.protectedNow = on;
    this.view.dispatch({ effects: this.protection.reconfigure(on ? this.protectionExtension() : []) });
    // folded again: a caret left in the front matter goes to the body
    const start = on ? bodyStart(this.view.state.doc) : 0;
    if (this.view.state.selection.ranges.some((r) => r.from < start)) this.view.dispatch({ selection: EditorSelection.cursor(start) });
  }

  /** Whether the front matter is folded and guarded now. */
  get isProtected(): boolean {
    return this.protectedNow;
  }

  /** File lines before the body (`bodyLineOffset` of the text), read from the first lines only. */
  bodyLineOffset(): number {
    const doc = this.view.state.doc;
    return bodyLineOffsetOfLines(doc.lines, (n) => doc.line(n).text);
  }

  /** `getText().length`, without making the text (a CRLF file's breaks count two). */
  textLength(): number {
    const doc = this.view.state.doc;
    return doc.length + (this.view.state.lineBreak === "\r\n" ? doc.lines - 1 : 0);
  }

  /** The text as it is now, joined only if read (the document is immutable: a later read
   * still gives this text). */
  textNow(): DraftText {
    const state = this.view.state;
    return draftText(this.textLength(), () => state.sliceDoc());
  }

  /** The whole text with the file's own line breaks (`doc.toString()` would always give LF). */
  getText(): string {
    return this.view.state.sliceDoc();
  }

  /**
   * Puts a new text in as one transaction touching only what changed, so the cursor and
   * the scroll stay where they were and one undo reverts it. `external` marks reloads from
   * disk (not the user's edit: no autosave).
   */
  setText(text: string, external: boolean): void {
    const state = this.view.state;
    // positions count a line break as one character, whatever the file's line endings
    const crlf = state.lineBreak === "\r\n";
    const found = minimalChange(state.doc.toString(), crlf ? text.replace(/\r\n/g, "\n") : text);
    if (!found) return;
    const change = crlf ? { ...found, insert: found.insert.replace(/\n/g, "\r\n") } : found;
    const scrollTop = this.view.scrollDOM.scrollTop;
    const mapped = state.selection.map(state.changes(change));
    const len = state.doc.length - (change.to - change.from) + state.toText(change.insert).length;
    const clamp = EditorSelection.create(
      mapped.ranges.map((r) => EditorSelection.range(Math.min(r.anchor, len), Math.min(r.head, len))),
      mapped.mainIndex,
    );
    this.view.dispatch({
      changes: change,
      selection: clamp,
      annotations: external ? [External.of(true), appEdit.of(true), Transaction.userEvent.of("external")] : [appEdit.of(true), Transaction.userEvent.of("input.metadata")],
    });
    this.view.scrollDOM.scrollTop = scrollTop;
  }

  insertAtCursor(text: string): void {
    const at = this.view.state.selection.main.head;
    this.view.dispatch({ changes: { from: at, insert: text }, selection: EditorSelection.cursor(at + text.length), scrollIntoView: true });
  }

  focus(): void {
    this.view.focus();
  }

  /** Selects `from..to` (a review mark), scrolls it to the middle and focuses the text. */
  reveal(from: number, to: number): void {
    const len = this.view.state.doc.length;
    const a = Math.max(0, Math.min(from, len));
    const b = Math.max(a, Math.min(to, len));
    this.view.dispatch({ selection: EditorSelection.single(a, b), effects: EditorView.scrollIntoView(a, { y: "center" }) });
    this.view.focus();
  }

  /** The file line (1-based, fractional) at the top of the editor's viewport. */
  topLine(): number {
    const scroller = this.view.scrollDOM;
    const y = scroller.scrollTop;
    const block = this.view.lineBlockAtHeight(y);
    const line = this.view.state.doc.lineAt(block.from).number;
    return line + (block.height > 0 ? Math.max(0, Math.min(1, (y - block.top) / block.height)) : 0);
  }

  /** Scrolls so that file line `line` (fractional) is at the top. */
  scrollToLine(line: number): void {
    const doc = this.view.state.doc;
    const n = Math.max(1, Math.min(doc.lines, Math.floor(line)));
    const block = this.view.lineBlockAt(doc.line(n).from);
    this.view.scrollDOM.scrollTop = block.top + (line - Math.floor(line)) * block.height;
  }

  /** Checks the whole text again (the spelling language or the word list changed). */
  recheckSpelling(): void {
    if (this.hooks.spelling) this.view.dispatch({ effects: recheckSpelling.of(null) });
  }

  /** Opens the spelling menu for the flagged word at the caret; false when there is none. */
  spellingMenu(): boolean {
    return !!this.hooks.spelling && openSpellingMenu(this.view, this.hooks.spelling, this.view.state.selection.main.head);
  }

  /** Runs one of the window's editor actions (the palette, the toolbar). */
  runCommand(name: EditorCommand): void {
    this.view.focus();
    this.commands[name](this.view); // after: the spelling menu takes the focus
  }
}

/**
 * CodeMirror's dispatch, timed for the benchmark (perfLog.ts): a change to the text begins
 * a keystroke's entry (`input`: CodeMirror has read the change from the DOM and run the
 * transaction filters), whose `state` step is the new state computed (the state fields,
 * the syntax tree's incremental parse) and `updated` the view updated (plugins, the
 * editor's DOM and every update listener, the preview's render among them).
 */
function timedDispatch(trs: readonly Transaction[], view: EditorView): void {
  const entry = trs.some((tr) => tr.docChanged) ? perfBegin() : null;
  if (entry) {
    for (const tr of trs) void tr.state;
    perfStep("state", entry);
  }
  view.update(trs);
  perfStep("updated", entry);
}

/** All of a change's ranges as one replacement: from the first change to the last. */
export function coveringEdit(changes: ChangeSet, after: EditorState): TextEdit | null {
  let from = -1;
  let to = 0;
  let toAfter = 0;
  changes.iterChangedRanges((fromA, toA, _fromB, toB) => {
    if (from < 0) from = fromA;
    to = toA;
    toAfter = toB;
  });
  return from < 0 ? null : { from, to, insert: after.sliceDoc(from, toAfter) };
}
