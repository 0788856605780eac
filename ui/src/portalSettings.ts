/**
 * Settings → Portals: add, test, edit and remove the WordPress sites the desk publishes to,
 * and choose the default. The same profiles file and keyring entries as `newsroom portal`,
 * so the CLI and the app see the same portals. The password goes one way: typed here, stored
 * by the Rust side; the UI is only ever told whether one is stored.
 */
import "./portals.css";
import { h } from "./html";
import { asCommandError, describeError, type Ipc, type PortalEntry, type PortalReport, type PortalSaved } from "./ipc";

export type PortalIpc = Pick<Ipc, "portalProfiles" | "portalAdd" | "portalEdit" | "portalRemove" | "portalSetDefault" | "portalTest">;

/** "Logged in as Edith Moreau (edith · editor) — may set draft, pending…" */
export function describeReport(r: PortalReport): string {
  const who = [r.user.login, r.user.roles.length ? r.user.roles.join(", ") : "no role"].filter(Boolean).join(" · ");
  const parts = [`Logged in as ${r.user.name} (${who})`];
  if (r.site_name) parts.push(`site “${r.site_name}”`);
  parts.push(r.allowed_statuses.length ? `may set ${r.allowed_statuses.join(", ")}` : "may not create posts");
  if (!r.can_upload) parts.push("may NOT upload images");
  parts.push(r.can_set_author ? "may publish under colleagues' names" : "own name only");
  return parts.join(" — ");
}

function savedNote(saved: PortalSaved): string {
  const where = saved.password_location;
  if (!where) return `Saved ${saved.portal.name}.`;
  return where.kind === "keyring"
    ? `Saved ${saved.portal.name}; the password is in the system keyring.`
    : `Saved ${saved.portal.name}. No system keyring here: the password is in ${where.path} (readable only by you).`;
}

export class PortalSettings {
  readonly element: HTMLElement;
  private readonly list = h("ul", { class: "portal-list", "data-testid": "portal-list", "aria-label": "Portals" });
  private readonly empty = h("p", { class: "muted", "data-testid": "portal-empty", text: "No portal yet: add the site you publish to.", hidden: true });
  private readonly note = h("p", { role: "status", class: "muted", "data-testid": "portal-note" });
  private readonly addBtn = h("button", { type: "button", "data-testid": "portal-add", text: "Add portal…" });
  private readonly form: HTMLElement;
  private readonly fName = h("input", { type: "text", "aria-label": "Portal name", placeholder: "main", "data-testid": "portal-name", spellcheck: "false", autocomplete: "off" });
  private readonly fUrl = h("input", { type: "url", "aria-label": "Site address", placeholder: "https://news.example.org", "data-testid": "portal-url", spellcheck: "false", autocomplete: "off" });
  private readonly fUser = h("input", { type: "text", "aria-label": "WordPress user", "data-testid": "portal-user", spellcheck: "false", autocomplete: "off" });
  private readonly fPassword = h("input", { type: "password", "aria-label": "Application password", "data-testid": "portal-password", autocomplete: "new-password", spellcheck: "false" });
  private readonly fSave = h("button", { type: "button", class: "primary", "data-testid": "portal-save", text: "Save portal" });
  private readonly fCancel = h("button", { type: "button", "data-testid": "portal-cancel", text: "Cancel" });
  private readonly fError = h("p", { class: "form-error", "data-testid": "portal-form-error", role: "alert" });
  /** The portal being edited; `null` while adding. */
  private editing: string | null = null;
  private portals: PortalEntry[] = [];
  /** Resolves when the first list has arrived. */
  readonly loaded: Promise<void>;

  constructor(private readonly ipc: PortalIpc) {
    const field = (label: string, control: HTMLElement) => h("label", { class: "field" }, h("span", { class: "field-label", text: label }), control);
    this.form = h(
      "div",
      { class: "portal-form", "data-testid": "portal-form", role: "group", "aria-label": "Portal", hidden: true },
      field("Name", this.fName),
      field("Site address", this.fUrl),
      field("WordPress user", this.fUser),
      field("Application password (WordPress: Users → Profile → Application Passwords)", this.fPassword),
      this.fError,
      h("div", { class: "form-actions" }, this.fCancel, this.fSave),
    );
    this.element = h(
      "section",
      { class: "portal-settings", id: "settings-portals", "data-testid": "settings-portals", "aria-labelledby": "settings-portals-title" },
      h("h3", { class: "section-title", id: "settings-portals-title", text: "Portals" }),
      this.list,
      this.empty,
      this.form,
      h("div", { class: "inline-field" }, this.addBtn),
      this.note,
    );
    this.addBtn.addEventListener("click", () => this.openForm(null));
    this.fCancel.addEventListener("click", () => this.closeForm());
    this.fSave.addEventListener("click", () => void this.save());
    for (const input of [this.fName, this.fUrl, this.fUser, this.fPassword]) {
      input.addEventListener("keydown", (e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          void this.save();
        }
      });
    }
    this.loaded = this.reload();
  }

  /** Reads the portals again (after every change: the CLI may have changed them too). */
  async reload(): Promise<void> {
    try {
      this.portals = (await this.ipc.portalProfiles()) ?? [];
    } catch (e) {
      this.portals = [];
      this.say(describeError(e), true);
    }
    this.list.replaceChildren(...this.portals.map((p) => this.row(p)));
    this.empty.hidden = this.portals.length > 0;
  }

  private say(text: string, error = false): void {
    this.note.className = error ? "form-error" : "muted";
    this.note.textContent = text;
  }

  private row(p: PortalEntry): HTMLLIElement {
    const result = h("p", { class: "portal-test-result", "data-testid": "portal-test-result", "aria-live": "polite" });
    const button = (text: string, testid: string, run: () => void) => {
      const b = h("button", { type: "button", class: "link-button", "data-testid": testid, text });
      b.addEventListener("click", run);
      return b;
    };
    const test = button("Test", "portal-test", () => void this.test(p.name, result, test));
    const remove = button("Remove", "portal-remove", () => {
      // two steps: the password goes with it
      if (remove.dataset.confirm !== "1") {
        remove.dataset.confirm = "1";
        remove.textContent = `Remove ${p.name} and its password?`;
        return;
      }
      void this.remove(p.name);
    });
    const makeDefault = p.default ? null : button("Make default", "portal-make-default", () => void this.makeDefault(p.name));
    return h(
      "li",
      { class: "portal-row", "data-testid": "portal-row", "data-name": p.name, "data-default": String(p.default) },
      h(
        "div",
        { class: "portal-row-head" },
        h("strong", { class: "portal-name", text: p.name }),
        p.default ? h("span", { class: "badge portal-default", "data-testid": "portal-default", text: "Default" }) : null,
      ),
      h("div", { class: "muted portal-address", text: `${p.url} · user ${p.user}` }),
      h("div", {
        class: `portal-password ${p.password_stored ? "" : "form-error"}`,
        "data-testid": "portal-password-state",
        "data-stored": String(p.password_stored),
        text: p.password_stored ? "Password stored" : "No password stored: Edit to enter one",
      }),
      h(
        "div",
        { class: "portal-actions" },
        test,
        button("Edit", "portal-edit", () => this.openForm(p)),
        makeDefault,
        remove,
      ),
      result,
    );
  }

  private openForm(p: PortalEntry | null): void {
    this.editing = p?.name ?? null;
    this.fName.value = p?.name ?? "";
    this.fName.readOnly = !!p;
    this.fName.title = p ? "A portal keeps its name: add a new one to use another" : "";
    this.fUrl.value = p?.url ?? "";
    this.fUser.value = p?.user ?? "";
    this.fPassword.value = "";
    this.fPassword.placeholder = p ? (p.password_stored ? "Leave empty to keep the stored password" : "Enter the application password") : "";
    this.fSave.textContent = p ? `Save ${p.name}` : "Save portal";
    this.fError.textContent = "";
    this.form.hidden = false;
    this.addBtn.hidden = true;
    (p ? this.fUrl : this.fName).focus();
  }

  private closeForm(): void {
    this.form.hidden = true;
    this.addBtn.hidden = false;
    this.fPassword.value = "";
    this.editing = null;
  }

  private async save(): Promise<void> {
    const name = this.fName.value.trim();
    const url = this.fUrl.value.trim();
    const user = this.fUser.value.trim();
    const password = this.fPassword.value;
    const missing = [!name && "a name", !url && "the site address", !user && "the WordPress user", !this.editing && !password.trim() && "the application password"].filter(Boolean);
    if (missing.length) {
      this.fError.textContent = `Enter ${missing.join(", ")}.`;
      return;
    }
    this.fSave.disabled = true;
    try {
      const saved = this.editing ? await this.ipc.portalEdit({ name: this.editing, url, user, password: password.trim() ? password : null }) : await this.ipc.portalAdd({ name, url, user, password });
      this.closeForm();
      this.say(savedNote(saved));
      await this.reload();
      // check it at once: the person who typed the password is here to fix it
      const row = this.rowFor(saved.portal.name);
      if (row) void this.test(saved.portal.name, row.querySelector<HTMLElement>('[data-testid="portal-test-result"]')!, row.querySelector<HTMLButtonElement>('[data-testid="portal-test"]')!);
    } catch (e) {
      this.fError.textContent = describeError(e);
    } finally {
      this.fPassword.value = "";
      this.fSave.disabled = false;
    }
  }

  private rowFor(name: string): HTMLElement | null {
    return Array.from(this.list.querySelectorAll<HTMLElement>('[data-testid="portal-row"]')).find((r) => r.dataset.name === name) ?? null;
  }

  async test(name: string, result: HTMLElement, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    result.className = "portal-test-result muted";
    result.dataset.ok = "";
    result.textContent = `Connecting to ${name}…`;
    try {
      const report = await this.ipc.portalTest(name);
      result.className = "portal-test-result test-ok";
      result.dataset.ok = "true";
      result.textContent = `✓ ${describeReport(report)}`;
    } catch (e) {
      result.className = "portal-test-result form-error";
      result.dataset.ok = "false";
      // the crate's message names the CLI; here the fix is one click away
      result.textContent = asCommandError(e).code === "no_password" ? `✗ No password stored for ${name}: Edit it and enter the application password.` : `✗ ${describeError(e)}`;
    } finally {
      button.disabled = false;
    }
  }

  private async remove(name: string): Promise<void> {
    try {
      await this.ipc.portalRemove(name);
      if (this.editing === name) this.closeForm();
      this.say(`Removed ${name} and its stored password.`);
    } catch (e) {
      this.say(describeError(e), true);
    }
    await this.reload();
  }

  private async makeDefault(name: string): Promise<void> {
    try {
      await this.ipc.portalSetDefault(name);
      this.say(`${name} is the default portal.`);
    } catch (e) {
      this.say(describeError(e), true);
    }
    await this.reload();
  }
}
