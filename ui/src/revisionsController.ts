/**
 * The open draft's earlier versions: the history dialog, restoring a revision (the file gets
 * its exact bytes through `restore_revision`), and "Restore the last good version" for a
 * front matter that stopped parsing.
 */
import type { Ipc, Preview } from "./ipc";
import type { DocumentController } from "./documentController";
import type { StatusBar } from "./statusBar";
import { openHistory } from "./history";

/** How many revisions, newest first, "Restore the last good version" looks through. */
export const RESTORE_SEARCH_LIMIT = 50;

export interface RevisionParts {
  ipc: Ipc;
  doc: DocumentController;
  status: StatusBar;
  /** Renders a text only to see whether its front matter parses. */
  check: (path: string, text: string) => Promise<Preview>;
  /** The drafts list is read again soon. */
  listChanged: () => void;
}

export class RevisionsController {
  constructor(private readonly parts: RevisionParts) {}

  /**
   * Restores the newest revision whose front matter parses (checked with the same renderer
   * as the preview), through `restore_revision`: the file gets that version's exact bytes
   * and the broken one stays in the history. False when no revision parses.
   */
  async restoreLastGood(): Promise<boolean> {
    const { doc, ipc } = this.parts;
    const cur = doc.current;
    if (!cur) return false;
    await cur.session.flush();
    const path = cur.session.path;
    const current = doc.editor.getText();
    const revisions = await ipc.listRevisions(path);
    for (const rev of revisions.slice(0, RESTORE_SEARCH_LIMIT)) {
      if (doc.current !== cur) return false;
      if (rev.hash === cur.session.baseHash) continue; // the broken file itself
      const lines = await ipc.revisionDiff(path, rev.id, current);
      // revision → current text: its own lines are the equal and deleted ones
      const text = lines
        .filter((l) => l.tag !== "insert")
        .map((l) => l.text)
        .join("\n");
      const rendered = await this.parts.check(path, text);
      if (rendered.error) continue;
      await this.restore(rev.id);
      return true;
    }
    return false;
  }

  /** The history dialog of the open draft (saved first, so the newest revision is the text). */
  async openHistory(): Promise<void> {
    const { doc, ipc, status } = this.parts;
    const cur = doc.current;
    if (!cur) return status.flash("Open a draft first");
    await cur.session.flush();
    await openHistory(ipc, {
      path: cur.session.path,
      title: cur.summary.title,
      text: () => doc.editor.getText(),
      restore: (id) => this.restore(id),
    });
  }

  /** Restores revision `id`; a file changed since it was read is a conflict, never overwritten. */
  async restore(id: number): Promise<void> {
    const { doc, ipc, status } = this.parts;
    const cur = doc.current;
    if (!cur) return;
    await cur.session.flush();
    const outcome = await ipc.restoreRevision(cur.session.path, id, cur.session.baseHash);
    if (outcome.kind === "conflict") {
      cur.session.markConflict({ kind: "save", keptAs: outcome.kept_as });
      return;
    }
    const fresh = await ipc.readDraft(outcome.path);
    if (doc.current !== cur) return;
    doc.adoptWritten(cur, fresh.text, fresh.hash);
    doc.refreshMetadata();
    this.parts.listChanged();
    status.flash("Revision restored");
  }
}
