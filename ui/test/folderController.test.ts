// The folder and the settings through the fake IPC (or the app's boot hand-over).
import { describe, expect, it } from "vitest";
import { FolderController, folderProblem } from "../src/folderController";
import { ipc } from "../src/ipc";
import { opened, page, summary, workspace } from "./fixtures";
import { calls, documentRig, fakeIpc, settings, typeAtEnd, useWindowHarness } from "./harness";

useWindowHarness();

const OTHER_FOLDER = { ...workspace([summary({ path: "sport/derby.md", title: "Derby" })]), root: "/srv/sport", categories: ["Sport"] };

function folders(failSettings = false) {
  return fakeIpc((cmd, args) => {
    switch (cmd) {
      case "get_settings":
        if (failSettings) throw { code: "io", message: "settings.json: Permission denied" };
        return settings({ categories: ["Politics"], theme: "dark" });
      case "open_workspace":
        if (args.path === "/media/gone") throw { code: "not_found", message: "/media/gone: no such draft", file: "/media/gone" };
        return args.path ? OTHER_FOLDER : workspace();
      case "list_drafts":
        return page([summary()], args);
      case "read_draft":
        return opened();
      case "save_draft":
        return { kind: "saved", hash: "h1", path: args.path };
      default:
        return null;
    }
  });
}

function rig() {
  const r = documentRig();
  const themes: string[] = [];
  let changed = 0;
  const folder = new FolderController({
    ipc,
    doc: () => r.doc,
    drafts: r.parts.drafts,
    presence: r.parts.presence,
    status: r.parts.status,
    setPreviewTheme: (t) => themes.push(t),
    settingsChanged: () => changed++,
  });
  return { ...r, folder, themes, changed: () => changed };
}

const rows = () => Array.from(document.querySelectorAll<HTMLElement>('[data-testid="draft-item"]')).map((li) => li.dataset.path);

describe("the folder controller", () => {
  it("asks for the settings and the folder over IPC and shows both", async () => {
    const f = folders();
    const { folder, themes, parts } = rig();
    await folder.load();
    expect(calls(f, "open_workspace")).toHaveLength(1);
    expect(document.documentElement.dataset.boot).toBe("ipc");
    expect(folder.settings.categories).toEqual(["Politics"]);
    expect(themes).toEqual(["dark"]);
    expect(rows()).toEqual(["world/minsk.md"]);
    expect(parts.status.element.textContent).toContain("/srv/newsroom/drafts");
    expect(folder.categories()).toEqual(["Politics", "World", "Local"]);
  });

  it("settings that cannot be read are said, and the folder still opens", async () => {
    folders(true);
    const { folder, parts } = rig();
    await folder.load();
    expect(parts.status.element.textContent).toContain("Settings: settings.json: Permission denied");
    expect(folder.settings.role).toBe("reporter");
    expect(rows()).toEqual(["world/minsk.md"]);
  });

  it("takes what the app handed over before the script ran, without IPC", async () => {
    const f = folders();
    window.__newsroomBoot = { workspace: workspace(), error: null, settings: settings({ user_name: "Boris" }) };
    const { folder } = rig();
    await folder.load();
    expect(f.calls).toHaveLength(0);
    expect(folder.settings.user_name).toBe("Boris");
    expect(document.documentElement.dataset.boot).toBe("script");
  });

  it("a folder that cannot be opened keeps the open draft (and its lock); one that opens saves and closes it", async () => {
    const f = folders();
    const { folder, doc } = rig();
    await folder.load();
    await doc.openPath("world/minsk.md");
    typeAtEnd(doc.editor, "Mine.");
    await expect(folder.open("/media/gone")).rejects.toMatchObject({ message: "Could not open the folder /media/gone: it does not exist or cannot be reached" });
    expect(doc.current?.session.path).toBe("world/minsk.md");
    expect(calls(f, "lock_hold").map((c) => c.args.path)).toEqual(["world/minsk.md", "world/minsk.md"]);
    await folder.open("/srv/sport");
    expect(calls(f, "save_draft")).toHaveLength(1);
    expect(doc.current).toBeNull();
    expect(rows()).toEqual(["sport/derby.md"]);
    expect(folder.workspace?.root).toBe("/srv/sport");
    expect(calls(f, "get_settings")).toHaveLength(2);
  });

  it("folderProblem names the folder from the error when no path was asked for", () => {
    expect(folderProblem(undefined, { code: "io", message: "/root/x: Permission denied (os error 13)", file: "/root/x" }).message).toBe(
      "Could not open the folder /root/x: Permission denied (os error 13)",
    );
  });
});
