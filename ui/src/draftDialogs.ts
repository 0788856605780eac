/**
 * The window's dialogs about drafts: New draft, Ctrl+P's quick open, Export HTML and
 * Copy as rich text. Each opens what it finds through the document controller.
 */
import { describeError, type DraftSummary, type Ipc } from "./ipc";
import type { DocumentController } from "./documentController";
import type { DraftsPane } from "./draftsPane";
import type { PreviewController } from "./previewController";
import type { StatusBar } from "./statusBar";
import { filterItems, openPicker, type PickerItem } from "./commandPalette";
import { askNewDraft } from "./newDraftDialog";
import { askExportPath } from "./exportDialog";
import { copyRichText } from "./clipboard";
import { chooseImage, chooseSaveFile } from "./chooser";
import { confirmDialog } from "./dialog";
import { askPath } from "./pathDialog";
import { asCommandError } from "./ipc";

/** The most drafts Ctrl+P lists. */
export const QUICK_OPEN_LIMIT = 50;

export interface DraftDialogParts {
  ipc: Ipc;
  doc: DocumentController;
  drafts: DraftsPane;
  preview: PreviewController;
  status: StatusBar;
}

export class DraftDialogs {
  constructor(private readonly parts: DraftDialogParts) {}

  newDraft(): void {
    const { doc, ipc } = this.parts;
    askNewDraft(
      async (title) => {
        const opened = await ipc.newDraft(title).catch((e) => {
          throw new Error(describeError(e));
        });
        await doc.openNew(opened);
        await this.parts.drafts.refresh();
      },
      // the dialog gives the focus back where it was: the typing goes to the new draft's body
      () => doc.current && doc.loadedEditor?.focus(),
    );
  }

  /**
   * Ctrl+P: the newest drafts, or what the index finds for the typed words (titles weigh
   * most), at most QUICK_OPEN_LIMIT of them: never the whole folder.
   */
  async quickOpen(): Promise<void> {
    const { doc, drafts, ipc } = this.parts;
    const item = (d: DraftSummary): PickerItem => ({ label: d.title || d.path, detail: d.path, run: () => void doc.openPath(d.path) });
    openPicker({
      title: "Open a draft",
      placeholder: "Type a title",
      testid: "quick-open",
      limit: QUICK_OPEN_LIMIT,
      items: async (query) => {
        if (!query.trim()) {
          try {
            return (await ipc.listDrafts({}, 0, QUICK_OPEN_LIMIT)).drafts.map(item);
          } catch {
            return drafts.loaded().slice(0, QUICK_OPEN_LIMIT).map(item);
          }
        }
        const found = ((await ipc.searchDrafts(query, {}).catch(() => null)) ?? []).map((hit) => item(hit.draft));
        // drafts whose title has the words first, then the other hits (matched in the text)
        const byTitle = filterItems(found, query);
        const loaded = filterItems(drafts.loaded().map(item), query).filter((i) => !found.some((f) => f.detail === i.detail));
        return [...byTitle, ...loaded, ...found.filter((i) => !byTitle.includes(i))];
      },
    });
  }

  /**
   * Export HTML: the system's save chooser, starting at `export_suggestion`'s file (outside
   * the shared drafts folder). A file already there is replaced only after "Replace" (the
   * core refuses it with `exists` first). No chooser: the typed-path dialog.
   */
  async exportHtml(): Promise<void> {
    const { doc, ipc, status } = this.parts;
    const cur = doc.current;
    if (!cur) return status.flash("Open a draft first");
    // outside the shared drafts folder: an export left there is read (and synced) by everyone
    const suggested = await ipc.exportSuggestion(cur.session.path).catch(() => "");
    if (doc.current !== cur) return;
    // the export keeps remote images only when this draft's preview loads them
    const remote = this.parts.preview.remoteAllowed(cur.session.path);
    const exportTo = (dest: string, overwrite: boolean) => ipc.exportHtml(cur.session.path, doc.editor.getText(), dest, overwrite, remote);
    const chosen = await chooseSaveFile("Export HTML", suggested, [{ name: "HTML page", extensions: ["html", "htm"] }]);
    if (chosen.kind === "cancelled") return;
    if (chosen.kind === "unavailable") return askExportPath(suggested, exportTo);
    try {
      let written: string;
      try {
        written = await exportTo(chosen.path, false);
      } catch (e) {
        if (asCommandError(e).code !== "exists") throw e;
        const replace = await confirmDialog({
          title: "Replace the file?",
          message: `${chosen.path} is already there. Replace it with this draft's page?`,
          confirm: "Replace",
          testid: "export-replace",
        });
        if (!replace) return;
        written = await exportTo(chosen.path, true);
      }
      status.flash(`Written to ${written}`);
    } catch (e) {
      status.flash(`Not exported: ${describeError(e)}`);
    }
  }

  /** An image file chosen with the system's chooser (else typed), copied beside the open draft: its Markdown, or null. */
  private async chooseAndImport(title: string): Promise<string | null> {
    const { doc, status } = this.parts;
    if (!doc.current) {
      status.flash("Open a draft first");
      return null;
    }
    const chosen = await chooseImage(title);
    let path: string | null = null;
    if (chosen.kind === "chosen") path = chosen.path;
    else if (chosen.kind === "unavailable") path = await askPath({ title, label: "Image file (full path)", testid: "image-path", note: "No file chooser could open here: type the image's path." });
    return path ? doc.importImageFile(path) : null;
  }

  /** Insert Image: the chosen image copied beside the draft, its Markdown at the caret. */
  async insertImage(): Promise<void> {
    const cur = this.parts.doc.current;
    const markdown = await this.chooseAndImport("Insert an image");
    const { doc } = this.parts;
    if (!markdown || doc.current !== cur) return;
    doc.editor.insertAtCursor(markdown);
    doc.editor.focus();
  }

  /** The featured image's "Choose…": the chosen image copied beside the draft; its path (`images/x.png`). */
  async chooseFeaturedImage(): Promise<string | null> {
    const cur = this.parts.doc.current;
    const markdown = await this.chooseAndImport("Choose the featured image");
    if (!markdown || this.parts.doc.current !== cur) return null;
    return markdown.match(/^!\[[^\]]*\]\((.+)\)$/)?.[1] ?? null;
  }

  async copyRich(): Promise<void> {
    const { html, text, node } = this.parts.preview.pane.article();
    if (!node) return this.parts.status.flash("Nothing to copy");
    const ok = await copyRichText(html, text, node);
    this.parts.status.flash(ok ? "Copied as rich text" : "Could not copy");
  }
}
