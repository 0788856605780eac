/**
 * The window: the composition root. It makes the panes and the controllers, each with one
 * job (the open draft: `DocumentController`; its preview: `PreviewController`; its earlier
 * versions: `RevisionsController`; the watcher's events: `DraftsEvents`; publishing:
 * `PublishController`; review: `ReviewController`), and wires the toolbar, the window's
 * actions, the folder, the settings and the dialogs that need no draft to them.
 */
import { h } from "./html";
import { asCommandError, describeError, ipc as realIpc, takeBoot, type CommandError, type DraftsChanged, type DraftSummary, type Ipc, type Settings, type WorkspaceInfo } from "./ipc";
import { DraftsPane } from "./draftsPane";
import type { Editor } from "./editor";
import { MetadataPanel } from "./metadataPanel";
import { StatusBar } from "./statusBar";
import { ConflictBanner, MessageBanner } from "./conflictBanner";
import { FrontMatterBanner } from "./frontMatterBanner";
import { loadPageRenderer, type PageRenderer } from "./pageRenderer";
import { perfMark } from "./perfLog";
import { Layout } from "./layout";
import { buildToolbar } from "./toolbar";
import { openPicker, type PickerItem } from "./commandPalette";
import { DEFAULT_CATEGORIES, applyTheme, openSettings, type SettingsSection } from "./settings";
import { formatShortcut } from "./shortcuts";
import { actionForKey, buildActions, type Action } from "./actions";
import type { PublishPanel } from "./publishPanel";
import { Notifications, Presence } from "./presence";
import { initialsOf } from "./initials";
import { DocumentController, LAST_DRAFT_KEY, NO_DRAFT_HINT, type OpenDocument } from "./documentController";
import { PreviewController } from "./previewController";
import { RevisionsController } from "./revisionsController";
import { DraftsEvents } from "./draftsEvents";
import { PublishController } from "./publishController";
import { ReviewController } from "./reviewController";
import { ConflictController } from "./conflictController";
import { DraftDialogs } from "./draftDialogs";

export type { Action };
export { NO_DRAFT_HINT };

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
const DEFAULT_SETTINGS: Settings = {
  user_name: "",
  role: "reporter",
  categories: DEFAULT_CATEGORIES,
  recent_folders: [],
  last_folder: null,
  theme: "system",
};

export class App {
  readonly root: HTMLElement;
  readonly drafts: DraftsPane;
  readonly metadata: MetadataPanel;
  readonly status = new StatusBar();
  readonly conflict = new ConflictBanner();
  readonly errorBanner = new MessageBanner("error-banner", "error");
  /** The open draft's front matter does not parse: said loudly, with a way back. */
  readonly draftBanner = new FrontMatterBanner({
    restoreLastGood: () => this.revisions.restoreLastGood(),
    openHistory: () => void this.revisions.openHistory(),
  });
  readonly layout: Layout;
  readonly presence: Presence;
  readonly notifications: Notifications;
  /** The open draft, its editor and its way to disk. */
  readonly document: DocumentController;
  readonly previewing: PreviewController;
  readonly revisions: RevisionsController;
  readonly events: DraftsEvents;
  readonly publishing: PublishController;
  readonly reviewing: ReviewController;
  readonly conflicts: ConflictController;
  readonly dialogs: DraftDialogs;
  settings: Settings = DEFAULT_SETTINGS;
  workspace: WorkspaceInfo | null = null;
  readonly actions: Action[];

  constructor(
    mount: HTMLElement,
    private readonly ipc: Ipc = realIpc,
    loadRenderer: () => Promise<PageRenderer | null> = loadPageRenderer,
    loadEditor: () => Promise<typeof import("./editor")> = () => import("./editor"),
  ) {
    const listChanged = () => this.events.scheduleListRefresh();
    this.drafts = new DraftsPane(ipc, {
      open: (d) => {
        this.layout.closeDrawer(); // the drafts as a drawer (a narrow window) make way for the text
        void this.openDraft(d);
      },
      newDraft: () => this.dialogs.newDraft(),
      error: (m) => this.errorBanner.show(m),
      openLink: (url) => this.openExternal(url),
    });
    this.metadata = new MetadataPanel({
      change: (changes) => this.document.changeFrontMatter(changes),
      move: (to) => this.reviewing.panel.moveTo(to),
      categories: () => this.categories(),
      tags: () => [...new Set([...(this.workspace?.tags ?? []), ...this.drafts.loaded().flatMap((d) => d.tags)])],
      authors: () => [...new Set([...(this.workspace?.authors ?? []), ...(this.settings.user_name ? [this.settings.user_name] : [])])],
      // asked once while the panel is made, before the document controller exists
      images: () => (this.document ? this.document.imagesInText() : []),
    });
    this.presence = new Presence(ipc);
    this.notifications = new Notifications((path) => void this.openPath(path));
    this.document = new DocumentController({
      ipc,
      status: this.status,
      errorBanner: this.errorBanner,
      conflict: this.conflict,
      draftBanner: this.draftBanner,
      metadata: this.metadata,
      drafts: this.drafts,
      presence: this.presence,
      layout: () => this.layout,
      preview: () => this.previewing,
      review: () => this.reviewing,
      conflicts: () => this.conflicts,
      listChanged,
      userName: () => this.settings.user_name,
      suggesting: () => this.reviewing.suggesting,
      loadEditor,
    });
    const doc = this.document;
    this.previewing = new PreviewController({
      ipc,
      status: this.status,
      loadRenderer,
      openPath: () => doc.current?.session.path ?? null,
      text: () => doc.editor.getText(),
      bodyOffset: () => doc.bodyOffset,
      editorTopLine: () => doc.editor.topLine(),
      scrollEditorTo: (line) => doc.editor.scrollToLine(line),
      hidden: () => this.layout.isCollapsed("preview"),
      frontMatter: (error, text) => doc.frontMatterHealth(error, text),
      openExternal: (url) => this.openExternal(url),
    });
    this.revisions = new RevisionsController({ ipc, doc, status: this.status, check: (path, text) => this.previewing.check(path, text), listChanged });
    this.conflicts = new ConflictController({ doc, banner: this.conflict, errorBanner: this.errorBanner, listChanged });
    this.dialogs = new DraftDialogs({ ipc, doc, drafts: this.drafts, preview: this.previewing, status: this.status });
    this.events = new DraftsEvents({ doc, drafts: this.drafts, status: this.status, errorBanner: this.errorBanner, workspace: () => this.workspace });
    this.publishing = new PublishController({
      ipc,
      doc,
      drafts: this.drafts,
      metadata: this.metadata,
      status: this.status,
      listChanged,
      openExternal: (url) => this.openExternal(url),
      openSettings: (section) => this.openSettings(section),
    });
    this.reviewing = new ReviewController({
      ipc,
      doc,
      metadata: this.metadata,
      status: this.status,
      errorBanner: this.errorBanner,
      notifications: this.notifications,
      role: () => this.settings.role,
      listChanged,
      openPublish: () => this.publishing.open(),
    });
    this.metadata.element.insertBefore(this.reviewing.panel.element, this.metadata.element.children[2] ?? null);
    const editorPane = h(
      "section",
      { class: "editor-pane", "aria-label": "Editor" },
      this.presence.element,
      this.conflict.element,
      this.draftBanner.element,
      this.reviewing.panel.requestBanner,
      doc.emptyState,
      doc.editorHost,
    );
    this.layout = new Layout({ drafts: this.drafts.element, editor: editorPane, preview: this.previewing.element, metadata: this.metadata.element });
    this.actions = buildActions({
      newDraft: () => this.dialogs.newDraft(),
      quickOpen: () => void this.dialogs.quickOpen(),
      openPalette: () => this.openPalette(),
      saveNow: () => void this.saveNow(),
      focusSearch: () => this.drafts.search.focus(),
      inEditor: (command) => this.current && this.editor.runCommand(command),
      openHistory: () => void this.revisions.openHistory(),
      exportHtml: () => void this.dialogs.exportHtml(),
      copyRich: () => void this.dialogs.copyRich(),
      openSettings: () => this.openSettings(),
      togglePane: (pane) => this.layout.toggle(pane),
      focusEditor: () => this.current && doc.loadedEditor?.focus(),
      openPublish: () => void this.publishing.open(),
      openOutbox: () => this.publishing.openOutbox(),
      openQueue: () => void this.reviewing.openQueue(),
      toggleSuggest: () => this.reviewing.toggleSuggest(),
      openNotifications: () => this.notifications.toggle(),
    });
    const toolbar = buildToolbar({
      layout: this.layout,
      actions: this.actions,
      suggest: this.reviewing.suggestButton,
      bell: h("span", { class: "bell-wrap" }, this.notifications.bell, this.notifications.list),
      openPublish: () => void this.publishing.open(),
      openQueue: () => void this.reviewing.openQueue(),
    });
    this.root = h("div", { class: "app" }, toolbar.element, this.errorBanner.element, this.layout.element, this.status.element, this.notifications.toasts);
    mount.replaceChildren(this.root);
    toolbar.overflow.observe();
    doc.showEmpty(true);
    document.addEventListener("keydown", this.keyListener, true);
    window.addEventListener("blur", this.blurListener);
    document.addEventListener("visibilitychange", this.visibilityListener);
  }

  private readonly keyListener = (e: KeyboardEvent) => this.onKey(e);
  private readonly blurListener = () => void this.current?.session.flush();
  private readonly visibilityListener = () => {
    if (document.visibilityState === "hidden") void this.current?.session.flush();
  };

  /** The open draft (its summary, session and whether it is shown as plain text), or `null`. */
  get current(): OpenDocument | null {
    return this.document.current;
  }

  /** The open draft's editor: loaded before any draft is opened, so there is one whenever `current` is set. */
  get editor(): Editor {
    return this.document.editor;
  }

  /** The publish panel last opened. */
  get publishPanel(): PublishPanel | null {
    return this.publishing.panel;
  }

  /** Removes the window-wide listeners (tests; a second window). */
  dispose(): void {
    document.removeEventListener("keydown", this.keyListener, true);
    window.removeEventListener("blur", this.blurListener);
    document.removeEventListener("visibilitychange", this.visibilityListener);
    this.events.dispose();
    this.reviewing.dispose();
    this.publishing.dispose();
    this.drafts.dispose();
    void this.presence.release();
    this.previewing.dispose();
    this.document.dispose();
    this.root.remove();
  }

  /** Settings, workspace, live updates. */
  async start(): Promise<void> {
    // Everything the first screen needs is asked for at once, not one round trip after
    // another: the folder (opened by the app while this page loaded), the settings and the
    // event subscriptions.
    const quietly = (listen: () => Promise<void>) =>
      Promise.resolve()
        .then(listen)
        .catch(() => {
          // outside Tauri (tests, a plain browser): no live updates
        });
    const listening = Promise.all([quietly(() => this.events.listen()), quietly(() => this.reviewing.listen()), quietly(() => this.publishing.listen())]);
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
    this.previewing.pane.setTheme(this.settings.theme);
    const info = await opening.catch((e: unknown) => {
      throw folderProblem(undefined, e);
    });
    perfMark("workspace-received");
    await this.showWorkspace(info);
    perfMark("workspace-shown");
    await listening;
    void this.publishing.refreshOutbox();
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

  // ---- the open draft (see DocumentController) and its controllers

  openDraft(summary: DraftSummary): Promise<void> {
    return this.openPath(summary.path);
  }

  /** Opens a draft by its path (`read_draft`); `quiet`: a draft that is gone is not an error. */
  openPath(path: string, quiet = false): Promise<void> {
    return this.document.openPath(path, quiet);
  }

  closeCurrent(): Promise<void> {
    return this.document.closeCurrent();
  }

  /** Before the window closes: everything typed is on disk (or the close is held once). */
  beforeClose(): Promise<boolean> {
    return this.document.beforeClose();
  }

  saveNow(): Promise<void> {
    return this.document.saveNow();
  }

  onDraftsChanged(payload: DraftsChanged): Promise<void> {
    return this.events.changed(payload);
  }

  private openExternal(url: string): void {
    void this.ipc.openExternal(url).catch((e) => this.errorBanner.show(describeError(e)));
  }

  // ---- dialogs (the draft ones: DraftDialogs)

  openPalette(): void {
    const items: PickerItem[] = this.actions
      .filter((a) => a.id !== "palette")
      .map((a) => ({ label: a.title, shortcut: a.shortcut ? formatShortcut(a.shortcut) : undefined, run: a.run }));
    openPicker({ title: "Commands", placeholder: "Type a command", testid: "command-palette", items });
  }

  private openSettings(section?: SettingsSection): void {
    openSettings(
      this.ipc,
      this.settings,
      {
        saved: (s) => {
          this.settings = s;
          if (this.document.loadedEditor) this.document.loadedEditor.initials = initialsOf(s.user_name);
          applyTheme(s.theme);
          this.previewing.pane.setTheme(s.theme);
          this.drafts.setVocabulary([...this.categories()], this.workspace?.tags ?? []);
          this.document.refreshMetadata();
          void this.reviewing.panel.refresh(); // the role may have changed: the moves offered follow it
        },
        openFolder: (path) => this.openWorkspace(path),
      },
      section,
    );
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
