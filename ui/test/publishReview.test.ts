import { describe, expect, it, vi } from "vitest";
import { emit } from "@tauri-apps/api/event";
import { undo } from "@codemirror/commands";
import type { App } from "../src/app";
import type { Check, Mark, OpenedDraft, PublishOutcome } from "../src/ipc";
import { byteToIndex } from "../src/ipc";
import { MINSK_TEXT, PUBLISHED_REST, opened, page, summary, workspace } from "./fixtures";
import { type FakeIpc, calls, fakeIpc, openFromList, q, qa, rendered, settings, startApp, useWindowHarness } from "./harness";

interface Backend extends FakeIpc {
  text: string;
  publish: (args: Record<string, unknown>) => Promise<PublishOutcome> | PublishOutcome;
  checks: Check[];
  marks: Mark[];
  lock: unknown;
  transitioned?: OpenedDraft;
}

const MARKED = MINSK_TEXT.replace("First paragraph.", "First {++new ++}paragraph.{>>EM: source?<<}");

function backend(text = MINSK_TEXT): Backend {
  const b: Backend = Object.assign<FakeIpc, Omit<Backend, keyof FakeIpc>>(
    fakeIpc(() => null),
    {
      text,
      publish: () => ({
        outcome: "published",
        ...PUBLISHED_REST,
        post_id: 7,
        link: "https://portal.example/minsk",
        status: "publish",
        created: true,
        adopted: false,
        images_uploaded: 1,
        images_reused: 0,
        warnings: [],
      }),
      checks: [
        { id: "title", passed: true, message: "Title set" },
        { id: "excerpt", passed: false, message: "No excerpt" },
      ],
      marks: [],
      lock: null,
    },
  );
  b.answer = async (cmd, args) => {
    switch (cmd) {
      case "get_settings":
        return settings({ user_name: "Ana Kovač" });
      case "open_workspace":
        return workspace([summary(), summary({ path: "world/other.md", title: "Other", portal_post_id: 9, portal_link: "https://portal.example/other" })]);
      case "list_drafts":
        return page([summary()], args);
      case "read_draft":
        return opened({ path: String(args.path), text: b.text, hash: "h0" });
      case "render_preview":
        return rendered();
      case "save_draft":
        b.text = String(args.text);
        return { kind: "saved", hash: "h1", path: args.path };
      case "update_front_matter":
        return String(args.text).replace("status: draft\n", `status: draft\npublish_at: ${String((args.changes as Record<string, string>).publish_at)}\n`);
      case "save_settings":
        return args.settings;
      case "portal_list":
        return [{ name: "main", url: "https://portal.example", user: "ana" }];
      case "desk_checklist":
        return b.checks;
      case "publish_draft":
        return b.publish(args);
      case "outbox_list":
        return [
          {
            key: "k1",
            portal: "main",
            path: "world/minsk.md",
            state: "waiting",
            attempts: 2,
            next_attempt_ms: Date.now() + 60_000,
            last_error_code: "unavailable",
            last_error: "Portal down",
            link: null,
          },
        ];
      case "review_transitions":
        if (args.status === "changes-requested") return [{ from: "changes-requested", to: "in-review", action: "resubmit", label: "Resubmit for review" }];
        if (args.status === "approved") return [{ from: "approved", to: "published", action: "publish", label: "Mark as published elsewhere" }];
        return args.status === "draft" ? [{ from: "draft", to: "in-review", action: "submit", label: "Submit for review" }] : [];
      case "review_transition":
        return b.transitioned;
      case "review_change_request":
        return String(args.text).includes("status: changes-requested")
          ? { by: "Edith Moreau", at: new Date(Date.now() - 2 * 3_600_000).toISOString(), from: "in-review", to: "changes-requested", note: "Needs the ministry's reply" }
          : null;
      case "review_marks":
        return b.marks;
      case "review_resolve":
        return String(args.text)
          .replace("{++new ++}", args.accept ? "new " : "")
          .replace("{>>EM: source?<<}", "");
      case "lock_hold":
        return b.lock;
      default:
        return null;
    }
  };
  return b;
}

useWindowHarness();

async function started(_b: Backend) {
  const { app, mount } = await startApp();
  await openFromList(app);
  return { app, mount };
}

async function openPublish(app: App) {
  q("publish-open").click();
  await vi.waitFor(() => expect(app.publishPanel).not.toBeNull());
  await app.publishPanel!.ready;
}

describe("publishing", () => {
  it("shows the checklist with pass/fail and the portals", async () => {
    const b = backend();
    const { app } = await started(b);
    await openPublish(app);
    const items = qa("check-item");
    expect(items.map((i) => [i.dataset.id, i.dataset.passed, i.textContent])).toEqual([
      ["title", "true", "✓Title set"],
      ["excerpt", "false", "✗No excerpt"],
    ]);
    expect(calls(b, "desk_checklist")[0].args).toEqual({ path: "world/minsk.md", text: MINSK_TEXT });
    expect(q<HTMLSelectElement>("publish-portal").value).toBe("main");
    expect(q<HTMLButtonElement>("publish-go").disabled).toBe(false);
  });

  it("open marks block the Publish button", async () => {
    const b = backend();
    b.checks = [{ id: "open_marks", passed: false, message: "2 open suggestions" }];
    const { app } = await started(b);
    await openPublish(app);
    expect(q<HTMLButtonElement>("publish-go").disabled).toBe(true);
  });

  it("saves first, shows progress steps from events, then the link", async () => {
    const b = backend();
    const { app } = await started(b);
    app.editor.view.dispatch({ changes: { from: app.editor.view.state.doc.length, insert: "More." }, userEvent: "input.type" });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    b.publish = async () => {
      await emit("publish-progress", { path: "world/minsk.md", progress: { step: "connecting", portal: "main" } });
      await emit("publish-progress", { path: "world/minsk.md", progress: { step: "image", done: 1, total: 5, file: "a.jpg" } });
      await emit("publish-progress", { path: "world/minsk.md", progress: { step: "image", done: 2, total: 5, file: "b.jpg" } });
      await emit("publish-progress", { path: "world/other.md", progress: { step: "post", action: "x" } });
      await gate;
      await emit("publish-progress", { path: "world/minsk.md", progress: { step: "post", action: "create" } });
      await emit("publish-progress", { path: "world/minsk.md", progress: { step: "done", link: "https://portal.example/minsk" } });
      return {
        outcome: "published",
        ...PUBLISHED_REST,
        post_id: 7,
        link: "https://portal.example/minsk",
        status: "publish",
        created: true,
        adopted: false,
        images_uploaded: 2,
        images_reused: 0,
        warnings: ["Tag ‘x’ created"],
      };
    };
    await openPublish(app);
    q("publish-go").click();
    await vi.waitFor(() => expect(qa("publish-step").map((s) => s.textContent)).toEqual(["Connecting to main", "Images 2/5"]));
    expect(calls(b, "save_draft")).toHaveLength(1);
    expect(b.calls.findIndex((c) => c.cmd === "save_draft")).toBeLessThan(b.calls.findIndex((c) => c.cmd === "publish_draft"));
    release();
    await vi.waitFor(() => expect(q("publish-link")).not.toBeNull());
    expect(qa("publish-step").map((s) => s.textContent)).toEqual(["Connecting to main", "Images 2/5", "Post (create)", "Done"]);
    expect(calls(b, "publish_draft")[0].args).toEqual({ path: "world/minsk.md", portal: "main", status: "publish", overwrite: false, republish_new: false });
    expect(q("publish-warning").textContent).toContain("Tag ‘x’ created");
    q("publish-link").click();
    await vi.waitFor(() => expect(calls(b, "open_external")[0]?.args).toEqual({ url: "https://portal.example/minsk" }));
  });

  it("shows a queued outcome", async () => {
    const b = backend();
    b.publish = () => ({ outcome: "queued", job_key: "k", portal: "main", path: "world/minsk.md", code: "unavailable", message: "the portal did not answer", next_attempt_ms: Date.now() + 60_000 });
    const { app } = await started(b);
    await openPublish(app);
    q("publish-go").click();
    await vi.waitFor(() => expect(q("publish-queued").textContent).toBe("Queued — will retry: the portal did not answer"));
  });

  it("changed_on_portal offers Overwrite, which publishes again with overwrite: true", async () => {
    const b = backend();
    let n = 0;
    b.publish = () => {
      if (n++ === 0) throw { code: "changed_on_portal", message: "Someone edited the post on the portal" };
      return {
        outcome: "published",
        ...PUBLISHED_REST,
        post_id: 7,
        link: "https://portal.example/minsk",
        status: "publish",
        created: false,
        adopted: false,
        images_uploaded: 0,
        images_reused: 1,
        warnings: [],
      };
    };
    const { app } = await started(b);
    await openPublish(app);
    q("publish-go").click();
    await vi.waitFor(() => expect(q("publish-error").textContent).toContain("Someone edited the post on the portal"));
    expect(q("publish-as-new")).toBeNull();
    q("publish-overwrite").click();
    await vi.waitFor(() => expect(q("publish-link")).not.toBeNull());
    expect(calls(b, "publish_draft").map((c) => [c.args.overwrite, c.args.republish_new])).toEqual([
      [false, false],
      [true, false],
    ]);
  });

  it("deleted_on_portal offers Publish as new", async () => {
    const b = backend();
    b.publish = (args) => {
      if (!args.republish_new) throw { code: "deleted_on_portal", message: "The post was deleted" };
      return {
        outcome: "published",
        ...PUBLISHED_REST,
        post_id: 8,
        link: "https://portal.example/new",
        status: "publish",
        created: true,
        adopted: false,
        images_uploaded: 0,
        images_reused: 0,
        warnings: [],
      };
    };
    const { app } = await started(b);
    await openPublish(app);
    q("publish-go").click();
    await vi.waitFor(() => expect(q("publish-as-new")).not.toBeNull());
    q("publish-as-new").click();
    await vi.waitFor(() => expect(q("publish-link").textContent).toBe("https://portal.example/new"));
  });

  it("Schedule writes publish_at first, then publishes as future", async () => {
    const b = backend();
    const { app } = await started(b);
    await openPublish(app);
    q<HTMLInputElement>("publish-status-future").checked = true;
    q("publish-status-future").dispatchEvent(new Event("change"));
    q<HTMLInputElement>("publish-schedule-at").value = "2030-12-01T08:00";
    q("publish-go").click();
    await vi.waitFor(() => expect(calls(b, "publish_draft")).toHaveLength(1));
    const fm = calls(b, "update_front_matter")[0].args.changes as Record<string, string>;
    expect(fm.publish_at).toMatch(/^2030-12-01T/);
    expect(b.text).toContain("publish_at: 2030-12-01T");
    expect(calls(b, "publish_draft")[0].args.status).toBe("future");
  });

  it("Ctrl+Alt+P opens the panel (not Ctrl+Shift+U, GTK's Unicode entry); the outbox lists jobs and retries", async () => {
    const b = backend();
    const { app } = await started(b);
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "U", code: "KeyU", ctrlKey: true, shiftKey: true, bubbles: true }));
    await new Promise((r) => setTimeout(r, 50));
    expect(q("publish-panel")).toBeNull();
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "p", code: "KeyP", ctrlKey: true, altKey: true, bubbles: true }));
    await vi.waitFor(() => expect(q("publish-panel")).not.toBeNull());
    await app.publishPanel!.ready;
    q("outbox-open").click();
    await vi.waitFor(() => expect(qa("outbox-job")).toHaveLength(1));
    expect(q("outbox-job").textContent).toContain("Portal down");
    q("outbox-retry").click();
    await vi.waitFor(() => expect(calls(b, "outbox_retry_now")).toHaveLength(1));
  });

  it("marks published drafts in the list", async () => {
    const b = backend();
    await started(b);
    const icons = qa("published-link");
    expect(icons).toHaveLength(1);
    expect(icons[0].closest("li")!.dataset.path).toBe("world/other.md");
  });
});

describe("review", () => {
  it("offers the transitions for the status and loads the returned draft as the new base", async () => {
    const b = backend();
    const next = MINSK_TEXT.replace("status: draft", "status: in-review\nreview:\n  - by: Ana");
    b.transitioned = opened({ text: next, hash: "h9", summary: summary({ status: "in-review" }) });
    const { app } = await started(b);
    await vi.waitFor(() => expect(qa("review-transition").map((x) => x.textContent)).toEqual(["Submit for review"]));
    expect(calls(b, "review_transitions")[0].args).toEqual({ status: "draft", path: "world/minsk.md" });
    q<HTMLTextAreaElement>("review-note").value = "Second source added";
    q("review-transition").click();
    await vi.waitFor(() => expect(app.editor.getText()).toBe(next));
    expect(calls(b, "review_transition")[0].args).toEqual({ path: "world/minsk.md", to: "in-review", note: "Second source added" });
    expect(app.current!.session.baseHash).toBe("h9");
    expect(app.current!.session.isDirty()).toBe(false);
    await vi.waitFor(() => expect(calls(b, "review_transitions").at(-1)!.args).toEqual({ status: "in-review", path: "world/minsk.md" }));
  });

  it("'Mark as published elsewhere' asks first; Cancel sends nothing, confirming makes the move", async () => {
    const b = backend(MINSK_TEXT.replace("status: draft", "status: approved"));
    const { app } = await started(b);
    await vi.waitFor(() => expect(qa("review-transition").map((x) => x.textContent)).toEqual(["Mark as published elsewhere"]));
    q("review-transition").click();
    await vi.waitFor(() => expect(q("confirm-published-elsewhere")).not.toBeNull());
    expect(document.activeElement).toBe(q("confirm-cancel"));
    q("confirm-cancel").click();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls(b, "review_transition")).toHaveLength(0);

    b.transitioned = opened({ text: b.text.replace("status: approved", "status: published"), hash: "h7", summary: summary({ status: "published" }) });
    q("review-transition").click();
    await vi.waitFor(() => expect(q("confirm-ok")).not.toBeNull());
    q("confirm-ok").click();
    await vi.waitFor(() => expect(calls(b, "review_transition")).toHaveLength(1));
    expect(calls(b, "review_transition")[0].args).toMatchObject({ to: "published" });
    await vi.waitFor(() => expect(app.editor.getText()).toContain("status: published"));
    // no portal post recorded: the sidebar says it went out elsewhere
    await vi.waitFor(() => expect(q("status-note").textContent).toContain("published elsewhere"));
  });

  it("a piece sent back shows who asked for what above the text; resubmitted, the note goes", async () => {
    const b = backend(MINSK_TEXT.replace("status: draft", "status: changes-requested"));
    await started(b);
    await vi.waitFor(() => expect(q("change-request").hidden).toBe(false));
    expect(q("change-request").textContent).toContain("Changes requested by Edith Moreau");
    expect(q("change-request-note").textContent).toContain("Needs the ministry's reply");
    // the banner is in the editor pane, above the text
    expect(q("change-request").closest(".editor-pane")).not.toBeNull();
    // resubmitted: nothing is asked any more
    b.transitioned = opened({ text: MINSK_TEXT.replace("status: draft", "status: in-review"), hash: "h5", summary: summary({ status: "in-review" }) });
    await vi.waitFor(() => expect(qa("review-transition").map((x) => x.textContent)).toEqual(["Resubmit for review"]));
    q("review-transition").click();
    await vi.waitFor(() => expect(q("change-request").hidden).toBe(true));
  });

  it("the moves follow a role change in Settings at once", async () => {
    const b = backend();
    await started(b);
    await vi.waitFor(() => expect(calls(b, "review_transitions")).toHaveLength(1));
    document.dispatchEvent(new KeyboardEvent("keydown", { key: ",", ctrlKey: true, bubbles: true }));
    await vi.waitFor(() => expect(q("settings-role")).not.toBeNull());
    q<HTMLSelectElement>("settings-role").value = "editor";
    q("settings-dialog")
      .querySelector("form")!
      .dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(calls(b, "save_settings")).toHaveLength(1));
    await vi.waitFor(() => expect(calls(b, "review_transitions")).toHaveLength(2));
  });

  it("lists marks; accept goes through review_resolve as one undoable step; click moves the cursor", async () => {
    const b = backend(MARKED);
    const enc = new TextEncoder();
    const at = (s: string) => enc.encode(MARKED.slice(0, MARKED.indexOf(s))).length;
    b.marks = [
      { id: "i0a1b2c3d", kind: "insertion", range: { start: at("{++"), end: at("paragraph.") }, line: 6, text: "new ", new_text: null, comment: null, author: null, inside: null },
      { id: "c0a1b2c3d", kind: "comment", range: { start: at("{>>"), end: at("{>>") + 18 }, line: 6, text: "", new_text: null, comment: "source?", author: "EM", inside: null },
    ];
    const { app } = await started(b);
    await vi.waitFor(() => expect(qa("mark-item")).toHaveLength(2));
    expect(qa("mark-item")[1].textContent).toContain("EM");
    expect(qa("mark-item")[1].textContent).toContain("source?");
    // a card shows no file line number; clicked, it selects its mark in the text
    expect(qa("mark-item")[0].textContent).not.toMatch(/line \d/);
    qa("mark-goto")[1].click();
    const sel = app.editor.view.state.selection.main;
    expect([sel.from, sel.to]).toEqual([byteToIndex(MARKED, b.marks[1].range.start), byteToIndex(MARKED, b.marks[1].range.end)]);
    // a comment is resolved, not accepted or rejected
    expect(qa("mark-item")[1].querySelector('[data-testid="mark-accept"]')).toBeNull();
    expect(qa("mark-item")[1].querySelector('[data-testid="mark-resolve"]')!.textContent).toBe("Resolve");
    expect(qa("mark-item")[0].querySelector('[data-testid="mark-resolve"]')).toBeNull();
    qa("mark-accept")[0].click();
    await vi.waitFor(() => expect(app.editor.getText()).toBe(MARKED.replace("{++new ++}", "new ").replace("{>>EM: source?<<}", "")));
    expect(calls(b, "review_resolve")[0].args).toEqual({ text: MARKED, id: "i0a1b2c3d", accept: true });
    undo(app.editor.view);
    expect(app.editor.getText()).toBe(MARKED);
    await vi.waitFor(() => expect(q<HTMLButtonElement>("marks-reject-all").disabled).toBe(false));
    q("marks-reject-all").click();
    await vi.waitFor(() => expect(calls(b, "review_resolve")).toHaveLength(2));
    expect(calls(b, "review_resolve")[1].args).toEqual({ text: MARKED, id: null, accept: false });
  });

  it("suggest toggle turns typing into an insertion; Ctrl+Shift+E toggles it", async () => {
    const b = backend();
    const { app } = await started(b);
    q("suggest-toggle").click();
    expect(q("suggest-toggle").getAttribute("aria-pressed")).toBe("true");
    const end = app.editor.view.state.doc.length;
    app.editor.view.dispatch({ changes: { from: end, insert: "X" }, selection: { anchor: end + 1 }, userEvent: "input.type" });
    // signed with the user's initials, as every suggestion is
    expect(app.editor.getText().endsWith("{++X++}{>>AK:<<}")).toBe(true);
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "E", ctrlKey: true, shiftKey: true, bubbles: true }));
    expect(q("suggest-toggle").getAttribute("aria-pressed")).toBe("false");
    expect(app.editor.initials).toBe("AK");
  });
});

describe("presence and notifications", () => {
  it("holds the lock on open and every minute, shows who else edits, releases on switching", async () => {
    const b = backend();
    b.lock = { name: "Edith Moreau", host: "edith-laptop", pid: 1, since: "2026-11-26T10:00:00Z", at: "2026-11-26T10:03:00Z" };
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { app, mount } = await started(b);
    expect(calls(b, "lock_hold")[0].args).toEqual({ path: "world/minsk.md" });
    await vi.waitFor(() => expect(q("presence").hidden).toBe(false));
    expect(q("presence").textContent).toBe("Edith Moreau is editing this draft");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls(b, "lock_hold")).toHaveLength(2);
    vi.useRealTimers();
    b.lock = null;
    mount.querySelector<HTMLElement>('[data-testid="draft-item"][data-path="world/other.md"] button')!.click();
    await vi.waitFor(() => expect(app.current?.session.path).toBe("world/other.md"));
    expect(calls(b, "lock_release")[0].args).toEqual({ path: "world/minsk.md" });
    expect(calls(b, "lock_hold").at(-1)!.args).toEqual({ path: "world/other.md" });
    await vi.waitFor(() => expect(q("presence").hidden).toBe(true));
    await app.closeCurrent();
    expect(calls(b, "lock_release").at(-1)!.args).toEqual({ path: "world/other.md" });
  });

  it("shows review notifications as a toast and keeps them in the bell list", async () => {
    await started(backend());
    await emit("review-notification", { path: "world/minsk.md", message: "Edith Moreau approved ‘Minsk talks’" });
    await vi.waitFor(() => expect(q("toast").textContent).toBe("Edith Moreau approved ‘Minsk talks’"));
    expect(q("notifications-bell").textContent).toContain("1");
    q("notifications-bell").click();
    expect(q("notifications-list").hidden).toBe(false);
    expect(qa("notification").map((n) => n.dataset.path)).toEqual(["world/minsk.md"]);
  });
});
