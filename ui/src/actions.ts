/**
 * Every action of the window with its shortcut: the command palette lists them, the
 * window-wide key handler runs them, and the editor's own keymap handles those marked
 * `editorKey` (listed here so the palette shows them too). Editor commands are named, not
 * CodeMirror functions, so that this module (loaded at start-up) does not pull in the
 * editor, which loads with the first draft opened.
 */
import type { PaneId } from "./layout";
import { matchShortcut } from "./shortcuts";

/** What the editor's `runCommand` does; see `ui/src/editor.ts`. */
export type EditorCommand = "find" | "bold" | "italic" | "link" | "h1" | "h2" | "h3" | "quote" | "list" | "undo" | "redo" | "comment" | "spelling";

export interface Action {
  id: string;
  title: string;
  shortcut?: string;
  /** Handled by the editor's own keymap (listed in the palette, not matched globally). */
  editorKey?: boolean;
  run(): void;
}

/** What the actions act on. */
export interface ActionTarget {
  newDraft(): void;
  quickOpen(): void;
  openPalette(): void;
  saveNow(): void;
  focusSearch(): void;
  /** Runs a command on the open draft's editor (nothing when no draft is open). */
  inEditor(command: EditorCommand): void;
  openHistory(): void;
  exportHtml(): void;
  copyRich(): void;
  openSettings(): void;
  /** The system's folder chooser (the typed path in Settings when it cannot open). */
  openFolder(): void;
  /** The system's file chooser for an image inserted at the caret. */
  insertImage(): void;
  togglePane(pane: PaneId): void;
  focusEditor(): void;
  openPublish(): void;
  openOutbox(): void;
  openQueue(): void;
  toggleSuggest(): void;
  openNotifications(): void;
  /** Syncs a folder that is a git working copy with its remote now. */
  syncNow(): void;
}

/** Sync now: Save's letter with Alt (the sync sends what was saved). */
export const SYNC_SHORTCUT = "Mod+Alt+S";

/**
 * Publish. Not Ctrl+Shift+U: on Linux that is GTK's Unicode entry, which the input method
 * takes before the page sees it (a "u" appears in the text).
 */
export const PUBLISH_SHORTCUT = "Mod+Alt+P";

export function buildActions(t: ActionTarget): Action[] {
  const ed = (command: EditorCommand) => () => t.inEditor(command);
  return [
    { id: "new", title: "New draft", shortcut: "Mod+N", run: () => t.newDraft() },
    { id: "quick-open", title: "Open a draft by title", shortcut: "Mod+P", run: () => t.quickOpen() },
    { id: "palette", title: "Command palette", shortcut: "Mod+Shift+P", run: () => t.openPalette() },
    { id: "save", title: "Save now", shortcut: "Mod+S", run: () => t.saveNow() },
    { id: "search-drafts", title: "Search drafts", shortcut: "Mod+Shift+F", run: () => t.focusSearch() },
    { id: "find", title: "Find and replace in draft", shortcut: "Mod+F", editorKey: true, run: ed("find") },
    { id: "bold", title: "Bold", shortcut: "Mod+B", editorKey: true, run: ed("bold") },
    { id: "italic", title: "Italic", shortcut: "Mod+I", editorKey: true, run: ed("italic") },
    { id: "link", title: "Link", shortcut: "Mod+K", editorKey: true, run: ed("link") },
    { id: "h1", title: "Heading 1", shortcut: "Mod+Alt+1", editorKey: true, run: ed("h1") },
    { id: "h2", title: "Heading 2", shortcut: "Mod+Alt+2", editorKey: true, run: ed("h2") },
    { id: "h3", title: "Heading 3", shortcut: "Mod+Alt+3", editorKey: true, run: ed("h3") },
    { id: "quote", title: "Quote", shortcut: "Mod+Shift+.", editorKey: true, run: ed("quote") },
    { id: "list", title: "Bulleted list", shortcut: "Mod+Shift+8", editorKey: true, run: ed("list") },
    { id: "undo", title: "Undo", shortcut: "Mod+Z", editorKey: true, run: ed("undo") },
    { id: "redo", title: "Redo", shortcut: "Mod+Shift+Z", editorKey: true, run: ed("redo") },
    { id: "history", title: "Revision history", shortcut: "Mod+Shift+H", run: () => t.openHistory() },
    { id: "publish", title: "Publish…", shortcut: PUBLISH_SHORTCUT, run: () => t.openPublish() },
    { id: "queue", title: "Review queue", shortcut: "Mod+Shift+Q", run: () => t.openQueue() },
    { id: "outbox", title: "Outbox (publish jobs waiting to retry)", run: () => t.openOutbox() },
    { id: "suggest", title: "Suggest mode (track changes)", shortcut: "Mod+Shift+E", run: () => t.toggleSuggest() },
    { id: "comment", title: "Comment on the selection", shortcut: "Mod+Alt+M", editorKey: true, run: ed("comment") },
    { id: "spelling", title: "Spelling suggestions for the word at the caret", run: ed("spelling") },
    { id: "notifications", title: "Review notifications", run: () => t.openNotifications() },
    { id: "sync", title: "Sync now (git)", shortcut: SYNC_SHORTCUT, run: () => t.syncNow() },
    { id: "export-html", title: "Export HTML…", shortcut: "Mod+Alt+E", run: () => t.exportHtml() },
    { id: "copy-rich", title: "Copy as rich text", shortcut: "Mod+Alt+C", run: () => t.copyRich() },
    { id: "settings", title: "Settings", shortcut: "Mod+,", run: () => t.openSettings() },
    { id: "open-folder", title: "Open folder…", run: () => t.openFolder() },
    { id: "insert-image", title: "Insert image…", run: () => t.insertImage() },
    { id: "toggle-drafts", title: "Show or hide the drafts pane", shortcut: "Alt+1", run: () => t.togglePane("drafts") },
    { id: "toggle-editor", title: "Show or hide the editor", shortcut: "Alt+2", run: () => t.togglePane("editor") },
    { id: "toggle-preview", title: "Show or hide the preview", shortcut: "Alt+3", run: () => t.togglePane("preview") },
    { id: "toggle-metadata", title: "Show or hide the document panel", shortcut: "Alt+4", run: () => t.togglePane("metadata") },
    { id: "focus-editor", title: "Focus the editor", shortcut: "Mod+E", run: () => t.focusEditor() },
  ];
}

/** The window-wide action a key press asks for. In a modal dialog only Save works. */
export function actionForKey(actions: Action[], e: KeyboardEvent, inDialog: boolean): Action | null {
  for (const a of actions) {
    if (!a.shortcut || a.editorKey) continue;
    if (inDialog && a.id !== "save") continue;
    if (matchShortcut(e, a.shortcut)) return a;
  }
  return null;
}
