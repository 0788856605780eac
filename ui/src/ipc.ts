/**
 * Typed wrappers around every command and event of docs/ipc.md. The rest of the UI never
 * calls `invoke` directly, so the contract lives in this one file.
 */
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

export type Status = "draft" | "in-review" | "changes-requested" | "approved" | "scheduled" | "published";

export const STATUSES: readonly Status[] = ["draft", "in-review", "changes-requested", "approved", "scheduled", "published"];

export const STATUS_LABELS: Record<Status, string> = {
  draft: "Draft",
  "in-review": "In review",
  "changes-requested": "Changes requested",
  approved: "Approved",
  scheduled: "Scheduled",
  published: "Published",
};

export interface DraftError {
  line: number | null;
  message: string;
}

export interface DraftSummary {
  path: string;
  title: string;
  status: Status;
  categories: string[];
  tags: string[];
  author: string | null;
  excerpt: string | null;
  publish_at: string | null;
  modified_ms: number;
  words: number;
  error: DraftError | null;
  /** Set once published (from the draft's `portal:` record). Optional: older backends omit it. */
  portal_post_id?: number | null;
  portal_link?: string | null;
}

export interface SearchHit {
  draft: DraftSummary;
  /** Plain text; each match is wrapped in \u0002 … \u0003. */
  snippet: string;
}

export interface Filter {
  status?: Status;
  category?: string;
  tag?: string;
  author?: string;
}

/** Rows `offset .. offset + drafts.length` of the list for a filter, and how many match in all. */
export interface DraftPage {
  total: number;
  offset: number;
  drafts: DraftSummary[];
}

/** `list_drafts`'s page size when none is given (the Rust side caps a page at 1,000). */
export const DRAFTS_PAGE = 200;

/** What the app hands the page before its script runs (`src-tauri/src/boot.rs`):
 * `open_workspace`'s answer (or its error, in the IPC error's shape) and the settings. */
export interface Boot {
  workspace: WorkspaceInfo | null;
  error: unknown;
  settings: Settings;
}

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

export interface WorkspaceInfo {
  root: string;
  /** The newest drafts only (the first rows of the list); `total` counts them all. */
  drafts: DraftSummary[];
  total: number;
  categories: string[];
  tags: string[];
  authors: string[];
}

export interface OpenedDraft {
  path: string;
  text: string;
  hash: string;
  summary: DraftSummary;
}

export interface PreviewStats {
  words: number;
  characters: number;
  reading_minutes: number;
}

export interface Preview {
  html: string;
  stats: PreviewStats;
  error: DraftError | null;
  /** Hosts of the remote images held back (the draft did not choose to load them). */
  remote_images?: string[];
  /** How many remote images were held back. */
  remote_image_count?: number;
}

export type SaveOutcome =
  | { kind: "saved"; hash: string; path: string }
  | { kind: "unchanged"; hash: string; path: string }
  | { kind: "conflict"; path: string; kept_as: string; their_hash: string };

export type RevisionSource = "save" | "restore" | "external" | "before-save" | "import";

export interface RevisionInfo {
  id: number;
  hash: string;
  created_ms: number;
  source: RevisionSource;
  bytes: number;
  words: number;
}

export interface DiffLine {
  tag: "equal" | "insert" | "delete";
  text: string;
}

export type Role = "reporter" | "editor" | "desk";

export interface Settings {
  user_name: string;
  role: Role;
  categories: string[];
  recent_folders: string[];
  last_folder: string | null;
  theme: "system" | "light" | "dark";
}

export type FrontMatterValue = string | string[] | null;
export type FrontMatterChanges = Record<string, FrontMatterValue>;

export interface DraftChange {
  kind: "created" | "changed" | "deleted" | "renamed";
  path: string;
  /** The old path, for a rename (the Rust side sends null otherwise). */
  from?: string | null;
  /** The draft as it is now (absent or null when deleted). */
  summary?: DraftSummary | null;
  /** Sent by the Rust side though not in docs/ipc.md: the status before the change. */
  previous_status?: Status | null;
}

export interface DraftsChanged {
  changes: DraftChange[];
}

export type ErrorCode =
  | "conflict"
  | "not_found"
  | "exists"
  | "refused"
  | "invalid_draft"
  | "outside_workspace"
  | "io"
  | "index"
  | "invalid_argument"
  | "no_such_revision";

/** What a failed command rejects with. */
export interface CommandError {
  code: ErrorCode | string;
  message: string;
  file?: string;
  line?: number;
}

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

// ---- publishing and review (docs/ipc.md, "Publishing and review")

/** A portal for the publish panel's menu; `default` is the one used when none is named. */
export interface PortalInfo { name: string; url: string; user: string; default?: boolean }
/** A portal as Settings shows it: never the password, only whether one is stored. */
export interface PortalEntry { name: string; url: string; user: string; default: boolean; password_stored: boolean }
export type PasswordLocation = { kind: "keyring" } | { kind: "file"; path: string };
export interface PortalSaved { portal: PortalEntry; password_location: PasswordLocation | null }
export type BylineOutcome = "no_author" | "account" | "assigned" | "no_such_user" | "may_not_assign";
/** Whose name the post will carry: the draft's `author` against the portal account. */
export interface BylineCheck { portal: string; author: string | null; account: string; login: string; roles: string[]; outcome: BylineOutcome; author_id: number | null; warning: string | null }
export interface PortalReport {
  portal: string;
  url: string;
  site_name: string | null;
  user: { id: number; login?: string; name: string; roles: string[] };
  allowed_statuses: string[];
  can_upload: boolean;
  can_set_author: boolean;
  categories: { id: number; name: string; slug: string }[];
}
export type PostStatus = "draft" | "pending" | "publish" | "future";
export type Progress =
  | { step: "connecting"; portal: string }
  | { step: "plan"; post_id: number | null; summary: string }
  | { step: "terms" }
  | { step: "image"; done: number; total: number; file: string }
  | { step: "post"; action: string }
  | { step: "front_matter" }
  | { step: "retrying"; attempt: number; code: string; message: string; wait_ms: number }
  | { step: "done"; link: string };
export interface PublishProgress { path: string; progress: Progress }
export type PublishOutcome =
  | { outcome: "published"; post_id: number; link: string; status: string; created: boolean; adopted: boolean; images_uploaded: number; images_reused: number; warnings: string[] }
  | { outcome: "queued"; job_key: string; portal: string; path: string; code: string; message: string; next_attempt_ms: number };
export interface OutboxJob { key: string; portal: string; path: string; state: string; attempts: number; next_attempt_ms: number; last_error_code: string | null; last_error: string | null; link: string | null }
export interface PublishOptions { portal: string | null; status: PostStatus | null; overwrite?: boolean; republishNew?: boolean }

export type MarkKind = "insertion" | "deletion" | "substitution" | "highlight" | "comment";
/** `range` is in UTF-8 bytes of the whole file (see `byteToIndex`). */
export interface Mark { id: number; kind: MarkKind; range: { start: number; end: number }; line: number; text: string; new_text: string | null; comment: string | null; author: string | null }
export interface Transition { from: Status; to: Status; action: string; label: string }
export interface Check { id: string; passed: boolean; message: string }
export interface LockInfo { name: string; host: string; pid: number; since: string; at: string }
export interface ReviewNotification { path: string; message: string }
export interface TrailEntry { by: string; at: string; from: Status; to: Status; note: string | null }
export interface QueueChanges { basis: string; at: string; revision: number; lines_added: number; lines_removed: number; diff: string }
export interface ReviewQueueItem { draft: DraftSummary; entered: TrailEntry | null; waiting_since_ms: number; open_marks: number; changes: QueueChanges | null; editing: LockInfo | null }
export interface DeskQueueItem { draft: DraftSummary; entered: TrailEntry | null; waiting_since_ms: number; checks: Check[]; ready: boolean; editing: LockInfo | null }

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
  openWorkspace: (path?: string) => invoke<WorkspaceInfo>("open_workspace", path === undefined ? {} : { path }),
  listDrafts: (filter: Filter = {}, offset = 0, limit = DRAFTS_PAGE) => invoke<DraftPage>("list_drafts", { filter, offset, limit }),
  searchDrafts: (query: string, filter: Filter = {}) => invoke<SearchHit[]>("search_drafts", { query, filter }),
  readDraft: (path: string) => invoke<OpenedDraft>("read_draft", { path }),
  /** `remoteImages`: the user chose to load this draft's remote images (else held back). */
  renderPreview: (path: string, text: string, remoteImages = false) =>
    invoke<Preview>("render_preview", remoteImages ? { path, text, remote_images: true } : { path, text }),
  saveDraft: (path: string, text: string, baseHash: string) =>
    invoke<SaveOutcome>("save_draft", { path, text, base_hash: baseHash }),
  updateFrontMatter: (text: string, changes: FrontMatterChanges) =>
    invoke<string>("update_front_matter", { text, changes }),
  newDraft: (title: string, categories?: string[], tags?: string[]) =>
    invoke<OpenedDraft>("new_draft", {
      title,
      ...(categories ? { categories } : {}),
      ...(tags ? { tags } : {}),
    }),
  listRevisions: (path: string) => invoke<RevisionInfo[]>("list_revisions", { path }),
  revisionDiff: (path: string, id: number, text: string) => invoke<DiffLine[]>("revision_diff", { path, id, text }),
  restoreRevision: (path: string, id: number, baseHash: string) =>
    invoke<SaveOutcome>("restore_revision", { path, id, base_hash: baseHash }),
  resolveConflict: (path: string, keep: "mine" | "theirs", mine: string) =>
    invoke<SaveOutcome>("resolve_conflict", { path, keep, mine }),
  importImage: (draftPath: string, fileName: string, bytes: Uint8Array | number[]) =>
    invoke<string>("import_image", { draft_path: draftPath, file_name: fileName, bytes: Array.from(bytes) }),
  /** An existing `dest` is replaced only with `overwrite` (else the call fails with code `exists`). */
  exportSuggestion: (path: string) => invoke<string>("export_suggestion", { path }),
  /** Remote images are kept only with `remoteImages` (the draft's choice in the preview). */
  exportHtml: (path: string, text: string, dest: string, overwrite = false, remoteImages = false) =>
    invoke<string>("export_html", {
      path,
      text,
      dest,
      ...(overwrite ? { overwrite } : {}),
      ...(remoteImages ? { remote_images: true } : {}),
    }),
  getSettings: () => invoke<Settings>("get_settings"),
  saveSettings: (settings: Settings) => invoke<Settings>("save_settings", { settings }),
  openExternal: (url: string) => invoke<null>("open_external", { url }),
  portalList: () => invoke<PortalInfo[]>("portal_list"),
  portalTest: (name: string) => invoke<PortalReport>("portal_test", { name }),
  portalProfiles: () => invoke<PortalEntry[]>("portal_profiles"),
  portalAdd: (p: { name: string; url: string; user: string; password: string }) =>
    invoke<PortalSaved>("portal_add", { name: p.name, url: p.url, user: p.user, password: p.password }),
  /** `password: null` keeps the stored one. */
  portalEdit: (p: { name: string; url: string; user: string; password: string | null }) =>
    invoke<PortalSaved>("portal_edit", { name: p.name, url: p.url, user: p.user, password: p.password }),
  portalRemove: (name: string) => invoke<null>("portal_remove", { name }),
  portalSetDefault: (name: string) => invoke<null>("portal_set_default", { name }),
  bylineCheck: (portal: string | null, text: string) => invoke<BylineCheck>("byline_check", { portal, text }),
  publishDraft: (path: string, o: PublishOptions) =>
    invoke<PublishOutcome>("publish_draft", { path, portal: o.portal, status: o.status, overwrite: !!o.overwrite, republish_new: !!o.republishNew }),
  outboxList: () => invoke<OutboxJob[]>("outbox_list"),
  outboxRetryNow: () => invoke<null>("outbox_retry_now"),
  deskChecklist: (path: string, text: string) => invoke<Check[]>("desk_checklist", { path, text }),
  reviewMarks: (text: string) => invoke<Mark[]>("review_marks", { text }),
  reviewChangeRequest: (text: string) => invoke<TrailEntry | null>("review_change_request", { text }),
  reviewResolve: (text: string, id: number | null, accept: boolean) => invoke<string>("review_resolve", { text, id, accept }),
  reviewTransitions: (status: Status, path: string | null = null) => invoke<Transition[]>("review_transitions", { status, path }),
  reviewTransition: (path: string, to: Status, note: string | null) => invoke<OpenedDraft>("review_transition", { path, to, note }),
  reviewQueue: () => invoke<ReviewQueueItem[]>("review_queue"),
  deskQueue: () => invoke<DeskQueueItem[]>("desk_queue"),
  lockHold: (path: string) => invoke<LockInfo | null>("lock_hold", { path }),
  lockRelease: (path: string) => invoke<null>("lock_release", { path }),
};

export type Ipc = typeof ipc;

/** Changes other programs made in the drafts folder. */
export function onDraftsChanged(handler: (payload: DraftsChanged) => void): Promise<UnlistenFn> {
  return listen<DraftsChanged>("drafts-changed", (event) => handler(event.payload));
}

/** Publishing progress for any draft (filter on `path`). */
export function onPublishProgress(handler: (payload: PublishProgress) => void): Promise<UnlistenFn> {
  return listen<PublishProgress>("publish-progress", (event) => handler(event.payload));
}

/** "Ana Kovač submitted ‘Minsk talks’ for review". */
export function onReviewNotification(handler: (payload: ReviewNotification) => void): Promise<UnlistenFn> {
  return listen<ReviewNotification>("review-notification", (event) => handler(event.payload));
}

/** The outbox changed (a job queued, retried, done or failed): read `outbox_list` again. */
export function onOutboxEvent(handler: (payload: unknown) => void): Promise<UnlistenFn> {
  return listen<unknown>("outbox-event", (event) => handler(event.payload));
}
