// Pasting images into the editor through the fake IPC: a screenshot (a clipboard item with
// no text), a file manager's copied files (`text/uri-list`), and what is refused, said in
// the status bar.
import { describe, expect, it, vi } from "vitest";
import { localPathsOfUriList } from "../src/editor";
import { opened } from "./fixtures";
import { calls, documentRig, fakeIpc, settle, useWindowHarness } from "./harness";

useWindowHarness();

const TEXT = "---\ntitle: Minsk\n---\nFirst.\n";

function folder() {
  return fakeIpc((cmd, args) => {
    switch (cmd) {
      case "read_draft":
        return opened({ path: String(args.path), text: TEXT });
      case "import_image":
        return `![](images/${String(args.file_name)})`;
      case "import_image_file":
        if (String(args.source).includes("huge")) throw { code: "invalid_argument", message: `${String(args.source)}: images must be between 1 byte and 20 MB` };
        return `![](images/${String(args.source).split("/").pop()})`;
      default:
        return null;
    }
  });
}

/** A paste event carrying `data` (what WebKit gives: types, files, items, getData). */
function paste(target: HTMLElement, data: { types: string[]; files?: File[]; items?: { kind: string; type: string; getAsFile(): File | null }[]; text?: Record<string, string> }): Event {
  const event = new Event("paste", { bubbles: true, cancelable: true });
  Object.defineProperty(event, "clipboardData", {
    value: { types: data.types, files: data.files ?? [], items: data.items ?? [], getData: (t: string) => data.text?.[t] ?? "" },
  });
  target.dispatchEvent(event);
  return event;
}

async function openDraft() {
  const f = folder();
  const r = documentRig();
  await r.doc.openPath("world/minsk.md");
  r.doc.editor.view.dispatch({ selection: { anchor: TEXT.length } });
  return { f, ...r };
}

describe("pasting images", () => {
  it("a screenshot (an image item, no files, no text) is imported and its Markdown inserted", async () => {
    const { f, doc } = await openDraft();
    const shot = new File([new Uint8Array([137, 80, 78, 71])], "", { type: "image/png" });
    const event = paste(doc.editor.view.contentDOM, { types: ["image/png"], items: [{ kind: "file", type: "image/png", getAsFile: () => shot }] });
    expect(event.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(doc.editor.getText()).toMatch(/!\[\]\(images\/pasted-\d+\.png\)$/));
    expect(calls(f, "import_image")[0].args.bytes).toEqual([137, 80, 78, 71]);
  });

  it("a file manager's copied images (text/uri-list) are imported by path, in order", async () => {
    const { f, doc } = await openDraft();
    const list = "# copied\r\nfile:///home/ana/Pictures/Hall%20one.png\r\nfile:///home/ana/b.jpg\r\n";
    const event = paste(doc.editor.view.contentDOM, { types: ["text/uri-list", "text/plain"], text: { "text/uri-list": list, "text/plain": "/home/ana/Pictures/Hall one.png" } });
    expect(event.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(doc.editor.getText()).toBe(`${TEXT}![](images/Hall one.png)![](images/b.jpg)`));
    expect(calls(f, "import_image_file").map((c) => c.args)).toEqual([
      { draft_path: "world/minsk.md", source: "/home/ana/Pictures/Hall one.png" },
      { draft_path: "world/minsk.md", source: "/home/ana/b.jpg" },
    ]);
  });

  it("what is not an image, or is refused, is said in the status bar, never nothing", async () => {
    const { f, doc, parts } = await openDraft();
    paste(doc.editor.view.contentDOM, { types: ["text/uri-list"], text: { "text/uri-list": "file:///home/ana/report.pdf\nfile:///home/ana/huge.png" } });
    expect(parts.status.element.textContent).toContain("only images can be inserted): /home/ana/report.pdf");
    await vi.waitFor(() => expect(parts.status.element.textContent).toContain("Image not added: /home/ana/huge.png: images must be between 1 byte and 20 MB"));
    expect(calls(f, "import_image_file")).toHaveLength(1);
    const unreadable = paste(doc.editor.view.contentDOM, { types: ["image/png"] });
    expect(unreadable.defaultPrevented).toBe(true);
    expect(parts.status.element.textContent).toContain("The pasted image could not be read from the clipboard");
    await settle();
    expect(doc.editor.getText()).toBe(TEXT);
  });

  it("text and web links are left to the editor's own paste", async () => {
    const { f, doc } = await openDraft();
    paste(doc.editor.view.contentDOM, { types: ["text/plain"], text: { "text/plain": "hello " } });
    paste(doc.editor.view.contentDOM, { types: ["text/uri-list", "text/plain"], text: { "text/uri-list": "https://example.org/a.png", "text/plain": "https://example.org/a.png " } });
    // an office program's text with a picture of itself: the text
    paste(doc.editor.view.contentDOM, {
      types: ["text/plain", "image/png"],
      items: [{ kind: "file", type: "image/png", getAsFile: () => new File(["x"], "", { type: "image/png" }) }],
      text: { "text/plain": "cells" },
    });
    await settle();
    expect(doc.editor.getText()).toBe(`${TEXT}hello https://example.org/a.png cells`);
    expect(calls(f, "import_image")).toHaveLength(0);
    expect(calls(f, "import_image_file")).toHaveLength(0);
  });

  it("reads only local file URIs from a uri-list", () => {
    expect(localPathsOfUriList("#c\nfile:///a/b%C3%A9.png\nfile://localhost/c.gif\nfile://other-host/d.png\nhttps://x/y.png\nnot a uri\n")).toEqual(["/a/bé.png", "/c.gif"]);
  });
});
