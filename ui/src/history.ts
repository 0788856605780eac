/** Revision history: pick a revision, see what changed since, restore it. */
import { h } from "./html";
import { openDialog } from "./dialog";
import { renderDiff } from "./diffView";
import { describeError, type Ipc, type RevisionInfo, type RevisionSource } from "./ipc";
import { relativeTime } from "./time";

const SOURCE_LABELS: Record<RevisionSource, string> = {
  save: "Saved",
  restore: "Restored",
  external: "Changed outside",
  "before-save": "Before save",
  import: "Imported",
};

export interface HistoryContext {
  path: string;
  title: string;
  text(): string;
  restore(id: number): Promise<void>;
}

export async function openHistory(ipc: Pick<Ipc, "listRevisions" | "revisionDiff">, ctx: HistoryContext): Promise<void> {
  const dlg = openDialog({ title: `History of ‘${ctx.title}’`, testid: "history-dialog", className: "wide" });
  const list = h("ul", { class: "revision-list", "aria-label": "Revisions" });
  const detail = h("div", { class: "revision-detail", "aria-live": "polite" }, h("p", { class: "muted", text: "Pick a revision to see what changed since." }));
  dlg.body.append(h("div", { class: "history-layout" }, list, detail));
  let revisions: RevisionInfo[];
  try {
    revisions = await ipc.listRevisions(ctx.path);
  } catch (e) {
    detail.replaceChildren(h("p", { class: "form-error", text: describeError(e) }));
    return;
  }
  if (!revisions.length) {
    list.append(h("li", { class: "muted", text: "No revisions yet." }));
    return;
  }
  const show = async (rev: RevisionInfo, button: HTMLButtonElement) => {
    for (const b of list.querySelectorAll("button[aria-current]")) b.removeAttribute("aria-current");
    button.setAttribute("aria-current", "true");
    detail.replaceChildren(h("p", { class: "muted", text: "Loading…" }));
    try {
      const lines = await ipc.revisionDiff(ctx.path, rev.id, ctx.text());
      const restore = h("button", { type: "button", class: "primary", "data-testid": "restore-revision", text: "Restore this revision" });
      restore.addEventListener("click", async () => {
        restore.disabled = true;
        try {
          await ctx.restore(rev.id);
          dlg.close();
        } catch (e) {
          restore.disabled = false;
          detail.prepend(h("p", { class: "form-error", text: describeError(e) }));
        }
      });
      detail.replaceChildren(h("div", { class: "form-actions" }, h("span", { class: "muted", text: "Changes from this revision to your current text" }), restore), renderDiff(lines));
    } catch (e) {
      detail.replaceChildren(h("p", { class: "form-error", text: describeError(e) }));
    }
  };
  for (const rev of revisions) {
    const b = h(
      "button",
      { type: "button", class: "revision", "data-testid": "revision", "data-id": rev.id },
      h("span", { class: "revision-when", text: `${new Date(rev.created_ms).toLocaleString()} (${relativeTime(rev.created_ms)})` }),
      h("span", { class: "muted", text: `${SOURCE_LABELS[rev.source] ?? rev.source} · ${rev.words} words` }),
    );
    b.addEventListener("click", () => void show(rev, b));
    list.append(h("li", {}, b));
  }
  list.querySelector("button")?.focus();
}
