import { describe, expect, it, vi } from "vitest";
import { emit } from "@tauri-apps/api/event";
import { undo } from "@codemirror/commands";
import type { App } from "../src/app";
import type { PageRenderer } from "../src/pageRenderer";
import type { SaveOutcome } from "../src/ipc";
import { MINSK_TEXT, opened, page, summary, workspace } from "./fixtures";
import { type FakeIpc, calls, disposeApp, fakeIpc, openFromList, realRenderer, settings, startApp, typeAtEnd, useWindowHarness } from "./harness";

// No system chooser in these tests: Export falls back to its typed-path dialog, which they
// drive (ui/test/choosers.test.ts covers the chooser itself).
vi.mock("../src/chooser", async (actual) => ({ ...(await actual<object>()), chooseSaveFile: async () => ({ kind: "unavailable", reason: "no chooser in tests" }) }));

interface Backend extends FakeIpc {
  disk: { text: string; hash: string };
  saveAnswer?: (args: Record<string, unknown>) => SaveOutcome;
}

function backend(): Backend {
  let n = 0;
  const b: Backend = Object.assign(
    fakeIpc((cmd, args) => {
      switch (cmd) {
        case "get_settings":
          return settings();
        case "open_workspace":
          return workspace();
        case "list_drafts":
          return page([summary()], args);
        case "read_draft":
          if (args.path === "gone.md") throw { code: "not_found", message: "gone.md: no such draft" };
          return opened({ text: b.disk.text, hash: b.disk.hash });
        case "search_drafts":
          return [
            { draft: summary({ path: "world/ferries.md", title: "Ferries late" }), snippet: "" },
            { draft: summary({ path: "world/other.md", title: "Other talks" }), snippet: "" },
          ];
        case "render_preview": {
          // a draft naming cdn.example has two remote images, held back unless asked
          const held = String(args.text).includes("https://cdn.example/") && !args.remote_images;
          return {
            html: `<article class="nr-article"><div class="nr-body"><p>${String(args.text).length}</p></div></article>`,
            stats: { words: 4, characters: 20, reading_minutes: 1 },
            error: null,
            ...(held ? { remote_images: ["cdn.example"], remote_image_count: 2 } : { remote_images: [], remote_image_count: 0 }),
          };
        }
        case "save_draft": {
          if (b.saveAnswer) return b.saveAnswer(args);
          b.disk = { text: String(args.text), hash: `h${++n}` };
          return { kind: "saved", hash: b.disk.hash, path: args.path };
        }
        case "diff_text":
          // the core's answer for "Their first paragraph." → "First paragraph." plus a new line
          return [
            { tag: "equal", text: "---", words: [] },
            {
              tag: "delete",
              text: "Their first paragraph.",
              words: [
                { changed: true, text: "Their first" },
                { changed: false, text: " paragraph." },
              ],
            },
            {
              tag: "insert",
              text: "First paragraph.",
              words: [
                { changed: true, text: "First" },
                { changed: false, text: " paragraph." },
              ],
            },
            { tag: "insert", text: "Mine.", words: [] },
          ];
        case "resolve_conflict": {
          if (args.keep === "mine") b.disk = { text: String(args.mine), hash: `h${++n}` };
          return { kind: "saved", hash: b.disk.hash, path: args.path };
        }
        case "update_front_matter": {
          const changes = args.changes as Record<string, unknown>;
          let text = String(args.text);
          if ("status" in changes) throw { code: "invalid_argument", message: "the status changes through the review workflow" };
          if ("title" in changes) text = text.replace(/title: .*/, `title: ${String(changes.title)}`);
          if ("tags" in changes) text = text.replace(/tags: .*/, `tags: [${(changes.tags as string[]).join(", ")}]`);
          return text;
        }
        case "list_revisions":
          return [
            { id: 2, hash: "r2", created_ms: Date.now() - 60_000, source: "save", bytes: 10, words: 2 },
            { id: 1, hash: "r1", created_ms: Date.now() - 3_600_000, source: "external", bytes: 8, words: 1 },
          ];
        case "revision_diff":
          return [
            { tag: "equal", text: "---" },
            { tag: "delete", text: "Old line" },
            { tag: "insert", text: "New line" },
          ];
        case "export_suggestion":
          return `/home/ana/Documents/${String(args.path).split("/").pop()!.replace(/\.md$/, "")}.html`;
        case "review_transitions":
          return args.status === "draft" ? [{ from: "draft", to: "in-review", action: "submit", label: "Submit for review" }] : [];
        case "review_transition": {
          b.disk = { text: b.disk.text.replace(/status: .*/, `status: ${String(args.to)}`), hash: `h${++n}` };
          return opened({ text: b.disk.text, hash: b.disk.hash, summary: summary({ status: args.to as never }) });
        }
        case "restore_revision":
          b.disk = { text: "Restored text\n", hash: "hr" };
          return { kind: "saved", hash: "hr", path: args.path };
        default:
          return null;
      }
    }),
    { disk: { text: MINSK_TEXT, hash: "h0" } },
  );
  return b;
}

useWindowHarness();

async function started() {
  const b = backend();
  const { app, mount } = await startApp();
  await openFromList(app);
  return { app, b, mount };
}

const type = (app: App, text: string) => typeAtEnd(app.editor, text);

describe("the window", () => {
  it("opens a draft from the list into the editor, with spell checking on", async () => {
    const { app, mount, b } = await started();
    expect(app.editor.getText()).toBe(MINSK_TEXT);
    // the whole body goes to the core's checker (WebKit's own, which marks only words typed, is off there)
    await vi.waitFor(() => expect(calls(b, "spell_check").length).toBe(1));
    expect(MINSK_TEXT.endsWith(calls(b, "spell_check")[0].args.text as string)).toBe(true);
    expect(calls(b, "spell_check")[0].args.text).not.toContain("---");
    expect(mount.querySelector('[data-testid="editor"] .cm-content')!.getAttribute("spellcheck")).toBe("false");
    expect(mount.querySelector('[data-testid="save-state"]')!.textContent).toBe("Saved");
    expect(calls(b, "read_draft")[0].args).toEqual({ path: "world/minsk.md" });
    expect(mount.querySelector<HTMLSelectElement>('[data-testid="status-select"]')!.value).toBe("draft");
  });

  it("autosaves with base_hash from the read, then from each save", async () => {
    const { app, b, mount } = await started();
    vi.useFakeTimers();
    type(app, "Third.");
    expect(mount.querySelector('[data-testid="save-state"]')!.textContent).toBe("Unsaved");
    await vi.advanceTimersByTimeAsync(800);
    expect(calls(b, "save_draft").map((c) => c.args.base_hash)).toEqual(["h0"]);
    type(app, " More.");
    await vi.advanceTimersByTimeAsync(800);
    expect(calls(b, "save_draft").map((c) => c.args.base_hash)).toEqual(["h0", "h1"]);
    expect(calls(b, "save_draft")[1].args.text).toBe(`${MINSK_TEXT}Third. More.`);
    expect(mount.querySelector('[data-testid="save-state"]')!.textContent).toBe("Saved");
  });

  it("Ctrl+S saves at once", async () => {
    const { app, b } = await started();
    type(app, "x");
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "s", code: "KeyS", ctrlKey: true, bubbles: true, cancelable: true }));
    await vi.waitFor(() => expect(calls(b, "save_draft")).toHaveLength(1));
  });

  it("reloads a clean draft changed on disk, keeping the cursor", async () => {
    const { app, b } = await started();
    // in the body: the front matter is folded, the caret cannot be in it
    const at = MINSK_TEXT.indexOf("First") + 3;
    app.editor.view.dispatch({ selection: { anchor: at } });
    b.disk = { text: MINSK_TEXT.replace("Second", "Updated second"), hash: "h9" };
    await emit("drafts-changed", { changes: [{ kind: "changed", path: "world/minsk.md", from: null, summary: null, previous_status: null }] });
    await vi.waitFor(() => expect(app.editor.getText()).toContain("Updated second"));
    expect(app.editor.view.state.selection.main.head).toBe(at);
    expect(app.current!.session.baseHash).toBe("h9");
    expect(calls(b, "save_draft")).toHaveLength(0);
  });

  it("with unsaved edits shows the conflict banner; Keep mine resolves with my text", async () => {
    const { app, b, mount } = await started();
    type(app, "Mine.");
    await emit("drafts-changed", { changes: [{ kind: "changed", path: "world/minsk.md", from: null, summary: null, previous_status: null }] });
    const banner = mount.querySelector<HTMLElement>('[data-testid="conflict-banner"]')!;
    await vi.waitFor(() => expect(banner.hidden).toBe(false));
    expect(banner.textContent).toContain("‘Minsk talks stall’ changed on disk.");
    expect(mount.querySelector('[data-testid="save-state"]')!.textContent).toBe("Conflict");
    banner.querySelector<HTMLButtonElement>('[data-testid="keep-mine"]')!.click();
    await vi.waitFor(() => expect(banner.hidden).toBe(true));
    expect(calls(b, "resolve_conflict")[0].args).toEqual({ path: "world/minsk.md", keep: "mine", mine: `${MINSK_TEXT}Mine.` });
    expect(calls(b, "save_draft")).toHaveLength(0);
    expect(mount.querySelector('[data-testid="save-state"]')!.textContent).toBe("Saved");
  });

  it("a save answered with a conflict shows the banner; Take theirs loads their text", async () => {
    const { app, b, mount } = await started();
    b.saveAnswer = (args) => ({ kind: "conflict", path: String(args.path), kept_as: "world/minsk.conflict.md", their_hash: "ht" });
    b.disk = { text: "Their text\n", hash: "ht" };
    type(app, "Mine.");
    await app.saveNow();
    const banner = mount.querySelector<HTMLElement>('[data-testid="conflict-banner"]')!;
    expect(banner.hidden).toBe(false);
    expect(banner.textContent).toContain("world/minsk.conflict.md");
    banner.querySelector<HTMLButtonElement>('[data-testid="take-theirs"]')!.click();
    await vi.waitFor(() => expect(app.editor.getText()).toBe("Their text\n"));
    expect(calls(b, "resolve_conflict")[0].args).toMatchObject({ keep: "theirs", mine: `${MINSK_TEXT}Mine.` });
    expect(banner.hidden).toBe(true);
    expect(app.current!.session.baseHash).toBe("ht");
  });

  it("Compare shows a diff of theirs against mine", async () => {
    const { app, b, mount } = await started();
    type(app, "Mine.");
    b.disk = { text: MINSK_TEXT.replace("First", "Their first"), hash: "h5" };
    await emit("drafts-changed", { changes: [{ kind: "changed", path: "world/minsk.md", from: null, summary: null, previous_status: null }] });
    await vi.waitFor(() => expect(mount.querySelector<HTMLElement>('[data-testid="conflict-banner"]')!.hidden).toBe(false));
    mount.querySelector<HTMLButtonElement>('[data-testid="compare"]')!.click();
    const dialog = await vi.waitFor(() => {
      const d = document.querySelector('[data-testid="compare-dialog"]');
      expect(d).not.toBeNull();
      return d!;
    });
    // the core diffs (no diff in the page): disk's text against the editor's
    expect(calls(b, "diff_text")[0].args).toEqual({ old: MINSK_TEXT.replace("First", "Their first"), new: `${MINSK_TEXT}Mine.` });
    expect(Array.from(dialog.querySelectorAll(".diff-del")).map((e) => e.textContent)).toEqual(["−Their first paragraph."]);
    expect(Array.from(dialog.querySelectorAll(".diff-ins")).map((e) => e.textContent)).toEqual(["+First paragraph.", "+Mine."]);
    // within a changed line only the changed words are marked; a new line is wholly new
    expect(Array.from(dialog.querySelectorAll("mark.diff-word")).map((e) => e.textContent)).toEqual(["Their first", "First"]);
    expect(dialog.querySelector(".diff-ins:last-child mark")).toBeNull();
  });

  it("metadata changes go through update_front_matter as one undoable edit, then autosave", async () => {
    const { app, b, mount } = await started();
    vi.useFakeTimers();
    const title = mount.querySelector<HTMLInputElement>('[data-testid="meta-title"]')!;
    title.value = "Minsk talks resume";
    title.dispatchEvent(new Event("change"));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls(b, "update_front_matter")[0].args).toEqual({ text: MINSK_TEXT, changes: { title: "Minsk talks resume" } });
    expect(app.editor.getText()).toContain("title: Minsk talks resume");
    await vi.advanceTimersByTimeAsync(800);
    expect(calls(b, "save_draft")).toHaveLength(1);
    expect(calls(b, "save_draft")[0].args.text).toContain("title: Minsk talks resume");
    undo(app.editor.view);
    expect(app.editor.getText()).toBe(MINSK_TEXT);
  });

  it("Export suggests the documents folder, never the shared drafts folder", async () => {
    const { b } = await started();
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "e", ctrlKey: true, altKey: true, bubbles: true }));
    await vi.waitFor(() => expect(document.querySelector('[data-testid="export-path"]')).not.toBeNull());
    expect(calls(b, "export_suggestion")[0].args).toEqual({ path: "world/minsk.md" });
    const input = document.querySelector<HTMLInputElement>('[data-testid="export-path"]')!;
    expect(input.value).toBe("/home/ana/Documents/minsk.html");
    expect(input.value.startsWith("/srv/newsroom/drafts")).toBe(false);
  });

  it("remote images held back show the bar; loading them is remembered for this draft and follows into export", async () => {
    const { app, mount, b } = await started();
    const bar = mount.querySelector<HTMLElement>('[data-testid="remote-images-bar"]')!;
    expect(bar.hidden).toBe(true);
    expect(bar.closest(".preview-pane")).not.toBeNull();
    expect(bar.closest("iframe")).toBeNull();
    type(app, "\n![Chart](https://cdn.example/c.png) ![x](https://cdn.example/x.png)\n");
    await vi.waitFor(() => expect(bar.hidden).toBe(false));
    expect(bar.textContent).toContain("2 remote images not loaded (from cdn.example) — they would tell that server who opened this draft");
    expect(calls(b, "render_preview").every((c) => !("remote_images" in c.args))).toBe(true);
    bar.querySelector("button")!.click();
    await vi.waitFor(() => expect(calls(b, "render_preview").at(-1)!.args.remote_images).toBe(true));
    await vi.waitFor(() => expect(bar.textContent).toContain("Remote images load for this draft."));
    expect(JSON.parse(localStorage.getItem("newsroom.remoteImages")!)).toEqual(["world/minsk.md"]);
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "e", ctrlKey: true, altKey: true, bubbles: true }));
    await vi.waitFor(() => expect(document.querySelector('[data-testid="export-path"]')).not.toBeNull());
    document.querySelector<HTMLFormElement>('[data-testid="export-path"]')!.form!.requestSubmit();
    await vi.waitFor(() => expect(calls(b, "export_html")).toHaveLength(1));
    expect(calls(b, "export_html")[0].args.remote_images).toBe(true);
    // taken back: held again, and forgotten
    bar.querySelector("button")!.click();
    await vi.waitFor(() => expect(bar.textContent).toContain("2 remote images not loaded"));
    expect(calls(b, "render_preview").at(-1)!.args).not.toHaveProperty("remote_images");
    expect(JSON.parse(localStorage.getItem("newsroom.remoteImages")!)).toEqual([]);
  });

  it("the Status control makes a workflow move for this draft, never a front-matter edit", async () => {
    const { app, b, mount } = await started();
    const status = mount.querySelector<HTMLSelectElement>('[data-testid="status-select"]')!;
    await vi.waitFor(() => expect(Array.from(status.options).map((o) => o.value)).toEqual(["draft", "in-review"]));
    expect(calls(b, "review_transitions").at(-1)!.args).toEqual({ status: "draft", path: "world/minsk.md" });
    status.value = "in-review";
    status.dispatchEvent(new Event("change"));
    await vi.waitFor(() => expect(calls(b, "review_transition")).toHaveLength(1));
    expect(calls(b, "review_transition")[0].args).toEqual({ path: "world/minsk.md", to: "in-review", note: null });
    expect(calls(b, "update_front_matter")).toHaveLength(0);
    await vi.waitFor(() => expect(app.editor.getText()).toContain("status: in-review"));
  });

  it("adding a tag chip sends the whole tag list", async () => {
    const { app, b, mount } = await started();
    const input = mount.querySelector<HTMLInputElement>('[data-testid="tag-input"]')!;
    input.value = "Rus";
    input.dispatchEvent(new Event("input"));
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
    await vi.waitFor(() => expect(calls(b, "update_front_matter")).toHaveLength(1));
    expect(calls(b, "update_front_matter")[0].args.changes).toEqual({ tags: ["Belarus", "Russia"] });
    await vi.waitFor(() => expect(app.editor.getText()).toContain("tags: [Belarus, Russia]"));
  });

  it("a draft with an error opens as plain text with the error banner and is not rewritten", async () => {
    const b = backend();
    const { app, mount } = await startApp();
    const bad = opened({ path: "world/x.md", text: "---\nstatus: live\n---\nBody\n", summary: summary({ path: "world/x.md", error: { line: 2, message: "unknown status `live`" } }) });
    await app.document.openNew(bad);
    const banner = mount.querySelector<HTMLElement>('[data-testid="draft-error-banner"]')!;
    expect(banner.hidden).toBe(false);
    expect(banner.textContent).toContain("world/x.md:2: unknown status `live`");
    await app.saveNow();
    await app.closeCurrent();
    expect(calls(b, "save_draft")).toHaveLength(0);
  });

  it("pasting an image imports it and inserts the returned Markdown", async () => {
    const { app, b } = await started();
    b.answer = (cmd) => {
      if (cmd === "render_preview") return { html: "", stats: { words: 0, characters: 0, reading_minutes: 0 }, error: null };
      return cmd === "import_image" ? "![](images/photo.png)" : null;
    };
    app.editor.view.dispatch({ selection: { anchor: app.editor.view.state.doc.length } });
    const file = new File([new Uint8Array([137, 80, 78, 71])], "photo.png", { type: "image/png" });
    const event = new Event("paste", { bubbles: true, cancelable: true }) as ClipboardEvent;
    Object.defineProperty(event, "clipboardData", { value: { files: [file], types: ["Files"], getData: () => "" } });
    app.editor.view.contentDOM.dispatchEvent(event);
    await vi.waitFor(() => expect(app.editor.getText().endsWith("![](images/photo.png)")).toBe(true));
    expect(calls(b, "import_image")[0].args).toEqual({ draft_path: "world/minsk.md", file_name: "photo.png", bytes: [137, 80, 78, 71] });
  });

  it("New draft asks a title and opens what new_draft returns", async () => {
    const { app, b } = await started();
    b.answer = (cmd, args) => {
      if (cmd === "new_draft") return opened({ path: "talks.md", text: "---\ntitle: Talks\n---\n", hash: "n1", summary: summary({ path: "talks.md", title: "Talks" }) });
      if (cmd === "list_drafts") return page([summary({ path: "talks.md", title: "Talks" })], args);
      if (cmd === "render_preview") return { html: "", stats: { words: 0, characters: 0, reading_minutes: 0 }, error: null };
      return null;
    };
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "n", code: "KeyN", ctrlKey: true, bubbles: true, cancelable: true }));
    const input = document.querySelector<HTMLInputElement>('[data-testid="new-draft-title"]')!;
    expect(input).not.toBeNull();
    input.value = "Talks";
    input.form!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(app.current?.session.path).toBe("talks.md"));
    expect(calls(b, "new_draft")[0].args).toEqual({ title: "Talks" });
    expect(app.editor.getText()).toBe("---\ntitle: Talks\n---\n");
  });

  it("the drafts list updates on drafts-changed", async () => {
    const { b } = await started();
    const before = calls(b, "list_drafts").length;
    await emit("drafts-changed", { changes: [{ kind: "created", path: "world/new.md", summary: summary({ path: "world/new.md", tags: ["Fresh"] }) }] });
    await vi.waitFor(() => expect(calls(b, "list_drafts").length).toBe(before + 1));
  });

  it("history lists revisions, shows the coloured diff and restores with the current base_hash", async () => {
    const { app, b } = await started();
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "H", code: "KeyH", ctrlKey: true, shiftKey: true, bubbles: true, cancelable: true }));
    const dialog = await vi.waitFor(() => {
      const d = document.querySelector('[data-testid="history-dialog"]');
      expect(d?.querySelectorAll('[data-testid="revision"]').length).toBe(2);
      return d!;
    });
    dialog.querySelector<HTMLButtonElement>('[data-testid="revision"][data-id="1"]')!.click();
    await vi.waitFor(() => expect(dialog.querySelector(".diff-del")?.textContent).toBe("−Old line"));
    expect(dialog.querySelector(".diff-ins")!.textContent).toBe("+New line");
    expect(calls(b, "revision_diff")[0].args).toEqual({ path: "world/minsk.md", id: 1, text: MINSK_TEXT });
    dialog.querySelector<HTMLButtonElement>('[data-testid="restore-revision"]')!.click();
    await vi.waitFor(() => expect(app.editor.getText()).toBe("Restored text\n"));
    expect(calls(b, "restore_revision")[0].args).toEqual({ path: "world/minsk.md", id: 1, base_hash: "h0" });
    expect(app.current!.session.baseHash).toBe("hr");
    expect(app.current!.session.isDirty()).toBe(false);
    expect(calls(b, "save_draft")).toHaveLength(0);
  });

  it("the command palette lists every action with its shortcut and runs the chosen one", async () => {
    const { app } = await started();
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "P", code: "KeyP", ctrlKey: true, shiftKey: true, bubbles: true, cancelable: true }));
    const palette = document.querySelector('[data-testid="command-palette"]')!;
    const labels = Array.from(palette.querySelectorAll(".picker-item")).map((li) => li.textContent);
    expect(labels).toContain("BoldCtrl+B");
    expect(labels).toContain("New draftCtrl+N");
    expect(labels.length).toBe(app.actions.length - 1);
    const input = palette.querySelector("input")!;
    input.value = "bold";
    input.dispatchEvent(new Event("input"));
    app.editor.view.dispatch({ selection: { anchor: MINSK_TEXT.indexOf("First"), head: MINSK_TEXT.indexOf("First") + 5 } });
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
    expect(app.editor.getText()).toContain("**First** paragraph.");
  });

  it("Ctrl+P lists the newest drafts from one small page and finds the others through the index", async () => {
    const { b } = await started();
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "p", code: "KeyP", ctrlKey: true, bubbles: true, cancelable: true }));
    const picker = await vi.waitFor(
      () => {
        const d = document.querySelector('[data-testid="quick-open"]');
        expect(d?.querySelectorAll(".picker-item").length).toBe(1);
        return d!;
      },
      { timeout: 5000 },
    );
    // the palette's own small page (the list may fetch its pages around it, in any order)
    expect(calls(b, "list_drafts").map((c) => c.args)).toContainEqual({ filter: {}, offset: 0, limit: 50 });
    const input = picker.querySelector("input")!;
    input.value = "talks";
    input.dispatchEvent(new Event("input"));
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
    // Enter waits for the answer to what was typed; titles with the words come first
    await vi.waitFor(() => expect(calls(b, "read_draft").at(-1)!.args).toEqual({ path: "world/other.md" }), { timeout: 5000 });
    expect(calls(b, "search_drafts").at(-1)!.args).toEqual({ query: "talks", filter: {} });
  });

  it("reopens the last draft by its path on start, quietly when it is gone", async () => {
    backend();
    localStorage.setItem("newsroom.lastDraft", "world/minsk.md");
    const { app, mount } = await startApp();
    expect(app.current?.session.path).toBe("world/minsk.md");
    disposeApp(app);

    const b = backend();
    localStorage.setItem("newsroom.lastDraft", "gone.md");
    const { app: again } = await startApp({ mount });
    expect(calls(b, "read_draft").map((c) => c.args.path)).toEqual(["gone.md"]);
    expect(again.current).toBeNull();
    expect(mount.querySelector<HTMLElement>('[data-testid="error-banner"]')!.hidden).toBe(true);
  });

  it("a review notification opens its draft by path, loaded in the list or not", async () => {
    const { app, b } = await started();
    app.notifications.notify({ path: "deep/page-40.md", message: "Edith Moreau approved ‘Deep’" });
    document.querySelector<HTMLElement>('[data-testid="toast"]')!.click();
    await vi.waitFor(() => expect(calls(b, "read_draft").at(-1)!.args).toEqual({ path: "deep/page-40.md" }));
  });

  it("a draft deleted on disk shows the banner: Keep mine saves it again, Close closes without writing", async () => {
    const { app, b, mount } = await started();
    type(app, "Mine.");
    await emit("drafts-changed", { changes: [{ kind: "deleted", path: "world/minsk.md" }] });
    const banner = mount.querySelector<HTMLElement>('[data-testid="conflict-banner"]')!;
    await vi.waitFor(() => expect(banner.hidden).toBe(false));
    expect(banner.textContent).toContain("‘Minsk talks stall’ was deleted on disk.");
    expect(mount.querySelector<HTMLElement>('[data-testid="take-theirs"]')!.hidden).toBe(true);
    mount.querySelector<HTMLButtonElement>('[data-testid="keep-mine"]')!.click();
    await vi.waitFor(() => expect(banner.hidden).toBe(true));
    expect(calls(b, "resolve_conflict")[0].args).toEqual({ path: "world/minsk.md", keep: "mine", mine: `${MINSK_TEXT}Mine.` });

    await emit("drafts-changed", { changes: [{ kind: "deleted", path: "world/minsk.md" }] });
    await vi.waitFor(() => expect(banner.hidden).toBe(false));
    mount.querySelector<HTMLButtonElement>('[data-testid="close-draft"]')!.click();
    await vi.waitFor(() => expect(app.current).toBeNull());
    expect(calls(b, "resolve_conflict")).toHaveLength(1);
    expect(calls(b, "save_draft")).toHaveLength(0);
  });

  it("a late reload of the previous draft never lands in the next one", async () => {
    const { app, b } = await started();
    let release: (v: unknown) => void = () => {};
    b.answer = (cmd, args) => {
      if (cmd === "read_draft" && args.path === "world/minsk.md") return new Promise((r) => (release = r));
      if (cmd === "read_draft") return opened({ path: "b.md", text: "B text\n", hash: "hb", summary: summary({ path: "b.md", title: "B" }) });
      if (cmd === "render_preview") return { html: "", stats: { words: 0, characters: 0, reading_minutes: 0 }, error: null };
      return null;
    };
    // (delivered by hand: the reload must start before the next draft opens)
    void app.onDraftsChanged({ changes: [{ kind: "changed", path: "world/minsk.md", from: null, summary: null, previous_status: null }] });
    await vi.waitFor(() => expect(calls(b, "read_draft").length).toBe(2)); // the open + the reload
    await app.openDraft(summary({ path: "b.md", title: "B" }));
    expect(app.editor.getText()).toBe("B text\n");
    release(opened({ text: "Minsk, changed on disk\n", hash: "h9" }));
    await new Promise((r) => setTimeout(r, 20));
    expect(app.editor.getText()).toBe("B text\n");
    expect(calls(b, "save_draft")).toHaveLength(0);
  });
});

describe("preview rendered in the page", () => {
  async function startedWith(load: () => Promise<PageRenderer | null>) {
    const b = backend();
    const { app, mount } = await startApp({ loadRenderer: load });
    await openFromList(app);
    return { app, b, mount };
  }

  it("renders keystrokes with the core's WebAssembly renderer once loaded, without asking Rust", async () => {
    let loaded = 0;
    let compiled = false;
    const { app, b, mount } = await startedWith(async () => {
      loaded++;
      const renderer = await realRenderer();
      compiled = true;
      return renderer;
    });
    // the first draft's preview may come from Rust while the module loads (compiling it
    // takes longer than 50 ms on a busy machine)
    await vi.waitFor(() => expect(loaded).toBe(1));
    await vi.waitFor(() => expect(compiled).toBe(true), { timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 50));
    const before = calls(b, "render_preview").length;
    type(app, "\n\nA paragraph typed in the page.");
    const preview = mount.querySelector<HTMLElement>(".preview")!;
    await vi.waitFor(() => expect(preview.dataset.renderer).toBe("page"));
    expect(calls(b, "render_preview").length).toBe(before);
    expect(loaded).toBe(1);
  });

  it("falls back to Rust for good when the module fails", async () => {
    const broken = {
      render: () => {
        throw new WebAssembly.RuntimeError("unreachable");
      },
    } as unknown as PageRenderer;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { app, b, mount } = await startedWith(async () => broken);
    await new Promise((r) => setTimeout(r, 50));
    const before = calls(b, "render_preview").length;
    type(app, "x");
    await vi.waitFor(() => expect(calls(b, "render_preview").length).toBe(before + 1));
    await vi.waitFor(() => expect(mount.querySelector<HTMLElement>(".preview")!.dataset.renderer).toBe("rust"));
    expect(warn).toHaveBeenCalled();
  });

  it("asks Rust when the module could not be loaded", async () => {
    const { app, b } = await startedWith(async () => null);
    await new Promise((r) => setTimeout(r, 50));
    const before = calls(b, "render_preview").length;
    type(app, "y");
    await vi.waitFor(() => expect(calls(b, "render_preview").length).toBe(before + 1));
  });
});

describe("boot data handed over before the script runs", () => {
  it("shows the folder and applies the settings without asking over IPC", async () => {
    const b = backend();
    window.__newsroomBoot = {
      workspace: workspace(),
      error: null,
      settings: {
        user_name: "Boris",
        user_email: "",
        role: "editor",
        categories: [],
        recent_folders: [],
        last_folder: null,
        theme: "system",
        watch: "auto",
        sync_auto: true,
        sync_interval_minutes: 5,
      },
    };
    const { app, mount } = await startApp();
    expect(mount.querySelector('[data-testid="draft-item"][data-path="world/minsk.md"]')).not.toBeNull();
    expect(calls(b, "open_workspace")).toHaveLength(0);
    expect(calls(b, "get_settings")).toHaveLength(0);
    expect(app.settings.user_name).toBe("Boris");
    expect(document.documentElement.dataset.boot).toBe("script");
    expect(window.__newsroomBoot).toBeUndefined(); // taken once: reopening asks over IPC
  });

  it("reports the app's error opening the folder as start() did over IPC", async () => {
    backend();
    window.__newsroomBoot = {
      workspace: null,
      error: { code: "not_found", message: "/gone: no such draft" },
      settings: { user_name: "", user_email: "", role: "reporter", categories: [], recent_folders: [], last_folder: null, theme: "system", watch: "auto", sync_auto: true, sync_interval_minutes: 5 },
    };
    const { app } = await startApp({ start: false });
    await expect(app.start()).rejects.toMatchObject({ code: "not_found" });
  });

  it("asks over IPC when the app handed nothing over", async () => {
    const { b } = await started();
    expect(calls(b, "open_workspace")).toHaveLength(1);
    expect(document.documentElement.dataset.boot).toBe("ipc");
  });
});
