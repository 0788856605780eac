/** Settings: who is writing, the newsroom's categories, the folder's sync, the portals, and which folder is open. */
import type { Chosen } from "./chooser";
import { h } from "./html";
import { openDialog } from "./dialog";
import { describeError, type Ipc, type Role, type Settings } from "./ipc";
import { DEFAULT_CATEGORIES, ROLES } from "./generated/defaults";
import { PortalSettings, type PortalIpc } from "./portalSettings";

/** The newsroom's default category list (used until settings say otherwise), from Rust. */
export { DEFAULT_CATEGORIES } from "./generated/defaults";

/** One category per line → a clean list (trimmed, no blanks, no duplicates). */
export function parseCategories(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of text.split(/\r?\n|,/)) {
    const c = line.trim();
    if (c && !seen.has(c.toLowerCase())) {
      seen.add(c.toLowerCase());
      out.push(c);
    }
  }
  return out;
}

/** The interval field's minutes: a whole number from 1 to a day; anything else keeps `fallback`. */
export function syncMinutes(value: string, fallback: number): number {
  const n = Math.round(Number(value));
  return Number.isFinite(n) && n >= 1 ? Math.min(n, 24 * 60) : fallback;
}

/** Light, dark or the system's choice, on the window and on any document given (the preview). */
export function applyTheme(theme: Settings["theme"], ...docs: (Document | null | undefined)[]): void {
  for (const doc of [document, ...docs]) {
    if (!doc) continue;
    if (theme === "system") doc.documentElement.removeAttribute("data-theme");
    else doc.documentElement.setAttribute("data-theme", theme);
  }
}

export interface SettingsHooks {
  saved(settings: Settings): void;
  openFolder(path: string): Promise<void>;
  /**
   * The system's folder chooser ("Choose a folder…"). Absent, or answering `unavailable`,
   * the typed path field is shown instead.
   */
  chooseFolder?(): Promise<Chosen>;
}

/** A part of Settings to open at (the publish panel sends people to "portals"). */
export type SettingsSection = "portals";

/** "en_GB" → "English (United Kingdom) — en_GB" where the system can name it. */
export function languageName(code: string): string {
  try {
    const name = new Intl.DisplayNames(undefined, { type: "language" }).of(code.replace("_", "-"));
    return name && name !== code.replace("_", "-") ? `${name} — ${code}` : code;
  } catch {
    return code;
  }
}

export function openSettings(
  ipc: Pick<Ipc, "saveSettings"> & Partial<Pick<Ipc, "spellLanguages">> & PortalIpc,
  current: Settings,
  hooks: SettingsHooks,
  section?: SettingsSection,
): { portals: PortalSettings } {
  const dlg = openDialog({ title: "Settings", testid: "settings-dialog" });
  const portals = new PortalSettings(ipc);
  const name = h("input", { type: "text", value: current.user_name, "aria-label": "Your name", "data-testid": "settings-name" });
  const email = h("input", { type: "email", value: current.user_email, "aria-label": "Your email", "data-testid": "settings-email", autocomplete: "email", spellcheck: "false" });
  const role = h("select", { "aria-label": "Role", "data-testid": "settings-role" });
  for (const r of ROLES) role.append(h("option", { value: r, text: r[0].toUpperCase() + r.slice(1) }));
  role.value = current.role;
  const theme = h("select", { "aria-label": "Theme" });
  for (const [v, l] of [
    ["system", "Follow the system"],
    ["light", "Light"],
    ["dark", "Dark"],
  ])
    theme.append(h("option", { value: v, text: l }));
  theme.value = current.theme;
  const watch = h("select", { "aria-label": "Live updates", "data-testid": "settings-watch" });
  for (const [v, l] of [
    ["auto", "Automatic (shared drives are also checked every few seconds)"],
    ["events", "File-system events only"],
    ["poll", "Check every few seconds (a shared drive the app does not recognise)"],
  ])
    watch.append(h("option", { value: v, text: l }));
  watch.value = current.watch;
  // the spelling language: the system's hunspell dictionaries, or the locale's
  const spellLanguage = h("select", { "aria-label": "Spelling language", "data-testid": "settings-spell-language" });
  spellLanguage.append(h("option", { value: "", text: "Follow the system" }));
  if (current.spell_language) spellLanguage.append(h("option", { value: current.spell_language, text: languageName(current.spell_language) }));
  spellLanguage.value = current.spell_language ?? "";
  const spellNote = h("span", { class: "field-hint muted", "data-testid": "settings-spell-note" });
  void ipc.spellLanguages?.().then(
    (langs) => {
      if (!langs?.available) return;
      const chosen = spellLanguage.value;
      spellLanguage.replaceChildren(
        h("option", { value: "", text: langs.current && !current.spell_language ? `Follow the system (${languageName(langs.current)})` : "Follow the system" }),
        ...langs.available.map((l) => h("option", { value: l, text: languageName(l) })),
      );
      spellLanguage.value = langs.available.includes(chosen) ? chosen : "";
      spellNote.textContent = langs.available.length ? "" : "No spelling dictionary is installed (e.g. the hunspell-en-gb package).";
    },
    () => undefined,
  );
  // Sync (a folder that is a git working copy): on its own or only when asked, and how often
  const syncAuto = h("input", { type: "checkbox", "data-testid": "settings-sync-auto" });
  syncAuto.checked = current.sync_auto;
  const syncInterval = h("input", {
    type: "number",
    min: "1",
    max: "1440",
    step: "1",
    value: String(current.sync_interval_minutes),
    "aria-label": "Minutes between automatic syncs",
    "data-testid": "settings-sync-interval",
  });
  const categories = h("textarea", { rows: 8, "aria-label": "Categories, one per line", "data-testid": "settings-categories" });
  categories.value = (current.categories.length ? current.categories : DEFAULT_CATEGORIES).join("\n");
  const folder = h("input", { type: "text", "aria-label": "Folder path", placeholder: "/home/me/drafts", "data-testid": "open-folder-path", spellcheck: "false" });
  const openBtn = h("button", { type: "button", "data-testid": "open-folder", text: "Open folder" });
  const note = h("p", { role: "status", class: "muted" });
  const recent = h(
    "ul",
    { class: "recent-folders", "aria-label": "Recent folders" },
    ...current.recent_folders.map((f) => {
      const b = h("button", { type: "button", class: "link-button", "data-testid": "recent-folder", text: f });
      b.addEventListener("click", () => void open(f));
      return h("li", {}, b);
    }),
  );
  const open = async (path: string) => {
    try {
      await hooks.openFolder(path);
      dlg.close();
    } catch (e) {
      note.className = "form-error";
      note.textContent = describeError(e);
    }
  };
  openBtn.addEventListener("click", () => folder.value.trim() && void open(folder.value.trim()));
  // the typed path: only where no chooser can open
  const typed = h("div", { class: "inline-field", hidden: !!hooks.chooseFolder }, folder, openBtn);
  const chooseBtn = h("button", { type: "button", "data-testid": "open-folder-choose", text: "Choose a folder…", hidden: !hooks.chooseFolder });
  chooseBtn.addEventListener("click", async () => {
    const chosen = await hooks.chooseFolder!();
    if (chosen.kind === "chosen") return void open(chosen.path);
    if (chosen.kind === "unavailable") {
      chooseBtn.hidden = true;
      typed.hidden = false;
      note.className = "muted";
      note.textContent = "No folder chooser could open here: type the folder's path.";
      folder.focus();
    }
  });
  folder.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && folder.value.trim()) {
      e.preventDefault();
      void open(folder.value.trim());
    }
  });
  const save = h("button", { type: "submit", class: "primary", text: "Save settings" });
  const form = h(
    "form",
    { class: "form" },
    h("label", { class: "field" }, h("span", { class: "field-label", text: "Your name (byline)" }), name),
    h("label", { class: "field" }, h("span", { class: "field-label", text: "Your email (signs what a sync commits)" }), email),
    h("label", { class: "field" }, h("span", { class: "field-label", text: "Role" }), role),
    h("label", { class: "field" }, h("span", { class: "field-label", text: "Theme" }), theme),
    h("label", { class: "field" }, h("span", { class: "field-label", text: "Spelling language" }), spellLanguage, spellNote),
    h("label", { class: "field" }, h("span", { class: "field-label", text: "Categories (one per line)" }), categories),
    h("label", { class: "field" }, h("span", { class: "field-label", text: "Live updates of the drafts folder" }), watch),
    h("h3", { class: "section-title", text: "Sync (a drafts folder that is a git working copy)" }),
    h("label", { class: "field checkbox-field" }, syncAuto, h("span", { text: "Sync on its own: after saves settle and every few minutes" })),
    h("label", { class: "field" }, h("span", { class: "field-label", text: "Minutes between automatic syncs" }), syncInterval),
    h("div", { class: "form-actions" }, save),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const next: Settings = {
      ...current,
      user_name: name.value.trim(),
      user_email: email.value.trim(),
      role: role.value as Role,
      theme: theme.value as Settings["theme"],
      watch: watch.value as Settings["watch"],
      categories: parseCategories(categories.value),
      sync_auto: syncAuto.checked,
      sync_interval_minutes: syncMinutes(syncInterval.value, current.sync_interval_minutes),
    };
    if (spellLanguage.value) next.spell_language = spellLanguage.value;
    else delete next.spell_language;
    try {
      const saved = await ipc.saveSettings(next);
      hooks.saved(saved);
      dlg.close();
    } catch (err) {
      note.className = "form-error";
      note.textContent = describeError(err);
    }
  });
  dlg.body.append(
    form,
    portals.element,
    h("h3", { class: "section-title", text: "Drafts folder" }),
    chooseBtn,
    typed,
    h("p", { class: "field-label", text: "Recent folders", hidden: current.recent_folders.length === 0 }),
    recent,
    note,
  );
  if (section === "portals") {
    portals.element.scrollIntoView?.({ block: "start" });
    // with no portal yet, the way to add one; else the first portal's first action
    void portals.loaded.then(() => portals.element.querySelector<HTMLElement>('[data-testid="portal-add"]:not([hidden]), [data-testid="portal-test"]')?.focus());
  } else name.focus();
  return { portals };
}
