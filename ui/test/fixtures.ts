import type { DraftPage, DraftSummary, OpenedDraft, OutboxJob, Published, WorkspaceInfo } from "../src/ipc";

export function summary(over: Partial<DraftSummary> = {}): DraftSummary {
  return {
    path: "world/minsk.md",
    title: "Minsk talks stall",
    status: "draft",
    categories: ["World"],
    tags: ["Belarus"],
    author: "Ana Kovač",
    excerpt: null,
    publish_at: null,
    modified_ms: Date.now() - 5 * 60_000,
    words: 120,
    error: null,
    portal_post_id: null,
    portal_link: null,
    ...over,
  };
}

export const MINSK_TEXT = "---\ntitle: Minsk talks stall\ncategories: [World]\ntags: [Belarus]\nstatus: draft\n---\nFirst paragraph.\n\nSecond paragraph.\n";

export function opened(over: Partial<OpenedDraft> = {}): OpenedDraft {
  return { path: "world/minsk.md", text: MINSK_TEXT, hash: "h0", summary: summary(), ...over };
}

export function workspace(drafts: DraftSummary[] = [summary()]): WorkspaceInfo {
  return {
    root: "/srv/newsroom/drafts",
    drafts,
    total: drafts.length,
    categories: ["World", "Local"],
    tags: ["Belarus", "Belgium", "Russia", "Ukraine War updates"],
    authors: ["Ana Kovač"],
  };
}

/** A `list_drafts` answer: rows `offset..offset + limit` of `all`. */
export function page(all: DraftSummary[], args?: unknown): DraftPage {
  const a = (args ?? {}) as { offset?: number; limit?: number };
  const offset = a.offset ?? 0;
  return { total: all.length, offset, drafts: all.slice(offset, offset + (a.limit ?? 200)) };
}

/** An outbox job as `outbox_list` answers (the generated `Job`): waiting, with `over`. */
export function job(over: Partial<OutboxJob> = {}): OutboxJob {
  return {
    key: "k1",
    portal: "main",
    root: "/srv/newsroom/drafts",
    path: "world/minsk.md",
    request: { status: null, overwrite: false, republish_new: false },
    state: "waiting",
    attempts: 1,
    next_attempt_ms: 0,
    last_error_code: null,
    last_error: null,
    post_id: null,
    link: null,
    created_ms: 0,
    updated_ms: 0,
    starts_unfinished: 0,
    modified_gmt: null,
    ...over,
  };
}

/** The fields of a `published` outcome the page does not show, as Rust sends them. */
export const PUBLISHED_REST: Omit<Published, "post_id" | "link" | "status" | "created" | "adopted" | "images_uploaded" | "images_reused" | "warnings"> = {
  job_key: "k1",
  portal: "main",
  path: "world/minsk.md",
  modified_gmt: "2026-11-26T09:30:00",
  http_ms: 0,
  total_ms: 0,
};
