/**
 * The drafts list: status badges, categories, author, last change; full-text search with
 * highlighted snippets; filters by status, category and tag.
 *
 * The list is virtual: rows have one fixed height (ROW_HEIGHT, the CSS takes it from
 * `--draft-row`), and only the rows in view plus a few (OVERSCAN) are in the DOM. Rows come
 * from `list_drafts` pages of PAGE_SIZE, fetched as the list scrolls; at most MAX_PAGES are
 * kept, the farthest from the view are dropped.
 *
 * Nothing tall is painted: the rows area (`list`) is only as tall as the pane and does not
 * scroll itself (overflow hidden). Beside it, `scroller` is a thin native scrollbar whose
 * only child is an empty spacer `total` rows tall; its scrollTop is the list's position, and
 * each row is placed at `index * ROW_HEIGHT - scrollTop`. A wheel over the rows is handed to
 * the scroller, the keys set its scrollTop, its `scroll` event renders. (WebKit keeps tiles
 * for a tall composited scroller in proportion to its area: 12–24 MB for a 600,000 px list
 * as wide as the pane, next to nothing for a 12 px wide one; see docs/performance.md.)
 *
 * Search results (at most 50, with snippets, of no fixed height) are a plain list that
 * scrolls natively in the rows area; the scroller is hidden meanwhile.
 */
import { h, snippetToHtml } from "./html";
import { isConflictCopy, publishedElsewhere, statusLabel } from "./workflowLabels";
import { STATUSES, STATUS_LABELS, describeError, type DraftSummary, type Filter, type Ipc, type OutboxJob, type Role, type Status } from "./ipc";
import { icon } from "./icons";
import { keepRelativeTimesFresh, relativeTime } from "./time";

/** One row's height in px: the CSS reads it as `--draft-row`, set from this constant. */
export const ROW_HEIGHT = 60;
/** Rows per `list_drafts` request. */
export const PAGE_SIZE = 100;
/** Pages kept in memory. */
export const MAX_PAGES = 8;
/** Rows rendered above and below the visible ones. */
export const OVERSCAN = 6;
/** The rows area's height when layout reports none (a hidden pane; tests without layout). */
export const FALLBACK_VIEW_HEIGHT = 800;
/** Quiet time after the last scroll event before missing pages are asked for. */
const SCROLL_FETCH_MS = 40;
/** Pixels per line of a wheel that counts in lines (`WheelEvent.DOM_DELTA_LINE`), as Chromium and WebKit scroll. */
export const WHEEL_LINE_PX = 40;

export function statusBadge(status: Status, portalPostId?: number | null): HTMLElement {
  const elsewhere = publishedElsewhere(status, portalPostId);
  return h("span", { class: `badge badge-${status}${elsewhere ? " badge-elsewhere" : ""}`, "data-status": status, text: statusLabel(status, portalPostId) });
}

/** A conflict copy looks like its draft: this says what it is before anyone acts on it. */
function conflictBadge(): HTMLElement {
  return h("span", { class: "badge badge-conflict", "data-testid": "conflict-copy-badge", title: "Conflict copy: compare it with its draft and keep one version", text: "Conflict copy" });
}

/**
 * One list entry: the title on one line, then the status, categories and author (or, for a
 * draft that cannot be parsed, its error) and the time on another. Everything from the
 * draft is set as text; only the snippet's marks are HTML.
 */
export function draftItem(d: DraftSummary, snippet: string | null, active: boolean, now = Date.now(), openLink?: (url: string) => void): HTMLLIElement {
  let problem: HTMLElement | null = null;
  if (d.error) {
    const text = `${d.path}${d.error.line != null ? `:${d.error.line}` : ""}: ${d.error.message}`;
    problem = h("span", { class: "draft-error", title: text, text });
  }
  const open = h(
    "button",
    { type: "button", class: "draft-open", "aria-current": active ? "true" : undefined },
    h("span", { class: "draft-title", title: d.title || d.path, text: d.title || d.path }),
    h(
      "span",
      { class: "draft-meta" },
      isConflictCopy(d.path) ? conflictBadge() : null,
      statusBadge(d.status, d.portal_post_id),
      problem,
      !problem && d.categories.length ? h("span", { class: "draft-categories", text: d.categories.join(", ") }) : null,
      !problem && d.author ? h("span", { class: "draft-author", text: d.author }) : null,
      h("time", { class: "draft-time", datetime: new Date(d.modified_ms).toISOString(), text: relativeTime(d.modified_ms, now) }),
    ),
  );
  if (snippet) {
    const s = h("span", { class: "draft-snippet" });
    s.innerHTML = snippetToHtml(snippet);
    open.append(s);
  }
  const li = h("li", { class: `draft-item${active ? " active" : ""}`, "data-testid": "draft-item", "data-path": d.path }, open);
  if (d.portal_post_id != null) {
    li.classList.add("has-link");
    const link = h(
      "button",
      {
        type: "button",
        class: "published-link icon-button",
        "data-testid": "published-link",
        title: d.portal_link ? `Published: ${d.portal_link}` : `Published (post ${d.portal_post_id})`,
        "aria-label": "Open the published post",
      },
      icon("link"),
    );
    if (d.portal_link && openLink) link.addEventListener("click", () => openLink(d.portal_link!));
    else link.disabled = !d.portal_link;
    li.append(link);
  }
  return li;
}

/**
 * "Needs my action" for a role: the reporter's drafts sent back with changes requested (all
 * of them when no name is set), the editor's drafts waiting for review, the desk's approved
 * pieces waiting to go out. `why` says it on the button. Conflict copies stay out: a copy
 * waits to be settled (compared and one version kept), never to be moved along.
 */
export function needsMyAction(role: Role, userName: string): { filter: Filter; why: string } {
  switch (role) {
    case "reporter": {
      const name = userName.trim();
      return {
        filter: { status: "changes-requested", without_conflict_copies: true, ...(name ? { author: name } : {}) },
        why: name ? `Your drafts sent back with changes requested (by ${name})` : "Drafts sent back with changes requested (set your name in Settings to see only yours)",
      };
    }
    case "editor":
      return { filter: { status: "in-review", without_conflict_copies: true }, why: "Drafts waiting for your review" };
    case "desk":
      return { filter: { status: "approved", without_conflict_copies: true }, why: "Approved pieces waiting to be published" };
  }
}

export interface DraftsPaneHooks {
  open(draft: DraftSummary): void;
  /** Who is looking (the settings'): "Needs my action" follows it. */
  who?(): { role: Role; userName: string };
  newDraft(): void;
  error(message: string): void;
  openLink?(url: string): void;
}

interface Rendered {
  li: HTMLLIElement;
  /** The summary the row shows (null: a placeholder while its page loads). */
  draft: DraftSummary | null;
}

const sameDraft = (a: DraftSummary, b: DraftSummary) => a === b || JSON.stringify(a) === JSON.stringify(b);

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
  /** "Needs my action": the role's own filter, in place of the status one while pressed. */
  private readonly mine = h("button", { type: "button", class: "filter-mine", "aria-pressed": "false", "data-testid": "filter-mine", text: "Needs my action" });
  /** The rows area: as tall as the pane; the virtual list's rows are placed in it, search results scroll in it. */
  private readonly list = h("ul", { class: "draft-list virtual", "aria-label": "Drafts", "data-testid": "draft-list", tabindex: "-1" });
  /** Carries the virtual list's height, so that this thin box is all that is tall. */
  private readonly scrollSpacer = h("div", { class: "draft-scroll-spacer" });
  /**
   * The virtual list's scrollbar, beside the rows: its scrollTop is the list's position.
   * Hidden from assistive tech (the rows say their place with aria-posinset/aria-setsize).
   */
  readonly scroller = h("div", { class: "draft-scroller", "aria-hidden": "true", "data-testid": "draft-scroller" }, this.scrollSpacer);
  private readonly count = h("p", { class: "draft-count muted", "aria-live": "polite" });
  private activePath: string | null = null;
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  private fetchTimer: ReturnType<typeof setTimeout> | null = null;
  /** Outbox jobs not done yet, by draft path (the "queued" clock in the list). */
  private queued = new Map<string, OutboxJob>();

  /** "list": the virtual list of `list_drafts` pages; "search": every hit rendered. */
  private mode: "list" | "search" = "list";
  private hits: { draft: DraftSummary; snippet: string }[] = [];
  /** Loaded pages of the list, by page number. */
  private pages = new Map<number, DraftSummary[]>();
  private total = 0;
  /** The filter the shown list is of (the selects may already say something else). */
  private listFilter: Filter = {};
  /** Search text and filter of what is shown, to tell a live refresh from a new query. */
  private key = JSON.stringify(["", {}]);
  /** Bumped whenever the list is asked again: answers to an older request are dropped. */
  private gen = 0;
  /** Pages on their way, with the generation they were asked in. */
  private loading = new Map<number, number>();
  private rendered = new Map<number, Rendered>();
  /** The row keyboard focus goes to once its page arrives. */
  private pendingFocus: number | null = null;
  /** The part of the wheel's scrolling below a whole pixel, kept for the next event (touchpads send fractions). */
  private wheelCarry = 0;
  /** Stops the once-a-minute rewrite of the rows' "5 min ago". */
  private readonly stopClock: () => void;

  constructor(
    private readonly ipc: Pick<Ipc, "listDrafts" | "searchDrafts">,
    private readonly hooks: DraftsPaneHooks,
  ) {
    const newBtn = h("button", { type: "button", class: "primary", "data-testid": "new-draft", title: "New draft (Ctrl+N)", text: "New draft" });
    newBtn.addEventListener("click", () => hooks.newDraft());
    this.fillSelect(
      this.statusFilter,
      "Any status",
      STATUSES.map((s) => [s, STATUS_LABELS[s]]),
    );
    this.fillSelect(this.categoryFilter, "Any category", []);
    this.fillSelect(this.tagFilter, "Any tag", []);
    this.list.style.setProperty("--draft-row", `${ROW_HEIGHT}px`);
    this.element = h(
      "section",
      { class: "drafts-pane", "aria-label": "Drafts" },
      h("div", { class: "pane-toolbar" }, h("h2", { class: "pane-title", text: "Drafts" }), newBtn),
      this.search,
      h("div", { class: "filters" }, this.mine, this.statusFilter, this.categoryFilter, this.tagFilter),
      this.count,
      h("div", { class: "draft-view" }, this.list, this.scroller),
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
        if (this.rowCount() > 0) this.focusRow(0);
      }
    });
    for (const sel of [this.statusFilter, this.categoryFilter, this.tagFilter]) sel.addEventListener("change", () => void this.refresh());
    this.mine.addEventListener("click", () => this.setNeedsMyAction(!this.needsMyActionOn()));
    this.mine.hidden = !hooks.who; // (its title is set with each list read: the settings load later)
    // "3 min ago" moves on by itself, for the rows in the DOM (those in view, plus a few)
    this.stopClock = keepRelativeTimesFresh(this.list, "time.draft-time[datetime]");
    this.scroller.addEventListener("scroll", () => this.renderWindow(false));
    this.list.addEventListener("wheel", (e) => this.wheel(e), { passive: false });
    this.list.addEventListener("scroll", () => this.takeRowsAreaScroll());
    // a resized or re-shown pane has room for other rows; a collapsed one (no height, and the
    // hidden scroller reads 0) is left as it is until it shows again
    if (typeof ResizeObserver !== "undefined") {
      new ResizeObserver((entries) => {
        if (entries.some((e) => e.contentRect.height > 0)) this.renderWindow(false);
      }).observe(this.list);
    }
    this.list.addEventListener("focusout", (e) => {
      const to = (e as FocusEvent).relatedTarget as Node | null;
      if (to && !this.list.contains(to)) this.pendingFocus = null; // the user went elsewhere
    });
    this.list.addEventListener("click", (e) => {
      const li = (e.target as Element).closest<HTMLElement>("[data-testid=draft-item]");
      const d = li && this.rowAt(Number(li.dataset.index));
      if (d) hooks.open(d);
    });
    this.list.addEventListener("keydown", (e) => {
      const from = this.pendingFocus ?? this.focusedIndex() ?? -1;
      const last = this.rowCount() - 1;
      // a screenful less one row, so the row that had focus stays in sight
      const page = Math.max(1, Math.floor(this.viewHeight() / ROW_HEIGHT) - 1);
      const moves: Record<string, number> = {
        ArrowDown: Math.min(last, from + 1),
        ArrowUp: from - 1,
        PageDown: Math.min(last, Math.max(0, from) + page),
        PageUp: Math.max(0, from - page),
        Home: 0,
        End: last,
      };
      if (!(e.key in moves) || e.ctrlKey || e.metaKey || e.altKey) return;
      e.preventDefault();
      const next = moves[e.key];
      if (next < 0) {
        this.pendingFocus = null;
        this.search.focus();
      } else this.focusRow(next);
    });
  }

  /** Stops the pane's timer (a window that goes away; tests). */
  dispose(): void {
    this.stopClock();
  }

  private fillSelect(sel: HTMLSelectElement, all: string, options: [string, string][]): void {
    const current = sel.value;
    sel.replaceChildren(h("option", { value: "", text: all }), ...options.map(([v, label]) => h("option", { value: v, text: label })));
    sel.value = options.some(([v]) => v === current) ? current : "";
  }

  setVocabulary(categories: string[], tags: string[]): void {
    const uniq = (xs: string[]) => [...new Set(xs)].sort((a, b) => a.localeCompare(b));
    this.fillSelect(
      this.categoryFilter,
      "Any category",
      uniq(categories).map((c) => [c, c]),
    );
    this.fillSelect(
      this.tagFilter,
      "Any tag",
      uniq(tags).map((t) => [t, t]),
    );
  }

  /** Whether "Needs my action" is pressed. */
  needsMyActionOn(): boolean {
    return this.mine.getAttribute("aria-pressed") === "true";
  }

  /** Presses or releases "Needs my action" (the status filter stands aside while pressed). */
  setNeedsMyAction(on: boolean): void {
    this.mine.setAttribute("aria-pressed", String(on));
    this.statusFilter.disabled = on;
    void this.refresh();
  }

  /** The role or name in the settings changed: the button says so, and a pressed one lists what now waits. */
  roleChanged(): void {
    if (this.needsMyActionOn()) void this.refresh();
    else this.sayWhoseAction();
  }

  /** The button's title: what it lists for the user's role. */
  private sayWhoseAction(): void {
    const who = this.hooks.who?.();
    if (who) this.mine.title = needsMyAction(who.role, who.userName).why;
  }

  filter(): Filter {
    const f: Filter = {};
    this.sayWhoseAction();
    const who = this.needsMyActionOn() ? this.hooks.who?.() : undefined;
    if (who) Object.assign(f, needsMyAction(who.role, who.userName).filter);
    else if (this.statusFilter.value) f.status = this.statusFilter.value as Status;
    if (this.categoryFilter.value) f.category = this.categoryFilter.value;
    if (this.tagFilter.value) f.tag = this.tagFilter.value;
    return f;
  }

  /** The summaries loaded now (the cached pages, or the search hits): never the whole folder. */
  loaded(): DraftSummary[] {
    if (this.mode === "search") return this.hits.map((x) => x.draft);
    return [...this.pages.keys()].sort((a, b) => a - b).flatMap((p) => this.pages.get(p)!);
  }

  /** How many rows the list has (drafts matching the filter, or search hits). */
  rowCount(): number {
    return this.mode === "search" ? this.hits.length : this.total;
  }

  setActive(path: string | null): void {
    this.activePath = path;
    for (const li of this.items()) {
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
    for (const li of this.items()) this.applyQueued(li);
  }

  private applyQueued(li: HTMLElement): void {
    const job = this.queued.get(li.dataset.path ?? "");
    let badge = li.querySelector<HTMLElement>("[data-testid=queued-badge]");
    if (!job) {
      badge?.remove();
      return;
    }
    const title = `Waiting in the outbox${job.last_error ? `: ${job.last_error}` : ""}`;
    if (!badge) {
      badge = h("span", { class: "queued-badge", "data-testid": "queued-badge", role: "img" }, icon("clock"));
      li.append(badge);
    }
    badge.title = title;
    badge.setAttribute("aria-label", title);
    badge.dataset.state = job.state;
  }

  /**
   * Shows the first rows of the unfiltered list (`open_workspace`'s) without asking again;
   * `total` is how many drafts there are in all.
   */
  show(drafts: DraftSummary[], total = drafts.length): void {
    ++this.gen;
    const focus = this.captureFocus();
    this.enterList();
    this.key = JSON.stringify(["", {}]);
    this.listFilter = {};
    this.pages.clear();
    this.loading.clear();
    for (let p = 0; p * PAGE_SIZE < drafts.length; p++) {
      const rows = drafts.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
      // only whole pages (or the last one): a cut page is asked for again when needed
      if (rows.length === PAGE_SIZE || p * PAGE_SIZE + rows.length >= total) this.pages.set(p, rows);
    }
    this.setTotal(total);
    this.scroller.scrollTop = 0;
    this.renderWindow(true);
    this.restoreFocus(focus);
  }

  /**
   * Asks again for the list (search text and filters applied). With the same search text
   * and filter as shown, this is a live update: the pages in view are read again, the
   * scroll position stays. Otherwise the new list shows from its top.
   */
  async refresh(): Promise<void> {
    const gen = ++this.gen;
    const query = this.search.value.trim();
    const filter = this.filter();
    const key = JSON.stringify([query, filter]);
    try {
      if (query) {
        const hits = await this.ipc.searchDrafts(query, filter);
        if (gen !== this.gen) return; // a newer request answered first or is on its way
        this.key = key;
        this.showHits(hits);
        return;
      }
      const live = this.mode === "list" && key === this.key;
      const top = live ? this.scroller.scrollTop : 0;
      const [start, end] = this.windowRows(top, live ? Math.max(this.total, 1) : Infinity);
      const wanted = this.pagesOf(start, Math.max(end, start + 1));
      const answers = await Promise.all(wanted.map((p) => this.ipc.listDrafts(filter, p * PAGE_SIZE, PAGE_SIZE)));
      if (gen !== this.gen) return;
      const focus = this.captureFocus();
      if (!live) this.enterList();
      const old = live ? this.pages : new Map<number, DraftSummary[]>();
      this.key = key;
      this.listFilter = filter;
      this.loading.clear();
      this.pages = new Map();
      wanted.forEach((p, i) => {
        const before = old.get(p);
        // unchanged rows keep their summary object, so their DOM (and focus) stays
        this.pages.set(
          p,
          answers[i].drafts.map((d, j) => (before?.[j] && sameDraft(before[j], d) ? before[j] : d)),
        );
      });
      this.setTotal(answers[answers.length - 1].total);
      if (!live) this.scroller.scrollTop = 0;
      this.renderWindow(true); // a live update keeps focus on its draft (or row) itself
      this.retime();
      if (!live) this.restoreFocus(focus);
    } catch (e) {
      if (gen === this.gen) this.hooks.error(describeError(e));
    }
  }

  // ---- the virtual list

  private setTotal(total: number): void {
    this.total = total;
    if (this.mode === "list") {
      this.scrollSpacer.style.height = `${total * ROW_HEIGHT}px`;
      this.count.textContent = `${total} draft${total === 1 ? "" : "s"}`;
      for (const r of this.rendered.values()) r.li.setAttribute("aria-setsize", String(total));
    }
  }

  /** Leaves search results for the virtual list (empty until rendered). */
  private enterList(): void {
    this.mode = "list";
    this.hits = [];
    this.pendingFocus = null;
    this.rendered.clear();
    this.list.replaceChildren();
    this.list.classList.add("virtual");
    this.list.scrollTop = 0; // where search results were scrolled to
    this.scroller.hidden = false;
  }

  private showHits(hits: { draft: DraftSummary; snippet: string }[]): void {
    const focus = this.captureFocus();
    this.mode = "search";
    this.hits = hits;
    this.pages.clear();
    this.loading.clear();
    this.rendered.clear();
    this.pendingFocus = null;
    this.list.classList.remove("virtual");
    this.scroller.hidden = true;
    const now = Date.now();
    this.list.replaceChildren(...hits.map((x, i) => this.row(x.draft, x.snippet, i, now)));
    this.count.textContent = `${hits.length} match${hits.length === 1 ? "" : "es"}`;
    this.list.scrollTop = 0;
    this.restoreFocus(focus);
  }

  private row(d: DraftSummary, snippet: string | null, index: number, now: number): HTMLLIElement {
    const li = draftItem(d, snippet, d.path === this.activePath, now, this.hooks.openLink ? (u) => this.hooks.openLink!(u) : undefined);
    li.dataset.index = String(index);
    if (this.mode === "list") {
      li.setAttribute("aria-posinset", String(index + 1));
      li.setAttribute("aria-setsize", String(this.total));
    }
    this.applyQueued(li);
    return li;
  }

  private placeholder(index: number): HTMLLIElement {
    return h("li", { class: "draft-placeholder", "aria-hidden": "true", "data-index": index });
  }

  /** Puts row `index` where the scroller's position `scrollTop` shows it in the rows area. */
  private place(li: HTMLElement, index: number, scrollTop: number): void {
    const top = `${index * ROW_HEIGHT - scrollTop}px`;
    if (li.style.top !== top) li.style.top = top;
  }

  private draftAt(index: number): DraftSummary | null {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE] ?? null;
  }

  private rowAt(index: number): DraftSummary | null {
    if (!Number.isInteger(index) || index < 0) return null;
    return this.mode === "search" ? (this.hits[index]?.draft ?? null) : this.draftAt(index);
  }

  private viewHeight(): number {
    return this.list.clientHeight || FALLBACK_VIEW_HEIGHT;
  }

  private maxScrollTop(): number {
    return Math.max(0, this.total * ROW_HEIGHT - this.viewHeight());
  }

  /**
   * A wheel over the rows area scrolls the scroller (the rows area cannot). The page's own
   * handling is prevented only when the list moves, so a wheel at either end goes on as usual;
   * Ctrl+wheel stays the webview's zoom.
   */
  private wheel(e: WheelEvent): void {
    if (this.mode !== "list" || e.ctrlKey || e.deltaY === 0) return;
    const from = this.scroller.scrollTop;
    const max = this.maxScrollTop();
    if (e.deltaY < 0 ? from <= 0 : from >= max) return;
    e.preventDefault();
    const unit = e.deltaMode === WheelEvent.DOM_DELTA_LINE ? WHEEL_LINE_PX : e.deltaMode === WheelEvent.DOM_DELTA_PAGE ? this.viewHeight() : 1;
    const target = Math.min(max, Math.max(0, from + e.deltaY * unit + this.wheelCarry));
    const to = Math.round(target); // WebKit keeps whole pixels
    this.wheelCarry = target - to;
    this.scroller.scrollTop = to;
    this.renderWindow(false); // in this frame, not on the scroll event's
  }

  /**
   * The browser may still scroll the rows area to reveal something (a row reached with Tab
   * in the overscan, a find in page): that scroll moves to the scroller, the rows stay put.
   */
  private takeRowsAreaScroll(): void {
    if (this.mode !== "list" || this.list.scrollTop === 0) return;
    this.scroller.scrollTop += this.list.scrollTop;
    this.list.scrollTop = 0;
    this.renderWindow(false);
  }

  /** Rows `[start, end)` to have in the DOM for a scroll position (the scroller's). */
  private windowRows(top = this.scroller.scrollTop, total = this.total): [number, number] {
    const start = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const end = Math.min(total, Math.ceil((top + this.viewHeight()) / ROW_HEIGHT) + OVERSCAN);
    return [start, Math.max(start, end)];
  }

  private pagesOf(start: number, end: number): number[] {
    const out: number[] = [];
    for (let p = Math.floor(start / PAGE_SIZE); p * PAGE_SIZE < end; p++) out.push(p);
    return out;
  }

  /** Puts the rows in view in the DOM (reusing those already there) and asks for missing pages. */
  private renderWindow(fetchNow: boolean): void {
    if (this.mode !== "list") return;
    const scrollTop = this.scroller.scrollTop;
    const [start, end] = this.windowRows(scrollTop);
    const here = document.activeElement;
    const focusedLi = here && this.list.contains(here) ? here.closest("li") : null;
    let lost: { path: string | null; index: number } | null = null;
    for (const [i, r] of this.rendered) {
      if (i >= start && i < end && r.draft === this.draftAt(i)) continue;
      if (r.li === focusedLi) lost = { path: r.draft?.path ?? null, index: i };
      r.li.remove();
      this.rendered.delete(i);
    }
    const now = Date.now();
    let next: ChildNode | null = this.list.firstChild;
    let missing = false;
    for (let i = start; i < end; i++) {
      const have = this.rendered.get(i);
      if (have) {
        this.place(have.li, i, scrollTop);
        next = have.li.nextSibling;
        continue;
      }
      const d = this.draftAt(i);
      if (!d) missing = true;
      const li = d ? this.row(d, null, i, now) : this.placeholder(i);
      this.place(li, i, scrollTop); // scrollTop read before the DOM changed: no layout per row
      this.list.insertBefore(li, next);
      this.rendered.set(i, { li, draft: d });
    }
    if (lost) {
      // the focused row left the DOM: focus follows its draft if it is still in view, else
      // the list holds it and the row takes it back when it is rendered again
      const same = lost.path ? this.items().find((li) => li.dataset.path === lost.path) : undefined;
      if (same && this.pendingFocus === null) same.querySelector<HTMLButtonElement>("button.draft-open")?.focus({ preventScroll: true });
      else {
        if (this.pendingFocus === null) this.pendingFocus = Math.min(lost.index, Math.max(0, this.total - 1));
        this.list.focus({ preventScroll: true });
      }
    }
    if (this.pendingFocus !== null) {
      const b = this.buttonAt(this.pendingFocus);
      const here = document.activeElement;
      if (b && (!here || here === document.body || here === this.list)) {
        this.pendingFocus = null;
        b.focus({ preventScroll: true });
      }
    }
    if (!missing) return;
    if (fetchNow) this.fetchMissing();
    else {
      if (this.fetchTimer) clearTimeout(this.fetchTimer);
      this.fetchTimer = setTimeout(() => this.fetchMissing(), SCROLL_FETCH_MS);
    }
  }

  private fetchMissing(): void {
    if (this.fetchTimer) clearTimeout(this.fetchTimer);
    this.fetchTimer = null;
    if (this.mode !== "list") return;
    const [start, end] = this.windowRows();
    for (const p of this.pagesOf(start, end)) {
      if (!this.pages.has(p) && this.loading.get(p) !== this.gen) void this.loadPage(p);
    }
  }

  private async loadPage(p: number): Promise<void> {
    const gen = this.gen;
    const key = this.key;
    this.loading.set(p, gen);
    try {
      const page = await this.ipc.listDrafts(this.listFilter, p * PAGE_SIZE, PAGE_SIZE);
      // dropped when the filter changed or the list was read again meanwhile
      if (gen !== this.gen || key !== this.key || this.mode !== "list") return;
      this.loading.delete(p);
      this.pages.set(p, page.drafts);
      this.evict();
      if (page.total !== this.total) this.setTotal(page.total);
      this.renderWindow(true);
    } catch (e) {
      if (gen !== this.gen) return;
      this.loading.delete(p);
      this.hooks.error(describeError(e));
    }
  }

  /** Drops the pages farthest from the view beyond MAX_PAGES. */
  private evict(): void {
    if (this.pages.size <= MAX_PAGES) return;
    const [start, end] = this.windowRows();
    const inView = new Set(this.pagesOf(start, end));
    const centre = (start + end) / 2 / PAGE_SIZE;
    const far = [...this.pages.keys()].filter((p) => !inView.has(p)).sort((a, b) => Math.abs(b + 0.5 - centre) - Math.abs(a + 0.5 - centre));
    for (const p of far) {
      if (this.pages.size <= MAX_PAGES) break;
      this.pages.delete(p);
    }
  }

  /** Relative times of the rows kept across a refresh. */
  private retime(): void {
    const now = Date.now();
    for (const r of this.rendered.values()) {
      const t = r.li.querySelector("time");
      if (r.draft && t) t.textContent = relativeTime(r.draft.modified_ms, now);
    }
  }

  // ---- focus and keyboard

  private items(): HTMLElement[] {
    return Array.from(this.list.querySelectorAll<HTMLElement>("[data-testid=draft-item]"));
  }

  private buttonAt(index: number): HTMLButtonElement | null {
    return this.list.querySelector<HTMLButtonElement>(`[data-testid=draft-item][data-index="${index}"] button.draft-open`);
  }

  private focusedIndex(): number | null {
    const li = (document.activeElement?.closest?.("[data-testid=draft-item]") as HTMLElement | null) ?? null;
    return li && this.list.contains(li) ? Number(li.dataset.index) : null;
  }

  private captureFocus(): { path: string | null; index: number } | null {
    const here = document.activeElement;
    if (!here || !this.list.contains(here)) return null;
    const li = here.closest<HTMLElement>("[data-testid=draft-item]");
    if (!li) return this.pendingFocus !== null ? { path: null, index: this.pendingFocus } : null;
    return { path: li.dataset.path ?? null, index: Number(li.dataset.index) };
  }

  /** After a new list replaced the rows: focus stays on the same draft, else goes to the first row. */
  private restoreFocus(was: { path: string | null; index: number } | null): void {
    if (!was) return;
    const here = document.activeElement;
    if (here && here !== document.body && here !== this.list) return; // the user went elsewhere
    const same = was.path ? this.items().find((li) => li.dataset.path === was.path) : undefined;
    if (same) same.querySelector<HTMLButtonElement>("button.draft-open")?.focus({ preventScroll: true });
    else if (this.rowCount() > 0) this.focusRow(0);
  }

  /** Keyboard focus to row `index`: scrolled into view, its page asked for if needed. */
  private focusRow(index: number): void {
    if (this.mode === "search") {
      this.pendingFocus = null;
      this.buttonAt(index)?.focus();
      return;
    }
    const top = index * ROW_HEIGHT;
    const view = this.viewHeight();
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (top + ROW_HEIGHT > this.scroller.scrollTop + view) this.scroller.scrollTop = top + ROW_HEIGHT - view;
    this.pendingFocus = index;
    this.renderWindow(true);
    const b = this.buttonAt(index);
    if (b) {
      this.pendingFocus = null;
      b.focus({ preventScroll: true });
    } else this.list.focus({ preventScroll: true });
  }
}
