// Restoring earlier versions of the open draft through the fake IPC.
import { describe, expect, it } from "vitest";
import { ipc, type Preview } from "../src/ipc";
import { RevisionsController } from "../src/revisionsController";
import { MINSK_TEXT, opened } from "./fixtures";
import { type FakeIpc, calls, documentRig, fakeIpc, rendered, useWindowHarness } from "./harness";

useWindowHarness();

const BROKEN = "---\ntitle: [oops\n---\nBroken.\n";
const GOOD = "---\ntitle: Good\n---\nAn older good version.\n";
const ALSO_BROKEN = "---\ntitle: [again\n---\nOlder.\n";

interface Disk extends FakeIpc {
  file: { text: string; hash: string };
  revisions: Record<number, { text: string; hash: string }>;
  restoreConflict?: boolean;
}

function disk(text = BROKEN): Disk {
  const d: Disk = Object.assign(
    fakeIpc(() => null),
    {
      file: { text, hash: "cur" },
      revisions: { 3: { text: BROKEN, hash: "cur" }, 2: { text: ALSO_BROKEN, hash: "r2" }, 1: { text: GOOD, hash: "r1" } },
    },
  );
  d.answer = (cmd, args) => {
    switch (cmd) {
      case "read_draft":
        return opened({ text: d.file.text, hash: d.file.hash });
      case "list_revisions":
        return [3, 2, 1].map((id) => ({ id, hash: d.revisions[id].hash, created_ms: id, source: "save", bytes: 1, words: 1 }));
      case "revision_diff":
        // revision → current: the revision's lines deleted, the current ones inserted
        return [
          ...d.revisions[Number(args.id)].text.split("\n").map((t) => ({ tag: "delete", text: t })),
          ...String(args.text)
            .split("\n")
            .map((t) => ({ tag: "insert", text: t })),
        ];
      case "restore_revision":
        if (d.restoreConflict) return { kind: "conflict", path: args.path, kept_as: "world/minsk.conflict.md", their_hash: "x" };
        d.file = { text: d.revisions[Number(args.id)].text, hash: `restored${args.id}` };
        return { kind: "saved", hash: d.file.hash, path: args.path };
      default:
        return null;
    }
  };
  return d;
}

/** The front matter "parses" when it has no `[`. */
const check = async (_path: string, text: string): Promise<Preview> => rendered({ error: text.split("\n---\n")[0].includes("[") ? { line: 2, message: "bad" } : null });

function rig() {
  const r = documentRig();
  const revisions = new RevisionsController({ ipc, doc: r.doc, status: r.parts.status, check, listChanged: r.parts.listChanged });
  return { ...r, revisions };
}

describe("the revisions controller", () => {
  it("restores the newest revision that parses, skipping the broken file itself and older broken ones", async () => {
    const d = disk();
    const { doc, revisions, listChanges } = rig();
    await doc.openPath("world/minsk.md");
    expect(await revisions.restoreLastGood()).toBe(true);
    expect(calls(d, "revision_diff").map((c) => c.args.id)).toEqual([2, 1]);
    expect(calls(d, "restore_revision")[0].args).toEqual({ path: "world/minsk.md", id: 1, base_hash: "cur" });
    expect(doc.editor.getText()).toBe(GOOD);
    expect(doc.current!.session.baseHash).toBe("restored1");
    expect(listChanges).toHaveLength(1);
  });

  it("says false when no revision parses", async () => {
    const d = disk();
    d.revisions[1] = { text: ALSO_BROKEN, hash: "r1" };
    const { doc, revisions } = rig();
    await doc.openPath("world/minsk.md");
    expect(await revisions.restoreLastGood()).toBe(false);
    expect(calls(d, "restore_revision")).toHaveLength(0);
    expect(doc.editor.getText()).toBe(BROKEN);
  });

  it("a file changed since it was read makes the restore a conflict, never an overwrite", async () => {
    const d = disk(MINSK_TEXT);
    d.restoreConflict = true;
    const { doc, revisions } = rig();
    await doc.openPath("world/minsk.md");
    await revisions.restore(1);
    expect(doc.current!.session.inConflict).toBe(true);
    expect(doc.editor.getText()).toBe(MINSK_TEXT);
  });

  it("with no draft open there is nothing to restore", async () => {
    const d = disk();
    const { revisions } = rig();
    expect(await revisions.restoreLastGood()).toBe(false);
    await revisions.openHistory();
    expect(d.calls).toHaveLength(0);
  });
});
