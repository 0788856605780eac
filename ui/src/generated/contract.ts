// Generated from the Rust types by `make contract` (newsroom-api, src/contract/).
// Do not edit: change the Rust type and run `make contract`.

/**
 * A move in the workflow, named as the button and the CLI name it.
 */
export type Action = "submit" | "resubmit" | "withdraw" | "request-changes" | "approve" | "send-back" | "schedule" | "unschedule" | "publish" | "reopen" | "submit-correction";

/**
 * Figures shown beside the preview.
 */
export type ArticleStats = { words: number, characters: number, reading_minutes: number, };

/**
 * What the app hands the page before its script runs (the `newsroom-boot:` protocol,
 * `src-tauri/src/boot.rs`): `open_workspace`'s answer or its error, and `get_settings`'s.
 */
export type Boot = { workspace: WorkspaceInfo | null, error: ErrorBody | null, settings: Settings, };

/**
 * The pre-flight answer: the draft's byline, the account's, and what the post will carry.
 */
export type BylineCheck = { portal: string, 
/**
 * The draft's `author`, trimmed (`None`: no byline).
 */
author: string | null, 
/**
 * The account's display name on the portal, and its login and roles.
 */
account: string, login: string, roles: Array<string>, outcome: BylineOutcome, 
/**
 * The portal user id to send as `author`, for [`BylineOutcome::Assigned`].
 */
author_id: number | null, 
/**
 * What the user should be told when the post will not carry the draft's name.
 */
warning: string | null, };

/**
 * What the draft's byline becomes on the portal.
 */
export type BylineOutcome = "no_author" | "account" | "assigned" | "no_such_user" | "may_not_assign";

/**
 * What happened to a draft.
 */
export type ChangeKind = "created" | "changed" | "renamed" | "deleted";

/**
 * The body's changes since a revision the reviewer saw.
 */
export type ChangesSince = { basis: DiffBasis, 
/**
 * The trail entry's time (RFC 3339).
 */
at: string, 
/**
 * The revision compared with (see `newsroom history`), when this computer's
 * revision store had the version the reviewer saw.
 */
revision: number | null, 
/**
 * Otherwise the commit compared with, from the folder's git history.
 */
commit?: string, lines_added: number, lines_removed: number, 
/**
 * A unified diff of the body; empty when nothing changed.
 */
diff: string, 
/**
 * The same changes as lines with their changed words (what the app shows): every
 * line of the body, the unchanged ones tagged `equal`; empty when nothing changed.
 */
lines: Array<DiffLine>, };

/**
 * A check and its outcome, said for the desk.
 */
export type Check = { id: CheckId, passed: boolean, message: string, };

/**
 * One item of the desk's pre-publish checklist.
 */
export type CheckId = "title" | "headline_length" | "categories" | "tags" | "excerpt" | "featured_image" | "open_marks" | "images" | "conflict_copy";

/**
 * A piece waiting for the desk.
 */
export type DeskItem = { draft: DraftSummary, 
/**
 * The trail entry that put the piece in its status (the approval), if any.
 */
entered: TrailEntry | null, waiting_since_ms: number, checks: Array<Check>, 
/**
 * Every check passed.
 */
ready: boolean, editing: LockInfo | null, };

/**
 * Since when a queue item's diff runs.
 */
export type DiffBasis = "your-review" | "submission";

/**
 * One line of a diff: `tag` is `equal`, `insert` or `delete`; `text` has no line break.
 */
export type DiffLine = { tag: "equal" | "insert" | "delete", text: string, 
/**
 * `text` in pieces, `changed` marking what differs from the counterpart line (the
 * line it replaced or was replaced by). Empty when the whole line is the change (no
 * similar counterpart) or nothing changed (`equal`); joined, the pieces are `text`.
 */
words: Array<DiffWords>, };

/**
 * A run of a changed line: changed words, or words it shares with its counterpart.
 */
export type DiffWords = { changed: boolean, text: string, };

/**
 * One change to a draft made by another program.
 */
export type DraftChange = { kind: ChangeKind, path: string, 
/**
 * The old path, for a rename.
 */
from: string | null, 
/**
 * The draft as it is now (absent when deleted).
 */
summary: DraftSummary | null, 
/**
 * The status before the change, when it was known, so the app can say
 * "Ana submitted 'Minsk talks' for review".
 */
previous_status: Status | null, };

/**
 * A problem in the text of a draft, before we know which file it came from.
 *
 * `Draft::parse` works on a string and knows nothing of files; the caller attaches the
 * path with [`DraftError::in_file`].
 */
export type DraftError = { 
/**
 * 1-based line in the whole file (front matter included), when there is one.
 */
line: number | null, message: string, };

/**
 * One page of a listing: `drafts` are the rows `offset..offset + drafts.len()` of the
 * drafts matching the filter, in the order of [`Index::list`]; `total` counts them all.
 */
export type DraftPage = { total: number, offset: number, drafts: Array<DraftSummary>, };

/**
 * What the drafts list shows of a draft.
 */
export type DraftSummary = { 
/**
 * Relative to the drafts folder, `/`-separated.
 */
path: string, title: string, status: Status, categories: Array<string>, tags: Array<string>, author: string | null, excerpt: string | null, publish_at: string | null, modified_ms: number, words: number, 
/**
 * Set when the file cannot be parsed; the draft still lists and opens as text.
 */
error: DraftError | null, 
/**
 * The portal post this draft was published as (from its `portal:` record).
 */
portal_post_id: number | null, portal_link: string | null, };

/**
 * Changes other programs made in the drafts folder (the app's own saves are filtered out).
 */
export type DraftsChanged = { changes: Array<DraftChange>, };

/**
 * The shape of a rejected command, for the page (`ApiError` serialises as this).
 */
export type ErrorBody = { code: ErrorCode, 
/**
 * For people: names the file and line.
 */
message: string, file?: string, line?: number, };

/**
 * Every code a command may reject with.
 */
export type ErrorCode = "conflict" | "not_found" | "exists" | "invalid_draft" | "outside_workspace" | "refused" | "io" | "index" | "index_too_new" | "watch" | "invalid_argument" | "no_such_revision" | "no_such_portal" | "portal_exists" | "invalid_url" | "insecure_url" | "no_password" | "unauthorized" | "auth_header_stripped" | "forbidden" | "rest_api_not_found" | "redirected" | "tls" | "timeout" | "unreachable" | "server_error" | "rejected" | "unexpected_response" | "unknown_category" | "changed_on_portal" | "deleted_on_portal" | "image" | "not_our_post" | "outside_folder" | "conflict_copy" | "too_deep" | "parked" | "unresolved_marks" | "store" | "keyring" | "profiles" | "cancelled" | "git_missing" | "not_a_repository" | "authentication" | "no_upstream" | "detached" | "operation_in_progress" | "git";

/**
 * An event: its name (`event`) and what it carries (`payload`), as the page receives them.
 */
export type Event = { "event": "drafts-changed", "payload": DraftsChanged } | { "event": "review-notification", "payload": ReviewNotification } | { "event": "publish-progress", "payload": PublishProgress } | { "event": "outbox-event", "payload": unknown } | { "event": "open-requested", "payload": OpenRequested } | { "event": "sync-status", "payload": SyncStatus };

/**
 * Narrows a list or a search.
 */
export type Filter = { status?: Status, category?: string, tag?: string, author?: string, 
/**
 * Leave out conflict copies (`story.conflict-20261126-093000.md`): a queue such as
 * "Needs my action" shows the drafts, and a copy waits to be settled, not moved along.
 */
without_conflict_copies?: boolean, };

/**
 * The keys the app reads. Anything else in the YAML is kept as it is.
 */
export type FrontMatter = { title: string | null, categories: Array<string>, tags: Array<string>, status: Status, author: string | null, slug: string | null, excerpt: string | null, 
/**
 * Path relative to the draft's file.
 */
featured_image: string | null, featured_image_alt: string | null, 
/**
 * RFC 3339, checked on read; kept as written so a rewrite does not reformat it.
 */
publish_at: string | null, };

/**
 * A front-matter value as the page sends it: text or a list (`null`, i.e. `None`,
 * removes the key).
 */
export type FrontMatterValue = string | Array<string>;

export type Job = { key: string, portal: string, 
/**
 * The drafts folder (absolute).
 */
root: string, 
/**
 * The draft, relative to `root`.
 */
path: string, request: JobRequest, 
/**
 * `queued` (waiting or interrupted: in the outbox), `done`, `failed`, `cancelled`,
 * `parked` (its attempts ended the process twice: in the outbox, never retried on its
 * own; publishing the draft again or `--cancel` are the ways out).
 */
state: string, attempts: number, next_attempt_ms: number, last_error_code: string | null, last_error: string | null, post_id: number | null, link: string | null, created_ms: number, updated_ms: number, 
/**
 * Attempts started and not (yet) finished; see [`MAX_UNFINISHED_STARTS`].
 */
starts_unfinished: number, 
/**
 * The post's `modified_gmt` as our last write left it.
 */
modified_gmt: string | null, };

/**
 * What was asked for: kept with the job, so a retry does the same.
 */
export type JobRequest = { 
/**
 * `draft`, `pending`, `publish`, `future`; `None`: from the draft.
 */
status: string | null, overwrite: boolean, republish_new: boolean, };

/**
 * Which version stays under the draft's name.
 */
export type Keep = "mine" | "theirs";

/**
 * What the last sync did, and when.
 */
export type LastSync = { 
/**
 * When it finished, in milliseconds since 1970.
 */
at_ms: number, outcome: SyncOutcome, 
/**
 * Files committed here by it.
 */
committed: number, 
/**
 * Files changed here by what came from the remote.
 */
received: number, pushed: boolean, conflicts: Array<SyncConflict>, 
/**
 * Why the remote could not be reached (git's words), when `offline`.
 */
offline: string | null, 
/**
 * What went wrong, when `failed`.
 */
error: ErrorBody | null, };

/**
 * The contents of a lock file.
 */
export type LockInfo = { name: string, host: string, pid: number, 
/**
 * When this person started editing (RFC 3339).
 */
since: string, 
/**
 * When the lock was last refreshed (RFC 3339).
 */
at: string, };

/**
 * One suggestion or comment in a draft.
 */
export type Mark = { 
/**
 * What `accept`/`reject` take: the kind's letter and a hash of the mark's own text
 * (`i3f2a9c1b`). Marks of identical text (`{++,++}` twice) add a hash of the 32
 * bytes before them on their line (`i3f2a9c1b-07aa`), and `-N` for the Nth with the
 * same context too. Stays the same while other marks are resolved or the text
 * elsewhere is edited; it changes when the mark itself changes (a mark nested in it
 * resolved, say). A twin's id keeps resolving it after the other twin is resolved.
 */
id: string, kind: MarkKind, 
/**
 * Byte range in the text, delimiters and any attached comment included.
 */
range: { start: number, end: number, }, 
/**
 * 1-based line of the text where the mark starts.
 */
line: number, 
/**
 * The inserted, deleted or highlighted text; a substitution's old text; a
 * comment's text (without the initials). Marks nested in it are kept as written.
 */
text: string, 
/**
 * A substitution's new text.
 */
new_text: string | null, 
/**
 * The comment attached to an insertion, deletion, substitution or highlight
 * (without the initials).
 */
comment: string | null, 
/**
 * Initials from the comment (`{>>AK: …<<}`).
 */
author: string | null, 
/**
 * The id of the mark this one is written inside, if it is nested.
 */
inside: string | null, };

/**
 * What a mark suggests.
 */
export type MarkKind = "insertion" | "deletion" | "substitution" | "highlight" | "comment";

/**
 * The authenticated user, from `GET /wp/v2/users/me?context=edit`.
 */
export type Me = { id: number, login: string, name: string, roles: Array<string>, };

/**
 * One word the dictionary does not know, as UTF-16 offsets into the text that was sent
 * (the page's editor counts in UTF-16 code units).
 */
export type Misspelling = { from: number, to: number, };

/**
 * Another launch of the app (a second `newsroom-app PATH`, a draft opened from the file
 * manager) asks the running window to show `folder` and, when given, the draft at `draft`
 * (relative to `folder`; opened through `read_draft` like any other path).
 */
export type OpenRequested = { folder: string, draft: string | null, };

/**
 * A draft as opened for editing.
 */
export type OpenedDraft = { path: string, text: string, 
/**
 * Pass back to [`Workspace::save`] as `base_hash`.
 */
hash: string, summary: DraftSummary, };

/**
 * Where a password was stored.
 */
export type PasswordLocation = { "kind": "keyring" } | { "kind": "file", path: string, };

/**
 * A portal as Settings shows it: never the password, only whether one is there.
 */
export type PortalEntry = { name: string, url: string, user: string, 
/**
 * The portal used when none is named.
 */
default: boolean, 
/**
 * A password is available for it (stored, or `NEWSROOM_PORTAL_PASSWORD`).
 */
password_stored: boolean, };

/**
 * A portal for the publish panel's menu (no password lookups: it opens often).
 */
export type PortalInfo = { name: string, url: string, user: string, 
/**
 * The portal used when none is named.
 */
default: boolean, };

/**
 * What `newsroom portal test` reports.
 */
export type PortalReport = { portal: string, url: string, site_name: string | null, 
/**
 * `true` when the REST API answers only at `?rest_route=` (pretty permalinks off).
 */
query_routes: boolean, user: Me, allowed_statuses: Array<string>, can_upload: boolean, can_set_author: boolean, categories: Array<Term>, };

/**
 * What an add or an edit did with the password.
 */
export type PortalSaved = { portal: PortalEntry, 
/**
 * Where the password went; `None` when an edit left it alone.
 */
password_location: PasswordLocation | null, };

/**
 * The WordPress status to give the post.
 */
export type PostStatus = "draft" | "pending" | "publish" | "future";

/**
 * A rendered preview, with the front matter problem if there is one.
 */
export type Preview = { html: string, stats: ArticleStats, error: DraftError | null, 
/**
 * The distinct hosts of the remote images held back (empty when remote images
 * load, or there are none): the page offers to load them for this draft.
 */
remote_images: Array<string>, 
/**
 * How many remote images were held back (from those hosts).
 */
remote_image_count: number, };

/**
 * A step of a publish, for the CLI's stderr and the app's progress bar.
 */
export type Progress = { "step": "connecting", portal: string, } | { "step": "plan", post_id: number | null, summary: string, } | { "step": "terms" } | { "step": "image", done: number, total: number, file: string, } | { "step": "post", action: string, } | { "step": "front_matter" } | { "step": "retrying", attempt: number, code: string, message: string, wait_ms: number, } | { "step": "done", link: string, };

/**
 * How a publish ended when it did not fail.
 */
export type PublishOutcome = { "outcome": "published" } & Published | { "outcome": "queued", job_key: string, portal: string, path: string, code: string, message: string, next_attempt_ms: number, };

/**
 * A step of a publish of the draft at `path`.
 */
export type PublishProgress = { path: string, progress: Progress, };

/**
 * A post on the portal, as this publish left it.
 */
export type Published = { job_key: string, portal: string, path: string, post_id: number, link: string, status: string, modified_gmt: string, 
/**
 * A new post (not an update, not an adopted one).
 */
created: boolean, 
/**
 * An interrupted attempt's post was found by its marker and completed.
 */
adopted: boolean, images_uploaded: number, images_reused: number, 
/**
 * Things the user should know (byline, dropped categories…).
 */
warnings: Array<string>, 
/**
 * Time spent waiting on the portal, and in all.
 */
http_ms: number, total_ms: number, };

/**
 * A piece waiting for review.
 */
export type ReviewItem = { draft: DraftSummary, 
/**
 * The trail entry that put the piece in its status (the submission), if any.
 */
entered: TrailEntry | null, 
/**
 * Milliseconds since the epoch: the submission, else the file's modification time.
 * The queue is sorted by it, oldest first.
 */
waiting_since_ms: number, 
/**
 * Suggestions and comments still open in the text.
 */
open_marks: number, 
/**
 * What changed since the reviewer last looked.
 */
changes: ChangesSince | null, 
/**
 * A colleague editing the draft right now.
 */
editing: LockInfo | null, };

/**
 * "Ana Kovač submitted ‘Minsk talks’ for review".
 */
export type ReviewNotification = { path: string, message: string, };

/**
 * One stored version (without its text, which [`Index::revision_text`] fetches).
 */
export type Revision = { id: number, hash: string, created_ms: number, source: RevisionSource, bytes: number, words: number, };

/**
 * Why a revision was recorded.
 */
export type RevisionSource = "save" | "before-save" | "external" | "restore" | "import";

/**
 * What someone does on the desk.
 */
export type Role = "reporter" | "editor" | "desk";

/**
 * What a save did.
 */
export type SaveOutcome = { "kind": "saved", path: string, hash: string, } | { "kind": "unchanged", path: string, hash: string, } | { "kind": "conflict", path: string, kept_as: string, their_hash: string, };

/**
 * A search result: the draft and a snippet with matches between `\u{2}` and `\u{3}`.
 */
export type SearchHit = { draft: DraftSummary, snippet: string, };

export type Settings = { user_name: string, 
/**
 * The address a commit made by a sync carries with the name (git's own configuration
 * when empty); never sent to a portal.
 */
user_email: string, role: Role, 
/**
 * The newsroom's sections, offered in the category picker beside those used in the folder.
 */
categories: Array<string>, 
/**
 * Absolute paths, most recent first.
 */
recent_folders: Array<string>, last_folder: string | null, theme: Theme, 
/**
 * How the open folder is watched for colleagues' changes: `auto` polls a shared drive
 * (NFS, SMB, FUSE) as well as listening for events; `events` or `poll` force one.
 */
watch: WatchMode, 
/**
 * The hunspell language the editor checks (`en_GB`); `None` follows the locale.
 * Optional for the page too: settings written before it existed still read.
 */
spell_language?: string, 
/**
 * A drafts folder that is a git working copy syncs on its own: after saves settle and
 * every [`Settings::sync_interval_minutes`] (the app's Settings → Sync).
 */
sync_auto: boolean, 
/**
 * Minutes between automatic syncs, at least 1 (an offline folder is tried again then).
 */
sync_interval_minutes: number, };

/**
 * The languages the system has dictionaries for, and the one in use.
 */
export type SpellLanguages = { 
/**
 * Hunspell names (`en_GB`, `de_DE`, …), sorted.
 */
available: Array<string>, 
/**
 * The language checked now; `None` when the system has no dictionary at all.
 */
current: string | null, };

/**
 * Where a piece is in the newsroom's workflow.
 */
export type Status = "draft" | "in-review" | "changes-requested" | "approved" | "scheduled" | "published";

/**
 * A draft changed here and on the remote in the same place: ours stays in `draft`, theirs
 * is `copy` beside it (paths relative to the drafts folder).
 */
export type SyncConflict = { draft: string, copy: string, };

/**
 * How a sync ended.
 */
export type SyncOutcome = "synced" | "offline" | "failed";

/**
 * The folder's sync, as the status bar shows it.
 */
export type SyncStatus = { 
/**
 * The folder is a git working copy: the Sync control is shown.
 */
repository: boolean, 
/**
 * The app syncs it on its own: Settings → Sync is on and the folder is the top of its
 * working copy (one inside a larger repository syncs only when asked).
 */
automatic: boolean, 
/**
 * Minutes between automatic syncs.
 */
interval_minutes: number, branch: string | null, remote: string | null, 
/**
 * Commits here not yet on the remote, and there not yet here, as last fetched.
 */
ahead: number, behind: number, 
/**
 * A sync is running now.
 */
running: boolean, last: LastSync | null, 
/**
 * Why the folder cannot sync as it is (no upstream, not on a branch, git missing),
 * with what to do.
 */
problem: ErrorBody | null, };

/**
 * A portal term (category or tag).
 */
export type Term = { id: number, name: string, slug: string, };

export type Theme = "system" | "light" | "dark";

/**
 * One move recorded in the trail.
 */
export type TrailEntry = { by: string, 
/**
 * RFC 3339, UTC, whole seconds.
 */
at: string, from: Status, to: Status, note: string | null, 
/**
 * The commit holding the version the person moved, in a folder synced through git
 * (`docs/review.md`, "Across computers"): where "changes since your last review"
 * starts on a computer that never saw that version. Only a full object name is
 * read from a file; anything else there is ignored.
 */
commit?: string, };

/**
 * A move offered to the user, with its button's label.
 */
export type Transition = { from: Status, to: Status, action: Action, label: string, };

/**
 * The user's choice (a setting): `auto` decides from the folder's file system.
 */
export type WatchMode = "auto" | "events" | "poll";

/**
 * `open_workspace`'s answer: the folder and the first page of its list.
 */
export type WorkspaceInfo = { 
/**
 * Absolute path of the open folder.
 */
root: string, 
/**
 * The first rows of the list (newest change first), not every draft.
 */
drafts: Array<DraftSummary>, 
/**
 * How many drafts the folder holds.
 */
total: number, 
/**
 * Used in the folder (the settings add the newsroom's list).
 */
categories: Array<string>, tags: Array<string>, authors: Array<string>, };

/** Every code a command may reject with. */
export const ERROR_CODES: readonly ErrorCode[] = ["conflict", "not_found", "exists", "invalid_draft", "outside_workspace", "refused", "io", "index", "index_too_new", "watch", "invalid_argument", "no_such_revision", "no_such_portal", "portal_exists", "invalid_url", "insecure_url", "no_password", "unauthorized", "auth_header_stripped", "forbidden", "rest_api_not_found", "redirected", "tls", "timeout", "unreachable", "server_error", "rejected", "unexpected_response", "unknown_category", "changed_on_portal", "deleted_on_portal", "image", "not_our_post", "outside_folder", "conflict_copy", "too_deep", "parked", "unresolved_marks", "store", "keyring", "profiles", "cancelled", "git_missing", "not_a_repository", "authentication", "no_upstream", "detached", "operation_in_progress", "git"];

/** The events' names, in the order of the Rust enum. */
export const EVENT_NAMES = ["drafts-changed", "review-notification", "publish-progress", "outbox-event", "open-requested", "sync-status"] as const;
export type EventName = Event["event"];
/** The payload of each event, by name. */
export type EventPayloads = { [E in Event as E["event"]]: E["payload"] };

/** Each command's arguments, as `invoke` sends them (snake_case). */
export interface CommandArgs {
  open_workspace: { path?: string | null };
  list_drafts: { filter?: Filter | null; offset?: number | null; limit?: number | null };
  search_drafts: { query: string; filter?: Filter | null };
  read_draft: { path: string };
  render_preview: { path: string; text: string; remote_images?: boolean | null };
  save_draft: { path: string; text: string; base_hash: string | null };
  update_front_matter: { text: string; changes: { [key in string]: FrontMatterValue | null } };
  read_front_matter: { text: string };
  new_draft: { title: string; categories?: Array<string> | null; tags?: Array<string> | null };
  list_revisions: { path: string };
  revision_diff: { path: string; id: number; text: string };
  diff_text: { old: string; new: string };
  restore_revision: { path: string; id: number; base_hash: string | null };
  resolve_conflict: { path: string; keep: Keep; mine: string };
  import_image: { draft_path: string; file_name: string; bytes: Array<number> };
  import_image_file: { draft_path: string; source: string };
  export_html: { path: string; text: string; dest: string; overwrite?: boolean | null; remote_images?: boolean | null };
  export_suggestion: { path: string };
  get_settings: { [key: string]: never };
  save_settings: { settings: Settings };
  open_external: { url: string };
  launch_draft: { [key: string]: never };
  perf_mark: { name: string; at_ms?: number | null };
  portal_list: { [key: string]: never };
  portal_profiles: { [key: string]: never };
  portal_add: { name: string; url: string; user: string; password: string };
  portal_edit: { name: string; url: string; user: string; password: string | null };
  portal_remove: { name: string };
  portal_set_default: { name: string };
  byline_check: { portal: string | null; text: string };
  portal_test: { name: string };
  publish_draft: { path: string; portal: string | null; status: PostStatus | null; overwrite: boolean; republish_new: boolean };
  outbox_list: { [key: string]: never };
  outbox_retry_now: { [key: string]: never };
  review_marks: { text: string };
  review_change_request: { text: string };
  review_resolve: { text: string; id: string | null; accept: boolean };
  review_transitions: { status: Status; path?: string | null };
  review_transition: { path: string; to: Status; note: string | null };
  desk_checklist: { path: string; text: string };
  review_queue: { [key: string]: never };
  desk_queue: { [key: string]: never };
  lock_hold: { path: string };
  lock_release: { path: string };
  spell_languages: { [key: string]: never };
  spell_check: { text: string; names: Array<string> };
  spell_suggest: { word: string };
  spell_learn: { word: string };
  sync_status: { [key: string]: never };
  sync_now: { [key: string]: never };
}

/** Each command's answer. */
export interface CommandAnswers {
  open_workspace: WorkspaceInfo;
  list_drafts: DraftPage;
  search_drafts: Array<SearchHit>;
  read_draft: OpenedDraft;
  render_preview: Preview;
  save_draft: SaveOutcome;
  update_front_matter: string;
  read_front_matter: FrontMatter;
  new_draft: OpenedDraft;
  list_revisions: Array<Revision>;
  revision_diff: Array<DiffLine>;
  diff_text: Array<DiffLine>;
  restore_revision: SaveOutcome;
  resolve_conflict: SaveOutcome;
  import_image: string;
  import_image_file: string;
  export_html: string;
  export_suggestion: string;
  get_settings: Settings;
  save_settings: Settings;
  open_external: null;
  launch_draft: string | null;
  perf_mark: null;
  portal_list: Array<PortalInfo>;
  portal_profiles: Array<PortalEntry>;
  portal_add: PortalSaved;
  portal_edit: PortalSaved;
  portal_remove: null;
  portal_set_default: null;
  byline_check: BylineCheck;
  portal_test: PortalReport;
  publish_draft: PublishOutcome;
  outbox_list: Array<Job>;
  outbox_retry_now: null;
  review_marks: Array<Mark>;
  review_change_request: TrailEntry | null;
  review_resolve: string;
  review_transitions: Array<Transition>;
  review_transition: OpenedDraft;
  desk_checklist: Array<Check>;
  review_queue: Array<ReviewItem>;
  desk_queue: Array<DeskItem>;
  lock_hold: LockInfo | null;
  lock_release: null;
  spell_languages: SpellLanguages;
  spell_check: Array<Misspelling>;
  spell_suggest: Array<string>;
  spell_learn: null;
  sync_status: SyncStatus;
  sync_now: SyncStatus;
}

export type CommandName = keyof CommandArgs;

/** Every command the app registers, with its arguments' names (`?`: may be left out). */
export const COMMANDS: { readonly [K in CommandName]: readonly string[] } = {
  open_workspace: ["path?"],
  list_drafts: ["filter?", "offset?", "limit?"],
  search_drafts: ["query", "filter?"],
  read_draft: ["path"],
  render_preview: ["path", "text", "remote_images?"],
  save_draft: ["path", "text", "base_hash"],
  update_front_matter: ["text", "changes"],
  read_front_matter: ["text"],
  new_draft: ["title", "categories?", "tags?"],
  list_revisions: ["path"],
  revision_diff: ["path", "id", "text"],
  diff_text: ["old", "new"],
  restore_revision: ["path", "id", "base_hash"],
  resolve_conflict: ["path", "keep", "mine"],
  import_image: ["draft_path", "file_name", "bytes"],
  import_image_file: ["draft_path", "source"],
  export_html: ["path", "text", "dest", "overwrite?", "remote_images?"],
  export_suggestion: ["path"],
  get_settings: [],
  save_settings: ["settings"],
  open_external: ["url"],
  launch_draft: [],
  perf_mark: ["name", "at_ms?"],
  portal_list: [],
  portal_profiles: [],
  portal_add: ["name", "url", "user", "password"],
  portal_edit: ["name", "url", "user", "password"],
  portal_remove: ["name"],
  portal_set_default: ["name"],
  byline_check: ["portal", "text"],
  portal_test: ["name"],
  publish_draft: ["path", "portal", "status", "overwrite", "republish_new"],
  outbox_list: [],
  outbox_retry_now: [],
  review_marks: ["text"],
  review_change_request: ["text"],
  review_resolve: ["text", "id", "accept"],
  review_transitions: ["status", "path?"],
  review_transition: ["path", "to", "note"],
  desk_checklist: ["path", "text"],
  review_queue: [],
  desk_queue: [],
  lock_hold: ["path"],
  lock_release: ["path"],
  spell_languages: [],
  spell_check: ["text", "names"],
  spell_suggest: ["word"],
  spell_learn: ["word"],
  sync_status: [],
  sync_now: [],
};
