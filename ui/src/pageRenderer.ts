/**
 * The core's preview renderer, run in the page.
 *
 * Why: a keystroke's preview spent ≈ 18 ms in Tauri's IPC while the window repaints, for a
 * render that takes Rust ≈ 1 ms (5,000 words). `src-tauri/crates/newsroom-render-wasm`
 * builds the very same Rust code (`newsroom_core::render::render_draft`: comrak, the URL
 * policy, ammonia) for WebAssembly; `make ui` copies it to `ui/public/`. The page renders
 * with it when it has loaded and asks Rust over IPC otherwise (before it has loaded, if it
 * could not load, or for a path it refuses), so the preview never depends on it.
 *
 * Loading it needs `'wasm-unsafe-eval'` in the CSP's `script-src`: WebAssembly compiled
 * from the app's own file, no JavaScript `eval` (which the CSP still forbids).
 */
import type { DraftError, FrontMatter, Preview } from "./ipc";

/** Where the app serves the drafts folder's images (`src-tauri/src/asset.rs`'s ASSET_BASE). */
export const ASSET_BASE = "newsroom-asset://localhost/";

/** The module's file, next to the page (`ui/public/`). */
export const RENDERER_URL = "/newsroom-render.wasm";

/** What the module exports (see the crate's `lib.rs`). */
export interface RendererExports {
  memory: WebAssembly.Memory;
  input_buffer(len: number): number;
  render(assetLen: number, pathLen: number, textLen: number, sourcepos: number, remoteImages: number): number;
  render_page(assetLen: number, pathLen: number, textLen: number, sourcepos: number, remoteImages: number, shown: number): number;
  render_edit(assetLen: number, pathLen: number, from: number, to: number, insertLen: number, lenAfter: number, sourcepos: number, remoteImages: number, shown: number): number;
  front_matter(textLen: number): number;
  output_ptr(): number;
  output_len(): number;
  /** How many bytes at the end of the last answer are the preview's HTML (after its JSON). */
  output_html_len(): number;
}

type Answer = { ok: Preview } | { err: string };

/** What changed in the body since the answer the page shows (the core's `BodyDelta`):
 * pieces `start..start + removed` of it are replaced by the pieces of `html`, whose first
 * elements are on `lines` (0: a piece with no HTML); the pieces after them moved `shift` lines. */
export interface BodyDelta {
  start: number;
  removed: number;
  lines: number[];
  shift: number;
  html: string;
}

/**
 * An answer for the page's own preview (`render_page`, `render_edit`): numbered, so the
 * page names the one it shows. Either the whole page (`preview.html`), with each body
 * piece's first element's line when the next answer may be a delta, or the body's `delta`
 * (`preview.html` empty then).
 */
export interface PageUpdate {
  preview: Preview;
  generation: number;
  pieces: number[] | null;
  delta: BodyDelta | null;
}

/** An edit of the text: UTF-16 units `from..to` of the last text sent replaced by `insert`. */
export interface TextEdit {
  from: number;
  to: number;
  insert: string;
}

type PageReply = { ok: Preview; generation: number; pieces?: number[]; delta?: Omit<BodyDelta, "html"> } | { resend: true } | { err: string };

/** The core's reading of a draft's front matter (`front_matter` in the module). */
export type FrontMatterAnswer = { ok: FrontMatter } | { err: DraftError };

export class PageRenderer {
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();
  private readonly asset: Uint8Array;

  constructor(
    private readonly exports: RendererExports,
    assetBase = ASSET_BASE,
  ) {
    this.asset = this.encoder.encode(assetBase);
  }

  /** Instantiates the module from its bytes. */
  static async fromBytes(bytes: BufferSource, assetBase = ASSET_BASE): Promise<PageRenderer> {
    const { instance } = await WebAssembly.instantiate(bytes, {});
    return new PageRenderer(instance.exports as unknown as RendererExports, assetBase);
  }

  /**
   * The preview of `text`, the draft at `path` (relative to the drafts folder), exactly as
   * `render_preview` answers; `null` when the module refuses the request (ask Rust then).
   * Remote images load only with `remoteImages` (the user's choice for this draft).
   */
  render(path: string, text: string, remoteImages = false): Preview | null {
    const e = this.exports;
    const [pathLen, textLen] = this.write(path, text);
    const len = e.render(this.asset.length, pathLen, textLen, 1, remoteImages ? 1 : 0);
    // the JSON, then the HTML as it is (not a JSON string: escaping and parsing it would
    // cost more than the keystroke's render)
    const htmlLen = e.output_html_len();
    const out = new Uint8Array(e.memory.buffer, e.output_ptr(), len);
    const answer = JSON.parse(this.decoder.decode(out.subarray(0, len - htmlLen))) as Answer;
    if (!("ok" in answer)) return null;
    answer.ok.html = this.decoder.decode(out.subarray(len - htmlLen));
    return answer.ok;
  }

  /**
   * The page's own preview of `text` (kept by the module for `renderEdit`), as a delta to
   * the answer numbered `shown` when the page shows it (0: none) and a delta can say it;
   * `null` when the module refuses the request (ask Rust then).
   */
  renderPage(path: string, text: string, remoteImages: boolean, shown: number): PageUpdate | null {
    const e = this.exports;
    const [pathLen, textLen] = this.write(path, text);
    return this.pageReply(e.render_page(this.asset.length, pathLen, textLen, 1, remoteImages ? 1 : 0, shown)) as PageUpdate | null;
  }

  /**
   * The page's own preview after `edit` of the text last sent (`renderPage`, `renderEdit`):
   * a keystroke sends a few bytes, not the draft, and the text's length after it (UTF-16),
   * which the module checks. `"resend"` when the module does not hold that text (its
   * answer `shown` is not its last, or the length does not fit): send the whole text then.
   */
  renderEdit(path: string, edit: TextEdit, lengthAfter: number, remoteImages: boolean, shown: number): PageUpdate | "resend" | null {
    const e = this.exports;
    const [pathLen, insertLen] = this.write(path, edit.insert);
    return this.pageReply(e.render_edit(this.asset.length, pathLen, edit.from, edit.to, insertLen, lengthAfter, 1, remoteImages ? 1 : 0, shown));
  }

  /** Writes asset base, path and `text` into the module's input; the path's and the text's lengths in bytes. */
  private write(path: string, text: string): [number, number] {
    const e = this.exports;
    const pathBytes = this.encoder.encode(path);
    // UTF-16 to UTF-8 is at most 3 bytes per code unit
    const room = this.asset.length + pathBytes.length + text.length * 3;
    const at = e.input_buffer(room);
    // views are taken after each call: the module's memory may have grown, which detaches them
    const input = new Uint8Array(e.memory.buffer, at, room);
    input.set(this.asset, 0);
    input.set(pathBytes, this.asset.length);
    const { written } = this.encoder.encodeInto(text, input.subarray(this.asset.length + pathBytes.length));
    return [pathBytes.length, written];
  }

  private pageReply(len: number): PageUpdate | "resend" | null {
    const e = this.exports;
    const htmlLen = e.output_html_len();
    const out = new Uint8Array(e.memory.buffer, e.output_ptr(), len);
    const reply = JSON.parse(this.decoder.decode(out.subarray(0, len - htmlLen))) as PageReply;
    if ("resend" in reply) return "resend";
    if (!("ok" in reply)) return null;
    const html = this.decoder.decode(out.subarray(len - htmlLen));
    if (reply.delta) return { preview: reply.ok, generation: reply.generation, pieces: null, delta: { ...reply.delta, html } };
    reply.ok.html = html;
    return { preview: reply.ok, generation: reply.generation, pieces: reply.pieces ?? null, delta: null };
  }

  /** The draft's front matter exactly as the core reads it (`Draft::parse`), or its error
   * with the line: the same answer as the `read_front_matter` command. */
  frontMatter(text: string): FrontMatterAnswer {
    const e = this.exports;
    const room = text.length * 3;
    const at = e.input_buffer(room);
    const { written } = this.encoder.encodeInto(text, new Uint8Array(e.memory.buffer, at, room));
    const len = e.front_matter(written);
    return JSON.parse(this.decoder.decode(new Uint8Array(e.memory.buffer, e.output_ptr(), len))) as FrontMatterAnswer;
  }
}

/**
 * Fetches and instantiates the module; `null` (and a console warning) when it cannot, in
 * which case every preview comes from Rust as before.
 */
export async function loadPageRenderer(url = RENDERER_URL): Promise<PageRenderer | null> {
  try {
    if (typeof WebAssembly === "undefined") return null;
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return await PageRenderer.fromBytes(await response.arrayBuffer());
  } catch (e) {
    console.warn("preview renders over IPC:", e);
    return null;
  }
}
