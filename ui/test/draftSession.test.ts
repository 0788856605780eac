import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DraftSession, type ConflictReason, type SaveState } from "../src/draftSession";
import type { OpenedDraft, SaveOutcome } from "../src/ipc";

/** A controllable save: each call waits until the test settles it. */
function harness(initial = "Hello") {
  let text = initial;
  const saves: { path: string; text: string; base: string; settle(o: SaveOutcome | Error): void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const disk = { text: initial, hash: "h0" };
  const ipc = {
    saveDraft: vi.fn((path: string, t: string, base: string) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise<SaveOutcome>((resolve, reject) => {
        saves.push({
          path,
          text: t,
          base,
          settle: (o) => {
            inFlight--;
            if (o instanceof Error) reject(o);
            else resolve(o);
          },
        });
      });
    }),
    readDraft: vi.fn(async (path: string): Promise<OpenedDraft> => ({ path, text: disk.text, hash: disk.hash, summary: {} as never })),
    resolveConflict: vi.fn(async (path: string, keep: "mine" | "theirs", mine: string): Promise<SaveOutcome> => {
      if (keep === "mine") {
        disk.text = mine;
        disk.hash = "h-mine";
      }
      return { kind: "saved", hash: disk.hash, path };
    }),
  };
  const states: SaveState[] = [];
  const conflicts: ConflictReason[] = [];
  const surface = {
    getText: () => text,
    replaceText: vi.fn((t: string) => {
      text = t;
    }),
  };
  const session = new DraftSession({ path: "world/minsk.md", text: initial, hash: "h0" }, surface, ipc, {
    state: (s) => states.push(s),
    conflict: (r) => conflicts.push(r),
  });
  return {
    session,
    ipc,
    saves,
    states,
    conflicts,
    disk,
    surface,
    type(t: string) {
      text = t;
      session.edited();
    },
    get text() {
      return text;
    },
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("autosave", () => {
  it("saves 800 ms after typing stops, once", async () => {
    const t = harness();
    t.type("Hello w");
    await vi.advanceTimersByTimeAsync(500);
    t.type("Hello wo");
    await vi.advanceTimersByTimeAsync(500);
    t.type("Hello world");
    expect(t.ipc.saveDraft).not.toHaveBeenCalled();
    expect(t.session.state).toBe("unsaved");
    await vi.advanceTimersByTimeAsync(799);
    expect(t.ipc.saveDraft).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(t.ipc.saveDraft).toHaveBeenCalledTimes(1);
    expect(t.saves[0]).toMatchObject({ path: "world/minsk.md", text: "Hello world", base: "h0" });
    expect(t.session.state).toBe("saving");
    t.saves[0].settle({ kind: "saved", hash: "h1", path: "world/minsk.md" });
    await vi.advanceTimersByTimeAsync(0);
    expect(t.session.state).toBe("saved");
    expect(t.states).toEqual(["unsaved", "saving", "saved"]);
  });

  it("chains base_hash from each save into the next", async () => {
    const t = harness();
    t.type("A");
    await vi.advanceTimersByTimeAsync(800);
    t.saves[0].settle({ kind: "saved", hash: "h1", path: "world/minsk.md" });
    await vi.advanceTimersByTimeAsync(0);
    t.type("AB");
    await vi.advanceTimersByTimeAsync(800);
    expect(t.saves[1].base).toBe("h1");
    t.saves[1].settle({ kind: "unchanged", hash: "h2", path: "world/minsk.md" });
    await vi.advanceTimersByTimeAsync(0);
    t.type("ABC");
    const p = t.session.flush();
    expect(t.saves[2].base).toBe("h2");
    t.saves[2].settle({ kind: "saved", hash: "h3", path: "world/minsk.md" });
    await p;
    expect(t.session.baseHash).toBe("h3");
  });

  it("never runs two saves at once: typing during a save waits for it", async () => {
    const t = harness();
    t.type("one");
    await vi.advanceTimersByTimeAsync(800);
    expect(t.saves).toHaveLength(1);
    t.type("one two");
    await vi.advanceTimersByTimeAsync(800); // the timer fires while the first save is in flight
    const flushing = t.session.flush(); // and Ctrl+S too
    await vi.advanceTimersByTimeAsync(0);
    expect(t.saves).toHaveLength(1);
    t.saves[0].settle({ kind: "saved", hash: "h1", path: "world/minsk.md" });
    await vi.advanceTimersByTimeAsync(0);
    expect(t.saves).toHaveLength(2);
    expect(t.saves[1]).toMatchObject({ text: "one two", base: "h1" });
    t.saves[1].settle({ kind: "saved", hash: "h2", path: "world/minsk.md" });
    await flushing;
    expect(t.maxInFlight).toBe(1);
    expect(t.session.state).toBe("saved");
    expect(t.session.baseHash).toBe("h2");
  });

  it("Ctrl+S saves at once; nothing to save means no call", async () => {
    const t = harness();
    await t.session.flush();
    expect(t.ipc.saveDraft).not.toHaveBeenCalled();
    t.type("now");
    const p = t.session.flush();
    expect(t.ipc.saveDraft).toHaveBeenCalledTimes(1);
    t.saves[0].settle({ kind: "saved", hash: "h1", path: "world/minsk.md" });
    await p;
    await vi.advanceTimersByTimeAsync(2000);
    expect(t.ipc.saveDraft).toHaveBeenCalledTimes(1);
  });

  it("reports a failed save and keeps the text unsaved", async () => {
    const t = harness();
    const errors: string[] = [];
    (t.session as unknown as { events: { error(m: string): void } }).events.error = (m) => errors.push(m);
    t.type("x");
    const p = t.session.flush();
    t.saves[0].settle(Object.assign(new Error("disk full"), { code: "io" }));
    await p;
    expect(t.session.state).toBe("error");
    expect(errors).toEqual(["disk full"]);
    expect(t.session.isDirty()).toBe(true);
  });

  it("a save answered with a conflict stops autosaving and reports where mine was kept", async () => {
    const t = harness();
    t.type("mine");
    await vi.advanceTimersByTimeAsync(800);
    t.saves[0].settle({ kind: "conflict", path: "world/minsk.md", kept_as: "world/minsk.conflict-1.md", their_hash: "ht" });
    await vi.advanceTimersByTimeAsync(0);
    expect(t.session.state).toBe("conflict");
    expect(t.conflicts).toEqual([{ kind: "save", keptAs: "world/minsk.conflict-1.md" }]);
    t.type("mine, more");
    await vi.advanceTimersByTimeAsync(5000);
    expect(t.saves).toHaveLength(1);
  });
});

describe("whether there is something to save", () => {
  it("a text of another length is unsaved without being read; the same length is compared", async () => {
    const t = harness();
    const read = vi.fn(() => t.text);
    Object.assign(t.surface, { getText: read, textLength: () => t.text.length });
    t.type("Hello, world");
    expect(t.states.at(-1)).toBe("unsaved");
    expect(read).not.toHaveBeenCalled();
    // typed back to what is saved: the same length, read and found equal
    t.type("Hello");
    await vi.advanceTimersByTimeAsync(0);
    expect(read).toHaveBeenCalled();
    expect(t.states.at(-1)).toBe("saved");
  });
});

describe("changes on disk", () => {
  it("without unsaved edits the editor takes the new text", async () => {
    const t = harness();
    t.disk.text = "Theirs";
    t.disk.hash = "h9";
    await expect(t.session.changedOnDisk()).resolves.toBe("reloaded");
    expect(t.surface.replaceText).toHaveBeenCalledWith("Theirs");
    expect(t.session.baseHash).toBe("h9");
    expect(t.session.isDirty()).toBe(false);
    expect(t.ipc.saveDraft).not.toHaveBeenCalled();
  });

  it("with unsaved edits it becomes a conflict; keep mine writes mine", async () => {
    const t = harness();
    t.type("Mine");
    await expect(t.session.changedOnDisk()).resolves.toBe("conflict");
    expect(t.conflicts).toEqual([{ kind: "disk" }]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(t.ipc.saveDraft).not.toHaveBeenCalled(); // the pending autosave was cancelled
    await t.session.resolve("mine");
    expect(t.ipc.resolveConflict).toHaveBeenCalledWith("world/minsk.md", "mine", "Mine");
    expect(t.session.state).toBe("saved");
    expect(t.session.baseHash).toBe("h-mine");
    expect(t.session.inConflict).toBe(false);
    t.type("Mine again");
    await vi.advanceTimersByTimeAsync(800);
    expect(t.saves[0]).toMatchObject({ text: "Mine again", base: "h-mine" });
  });

  it("take theirs loads the file's text and keeps mine as a copy", async () => {
    const t = harness();
    t.type("Mine");
    t.disk.text = "Theirs";
    t.disk.hash = "h7";
    await t.session.changedOnDisk();
    await t.session.resolve("theirs");
    expect(t.ipc.resolveConflict).toHaveBeenCalledWith("world/minsk.md", "theirs", "Mine");
    expect(t.text).toBe("Theirs");
    expect(t.session.baseHash).toBe("h7");
    expect(t.session.state).toBe("saved");
  });

  it("waits for a save in flight before deciding", async () => {
    const t = harness();
    t.type("Mine");
    await vi.advanceTimersByTimeAsync(800);
    const decided = t.session.changedOnDisk();
    t.saves[0].settle({ kind: "saved", hash: "h1", path: "world/minsk.md" });
    t.disk.text = "Mine";
    t.disk.hash = "h1";
    await expect(decided).resolves.toBe("same");
  });

  it("closing in a conflict keeps mine as a copy instead of overwriting theirs", async () => {
    const t = harness();
    t.type("Mine");
    await t.session.changedOnDisk();
    await t.session.close();
    expect(t.ipc.resolveConflict).toHaveBeenCalledWith("world/minsk.md", "theirs", "Mine");
    expect(t.ipc.saveDraft).not.toHaveBeenCalled();
  });

  it("closing saves unsaved text first", async () => {
    const t = harness();
    t.type("Last words");
    const closing = t.session.close();
    expect(t.saves[0]).toMatchObject({ text: "Last words" });
    t.saves[0].settle({ kind: "saved", hash: "h1", path: "world/minsk.md" });
    await closing;
    t.type("after close");
    await vi.advanceTimersByTimeAsync(2000);
    expect(t.saves).toHaveLength(1);
  });
});

describe("deleted on disk", () => {
  beforeEach(() => vi.useFakeTimers());

  it("stops autosaving; keep mine brings the file back", async () => {
    const t = harness();
    t.type("Mine");
    t.session.deletedOnDisk();
    expect(t.conflicts).toEqual([{ kind: "deleted" }]);
    expect(t.session.conflictReason).toEqual({ kind: "deleted" });
    await vi.advanceTimersByTimeAsync(2000);
    expect(t.ipc.saveDraft).not.toHaveBeenCalled();
    await t.session.resolve("mine");
    expect(t.ipc.resolveConflict).toHaveBeenCalledWith("world/minsk.md", "mine", "Mine");
    expect(t.session.inConflict).toBe(false);
  });

  it("closing with unsaved words recreates the file; without them writes nothing", async () => {
    const t = harness();
    t.type("Mine");
    t.session.deletedOnDisk();
    await t.session.close();
    expect(t.ipc.resolveConflict).toHaveBeenCalledWith("world/minsk.md", "mine", "Mine");

    const clean = harness();
    clean.session.deletedOnDisk();
    await clean.session.close();
    expect(clean.ipc.resolveConflict).not.toHaveBeenCalled();
    expect(clean.ipc.saveDraft).not.toHaveBeenCalled();
  });
});
