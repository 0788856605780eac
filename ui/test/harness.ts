/**
 * The one harness of the UI tests: a fake Tauri IPC that records every command (the page's
 * real `ipc` wrapper talks to it, events included), the window's DOM set up and torn down,
 * the real WebAssembly renderer, typing into the editor, and the controllers made with
 * real parts around the fake IPC.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterEach, beforeEach, expect, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { App } from "../src/app";
import type { Editor } from "../src/editor";
import { PageRenderer } from "../src/pageRenderer";
import { ipc, type Preview, type Settings } from "../src/ipc";
import { StatusBar } from "../src/statusBar";
import { ConflictBanner, MessageBanner } from "../src/conflictBanner";
import { FrontMatterBanner } from "../src/frontMatterBanner";
import { MetadataPanel } from "../src/metadataPanel";
import { DraftsPane } from "../src/draftsPane";
import { Presence } from "../src/presence";
import { Layout } from "../src/layout";
import { DocumentController, type DocumentParts, type DocumentPreview, type DocumentReview } from "../src/documentController";
import { ConflictController } from "../src/conflictController";

export interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

/** What the fake backend answers to a command (thrown: the command's error). */
export type Answer = (cmd: string, args: Record<string, unknown>) => unknown;

/** The fake IPC installed by `fakeIpc`: every command in `calls`; `answer` may be swapped mid-test. */
export class FakeIpc {
  readonly calls: Call[] = [];
  constructor(public answer: Answer) {}

  /** The calls of one command, oldest first. */
  called(cmd: string): Call[] {
    return this.calls.filter((c) => c.cmd === cmd);
  }
}

/**
 * Installs the fake Tauri IPC. `events`: Tauri's event system is faked too, so `emit()` from
 * `@tauri-apps/api/event` reaches what the page subscribed with `listen()`.
 */
export function fakeIpc(answer: Answer, { events = true } = {}): FakeIpc {
  const fake = new FakeIpc(answer);
  mockIPC(
    (cmd, raw) => {
      const args = (raw ?? {}) as Record<string, unknown>;
      fake.calls.push({ cmd, args });
      return fake.answer(cmd, args);
    },
    events ? { shouldMockEvents: true } : undefined,
  );
  return fake;
}

/** The calls of one command, oldest first. */
export const calls = (fake: FakeIpc, cmd: string): Call[] => fake.called(cmd);

/** A `get_settings` answer. */
export function settings(over: Partial<Settings> = {}): Settings {
  return {
    user_name: "Ana",
    user_email: "",
    role: "reporter",
    categories: [],
    recent_folders: [],
    last_folder: null,
    theme: "system",
    watch: "auto",
    sync_auto: true,
    sync_interval_minutes: 5,
    ...over,
  };
}

/** A `render_preview` answer. */
export function rendered(over: Partial<Preview> = {}): Preview {
  return { html: "<article></article>", stats: { words: 1, characters: 1, reading_minutes: 1 }, error: null, remote_images: [], remote_image_count: 0, ...over };
}

const apps: App[] = [];
const cleanups: (() => void)[] = [];

/**
 * The window's life in each test of the file: storage empty before (no draft reopened from an
 * earlier test), and after it real timers again, every app disposed, the fake IPC removed and
 * the document emptied.
 */
export function useWindowHarness(): void {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    vi.useRealTimers();
    for (const app of apps.splice(0)) app.dispose();
    for (const clean of cleanups.splice(0)) clean();
    clearMocks();
    document.body.replaceChildren();
  });
}

/** Runs `clean` after the test (controllers made outside an App). */
export function afterTest(clean: () => void): void {
  cleanups.push(clean);
}

export interface AppOptions {
  loadRenderer?: () => Promise<PageRenderer | null>;
  loadEditor?: () => Promise<typeof import("../src/editor")>;
  /** Whether `start()` is awaited (default true). */
  start?: boolean;
  mount?: HTMLElement;
}

/** A window in the document (the fake IPC installed first), started unless told not to. */
export async function startApp(opts: AppOptions = {}): Promise<{ app: App; mount: HTMLElement }> {
  const mount = opts.mount ?? document.body.appendChild(document.createElement("div"));
  const app = new App(mount, undefined, opts.loadRenderer, opts.loadEditor);
  apps.push(app);
  if (opts.start ?? true) await app.start();
  return { app, mount };
}

/** Disposes `app` now (a restart within one test). */
export function disposeApp(app: App): void {
  app.dispose();
  apps.splice(apps.indexOf(app), 1);
}

/** Clicks the draft's row in the list and waits until it is the open draft. */
export async function openFromList(app: App, path = "world/minsk.md", timeout = 1000): Promise<void> {
  app.root.querySelector<HTMLElement>(`[data-testid="draft-item"][data-path="${path}"] button`)!.click();
  await vi.waitFor(() => expect(app.current?.session.path).toBe(path), { timeout });
}

/** The element with this test id in the document. */
export const q = <T extends Element = HTMLElement>(testid: string) => document.querySelector<T>(`[data-testid="${testid}"]`)!;
export const qa = (testid: string) => Array.from(document.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`));

/** The user types `text` at the end of the document. */
export function typeAtEnd(editor: Editor, text: string): void {
  const view = editor.view;
  view.dispatch({ changes: { from: view.state.doc.length, insert: text }, userEvent: "input.type" });
}

/** The user types `text` where the cursor is. */
export function typeAtCursor(editor: Editor, text: string): void {
  const view = editor.view;
  view.dispatch(view.state.update(view.state.replaceSelection(text), { userEvent: "input.type" }));
}

/** Waits `ms` of real time (answers and timers of the page run meanwhile). */
export const settle = (ms = 0) => new Promise<void>((r) => setTimeout(r, ms));

/** The real module, as `make wasm` (run by `make ui`/`make test`) puts it next to the page. */
export const WASM_PATH = resolve(import.meta.dirname, "../public/newsroom-render.wasm");

/** The core's renderer built for the page, from the real WebAssembly file. */
export function realRenderer(): Promise<PageRenderer> {
  if (!existsSync(WASM_PATH)) throw new Error(`${WASM_PATH} is missing: run \`make wasm\` first`);
  return PageRenderer.fromBytes(readFileSync(WASM_PATH));
}

/** The preview as the document controller drives it: what it was asked, in order. */
export class RecordingPreview implements DocumentPreview {
  readonly asked: string[] = [];
  opened(path: string): void {
    this.asked.push(`opened ${path}`);
  }
  request(path: string): void {
    this.asked.push(`request ${path}`);
  }
  closed(): void {
    this.asked.push("closed");
  }
  moved(from: string, to: string): void {
    this.asked.push(`moved ${from} → ${to}`);
  }
  /** No module in the page: front matter is read over the fake IPC. */
  loadedRenderer(): PageRenderer | null {
    return null;
  }
  editorScrolled(): void {}
}

/** The review panel as the document controller drives it: the statuses it was shown. */
export class RecordingReview implements DocumentReview {
  readonly shown: (string | null)[] = [];
  textChanged(): void {}
  show(status: string | null): void {
    this.shown.push(status);
  }
}

export interface DocumentRig {
  doc: DocumentController;
  conflicts: ConflictController;
  parts: DocumentParts;
  preview: RecordingPreview;
  review: RecordingReview;
  listChanges: number[];
  host: HTMLElement;
}

/**
 * A document controller with the real window parts it needs (status bar, banners, sidebar,
 * drafts list, presence, layout, the real editor) around the fake IPC: install `fakeIpc` first.
 */
export function documentRig(over: Partial<DocumentParts> = {}): DocumentRig {
  const preview = new RecordingPreview();
  const review = new RecordingReview();
  const listChanges: number[] = [];
  let conflicts: ConflictController | null = null;
  let layout: Layout | null = null;
  const metadata = new MetadataPanel({ change: async () => {}, move: () => {}, categories: () => [], tags: () => [], authors: () => [], images: () => [] });
  const drafts = new DraftsPane(ipc, { open: () => {}, newDraft: () => {}, error: () => {}, openLink: () => {} });
  const parts: DocumentParts = {
    ipc,
    status: new StatusBar(),
    errorBanner: new MessageBanner("error-banner", "error"),
    conflict: new ConflictBanner(),
    draftBanner: new FrontMatterBanner({ restoreLastGood: async () => false, openHistory: () => {} }),
    metadata,
    drafts,
    presence: new Presence(ipc),
    layout: () => layout!,
    preview: () => preview,
    review: () => review,
    conflicts: () => conflicts!,
    listChanged: () => listChanges.push(Date.now()),
    userName: () => "Ana Kovač",
    suggesting: () => false,
    loadEditor: () => import("../src/editor"),
    ...over,
  };
  const doc = new DocumentController(parts);
  conflicts = new ConflictController({ ipc: parts.ipc, doc, banner: parts.conflict, errorBanner: parts.errorBanner, listChanged: parts.listChanged });
  const editorPane = document.createElement("section");
  editorPane.append(parts.conflict.element, parts.draftBanner.element, parts.errorBanner.element, parts.status.element, doc.emptyState, doc.editorHost);
  layout = new Layout({ drafts: drafts.element, editor: editorPane, preview: document.createElement("section"), metadata: metadata.element });
  const host = document.body.appendChild(layout.element);
  afterTest(() => {
    doc.dispose();
    drafts.dispose();
    void parts.presence.release();
  });
  return { doc, conflicts, parts, preview, review, listChanges, host };
}
