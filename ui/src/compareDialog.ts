/** Compare: the file on disk ("theirs") against the editor's text ("mine"), then decide. */
import { h } from "./html";
import { openDialog } from "./dialog";
import { renderDiff } from "./diffView";
import type { DiffLine } from "./ipc";

/** `lines` is the core's diff of theirs → mine (`diff_text`), with changed words marked. */
export function openCompare(title: string, lines: DiffLine[], decide: (keep: "mine" | "theirs") => void): void {
  const dlg = openDialog({ title: `‘${title}’: theirs → mine`, testid: "compare-dialog", className: "wide" });
  const keep = h("button", { type: "button", text: "Keep mine" });
  const take = h("button", { type: "button", text: "Take theirs" });
  keep.addEventListener("click", () => {
    dlg.close();
    decide("mine");
  });
  take.addEventListener("click", () => {
    dlg.close();
    decide("theirs");
  });
  dlg.body.append(
    h("p", { class: "muted", text: "Lines only on disk are struck through in red; lines only in your text are green; within a changed line the changed words are marked." }),
    renderDiff(lines),
    h("div", { class: "form-actions" }, keep, take),
  );
}
