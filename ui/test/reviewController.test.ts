// Review of the open draft through the fake IPC: workflow moves, marks, suggest mode, the
// desk queue and review notifications.
import { describe, expect, it, vi } from "vitest";
import { emit } from "@tauri-apps/api/event";
import { ipc, type Role } from "../src/ipc";
import { Notifications } from "../src/presence";
import { ReviewController } from "../src/reviewController";
import { MINSK_TEXT, opened, summary } from "./fixtures";
import { type FakeIpc, afterTest, calls, documentRig, fakeIpc, q, typeAtEnd, useWindowHarness } from "./harness";

useWindowHarness();

const MARKED = MINSK_TEXT.replace("First paragraph.", "First {++new ++}paragraph.");

interface Desk extends FakeIpc {
  file: { text: string; hash: string };
}

function desk(): Desk {
  const d: Desk = Object.assign(
    fakeIpc(() => null),
    { file: { text: MARKED, hash: "h0" } },
  );
  d.answer = async (cmd, args) => {
    switch (cmd) {
      case "read_draft":
        return opened({ path: String(args.path), text: d.file.text, hash: d.file.hash });
      case "review_transition":
        d.file = { text: d.file.text.replace("status: draft", `status: ${String(args.to)}`), hash: "h1" };
        return opened({ text: d.file.text, hash: "h1", summary: summary({ status: args.to as never }) });
      case "review_resolve":
        return String(args.text).replace("{++new ++}", args.accept ? "new " : "");
      case "review_transitions":
      case "review_marks":
      case "desk_checklist":
        return [];
      case "desk_queue":
        return [{ draft: summary({ status: "approved" }), entered: null, waiting_since_ms: Date.now(), checks: [], ready: true, editing: null }];
      default:
        return null;
    }
  };
  return d;
}

function rig(role: Role = "desk") {
  let reviewing: ReviewController | null = null;
  const r = documentRig({ review: () => reviewing!, suggesting: () => reviewing!.suggesting });
  const notified: string[] = [];
  const notifications = new Notifications((path) => notified.push(path));
  const publishes: string[] = [];
  reviewing = new ReviewController({
    ipc,
    doc: r.doc,
    metadata: r.parts.metadata,
    status: r.parts.status,
    errorBanner: r.parts.errorBanner,
    notifications,
    role: () => role,
    listChanged: r.parts.listChanged,
    openPublish: async () => {
      publishes.push(r.doc.current?.session.path ?? "none");
    },
  });
  document.body.append(notifications.toasts, reviewing.suggestButton);
  afterTest(() => reviewing!.dispose());
  return { ...r, reviewing, notified, publishes };
}

describe("the review controller", () => {
  it("a workflow move saves first, then the file Rust wrote becomes the editor's text and base", async () => {
    const d = desk();
    const { doc, reviewing, listChanges, parts } = rig();
    await doc.openPath("world/minsk.md");
    typeAtEnd(doc.editor, "More.");
    await reviewing.transition("in-review", "Please check the quote");
    expect(calls(d, "save_draft")).toHaveLength(1);
    expect(calls(d, "review_transition")[0].args).toEqual({ path: "world/minsk.md", to: "in-review", note: "Please check the quote" });
    expect(doc.editor.getText()).toContain("status: in-review");
    expect(doc.current!.session.baseHash).toBe("h1");
    expect(doc.current!.summary.status).toBe("in-review");
    expect(listChanges.length).toBeGreaterThan(0);
    expect(parts.status.element.textContent).toContain("is now In review");
  });

  it("accepting a mark sends the text to review_resolve and takes the answer; a goto selects the mark", async () => {
    const d = desk();
    const { doc, reviewing } = rig();
    await doc.openPath("world/minsk.md");
    const start = new TextEncoder().encode(MARKED.slice(0, MARKED.indexOf("{++"))).length;
    reviewing.gotoMark({ id: "i0a1b2c3d", kind: "insertion", range: { start, end: start + 10 }, line: 7, text: "new ", new_text: null, comment: null, author: null, inside: null });
    const sel = doc.editor.view.state.selection.main;
    expect([sel.from, sel.to]).toEqual([MARKED.indexOf("{++"), MARKED.indexOf("{++") + 10]);
    await reviewing.resolveMarks(null, true);
    expect(calls(d, "review_resolve")[0].args).toEqual({ text: MARKED, id: null, accept: true });
    expect(doc.editor.getText()).toBe(MINSK_TEXT.replace("First paragraph.", "First new paragraph."));
  });

  it("typing while a mark is resolved: the same id is resolved again on the new text", async () => {
    const d = desk();
    const { doc, reviewing } = rig();
    await doc.openPath("world/minsk.md");
    const answer = d.answer;
    let typed = false;
    d.answer = async (cmd, args) => {
      if (cmd === "review_resolve" && !typed) {
        typed = true;
        typeAtEnd(doc.editor, " More.");
      }
      return answer(cmd, args);
    };
    await reviewing.resolveMarks("i0a1b2c3d", true);
    const sent = calls(d, "review_resolve").map((c) => c.args.id);
    expect(sent).toEqual(["i0a1b2c3d", "i0a1b2c3d"]);
    expect(doc.editor.getText()).toContain("First new paragraph.");
    expect(doc.editor.getText()).toContain(" More.");
  });

  it("suggest mode: the button, the editor and its host follow the toggle", async () => {
    desk();
    const { doc, reviewing } = rig();
    reviewing.toggleSuggest(); // before the editor is loaded
    await doc.openPath("world/minsk.md");
    expect(doc.editor.suggesting).toBe(true);
    expect(reviewing.suggestButton.getAttribute("aria-pressed")).toBe("true");
    expect(doc.editorHost.classList.contains("suggesting")).toBe(true);
    reviewing.toggleSuggest();
    expect(doc.editor.suggesting).toBe(false);
    expect(reviewing.suggestButton.getAttribute("aria-pressed")).toBe("false");
  });

  it("the desk queue's Publish… opens the draft, then the publish panel for it", async () => {
    const d = desk();
    const { reviewing, publishes } = rig("desk");
    await reviewing.openQueue();
    expect(calls(d, "desk_queue")).toHaveLength(1);
    q("queue-publish").click();
    await vi.waitFor(() => expect(publishes).toEqual(["world/minsk.md"]));
  });

  it("a review notification shows as a toast that opens its draft", async () => {
    desk();
    const { reviewing, notified } = rig();
    await reviewing.listen();
    await emit("review-notification", { path: "world/minsk.md", message: "Edith Moreau approved ‘Minsk talks’" });
    await vi.waitFor(() => expect(q("toast").textContent).toContain("Edith Moreau approved"));
    q("toast").click();
    expect(notified).toEqual(["world/minsk.md"]);
  });
});
