import type { DraftPage, DraftSummary, OpenedDraft, WorkspaceInfo } from "../src/ipc";

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
