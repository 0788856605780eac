/**
 * The open draft's preview: renders in the page with the core's WebAssembly renderer once it
 * is loaded (Rust over IPC until then, and for good once the module fails), the latest text
 * only, the remote images bar and its per-draft choice, and the scroll sync between the
 * editor and the preview.
 */
import { h } from "./html";
import { describeError, type DraftError, type Ipc, type Preview } from "./ipc";
import { PreviewPane } from "./preview";
import { LatestOnly } from "./renderScheduler";
import type { PageRenderer } from "./pageRenderer";
import { RemoteImageChoices, RemoteImagesBar } from "./remoteImages";
import { logTiming, perfLog } from "./perfLog";
import type { StatusBar } from "./statusBar";
import type { DocumentPreview } from "./documentController";

/** What the preview needs of the open draft and the window. */
export interface PreviewParts {
  ipc: Ipc;
  status: StatusBar;
  loadRenderer: () => Promise<PageRenderer | null>;
  /** The open draft's path, or `null`. */
  openPath: () => string | null;
  /** The open draft's text. */
  text: () => string;
  /** File lines before the body of the open draft. */
  bodyOffset: () => number;
  /** The editor's top line, and scrolling it to a line (only asked while a draft is open). */
  editorTopLine: () => number;
  scrollEditorTo: (line: number) => void;
  /** Whether the preview pane is hidden (no scroll sync then). */
  hidden: () => boolean;
  /** Each render's word on the front matter (the document controller's banner). */
  frontMatter: (error: DraftError | null, text: string) => void;
  openExternal: (url: string) => void;
}

type Job = { path: string; text: string; asked: number };
type Rendered = { preview: Preview; asked: number; sent: number; answered: number; where: "page" | "rust" };

export class PreviewController implements DocumentPreview {
  readonly pane: PreviewPane;
  /** Drafts whose remote images the user chose to load (held back everywhere else). */
  readonly remoteChoices = new RemoteImageChoices();
  readonly remoteBar = new RemoteImagesBar({
    allow: () => this.setRemoteImages(true),
    revoke: () => this.setRemoteImages(false),
  });
  /** The preview pane's section: the remote images bar above the frame. */
  readonly element: HTMLElement;
  private readonly renderer: LatestOnly<Job, Rendered>;
  /** The core's renderer in the page (WebAssembly), once loaded; until then Rust renders. */
  private pageRenderer: PageRenderer | null = null;
  private pageRendererAsked = false;
  private syncingScroll: "editor" | "preview" | null = null;
  private syncTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly parts: PreviewParts) {
    this.pane = new PreviewPane({
      openExternal: (url) => parts.openExternal(url),
      onScrollLine: (line) => this.previewScrolled(line),
    });
    this.renderer = new LatestOnly(
      async ({ path, text, asked }) => {
        const sent = performance.now();
        const remote = this.remoteChoices.allowed(path);
        const local = this.renderInPage(path, text, remote);
        const preview = local ?? (await parts.ipc.renderPreview(path, text, remote));
        return { preview, asked, sent, answered: performance.now(), where: local ? "page" : "rust" };
      },
      ({ preview, where, ...t }, { path, text }) => {
        if (path !== parts.openPath()) return;
        parts.frontMatter(preview.error, text);
        this.pane.show(preview);
        this.remoteBar.show(preview.remote_image_count ?? 0, preview.remote_images ?? [], this.remoteChoices.allowed(path));
        this.pane.element.dataset.renderer = where;
        parts.status.setStats(preview.stats);
        if (perfLog) logTiming({ ...t, shown: performance.now() });
        // keep the preview in step once the new render is on screen: measuring it now
        // would force a layout of the whole article before the frame that shows the key
        requestAnimationFrame(() => setTimeout(() => this.editorScrolled(), 0));
      },
      (e) => parts.status.flash(`Preview: ${describeError(e)}`),
      40,
    );
    this.element = h("section", { class: "preview-pane", "aria-label": "Preview" }, this.remoteBar.element, this.pane.element);
  }

  opened(path: string, text: string): void {
    this.remoteBar.hide(); // the previous draft's hosts are not this one's
    this.renderer.now({ path, text, asked: performance.now() });
    this.loadPageRendererOnce();
  }

  request(path: string, text: string): void {
    this.renderer.request({ path, text, asked: performance.now() });
  }

  closed(): void {
    this.renderer.cancel();
    this.pane.clear();
    this.remoteBar.hide();
  }

  moved(from: string, to: string): void {
    this.remoteChoices.move(from, to);
  }

  /** Whether the draft at `path` loads its remote images (the export keeps them only then). */
  /** The page's renderer (the core in WebAssembly) once loaded and trusted, else `null`. */
  loadedRenderer(): PageRenderer | null {
    return this.pageRenderer;
  }

  remoteAllowed(path: string): boolean {
    return this.remoteChoices.allowed(path);
  }

  /** Starts loading the page's renderer the first time a draft is shown (not before: the
   * drafts list comes first, and a folder browsed without opening a draft never pays it). */
  private loadPageRendererOnce(): void {
    if (this.pageRendererAsked) return;
    this.pageRendererAsked = true;
    void this.parts.loadRenderer().then((r) => {
      this.pageRenderer = r;
    });
  }

  /** The preview rendered in the page, or `null` to ask Rust. A module that fails (a Rust
   * panic is a WebAssembly trap) is dropped for good: its state can no longer be trusted. */
  renderInPage(path: string, text: string, remoteImages: boolean): Preview | null {
    if (!this.pageRenderer) return null;
    try {
      return this.pageRenderer.render(path, text, remoteImages);
    } catch (e) {
      console.warn("page renderer failed, Rust renders from now on:", e);
      this.pageRenderer = null;
      return null;
    }
  }

  /** `text` rendered in the page when it can, else by Rust: a check, not shown. */
  async check(path: string, text: string): Promise<Preview> {
    return this.renderInPage(path, text, false) ?? (await this.parts.ipc.renderPreview(path, text));
  }

  /** The user's choice from the preview's bar: remembered for the open draft, and the
   * preview rendered again at once. */
  private setRemoteImages(load: boolean): void {
    const path = this.parts.openPath();
    if (path === null) return;
    if (load) this.remoteChoices.allow(path);
    else this.remoteChoices.revoke(path);
    this.renderer.now({ path, text: this.parts.text(), asked: performance.now() });
  }

  // ---- scroll sync

  editorScrolled(): void {
    if (this.syncingScroll === "preview" || this.parts.openPath() === null || this.parts.hidden()) return;
    this.syncingScroll = "editor";
    this.pane.scrollToBodyLine(this.parts.editorTopLine() - this.parts.bodyOffset());
    this.releaseScrollSync();
  }

  private previewScrolled(line: number): void {
    if (this.syncingScroll === "editor" || this.parts.openPath() === null) return;
    this.syncingScroll = "preview";
    this.parts.scrollEditorTo(line + this.parts.bodyOffset());
    this.releaseScrollSync();
  }

  private releaseScrollSync(): void {
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.syncTimer = setTimeout(() => (this.syncingScroll = null), 120);
  }

  dispose(): void {
    this.renderer.cancel();
  }
}
