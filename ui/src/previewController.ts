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
import type { PageRenderer, PageUpdate, TextEdit } from "./pageRenderer";
import { RemoteImageChoices, RemoteImagesBar } from "./remoteImages";
import { type PerfEntry, perfCurrent, perfStep, perfTime } from "./perfLog";
import type { StatusBar } from "./statusBar";
import type { DocumentPreview } from "./documentController";
import { type DraftText, readText } from "./textChange";

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
  frontMatter: (error: DraftError | null, text: string | DraftText) => void;
  openExternal: (url: string) => void;
}

/** A render asked for; `perf`: the benchmark's entry of the keystroke that asked (perfLog.ts). */
type Job = { path: string; text: string | DraftText; perf?: PerfEntry | null };
type Rendered = { preview: Preview; update: PageUpdate | null; where: "page" | "rust" };

/**
 * The edits since the text last sent to the page's renderer, as one: the text before and
 * after share `head` code units at the start and `tail` at the end (the smallest of the
 * edits', so two edits compose into one); `base` the length of the text last sent.
 */
type Unsent = { head: number; tail: number; base: number; edits: number; last: TextEdit | null } | null;

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
  /** What changed since the page's renderer last got the text (`null`: send all of it). */
  private unsent: Unsent = null;
  private syncingScroll: "editor" | "preview" | null = null;
  private syncTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly parts: PreviewParts) {
    this.pane = new PreviewPane({
      openExternal: (url) => parts.openExternal(url),
      onScrollLine: (line) => this.previewScrolled(line),
    });
    this.renderer = new LatestOnly(
      async ({ path, text, perf }) => {
        perfStep("sent", perf);
        const remote = this.remoteChoices.allowed(path);
        const update = this.updateInPage(path, text, remote);
        const preview = update?.preview ?? (await parts.ipc.renderPreview(path, readText(text), remote));
        perfStep("answered", perf);
        return { preview, update, where: update ? "page" : "rust" };
      },
      ({ preview, update, where }, { path, text, perf }) => {
        perfStep("result", perf);
        if (path !== parts.openPath()) {
          this.pane.forgetPieces();
          return;
        }
        parts.frontMatter(preview.error, text);
        if (!update) {
          this.pane.show(preview);
        } else if (!this.pane.showUpdate(update)) {
          // the page could not follow the delta: the whole page, at once
          this.unsent = null;
          this.renderer.now({ path, text: parts.text(), perf });
          return;
        }
        perfStep("patched", perf);
        this.remoteBar.show(preview.remote_image_count ?? 0, preview.remote_images ?? [], this.remoteChoices.allowed(path));
        this.pane.element.dataset.renderer = where;
        // how the last answer came: the body's changed pieces, or the whole page
        this.pane.element.dataset.update = update?.delta ? "delta" : "whole";
        parts.status.setStats(preview.stats);
        if (perf) {
          perfStep("shown", perf);
          perf.delta = update?.delta ? 1 : 0;
        }
        // keep the preview in step once the new render is on screen: measuring it now
        // would force a layout of the whole article before the frame that shows the key
        requestAnimationFrame(() => setTimeout(() => perfTime("scrollSync", () => this.editorScrolled()), 0));
      },
      (e) => parts.status.flash(`Preview: ${describeError(e)}`),
      40,
    );
    this.element = h("section", { class: "preview-pane", "aria-label": "Preview" }, this.remoteBar.element, this.pane.element);
  }

  opened(path: string, text: string): void {
    this.remoteBar.hide(); // the previous draft's hosts are not this one's
    this.unsent = null;
    this.renderer.now({ path, text });
    this.loadPageRendererOnce();
  }

  /** The text changed; `edit` says how (from the text of the last request), when the editor knows. */
  request(path: string, text: string | DraftText, edit?: TextEdit | null): void {
    this.noteEdit(text, edit ?? null);
    const perf = perfCurrent();
    perfStep("asked", perf);
    this.renderer.request({ path, text, perf });
  }

  /** Adds `edit` (of the text before it, into `text`) to what is unsent, or gives up on it. */
  private noteEdit(text: string | DraftText, edit: TextEdit | null): void {
    const u = this.unsent;
    if (!u || !edit) {
      this.unsent = null;
      return;
    }
    const before = text.length - edit.insert.length + (edit.to - edit.from);
    // the text before this edit is the one of the previous edit (or the one last sent)
    const tail = before - edit.to;
    this.unsent = { head: Math.min(u.head, edit.from), tail: Math.min(u.tail, tail), base: u.base, edits: u.edits + 1, last: edit };
  }

  /**
   * The preview rendered in the page as the page's renderer answers it (a delta to what
   * the pane shows when it can), or `null` to ask Rust. Sends the edit since the text last
   * sent when there is one, else the whole text.
   */
  private updateInPage(path: string, text: string | DraftText, remote: boolean): PageUpdate | null {
    const r = this.pageRenderer;
    if (!r) {
      this.pane.forgetPieces();
      return null;
    }
    const u = this.unsent;
    this.unsent = { head: text.length, tail: text.length, base: text.length, edits: 0, last: null };
    try {
      const shown = this.pane.shownGeneration;
      if (u && shown !== 0 && u.head + u.tail <= Math.min(u.base, text.length)) {
        // one keystroke is its own edit: no need to slice the text (which would flatten it)
        const edit = u.edits === 1 && u.last ? u.last : { from: u.head, to: u.base - u.tail, insert: readText(text).slice(u.head, text.length - u.tail) };
        const got = r.renderEdit(path, edit, text.length, remote, shown);
        if (got !== "resend") return got;
      }
      return r.renderPage(path, readText(text), remote, shown);
    } catch (e) {
      console.warn("page renderer failed, Rust renders from now on:", e);
      this.pageRenderer = null;
      this.unsent = null;
      return null;
    }
  }

  closed(): void {
    this.renderer.cancel();
    this.unsent = null;
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
    this.unsent = null;
    this.renderer.now({ path, text: this.parts.text() });
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
