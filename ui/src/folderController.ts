/**
 * The drafts folder and the user's settings: the first folder (handed over by the app before
 * the script ran, or asked for over IPC), opening another one without losing the open
 * draft's words, the folder's vocabulary, and the settings dialog's changes applied.
 */
import { asCommandError, describeError, takeBoot, type CommandError, type Ipc, type Settings, type WorkspaceInfo } from "./ipc";
import type { DocumentController } from "./documentController";
import type { DraftsPane } from "./draftsPane";
import type { Presence } from "./presence";
import type { StatusBar } from "./statusBar";
import { applyTheme, openSettings, type SettingsSection } from "./settings";
import { DEFAULT_CATEGORIES, DEFAULT_SETTINGS } from "./generated/defaults";
import { perfMark } from "./perfLog";
import { initialsOf } from "./initials";
import { chooseFolder } from "./chooser";

/**
 * An `open_workspace` failure in words that name the folder: the core's "not found" says
 * "no such draft", which is about files, not folders.
 */
export function folderProblem(path: string | undefined, e: unknown): CommandError {
  const err = asCommandError(e);
  const folder = path?.trim() || err.file || "the drafts folder";
  let why: string;
  if (err.code === "not_found") why = "it does not exist or cannot be reached";
  else if (err.message.startsWith(`${folder}: `)) why = err.message.slice(folder.length + 2);
  else why = describeError(err);
  return { ...err, message: `Could not open the folder ${folder}: ${why}` };
}

export interface FolderParts {
  ipc: Ipc;
  /** The open draft (asked lazily: the folder is made before the document controller). */
  doc: () => DocumentController;
  drafts: DraftsPane;
  presence: Presence;
  status: StatusBar;
  /** The theme, for the preview's frame (its own document). */
  setPreviewTheme: (theme: Settings["theme"]) => void;
  /** The settings changed (the role: the review moves offered follow it). */
  settingsChanged: () => void;
  /** A folder was opened and shown (its sync is asked for). */
  folderShown?: () => void;
}

export class FolderController {
  settings: Settings = DEFAULT_SETTINGS;
  workspace: WorkspaceInfo | null = null;

  constructor(private readonly parts: FolderParts) {}

  /**
   * The settings and the first folder, shown. The app may have handed both over before this
   * script ran (src-tauri/src/boot.rs); otherwise they are asked for at once, not one after
   * the other. Rejects with `folderProblem`'s words when the folder cannot be opened.
   */
  async load(): Promise<void> {
    const { ipc } = this.parts;
    const boot = takeBoot();
    document.documentElement.dataset.boot = boot ? "script" : "ipc";
    const opening = !boot ? ipc.openWorkspace() : boot.workspace ? Promise.resolve(boot.workspace) : Promise.reject(boot.error);
    opening.catch(() => {}); // reported by the await below
    try {
      this.settings = { ...DEFAULT_SETTINGS, ...(boot ? boot.settings : await ipc.getSettings()) };
    } catch (e) {
      this.parts.status.flash(`Settings: ${describeError(e)}`);
    }
    applyTheme(this.settings.theme);
    this.parts.setPreviewTheme(this.settings.theme);
    const info = await opening.catch((e: unknown) => {
      throw folderProblem(undefined, e);
    });
    perfMark("workspace-received");
    await this.show(info);
    perfMark("workspace-shown");
  }

  /**
   * Opens another folder. The open draft is saved first and closed only once the new folder
   * is open: a folder that is missing or unreadable leaves the old one and its draft as they
   * were, and the error names the folder.
   */
  async open(path?: string): Promise<void> {
    const { ipc, presence } = this.parts;
    const doc = this.parts.doc();
    const cur = doc.current;
    if (cur?.session.inConflict)
      await doc.closeCurrent(); // settled (mine kept) as before
    else if (cur) {
      await cur.session.flush();
      if (cur.session.isDirty()) throw new Error(`‘${cur.summary.title || cur.session.path}’ could not be saved: save it before opening another folder.`);
      // the lock is released in this folder (its path would name a file of the next one)
      await presence.release();
    }
    let info: WorkspaceInfo;
    try {
      info = await ipc.openWorkspace(path);
    } catch (e) {
      if (cur && doc.current === cur) presence.hold(cur.session.path);
      throw folderProblem(path, e);
    }
    if (doc.current) await doc.closeCurrent();
    await this.show(info);
    if (path) {
      try {
        this.settings = { ...DEFAULT_SETTINGS, ...(await ipc.getSettings()) };
      } catch {
        // keep what we had
      }
    }
  }

  /**
   * Open Folder: the system's folder chooser, and the chosen folder opened as a typed one
   * would be (the same checks, the same error words, in the status bar). When no chooser
   * can open (headless, no portal), Settings' typed path is the way.
   */
  async chooseAndOpen(): Promise<void> {
    const chosen = await chooseFolder();
    if (chosen.kind === "cancelled") return;
    if (chosen.kind === "unavailable") {
      this.parts.status.flash(`No folder chooser (${chosen.reason}): type the folder's path`);
      return this.openSettings(undefined, true);
    }
    try {
      await this.open(chosen.path);
    } catch (e) {
      this.parts.status.flash(describeError(e));
    }
  }

  /** Shows a just-opened folder's first page; a search or filter still set asks again. */
  private async show(info: WorkspaceInfo): Promise<void> {
    const { drafts } = this.parts;
    this.workspace = info;
    this.parts.status.setFolder(info.root);
    drafts.setVocabulary([...this.categories(), ...info.categories], info.tags);
    drafts.show(info.drafts, info.total ?? info.drafts.length);
    this.parts.folderShown?.();
    if (drafts.search.value || Object.keys(drafts.filter()).length) await drafts.refresh();
  }

  /** The categories offered: the settings' list (or the defaults) and those the folder uses. */
  categories(): string[] {
    const base = this.settings.categories.length ? this.settings.categories : DEFAULT_CATEGORIES;
    return [...new Set([...base, ...(this.workspace?.categories ?? [])])];
  }

  /**
   * The settings dialog (at `section`); what it saves applies at once. Its folder is chosen
   * with the system's chooser; `typedFolder` (no chooser could open) shows the typed path.
   */
  openSettings(section?: SettingsSection, typedFolder = false): void {
    const doc = this.parts.doc();
    openSettings(
      this.parts.ipc,
      this.settings,
      {
        saved: (s) => {
          const before = this.settings;
          this.settings = s;
          // another spelling language (or a new byline name): the text is checked again
          if (s.spell_language !== before.spell_language || s.user_name !== before.user_name) doc.loadedEditor?.recheckSpelling();
          if (doc.loadedEditor) doc.loadedEditor.initials = initialsOf(s.user_name);
          applyTheme(s.theme);
          this.parts.setPreviewTheme(s.theme);
          this.parts.drafts.setVocabulary([...this.categories()], this.workspace?.tags ?? []);
          doc.refreshMetadata();
          this.parts.settingsChanged();
        },
        openFolder: (path) => this.open(path),
        ...(typedFolder ? {} : { chooseFolder: () => chooseFolder() }),
      },
      section,
    );
  }
}
