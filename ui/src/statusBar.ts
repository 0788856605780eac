/** Words, characters, reading time, save state, the folder and its sync: always visible. */
import { h } from "./html";
import type { PreviewStats } from "./ipc";
import { SAVE_STATE_LABELS, type SaveState } from "./draftSession";

export class StatusBar {
  readonly element: HTMLElement;
  private readonly stats = h("span", { class: "status-stats", "data-testid": "stats" });
  private readonly save = h("span", { class: "save-state", "data-testid": "save-state", role: "status", "aria-live": "polite" });
  private readonly folder = h("span", { class: "status-folder", "data-testid": "folder" });
  private readonly message = h("span", { class: "status-message", role: "status", "aria-live": "polite" });
  /** The folder's sync (SyncController's button), beside the folder it syncs. */
  private readonly sync = h("span", { class: "status-sync" });

  constructor() {
    this.element = h("footer", { class: "status-bar" }, this.stats, this.save, this.message, this.sync, this.folder);
    this.setStats(null);
    this.setSaveState(null);
  }

  setStats(stats: PreviewStats | null): void {
    if (!stats) {
      this.stats.textContent = "";
      return;
    }
    const n = (x: number) => x.toLocaleString("en-US");
    this.stats.textContent = `${n(stats.words)} words · ${n(stats.characters)} characters · ${stats.reading_minutes} min read`;
  }

  setSaveState(state: SaveState | null): void {
    this.save.textContent = state ? SAVE_STATE_LABELS[state] : "";
    this.save.dataset.state = state ?? "none";
  }

  setFolder(path: string): void {
    this.folder.replaceChildren(h("bdi", { dir: "ltr", text: path }));
    this.folder.title = path;
  }

  setSync(control: HTMLElement): void {
    this.sync.replaceChildren(control);
  }

  flash(text: string, ms = 4000): void {
    this.message.textContent = text;
    window.setTimeout(() => {
      if (this.message.textContent === text) this.message.textContent = "";
    }, ms);
  }
}
