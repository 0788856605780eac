/**
 * The drafts list: every draft with its status badge, categories, author and last change;
 * full-text search with highlighted snippets; filters by status, category and tag.
 */
import { h, snippetToHtml } from "./html";
import { STATUSES, STATUS_LABELS, describeError, type DraftSummary, type Filter, type Ipc, type OutboxJob, type SearchHit, type Status } from "./ipc";
import { relativeTime } from "./time";

export function statusBadge(status: Status): HTMLElement {
  return h("span", { class: `badge badge-${status}`, "data-status": status, text: STATUS_LABELS[status] ?? status });
}

/** One list entry. Everything from the draft is set as text; only the snippet's marks are HTML. */
export function draftItem(d: DraftSummary, snippet: string | null, active: boolean, now = Date.now(), openLink?: (url: string) => void): HTMLLIElement {
  const open = h(
    "button",
    { type: "button", class: "draft-open", "aria-current": active ? "true" : undefined },
    h("span", { class: "draft-title", text: d.title || d.path }),
    h(
      "span",
      { class: "draft-meta" },
      statusBadge(d.status),
      d.categories.length ? h("span", { class: "draft-categories", text: d.categories.join(", ") }) : null,
      d.author ? h("span", { class: "draft-author", text: d.author }) : null,
      h("time", { class: "draft-time", datetime: new Date(d.modified_ms).toISOString(), text: relativeTime(d.modified_ms, now) }),
    ),
  );
  if (snippet) {
    const s = h("span", { class: "draft-snippet" });
    s.innerHTML = snippetToHtml(snippet);
    open.append(s);
  }
  if (d.error) {
    const where = `${d.path}${d.error.line != null ? `:${d.error.line}` : ""}`;
    open.append(h("span", { class: "draft-error", text: `${where}: ${d.error.message}` }));
  }
  const li = h("li", { class: `draft-item${active ? " active" : ""}`, "data-testid": "draft-item", "data-path": d.path }, open);
  if (d.portal_post_id != null) {
    const link = h("button", { type: "button", class: "published-link icon-button", "data-testid": "published-link", title: d.portal_link ? `Published: ${d.portal_link}` : `Published (post ${d.portal_post_id})`, "aria-label": "Open the published post", text: "🔗" });
    if (d.portal_link && openLink) link.addEventListener("click", () => openLink(d.portal_link!));
    else link.disabled = !d.portal_link;
    li.append(link);
  }
  return li;
}

export interface DraftsPaneHooks {
  open(draft: DraftSummary): void;
  newDraft(): void;
  error(message: string): void;
  openLink?(url: string): void;
}

export class DraftsPane {
  readonly element: HTMLElement;
  readonly search = h("input", {
    type: "search",
    class: "search-input",
    placeholder: "Search drafts",
    "aria-label": "Search drafts",
    "data-testid": "search",
  });
  private readonly statusFilter = h("select", { "aria-label": "Filter by status", "data-testid": "filter-status" });
  private readonly categoryFilter = h("select", { "aria-label": "Filter by category", "data-testid": "filter-category" });
  private readonly tagFilter = h("select", { "aria-label": "Filter by tag", "data-testid": "filter-tag" });
  private readonly list = h("ul", { class: "draft-list", "aria-label": "Drafts", "data-testid": "draft-list" });
  private readonly count = h("p", { class: "draft-count muted", "aria-live": "polite" });
  private activePath: string | null = null;
  private seq = 0;
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  drafts: DraftSummary[] = [];
  /** Outbox jobs not done yet, by draft path (the "queued" clock in the list). */
  private queued = new Map<string, OutboxJob>();

  constructor(private readonly ipc: Pick<Ipc, "listDrafts" | "searchDrafts">, private readonly hooks: DraftsPaneHooks) {
    const newBtn = h("button", { type: "button", class: "primary", "data-testid": "new-draft", title: "New draft (Ctrl+N)", text: "New draft" });
    newBtn.addEventListener("click", () => hooks.newDraft());
    this.fillSelect(this.statusFilter, "Any status", STATUSES.map((s) => [s, STATUS_LABELS[s]]));
    this.fillSelect(this.categoryFilter, "Any category", []);
    this.fillSelect(this.tagFilter, "Any tag", []);
    this.element = h(
      "section",
      { class: "drafts-pane", "aria-label": "Drafts" },
      h("div", { class: "pane-toolbar" }, h("h2", { class: "pane-title", text: "Drafts" }), newBtn),
      this.search,
      h("div", { class: "filters" }, this.statusFilter, this.categoryFilter, this.tagFilter),
      this.count,
      this.list,
    );
    this.search.addEventListener("input", () => {
      if (this.searchTimer) clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => void this.refresh(), 150);
    });
    this.search.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        if (this.searchTimer) clearTimeout(this.searchTimer);
        void this.refresh();
      } else if (e.key === "ArrowDown") {
        e.preventDefault();
        this.list.querySelector<HTMLButtonElement>("button")?.focus();
      }
    });
    for (const sel of [this.statusFilter, this.categoryFilter, this.tagFilter]) sel.addEventListener("change", () => void this.refresh());
    this.list.addEventListener("click", (e) => {
      const li = (e.target as Element).closest<HTMLElement>("[data-testid=draft-item]");
      const d = li && this.drafts.find((x) => x.path === li.dataset.path);
      if (d) hooks.open(d);
    });
    this.list.addEventListener("keydown", (e) => {
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
      const buttons = Array.from(this.list.querySelectorAll<HTMLButtonElement>("button.draft-open"));
      const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
      const next = e.key === "ArrowDown" ? Math.min(buttons.length - 1, i + 1) : i - 1;
      e.preventDefault();
      if (next < 0) this.search.focus();
      else buttons[next]?.focus();
    });
  }

  private fillSelect(sel: HTMLSelectElement, all: string, options: [string, string][]): void {
    const current = sel.value;
    sel.replaceChildren(h("option", { value: "", text: all }), ...options.map(([v, label]) => h("option", { value: v, text: label })));
    sel.value = options.some(([v]) => v === current) ? current : "";
  }

  setVocabulary(categories: string[], tags: string[]): void {
    const uniq = (xs: string[]) => [...new Set(xs)].sort((a, b) => a.localeCompare(b));
    this.fillSelect(this.categoryFilter, "Any category", uniq(categories).map((c) => [c, c]));
    this.fillSelect(this.tagFilter, "Any tag", uniq(tags).map((t) => [t, t]));
  }

  filter(): Filter {
    const f: Filter = {};
    if (this.statusFilter.value) f.status = this.statusFilter.value as Status;
    if (this.categoryFilter.value) f.category = this.categoryFilter.value;
    if (this.tagFilter.value) f.tag = this.tagFilter.value;
    return f;
  }

  setActive(path: string | null): void {
    this.activePath = path;
    for (const li of Array.from(this.list.querySelectorAll<HTMLElement>("[data-testid=draft-item]"))) {
      const on = li.dataset.path === path;
      li.classList.toggle("active", on);
      const b = li.querySelector("button");
      if (on) b?.setAttribute("aria-current", "true");
      else b?.removeAttribute("aria-current");
    }
  }

  /** Takes `outbox_list`: drafts with a job that is not done get the queued marker. */
  setOutbox(jobs: OutboxJob[]): void {
    this.queued = new Map(jobs.filter((j) => j.state !== "done").map((j) => [j.path, j]));
    this.applyQueued();
  }

  private applyQueued(): void {
    for (const li of Array.from(this.list.querySelectorAll<HTMLElement>("[data-testid=draft-item]"))) {
      const job = this.queued.get(li.dataset.path ?? "");
      let badge = li.querySelector<HTMLElement>("[data-testid=queued-badge]");
      if (!job) {
        badge?.remove();
        continue;
      }
      const title = `Waiting in the outbox${job.last_error ? `: ${job.last_error}` : ""}`;
      if (!badge) {
        badge = h("span", { class: "queued-badge", "data-testid": "queued-badge", role: "img", text: "🕒" });
        li.append(badge);
      }
      badge.title = title;
      badge.setAttribute("aria-label", title);
      badge.dataset.state = job.state;
    }
  }

  /** Shows drafts (e.g. from `open_workspace`) without asking again. */
  show(drafts: DraftSummary[]): void {
    this.render(drafts.map((d) => ({ draft: d, snippet: null })));
  }

  /** Asks again for the list (search text and filters applied). */
  async refresh(): Promise<void> {
    const seq = ++this.seq;
    const query = this.search.value.trim();
    const filter = this.filter();
    try {
      const hits: { draft: DraftSummary; snippet: string | null }[] = query
        ? (await this.ipc.searchDrafts(query, filter)).map((hit: SearchHit) => ({ draft: hit.draft, snippet: hit.snippet }))
        : (await this.ipc.listDrafts(filter)).map((d) => ({ draft: d, snippet: null }));
      if (seq !== this.seq) return; // a newer query answered first or is on its way
      this.render(hits);
    } catch (e) {
      if (seq === this.seq) this.hooks.error(describeError(e));
    }
  }

  private render(hits: { draft: DraftSummary; snippet: string | null }[]): void {
    const focusedPath = (document.activeElement?.closest?.("[data-testid=draft-item]") as HTMLElement | null)?.dataset.path;
    this.drafts = hits.map((x) => x.draft);
    const now = Date.now();
    this.list.replaceChildren(...hits.map((x) => draftItem(x.draft, x.snippet, x.draft.path === this.activePath, now, this.hooks.openLink ? (u) => this.hooks.openLink!(u) : undefined)));
    this.applyQueued();
    const q = this.search.value.trim();
    this.count.textContent = q ? `${hits.length} match${hits.length === 1 ? "" : "es"}` : `${hits.length} draft${hits.length === 1 ? "" : "s"}`;
    if (focusedPath) Array.from(this.list.querySelectorAll<HTMLElement>("[data-testid=draft-item]")).find((li) => li.dataset.path === focusedPath)?.querySelector("button")?.focus();
  }
}
