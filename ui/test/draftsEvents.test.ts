// The watcher's events as the page gets them: emitted through the fake IPC's event system.
import { describe, expect, it, vi } from "vitest";
import { emit } from "@tauri-apps/api/event";
import { DraftsEvents, LIST_REFRESH_MS } from "../src/draftsEvents";
import { MINSK_TEXT, opened, page, summary, workspace } from "./fixtures";
import { type FakeIpc, afterTest, calls, documentRig, fakeIpc, q, typeAtEnd, useWindowHarness } from "./harness";

useWindowHarness();

interface Disk extends FakeIpc {
  file: { text: string; hash: string };
}

function disk(): Disk {
  const d: Disk = Object.assign(
    fakeIpc(() => null),
    { file: { text: MINSK_TEXT, hash: "h0" } },
  );
  d.answer = (cmd, args) => {
    switch (cmd) {
      case "read_draft":
        return opened({ path: String(args.path), text: d.file.text, hash: d.file.hash });
      case "list_drafts":
        return page([summary()], args);
      default:
        return null;
    }
  };
  return d;
}

async function rig() {
  const r = documentRig();
  const info = workspace();
  const events = new DraftsEvents({ doc: r.doc, drafts: r.parts.drafts, status: r.parts.status, errorBanner: r.parts.errorBanner, workspace: () => info });
  await events.listen();
  afterTest(() => events.dispose());
  await r.doc.openPath("world/minsk.md");
  return { ...r, events, info };
}

describe("the drafts events controller", () => {
  it("reads the list again once a burst of changes is over, and grows the folder's vocabulary", async () => {
    const d = disk();
    const { info } = await rig();
    vi.useFakeTimers();
    await emit("drafts-changed", { changes: [{ kind: "created", path: "x.md", summary: summary({ path: "x.md", tags: ["Fresh"], categories: ["Sport"] }) }] });
    await vi.advanceTimersByTimeAsync(LIST_REFRESH_MS / 2);
    await emit("drafts-changed", { changes: [{ kind: "deleted", path: "y.md" }] });
    await vi.advanceTimersByTimeAsync(LIST_REFRESH_MS - 1);
    expect(calls(d, "list_drafts")).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls(d, "list_drafts")).toHaveLength(1);
    expect(info.tags).toContain("Fresh");
    expect(info.categories).toContain("Sport");
  });

  it("says a status move of any draft in the status bar", async () => {
    disk();
    const { parts } = await rig();
    await emit("drafts-changed", { changes: [{ kind: "changed", path: "z.md", previous_status: "in-review", summary: summary({ path: "z.md", title: "Zed", status: "approved" }) }] });
    await vi.waitFor(() => expect(parts.status.element.textContent).toContain("‘Zed’: In review → Approved"));
  });

  it("the open draft changed on disk: reloaded without unsaved edits, a conflict with them", async () => {
    const d = disk();
    const { doc } = await rig();
    d.file = { text: MINSK_TEXT.replace("Second", "Their second"), hash: "h9" };
    await emit("drafts-changed", { changes: [{ kind: "changed", path: "world/minsk.md" }] });
    await vi.waitFor(() => expect(doc.editor.getText()).toContain("Their second"));
    expect(doc.current!.session.baseHash).toBe("h9");
    typeAtEnd(doc.editor, "Mine.");
    await emit("drafts-changed", { changes: [{ kind: "changed", path: "world/minsk.md" }] });
    await vi.waitFor(() => expect(q("conflict-banner").hidden).toBe(false));
    expect(calls(d, "save_draft")).toHaveLength(0);
  });

  it("the open draft renamed on disk: the session follows it; deleted: the banner asks", async () => {
    disk();
    const { doc, preview, parts } = await rig();
    await emit("drafts-changed", { changes: [{ kind: "renamed", from: "world/minsk.md", path: "world/belarus.md", summary: summary({ path: "world/belarus.md" }) }] });
    await vi.waitFor(() => expect(doc.current!.session.path).toBe("world/belarus.md"));
    expect(preview.asked).toContain("moved world/minsk.md → world/belarus.md");
    expect(parts.status.element.textContent).toContain("Moved to world/belarus.md");
    await emit("drafts-changed", { changes: [{ kind: "deleted", path: "world/belarus.md" }] });
    await vi.waitFor(() => expect(q("conflict-banner").textContent).toContain("was deleted on disk"));
  });
});
