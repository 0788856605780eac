/**
 * CodeMirror is its own chunk, loaded with the first draft opened: the window with only the
 * drafts list does not parse or hold it.
 */
import { describe, expect, it, vi } from "vitest";
import type { App } from "../src/app";
import { MINSK_TEXT, opened, page, summary, workspace } from "./fixtures";
import { fakeIpc, settings, startApp, useWindowHarness } from "./harness";

function backend() {
  fakeIpc((cmd, args) => {
    switch (cmd) {
      case "get_settings":
        return settings({ user_name: "Ana Kovač", role: "editor" });
      case "open_workspace":
        return workspace();
      case "list_drafts":
        return page([summary()], args);
      case "read_draft":
        return opened();
      case "render_preview":
        return { html: "<article></article>", stats: { words: 4, characters: 20, reading_minutes: 1 }, error: null };
      default:
        return null;
    }
  });
}

useWindowHarness();

async function startedApp(loadEditor?: () => Promise<typeof import("../src/editor")>): Promise<{ app: App; mount: HTMLElement }> {
  backend();
  return startApp({ loadRenderer: async () => null, loadEditor });
}

const openMinsk = (mount: HTMLElement) => mount.querySelector<HTMLElement>('[data-testid="draft-item"][data-path="world/minsk.md"] button')!.click();

describe("the editor, loaded with the first draft opened", () => {
  it("is not there while only the list is shown, and is there once a draft opens", async () => {
    const { app, mount } = await startedApp();
    expect(mount.querySelectorAll('[data-testid="draft-item"]')).toHaveLength(1);
    expect(mount.querySelector(".cm-editor")).toBeNull();
    expect(() => app.editor).toThrow(/before the first draft/);
    // what works without a draft does not need it
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "e", ctrlKey: true, bubbles: true }));
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "b", ctrlKey: true, bubbles: true }));
    openMinsk(mount);
    await vi.waitFor(() => expect(app.current).not.toBeNull());
    expect(mount.querySelectorAll('[data-testid="editor"] .cm-editor')).toHaveLength(1);
    expect(app.editor.getText()).toBe(MINSK_TEXT);
    expect(app.editor.initials).toBe("AK");
  });

  it("takes suggest mode turned on before it loaded", async () => {
    const { app, mount } = await startedApp();
    mount.querySelector<HTMLElement>('[data-testid="suggest-toggle"]')!.click();
    openMinsk(mount);
    await vi.waitFor(() => expect(app.current).not.toBeNull());
    expect(app.editor.suggesting).toBe(true);
    const end = app.editor.view.state.doc.length;
    app.editor.view.dispatch({ changes: { from: end, insert: "X" }, selection: { anchor: end + 1 }, userEvent: "input.type" });
    // signed with the initials of the settings' name, as every suggestion is
    expect(app.editor.getText().endsWith("{++X++}{>>AK:<<}")).toBe(true);
  });

  it("is loaded again on the next open when loading it failed", async () => {
    let failures = 1;
    const loadEditor = () => (failures-- > 0 ? Promise.reject(new Error("editor-1234.js could not be loaded")) : import("../src/editor"));
    const { app, mount } = await startedApp(loadEditor);
    openMinsk(mount);
    const banner = mount.querySelector<HTMLElement>('[data-testid="error-banner"]')!;
    await vi.waitFor(() => expect(banner.hidden).toBe(false));
    expect(banner.textContent).toMatch(/could not be loaded/);
    expect(app.current).toBeNull();
    openMinsk(mount);
    await vi.waitFor(() => expect(app.current).not.toBeNull());
    expect(app.editor.getText()).toBe(MINSK_TEXT);
  });
});
