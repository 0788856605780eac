/** "New draft": asks a title, then the Rust side creates the file. */
import { h } from "./html";
import { openDialog } from "./dialog";

/** `created` runs once the dialog is closed after a draft was made (to focus its editor). */
export function askNewDraft(create: (title: string) => Promise<void>, created?: () => void): void {
  const dlg = openDialog({ title: "New draft", testid: "new-draft-dialog" });
  const input = h("input", { type: "text", "data-testid": "new-draft-title", "aria-label": "Title of the new draft", placeholder: "Headline", required: true });
  const error = h("p", { class: "form-error", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "primary", "data-testid": "new-draft-create", text: "Create" });
  const cancel = h("button", { type: "button", text: "Cancel" });
  const form = h("form", { class: "form" }, h("label", { class: "field" }, h("span", { class: "field-label", text: "Title" }), input), error, h("div", { class: "form-actions" }, cancel, submit));
  cancel.addEventListener("click", () => dlg.close());
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const title = input.value.trim();
    if (!title) {
      error.textContent = "Give the draft a title.";
      error.hidden = false;
      input.focus();
      return;
    }
    submit.disabled = true;
    try {
      await create(title);
      dlg.close();
      created?.();
    } catch (err) {
      error.textContent = err instanceof Error ? err.message : String((err as { message?: string })?.message ?? err);
      error.hidden = false;
      submit.disabled = false;
    }
  });
  dlg.body.append(form);
  input.focus();
}
