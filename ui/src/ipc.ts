/**
 * Typed wrappers around every command and event of docs/ipc.md. The rest of the UI never
 * calls `invoke` directly, so the contract lives in this one file.
 */
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

import type {
  ArticleStats,
  Boot,
  ChangesSince,
  CommandAnswers,
  CommandArgs,
  CommandName,
  DeskItem,
  DraftsChanged,
  ErrorBody,
  EventName,
  EventPayloads,
  Filter,
  FrontMatterValue,
  Job,
  OpenRequested,
  PublishProgress,
  ReviewItem,
  ReviewNotification,
  Revision,
  Settings,
  Status,
  SyncStatus,
} from "./generated/contract";
import { DRAFTS_PAGE } from "./generated/defaults";

// The contract's types are generated from the Rust types (`make contract`): see
// ui/src/generated/contract.ts. Only the page's own names for some of them are added here.
export type {
  Boot,
  OpenRequested,
  BylineCheck,
  BylineOutcome,
  Check,
  ErrorBody,
  DiffLine,
  DiffWords,
  DraftChange,
  DraftError,
  DraftPage,
  DraftSummary,
  DraftsChanged,
  ErrorCode,
  Filter,
  FrontMatter,
  FrontMatterValue,
  LockInfo,
  Mark,
  MarkKind,
  Misspelling,
  OpenedDraft,
  PasswordLocation,
  PortalEntry,
  PortalInfo,
  PortalReport,
  PortalSaved,
  PostStatus,
  Preview,
  Progress,
  PublishOutcome,
  PublishProgress,
  Published,
  ReviewNotification,
  RevisionSource,
  Role,
  SaveOutcome,
  SearchHit,
  Settings,
  SpellLanguages,
  Status,
  SyncConflict,
  SyncOutcome,
  SyncStatus,
  LastSync,
  TrailEntry,
  Transition,
  WorkspaceInfo,
} from "./generated/contract";
export { ERROR_CODES, EVENT_NAMES, COMMANDS } from "./generated/contract";
export { DEFAULT_CATEGORIES, DEFAULT_SETTINGS, DRAFTS_PAGE, STATUSES } from "./generated/defaults";

export type PreviewStats = ArticleStats;
export type RevisionInfo = Revision;
export type OutboxJob = Job;
export type QueueChanges = ChangesSince;
export type ReviewQueueItem = ReviewItem;
export type DeskQueueItem = DeskItem;
export type FrontMatterChanges = Record<string, FrontMatterValue | null>;
/** What `publish_draft` is asked to do with a draft (its arguments but the path). */
export type PublishRequest = Omit<CommandArgs["publish_draft"], "path">;

export const STATUS_LABELS: Record<Status, string> = {
  draft: "Draft",
  "in-review": "In review",
  "changes-requested": "Changes requested",
  approved: "Approved",
  scheduled: "Scheduled",
  published: "Published",
};

declare global {
  interface Window {
    __newsroomBoot?: Boot | null;
  }
}

/** The boot data, taken once (a later `open_workspace` goes over IPC); `null` when the app
 * gave none (not ready in time, or not running inside the app). */
export function takeBoot(): Boot | null {
  const boot = window.__newsroomBoot ?? null;
  delete window.__newsroomBoot;
  return boot;
}

/** What the page makes of anything a command rejected with: the Rust error's shape
 * (`ErrorBody`, generated), or code `unknown` for a rejection that did not come from a
 * command (a plain string, a crash). */
export type CommandError = Omit<ErrorBody, "code"> & { code: ErrorBody["code"] | "unknown" };

/** Turns anything a command rejected with into a `CommandError` (plain strings included). */
export function asCommandError(e: unknown): CommandError {
  if (e && typeof e === "object" && "message" in e) {
    const o = e as Partial<CommandError>;
    return { ...o, code: typeof o.code === "string" ? o.code : "unknown", message: String(o.message) };
  }
  return { code: "unknown", message: String(e) };
}

/** A line a person can act on: "world/x.md:3: message" unless the message already names it. */
export function describeError(e: unknown): string {
  const err = asCommandError(e);
  if (err.file && !err.message.includes(err.file)) {
    return `${err.file}${err.line != null ? `:${err.line}` : ""}: ${err.message}`;
  }
  return err.message;
}

/** Calls a command with the arguments and answer its Rust wrapper has (generated). */
function call<K extends CommandName>(name: K, args?: CommandArgs[K]): Promise<CommandAnswers[K]> {
  return args === undefined ? invoke<CommandAnswers[K]>(name) : invoke<CommandAnswers[K]>(name, args);
}

/** A UTF-8 byte offset in `text` → the JavaScript (UTF-16) index. */
export function byteToIndex(text: string, byte: number): number {
  let bytes = 0;
  let i = 0;
  while (i < text.length && bytes < byte) {
    const cp = text.codePointAt(i)!;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp >= 0x10000 ? 2 : 1;
  }
  return i;
}

export const ipc = {
  openWorkspace: (path?: string) => call("open_workspace", path === undefined ? {} : { path }),
  listDrafts: (filter: Filter = {}, offset = 0, limit = DRAFTS_PAGE) => call("list_drafts", { filter, offset, limit }),
  searchDrafts: (query: string, filter: Filter = {}) => call("search_drafts", { query, filter }),
  readDraft: (path: string) => call("read_draft", { path }),
  /** `remoteImages`: the user chose to load this draft's remote images (else held back). */
  renderPreview: (path: string, text: string, remoteImages = false) => call("render_preview", remoteImages ? { path, text, remote_images: true } : { path, text }),
  saveDraft: (path: string, text: string, baseHash: string) => call("save_draft", { path, text, base_hash: baseHash }),
  /** The front matter as the core reads it; the page reads it with the core's WebAssembly
   * module (`FrontMatterReader`) and asks this only when that did not load. */
  readFrontMatter: (text: string) => call("read_front_matter", { text }),
  updateFrontMatter: (text: string, changes: FrontMatterChanges) => call("update_front_matter", { text, changes }),
  newDraft: (title: string, categories?: string[], tags?: string[]) =>
    call("new_draft", {
      title,
      ...(categories ? { categories } : {}),
      ...(tags ? { tags } : {}),
    }),
  listRevisions: (path: string) => call("list_revisions", { path }),
  revisionDiff: (path: string, id: number, text: string) => call("revision_diff", { path, id, text }),
  /** Two texts compared by the core, lines and changed words (Compare's theirs → mine). */
  diffText: (old: string, now: string) => call("diff_text", { old, new: now }),
  restoreRevision: (path: string, id: number, baseHash: string) => call("restore_revision", { path, id, base_hash: baseHash }),
  resolveConflict: (path: string, keep: "mine" | "theirs", mine: string) => call("resolve_conflict", { path, keep, mine }),
  importImage: (draftPath: string, fileName: string, bytes: Uint8Array | number[]) => call("import_image", { draft_path: draftPath, file_name: fileName, bytes: Array.from(bytes) }),
  /** An image file the user chose on their computer (a path, read by the core, not the page). */
  importImageFile: (draftPath: string, source: string) => call("import_image_file", { draft_path: draftPath, source }),
  /** An existing `dest` is replaced only with `overwrite` (else the call fails with code `exists`). */
  exportSuggestion: (path: string) => call("export_suggestion", { path }),
  /** Remote images are kept only with `remoteImages` (the draft's choice in the preview). */
  exportHtml: (path: string, text: string, dest: string, overwrite = false, remoteImages = false) =>
    call("export_html", {
      path,
      text,
      dest,
      ...(overwrite ? { overwrite } : {}),
      ...(remoteImages ? { remote_images: true } : {}),
    }),
  getSettings: () => call("get_settings"),
  saveSettings: (settings: Settings) => call("save_settings", { settings }),
  openExternal: (url: string) => call("open_external", { url }),
  launchDraft: () => call("launch_draft"),
  portalList: () => call("portal_list"),
  portalTest: (name: string) => call("portal_test", { name }),
  portalProfiles: () => call("portal_profiles"),
  portalAdd: (p: { name: string; url: string; user: string; password: string }) => call("portal_add", { name: p.name, url: p.url, user: p.user, password: p.password }),
  /** `password: null` keeps the stored one. */
  portalEdit: (p: { name: string; url: string; user: string; password: string | null }) => call("portal_edit", { name: p.name, url: p.url, user: p.user, password: p.password }),
  portalRemove: (name: string) => call("portal_remove", { name }),
  portalSetDefault: (name: string) => call("portal_set_default", { name }),
  bylineCheck: (portal: string | null, text: string) => call("byline_check", { portal, text }),
  publishDraft: (path: string, request: PublishRequest) => call("publish_draft", { path, ...request }),
  outboxList: () => call("outbox_list"),
  outboxRetryNow: () => call("outbox_retry_now"),
  deskChecklist: (path: string, text: string) => call("desk_checklist", { path, text }),
  reviewMarks: (text: string) => call("review_marks", { text }),
  reviewChangeRequest: (text: string) => call("review_change_request", { text }),
  /** `id`: a mark's id from `reviewMarks` (stable while other marks are resolved); `null`: all. */
  reviewResolve: (text: string, id: string | null, accept: boolean) => call("review_resolve", { text, id, accept }),
  reviewTransitions: (status: Status, path: string | null = null) => call("review_transitions", { status, path }),
  reviewTransition: (path: string, to: Status, note: string | null) => call("review_transition", { path, to, note }),
  reviewQueue: () => call("review_queue"),
  deskQueue: () => call("desk_queue"),
  lockHold: (path: string) => call("lock_hold", { path }),
  lockRelease: (path: string) => call("lock_release", { path }),
  spellLanguages: () => call("spell_languages"),
  spellCheck: (text: string, names: string[]) => call("spell_check", { text, names }),
  spellSuggest: (word: string) => call("spell_suggest", { word }),
  spellLearn: (word: string) => call("spell_learn", { word }),
  /** Where the open folder stands with its git remote (no network). */
  syncStatus: () => call("sync_status"),
  /** Syncs the open folder now (after a sync already running); the answer says how it went. */
  syncNow: () => call("sync_now"),
};

export type Ipc = typeof ipc;

/** Listens for one of the app's events (names and payloads generated from the Rust `Event`). */
export function onEvent<N extends EventName>(name: N, handler: (payload: EventPayloads[N]) => void): Promise<UnlistenFn> {
  return listen<EventPayloads[N]>(name, (event) => handler(event.payload));
}

/** Changes other programs made in the drafts folder. */
export function onDraftsChanged(handler: (payload: DraftsChanged) => void): Promise<UnlistenFn> {
  return onEvent("drafts-changed", handler);
}

/** Publishing progress for any draft (filter on `path`). */
export function onPublishProgress(handler: (payload: PublishProgress) => void): Promise<UnlistenFn> {
  return onEvent("publish-progress", handler);
}

/** "Ana Kovač submitted ‘Minsk talks’ for review". */
export function onReviewNotification(handler: (payload: ReviewNotification) => void): Promise<UnlistenFn> {
  return onEvent("review-notification", handler);
}

/** Another launch of the app asks this window to open a folder and maybe a draft in it. */
export function onOpenRequested(handler: (payload: OpenRequested) => void): Promise<UnlistenFn> {
  return onEvent("open-requested", handler);
}

/** The outbox changed (a job queued, retried, done or failed): read `outbox_list` again. */
export function onOutboxEvent(handler: (payload: unknown) => void): Promise<UnlistenFn> {
  return onEvent("outbox-event", handler);
}

/** The open folder's sync started, ended or moved (the app's automatic syncs included). */
export function onSyncStatus(handler: (payload: SyncStatus) => void): Promise<UnlistenFn> {
  return onEvent("sync-status", handler);
}
