/** "Export HTML…": the article page written to a path the user types. */
import { h } from "./html";
import { openDialog } from "./dialog";
import { describeError } from "./ipc";

export function askExportPath(suggested: string, exportTo: (dest: string) => Promise<string>): void {
  const dlg = openDialog({ title: "Export HTML", testid: "export-dialog" });
  const input = h("input", { type: "text", value: suggested, "aria-label": "Export to (full path)", "data-testid": "export-path", spellcheck: "false" });
  const note = h("p", { class: "muted", role: "status" });
  const submit = h("button", { type: "submit", class: "primary", text: "Export" });
  const form = h("form", { class: "form" }, h("label", { class: "field" }, h("span", { class: "field-label", text: "Save the HTML file as" }), input), note, h("div", { class: "form-actions" }, submit));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!input.value.trim()) return;
    submit.disabled = true;
    try {
      const written = await exportTo(input.value.trim());
      note.className = "muted";
      note.textContent = `Written to ${written}`;
    } catch (err) {
      note.className = "form-error";
      note.textContent = describeError(err);
    } finally {
      submit.disabled = false;
    }
  });
  dlg.body.append(form);
  input.focus();
  input.select();
}
