/**
 * "Export HTML…": the article page written to a path the user types. A file that is
 * already there is replaced only after the user says so: the first try answers `exists`,
 * the button becomes "Replace", and a second press on the same path overwrites it.
 */
import { h } from "./html";
import { openDialog } from "./dialog";
import { asCommandError, describeError } from "./ipc";

export function askExportPath(suggested: string, exportTo: (dest: string, overwrite: boolean) => Promise<string>): void {
  const dlg = openDialog({ title: "Export HTML", testid: "export-dialog" });
  const input = h("input", { type: "text", value: suggested, "aria-label": "Export to (full path)", "data-testid": "export-path", spellcheck: "false" });
  const note = h("p", { class: "muted", role: "status" });
  const submit = h("button", { type: "submit", class: "primary", text: "Export" });
  const form = h(
    "form",
    { class: "form" },
    h("label", { class: "field" }, h("span", { class: "field-label", text: "Save the HTML file as" }), input),
    note,
    h("div", { class: "form-actions" }, submit),
  );
  /** The path the user was told exists: pressing "Replace" for it overwrites. */
  let confirmed: string | null = null;
  input.addEventListener("input", () => {
    confirmed = null;
    submit.textContent = "Export";
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const dest = input.value.trim();
    if (!dest) return;
    submit.disabled = true;
    try {
      const written = await exportTo(dest, confirmed === dest);
      note.className = "muted";
      note.textContent = `Written to ${written}`;
      confirmed = null;
      submit.textContent = "Export";
    } catch (err) {
      note.className = "form-error";
      if (asCommandError(err).code === "exists" && confirmed !== dest) {
        confirmed = dest;
        submit.textContent = "Replace";
        note.textContent = `${describeError(err)}. Press Replace to overwrite it, or choose another name.`;
      } else {
        note.textContent = describeError(err);
      }
    } finally {
      submit.disabled = false;
    }
  });
  dlg.body.append(form);
  input.focus();
  input.select();
}
