/**
 * The open draft in conflict with its file (our save found another version, another
 * program changed or deleted it): the conflict banner's choices (Keep mine, Take theirs,
 * Compare, Close) carried out through the draft's session.
 */
import { describeError, type DiffLine, type Ipc } from "./ipc";
import type { ConflictReason } from "./draftSession";
import type { ConflictBanner, MessageBanner } from "./conflictBanner";
import type { DocumentController } from "./documentController";
import { openCompare } from "./compareDialog";

export interface ConflictParts {
  ipc: Pick<Ipc, "diffText">;
  doc: DocumentController;
  banner: ConflictBanner;
  errorBanner: MessageBanner;
  /** The drafts list is read again soon (a conflict copy was written beside the draft). */
  listChanged: () => void;
}

export class ConflictController {
  constructor(private readonly parts: ConflictParts) {}

  /** The session entered a conflict: the banner, with the choices that fit its reason. */
  show(reason: ConflictReason): void {
    const { doc, banner } = this.parts;
    const cur = doc.current;
    if (!cur) return;
    const title = cur.summary.title || cur.session.path;
    if (reason.kind === "deleted") {
      const dirty = cur.session.isDirty();
      banner.show(title, dirty ? "Your unsaved edits are still here: Keep mine saves them, Close drops them." : null, {
        keepMine: () => this.resolve("mine"),
        takeTheirs: () => undefined,
        compare: () => undefined,
        close: async () => {
          cur.session.dispose(); // closed without writing: the user chose to let it go
          await doc.closeCurrent();
        },
      });
      return;
    }
    const detail = reason.kind === "save" && reason.keptAs ? `Your version was kept as ${reason.keptAs}.` : null;
    banner.show(title, detail, {
      keepMine: () => this.resolve("mine"),
      takeTheirs: () => this.resolve("theirs"),
      compare: () => this.compare(),
    });
  }

  /** Keep mine (theirs becomes a conflict copy) or take theirs (mine does). */
  async resolve(keep: "mine" | "theirs"): Promise<void> {
    const { doc } = this.parts;
    const cur = doc.current;
    if (!cur) return;
    try {
      await cur.session.resolve(keep);
      if (!cur.session.inConflict) this.parts.banner.hide();
      doc.refreshMetadata();
      this.parts.listChanged();
    } catch (e) {
      this.parts.errorBanner.show(describeError(e));
    }
  }

  /** Theirs beside mine, with the same two choices. */
  async compare(): Promise<void> {
    const { doc } = this.parts;
    const cur = doc.current;
    if (!cur) return;
    let lines: DiffLine[];
    try {
      const theirs = await cur.session.theirText();
      lines = await this.parts.ipc.diffText(theirs, doc.editor.getText());
    } catch (e) {
      this.parts.errorBanner.show(describeError(e));
      return;
    }
    openCompare(cur.summary.title, lines, (keep) => void this.resolve(keep));
  }
}
