/**
 * The window: wires the panes, the open draft's session, the preview, the dialogs and the
 * shortcuts together. Each piece lives in its own module; this file only connects them.
 */
import { h } from "./html";
import {
  STATUS_LABELS,
  asCommandError,
  describeError,
  ipc as realIpc,
  onDraftsChanged,
  onReviewNotification,
  onOutboxEvent,
  takeBoot,
  byteToIndex,
  type DraftError,
  type CommandError,
  type Mark,
  type Status,
  type DraftSummary,
  type DraftsChanged,
  type FrontMatterChanges,
  type Ipc,
  type OpenedDraft,
  type Preview,
  type Settings,
  type WorkspaceInfo,
} from "./ipc";
import { DraftsPane } from "./draftsPane";
import type { Editor } from "./editor";
import { PreviewPane } from "./preview";
import { MetadataPanel } from "./metadataPanel";
import { StatusBar } from "./statusBar";
import { ConflictBanner, MessageBanner } from "./conflictBanner";
import { FrontMatterBanner } from "./frontMatterBanner";
import { DraftPlaces } from "./draftPlaces";
import { RemoteImageChoices, RemoteImagesBar } from "./remoteImages";
import { DraftSession, type ConflictReason } from "./draftSession";
import { LatestOnly } from "./renderScheduler";
import { loadPageRenderer, type PageRenderer } from "./pageRenderer";
import { logTiming, perfLog, perfMark } from "./perfLog";
import { Layout } from "./layout";
import { ToolbarOverflow } from "./toolbar";
import { EMPTY_FRONT_MATTER, FrontMatterReader, bodyLineOffset, type FrontMatterView } from "./frontMatter";
import { filterItems, openPicker, type PickerItem } from "./commandPalette";
import { askNewDraft } from "./newDraftDialog";
import { openHistory } from "./history";
import { askExportPath } from "./exportDialog";
import { copyRichText } from "./clipboard";
import { applyTheme, openSettings, type SettingsSection } from "./settings";
import { DEFAULT_CATEGORIES, DEFAULT_SETTINGS } from "./generated/defaults";
import { formatShortcut } from "./shortcuts";
import { PUBLISH_SHORTCUT, actionForKey, buildActions, type Action } from "./actions";
import { openCompare } from "./compareDialog";
import { PublishPanel, openOutbox } from "./publishPanel";
import { ReviewPanel } from "./reviewPanel";
import { confirmDialog } from "./dialog";
import { statusNote } from "./workflowLabels";
import { openQueue } from "./queueDialog";
import { Notifications, Presence } from "./presence";
import { initialsOf } from "./initials";

export type { Action };

const LAST_DRAFT_KEY = "newsroom.lastDraft";
/** The document panel with no draft open (the panel itself is hidden and inert). */
export const NO_DRAFT_HINT = "Open a draft to see and change its title, status, categories and tags here.";

/**
 * An `open_workspace` failure in words that name the folder: the core's "not found" says
 * "no such draft", which is about files, not folders.
 */
export function folderProblem(path: string | undefined, e: unknown): CommandError {
  const err = asCommandError(e);
  const folder = path?.trim() || err.file || "the drafts folder";
  let why: string;
  if (err.code === "not_found") why = "it does not exist or cannot be reached";
  else if (err.message.startsWith(`${folder}: `)) why = err.message.slice(folder.length + 2);
  else why = describeError(err);
  return { ...err, message: `Could not open the folder ${folder}: ${why}` };
}
/** The most drafts Ctrl+P lists. */
const QUICK_OPEN_LIMIT = 50;
/** How many revisions, newest first, "Restore the last good version" looks through. */
const RESTORE_SEARCH_LIMIT = 50;

interface Current {
  summary: DraftSummary;
  session: DraftSession;
  plain: boolean;
}

export class App {
  readonly root: HTMLElement;
  readonly drafts: DraftsPane;
  readonly preview: PreviewPane;
  readonly metadata: MetadataPanel;
  readonly status = new StatusBar();
  readonly conflict = new ConflictBanner();
  readonly errorBanner = new MessageBanner("error-banner", "error");
  /** The open draft's front matter does not parse: said loudly, with a way back. */
  readonly draftBanner = new FrontMatterBanner({
    restoreLastGood: () => this.restoreLastGood(),
    openHistory: () => void this.openHistory(),
  });
  /** Where the user left each draft, to open it there again. */
  private readonly places = new DraftPlaces();
  /** Drafts whose remote images the user chose to load (held back everywhere else). */
  private readonly remoteChoices = new RemoteImageChoices();
  private readonly remoteBar = new RemoteImagesBar({
    allow: () => this.setRemoteImages(true),
    revoke: () => this.setRemoteImages(false),
  });
  /** Whether the latest change to the text was typed (not a reload, a restore, the sidebar). */
  private lastEditByUser = false;
  readonly layout: Layout;
  readonly review: ReviewPanel;
  readonly presence: Presence;
  readonly notifications: Notifications;
  publishPanel: PublishPanel | null = null;
  private readonly suggestButton = h("button", { type: "button", class: "suggest-toggle", "data-testid": "suggest-toggle", "aria-pressed": "false", title: "Suggest mode: track your changes (Ctrl+Shift+E)", text: "Suggest" });
  settings: Settings = DEFAULT_SETTINGS;
  workspace: WorkspaceInfo | null = null;
  current: Current | null = null;
  readonly actions: Action[];
  private readonly renderer: LatestOnly<{ path: string; text: string; asked: number }, { preview: Preview; asked: number; sent: number; answered: number; where: "page" | "rust" }>;
  /** The core's renderer in the page (WebAssembly), once loaded; until then Rust renders. */
  private pageRenderer: PageRenderer | null = null;
  /** The front matter, read by the core's loader (that module, else IPC); the last reading. */
  private readonly frontMatter = new FrontMatterReader((text) => this.ipc.readFrontMatter(text), () => this.pageRenderer);
  private frontMatterView: FrontMatterView = EMPTY_FRONT_MATTER;
  private pageRendererAsked = false;
  private readonly editorHost = h("div", { class: "editor-host", "data-testid": "editor" });
  private readonly emptyState = h("div", { class: "empty-state" }, h("p", { text: "Pick a draft on the left, or start a new one." }), h("p", { class: "muted", text: `${formatShortcut("Mod+N")} new draft · ${formatShortcut("Mod+P")} open a draft · ${formatShortcut("Mod+Shift+P")} all commands` }));
  private metaTimer: ReturnType<typeof setTimeout> | null = null;
  private listTimer: ReturnType<typeof setTimeout> | null = null;
  private syncingScroll: "editor" | "preview" | null = null;
  private syncTimer: ReturnType<typeof setTimeout> | null = null;
  private closeFailed = false;
  /** File lines before the body (front matter), kept current as the text changes. */
  private bodyOffset = 0;
  private opening: Promise<void> = Promise.resolve();
  /**
   * CodeMirror is its own chunk, loaded with the first draft opened: the drafts list shows
   * without parsing it, and a window with only the list open does not hold it.
   */
  private loadedEditor: Editor | null = null;
  private editorLoading: Promise<Editor> | null = null;
  /** Suggest mode, which the toolbar can turn on before the editor is loaded. */
  private suggesting = false;

  constructor(
    mount: HTMLElement,
    private readonly ipc: Ipc = realIpc,
    private readonly loadRenderer: () => Promise<PageRenderer | null> = loadPageRenderer,
    private readonly loadEditor: () => Promise<typeof import("./editor")> = () => import("./editor"),
  ) {
    this.drafts = new DraftsPane(ipc, {
      open: (d) => {
        this.layout.closeDrawer(); // the drafts as a drawer (a narrow window) make way for the text
        void this.openDraft(d);
      },
      newDraft: () => this.newDraft(),
      error: (m) => this.errorBanner.show(m),
      openLink: (url) => this.openExternal(url),
    });
    this.preview = new PreviewPane({
      openExternal: (url) => void this.ipc.openExternal(url).catch((e) => this.errorBanner.show(describeError(e))),
      onScrollLine: (line) => this.onPreviewScroll(line),
    });
    this.metadata = new MetadataPanel({
      change: (changes) => this.changeFrontMatter(changes),
      move: (to) => this.review.moveTo(to),
      categories: () => this.categories(),
      tags: () => [...new Set([...(this.workspace?.tags ?? []), ...this.drafts.loaded().flatMap((d) => d.tags)])],
      authors: () => [...new Set([...(this.workspace?.authors ?? []), ...(this.settings.user_name ? [this.settings.user_name] : [])])],
      images: () => this.imagesInText(),
    });
    this.review = new ReviewPanel(ipc, {
      transition: (to, note) => this.reviewTransition(to, note),
      resolve: (id, accept) => this.resolveMarks(id, accept),
      goto: (m) => this.gotoMark(m),
      error: (m) => this.errorBanner.show(m),
      confirm: (t) =>
        confirmDialog({
          title: "Mark as published elsewhere?",
          message: `‘${this.current?.summary.title || this.current?.session.path || "This piece"}’ will be recorded as published without sending anything to a portal. Use Publish… to put it on the portal.`,
          confirm: t.label,
          testid: "confirm-published-elsewhere",
        }),
      movesChanged: (_status, moves) => {
        const cur = this.current;
        this.metadata.setMoves(moves, cur ? statusNote(cur.session.path, cur.summary.status, cur.summary.portal_post_id) : null);
      },
    });
    this.metadata.element.insertBefore(this.review.element, this.metadata.element.children[2] ?? null);
    this.presence = new Presence(ipc);
    this.notifications = new Notifications((path) => void this.openPath(path));
    this.renderer = new LatestOnly(
      async ({ path, text, asked }) => {
        const sent = performance.now();
        const remote = this.remoteChoices.allowed(path);
        const local = this.renderInPage(path, text, remote);
        const preview = local ?? (await this.ipc.renderPreview(path, text, remote));
        return { preview, asked, sent, answered: performance.now(), where: local ? "page" : "rust" };
      },
      ({ preview, where, ...t }, { path, text }) => {
        if (path !== this.current?.session.path) return;
        this.frontMatterHealth(preview.error, text);
        this.preview.show(preview);
        this.remoteBar.show(preview.remote_image_count ?? 0, preview.remote_images ?? [], this.remoteChoices.allowed(path));
        this.preview.element.dataset.renderer = where;
        this.status.setStats(preview.stats);
        if (perfLog) logTiming({ ...t, shown: performance.now() });
        // keep the preview in step once the new render is on screen: measuring it now
        // would force a layout of the whole article before the frame that shows the key
        requestAnimationFrame(() => setTimeout(() => this.onEditorScroll(), 0));
      },
      (e) => this.status.flash(`Preview: ${describeError(e)}`),
      40,
    );
    const editorPane = h("section", { class: "editor-pane", "aria-label": "Editor" }, this.presence.element, this.conflict.element, this.draftBanner.element, this.review.requestBanner, this.emptyState, this.editorHost);
    this.layout = new Layout({
      drafts: this.drafts.element,
      editor: editorPane,
      preview: h("section", { class: "preview-pane", "aria-label": "Preview" }, this.remoteBar.element, this.preview.element),
      metadata: this.metadata.element,
    });
    this.actions = buildActions({
      newDraft: () => this.newDraft(),
      quickOpen: () => void this.quickOpen(),
      openPalette: () => this.openPalette(),
      saveNow: () => void this.saveNow(),
      focusSearch: () => this.drafts.search.focus(),
      inEditor: (command) => this.current && this.editor.runCommand(command),
      openHistory: () => void this.openHistory(),
      exportHtml: () => void this.exportHtml(),
      copyRich: () => void this.copyRich(),
      openSettings: () => this.openSettings(),
      togglePane: (pane) => this.layout.toggle(pane),
      focusEditor: () => this.current && this.loadedEditor?.focus(),
      openPublish: () => void this.openPublish(),
      openOutbox: () => void openOutbox(this.ipc, (u) => this.openExternal(u)),
      openQueue: () => void this.openQueue(),
      toggleSuggest: () => this.toggleSuggest(),
      openNotifications: () => this.notifications.toggle(),
    });
    const publishOpen = h("button", { type: "button", class: "primary", "data-testid": "publish-open", title: `Publish… (${formatShortcut(PUBLISH_SHORTCUT)})`, text: "Publish" });
    publishOpen.addEventListener("click", () => void this.openPublish());
    const queueOpen = h("button", { type: "button", "data-testid": "queue-open", title: `Review queue (${formatShortcut("Mod+Shift+Q")})`, text: "Queue" });
    queueOpen.addEventListener("click", () => void this.openQueue());
    this.suggestButton.addEventListener("click", () => this.toggleSuggest());
    const more = {
      history: this.toolbarButton("History", "history", "Revision history"),
      export: this.toolbarButton("Export", "export-html", "Export HTML…"),
      copy: this.toolbarButton("Copy", "copy-rich", "Copy as rich text"),
      settings: this.toolbarButton("Settings", "settings", "Settings"),
      commands: this.toolbarButton("Commands", "palette", "Command palette"),
    };
    const toolbar = h(
      "header",
      { class: "toolbar" },
      h("span", { class: "app-name", text: "Newsroom" }),
      h(
        "nav",
        { class: "toolbar-toggles", "aria-label": "Panes" },
        this.layout.toggleButton("drafts", "Drafts", "Alt+1"),
        this.layout.toggleButton("editor", "Editor", "Alt+2"),
        this.layout.toggleButton("preview", "Preview", "Alt+3"),
        this.layout.toggleButton("metadata", "Document", "Alt+4"),
      ),
      h("span", { class: "spacer" }),
      this.suggestButton,
      queueOpen,
      publishOpen,
      h("span", { class: "bell-wrap" }, this.notifications.bell, this.notifications.list),
      more.history,
      more.export,
      more.copy,
      more.settings,
      more.commands,
    );
    // too narrow a window: the least used buttons go into "More", the first listed first
    const overflow = new ToolbarOverflow(toolbar, [more.commands, more.copy, more.export, more.history, more.settings, queueOpen, this.suggestButton]);
    toolbar.append(overflow.element);
    this.root = h("div", { class: "app" }, toolbar, this.errorBanner.element, this.layout.element, this.status.element, this.notifications.toasts);
    mount.replaceChildren(this.root);
    overflow.observe();
    this.showEmpty(true);
    document.addEventListener("keydown", this.keyListener, true);
    window.addEventListener("blur", this.blurListener);
    document.addEventListener("visibilitychange", this.visibilityListener);
  }

  private readonly keyListener = (e: KeyboardEvent) => this.onKey(e);
  private readonly blurListener = () => void this.current?.session.flush();
  private readonly visibilityListener = () => {
    if (document.visibilityState === "hidden") void this.current?.session.flush();
  };
  private unlistenChanges: (() => void) | null = null;
  private unlistenNotifications: (() => void) | null = null;
  private unlistenOutbox: (() => void) | null = null;
  private outboxSeq = 0;

  /** Removes the window-wide listeners (tests; a second window). */
  dispose(): void {
    document.removeEventListener("keydown", this.keyListener, true);
    window.removeEventListener("blur", this.blurListener);
    document.removeEventListener("visibilitychange", this.visibilityListener);
    this.unlistenChanges?.();
    this.unlistenNotifications?.();
    this.unlistenOutbox?.();
    this.drafts.dispose();
    void this.presence.release();
    this.current?.session.dispose();
    this.renderer.cancel();
    this.loadedEditor?.view.destroy();
    this.root.remove();
  }

  private toolbarButton(label: string, actionId: string, title: string): HTMLButtonElement {
    const action = () => this.actions.find((a) => a.id === actionId);
    const shortcut = action()?.shortcut;
    const b = h("button", { type: "button", "data-testid": `toolbar-${actionId}`, title: shortcut ? `${title} (${formatShortcut(shortcut)})` : title, text: label });
    b.addEventListener("click", () => action()?.run());
    return b;
  }

  /** Settings, workspace, live updates. */
  async start(): Promise<void> {
    // Everything the first screen needs is asked for at once, not one round trip after
    // another: the folder (opened by the app while this page loaded), the settings and the
    // event subscriptions.
    const quietly = <T>(subscribe: () => Promise<T>, keep: (value: T) => void) =>
      Promise.resolve()
        .then(subscribe)
        .then(keep, () => {
          // outside Tauri (tests, a plain browser): no live updates
        });
    const listening = Promise.all([
      quietly(() => onDraftsChanged((p) => void this.onDraftsChanged(p)), (u) => (this.unlistenChanges = u)),
      quietly(() => onReviewNotification((n) => this.notifications.notify(n)), (u) => (this.unlistenNotifications = u)),
      quietly(() => onOutboxEvent(() => void this.refreshOutbox()), (u) => (this.unlistenOutbox = u)),
    ]);
    // The app may have handed over the folder and settings before this script ran
    // (src-tauri/src/boot.rs); otherwise they are asked for now.
    const boot = takeBoot();
    document.documentElement.dataset.boot = boot ? "script" : "ipc";
    const opening = !boot ? this.ipc.openWorkspace() : boot.workspace ? Promise.resolve(boot.workspace) : Promise.reject(boot.error);
    opening.catch(() => {}); // reported by the await below
    try {
      this.settings = { ...DEFAULT_SETTINGS, ...(boot ? boot.settings : await this.ipc.getSettings()) };
    } catch (e) {
      this.status.flash(`Settings: ${describeError(e)}`);
    }
    applyTheme(this.settings.theme);
    this.preview.setTheme(this.settings.theme);
    const info = await opening.catch((e: unknown) => {
      throw folderProblem(undefined, e);
    });
    perfMark("workspace-received");
    await this.showWorkspace(info);
    perfMark("workspace-shown");
    await listening;
    void this.refreshOutbox();
    // reopen the draft the reporter had open last time, if it is still there
    let last: string | null = null;
    try {
      last = localStorage.getItem(LAST_DRAFT_KEY);
    } catch {
      // no storage
    }
    if (last && !this.current) await this.openPath(last, true); // quietly: it may be gone
  }

  /**
   * Opens another folder. The open draft is saved first and closed only once the new folder
   * is open: a folder that is missing or unreadable leaves the old one and its draft as they
   * were, and the error names the folder.
   */
  async openWorkspace(path?: string): Promise<void> {
    const cur = this.current;
    if (cur?.session.inConflict) await this.closeCurrent(); // settled (mine kept) as before
    else if (cur) {
      await cur.session.flush();
      if (cur.session.isDirty()) throw new Error(`‘${cur.summary.title || cur.session.path}’ could not be saved: save it before opening another folder.`);
      // the lock is released in this folder (its path would name a file of the next one)
      await this.presence.release();
    }
    let info: WorkspaceInfo;
    try {
      info = await this.ipc.openWorkspace(path);
    } catch (e) {
      if (cur && this.current === cur) this.presence.hold(cur.session.path);
      throw folderProblem(path, e);
    }
    if (this.current) await this.closeCurrent();
    await this.showWorkspace(info);
    if (path) {
      try {
        this.settings = { ...DEFAULT_SETTINGS, ...(await this.ipc.getSettings()) };
      } catch {
        // keep what we had
      }
    }
  }

  /** Shows a just-opened folder's first page; a search or filter still set asks again. */
  private async showWorkspace(info: WorkspaceInfo): Promise<void> {
    this.workspace = info;
    this.status.setFolder(info.root);
    this.drafts.setVocabulary([...this.categories(), ...info.categories], info.tags);
    this.drafts.show(info.drafts, info.total ?? info.drafts.length);
    if (this.drafts.search.value || Object.keys(this.drafts.filter()).length) await this.drafts.refresh();
  }

  categories(): string[] {
    const base = this.settings.categories.length ? this.settings.categories : DEFAULT_CATEGORIES;
    return [...new Set([...base, ...(this.workspace?.categories ?? [])])];
  }

  private showEmpty(empty: boolean): void {
    this.emptyState.hidden = !empty;
    this.editorHost.hidden = empty;
    this.layout.setPlaceholder("metadata", empty ? NO_DRAFT_HINT : null);
  }

  // ---- opening and closing drafts

  openDraft(summary: DraftSummary): Promise<void> {
    return this.openPath(summary.path);
  }

  /** Opens a draft by its path (`read_draft`); `quiet`: a draft that is gone is not an error. */
  openPath(path: string, quiet = false): Promise<void> {
    this.opening = this.opening
      .then(() => this.doOpen(path))
      .catch((e) => {
        if (!quiet) this.errorBanner.show(describeError(e));
      });
    return this.opening;
  }

  private async doOpen(path: string, opened?: OpenedDraft): Promise<void> {
    if (this.current?.session.path === path && !opened) {
      this.editor.focus(); // opened again (Ctrl+P, Enter on its row): the typing goes to it
      return;
    }
    if (this.current) await this.closeCurrent();
    const [draft] = await Promise.all([opened ?? this.ipc.readDraft(path), this.ensureEditor()]);
    this.load(draft, !!opened);
  }

  /** The open draft's editor: loaded before any draft is opened, so there is one whenever `current` is set. */
  get editor(): Editor {
    if (!this.loadedEditor) throw new Error("no editor before the first draft is opened");
    return this.loadedEditor;
  }

  /** Loads CodeMirror's chunk and makes the editor, once; a failed load is tried again on the next open. */
  private ensureEditor(): Promise<Editor> {
    if (this.editorLoading) return this.editorLoading;
    const loading = this.loadEditor().then(({ Editor }) => {
      const editor = new Editor(this.editorHost, {
        onChange: (user) => this.onTextChange(user),
        onScroll: () => this.onEditorScroll(),
        onSave: () => void this.saveNow(),
        onImage: (file) => this.importImage(file),
        onOpenFrontMatter: () => this.showFrontMatterFields(),
      });
      editor.initials = initialsOf(this.settings.user_name);
      editor.suggesting = this.suggesting;
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
    const plain = !!draft.summary.error;
    this.conflict.hide();
    this.errorBanner.hide();
    if (draft.summary.error) this.draftBanner.show(draft.path, draft.summary.error, draft.text);
    else this.draftBanner.hide();
    this.lastEditByUser = false;
    this.showEmpty(false); // shown first: a hidden editor cannot scroll to the place below
    // at the start of the body, or where this user left this draft
    this.editor.load(draft.text, plain, isNew ? null : this.places.get(draft.path));
    // the editor as this session sees it: once another draft is open, a late answer for
    // this one (a reload, a resolve) must not touch the editor
    const mine = () => this.current?.session === session;
    const surface = {
      getText: () => (mine() ? this.editor.getText() : session.savedText),
      replaceText: (t: string) => {
        if (mine()) this.editor.setText(t, true);
      },
    };
    const session: DraftSession = new DraftSession(draft, surface, this.ipc, {
      state: (s) => this.status.setSaveState(s),
      conflict: (reason) => this.showConflict(reason),
      error: (m) => this.errorBanner.show(`Not saved: ${m}`),
      saved: () => {
        this.errorBanner.hide();
        this.scheduleListRefresh();
      },
      pathChanged: (p) => {
        if (this.current) this.places.move(this.current.summary.path, p);
        if (this.current) this.remoteChoices.move(this.current.summary.path, p);
        if (this.current) this.current.summary = { ...this.current.summary, path: p };
        this.drafts.setActive(p);
        this.presence.moved(p);
      },
    });
    this.current = { summary: draft.summary, session, plain };
    this.bodyOffset = bodyLineOffset(draft.text);
    this.status.setSaveState("saved");
    this.drafts.setActive(draft.path);
    this.refreshMetadata();
    this.remoteBar.hide(); // the previous draft's hosts are not this one's
    this.renderer.now({ path: draft.path, text: draft.text, asked: performance.now() });
    this.loadPageRendererOnce();
    this.presence.hold(draft.path);
    try {
      localStorage.setItem(LAST_DRAFT_KEY, draft.path);
    } catch {
      // not remembered
    }
    this.editor.focus();
  }

  /** Remembers where the user is in the open draft, to open it there next time. */
  private rememberPlace(): void {
    if (this.current && this.loadedEditor) this.places.set(this.current.session.path, this.loadedEditor.place());
  }

  /** The folded front matter line was clicked: the sidebar, shown, with the focus in its first field. */
  private showFrontMatterFields(): void {
    if (this.layout.isCollapsed("metadata")) this.layout.toggle("metadata", false);
    this.metadata.focusFirst();
  }

  /**
   * What each render says about the front matter. Broken (an outside edit, or undoing a
   * reload): the banner names file and line, and the YAML is unfolded to be fixed. Parsing
   * again: the banner goes; the front matter folds again at once when a reload or restore
   * fixed it, but not under the user's own typing (it would vanish mid-edit): then it folds
   * the next time the draft opens. A render of the very text the error was reported for
   * (the open's summary) cannot clear it.
   */
  private frontMatterHealth(error: DraftError | null, text: string): void {
    const cur = this.current;
    if (!cur || !this.loadedEditor) return;
    if (error) {
      const was = this.draftBanner.visible;
      if (!was || this.draftBanner.brokenText !== text) this.draftBanner.show(cur.session.path, error, text);
      this.editor.setProtected(false);
      if (!was) this.refreshMetadata();
      return;
    }
    if (!this.draftBanner.visible || this.draftBanner.brokenText === text) return;
    this.draftBanner.hide();
    if (!this.lastEditByUser) {
      this.editor.setPlain(false);
      this.editor.setProtected(true);
      cur.plain = false;
    }
    this.refreshMetadata();
  }

  /**
   * Restores the newest revision whose front matter parses (checked with the same renderer
   * as the preview), through `restore_revision`: the file gets that version's exact bytes
   * and the broken one stays in the history. False when no revision parses.
   */
  async restoreLastGood(): Promise<boolean> {
    const cur = this.current;
    if (!cur) return false;
    await cur.session.flush();
    const path = cur.session.path;
    const current = this.editor.getText();
    const revisions = await this.ipc.listRevisions(path);
    for (const rev of revisions.slice(0, RESTORE_SEARCH_LIMIT)) {
      if (this.current !== cur) return false;
      if (rev.hash === cur.session.baseHash) continue; // the broken file itself
      const lines = await this.ipc.revisionDiff(path, rev.id, current);
      // revision → current text: its own lines are the equal and deleted ones
      const text = lines
        .filter((l) => l.tag !== "insert")
        .map((l) => l.text)
        .join("\n");
      const rendered = this.renderInPage(path, text, false) ?? (await this.ipc.renderPreview(path, text));
      if (rendered.error) continue;
      await this.restore(rev.id);
      return true;
    }
    return false;
  }

  /** Saves the open draft (or keeps mine as a copy in a conflict) and closes it. */
  async closeCurrent(): Promise<void> {
    const cur = this.current;
    if (!cur) return;
    this.rememberPlace();
    await cur.session.close();
    this.current = null;
    void this.presence.release();
    this.renderer.cancel();
    this.conflict.hide();
    this.draftBanner.hide();
    this.status.setSaveState(null);
    this.status.setStats(null);
    this.preview.clear();
    this.remoteBar.hide();
    this.metadata.show(null);
    this.drafts.setActive(null);
    this.showEmpty(true);
  }

  /** Before the window closes: everything typed is on disk (or the close is held once). */
  async beforeClose(): Promise<boolean> {
    try {
      this.rememberPlace();
      await this.current?.session.close();
      await this.presence.release();
      return true;
    } catch (e) {
      if (this.closeFailed) return true;
      this.closeFailed = true;
      this.errorBanner.show(`Could not save before closing: ${describeError(e)}. Fix it and save (${formatShortcut("Mod+S")}), or close again to quit anyway.`);
      return false;
    }
  }

  /** Starts loading the page's renderer the first time a draft is shown (not before: the
   * drafts list comes first, and a folder browsed without opening a draft never pays it). */
  private loadPageRendererOnce(): void {
    if (this.pageRendererAsked) return;
    this.pageRendererAsked = true;
    void this.loadRenderer().then((r) => {
      this.pageRenderer = r;
    });
  }

  /** The preview rendered in the page, or `null` to ask Rust. A module that fails (a Rust
   * panic is a WebAssembly trap) is dropped for good: its state can no longer be trusted. */
  private renderInPage(path: string, text: string, remoteImages: boolean): Preview | null {
    if (!this.pageRenderer) return null;
    try {
      return this.pageRenderer.render(path, text, remoteImages);
    } catch (e) {
      console.warn("page renderer failed, Rust renders from now on:", e);
      this.pageRenderer = null;
      return null;
    }
  }

  // ---- editing

  private onTextChange(user: boolean): void {
    const cur = this.current;
    if (!cur) return;
    const text = this.editor.getText();
    // the render first: the preview is what the reporter is watching
    this.renderer.request({ path: cur.session.path, text, asked: performance.now() });
    if (user) cur.session.edited();
    this.lastEditByUser = user;
    this.bodyOffset = bodyLineOffset(text);
    this.review.textChanged(text);
    if (this.metaTimer) clearTimeout(this.metaTimer);
    this.metaTimer = setTimeout(() => this.refreshMetadata(), 150);
  }

  private refreshMetadata(): void {
    void this.readMetadata();
  }

  private async readMetadata(): Promise<void> {
    if (!this.current) {
      this.metadata.show(null);
      this.review.show(null, null);
      return;
    }
    const cur = this.current;
    const text = this.editor.getText();
    const view = await this.frontMatter.view(text);
    if (this.current !== cur || this.editor.getText() !== text) return; // a newer reading follows
    this.frontMatterView = view;
    // a front matter that does not parse is fixed in the text, not through the sidebar
    this.metadata.show(view, { disabled: this.draftBanner.visible });
    this.review.show(((view.status as Status) || "draft") as Status, text, this.current.session.path);
  }

  async saveNow(): Promise<void> {
    await this.current?.session.flush();
  }

  /** A metadata change: `update_front_matter` computes the text, the editor takes it as one undoable step. */
  async changeFrontMatter(changes: FrontMatterChanges): Promise<void> {
    const session = this.current?.session;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (!session || this.current?.session !== session) return; // another draft is open now
      const before = this.editor.getText();
      let after: string;
      try {
        after = await this.ipc.updateFrontMatter(before, changes);
      } catch (e) {
        this.errorBanner.show(describeError(e));
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

  private async importImage(file: File): Promise<string | null> {
    const cur = this.current;
    if (!cur) return null;
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const name = file.name || `pasted-${Date.now()}.${(file.type.split("/")[1] ?? "png").replace("jpeg", "jpg")}`;
      const markdown = await this.ipc.importImage(cur.session.path, name, bytes);
      // the Markdown is relative to this draft: insert it only if it is still the open one
      return this.current === cur ? markdown : null;
    } catch (e) {
      this.errorBanner.show(`Image not added: ${describeError(e)}`);
      return null;
    }
  }

  private imagesInText(): string[] {
    const text = this.loadedEditor?.getText() ?? "";
    const found = new Set<string>();
    for (const m of text.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)) found.add(m[1]);
    return [...found];
  }

  // ---- review and publishing

  private openExternal(url: string): void {
    void this.ipc.openExternal(url).catch((e) => this.errorBanner.show(describeError(e)));
  }

  private async flushOrThrow(): Promise<void> {
    const cur = this.current;
    if (!cur) throw { code: "invalid_argument", message: "Open a draft first" };
    await cur.session.flush();
    if (cur.session.inConflict) throw { code: "conflict", message: `‘${cur.summary.title}’ is in conflict: settle it first (Keep mine, Take theirs or Compare).` };
  }

  /** Moves the draft in the workflow; the file Rust wrote becomes the editor's text and base. */
  async reviewTransition(to: Status, note: string | null): Promise<void> {
    const cur = this.current;
    if (!cur) return;
    await this.flushOrThrow();
    const fresh = await this.ipc.reviewTransition(cur.session.path, to, note);
    if (this.current !== cur) return;
    this.editor.setText(fresh.text, true);
    cur.session.adopt(fresh.text, fresh.hash);
    cur.summary = fresh.summary;
    this.refreshMetadata();
    this.scheduleListRefresh();
    this.status.flash(`‘${fresh.summary.title}’ is now ${STATUS_LABELS[fresh.summary.status] ?? fresh.summary.status}`);
  }

  /** Accepts or rejects one mark (or all): the new text goes in as one undoable step. */
  async resolveMarks(id: number | null, accept: boolean): Promise<void> {
    const session = this.current?.session;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (!session || this.current?.session !== session) return;
      const before = this.editor.getText();
      const after = await this.ipc.reviewResolve(before, id, accept);
      if (this.current?.session !== session) return;
      if (this.editor.getText() !== before) {
        if (id !== null) return; // ids moved under the typing: the list is read again
        continue;
      }
      this.editor.setText(after, false);
      this.review.textChanged(this.editor.getText(), true);
      return;
    }
  }

  /** The cursor to a mark (its range is in UTF-8 bytes of the file). */
  gotoMark(m: Mark): void {
    if (!this.current) return;
    const text = this.editor.getText();
    let idx = byteToIndex(text, m.range.start);
    if (this.editor.view.state.lineBreak === "\r\n") idx -= (text.slice(0, idx).match(/\r\n/g) ?? []).length;
    const pos = Math.min(idx, this.editor.view.state.doc.length);
    this.editor.view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
    this.editor.focus();
  }

  toggleSuggest(): void {
    const on = !this.suggesting;
    this.suggesting = on;
    if (this.loadedEditor) this.loadedEditor.suggesting = on;
    this.suggestButton.setAttribute("aria-pressed", String(on));
    this.suggestButton.classList.toggle("on", on);
    this.editorHost.classList.toggle("suggesting", on);
    this.status.flash(on ? "Suggest mode: your changes are tracked" : "Editing directly");
  }

  async openPublish(): Promise<void> {
    const cur = this.current;
    if (!cur) return this.status.flash("Open a draft first");
    this.publishPanel = new PublishPanel(this.ipc, {
      path: () => cur.session.path,
      title: () => cur.summary.title,
      text: () => (this.current === cur ? this.editor.getText() : cur.session.savedText),
      publishAt: () => this.frontMatterView.publish_at,
      flush: () => this.flushOrThrow(),
      setPublishAt: (at) => this.changeFrontMatter({ publish_at: at }),
      published: async () => {
        // the Rust side recorded the post (`portal:`) in the file: take it in
        if (this.current === cur) {
          await cur.session.changedOnDisk().catch(() => undefined);
          this.refreshMetadata();
        }
        this.scheduleListRefresh();
        void this.refreshOutbox();
      },
      openExternal: (u) => this.openExternal(u),
      fixByline: () => this.metadata.element.querySelector<HTMLElement>('[data-testid="meta-author"]')?.focus(),
      openPortalSettings: () => this.openSettings("portals"),
    });
    await this.publishPanel.ready;
  }

  /** Reads `outbox_list` again for the drafts list's queued markers (latest answer wins). */
  async refreshOutbox(): Promise<void> {
    const seq = ++this.outboxSeq;
    try {
      const jobs = (await this.ipc.outboxList()) ?? [];
      if (seq === this.outboxSeq) this.drafts.setOutbox(jobs);
    } catch {
      // no outbox (no portal configured): no markers
    }
  }

  /** The review queue (editors, reporters read-only) or the desk's publish queue. */
  async openQueue(): Promise<void> {
    const { loaded } = openQueue(this.ipc, this.settings.role, {
      open: (d) => void this.openDraft(d),
      publish: async (d) => {
        await this.openDraft(d);
        if (this.current?.session.path === d.path) await this.openPublish();
      },
    });
    await loaded;
  }

  // ---- scroll sync

  private onEditorScroll(): void {
    if (this.syncingScroll === "preview" || !this.current || this.layout.isCollapsed("preview")) return;
    this.syncingScroll = "editor";
    this.preview.scrollToBodyLine(this.editor.topLine() - this.bodyOffset);
    this.releaseScrollSync();
  }

  private onPreviewScroll(line: number): void {
    if (this.syncingScroll === "editor" || !this.current) return;
    this.syncingScroll = "preview";
    this.editor.scrollToLine(line + this.bodyOffset);
    this.releaseScrollSync();
  }

  private releaseScrollSync(): void {
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.syncTimer = setTimeout(() => (this.syncingScroll = null), 120);
  }

  // ---- changes on disk and conflicts

  async onDraftsChanged(payload: DraftsChanged): Promise<void> {
    this.scheduleListRefresh();
    for (const c of payload.changes) {
      if (c.summary && c.previous_status && c.previous_status !== c.summary.status) {
        this.status.flash(`‘${c.summary.title}’: ${STATUS_LABELS[c.previous_status]} → ${STATUS_LABELS[c.summary.status]}`);
      }
      if (c.summary && this.workspace) {
        this.workspace.tags = [...new Set([...this.workspace.tags, ...c.summary.tags])];
        this.workspace.categories = [...new Set([...this.workspace.categories, ...c.summary.categories])];
      }
    }
    const cur = this.current;
    if (!cur) return;
    for (const c of payload.changes) {
      if (c.kind === "renamed" && c.from === cur.session.path) {
        this.places.move(c.from, c.path);
        this.remoteChoices.move(c.from, c.path);
        cur.session.path = c.path;
        if (c.summary) cur.summary = c.summary;
        this.drafts.setActive(c.path);
        this.status.flash(`Moved to ${c.path}`);
      } else if (c.path === cur.session.path) {
        if (c.summary) cur.summary = c.summary;
        if (c.kind === "changed" || c.kind === "created") {
          try {
            const r = await cur.session.changedOnDisk();
            if (r === "reloaded") {
              this.refreshMetadata();
              this.status.flash(`‘${cur.summary.title}’ was updated from disk`);
            }
          } catch (e) {
            this.errorBanner.show(describeError(e));
          }
        } else if (c.kind === "deleted") {
          if (cur.session.saving) await cur.session.flush().catch(() => undefined);
          cur.session.deletedOnDisk();
        }
      }
    }
  }

  private scheduleListRefresh(): void {
    if (this.listTimer) clearTimeout(this.listTimer);
    this.listTimer = setTimeout(() => {
      this.listTimer = null;
      void this.drafts.refresh();
    }, 200);
  }

  private showConflict(reason: ConflictReason): void {
    const cur = this.current;
    if (!cur) return;
    const title = cur.summary.title || cur.session.path;
    if (reason.kind === "deleted") {
      const dirty = cur.session.isDirty();
      this.conflict.show(title, dirty ? "Your unsaved edits are still here: Keep mine saves them, Close drops them." : null, {
        keepMine: () => this.resolve("mine"),
        takeTheirs: () => undefined,
        compare: () => undefined,
        close: async () => {
          cur.session.dispose(); // closed without writing: the user chose to let it go
          await this.closeCurrent();
        },
      });
      return;
    }
    const detail = reason.kind === "save" && reason.keptAs ? `Your version was kept as ${reason.keptAs}.` : null;
    this.conflict.show(title, detail, {
      keepMine: () => this.resolve("mine"),
      takeTheirs: () => this.resolve("theirs"),
      compare: () => this.compare(),
    });
  }

  private async resolve(keep: "mine" | "theirs"): Promise<void> {
    const cur = this.current;
    if (!cur) return;
    try {
      await cur.session.resolve(keep);
      if (!cur.session.inConflict) this.conflict.hide();
      this.refreshMetadata();
      this.scheduleListRefresh();
    } catch (e) {
      this.errorBanner.show(describeError(e));
    }
  }

  private async compare(): Promise<void> {
    const cur = this.current;
    if (!cur) return;
    let theirs: string;
    try {
      theirs = await cur.session.theirText();
    } catch (e) {
      this.errorBanner.show(describeError(e));
      return;
    }
    openCompare(cur.summary.title, theirs, this.editor.getText(), (keep) => void this.resolve(keep));
  }

  // ---- dialogs

  newDraft(): void {
    askNewDraft(
      async (title) => {
        const opened = await this.ipc.newDraft(title).catch((e) => {
          throw new Error(describeError(e));
        });
        this.opening = this.opening.then(() => this.doOpen(opened.path, opened));
        await this.opening;
        await this.drafts.refresh();
      },
      // the dialog gives the focus back where it was: the typing goes to the new draft's body
      () => this.current && this.loadedEditor?.focus(),
    );
  }

  /**
   * Ctrl+P: the newest drafts, or what the index finds for the typed words (titles weigh
   * most), at most QUICK_OPEN_LIMIT of them: never the whole folder.
   */
  async quickOpen(): Promise<void> {
    const item = (d: DraftSummary): PickerItem => ({ label: d.title || d.path, detail: d.path, run: () => void this.openDraft(d) });
    openPicker({
      title: "Open a draft",
      placeholder: "Type a title",
      testid: "quick-open",
      limit: QUICK_OPEN_LIMIT,
      items: async (query) => {
        if (!query.trim()) {
          try {
            return (await this.ipc.listDrafts({}, 0, QUICK_OPEN_LIMIT)).drafts.map(item);
          } catch {
            return this.drafts.loaded().slice(0, QUICK_OPEN_LIMIT).map(item);
          }
        }
        const found = ((await this.ipc.searchDrafts(query, {}).catch(() => null)) ?? []).map((hit) => item(hit.draft));
        // drafts whose title has the words first, then the other hits (matched in the text)
        const byTitle = filterItems(found, query);
        const loaded = filterItems(this.drafts.loaded().map(item), query).filter((i) => !found.some((f) => f.detail === i.detail));
        return [...byTitle, ...loaded, ...found.filter((i) => !byTitle.includes(i))];
      },
    });
  }

  openPalette(): void {
    const items: PickerItem[] = this.actions
      .filter((a) => a.id !== "palette")
      .map((a) => ({ label: a.title, shortcut: a.shortcut ? formatShortcut(a.shortcut) : undefined, run: a.run }));
    openPicker({ title: "Commands", placeholder: "Type a command", testid: "command-palette", items });
  }

  private async openHistory(): Promise<void> {
    const cur = this.current;
    if (!cur) return this.status.flash("Open a draft first");
    await cur.session.flush();
    await openHistory(this.ipc, {
      path: cur.session.path,
      title: cur.summary.title,
      text: () => this.editor.getText(),
      restore: (id) => this.restore(id),
    });
  }

  private async restore(id: number): Promise<void> {
    const cur = this.current;
    if (!cur) return;
    await cur.session.flush();
    const outcome = await this.ipc.restoreRevision(cur.session.path, id, cur.session.baseHash);
    if (outcome.kind === "conflict") {
      cur.session.markConflict({ kind: "save", keptAs: outcome.kept_as });
      return;
    }
    const fresh = await this.ipc.readDraft(outcome.path);
    if (this.current !== cur) return;
    this.editor.setText(fresh.text, true);
    cur.session.adopt(fresh.text, fresh.hash);
    this.refreshMetadata();
    this.scheduleListRefresh();
    this.status.flash("Revision restored");
  }

  private async exportHtml(): Promise<void> {
    const cur = this.current;
    if (!cur) return this.status.flash("Open a draft first");
    // outside the shared drafts folder: an export left there is read (and synced) by everyone
    const suggested = await this.ipc.exportSuggestion(cur.session.path).catch(() => "");
    if (this.current !== cur) return;
    // the export keeps remote images only when this draft's preview loads them
    const remote = this.remoteChoices.allowed(cur.session.path);
    askExportPath(suggested, (dest, overwrite) => this.ipc.exportHtml(cur.session.path, this.editor.getText(), dest, overwrite, remote));
  }

  /** The user's choice from the preview's bar: remembered for the open draft, and the
   * preview rendered again at once. */
  private setRemoteImages(load: boolean): void {
    const cur = this.current;
    if (!cur) return;
    const path = cur.session.path;
    if (load) this.remoteChoices.allow(path);
    else this.remoteChoices.revoke(path);
    this.renderer.now({ path, text: this.editor.getText(), asked: performance.now() });
  }

  private async copyRich(): Promise<void> {
    const { html, text, node } = this.preview.article();
    if (!node) return this.status.flash("Nothing to copy");
    const ok = await copyRichText(html, text, node);
    this.status.flash(ok ? "Copied as rich text" : "Could not copy");
  }

  private openSettings(section?: SettingsSection): void {
    openSettings(this.ipc, this.settings, {
      saved: (s) => {
        this.settings = s;
        if (this.loadedEditor) this.loadedEditor.initials = initialsOf(s.user_name);
        applyTheme(s.theme);
        this.preview.setTheme(s.theme);
        this.drafts.setVocabulary([...this.categories()], this.workspace?.tags ?? []);
        this.refreshMetadata();
        void this.review.refresh(); // the role may have changed: the moves offered follow it
      },
      openFolder: (path) => this.openWorkspace(path),
    }, section);
  }

  // ---- shortcuts

  private onKey(e: KeyboardEvent): void {
    if (e.defaultPrevented) return;
    const action = actionForKey(this.actions, e, !!document.querySelector("dialog[open]"));
    if (!action) return;
    e.preventDefault();
    e.stopPropagation();
    action.run();
  }
}
