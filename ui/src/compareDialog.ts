/** Compare: the file on disk ("theirs") against the editor's text ("mine"), then decide. */
import { h } from "./html";
import { openDialog } from "./dialog";
import { renderDiff } from "./diffView";
import { lineDiff } from "./lineDiff";

export function openCompare(title: string, theirs: string, mine: string, decide: (keep: "mine" | "theirs") => void): void {
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
    h("p", { class: "muted", text: "Lines only on disk are struck through in red; lines only in your text are green." }),
    renderDiff(lineDiff(theirs, mine)),
    h("div", { class: "form-actions" }, keep, take),
  );
}
