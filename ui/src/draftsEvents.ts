/**
 * What the watcher reports (`drafts-changed`): the drafts list read again (debounced, also
 * after our own saves and conflict copies), status moves said in the status bar, the
 * folder's vocabulary grown, and the open draft renamed, reloaded or marked deleted.
 */
import { STATUS_LABELS, describeError, onDraftsChanged, type DraftsChanged, type WorkspaceInfo } from "./ipc";
import type { DocumentController } from "./documentController";
import type { DraftsPane } from "./draftsPane";
import type { StatusBar } from "./statusBar";
import type { MessageBanner } from "./conflictBanner";

/** How long the list waits for more changes before it is read again. */
export const LIST_REFRESH_MS = 200;

export interface DraftsEventParts {
  doc: DocumentController;
  drafts: DraftsPane;
  status: StatusBar;
  errorBanner: MessageBanner;
  workspace: () => WorkspaceInfo | null;
}

export class DraftsEvents {
  private listTimer: ReturnType<typeof setTimeout> | null = null;
  private unlisten: (() => void) | null = null;

  constructor(private readonly parts: DraftsEventParts) {}

  /** Subscribes to `drafts-changed`; rejects outside Tauri (no live updates then). */
  async listen(): Promise<void> {
    this.unlisten = await onDraftsChanged((p) => void this.changed(p));
  }

  /** Reads the drafts list again once changes stop coming for a moment. */
  scheduleListRefresh(): void {
    if (this.listTimer) clearTimeout(this.listTimer);
    this.listTimer = setTimeout(() => {
      this.listTimer = null;
      void this.parts.drafts.refresh();
    }, LIST_REFRESH_MS);
  }

  async changed(payload: DraftsChanged): Promise<void> {
    const { doc, drafts, status } = this.parts;
    this.scheduleListRefresh();
    const workspace = this.parts.workspace();
    for (const c of payload.changes) {
      if (c.summary && c.previous_status && c.previous_status !== c.summary.status) {
        status.flash(`‘${c.summary.title}’: ${STATUS_LABELS[c.previous_status]} → ${STATUS_LABELS[c.summary.status]}`);
      }
      if (c.summary && workspace) {
        workspace.tags = [...new Set([...workspace.tags, ...c.summary.tags])];
        workspace.categories = [...new Set([...workspace.categories, ...c.summary.categories])];
      }
    }
    const cur = doc.current;
    if (!cur) return;
    for (const c of payload.changes) {
      if (c.kind === "renamed" && c.from === cur.session.path) {
        doc.moved(c.from, c.path);
        cur.session.path = c.path;
        if (c.summary) cur.summary = c.summary;
        drafts.setActive(c.path);
        status.flash(`Moved to ${c.path}`);
      } else if (c.path === cur.session.path) {
        if (c.summary) cur.summary = c.summary;
        if (c.kind === "changed" || c.kind === "created") {
          try {
            const r = await cur.session.changedOnDisk();
            if (r === "reloaded") {
              doc.refreshMetadata();
              status.flash(`‘${cur.summary.title}’ was updated from disk`);
            }
          } catch (e) {
            this.parts.errorBanner.show(describeError(e));
          }
        } else if (c.kind === "deleted") {
          if (cur.session.saving) await cur.session.flush().catch(() => undefined);
          cur.session.deletedOnDisk();
        }
      }
    }
  }

  dispose(): void {
    this.unlisten?.();
    if (this.listTimer) clearTimeout(this.listTimer);
  }
}
