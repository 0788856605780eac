// The system's choosers (ui/src/chooser.ts, mocked here at the module boundary): Export,
// Insert Image and the featured image through the fake IPC, and each one's typed fallback.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ipc } from "../src/ipc";
import { DraftDialogs } from "../src/draftDialogs";
import { FolderController } from "../src/folderController";
import { MetadataPanel } from "../src/metadataPanel";
import { PreviewController } from "../src/previewController";
import type { Chosen } from "../src/chooser";
import { opened, workspace } from "./fixtures";
import { calls, documentRig, fakeIpc, q, settle, useWindowHarness } from "./harness";

const chooser = vi.hoisted(() => ({
  chooseFolder: vi.fn<() => Promise<Chosen>>(),
  chooseSaveFile: vi.fn<(title: string, defaultPath: string, filters: unknown) => Promise<Chosen>>(),
  chooseImage: vi.fn<(title?: string) => Promise<Chosen>>(),
}));
vi.mock("../src/chooser", async (actual) => ({ ...(await actual<object>()), ...chooser }));

useWindowHarness();

const TEXT = "---\ntitle: Minsk\n---\nFirst.\n";
const chosen = (path: string): Promise<Chosen> => Promise.resolve({ kind: "chosen", path });
const unavailable = (): Promise<Chosen> => Promise.resolve({ kind: "unavailable", reason: "no portal" });

/** The fake backend: `taken` holds the export paths already written. */
function folder(taken = new Set<string>()) {
  return fakeIpc((cmd, args) => {
    switch (cmd) {
      case "read_draft":
        return opened({ path: String(args.path), text: TEXT });
      case "export_suggestion":
        return "/home/ana/Documents/minsk.html";
      case "export_html":
        if (taken.has(String(args.dest)) && !args.overwrite) throw { code: "exists", message: `${String(args.dest)}: already exists` };
        taken.add(String(args.dest));
        return String(args.dest);
      case "import_image_file":
        if (!String(args.source).endsWith(".png")) throw { code: "invalid_argument", message: `${String(args.source)}: only images can be inserted` };
        return `![](images/${String(args.source).split("/").pop()!.toLowerCase()})`;
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

beforeEach(() => {
  for (const f of Object.values(chooser)) f.mockReset();
});

describe("Export HTML through the save chooser", () => {
  it("starts at the suggested file and exports to the chosen one", async () => {
    const f = folder();
    const { doc, dialogs, parts } = rig();
    await doc.openPath("world/minsk.md");
    chooser.chooseSaveFile.mockImplementation(() => chosen("/home/ana/Desktop/page.html"));
    await dialogs.exportHtml();
    expect(chooser.chooseSaveFile.mock.calls[0][1]).toBe("/home/ana/Documents/minsk.html");
    expect(calls(f, "export_html")[0].args).toMatchObject({ path: "world/minsk.md", dest: "/home/ana/Desktop/page.html" });
    expect(calls(f, "export_html")[0].args.overwrite).toBeUndefined();
    expect(parts.status.element.textContent).toContain("Written to /home/ana/Desktop/page.html");
    expect(document.querySelector('[data-testid="export-dialog"]')).toBeNull();
  });

  it("replaces a file that is there only after Replace", async () => {
    const f = folder(new Set(["/tmp/a.html"]));
    const { doc, dialogs, parts } = rig();
    await doc.openPath("world/minsk.md");
    chooser.chooseSaveFile.mockImplementation(() => chosen("/tmp/a.html"));
    const cancelled = dialogs.exportHtml();
    await vi.waitFor(() => expect(q("confirm-cancel")).not.toBeNull());
    q("confirm-cancel").click();
    await cancelled;
    expect(calls(f, "export_html")).toHaveLength(1);
    const replaced = dialogs.exportHtml();
    await vi.waitFor(() => expect(q("confirm-ok")).not.toBeNull());
    q("confirm-ok").click();
    await replaced;
    expect(calls(f, "export_html").map((c) => c.args.overwrite)).toEqual([undefined, undefined, true]);
    expect(parts.status.element.textContent).toContain("Written to /tmp/a.html");
  });

  it("cancelled does nothing; no chooser opens the typed-path dialog", async () => {
    const f = folder();
    const { doc, dialogs } = rig();
    await doc.openPath("world/minsk.md");
    chooser.chooseSaveFile.mockImplementation(() => Promise.resolve({ kind: "cancelled" }));
    await dialogs.exportHtml();
    expect(document.querySelector('[data-testid="export-dialog"]')).toBeNull();
    chooser.chooseSaveFile.mockImplementation(unavailable);
    await dialogs.exportHtml();
    expect(q<HTMLInputElement>("export-path").value).toBe("/home/ana/Documents/minsk.html");
    expect(calls(f, "export_html")).toHaveLength(0);
  });
});

describe("Insert Image and the featured image through the file chooser", () => {
  it("imports the chosen file beside the draft and inserts its Markdown at the caret", async () => {
    const f = folder();
    const { doc, dialogs } = rig();
    await doc.openPath("world/minsk.md");
    doc.editor.view.dispatch({ selection: { anchor: TEXT.indexOf("First") } });
    chooser.chooseImage.mockImplementation(() => chosen("/home/ana/Pictures/Hall.png"));
    await dialogs.insertImage();
    expect(calls(f, "import_image_file")[0].args).toEqual({ draft_path: "world/minsk.md", source: "/home/ana/Pictures/Hall.png" });
    expect(doc.editor.getText()).toBe("---\ntitle: Minsk\n---\n![](images/hall.png)First.\n");
  });

  it("says in the status bar why an image is refused, and needs an open draft", async () => {
    const f = folder();
    const { doc, dialogs, parts } = rig();
    await dialogs.insertImage();
    expect(parts.status.element.textContent).toContain("Open a draft first");
    expect(chooser.chooseImage).not.toHaveBeenCalled();
    await doc.openPath("world/minsk.md");
    chooser.chooseImage.mockImplementation(() => chosen("/home/ana/notes.txt"));
    await dialogs.insertImage();
    expect(calls(f, "import_image_file")).toHaveLength(1);
    expect(parts.status.element.textContent).toContain("Image not added: /home/ana/notes.txt: only images can be inserted");
    expect(doc.editor.getText()).toBe(TEXT);
  });

  it("no chooser: the image's path is typed", async () => {
    const f = folder();
    const { doc, dialogs } = rig();
    await doc.openPath("world/minsk.md");
    chooser.chooseImage.mockImplementation(unavailable);
    const inserting = dialogs.insertImage();
    await vi.waitFor(() => expect(q("image-path-path")).not.toBeNull());
    const input = q<HTMLInputElement>("image-path-path");
    input.value = "/tmp/Map.png";
    input.form!.requestSubmit();
    await inserting;
    expect(calls(f, "import_image_file")[0].args.source).toBe("/tmp/Map.png");
    expect(doc.editor.getText()).toContain("![](images/map.png)");
  });

  it("the featured image's Choose sets featured_image to the imported file", async () => {
    folder();
    const { doc, dialogs } = rig();
    await doc.openPath("world/minsk.md");
    chooser.chooseImage.mockImplementation(() => chosen("/home/ana/Pictures/Lead.png"));
    await expect(dialogs.chooseFeaturedImage()).resolves.toBe("images/lead.png");
    chooser.chooseImage.mockImplementation(() => Promise.resolve({ kind: "cancelled" }));
    await expect(dialogs.chooseFeaturedImage()).resolves.toBeNull();

    const change = vi.fn();
    const panel = new MetadataPanel({ change, move: () => {}, categories: () => [], tags: () => [], authors: () => [], images: () => [], chooseImage: async () => "images/lead.png" });
    document.body.append(panel.element);
    panel.show({ title: "Minsk", status: "draft", categories: [], tags: [], author: "", slug: "", excerpt: "", featured_image: "", featured_image_alt: "", publish_at: "" });
    const inPanel = <T extends Element>(id: string) => panel.element.querySelector<T>(`[data-testid="${id}"]`)!;
    inPanel<HTMLButtonElement>("meta-image-choose").click();
    await settle();
    expect(change).toHaveBeenCalledWith({ featured_image: "images/lead.png" });
    expect(inPanel<HTMLInputElement>("meta-image").value).toBe("images/lead.png");
  });
});

describe("Open Folder through the folder chooser", () => {
  function folders() {
    return fakeIpc((cmd, args) => {
      if (cmd === "open_workspace") {
        if (args.path === "/srv/gone") throw { code: "not_found", message: "/srv/gone: no such draft" };
        return { ...workspace(), root: String(args.path) };
      }
      if (cmd === "get_settings") return null;
      return null;
    });
  }
  const controller = () => {
    const r = documentRig();
    const folder = new FolderController({ ipc, doc: () => r.doc, drafts: r.parts.drafts, presence: r.parts.presence, status: r.parts.status, setPreviewTheme: () => {}, settingsChanged: () => {} });
    return { folder, status: r.parts.status };
  };

  it("opens the chosen folder through open_workspace, and says why one cannot be opened", async () => {
    const f = folders();
    const { folder, status } = controller();
    chooser.chooseFolder.mockImplementation(() => chosen("/srv/desk"));
    await folder.chooseAndOpen();
    expect(calls(f, "open_workspace")[0].args).toEqual({ path: "/srv/desk" });
    expect(folder.workspace?.root).toBe("/srv/desk");
    chooser.chooseFolder.mockImplementation(() => chosen("/srv/gone"));
    await folder.chooseAndOpen();
    expect(status.element.textContent).toContain("Could not open the folder /srv/gone");
    expect(folder.workspace?.root).toBe("/srv/desk");
  });

  it("cancelled opens nothing; no chooser opens Settings with the typed path", async () => {
    const f = folders();
    const { folder } = controller();
    chooser.chooseFolder.mockImplementation(() => Promise.resolve({ kind: "cancelled" }));
    await folder.chooseAndOpen();
    expect(calls(f, "open_workspace")).toHaveLength(0);
    expect(document.querySelector('[data-testid="settings-dialog"]')).toBeNull();
    chooser.chooseFolder.mockImplementation(unavailable);
    await folder.chooseAndOpen();
    expect(q("open-folder-path").closest<HTMLElement>("[hidden]")).toBeNull();
    expect(q("open-folder-choose").hidden).toBe(true);
    expect(calls(f, "open_workspace")).toHaveLength(0);
  });

  it("Settings chooses the folder with the chooser; the typed path shows only when none opens", async () => {
    const f = folders();
    const { folder } = controller();
    folder.openSettings();
    expect(q("open-folder-path").closest("[hidden]")).not.toBeNull();
    chooser.chooseFolder.mockImplementation(unavailable);
    q("open-folder-choose").click();
    await vi.waitFor(() => expect(q("open-folder-path").closest("[hidden]")).toBeNull());
    expect(q("settings-dialog").textContent).toContain("No folder chooser could open here");
    chooser.chooseFolder.mockImplementation(() => chosen("/srv/desk"));
    q("settings-dialog").remove();
    folder.openSettings();
    q("open-folder-choose").click();
    await vi.waitFor(() => expect(calls(f, "open_workspace")[0]?.args).toEqual({ path: "/srv/desk" }));
  });
});
