/**
 * A typed path: the fallback of the system's choosers (ui/src/chooser.ts) where none can
 * open (headless, no portal). Resolves the trimmed path, or null when closed.
 */
import { h } from "./html";
import { openDialog } from "./dialog";

export function askPath(opts: { title: string; label: string; testid: string; note?: string }): Promise<string | null> {
  return new Promise((resolve) => {
    let answer: string | null = null;
    const dlg = openDialog({ title: opts.title, testid: opts.testid, onClose: () => resolve(answer) });
    const input = h("input", { type: "text", "aria-label": opts.label, "data-testid": `${opts.testid}-path`, spellcheck: "false" });
    const form = h(
      "form",
      { class: "form" },
      h("label", { class: "field" }, h("span", { class: "field-label", text: opts.label }), input),
      opts.note ? h("p", { class: "muted", text: opts.note }) : null,
      h("div", { class: "form-actions" }, h("button", { type: "submit", class: "primary", text: "OK" })),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (!input.value.trim()) return;
      answer = input.value.trim();
      dlg.close();
    });
    dlg.body.append(form);
    input.focus();
  });
}
