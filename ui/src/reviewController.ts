/**
 * Review of the open draft: the review panel (workflow moves for the user's role, the
 * change request shown above the text, suggestions and comments with accept/reject),
 * suggest mode, the review and desk queues, and review notifications.
 */
import type { DraftText } from "./textChange";
import { h } from "./html";
import { STATUS_LABELS, byteToIndex, onReviewNotification, type Ipc, type Mark, type Role, type Status } from "./ipc";
import type { DocumentController, DocumentReview } from "./documentController";
import type { MetadataPanel } from "./metadataPanel";
import type { StatusBar } from "./statusBar";
import type { MessageBanner } from "./conflictBanner";
import type { Notifications } from "./presence";
import { ReviewPanel } from "./reviewPanel";
import { confirmDialog } from "./dialog";
import { statusNote } from "./workflowLabels";
import { openQueue } from "./queueDialog";

export interface ReviewParts {
  ipc: Ipc;
  doc: DocumentController;
  metadata: MetadataPanel;
  status: StatusBar;
  errorBanner: MessageBanner;
  notifications: Notifications;
  role: () => Role;
  /** The drafts list is read again soon (the draft's status changed). */
  listChanged: () => void;
  /** The desk queue's Publish…: the publish panel for the open draft. */
  openPublish: () => Promise<void>;
}

export class ReviewController implements DocumentReview {
  readonly panel: ReviewPanel;
  readonly suggestButton = h("button", {
    type: "button",
    class: "suggest-toggle",
    "data-testid": "suggest-toggle",
    "aria-pressed": "false",
    title: "Suggest mode: track your changes (Ctrl+Shift+E)",
    text: "Suggest",
  });
  /** Suggest mode, which the toolbar can turn on before the editor is loaded. */
  suggesting = false;
  private unlisten: (() => void) | null = null;

  constructor(private readonly parts: ReviewParts) {
    const { doc, metadata } = parts;
    this.panel = new ReviewPanel(parts.ipc, {
      transition: (to, note) => this.transition(to, note),
      resolve: (id, accept) => this.resolveMarks(id, accept),
      goto: (m) => this.gotoMark(m),
      error: (m) => parts.errorBanner.show(m),
      confirm: (t) =>
        confirmDialog({
          title: "Mark as published elsewhere?",
          message: `‘${doc.current?.summary.title || doc.current?.session.path || "This piece"}’ will be recorded as published without sending anything to a portal. Use Publish… to put it on the portal.`,
          confirm: t.label,
          testid: "confirm-published-elsewhere",
        }),
      movesChanged: (_status, moves) => {
        const cur = doc.current;
        metadata.setMoves(moves, cur ? statusNote(cur.session.path, cur.summary.status, cur.summary.portal_post_id) : null);
      },
    });
    this.suggestButton.addEventListener("click", () => this.toggleSuggest());
  }

  /** Subscribes to `review-notification`; rejects outside Tauri. */
  async listen(): Promise<void> {
    this.unlisten = await onReviewNotification((n) => this.parts.notifications.notify(n));
  }

  textChanged(text: string | DraftText, now?: boolean): void {
    this.panel.textChanged(text, now);
  }

  show(status: Status | null, text: string | null, path?: string): void {
    this.panel.show(status, text, path);
  }

  /** Moves the draft in the workflow; the file Rust wrote becomes the editor's text and base. */
  async transition(to: Status, note: string | null): Promise<void> {
    const { doc, ipc } = this.parts;
    const cur = doc.current;
    if (!cur) return;
    await doc.flushOrThrow();
    const fresh = await ipc.reviewTransition(cur.session.path, to, note);
    if (doc.current !== cur) return;
    doc.adoptWritten(cur, fresh.text, fresh.hash);
    cur.summary = fresh.summary;
    doc.refreshMetadata();
    this.parts.listChanged();
    this.parts.status.flash(`‘${fresh.summary.title}’ is now ${STATUS_LABELS[fresh.summary.status] ?? fresh.summary.status}`);
  }

  /**
   * Accepts or rejects one mark by its stable id (or all): the new text goes in as one
   * undoable step.
   */
  async resolveMarks(id: string | null, accept: boolean): Promise<void> {
    const { doc, ipc } = this.parts;
    const session = doc.current?.session;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (!session || doc.current?.session !== session) return;
      const before = doc.editor.getText();
      const after = await ipc.reviewResolve(before, id, accept);
      if (doc.current?.session !== session) return;
      // typed meanwhile: again on the new text (a mark's id does not move with the typing
      // elsewhere; one that is gone or edited is refused and the list read again)
      if (doc.editor.getText() !== before) continue;
      doc.editor.setText(after, false);
      this.panel.textChanged(doc.editor.getText(), true);
      return;
    }
  }

  /** Selects a mark in the editor and scrolls it into the middle (its range is in UTF-8 bytes of the file). */
  gotoMark(m: Mark): void {
    const { doc } = this.parts;
    if (!doc.current) return;
    const editor = doc.editor;
    const text = editor.getText();
    const crlf = editor.view.state.lineBreak === "\r\n";
    const toPos = (byte: number) => {
      let idx = byteToIndex(text, byte);
      if (crlf) idx -= (text.slice(0, idx).match(/\r\n/g) ?? []).length;
      return Math.min(idx, editor.view.state.doc.length);
    };
    const from = toPos(m.range.start);
    const to = toPos(m.range.end);
    editor.reveal(from, to);
  }

  toggleSuggest(): void {
    const on = !this.suggesting;
    this.suggesting = on;
    if (this.parts.doc.loadedEditor) this.parts.doc.loadedEditor.suggesting = on;
    this.suggestButton.setAttribute("aria-pressed", String(on));
    this.suggestButton.classList.toggle("on", on);
    this.parts.doc.editorHost.classList.toggle("suggesting", on);
    this.parts.status.flash(on ? "Suggest mode: your changes are tracked" : "Editing directly");
  }

  /** The review queue (editors, reporters read-only) or the desk's publish queue. */
  async openQueue(): Promise<void> {
    const { doc } = this.parts;
    const { loaded } = openQueue(this.parts.ipc, this.parts.role(), {
      open: (d) => void doc.openPath(d.path),
      publish: async (d) => {
        await doc.openPath(d.path);
        if (doc.current?.session.path === d.path) await this.parts.openPublish();
      },
    });
    await loaded;
  }

  dispose(): void {
    this.unlisten?.();
  }
}
