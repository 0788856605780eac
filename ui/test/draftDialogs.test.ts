// The window's draft dialogs through the fake IPC: New draft, Ctrl+P, Export HTML.
import { describe, expect, it, vi } from "vitest";
import { ipc } from "../src/ipc";
import { DraftDialogs, QUICK_OPEN_LIMIT } from "../src/draftDialogs";
import { PreviewController } from "../src/previewController";
import { opened, page, summary } from "./fixtures";
import { calls, documentRig, fakeIpc, q, useWindowHarness } from "./harness";

// No system chooser in these tests: Export falls back to its typed-path dialog, which they
// drive (ui/test/choosers.test.ts covers the chooser itself).
vi.mock("../src/chooser", async (actual) => ({ ...(await actual<object>()), chooseSaveFile: async () => ({ kind: "unavailable", reason: "no chooser in tests" }) }));

useWindowHarness();

const NEW_TEXT = "---\ntitle: Talks\n---\n";

function folder() {
  return fakeIpc((cmd, args) => {
    switch (cmd) {
      case "new_draft":
        return opened({ path: "talks.md", text: NEW_TEXT, hash: "n1", summary: summary({ path: "talks.md", title: "Talks" }) });
      case "read_draft":
        return opened({ path: String(args.path) });
      case "list_drafts":
        return page([summary(), summary({ path: "world/ferries.md", title: "Ferries late" })], args);
      case "search_drafts":
        return [{ draft: summary({ path: "world/ferries.md", title: "Ferries late" }), snippet: "" }];
      case "export_suggestion":
        return "/home/ana/Documents/minsk.html";
      default:
        return null;
    }
  });
}

function rig() {
  const r = documentRig();
  const preview = new PreviewController({
    ipc,
    status: r.parts.status,
    loadRenderer: async () => null,
    openPath: () => null,
    text: () => "",
    bodyOffset: () => 0,
    editorTopLine: () => 0,
    scrollEditorTo: () => {},
    hidden: () => true,
    frontMatter: () => {},
    openExternal: () => {},
  });
  return { ...r, dialogs: new DraftDialogs({ ipc, doc: r.doc, drafts: r.parts.drafts, preview, status: r.parts.status }) };
}

describe("the draft dialogs", () => {
  it("New draft asks a title, makes the draft and opens it", async () => {
    const f = folder();
    const { doc, dialogs } = rig();
    dialogs.newDraft();
    const input = q<HTMLInputElement>("new-draft-title");
    input.value = "Talks";
    input.form!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(doc.current?.session.path).toBe("talks.md"));
    expect(calls(f, "new_draft")[0].args).toEqual({ title: "Talks" });
    expect(doc.editor.getText()).toBe(NEW_TEXT);
  });

  it("Ctrl+P lists one small page of the newest drafts, and asks the index for typed words", async () => {
    const f = folder();
    const { doc, dialogs } = rig();
    await dialogs.quickOpen();
    await vi.waitFor(() => expect(document.querySelectorAll(".picker-item")).toHaveLength(2));
    expect(calls(f, "list_drafts")[0].args).toMatchObject({ offset: 0, limit: QUICK_OPEN_LIMIT });
    const input = q("quick-open").querySelector("input")!;
    input.value = "ferries";
    input.dispatchEvent(new Event("input"));
    await vi.waitFor(() => expect(calls(f, "search_drafts").at(-1)?.args).toEqual({ query: "ferries", filter: {} }));
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
    await vi.waitFor(() => expect(doc.current?.session.path).toBe("world/ferries.md"));
  });

  it("Export needs an open draft and suggests a path outside the drafts folder", async () => {
    const f = folder();
    const { doc, dialogs, parts } = rig();
    await dialogs.exportHtml();
    expect(parts.status.element.textContent).toContain("Open a draft first");
    await doc.openPath("world/minsk.md");
    await dialogs.exportHtml();
    expect(calls(f, "export_suggestion")[0].args).toEqual({ path: "world/minsk.md" });
    expect(q<HTMLInputElement>("export-path").value).toBe("/home/ana/Documents/minsk.html");
  });
});
