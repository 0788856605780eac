// What the page asks of tauri-plugin-dialog (its two commands, through the fake IPC) and how
// its answers read: a path, cancelled (null), or no chooser at all (the command fails).
import { describe, expect, it } from "vitest";
import { chooseFolder, chooseImage, chooseSaveFile, IMAGE_EXTENSIONS } from "../src/chooser";
import { calls, fakeIpc, useWindowHarness } from "./harness";

useWindowHarness();

describe("the system choosers", () => {
  it("ask the dialog plugin's open and save with only what each needs", async () => {
    const f = fakeIpc((cmd, args) => {
      const o = args.options as Record<string, unknown>;
      if (cmd === "plugin:dialog|open") return o.directory ? "/srv/desk" : ["/home/ana/p.png"];
      if (cmd === "plugin:dialog|save") return null;
      throw new Error(`unexpected ${cmd}`);
    });
    await expect(chooseFolder()).resolves.toEqual({ kind: "chosen", path: "/srv/desk" });
    await expect(chooseImage()).resolves.toEqual({ kind: "chosen", path: "/home/ana/p.png" });
    await expect(chooseSaveFile("Export HTML", "/home/ana/Documents/a.html", [{ name: "HTML page", extensions: ["html"] }])).resolves.toEqual({ kind: "cancelled" });
    expect(calls(f, "plugin:dialog|open").map((c) => c.args.options)).toEqual([
      { title: "Open a drafts folder", directory: true, multiple: false },
      { title: "Insert an image", directory: false, multiple: false, filters: [{ name: "Images", extensions: IMAGE_EXTENSIONS }] },
    ]);
    expect(calls(f, "plugin:dialog|save")[0].args.options).toEqual({ title: "Export HTML", defaultPath: "/home/ana/Documents/a.html", filters: [{ name: "HTML page", extensions: ["html"] }] });
    expect(IMAGE_EXTENSIONS).toEqual(["png", "jpg", "jpeg", "gif", "webp", "avif"]);
  });

  it("a chooser that cannot open is unavailable, with the reason", async () => {
    fakeIpc(() => {
      throw "no XDG portal and no GTK display";
    });
    await expect(chooseFolder()).resolves.toEqual({ kind: "unavailable", reason: "no XDG portal and no GTK display" });
  });
});
