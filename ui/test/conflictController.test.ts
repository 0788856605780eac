// The conflict banner's choices, carried out through the draft's session over the fake IPC.
import { describe, expect, it, vi } from "vitest";
import { MINSK_TEXT, opened } from "./fixtures";
import { type FakeIpc, calls, documentRig, fakeIpc, q, typeAtEnd, useWindowHarness } from "./harness";

useWindowHarness();

interface Disk extends FakeIpc {
  file: { text: string; hash: string };
}

function disk(): Disk {
  let n = 0;
  const d: Disk = Object.assign(
    fakeIpc(() => null),
    { file: { text: MINSK_TEXT, hash: "h0" } },
  );
  d.answer = (cmd, args) => {
    switch (cmd) {
      case "read_draft":
        return opened({ text: d.file.text, hash: d.file.hash });
      case "save_draft":
        // a colleague saved first: ours is kept as a copy
        return { kind: "conflict", path: args.path, kept_as: "world/minsk.conflict-20260101-120000.md", their_hash: d.file.hash };
      case "resolve_conflict":
        if (args.keep === "mine") d.file = { text: String(args.mine), hash: `r${++n}` };
        return { kind: "saved", hash: d.file.hash, path: args.path };
      default:
        return null;
    }
  };
  return d;
}

describe("the conflict controller", () => {
  it("a save that found another version names the copy; Take theirs loads the file and hides the banner", async () => {
    const d = disk();
    const { doc, listChanges } = documentRig();
    await doc.openPath("world/minsk.md");
    d.file = { text: "Their text\n", hash: "ht" };
    typeAtEnd(doc.editor, "Mine.");
    await doc.saveNow();
    const banner = q("conflict-banner");
    expect(banner.hidden).toBe(false);
    expect(banner.textContent).toContain("Your version was kept as world/minsk.conflict-20260101-120000.md.");
    q<HTMLButtonElement>("take-theirs").click();
    await vi.waitFor(() => expect(doc.editor.getText()).toBe("Their text\n"));
    expect(calls(d, "resolve_conflict")[0].args).toEqual({ path: "world/minsk.md", keep: "theirs", mine: `${MINSK_TEXT}Mine.` });
    expect(banner.hidden).toBe(true);
    expect(doc.current!.session.baseHash).toBe("ht");
    expect(listChanges.length).toBeGreaterThan(0);
  });

  it("a draft deleted on disk offers Keep mine and Close; Close closes without writing", async () => {
    const d = disk();
    const { doc, conflicts } = documentRig();
    await doc.openPath("world/minsk.md");
    typeAtEnd(doc.editor, "Unsaved.");
    doc.current!.session.deletedOnDisk();
    expect(q("conflict-banner").textContent).toContain("Your unsaved edits are still here");
    expect(q("take-theirs").hidden).toBe(true);
    q<HTMLButtonElement>("close-draft").click();
    await vi.waitFor(() => expect(doc.current).toBeNull());
    expect(calls(d, "resolve_conflict")).toHaveLength(0);
    expect(calls(d, "save_draft")).toHaveLength(0);
    await conflicts.resolve("mine"); // nothing open: nothing to settle
    expect(calls(d, "resolve_conflict")).toHaveLength(0);
  });

  it("Keep mine writes my text; a failure is reported and the banner stays", async () => {
    const d = disk();
    const { doc, conflicts, parts } = documentRig();
    await doc.openPath("world/minsk.md");
    typeAtEnd(doc.editor, "Mine.");
    doc.current!.session.markConflict({ kind: "disk" });
    const answer = d.answer;
    d.answer = (cmd, args) => {
      if (cmd === "resolve_conflict") throw { code: "io", message: "disk full" };
      return answer(cmd, args);
    };
    await conflicts.resolve("mine");
    expect(parts.errorBanner.element.textContent).toContain("disk full");
    expect(q("conflict-banner").hidden).toBe(false);
    d.answer = answer;
    await conflicts.resolve("mine");
    expect(d.file.text).toBe(`${MINSK_TEXT}Mine.`);
    expect(q("conflict-banner").hidden).toBe(true);
  });
});
