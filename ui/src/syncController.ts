/**
 * The folder's sync through git (docs/sync.md, "In the app"): a button in the status bar,
 * shown only when the folder is a git working copy, that says where the folder stands
 * ("Synced 2 min ago · 1 to send", "Offline, 2 commits waiting", what to do after an
 * error) and syncs now when pressed (also the palette's "Sync now", Ctrl+Alt+S). The
 * automatic syncs run in the app (src-tauri/src/sync.rs) and report through `sync-status`;
 * what they bring in reaches the list through the watcher, like a shared drive's changes.
 */
import { h } from "./html";
import { describeError, onSyncStatus, type Ipc, type SyncStatus } from "./ipc";
import type { StatusBar } from "./statusBar";
import { relativeTime, RELATIVE_REFRESH_MS } from "./time";

/** How the button looks: calm (idle, running), waiting (offline), or asking for the user (error). */
export type SyncLook = "idle" | "running" | "offline" | "error";

/** What to do, in a few words, for each reason a sync cannot go ahead. */
const PROBLEMS: Record<string, string> = {
  authentication: "the remote refused your sign-in",
  no_upstream: "no remote branch to sync with",
  detached: "not on a branch",
  operation_in_progress: "another git operation is in progress",
  git_missing: "git is not installed",
  not_a_repository: "not a git working copy",
  git: "git failed",
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The button's text and tooltip for a status: pure, for the status bar and its tests.
 * The tooltip carries git's whole message with what to do.
 */
export function describeSync(s: SyncStatus, now: number = Date.now()): { text: string; title: string; look: SyncLook } {
  const counts: string[] = [];
  if (s.ahead) counts.push(`${s.ahead} to send`);
  if (s.behind) counts.push(`${s.behind} to receive`);
  const where = s.branch && s.remote ? `${s.branch} with ${s.remote}` : "this folder";
  const schedule = s.automatic ? `Syncs on its own every ${plural(s.interval_minutes, "minute")} and after saves.` : "Syncs when you press Sync.";
  if (s.running) return { text: "Syncing…", title: `Syncing ${where}…`, look: "running" };
  if (s.problem) {
    return { text: `Sync: ${PROBLEMS[s.problem.code] ?? "cannot sync"}`, title: s.problem.message, look: "error" };
  }
  const last = s.last;
  if (!last) {
    return { text: ["Not synced yet", ...counts].join(" · "), title: `Sync ${where}. ${schedule}`, look: "idle" };
  }
  const when = relativeTime(last.at_ms, now);
  if (last.outcome === "offline") {
    const waiting = s.ahead ? `${plural(s.ahead, "commit")} waiting` : "nothing waiting";
    return {
      text: `Offline, ${waiting}`,
      title: `The remote could not be reached ${when}${last.offline ? ` (${last.offline})` : ""}. Your work is committed here and goes out at the next sync. ${schedule}`,
      look: "offline",
    };
  }
  if (last.outcome === "failed") {
    const code = last.error?.code ?? "git";
    return { text: `Sync failed: ${PROBLEMS[code] ?? "see why"}`, title: `${last.error?.message ?? "The sync failed."} (${when})`, look: "error" };
  }
  const conflicts = last.conflicts.length ? [plural(last.conflicts.length, "conflict copy", "conflict copies")] : [];
  const title = [`Synced ${where} ${when}: ${last.committed} sent, ${last.received} received.`, ...last.conflicts.map((c) => `${c.draft}: theirs kept as ${c.copy}.`), schedule].join(" ");
  return { text: [`Synced ${when}`, ...counts, ...conflicts].join(" · "), title, look: "idle" };
}

export interface SyncParts {
  ipc: Pick<Ipc, "syncStatus" | "syncNow">;
  status: StatusBar;
}

export class SyncController {
  /** The status bar's Sync button (hidden unless the folder is a git working copy). */
  readonly button = h("button", { type: "button", class: "sync-button", "data-testid": "sync-button", hidden: true });
  status: SyncStatus | null = null;
  private unlisten: (() => void) | null = null;
  private readonly timer: ReturnType<typeof setInterval>;
  /** A newer answer replaces an older one: counts each `show`. */
  private shown = 0;

  constructor(private readonly parts: SyncParts) {
    this.button.addEventListener("click", () => void this.syncNow());
    parts.status.setSync(this.button);
    // "synced 2 min ago" stays true while nothing happens
    this.timer = setInterval(() => this.status && this.show(this.status), RELATIVE_REFRESH_MS);
  }

  /** Subscribes to `sync-status` (the app's automatic syncs); rejects outside Tauri. */
  async listen(): Promise<void> {
    this.unlisten = await onSyncStatus((s) => this.show(s));
  }

  /** Asks where the open folder stands (after it opened, after the settings changed). */
  async refresh(): Promise<void> {
    const asked = this.shown;
    try {
      const s = await this.parts.ipc.syncStatus();
      if (this.shown === asked) this.show(s);
    } catch {
      this.hide(); // no folder open yet
    }
  }

  /** Syncs now. A folder that is not a git working copy says so rather than nothing. */
  async syncNow(): Promise<void> {
    const { status } = this.parts;
    if (!this.status?.repository) {
      status.flash("This folder is not a git working copy: see docs/sync.md to set one up");
      return;
    }
    if (this.status.running) return;
    this.show({ ...this.status, running: true });
    try {
      const s = await this.parts.ipc.syncNow();
      this.show(s);
      const last = s.last;
      if (s.problem) status.flash(s.problem.message, 10_000);
      else if (last?.outcome === "failed" && last.error) status.flash(last.error.message, 10_000);
      else if (last?.conflicts.length) status.flash(`Sync kept ${last.conflicts.map((c) => c.copy).join(", ")} beside the draft: settle it in the conflict banner`, 10_000);
    } catch (e) {
      this.show({ ...this.status, running: false });
      status.flash(`Sync: ${describeError(e)}`, 10_000);
    }
  }

  show(s: SyncStatus): void {
    this.shown++;
    this.status = s;
    this.button.hidden = !s.repository;
    const d = describeSync(s);
    this.button.textContent = d.text;
    this.button.title = d.title;
    this.button.setAttribute("aria-label", `${d.text}. ${d.title}`);
    this.button.dataset.look = d.look;
    this.button.setAttribute("aria-busy", String(s.running));
  }

  private hide(): void {
    this.status = null;
    this.button.hidden = true;
  }

  dispose(): void {
    this.unlisten?.();
    clearInterval(this.timer);
  }
}
