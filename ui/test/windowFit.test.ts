// Issue 17's window: the document panel with no draft, a folder that cannot be opened,
// the toolbar's More menu, icons and relative times in the real App.
import { describe, expect, it, vi } from "vitest";
import { NO_DRAFT_HINT, folderProblem } from "../src/app";
import { DraftsPane } from "../src/draftsPane";
import { ipc } from "../src/ipc";
import { RELATIVE_REFRESH_MS } from "../src/time";
import { MINSK_TEXT, opened, page, summary, workspace } from "./fixtures";
import { type Call, fakeIpc, settings, startApp, useWindowHarness } from "./harness";

let calls: Call[] = [];

function backend() {
  calls = fakeIpc((cmd, args) => {
    switch (cmd) {
      case "get_settings":
        return settings();
      case "open_workspace":
        if (args.path === "/media/gone") throw { code: "not_found", message: "/media/gone: no such draft", file: "/media/gone" };
        if (args.path === "/root/secret") throw { code: "io", message: "/root/secret: Permission denied (os error 13)", file: "/root/secret" };
        return workspace();
      case "list_drafts":
        return page([summary()], args);
      case "read_draft":
        return opened({ text: MINSK_TEXT, hash: "h0" });
      case "render_preview":
        return { html: "<article></article>", stats: { words: 4, characters: 20, reading_minutes: 1 }, error: null };
      case "save_draft":
        return { kind: "saved", hash: "h1", path: args.path };
      default:
        return null;
    }
  }).calls;
}

useWindowHarness();

async function started() {
  backend();
  const { app, mount } = await startApp();
  return { app, mount, q: <T extends HTMLElement = HTMLElement>(id: string) => mount.querySelector<T>(`[data-testid="${id}"]`)! };
}

async function withDraft() {
  const s = await started();
  s.mount.querySelector<HTMLElement>('[data-testid="draft-item"][data-path="world/minsk.md"] button')!.click();
  await vi.waitFor(() => expect(s.app.current).not.toBeNull(), { timeout: 15_000 });
  return s;
}

describe("the document panel", () => {
  it("with no draft open is inert and hidden behind a short hint; a draft brings the form back", async () => {
    const { app, q } = await started();
    const panel = q("metadata-panel");
    expect(panel.hasAttribute("inert")).toBe(true);
    expect(panel.hidden).toBe(true);
    expect(q("metadata-hint").textContent).toBe(NO_DRAFT_HINT);
    expect(q("metadata-hint").hidden).toBe(false);

    app.drafts.element.querySelector<HTMLElement>('[data-testid="draft-item"] button')!.click();
    await vi.waitFor(() => expect(app.current).not.toBeNull(), { timeout: 15_000 }); // the editor chunk loads first (slow on a loaded machine)
    expect(panel.hasAttribute("inert")).toBe(false);
    expect(panel.hidden).toBe(false);
    expect(q("metadata-hint").hidden).toBe(true);

    await app.closeCurrent();
    expect(panel.hasAttribute("inert")).toBe(true);
    expect(q("metadata-hint").hidden).toBe(false);
  });
});

describe("opening a folder that is not there", () => {
  it("says which folder, and keeps the open folder and draft open", async () => {
    const { app } = await withDraft();
    const before = calls.length;
    await expect(app.openWorkspace("/media/gone")).rejects.toMatchObject({
      code: "not_found",
      message: "Could not open the folder /media/gone: it does not exist or cannot be reached",
    });
    expect(app.current?.session.path).toBe("world/minsk.md");
    expect(app.editor.getText()).toBe(MINSK_TEXT);
    expect(app.workspace?.root).toBe("/srv/newsroom/drafts");
    // the lock is let go in the old folder before the switch, and held again after the failure
    expect(calls.slice(before).map((c) => c.cmd)).toEqual(["lock_release", "open_workspace", "lock_hold"]);
    expect(calls.slice(before).find((c) => c.cmd === "lock_hold")!.args).toMatchObject({ path: "world/minsk.md" });
  });

  it("an unreadable folder gives the system's reason", async () => {
    const { app } = await withDraft();
    await expect(app.openWorkspace("/root/secret")).rejects.toMatchObject({ message: "Could not open the folder /root/secret: Permission denied (os error 13)" });
    expect(app.current).not.toBeNull();
  });

  it("a folder that opens closes the draft of the old one", async () => {
    const { app } = await withDraft();
    await app.openWorkspace("/srv/other");
    expect(app.current).toBeNull();
  });

  it("folderProblem names the folder from the error when no path was asked for (start-up)", () => {
    expect(folderProblem(undefined, { code: "not_found", message: "/x: no such draft", file: "/x" }).message).toBe("Could not open the folder /x: it does not exist or cannot be reached");
    expect(folderProblem(undefined, "boom").message).toBe("Could not open the folder the drafts folder: boom");
  });
});

describe("the toolbar", () => {
  it("has a More menu (hidden while everything fits) and the same buttons and test ids as before", async () => {
    const { q, mount } = await started();
    expect(q("toolbar-more")).not.toBeNull();
    for (const id of [
      "toolbar-history",
      "toolbar-export-html",
      "toolbar-copy-rich",
      "toolbar-settings",
      "toolbar-palette",
      "queue-open",
      "suggest-toggle",
      "publish-open",
      "toggle-drafts",
      "toggle-editor",
      "toggle-preview",
      "toggle-metadata",
    ]) {
      expect(mount.querySelector(`[data-testid="${id}"]`), id).not.toBeNull();
    }
  });

  it("Alt+3 still shows or hides the preview (a drawer at happy-dom's 1024 px)", async () => {
    const { app, q } = await started();
    const preview = q("pane-preview");
    expect(app.layout.placementOf("preview")).toBe("drawer");
    expect(preview.hidden).toBe(true);
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "3", code: "Digit3", altKey: true, bubbles: true }));
    expect(preview.hidden).toBe(false);
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "3", code: "Digit3", altKey: true, bubbles: true }));
    expect(preview.hidden).toBe(true);
  });

  it("in a narrow window the drafts are a drawer that closes when a draft is picked", async () => {
    const width = window.innerWidth;
    (window as unknown as { innerWidth: number }).innerWidth = 820;
    try {
      const { app, q } = await started();
      expect(app.layout.placementOf("drafts")).toBe("drawer");
      document.dispatchEvent(new KeyboardEvent("keydown", { key: "1", code: "Digit1", altKey: true, bubbles: true }));
      expect(q("pane-drafts").hidden).toBe(false);
      q("pane-drafts").querySelector<HTMLElement>('[data-testid="draft-item"] button')!.click();
      expect(q("pane-drafts").hidden).toBe(true);
      await vi.waitFor(() => expect(app.current).not.toBeNull(), { timeout: 15_000 });
    } finally {
      (window as unknown as { innerWidth: number }).innerWidth = width;
    }
  });

  it("the bell is an SVG icon with its count as text", async () => {
    const { app, q } = await started();
    const bell = q("notifications-bell");
    expect(bell.querySelector("svg[data-icon=bell]")).not.toBeNull();
    expect(bell.getAttribute("aria-label")).toBe("Review notifications");
    app.notifications.notify({ path: "world/minsk.md", message: "Changes requested", kind: "changes_requested" } as never);
    expect(bell.textContent).toBe("1");
    expect(bell.querySelector("svg")).not.toBeNull();
    expect(bell.getAttribute("aria-label")).toBe("Review notifications: 1 new");
  });
});

describe("the drafts list", () => {
  it("draws the published link and the queued clock as SVG", () => {
    const pane = new DraftsPane(ipc, { open: () => {}, newDraft: () => {}, error: () => {} });
    document.body.append(pane.element);
    pane.show([summary({ path: "a.md", portal_post_id: 7, portal_link: "https://x/7" } as never)]);
    pane.setOutbox([{ path: "a.md", state: "waiting", attempts: 1, last_error: null, portal: "p" } as never]);
    const link = pane.element.querySelector('[data-testid="published-link"]')!;
    expect(link.querySelector("svg[data-icon=link]")).not.toBeNull();
    expect(link.textContent).toBe("");
    expect(pane.element.querySelector('[data-testid="queued-badge"] svg[data-icon=clock]')).not.toBeNull();
    pane.dispose();
  });

  it("'5 min ago' moves on once a minute without a refresh", () => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse("2026-12-02T12:00:00Z"));
    const pane = new DraftsPane(ipc, { open: () => {}, newDraft: () => {}, error: () => {} });
    document.body.append(pane.element);
    pane.show([summary({ modified_ms: Date.now() - 5 * 60_000 })]);
    const time = () => pane.element.querySelector(".draft-time")!.textContent;
    expect(time()).toBe("5 min ago");
    vi.advanceTimersByTime(2 * RELATIVE_REFRESH_MS);
    expect(time()).toBe("7 min ago");
    pane.dispose();
    vi.advanceTimersByTime(5 * RELATIVE_REFRESH_MS);
    expect(time()).toBe("7 min ago");
  });
});
