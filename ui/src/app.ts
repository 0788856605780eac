/**
 * The window: the composition root. It makes the panes and the controllers, each with one
 * job (the folder and settings: `FolderController`; the open draft: `DocumentController` and
 * `ConflictController`; its preview: `PreviewController`; its earlier versions:
 * `RevisionsController`; the watcher's events: `DraftsEvents`; publishing:
 * `PublishController`; review: `ReviewController`; the draft dialogs: `DraftDialogs`; the
 * folder's sync through git: `SyncController`), and
 * wires the toolbar, the window's actions and shortcuts, and start-up to them.
 */
import { h } from "./html";
import { describeError, ipc as realIpc, onOpenRequested, type DraftsChanged, type OpenRequested, type DraftSummary, type Ipc, type Settings, type WorkspaceInfo } from "./ipc";
import { DraftsPane } from "./draftsPane";
import type { Editor } from "./editor";
import { MetadataPanel } from "./metadataPanel";
import { StatusBar } from "./statusBar";
import { ConflictBanner, MessageBanner } from "./conflictBanner";
import { FrontMatterBanner } from "./frontMatterBanner";
import { loadPageRenderer, type PageRenderer } from "./pageRenderer";
import { Layout } from "./layout";
import { buildToolbar } from "./toolbar";
import { openPicker, type PickerItem } from "./commandPalette";
import { formatShortcut } from "./shortcuts";
import { actionForKey, buildActions, type Action } from "./actions";
import type { PublishPanel } from "./publishPanel";
import { Notifications, Presence } from "./presence";
import { DocumentController, LAST_DRAFT_KEY, NO_DRAFT_HINT, type OpenDocument } from "./documentController";
import { PreviewController } from "./previewController";
import { RevisionsController } from "./revisionsController";
import { DraftsEvents } from "./draftsEvents";
import { PublishController } from "./publishController";
import { ReviewController } from "./reviewController";
import { ConflictController } from "./conflictController";
import { DraftDialogs } from "./draftDialogs";
import { FolderController, folderProblem } from "./folderController";
import { SyncController } from "./syncController";

export type { Action };
export { NO_DRAFT_HINT, folderProblem };

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
  /** The drafts folder and the user's settings. */
  readonly folder: FolderController;
  /** The folder's sync through git (the status bar's Sync button). */
  readonly sync: SyncController;
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
      who: () => ({ role: this.settings.role, userName: this.settings.user_name }),
    });
    this.presence = new Presence(ipc);
    this.sync = new SyncController({ ipc, status: this.status });
    this.notifications = new Notifications((path) => void this.openPath(path));
    this.folder = new FolderController({
      ipc,
      doc: () => this.document,
      drafts: this.drafts,
      presence: this.presence,
      status: this.status,
      setPreviewTheme: (theme) => this.previewing.pane.setTheme(theme),
      // the role may have changed: the moves offered and "Needs my action" follow it at once
      settingsChanged: () => {
        void this.reviewing.panel.refresh();
        this.drafts.roleChanged();
        void this.sync.refresh(); // Settings → Sync: on or off, the interval
      },
      folderShown: () => void this.sync.refresh(),
    });
    this.metadata = new MetadataPanel({
      change: (changes) => this.document.changeFrontMatter(changes),
      move: (to) => this.reviewing.panel.moveTo(to),
      categories: () => this.folder.categories(),
      tags: () => [...new Set([...(this.workspace?.tags ?? []), ...this.drafts.loaded().flatMap((d) => d.tags)])],
      authors: () => [...new Set([...(this.workspace?.authors ?? []), ...(this.settings.user_name ? [this.settings.user_name] : [])])],
      // asked once while the panel is made, before the document controller exists
      images: () => (this.document ? this.document.imagesInText() : []),
      chooseImage: () => this.dialogs.chooseFeaturedImage(),
    });
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
    this.conflicts = new ConflictController({ ipc, doc, banner: this.conflict, errorBanner: this.errorBanner, listChanged });
    this.dialogs = new DraftDialogs({ ipc, doc, drafts: this.drafts, preview: this.previewing, status: this.status });
    this.events = new DraftsEvents({ doc, drafts: this.drafts, status: this.status, errorBanner: this.errorBanner, workspace: () => this.folder.workspace });
    this.publishing = new PublishController({
      ipc,
      doc,
      drafts: this.drafts,
      metadata: this.metadata,
      status: this.status,
      listChanged,
      openExternal: (url) => this.openExternal(url),
      openSettings: (section) => this.folder.openSettings(section),
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
      openSettings: () => this.folder.openSettings(),
      openFolder: () => void this.folder.chooseAndOpen(),
      insertImage: () => void this.dialogs.insertImage(),
      togglePane: (pane) => this.layout.toggle(pane),
      focusEditor: () => this.current && doc.loadedEditor?.focus(),
      openPublish: () => void this.publishing.open(),
      openOutbox: () => this.publishing.openOutbox(),
      openQueue: () => void this.reviewing.openQueue(),
      toggleSuggest: () => this.reviewing.toggleSuggest(),
      openNotifications: () => this.notifications.toggle(),
      syncNow: () => void this.sync.syncNow(),
    });
    const toolbar = buildToolbar({
      layout: this.layout,
      actions: this.actions,
      suggest: this.reviewing.suggestButton,
      bell: h("span", { class: "bell-wrap" }, this.notifications.bell, this.notifications.list),
      openPublish: () => void this.publishing.open(),
      openQueue: () => void this.reviewing.openQueue(),
    });
    // the first stop of Tab: past the toolbar, to the draft's text (or the drafts list)
    const skip = h("a", { href: "#workspace", class: "skip-link", "data-testid": "skip-link", text: "Skip to the text" });
    skip.addEventListener("click", (e) => {
      e.preventDefault();
      if (this.current && doc.loadedEditor) {
        if (this.layout.isCollapsed("editor")) this.layout.toggle("editor");
        doc.loadedEditor.focus();
      } else this.drafts.search.focus();
    });
    this.root = h("div", { class: "app" }, skip, toolbar.element, this.errorBanner.element, this.layout.element, this.status.element, this.notifications.toasts);
    mount.replaceChildren(this.root);
    toolbar.overflow.observe();
    doc.showEmpty(true);
    document.addEventListener("keydown", this.keyListener, true);
    window.addEventListener("blur", this.blurListener);
    document.addEventListener("visibilitychange", this.visibilityListener);
  }

  private unlistenOpen: (() => void) | null = null;
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
    this.sync.dispose();
    this.unlistenOpen?.();
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
    const listening = Promise.all([
      quietly(() => this.events.listen()),
      quietly(() => this.reviewing.listen()),
      quietly(() => this.publishing.listen()),
      quietly(() => this.sync.listen()),
      quietly(async () => {
        this.unlistenOpen = await onOpenRequested((r) => void this.openRequested(r));
      }),
    ]);
    await this.folder.load();
    await listening;
    void this.publishing.refreshOutbox();
    // the draft named on the command line (a file opened from the file manager) comes first;
    // asked only now, with the subscriptions in place: it is also the app's signal to compare
    // the folder with its index, whose changes arrive as `drafts-changed` (commands.rs)
    const launched = await this.ipc.launchDraft().catch(() => null);
    if (launched && !this.current) {
      await this.openPath(launched);
      return;
    }
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
   * Another launch of the app (a draft opened from the file manager) asked for a folder and
   * maybe a draft in it: the folder is opened unless it is the open one, then the draft,
   * through the same paths as the user's own choices (and their checks).
   */
  async openRequested(request: OpenRequested): Promise<void> {
    try {
      if (this.workspace?.root !== request.folder) await this.openWorkspace(request.folder);
      if (request.draft) await this.openPath(request.draft);
    } catch (e) {
      this.errorBanner.show(describeError(e));
    }
  }

  /** The user's settings (the folder controller's). */
  get settings(): Settings {
    return this.folder.settings;
  }

  /** The open folder, or `null` before it is open. */
  get workspace(): WorkspaceInfo | null {
    return this.folder.workspace;
  }

  /** Opens another folder (see FolderController.open). */
  openWorkspace(path?: string): Promise<void> {
    return this.folder.open(path);
  }

  categories(): string[] {
    return this.folder.categories();
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
    const items: PickerItem[] = this.actions.filter((a) => a.id !== "palette").map((a) => ({ label: a.title, shortcut: a.shortcut ? formatShortcut(a.shortcut) : undefined, run: a.run }));
    openPicker({ title: "Commands", placeholder: "Type a command", testid: "command-palette", items });
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
