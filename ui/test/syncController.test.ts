// The folder's sync in the status bar through the fake IPC: the button shown only for a git
// working copy, what it says (ahead/behind, "synced 2 min ago", offline, what to do after an
// error), Sync now, the app's automatic syncs arriving as `sync-status`, and the palette's entry.
import { describe, expect, it, vi } from "vitest";
import { emit } from "@tauri-apps/api/event";
import { ipc, type LastSync, type SyncStatus } from "../src/ipc";
import { StatusBar } from "../src/statusBar";
import { SyncController, describeSync } from "../src/syncController";
import { buildActions, SYNC_SHORTCUT, type ActionTarget } from "../src/actions";
import { page, summary, workspace } from "./fixtures";
import { afterTest, calls, fakeIpc, q, settings, startApp, useWindowHarness } from "./harness";

useWindowHarness();

const NOW = Date.parse("2026-11-26T09:30:00Z");

function status(over: Partial<SyncStatus> = {}): SyncStatus {
  return { repository: true, automatic: true, interval_minutes: 5, branch: "main", remote: "origin", ahead: 0, behind: 0, running: false, last: null, problem: null, ...over };
}

function last(over: Partial<LastSync> = {}): LastSync {
  return { at_ms: NOW - 2 * 60_000, outcome: "synced", committed: 1, received: 2, pushed: true, conflicts: [], offline: null, error: null, ...over };
}

describe("describeSync", () => {
  it("says where the folder stands, in words a reporter reads at a glance", () => {
    const cases: [SyncStatus, string, string][] = [
      [status(), "Not synced yet", "idle"],
      [status({ ahead: 2, behind: 1 }), "Not synced yet · 2 to send · 1 to receive", "idle"],
      [status({ last: last() }), "Synced 2 min ago", "idle"],
      [status({ last: last(), behind: 3 }), "Synced 2 min ago · 3 to receive", "idle"],
      [status({ last: last({ conflicts: [{ draft: "a.md", copy: "a.conflict-1.md" }] }) }), "Synced 2 min ago · 1 conflict copy", "idle"],
      [status({ last: last({ outcome: "offline", offline: "Connection refused" }), ahead: 2 }), "Offline, 2 commits waiting", "offline"],
      [status({ last: last({ outcome: "offline" }), ahead: 1 }), "Offline, 1 commit waiting", "offline"],
      [status({ last: last({ outcome: "failed", error: { code: "authentication", message: "set up git's credential helper" } }) }), "Sync failed: the remote refused your sign-in", "error"],
      [status({ problem: { code: "no_upstream", message: "git push -u origin main" } }), "Sync: no remote branch to sync with", "error"],
      [status({ running: true, last: last() }), "Syncing…", "running"],
    ];
    for (const [s, text, look] of cases) {
      const d = describeSync(s, NOW);
      expect(d.text, JSON.stringify(s)).toBe(text);
      expect(d.look).toBe(look);
    }
  });

  it("puts what to do, and the schedule, in the tooltip", () => {
    const failed = describeSync(
      status({ last: last({ outcome: "failed", error: { code: "authentication", message: "the remote origin refused the credentials; set up git's credential helper" } }) }),
      NOW,
    );
    expect(failed.title).toContain("set up git's credential helper");
    const offline = describeSync(status({ last: last({ outcome: "offline", offline: "Connection refused" }), ahead: 1 }), NOW);
    expect(offline.title).toContain("goes out at the next sync");
    expect(offline.title).toContain("every 5 minutes");
    expect(describeSync(status({ automatic: false }), NOW).title).toContain("when you press Sync");
    const conflict = describeSync(status({ last: last({ conflicts: [{ draft: "world/minsk.md", copy: "world/minsk.conflict-1.md" }] }) }), NOW);
    expect(conflict.title).toContain("world/minsk.md: theirs kept as world/minsk.conflict-1.md");
  });
});

function rig(answer: (cmd: string) => unknown) {
  const fake = fakeIpc((cmd) => answer(cmd));
  const bar = new StatusBar();
  document.body.append(bar.element);
  const sync = new SyncController({ ipc, status: bar });
  afterTest(() => sync.dispose());
  return { fake, bar, sync };
}

describe("SyncController", () => {
  it("shows the button only for a git working copy", async () => {
    let answer = status({ repository: false });
    const { sync } = rig(() => answer);
    await sync.refresh();
    expect(q("sync-button").hidden).toBe(true);
    answer = status({ last: last({ at_ms: Date.now() }) });
    await sync.refresh();
    expect(q("sync-button").hidden).toBe(false);
    expect(q("sync-button").textContent).toBe("Synced just now");
  });

  it("syncs when pressed, shows Syncing… meanwhile, then the result", async () => {
    let finish: (s: SyncStatus) => void = () => undefined;
    const { fake, sync } = rig((cmd) => (cmd === "sync_now" ? new Promise((r) => (finish = r)) : status()));
    await sync.refresh();
    q("sync-button").click();
    expect(q("sync-button").textContent).toBe("Syncing…");
    expect(q("sync-button").getAttribute("aria-busy")).toBe("true");
    // a second press while it runs does not start another
    q("sync-button").click();
    await vi.waitFor(() => expect(calls(fake, "sync_now")).toHaveLength(1));
    finish(status({ last: last({ at_ms: Date.now() }), behind: 0 }));
    await vi.waitFor(() => expect(q("sync-button").textContent).toBe("Synced just now"));
    expect(q("sync-button").dataset.look).toBe("idle");
  });

  it("says what to do when a sync fails, in the status bar too", async () => {
    const failed = status({
      last: last({ at_ms: Date.now(), outcome: "failed", error: { code: "authentication", message: "the remote origin refused the credentials; set up git's credential helper or ssh-agent" } }),
    });
    const { bar, sync } = rig((cmd) => (cmd === "sync_now" ? failed : status()));
    await sync.refresh();
    await sync.syncNow();
    expect(q("sync-button").textContent).toBe("Sync failed: the remote refused your sign-in");
    expect(q("sync-button").dataset.look).toBe("error");
    expect(bar.element.querySelector(".status-message")!.textContent).toContain("ssh-agent");
  });

  it("a folder that is not a working copy is told so, and nothing is asked of git", async () => {
    const { fake, bar, sync } = rig(() => status({ repository: false }));
    await sync.refresh();
    await sync.syncNow();
    expect(calls(fake, "sync_now")).toHaveLength(0);
    expect(bar.element.querySelector(".status-message")!.textContent).toContain("not a git working copy");
  });

  it("follows the app's automatic syncs (sync-status)", async () => {
    const { sync } = rig(() => status());
    await sync.listen();
    await emit("sync-status", status({ running: true }));
    await vi.waitFor(() => expect(q("sync-button").textContent).toBe("Syncing…"));
    await emit("sync-status", status({ ahead: 1, last: last({ at_ms: Date.now(), outcome: "offline" }) }));
    await vi.waitFor(() => expect(q("sync-button").textContent).toBe("Offline, 1 commit waiting"));
    expect(q("sync-button").dataset.look).toBe("offline");
  });

  it("keeps 'synced N min ago' true as time passes", async () => {
    vi.useFakeTimers({ now: NOW, toFake: ["setInterval", "clearInterval", "Date"] });
    const { sync } = rig(() => status());
    sync.show(status({ last: last({ at_ms: NOW }) }));
    expect(q("sync-button").textContent).toBe("Synced just now");
    vi.advanceTimersByTime(3 * 60_000);
    expect(q("sync-button").textContent).toBe("Synced 3 min ago");
  });
});

describe("the Sync action", () => {
  it("is in the palette with its shortcut", () => {
    let synced = 0;
    const target = new Proxy({} as ActionTarget, { get: (_t, k) => (k === "syncNow" ? () => synced++ : () => undefined) });
    const action = buildActions(target).find((a) => a.id === "sync")!;
    expect(action.shortcut).toBe(SYNC_SHORTCUT);
    action.run();
    expect(synced).toBe(1);
  });
});

describe("the window", () => {
  it("asks where the folder stands once it is open, and again after another folder opens", async () => {
    let repo = true;
    const fake = fakeIpc((cmd, args) => {
      switch (cmd) {
        case "get_settings":
          return settings();
        case "open_workspace":
          return workspace();
        case "list_drafts":
          return page([summary()], args);
        case "sync_status":
          return status({ repository: repo, last: last({ at_ms: Date.now() }) });
        default:
          return null;
      }
    });
    const { app } = await startApp();
    await vi.waitFor(() => expect(q("sync-button").textContent).toBe("Synced just now"));
    expect(q("sync-button").hidden).toBe(false);
    expect(app.root.querySelector(".status-bar")!.contains(q("sync-button"))).toBe(true);
    repo = false;
    await app.openWorkspace("/srv/plain-folder");
    await vi.waitFor(() => expect(q("sync-button").hidden).toBe(true));
    expect(calls(fake, "sync_status").length).toBeGreaterThanOrEqual(2);
  });
});
