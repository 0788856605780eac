/**
 * The preview: the portal's article page in a sandboxed iframe (no scripts: drafts may be
 * hostile). The page is built once; each render is patched into it (see previewPatch).
 */
import type { Preview } from "./ipc";
import type { PageUpdate } from "./pageRenderer";
import { h } from "./html";
import { applyDelta, type BodyState, Blocks, changedRange, keptBefore, mapPieces, type PieceMap, splitArticle } from "./bodyPatch";
import { forgetMoved, markMoved, patchChildren } from "./previewPatch";
import { lineForPreviewY, measureBlocks, placeOfLine, type SourceBlock, wellBefore } from "./scrollSync";

/** The portal's section navigation: decorative, as on the article page. */
export const PORTAL_SECTIONS = ["Blog", "Business", "Entertainment", "Environment", "Health", "Latest News", "News Analysis", "Opinion", "Science", "Sports", "Technology", "Videos", "World"];

/** The iframe's document: the portal stylesheet (a same-origin file, CSP-friendly) and an empty root. */
export function previewSrcdoc(stylesheetHref = "/portal.css"): string {
  const nav = PORTAL_SECTIONS.map((s) => `<li>${s}</li>`).join("");
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="color-scheme" content="light dark">` +
    // a document's title names it to assistive tech (axe: document-title)
    `<title>Preview</title>` +
    // links leave as new-window requests, which the app answers (see PreviewPane.iframe)
    `<base target="_blank">` +
    `<link rel="stylesheet" href="${stylesheetHref}"></head><body>` +
    `<nav class="portal-nav" aria-label="Sections (preview only)"><ul>${nav}</ul></nav>` +
    `<main id="nr-root"></main></body></html>`
  );
}

/** Where in-article links point while shown: a srcdoc frame resolves `#fn-1` against the
 * app's own URL (a different document, which would replace the preview), but
 * `about:srcdoc#fn-1` is a place in this one. */
const IN_FRAME = "about:srcdoc";

/** Links to a place in the article (footnotes) scroll the frame instead of asking for a
 * new window like the rest (see `<base target="_blank">` above). */
export function targetsInFrame(doc: ParentNode): void {
  for (const a of doc.querySelectorAll<HTMLAnchorElement>('a[href^="#"]')) {
    a.setAttribute("href", IN_FRAME + a.getAttribute("href"));
    a.target = "_self";
  }
}

/** What each preview document shows, as the render it came from (for the fast path). */
const shown = new WeakMap<Document, BodyState>();

/**
 * Puts a render into the page, touching only blocks that changed: when only the body
 * changed, by comparing its blocks as strings (bodyPatch); otherwise by comparing DOM
 * (previewPatch).
 */
export function applyPreviewHtml(doc: Document, html: string): void {
  const root = doc.getElementById("nr-root");
  if (!root) return;
  const split = splitArticle(html);
  const before = shown.get(doc);
  const blocks = split ? new Blocks(split.blocks) : null;
  if (split && blocks && before && split.head === before.head && split.tail === before.tail) {
    if (patchBody(doc, root, before.blocks, blocks)) {
      shown.set(doc, { head: split.head, tail: split.tail, blocks });
      return;
    }
  }
  const template = doc.createElement("template");
  template.innerHTML = html;
  patchChildren(root, template.content);
  forgetMoved(doc);
  const body = root.querySelector(".nr-body");
  if (split && blocks && body && body.childElementCount === blocks.length) {
    shown.set(doc, { head: split.head, tail: split.tail, blocks });
  } else {
    shown.delete(doc);
  }
}

/**
 * Puts an answer of the page's renderer into `doc`: the whole page (as `applyPreviewHtml`),
 * or the body's delta applied to the pieces of `map`, the map of the previous answer.
 * Returns the pieces for the next answer, `null` when a delta cannot follow this one (a
 * delta that does not fit `map` leaves the page as it was: ask for the whole page).
 */
export function applyPageUpdate(doc: Document, map: PieceMap | null, update: PageUpdate): PieceMap | null {
  const body = doc.querySelector(".nr-body");
  if (update.delta) {
    if (!body || !map || !applyDelta(doc, { body, map }, update.delta, targetsInFrame)) return null;
    shown.delete(doc); // the body is no longer the last whole render's blocks
    return map;
  }
  applyPreviewHtml(doc, update.preview.html);
  targetsInFrame(doc);
  const after = doc.querySelector(".nr-body");
  return after && update.pieces ? mapPieces(after, update.pieces) : null;
}

/** Replaces the changed blocks of the body; false if the page is not as expected. */
function patchBody(doc: Document, root: Element, before: Blocks, blocks: Blocks): boolean {
  const body = root.querySelector(".nr-body");
  if (!body || body.childElementCount !== before.length) return false;
  const { start, oldEnd, newEnd } = changedRange(before, blocks);
  let fresh: Element[] = [];
  if (newEnd > start) {
    const template = doc.createElement("template");
    template.innerHTML = blocks.raw.slice(start, newEnd).join("\n");
    if (template.content.childElementCount !== newEnd - start) return false;
    fresh = Array.from(template.content.children);
  }
  const old = Array.from(body.children);
  const anchor = old[oldEnd] ?? null;
  for (let k = start; k < oldEnd; k++) old[k].remove();
  for (const el of fresh) body.insertBefore(el, anchor);
  for (let k = 0; k < start; k++) if (blocks.raw[k] !== before.raw[k]) markMoved(old[k], blocks.raw[k]);
  const shift = newEnd - oldEnd;
  for (let k = oldEnd; k < old.length; k++) if (blocks.raw[k + shift] !== before.raw[k]) markMoved(old[k], blocks.raw[k + shift]);
  return true;
}

/** http(s) and mailto open in the system browser; everything else stays inert. */
export function externalUrl(href: string | null): string | null {
  if (!href) return null;
  return /^(https?:\/\/|mailto:)/i.test(href.trim()) ? href.trim() : null;
}

export interface PreviewHooks {
  openExternal(url: string): void;
  /** The reader scrolled the preview to body line `line`. */
  onScrollLine?(line: number): void;
}

export class PreviewPane {
  readonly element: HTMLElement;
  private readonly errorBox: HTMLElement;
  /** Made when the first draft is shown: a page nobody looks at yet costs start-up time and memory. */
  private frame: HTMLIFrameElement | null = null;
  private ready = false;
  private pendingHtml: string | null = null;
  private blocks: SourceBlock[] | null = null;
  private ignoreScrollUntil = 0;
  private lastScrollY = 0;
  private watchingScroll = false;
  private pointerOver = false;
  private lastHtml: string | null = null;
  private theme: "light" | "dark" | null = null;
  /** The body's pieces as the core cut them, and the number of the module's answer the
   * page shows (0: none a delta can follow; see `showUpdate`). */
  private pieces: PieceMap | null = null;
  private generation = 0;
  /**
   * The last scroll sync from the editor: the body line it put at the top, where that is,
   * and the blocks it was read from; and what the preview's renders changed since: nothing
   * (`"same"`), only what comes after an element, or anything (`null`). A keystroke's
   * delta below those blocks cannot move them, so the sync after it needs no measuring of
   * the whole article (see `scrollToBodyLine`).
   */
  private synced: { line: number; y: number; from: Element[] } | null = null;
  private sinceSync: "same" | Element | null = null;

  constructor(private readonly hooks: PreviewHooks) {
    this.errorBox = h("div", { class: "preview-error", role: "status", hidden: true });
    this.element = h("div", { class: "preview" }, this.errorBox);
  }

  /** The sandboxed frame (made on first use). */
  get iframe(): HTMLIFrameElement {
    if (!this.frame) {
      // The frame runs no script, and WebKit calls no event listener in a document that
      // cannot run script, not even the app's own (the page's click and scroll handlers
      // below only run elsewhere, e.g. in tests). So links work without them: every link
      // opens as a new-window request (`<base target="_blank">`, `allow-popups`) that the
      // app always refuses, handing http(s) and mailto links to the system browser
      // (src-tauri/src/navigation.rs); links inside the article keep to the frame
      // (targetsInFrame). Scrolling is watched from this side while the pointer or the focus
      // is on the frame (watchScroll).
      this.frame = h("iframe", {
        sandbox: "allow-same-origin allow-popups",
        title: "Preview",
        "data-testid": "preview",
        class: "preview-frame",
      });
      this.frame.srcdoc = previewSrcdoc();
      this.frame.addEventListener("load", () => this.onLoad());
      this.frame.addEventListener("mouseenter", () => {
        this.pointerOver = true;
        this.watchScroll();
      });
      this.frame.addEventListener("mouseleave", () => (this.pointerOver = false));
      this.frame.addEventListener("focus", () => this.watchScroll());
      this.element.append(this.frame);
    }
    return this.frame;
  }

  private get doc(): Document | null {
    try {
      return this.frame?.contentDocument ?? null;
    } catch {
      return null;
    }
  }

  private onLoad(): void {
    const doc = this.doc;
    if (!doc?.getElementById("nr-root")) return;
    this.ready = true;
    if (this.theme) doc.documentElement.setAttribute("data-theme", this.theme);
    doc.addEventListener("click", (e) => this.onClick(e), true);
    doc.addEventListener("submit", (e) => e.preventDefault(), true);
    doc.defaultView?.addEventListener("scroll", () => this.onScroll(), { passive: true });
    doc.defaultView?.addEventListener("resize", () => this.moved());
    if (this.pendingHtml !== null) {
      const html = this.pendingHtml;
      this.pendingHtml = null;
      this.setHtml(html);
    }
  }

  private onClick(e: MouseEvent): void {
    const target = e.target as Element | null;
    const a = target?.closest?.("a");
    if (!a) return;
    e.preventDefault();
    const raw = a.getAttribute("href");
    const href = raw?.startsWith(`${IN_FRAME}#`) ? raw.slice(IN_FRAME.length) : raw;
    if (href?.startsWith("#")) {
      const id = decodeURIComponent(href.slice(1));
      this.doc?.getElementById(id)?.scrollIntoView({ block: "start" });
      return;
    }
    const url = externalUrl(href);
    if (url) this.hooks.openExternal(url);
  }

  private onScroll(): void {
    const win = this.doc?.defaultView;
    if (!win || win.scrollY === this.lastScrollY) return;
    this.lastScrollY = win.scrollY;
    if (performance.now() < this.ignoreScrollUntil || !this.hooks.onScrollLine) return;
    this.hooks.onScrollLine(lineForPreviewY(this.measured(), win.scrollY));
  }

  /** Checks the frame's scroll position every animation frame while the pointer is over it
   * or it has the focus (its own scroll events reach no listener in WebKit, see iframe). */
  private watchScroll(): void {
    if (this.watchingScroll) return;
    this.watchingScroll = true;
    const tick = () => {
      this.onScroll();
      if (this.frame && (this.pointerOver || document.activeElement === this.frame)) {
        requestAnimationFrame(tick);
      } else {
        this.watchingScroll = false;
      }
    };
    requestAnimationFrame(tick);
  }

  /** Anything in the preview may have moved: measured again when next asked. */
  private moved(): void {
    this.blocks = null;
    this.synced = null;
    this.sinceSync = null;
  }

  /** A delta changed the body only after `kept` (`null`: from its start). */
  private changedAfter(kept: Element | null): void {
    this.blocks = null;
    const since = this.sinceSync;
    if (since === null || kept === null) this.sinceSync = null;
    else if (since === "same" || wellBefore(kept, since)) this.sinceSync = kept;
  }

  private measured(): SourceBlock[] {
    const doc = this.doc;
    if (!this.blocks && doc) {
      const body = doc.querySelector(".nr-body") ?? doc.body;
      this.blocks = measureBlocks(body, doc.defaultView?.scrollY ?? 0);
    }
    return this.blocks ?? [];
  }

  /** Follows the app's theme setting ("system": the iframe follows prefers-color-scheme itself). */
  setTheme(theme: "system" | "light" | "dark"): void {
    this.theme = theme === "system" ? null : theme;
    const root = this.doc?.documentElement;
    if (!root || !this.ready) return;
    if (this.theme) root.setAttribute("data-theme", this.theme);
    else root.removeAttribute("data-theme");
    this.moved();
  }

  show(preview: Preview): void {
    this.showError(preview);
    this.forgetPieces();
    this.setHtml(preview.html);
  }

  private showError(preview: Preview): void {
    if (preview.error) {
      const where = preview.error.line != null ? `line ${preview.error.line}: ` : "";
      this.errorBox.textContent = `Front matter: ${where}${preview.error.message}`;
      this.errorBox.hidden = false;
    } else {
      this.errorBox.hidden = true;
    }
  }

  /** The number of the page renderer's answer shown, for its next request (0: none it may follow). */
  get shownGeneration(): number {
    return this.generation;
  }

  /**
   * Shows an answer of the page's renderer: the whole page (as `show`), its pieces found
   * for the next answer; or the body's delta, applied to those pieces. False when a delta
   * cannot be followed (nothing changed then: the caller asks for the whole page).
   */
  showUpdate(update: PageUpdate): boolean {
    const doc = this.doc;
    if (update.delta) {
      const map = this.pieces;
      this.generation = 0;
      this.pieces = null;
      if (!doc || !this.ready || !map) return false;
      const body = doc.querySelector(".nr-body");
      const kept = body && update.delta.start >= 0 && update.delta.start <= map.firsts.length ? keptBefore(body, map, update.delta.start) : null;
      this.pieces = applyPageUpdate(doc, map, update);
      if (!this.pieces) {
        this.moved();
        return false;
      }
      this.showError(update.preview);
      this.generation = update.generation;
      // the page is no longer any one render's HTML: the next whole one is patched as DOM
      this.lastHtml = null;
      this.changedAfter(kept);
      return true;
    }
    this.show(update.preview);
    if (this.ready && doc && update.pieces) {
      this.pieces = mapPieces(doc.querySelector(".nr-body") ?? doc, update.pieces);
      if (this.pieces) this.generation = update.generation;
    }
    return true;
  }

  /** The page renderer's answers are no longer followed (another renderer answered, the draft closed). */
  forgetPieces(): void {
    this.pieces = null;
    this.generation = 0;
  }

  clear(): void {
    this.errorBox.hidden = true;
    this.forgetPieces();
    this.setHtml("");
  }

  private setHtml(html: string): void {
    if (!this.frame && html === "") return; // nothing shown yet, nothing to clear
    const doc = this.doc;
    if (!this.ready || !doc) {
      this.pendingHtml = html;
      void this.iframe; // make the frame if it is not there yet
      return;
    }
    if (html === this.lastHtml) return; // nothing changed (e.g. a space at a line end)
    applyPreviewHtml(doc, html);
    targetsInFrame(doc);
    this.lastHtml = html;
    this.moved();
  }

  /** Scrolls so body line `line` (fractional) is at the top. */
  scrollToBodyLine(line: number): void {
    const win = this.doc?.defaultView;
    if (!win) return;
    const y = line < 1 ? 0 : this.yOfLine(line);
    this.ignoreScrollUntil = performance.now() + 150;
    win.scrollTo(0, Math.max(0, y - 8));
  }

  /**
   * Where body line `line` is (`previewYForLine` of the measured blocks). The same line as
   * the last sync, with the blocks it was read from untouched by the renders since (they
   * changed only what comes after them), is where it was: a keystroke below the top of the
   * editor then measures nothing, where measuring would read the box of every block of
   * the article.
   */
  private yOfLine(line: number): number {
    const s = this.synced;
    const since = this.sinceSync;
    if (s && s.line === line && since !== null && (since === "same" || s.from.every((el) => el.isConnected && wellBefore(el, since)))) {
      return s.y;
    }
    const place = placeOfLine(this.measured(), line);
    this.synced = { line, y: place.y, from: place.from.flatMap((b) => (b.el ? [b.el] : [])) };
    this.sinceSync = place.from.every((b) => b.el) ? "same" : null;
    return place.y;
  }

  /** The article as HTML and as plain text, for "Copy as rich text". */
  article(): { html: string; text: string; node: Element | null } {
    const node = this.doc?.querySelector("article") ?? this.doc?.getElementById("nr-root") ?? null;
    return {
      html: (node?.outerHTML ?? "").replaceAll(`href="${IN_FRAME}#`, 'href="#'),
      // biome-ignore lint/performance/useDomNodeTextContent: innerText keeps the line breaks of the rendered blocks, which a plain-text paste needs
      text: (node as HTMLElement | null)?.innerText ?? node?.textContent ?? "",
      node,
    };
  }
}
