import { describe, expect, it, vi } from "vitest";
import { emit } from "@tauri-apps/api/event";
import type { DeskQueueItem, OutboxJob, ReviewQueueItem, Role } from "../src/ipc";
import { MINSK_TEXT, job, opened, page, summary, workspace } from "./fixtures";
import { type FakeIpc, calls, fakeIpc, q, qa, rendered, settings, startApp, useWindowHarness } from "./harness";

interface Backend extends FakeIpc {
  role: Role;
  outbox: OutboxJob[];
}

const HOSTILE = '<img src=x onerror="alert(1)">';
const OTHER = summary({ path: "world/other.md", title: "Other", status: "in-review" });

const reviewItems = (): ReviewQueueItem[] => [
  {
    draft: summary({ status: "in-review" }),
    entered: { by: "Ana Kovač", at: new Date(Date.now() - 2 * 3_600_000).toISOString(), from: "draft", to: "in-review", note: null },
    waiting_since_ms: Date.now() - 2 * 3_600_000,
    open_marks: 2,
    changes: {
      basis: "your-review",
      at: new Date().toISOString(),
      revision: 4,
      lines_added: 3,
      lines_removed: 1,
      diff: `--- a\n+++ b\n@@ -1,2 +1,4 @@\n First paragraph.\n-Old line\n+${HOSTILE}\n+New fact\n+More\n`,
      lines: [
        { tag: "equal", text: "First paragraph.", words: [] },
        { tag: "delete", text: "Old line", words: [] },
        { tag: "insert", text: HOSTILE, words: [] },
        {
          tag: "delete",
          text: "Talks met on Tuesday in Minsk.",
          words: [
            { changed: false, text: "Talks met on " },
            { changed: true, text: "Tuesday" },
            { changed: false, text: " in Minsk." },
          ],
        },
        {
          tag: "insert",
          text: "Talks met on Wednesday in Minsk.",
          words: [
            { changed: false, text: "Talks met on " },
            { changed: true, text: `Wednesday${HOSTILE}` },
            { changed: false, text: " in Minsk." },
          ],
        },
        { tag: "insert", text: "New fact", words: [] },
      ],
    },
    editing: { name: "Edith Moreau", host: "desk-3", pid: 1, since: new Date().toISOString(), at: new Date().toISOString() },
  },
  { draft: OTHER, entered: null, waiting_since_ms: Date.now() - 60_000, open_marks: 0, changes: null, editing: null },
];

const deskItems = (): DeskQueueItem[] => [
  {
    draft: summary({ status: "approved" }),
    entered: { by: "Edith Moreau", at: new Date().toISOString(), from: "in-review", to: "approved", note: null },
    waiting_since_ms: Date.now(),
    checks: [
      { id: "title", passed: true, message: "Title set" },
      { id: "excerpt", passed: false, message: "No excerpt" },
    ],
    ready: false,
    editing: null,
  },
];

const waitingJob = (): OutboxJob => job({ attempts: 2, next_attempt_ms: Date.now() + 60_000, last_error_code: "unavailable", last_error: "Portal down" });

function backend(role: Role, outbox: OutboxJob[] = []): Backend {
  const b: Backend = Object.assign(
    fakeIpc(() => null),
    { role, outbox },
  );
  b.answer = async (cmd, args) => {
    switch (cmd) {
      case "get_settings":
        return settings({ user_name: "Edith Moreau", role: b.role });
      case "open_workspace":
        return workspace([summary(), OTHER]);
      case "list_drafts":
        return page([summary(), OTHER], args);
      case "read_draft":
        return opened({ path: String(args.path), text: MINSK_TEXT, hash: "h0" });
      case "render_preview":
        return rendered();
      case "outbox_list":
        return b.outbox;
      case "review_queue":
        return reviewItems();
      case "desk_queue":
        return deskItems();
      case "portal_list":
        return [{ name: "main", url: "https://portal.example", user: "ana" }];
      case "desk_checklist":
        return [];
      case "review_transitions":
      case "review_marks":
        return [];
      default:
        return null;
    }
  };
  return b;
}

useWindowHarness();

async function started() {
  return (await startApp()).app;
}

describe("queue", () => {
  it("editors get review_queue: who, when, marks, changes, escaped coloured diff, who is editing; a click opens the draft", async () => {
    const b = backend("editor");
    const app = await started();
    q("queue-open").click();
    await vi.waitFor(() => expect(qa("queue-item")).toHaveLength(2));
    expect(calls(b, "review_queue")).toHaveLength(1);
    expect(calls(b, "desk_queue")).toHaveLength(0);
    const [first, second] = qa("queue-item");
    expect(first.dataset.path).toBe("world/minsk.md");
    expect(second.dataset.path).toBe("world/other.md");
    expect(first.textContent).toContain("Minsk talks stall");
    expect(first.textContent).toContain("Submitted by Ana Kovač");
    expect(first.textContent).toContain("2 open marks");
    expect(first.textContent).toContain("+3 −1 lines since your last review");
    expect(first.textContent).toContain("Edith Moreau is editing");
    expect(second.textContent).not.toContain("is editing");
    expect(second.querySelector('[data-testid="queue-diff"]')).toBeNull();

    const diff = first.querySelector<HTMLElement>('[data-testid="queue-diff"]')!;
    expect(diff.closest("details")).not.toBeNull();
    expect(diff.querySelector("img")).toBeNull();
    expect(diff.textContent).toContain(HOSTILE);
    expect(diff.innerHTML).toContain("&lt;img");
    const ins = Array.from(diff.querySelectorAll(".diff-ins")).map((e) => e.textContent);
    const del = Array.from(diff.querySelectorAll(".diff-del")).map((e) => e.textContent);
    expect(ins).toEqual([`+${HOSTILE}`, `+Talks met on Wednesday${HOSTILE} in Minsk.`, "+New fact"]);
    expect(del).toEqual(["−Old line", "−Talks met on Tuesday in Minsk."]);
    // the paragraph's one changed word is marked, not the paragraph (and still only text)
    expect(Array.from(diff.querySelectorAll("mark.diff-word")).map((e) => e.textContent)).toEqual(["Tuesday", `Wednesday${HOSTILE}`]);

    // clicking inside the diff does not open; clicking the row does
    diff.click();
    expect(q("queue-dialog")).not.toBeNull();
    first.querySelector<HTMLElement>(".queue-title")!.click();
    await vi.waitFor(() => expect(app.current?.session.path).toBe("world/minsk.md"));
    expect(q("queue-dialog")).toBeNull();
  });

  it("the desk gets desk_queue with the checklist and ready badge; Publish… opens the publish panel (Ctrl+Shift+Q)", async () => {
    const b = backend("desk");
    const app = await started();
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "Q", ctrlKey: true, shiftKey: true, bubbles: true }));
    await vi.waitFor(() => expect(qa("queue-item")).toHaveLength(1));
    expect(calls(b, "desk_queue")).toHaveLength(1);
    expect(calls(b, "review_queue")).toHaveLength(0);
    const item = q("queue-item");
    expect(item.dataset.ready).toBe("false");
    expect(item.textContent).toContain("not ready");
    const checks = Array.from(item.querySelectorAll<HTMLElement>('[data-testid="check-item"]'));
    expect(checks.map((c) => [c.dataset.id, c.dataset.passed, c.textContent])).toEqual([
      ["title", "true", "✓Title set"],
      ["excerpt", "false", "✗No excerpt"],
    ]);
    q("queue-publish").click();
    await vi.waitFor(() => expect(q("publish-panel")).not.toBeNull());
    expect(app.current?.session.path).toBe("world/minsk.md");
    expect(q("queue-dialog")).toBeNull();
  });

  it("reporters see the review queue read-only, from the palette entry", async () => {
    const b = backend("reporter");
    const app = await started();
    app.actions.find((a) => a.title === "Review queue")!.run();
    await vi.waitFor(() => expect(qa("queue-item")).toHaveLength(2));
    expect(calls(b, "review_queue")).toHaveLength(1);
    expect(q("queue-dialog").dataset.readonly).toBe("true");
    expect(qa("queue-publish")).toHaveLength(0);
  });
});

describe("queued marker", () => {
  it("shows a clock on drafts with an outbox job not done; an outbox-event reads the list again", async () => {
    const b = backend("reporter", [waitingJob(), { ...waitingJob(), key: "k2", path: "world/other.md", state: "done" }]);
    await started();
    await vi.waitFor(() => expect(qa("queued-badge")).toHaveLength(1));
    const badge = q("queued-badge");
    expect(badge.closest("li")!.dataset.path).toBe("world/minsk.md");
    expect(badge.title).toBe("Waiting in the outbox: Portal down");

    b.outbox = [{ ...waitingJob(), state: "done", link: "https://portal.example/minsk" }];
    const before = calls(b, "outbox_list").length;
    await emit("outbox-event", { key: "k1", state: "done" });
    await vi.waitFor(() => expect(calls(b, "outbox_list").length).toBeGreaterThan(before));
    await vi.waitFor(() => expect(qa("queued-badge")).toHaveLength(0));
  });

  it("keeps the marker when the list is rendered again", async () => {
    backend("reporter", [waitingJob()]);
    const app = await started();
    await vi.waitFor(() => expect(qa("queued-badge")).toHaveLength(1));
    await app.drafts.refresh();
    expect(qa("queued-badge")).toHaveLength(1);
  });
});
