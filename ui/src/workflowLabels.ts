/**
 * How a draft's place in the workflow reads in the list and the sidebar, beyond its bare
 * status: a conflict copy (never moved, queued or published until settled) and a piece
 * marked "published elsewhere" (status published, but no portal post recorded).
 */
import { STATUS_LABELS, type Status } from "./ipc";

/**
 * The names `files::conflict_copy_path` gives (`story.conflict-20261126-093000.md`, with
 * `-2`, `-3`… for several in one second); `conflict::is_conflict_copy` in the core is the
 * same rule, and the core refuses moves and queues on it whatever the page shows.
 */
const CONFLICT_COPY = /\.conflict-\d{8}-\d{6}(?:-\d+)?\.[^./\\]+$/;

export function isConflictCopy(path: string): boolean {
  return CONFLICT_COPY.test(path);
}

/** A published status with no portal post: the desk recorded a publication made elsewhere. */
export function publishedElsewhere(status: Status | string, portalPostId: number | null | undefined): boolean {
  return status === "published" && portalPostId == null;
}

export function statusLabel(status: Status | string, portalPostId?: number | null): string {
  if (publishedElsewhere(status, portalPostId)) return "Published elsewhere";
  return STATUS_LABELS[status as Status] ?? status;
}

/** The sentence under the sidebar's Status control, or null. */
export function statusNote(path: string, status: Status | string, portalPostId: number | null | undefined): string | null {
  if (isConflictCopy(path)) return "Conflict copy: compare it with its draft and keep one version. A copy is never moved along or published.";
  if (publishedElsewhere(status, portalPostId)) return "Marked as published elsewhere: no portal post is recorded for this draft.";
  return null;
}
