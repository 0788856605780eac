// The preview controller on its own: Rust over the fake IPC, or the real WebAssembly
// renderer in the page, for the open draft only.
import { describe, expect, it, vi } from "vitest";
import { ipc, type DraftError } from "../src/ipc";
import type { PageRenderer } from "../src/pageRenderer";
import { PreviewController, type PreviewParts } from "../src/previewController";
import { StatusBar } from "../src/statusBar";
import { draftText } from "../src/textChange";
import { type FakeIpc, afterTest, calls, fakeIpc, q, realRenderer, rendered, settle, useWindowHarness } from "./harness";

useWindowHarness();

const TEXT = "---\ntitle: Talks\n---\nDelegates met.\n";

/** Rust's renderer: a draft naming cdn.example has one remote image, held back unless asked. */
function rust(): FakeIpc {
  return fakeIpc((cmd, args) => {
    if (cmd !== "render_preview") return null;
    const held = String(args.text).includes("https://cdn.example/") && !args.remote_images;
    const error: DraftError | null = String(args.text).includes("[oops") ? { line: 2, message: "bad" } : null;
    return rendered({
      html: `<article><p>${String(args.text).length}</p></article>`,
      stats: { words: 7, characters: 30, reading_minutes: 1 },
      error,
      remote_images: held ? ["cdn.example"] : [],
      remote_image_count: held ? 1 : 0,
    });
  });
}

function rig(over: Partial<PreviewParts> = {}) {
  const state = { path: "world/a.md" as string | null, text: TEXT, health: [] as (DraftError | null)[] };
  const status = new StatusBar();
  const preview = new PreviewController({
    ipc,
    status,
    loadRenderer: async () => null,
    openPath: () => state.path,
    text: () => state.text,
    bodyOffset: () => 3,
    editorTopLine: () => 1,
    scrollEditorTo: () => {},
    hidden: () => true,
    frontMatter: (error) => state.health.push(error),
    openExternal: () => {},
    ...over,
  });
  document.body.append(preview.element, status.element);
  afterTest(() => preview.dispose());
  return { preview, status, state };
}

/**
 * A rig whose preview renders in the page: the real module loaded while `TEXT` was open,
 * then `text` opened and shown by the module, whole.
 */
async function pageRig(text = TEXT) {
  rust();
  let module: PageRenderer | null = null;
  const parts = rig({
    loadRenderer: async () => {
      module = await realRenderer();
      return module;
    },
  });
  parts.preview.opened("world/a.md", TEXT);
  await vi.waitFor(() => expect(module).not.toBeNull(), { timeout: 10_000 });
  parts.state.text = text;
  parts.preview.opened("world/a.md", text);
  await vi.waitFor(() => expect(parts.preview.pane.element.dataset.renderer).toBe("page"));
  return { ...parts, module: module as unknown as PageRenderer };
}

describe("the preview controller", () => {
  it("renders an opened draft through Rust and shows it, with its stats and its front matter's health", async () => {
    const r = rust();
    const { preview, status, state } = rig();
    preview.opened("world/a.md", TEXT);
    await vi.waitFor(() => expect(preview.pane.element.dataset.renderer).toBe("rust"));
    expect(calls(r, "render_preview")[0].args).toEqual({ path: "world/a.md", text: TEXT });
    expect(status.element.textContent).toContain("7 words");
    expect(state.health).toEqual([null]);
  });

  it("drops an answer for a draft that is no longer open", async () => {
    const r = rust();
    const { preview, state } = rig();
    state.path = "world/b.md";
    preview.opened("world/a.md", TEXT);
    await vi.waitFor(() => expect(calls(r, "render_preview")).toHaveLength(1));
    await settle(20);
    expect(preview.pane.element.dataset.renderer).toBeUndefined();
    expect(state.health).toEqual([]);
  });

  it("renders in the page once the WebAssembly module is loaded, without asking Rust", async () => {
    const r = rust();
    let module: PageRenderer | null = null;
    const { preview } = rig({
      loadRenderer: async () => {
        module = await realRenderer();
        return module;
      },
    });
    preview.opened("world/a.md", TEXT);
    await vi.waitFor(() => expect(module).not.toBeNull(), { timeout: 10_000 });
    await settle(50);
    const before = calls(r, "render_preview").length;
    preview.request("world/a.md", `${TEXT}\nTyped in the page.\n`);
    await vi.waitFor(() => expect(preview.pane.element.dataset.renderer).toBe("page"));
    expect(calls(r, "render_preview")).toHaveLength(before);
  });

  it("sends the page's renderer the edits, not the text, and two edits between renders as one", async () => {
    const { preview, state, module } = await pageRig(`${TEXT}\nSecond.\n`);
    expect(preview.pane.shownGeneration).toBeGreaterThan(0);
    const edits = vi.spyOn(module, "renderEdit");
    const wholes = vi.spyOn(module, "renderPage");
    const type = (from: number, to: number, insert: string) => {
      const before = state.text;
      state.text = before.slice(0, from) + insert + before.slice(to);
      preview.request("world/a.md", state.text, { from, to, insert });
    };
    await settle(60);
    const base = state.text;
    type(base.indexOf("Second"), base.indexOf("Second"), "A ");
    type(base.indexOf("met"), base.indexOf("met"), "x"); // within the gap: sent with the next as one
    type(state.text.length - 1, state.text.length - 1, " 🙂");
    await vi.waitFor(() => expect(edits).toHaveBeenCalledTimes(2));
    const [first, second] = edits.mock.calls.map((c) => c[1]);
    expect(edits.mock.calls.at(-1)![2]).toBe(state.text.length);
    const applied = (t: string, e: { from: number; to: number; insert: string }) => t.slice(0, e.from) + e.insert + t.slice(e.to);
    expect(applied(applied(base, first), second)).toBe(state.text);
    expect(first.insert.length).toBeLessThan(5);
    expect(wholes).not.toHaveBeenCalled();
    // shown as deltas (the page around the body is the same)
    await vi.waitFor(() => expect(preview.pane.element.dataset.update).toBe("delta"));
  });

  it("a keystroke's render reads the length of the editor's text, not the text", async () => {
    const { preview, state } = await pageRig();
    await settle(60);
    const at = state.text.indexOf("met");
    state.text = `${state.text.slice(0, at)}x${state.text.slice(at)}`;
    const read = vi.fn(() => state.text);
    preview.request("world/a.md", draftText(state.text.length, read), { from: at, to: at, insert: "x" });
    await vi.waitFor(() => expect(preview.pane.element.dataset.update).toBe("delta"));
    expect(preview.pane.iframe.contentDocument?.body.textContent).toContain("Delegates xmet.");
    expect(read).not.toHaveBeenCalled();
  });

  it("a module that fails is dropped for good: Rust renders from then on", async () => {
    const r = rust();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const broken = {
      render: () => {
        throw new WebAssembly.RuntimeError("unreachable");
      },
    } as unknown as PageRenderer;
    const { preview } = rig({ loadRenderer: async () => broken });
    preview.opened("world/a.md", TEXT);
    await settle(20);
    expect(preview.renderInPage("world/a.md", TEXT, false)).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(preview.renderInPage("world/a.md", TEXT, false)).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
    expect((await preview.check("world/a.md", "---\ntitle: [oops\n---\n")).error).toEqual({ line: 2, message: "bad" });
    expect(calls(r, "render_preview").at(-1)!.args).toEqual({ path: "world/a.md", text: "---\ntitle: [oops\n---\n" });
  });

  it("the remote images bar: loading them renders again with remote_images, is remembered, and follows a rename", async () => {
    const r = rust();
    const { preview, state } = rig();
    state.text = `${TEXT}![c](https://cdn.example/c.png)\n`;
    preview.opened("world/a.md", state.text);
    await vi.waitFor(() => expect(q("remote-images-bar").hidden).toBe(false));
    expect(preview.remoteAllowed("world/a.md")).toBe(false);
    q<HTMLButtonElement>("remote-images-toggle").click();
    await vi.waitFor(() => expect(calls(r, "render_preview").at(-1)!.args.remote_images).toBe(true));
    expect(preview.remoteAllowed("world/a.md")).toBe(true);
    preview.moved("world/a.md", "world/renamed.md");
    expect(preview.remoteAllowed("world/renamed.md")).toBe(true);
    expect(preview.remoteAllowed("world/a.md")).toBe(false);
    preview.closed();
    expect(q("remote-images-bar").hidden).toBe(true);
  });
});
