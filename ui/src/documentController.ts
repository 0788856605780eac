/**
 * The open draft: opening it (one at a time, in order), loading CodeMirror's chunk for the
 * first one, the editor's text and its session's way to disk (autosave, save now, close),
 * the sidebar's front matter edits, its health banner, and the conflict banner's choices.
 * The other controllers reach the open draft only through this one.
 */
import { h } from "./html";
import { describeError, type DraftError, type DraftSummary, type FrontMatterChanges, type Ipc, type OpenedDraft, type Status } from "./ipc";
import type { Editor } from "./editor";
import { DraftSession } from "./draftSession";
import type { ConflictBanner, MessageBanner } from "./conflictBanner";
import type { ConflictController } from "./conflictController";
import type { FrontMatterBanner } from "./frontMatterBanner";
import { DraftPlaces } from "./draftPlaces";
import type { StatusBar } from "./statusBar";
import type { MetadataPanel } from "./metadataPanel";
import type { DraftsPane } from "./draftsPane";
import type { Presence } from "./presence";
import type { Layout } from "./layout";
import type { PageRenderer, TextEdit } from "./pageRenderer";
import { EMPTY_FRONT_MATTER, FrontMatterReader, bodyLineOffset, type FrontMatterView } from "./frontMatter";
import { formatShortcut } from "./shortcuts";
import { initialsOf } from "./initials";
import { type DraftText, readText } from "./textChange";
import { perfStep, perfTime } from "./perfLog";

/** Where the app remembers the last draft open, to open it again at the next start. */
export const LAST_DRAFT_KEY = "newsroom.lastDraft";
/** The document panel with no draft open (the panel itself is hidden and inert). */
export const NO_DRAFT_HINT = "Open a draft to see and change its title, status, categories and tags here.";

export interface OpenDocument {
  summary: DraftSummary;
  session: DraftSession;
  plain: boolean;
}

/** The preview, as the open draft drives it (`PreviewController`). */
export interface DocumentPreview {
  /** A draft was opened: rendered at once, with nothing of the previous draft's left. */
  opened(path: string, text: string): void;
  /** The text changed: rendered as soon as the previous render is done (the latest text
   * wins); `edit`: how it changed from the text of the last request, when known. */
  request(path: string, text: string | DraftText, edit?: TextEdit | null): void;
  /** The draft closed: no answer for it is shown any more. */
  closed(): void;
  /** The draft moved: choices remembered for its path follow it. */
  moved(from: string, to: string): void;
  /** The page's renderer (the core in WebAssembly) once loaded, which also reads front matter. */
  loadedRenderer(): PageRenderer | null;
  /** The editor scrolled: the preview follows. */
  editorScrolled(): void;
}

/** The review panel, as the open draft's text drives it. */
export interface DocumentReview {
  textChanged(text: string | DraftText, now?: boolean): void;
  show(status: Status | null, text: string | null, path?: string): void;
}

export interface DocumentParts {
  ipc: Ipc;
  status: StatusBar;
  errorBanner: MessageBanner;
  conflict: ConflictBanner;
  draftBanner: FrontMatterBanner;
  metadata: MetadataPanel;
  drafts: DraftsPane;
  presence: Presence;
  layout: () => Layout;
  preview: () => DocumentPreview;
  review: () => DocumentReview;
  conflicts: () => Pick<ConflictController, "show">;
  /** The drafts list is read again soon (a save changed a row). */
  listChanged: () => void;
  userName: () => string;
  suggesting: () => boolean;
  loadEditor: () => Promise<typeof import("./editor")>;
}

export class DocumentController {
  current: OpenDocument | null = null;
  readonly editorHost = h("div", { class: "editor-host", "data-testid": "editor" });
  readonly emptyState = h(
    "div",
    { class: "empty-state" },
    h("p", { text: "Pick a draft on the left, or start a new one." }),
    h("p", { class: "muted", text: `${formatShortcut("Mod+N")} new draft · ${formatShortcut("Mod+P")} open a draft · ${formatShortcut("Mod+Shift+P")} all commands` }),
  );
  /** Where the user left each draft, to open it there again. */
  readonly places = new DraftPlaces();
  /** File lines before the body (front matter), kept current as the text changes. */
  bodyOffset = 0;
  /** Whether the latest change to the text was typed (not a reload, a restore, the sidebar). */
  private lastEditByUser = false;
  private metaTimer: ReturnType<typeof setTimeout> | null = null;
  /** The front matter, read by the core's loader (the page's module, else IPC). */
  private readonly frontMatter = new FrontMatterReader(
    (text) => this.parts.ipc.readFrontMatter(text),
    () => this.parts.preview().loadedRenderer(),
  );
  /** The last reading of the open draft's front matter. */
  frontMatterView: FrontMatterView = EMPTY_FRONT_MATTER;
  private closeFailed = false;
  private opening: Promise<void> = Promise.resolve();
  /**
   * CodeMirror is its own chunk, loaded with the first draft opened: the drafts list shows
   * without parsing it, and a window with only the list open does not hold it.
   */
  loadedEditor: Editor | null = null;
  private editorLoading: Promise<Editor> | null = null;

  constructor(private readonly parts: DocumentParts) {}

  /** The open draft's editor: loaded before any draft is opened, so there is one whenever `current` is set. */
  get editor(): Editor {
    if (!this.loadedEditor) throw new Error("no editor before the first draft is opened");
    return this.loadedEditor;
  }

  showEmpty(empty: boolean): void {
    this.emptyState.hidden = !empty;
    this.editorHost.hidden = empty;
    this.parts.layout().setPlaceholder("metadata", empty ? NO_DRAFT_HINT : null);
  }

  /** Opens a draft by its path (`read_draft`); `quiet`: a draft that is gone is not an error. */
  openPath(path: string, quiet = false): Promise<void> {
    this.opening = this.opening
      .then(() => this.doOpen(path))
      .catch((e) => {
        if (!quiet) this.parts.errorBanner.show(describeError(e));
      });
    return this.opening;
  }

  /** Opens a draft just made (New draft), after any open still under way. */
  openNew(opened: OpenedDraft): Promise<void> {
    this.opening = this.opening.then(() => this.doOpen(opened.path, opened));
    return this.opening;
  }

  private async doOpen(path: string, opened?: OpenedDraft): Promise<void> {
    if (this.current?.session.path === path && !opened) {
      this.editor.focus(); // opened again (Ctrl+P, Enter on its row): the typing goes to it
      return;
    }
    if (this.current) await this.closeCurrent();
    const [draft] = await Promise.all([opened ?? this.parts.ipc.readDraft(path), this.ensureEditor()]);
    this.load(draft, !!opened);
  }

  /** Loads CodeMirror's chunk and makes the editor, once; a failed load is tried again on the next open. */
  private ensureEditor(): Promise<Editor> {
    if (this.editorLoading) return this.editorLoading;
    const loading = this.parts.loadEditor().then(({ Editor }) => {
      const editor = new Editor(this.editorHost, {
        onChange: (user, edit, frontMatter) => this.onTextChange(user, edit ?? null, frontMatter ?? true),
        onScroll: () => this.parts.preview().editorScrolled(),
        onSave: () => void this.saveNow(),
        onImage: (file) => this.importImage(file),
        onImageFile: (path) => this.importImageFile(path),
        onRefused: (why) => this.parts.status.flash(why),
        onOpenFrontMatter: () => this.showFrontMatterFields(),
        spelling: {
          check: (text, names) => this.parts.ipc.spellCheck(text, names),
          suggest: (word) => this.parts.ipc.spellSuggest(word),
          learn: async (word) => {
            await this.parts.ipc.spellLearn(word);
          },
          // the byline: the draft's author and the user are never flagged
          names: () => [this.current?.summary.author ?? "", this.parts.userName()].filter((n) => n.trim()),
        },
      });
      editor.initials = initialsOf(this.parts.userName());
      editor.suggesting = this.parts.suggesting();
      this.loadedEditor = editor;
      return editor;
    });
    loading.catch(() => {
      if (this.editorLoading === loading) this.editorLoading = null;
    });
    this.editorLoading = loading;
    return loading;
  }

  /** `isNew`: just made by New draft (no place to come back to). */
  private load(draft: OpenedDraft, isNew = false): void {
    const { status, errorBanner, draftBanner, drafts, presence } = this.parts;
    const plain = !!draft.summary.error;
    this.parts.conflict.hide();
    errorBanner.hide();
    if (draft.summary.error) draftBanner.show(draft.path, draft.summary.error, draft.text);
    else draftBanner.hide();
    this.lastEditByUser = false;
    this.showEmpty(false); // shown first: a hidden editor cannot scroll to the place below
    // at the start of the body, or where this user left this draft
    this.editor.load(draft.text, plain, isNew ? null : this.places.get(draft.path));
    // the editor as this session sees it: once another draft is open, a late answer for
    // this one (a reload, a resolve) must not touch the editor
    const mine = () => this.current?.session === session;
    const surface = {
      getText: () => (mine() ? this.editor.getText() : session.savedText),
      textLength: () => (mine() ? this.editor.textLength() : session.savedText.length),
      replaceText: (t: string) => {
        if (mine()) this.editor.setText(t, true);
      },
    };
    const session: DraftSession = new DraftSession(draft, surface, this.parts.ipc, {
      state: (s) => status.setSaveState(s),
      conflict: (reason) => this.parts.conflicts().show(reason),
      error: (m) => errorBanner.show(`Not saved: ${m}`),
      saved: () => {
        errorBanner.hide();
        this.parts.listChanged();
      },
      pathChanged: (p) => {
        if (this.current) this.moved(this.current.summary.path, p);
        if (this.current) this.current.summary = { ...this.current.summary, path: p };
        drafts.setActive(p);
        presence.moved(p);
      },
    });
    this.current = { summary: draft.summary, session, plain };
    this.bodyOffset = bodyLineOffset(draft.text);
    status.setSaveState("saved");
    drafts.setActive(draft.path);
    this.refreshMetadata();
    this.parts.preview().opened(draft.path, draft.text);
    presence.hold(draft.path);
    try {
      localStorage.setItem(LAST_DRAFT_KEY, draft.path);
    } catch {
      // not remembered
    }
    this.editor.focus();
  }

  /** The open draft's file has another name now: what is remembered by its path follows it. */
  moved(from: string, to: string): void {
    this.places.move(from, to);
    this.parts.preview().moved(from, to);
  }

  /** Remembers where the user is in the open draft, to open it there next time. */
  private rememberPlace(): void {
    if (this.current && this.loadedEditor) this.places.set(this.current.session.path, this.loadedEditor.place());
  }

  /** The folded front matter line was clicked: the sidebar, shown, with the focus in its first field. */
  private showFrontMatterFields(): void {
    const layout = this.parts.layout();
    if (layout.isCollapsed("metadata")) layout.toggle("metadata", false);
    this.parts.metadata.focusFirst();
  }

  /**
   * What each render says about the front matter. Broken (an outside edit, or undoing a
   * reload): the banner names file and line, and the YAML is unfolded to be fixed. Parsing
   * again: the banner goes; the front matter folds again at once when a reload or restore
   * fixed it, but not under the user's own typing (it would vanish mid-edit): then it folds
   * the next time the draft opens. A render of the very text the error was reported for
   * (the open's summary) cannot clear it.
   */
  frontMatterHealth(error: DraftError | null, rendered: string | DraftText): void {
    const cur = this.current;
    const banner = this.parts.draftBanner;
    if (!cur || !this.loadedEditor) return;
    // the text is read only when the banner is concerned (a keystroke's render needs not)
    if (!error && !banner.visible) return;
    const text = readText(rendered);
    if (error) {
      const was = banner.visible;
      if (!was || banner.brokenText !== text) banner.show(cur.session.path, error, text);
      this.editor.setProtected(false);
      if (!was) this.refreshMetadata();
      return;
    }
    if (!banner.visible || banner.brokenText === text) return;
    banner.hide();
    if (!this.lastEditByUser) {
      this.editor.setPlain(false);
      this.editor.setProtected(true);
      cur.plain = false;
    }
    this.refreshMetadata();
  }

  /** Saves the open draft (or keeps mine as a copy in a conflict) and closes it. */
  async closeCurrent(): Promise<void> {
    const cur = this.current;
    if (!cur) return;
    this.rememberPlace();
    await cur.session.close();
    this.current = null;
    void this.parts.presence.release();
    this.parts.preview().closed();
    this.parts.conflict.hide();
    this.parts.draftBanner.hide();
    this.parts.status.setSaveState(null);
    this.parts.status.setStats(null);
    this.parts.metadata.show(null);
    this.parts.drafts.setActive(null);
    this.showEmpty(true);
  }

  /** Before the window closes: everything typed is on disk (or the close is held once). */
  async beforeClose(): Promise<boolean> {
    try {
      this.rememberPlace();
      await this.current?.session.close();
      await this.parts.presence.release();
      return true;
    } catch (e) {
      if (this.closeFailed) return true;
      this.closeFailed = true;
      this.parts.errorBanner.show(`Could not save before closing: ${describeError(e)}. Fix it and save (${formatShortcut("Mod+S")}), or close again to quit anyway.`);
      return false;
    }
  }

  // ---- editing

  /** `frontMatter`: the change may have changed the front matter (the sidebar reads it again). */
  private onTextChange(user: boolean, edit: TextEdit | null, frontMatter: boolean): void {
    const cur = this.current;
    if (!cur) return;
    // Nothing here reads the whole text on a keystroke: the text as of this change is
    // joined from the editor's lines only if somebody reads it (the review's marks after
    // a pause, the render when it has no edit to send, the banner of a broken front matter).
    const text = perfTime("getText", () => this.editor.textNow());
    // the render first: the preview is what the reporter is watching
    perfTime("request", () => this.parts.preview().request(cur.session.path, text, edit));
    if (user) perfTime("session", () => cur.session.edited());
    this.lastEditByUser = user;
    perfTime("bodyOffset", () => (this.bodyOffset = this.editor.bodyLineOffset()));
    perfTime("review", () => this.parts.review().textChanged(text));
    // the sidebar's front matter, read again (the whole text, by the core) only when the
    // change reached it: a keystroke in the body leaves it as it was, and the review's
    // marks follow the text on their own (above)
    if (frontMatter) {
      if (this.metaTimer) clearTimeout(this.metaTimer);
      this.metaTimer = setTimeout(() => perfTime("metadata", () => this.refreshMetadata()), 150);
    }
    perfStep("changed");
  }

  refreshMetadata(): void {
    void this.readMetadata();
  }

  private async readMetadata(): Promise<void> {
    if (!this.current) {
      this.parts.metadata.show(null);
      this.parts.review().show(null, null);
      return;
    }
    const cur = this.current;
    const text = this.editor.getText();
    const view = await this.frontMatter.view(text);
    if (this.disposed) return; // the window went while the front matter was read
    if (this.current !== cur || this.editor.getText() !== text) return; // a newer reading follows
    this.frontMatterView = view;
    // a front matter that does not parse is fixed in the text, not through the sidebar
    this.parts.metadata.show(view, { disabled: this.parts.draftBanner.visible });
    this.parts.review().show(((view.status as Status) || "draft") as Status, text, this.current.session.path);
  }

  async saveNow(): Promise<void> {
    await this.current?.session.flush();
  }

  /** Saves now and refuses to go on in a conflict (publishing, moving in the workflow). */
  async flushOrThrow(): Promise<void> {
    const cur = this.current;
    if (!cur) throw { code: "invalid_argument", message: "Open a draft first" };
    await cur.session.flush();
    if (cur.session.inConflict) throw { code: "conflict", message: `‘${cur.summary.title}’ is in conflict: settle it first (Keep mine, Take theirs or Compare).` };
  }

  /** A metadata change: `update_front_matter` computes the text, the editor takes it as one undoable step. */
  async changeFrontMatter(changes: FrontMatterChanges): Promise<void> {
    const session = this.current?.session;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (!session || this.current?.session !== session) return; // another draft is open now
      const before = this.editor.getText();
      let after: string;
      try {
        after = await this.parts.ipc.updateFrontMatter(before, changes);
      } catch (e) {
        this.parts.errorBanner.show(describeError(e));
        this.refreshMetadata();
        return;
      }
      if (this.current?.session !== session) return;
      if (this.editor.getText() !== before) continue; // typed meanwhile: ask again on the new text
      this.editor.setText(after, false);
      this.refreshMetadata();
      return;
    }
  }

  /** The file Rust wrote for this draft (a restore, a workflow move) becomes the editor's text and base. */
  adoptWritten(cur: OpenDocument, text: string, hash: string): void {
    this.editor.setText(text, true);
    cur.session.adopt(text, hash);
  }

  private async importImage(file: File): Promise<string | null> {
    const cur = this.current;
    if (!cur) return null;
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const name = file.name || `pasted-${Date.now()}.${(file.type.split("/")[1] ?? "png").replace("jpeg", "jpg")}`;
      const markdown = await this.parts.ipc.importImage(cur.session.path, name, bytes);
      // the Markdown is relative to this draft: insert it only if it is still the open one
      return this.current === cur ? markdown : null;
    } catch (e) {
      this.parts.errorBanner.show(`Image not added: ${describeError(e)}`);
      this.parts.status.flash(`Image not added: ${describeError(e)}`);
      return null;
    }
  }

  /**
   * An image file the user chose on their computer (Insert Image's chooser, the featured
   * image's, a file list pasted from a file manager), copied beside the open draft by the
   * core: the Markdown that shows it, or null with the reason in the status bar.
   */
  async importImageFile(source: string): Promise<string | null> {
    const cur = this.current;
    if (!cur) {
      this.parts.status.flash("Open a draft first");
      return null;
    }
    try {
      const markdown = await this.parts.ipc.importImageFile(cur.session.path, source);
      return this.current === cur ? markdown : null;
    } catch (e) {
      this.parts.status.flash(`Image not added: ${describeError(e)}`);
      return null;
    }
  }

  /** The images the open text links to (the sidebar's featured image suggestions). */
  imagesInText(): string[] {
    const text = this.loadedEditor?.getText() ?? "";
    const found = new Set<string>();
    for (const m of text.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)) found.add(m[1]);
    return [...found];
  }

  /** Stops without saving (the window is going away; tests). */
  private disposed = false;

  dispose(): void {
    this.disposed = true;
    this.current?.session.dispose();
    this.loadedEditor?.view.destroy();
  }
}
