// The document controller on its own: the real editor and window parts around the fake IPC.
import { describe, expect, it, vi } from "vitest";
import { undo } from "@codemirror/commands";
import { LAST_DRAFT_KEY } from "../src/documentController";
import type { OpenedDraft } from "../src/ipc";
import { MINSK_TEXT, opened, summary } from "./fixtures";
import { type FakeIpc, calls, documentRig, fakeIpc, q, typeAtEnd, useWindowHarness } from "./harness";

useWindowHarness();

interface Disk extends FakeIpc {
  files: Record<string, { text: string; hash: string }>;
}

/** A folder of two drafts that saves, reads and edits front matter the way the core does. */
function disk(): Disk {
  let n = 0;
  const d: Disk = Object.assign(
    fakeIpc(() => null),
    { files: { "world/minsk.md": { text: MINSK_TEXT, hash: "h0" }, "b.md": { text: "---\ntitle: B\n---\nB body\n", hash: "b0" } } },
  );
  d.answer = (cmd, args) => {
    const path = String(args.path ?? "");
    switch (cmd) {
      case "read_draft":
        if (!d.files[path]) throw { code: "not_found", message: `${path}: no such draft` };
        return opened({ path, ...d.files[path], summary: summary({ path }) }) satisfies OpenedDraft;
      case "save_draft":
        d.files[path] = { text: String(args.text), hash: `s${++n}` };
        return { kind: "saved", hash: d.files[path].hash, path };
      case "update_front_matter":
        return String(args.text).replace(/title: .*/, `title: ${String((args.changes as { title: string }).title)}`);
      default:
        return null;
    }
  };
  return d;
}

describe("the document controller", () => {
  it("opens a draft by its path: the editor has the file, the preview renders it, the lock is held, it is remembered", async () => {
    const d = disk();
    const { doc, preview } = documentRig();
    await doc.openPath("world/minsk.md");
    expect(doc.current?.session.path).toBe("world/minsk.md");
    expect(doc.editor.getText()).toBe(MINSK_TEXT);
    expect(preview.asked).toEqual(["opened world/minsk.md"]);
    expect(calls(d, "lock_hold")[0].args).toEqual({ path: "world/minsk.md" });
    expect(localStorage.getItem(LAST_DRAFT_KEY)).toBe("world/minsk.md");
    expect(doc.emptyState.hidden).toBe(true);
  });

  it("a draft that cannot be read is reported, unless asked quietly", async () => {
    disk();
    const { doc, parts } = documentRig();
    await doc.openPath("gone.md", true);
    expect(parts.errorBanner.element.hidden).toBe(true);
    await doc.openPath("gone.md");
    expect(parts.errorBanner.element.textContent).toContain("gone.md: no such draft");
    expect(doc.current).toBeNull();
  });

  it("autosaves typing with the base hash of the read, and tells the drafts list", async () => {
    const d = disk();
    const { doc, listChanges } = documentRig();
    await doc.openPath("world/minsk.md");
    vi.useFakeTimers();
    typeAtEnd(doc.editor, "Third.");
    expect(q("save-state").textContent).toBe("Unsaved");
    await vi.advanceTimersByTimeAsync(800);
    expect(calls(d, "save_draft").map((c) => c.args)).toEqual([{ path: "world/minsk.md", text: `${MINSK_TEXT}Third.`, base_hash: "h0" }]);
    expect(q("save-state").textContent).toBe("Saved");
    expect(listChanges).toHaveLength(1);
  });

  it("a front matter change goes through update_front_matter and is one undoable step", async () => {
    const d = disk();
    const { doc } = documentRig();
    await doc.openPath("world/minsk.md");
    await doc.changeFrontMatter({ title: "Talks resume" });
    expect(calls(d, "update_front_matter")[0].args).toEqual({ text: MINSK_TEXT, changes: { title: "Talks resume" } });
    expect(doc.editor.getText()).toContain("title: Talks resume");
    undo(doc.editor.view);
    expect(doc.editor.getText()).toBe(MINSK_TEXT);
  });

  it("switching drafts saves the first, releases its lock and closes it", async () => {
    const d = disk();
    const { doc, preview, review } = documentRig();
    await doc.openPath("world/minsk.md");
    typeAtEnd(doc.editor, "Mine.");
    await doc.openPath("b.md");
    expect(calls(d, "save_draft").map((c) => c.args.path)).toEqual(["world/minsk.md"]);
    expect(d.files["world/minsk.md"].text).toBe(`${MINSK_TEXT}Mine.`);
    expect(calls(d, "lock_release")[0].args).toEqual({ path: "world/minsk.md" });
    expect(preview.asked).toEqual(["opened world/minsk.md", "request world/minsk.md", "closed", "opened b.md"]);
    expect(doc.editor.getText()).toBe(d.files["b.md"].text);
    // the front matter is read by the core's loader (here over the fake IPC): asynchronous
    await vi.waitFor(() => expect(review.shown.at(-1)).toBe("draft"));
  });

  it("before the window closes a failed save holds the close once, then lets it go", async () => {
    const d = disk();
    const { doc, parts } = documentRig();
    await doc.openPath("world/minsk.md");
    d.answer = (cmd) => {
      if (cmd === "save_draft") throw { code: "io", message: "disk full" };
      return null;
    };
    typeAtEnd(doc.editor, "x");
    expect(await doc.beforeClose()).toBe(false);
    expect(parts.errorBanner.element.textContent).toContain("Could not save before closing");
    expect(await doc.beforeClose()).toBe(true);
  });

  it("flushOrThrow refuses without a draft and in a conflict", async () => {
    disk();
    const { doc } = documentRig();
    await expect(doc.flushOrThrow()).rejects.toMatchObject({ code: "invalid_argument" });
    await doc.openPath("world/minsk.md");
    doc.current!.session.markConflict({ kind: "disk" });
    await expect(doc.flushOrThrow()).rejects.toMatchObject({ code: "conflict" });
  });
});

describe("the sidebar's front matter while typing", () => {
  it("is read again after a change to the front matter, not after keystrokes in the body", async () => {
    const d = disk();
    const { doc } = documentRig();
    await doc.openPath("world/minsk.md");
    const readsOf = (typed: string) => calls(d, "read_front_matter").filter((c) => String(c.args.text).includes(typed));
    vi.useFakeTimers();
    typeAtEnd(doc.editor, "Third.");
    typeAtEnd(doc.editor, " Fourth.");
    await vi.advanceTimersByTimeAsync(400);
    expect(readsOf("Fourth.")).toHaveLength(0);
    // a change at the start of the text reaches the front matter
    doc.editor.view.dispatch({ changes: { from: 4, insert: "x" }, userEvent: "input.type" });
    await vi.advanceTimersByTimeAsync(400);
    expect(readsOf("Fourth.")).toHaveLength(1);
  });
});
