/**
 * The Queue: for editors (and, read-only, reporters) the drafts waiting in review, oldest
 * first, with what changed since their last review; for the desk the approved pieces with
 * the pre-flight checklist and Publish….
 */
import { h } from "./html";
import { openDialog, type DialogHandle } from "./dialog";
import { describeError, type DeskQueueItem, type DraftSummary, type Ipc, type LockInfo, type ReviewQueueItem, type Role, type TrailEntry } from "./ipc";
import { renderDiff } from "./diffView";
import { checklistItems } from "./publishPanel";
import { relativeTime } from "./time";

export interface QueueHooks {
  open(draft: DraftSummary): void;
  publish(draft: DraftSummary): void;
}

function submitted(entered: TrailEntry | null, waitingSince: number, now: number): string {
  const when = entered ? Date.parse(entered.at) : waitingSince;
  const ago = Number.isFinite(when) ? relativeTime(when, now) : "";
  return entered ? `Submitted by ${entered.by} ${ago}` : `Waiting since ${ago}`;
}

function editingLine(editing: LockInfo | null): HTMLElement | null {
  return editing ? h("span", { class: "queue-editing", text: `${editing.name} is editing` }) : null;
}

function itemShell(d: DraftSummary): HTMLLIElement {
  return h("li", { class: "queue-item", "data-testid": "queue-item", "data-path": d.path }, h("button", { type: "button", class: "link-button queue-title", text: d.title || d.path }));
}

function reviewRow(it: ReviewQueueItem, now: number): HTMLLIElement {
  const li = itemShell(it.draft);
  li.append(
    h(
      "p",
      { class: "queue-meta muted" },
      submitted(it.entered, it.waiting_since_ms, now),
      ` · ${it.open_marks} open mark${it.open_marks === 1 ? "" : "s"}`,
      it.changes ? ` · +${it.changes.lines_added} −${it.changes.lines_removed} lines since your last review` : "",
    ),
    editingLine(it.editing) ?? "",
  );
  if (it.changes?.lines.length) {
    li.append(h("details", { class: "queue-changes" }, h("summary", { text: "Changes" }), renderDiff(it.changes.lines, 3, "queue-diff")));
  }
  return li;
}

function deskRow(it: DeskQueueItem, now: number, hooks: QueueHooks, close: () => void): HTMLLIElement {
  const li = itemShell(it.draft);
  li.dataset.ready = String(it.ready);
  const publish = h("button", { type: "button", class: "primary", "data-testid": "queue-publish", text: "Publish…" });
  publish.addEventListener("click", () => {
    close();
    hooks.publish(it.draft);
  });
  li.append(
    h(
      "p",
      { class: "queue-meta muted" },
      it.ready ? h("span", { class: "badge badge-approved queue-ready", "data-testid": "queue-ready", text: "ready" }) : h("span", { class: "badge badge-changes-requested", text: "not ready" }),
      " ",
      submitted(it.entered, it.waiting_since_ms, now).replace("Submitted", "Approved"),
    ),
    editingLine(it.editing) ?? "",
    h("ul", { class: "publish-checklist queue-checks" }, ...checklistItems(it.checks)),
    publish,
  );
  return li;
}

/** Opens the queue for the role: `review_queue` for editors and reporters, `desk_queue` for the desk. */
export function openQueue(ipc: Pick<Ipc, "reviewQueue" | "deskQueue">, role: Role, hooks: QueueHooks): { dialog: DialogHandle; loaded: Promise<void> } {
  const desk = role === "desk";
  const readOnly = role === "reporter";
  const dialog = openDialog({ title: desk ? "Ready to publish" : "Review queue", testid: "queue-dialog", className: "queue-dialog" });
  dialog.element.dataset.role = role;
  if (readOnly) dialog.element.dataset.readonly = "true";
  const list = h("ul", { class: "queue-list", "aria-label": "Queue" });
  const note = h("p", { class: "muted", "aria-live": "polite", text: "Loading…" });
  dialog.body.append(readOnly ? h("p", { class: "muted", text: "What the editors have to review (read-only)." }) : "", note, list);
  list.addEventListener("click", (e) => {
    const target = e.target as Element;
    if (target.closest("details, [data-testid=queue-publish]")) return;
    const li = target.closest<HTMLElement>("[data-testid=queue-item]");
    const d = li && drafts.get(li.dataset.path ?? "");
    if (!d) return;
    dialog.close();
    hooks.open(d);
  });
  const drafts = new Map<string, DraftSummary>();
  const load = async () => {
    const now = Date.now();
    try {
      const rows = desk
        ? ((await ipc.deskQueue()) ?? []).map((it) => {
            drafts.set(it.draft.path, it.draft);
            return deskRow(it, now, hooks, dialog.close);
          })
        : ((await ipc.reviewQueue()) ?? []).map((it) => {
            drafts.set(it.draft.path, it.draft);
            return reviewRow(it, now);
          });
      list.replaceChildren(...rows);
      note.textContent = rows.length ? "" : desk ? "Nothing approved is waiting." : "Nothing is waiting for review.";
    } catch (e) {
      note.textContent = describeError(e);
    }
  };
  return { dialog, loaded: load() };
}
