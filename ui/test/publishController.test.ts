// Publishing the open draft and the outbox markers, through the fake IPC.
import { describe, expect, it, vi } from "vitest";
import { emit } from "@tauri-apps/api/event";
import { ipc, type OutboxJob } from "../src/ipc";
import { PublishController } from "../src/publishController";
import { MINSK_TEXT, job as fixtureJob, opened, page, summary } from "./fixtures";
import { type FakeIpc, afterTest, calls, documentRig, fakeIpc, q, useWindowHarness } from "./harness";

useWindowHarness();

const job = (path: string, state: OutboxJob["state"] = "waiting"): OutboxJob =>
  fixtureJob({ key: `k-${path}`, path, state, attempts: 1, next_attempt_ms: Date.now() + 60_000, last_error_code: "unavailable", last_error: "Portal down", link: null });
const POSTED = `${MINSK_TEXT.replace("status: draft\n", "status: draft\nportal:\n  post_id: 7\n")}`;

interface Portal extends FakeIpc {
  file: { text: string; hash: string };
  outbox: () => OutboxJob[] | Promise<OutboxJob[]>;
}

function portal(): Portal {
  const p: Portal = Object.assign(
    fakeIpc(() => null),
    { file: { text: MINSK_TEXT, hash: "h0" }, outbox: (): OutboxJob[] => [] },
  );
  p.answer = async (cmd, args) => {
    switch (cmd) {
      case "read_draft":
        return opened({ text: p.file.text, hash: p.file.hash });
      case "list_drafts":
        return page([summary(), summary({ path: "world/other.md", title: "Other" })], args);
      case "outbox_list":
        return p.outbox();
      case "portal_list":
        return [{ name: "main", url: "https://portal.example", user: "ana" }];
      case "desk_checklist":
        return [{ id: "title", passed: true, message: "Title set" }];
      case "publish_draft":
        // the Rust side records the post in the file
        p.file = { text: POSTED, hash: "h1" };
        return { outcome: "published", post_id: 7, link: "https://portal.example/minsk", status: "publish", created: true, adopted: false, images_uploaded: 0, images_reused: 0, warnings: [] };
      default:
        return null;
    }
  };
  return p;
}

async function rig() {
  const r = documentRig();
  const opened: string[] = [];
  const publish = new PublishController({
    ipc,
    doc: r.doc,
    drafts: r.parts.drafts,
    metadata: r.parts.metadata,
    status: r.parts.status,
    listChanged: r.parts.listChanged,
    openExternal: (u) => opened.push(u),
    openSettings: () => {},
  });
  await publish.listen();
  afterTest(() => publish.dispose());
  await r.parts.drafts.refresh();
  return { ...r, publish, opened };
}

const queuedPaths = () =>
  Array.from(document.querySelectorAll<HTMLElement>('[data-testid="draft-item"]'))
    .filter((li) => li.querySelector('[data-testid="queued-badge"]'))
    .map((li) => li.dataset.path);

describe("the publish controller", () => {
  it("marks drafts with an outbox job not done, and reads the outbox again on outbox-event", async () => {
    const p = portal();
    p.outbox = () => [job("world/minsk.md"), job("world/other.md", "done")];
    const { publish } = await rig();
    await publish.refreshOutbox();
    expect(queuedPaths()).toEqual(["world/minsk.md"]);
    p.outbox = () => [];
    await emit("outbox-event", { key: "k-world/minsk.md", state: "done" });
    await vi.waitFor(() => expect(queuedPaths()).toEqual([]));
    expect(calls(p, "outbox_list")).toHaveLength(2);
  });

  it("the latest outbox answer wins over a slower earlier one", async () => {
    const p = portal();
    let release: (jobs: OutboxJob[]) => void = () => {};
    p.outbox = () => new Promise<OutboxJob[]>((r) => (release = r));
    const { publish } = await rig();
    const first = publish.refreshOutbox();
    const late = release;
    p.outbox = () => [];
    await publish.refreshOutbox();
    late([job("world/minsk.md")]);
    await first;
    expect(queuedPaths()).toEqual([]);
  });

  it("without a draft it says so; with one, Publish saves, publishes and takes in the post the file now records", async () => {
    const p = portal();
    const { publish, doc, parts, listChanges } = await rig();
    await publish.open();
    expect(parts.status.element.textContent).toContain("Open a draft first");
    expect(publish.panel).toBeNull();
    await doc.openPath("world/minsk.md");
    await publish.open();
    q<HTMLButtonElement>("publish-go").click();
    await vi.waitFor(() => expect(doc.editor.getText()).toBe(POSTED));
    expect(calls(p, "publish_draft")[0].args).toMatchObject({ path: "world/minsk.md", portal: "main" });
    expect(doc.current!.session.baseHash).toBe("h1");
    expect(listChanges.length).toBeGreaterThan(0);
    await vi.waitFor(() => expect(calls(p, "outbox_list").length).toBeGreaterThan(0));
  });
});
