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

export interface WorkspaceInfo {
  root: string;
  drafts: DraftSummary[];
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

export const ipc = {
  openWorkspace: (path?: string) => invoke<WorkspaceInfo>("open_workspace", path === undefined ? {} : { path }),
  listDrafts: (filter: Filter = {}) => invoke<DraftSummary[]>("list_drafts", { filter }),
  searchDrafts: (query: string, filter: Filter = {}) => invoke<SearchHit[]>("search_drafts", { query, filter }),
  readDraft: (path: string) => invoke<OpenedDraft>("read_draft", { path }),
  renderPreview: (path: string, text: string) => invoke<Preview>("render_preview", { path, text }),
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
  exportHtml: (path: string, text: string, dest: string) => invoke<string>("export_html", { path, text, dest }),
  getSettings: () => invoke<Settings>("get_settings"),
  saveSettings: (settings: Settings) => invoke<Settings>("save_settings", { settings }),
  openExternal: (url: string) => invoke<null>("open_external", { url }),
};

export type Ipc = typeof ipc;

/** Changes other programs made in the drafts folder. */
export function onDraftsChanged(handler: (payload: DraftsChanged) => void): Promise<UnlistenFn> {
  return listen<DraftsChanged>("drafts-changed", (event) => handler(event.payload));
}
