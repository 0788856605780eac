/**
 * Review, in the document sidebar: the workflow moves offered to the user's role
 * (`review_transitions` → `review_transition`) and the open suggestions and comments of the
 * text (`review_marks`), each with Accept / Reject, or Resolve for a comment
 * (`review_resolve`). A card selects its mark in the editor.
 */
import { type DraftText, readText } from "./textChange";
import { h } from "./html";
import { STATUS_LABELS, describeError, type Ipc, type Mark, type MarkKind, type Status, type TrailEntry, type Transition } from "./ipc";
import { relativeTime } from "./time";

export interface ReviewHooks {
  /** Moves the draft; resolves when the editor has the new file. */
  transition(to: Status, note: string | null): Promise<void>;
  /** Accepts or rejects one mark (`null`: all) on the current text. */
  resolve(id: string | null, accept: boolean): Promise<void>;
  /** Puts the cursor at the mark. */
  goto(mark: Mark): void;
  error(message: string): void;
  /** Asked before a move that needs a second thought ("Mark as published elsewhere"). */
  confirm?(t: Transition): Promise<boolean>;
  /** The moves offered for the open draft changed (the metadata panel's Status control mirrors them). */
  movesChanged?(status: Status | null, moves: Transition[]): void;
}

/** Marks that are resolved (their note removed), not accepted or rejected. */
export const RESOLVED_KINDS = new Set<MarkKind>(["comment", "highlight"]);

/** Moves that say something happened outside the app: asked again before they are made. */
export const CONFIRMED_ACTIONS = new Set(["publish"]);

const KIND_LABELS: Record<MarkKind, string> = {
  insertion: "Insert",
  deletion: "Delete",
  substitution: "Replace",
  highlight: "Comment",
  comment: "Comment",
};

export class ReviewPanel {
  readonly element: HTMLElement;
  private readonly transitions = h("div", { class: "review-transitions", "data-testid": "review-transitions" });
  private readonly note = h("textarea", { rows: 2, placeholder: "Note (optional)", "aria-label": "Review note", "data-testid": "review-note" });
  private readonly marksList = h("ul", { class: "marks-list", "data-testid": "marks-list", "aria-label": "Suggestions and comments" });
  private readonly marksCount = h("span", { class: "count", "data-testid": "marks-count" });
  private readonly acceptAll = h("button", { type: "button", "data-testid": "marks-accept-all", text: "Accept all" });
  private readonly rejectAll = h("button", { type: "button", "data-testid": "marks-reject-all", text: "Reject all" });
  /**
   * While the piece is sent back: who asked for what, at the top of the document (the app
   * places it above the editor), so the reporter sees it before typing.
   */
  readonly requestBanner = h("div", { class: "banner banner-request", role: "status", "data-testid": "change-request", hidden: true });
  private requestSeq = 0;
  private status: Status | null = null;
  private path: string | null = null;
  private moves: Transition[] = [];
  private statusSeq = 0;
  private marksSeq = 0;
  private marksTimer: ReturnType<typeof setTimeout> | null = null;
  marks: Mark[] = [];

  constructor(
    private readonly ipc: Ipc,
    private readonly hooks: ReviewHooks,
    private readonly debounceMs = 300,
  ) {
    this.element = h(
      "section",
      { class: "review-panel", "data-testid": "review-panel" },
      h("h3", { class: "section-title", text: "Review" }),
      this.transitions,
      this.note,
      h("h3", { class: "section-title" }, "Suggestions & comments ", this.marksCount),
      h("div", { class: "marks-actions" }, this.acceptAll, this.rejectAll),
      this.marksList,
    );
    this.acceptAll.addEventListener("click", () => void this.resolve(null, true));
    this.rejectAll.addEventListener("click", () => void this.resolve(null, false));
    this.show(null, null);
  }

  /** The open draft's status, text and path (null: none open). */
  show(status: Status | null, text: string | null, path: string | null = null): void {
    if (status !== this.status || path !== this.path) {
      this.status = status;
      this.path = path;
      void this.loadTransitions();
      void this.loadRequest(status === "changes-requested" ? text : null);
    }
    this.textChanged(text, true);
  }

  /** The text changed: the marks are read again after a pause (at once with `now`). */
  textChanged(text: string | DraftText | null, now = false): void {
    if (this.marksTimer) clearTimeout(this.marksTimer);
    this.marksTimer = null;
    if (text === null) {
      this.marksSeq++;
      this.renderMarks([]);
      return;
    }
    if (now) void this.loadMarks(readText(text));
    else this.marksTimer = setTimeout(() => void this.loadMarks(readText(text)), this.debounceMs);
  }

  private async loadRequest(text: string | null): Promise<void> {
    const seq = ++this.requestSeq;
    let entry: TrailEntry | null = null;
    if (text !== null) {
      try {
        entry = (await this.ipc.reviewChangeRequest(text)) ?? null;
      } catch {
        entry = null; // the banner is a courtesy; the trail is still in the sidebar's file
      }
    }
    if (seq !== this.requestSeq) return;
    this.requestBanner.hidden = !entry;
    if (!entry) {
      this.requestBanner.replaceChildren();
      return;
    }
    const at = Date.parse(entry.at);
    this.requestBanner.replaceChildren(
      h("strong", { text: `Changes requested by ${entry.by}` }),
      Number.isFinite(at) ? h("time", { datetime: entry.at, text: ` · ${relativeTime(at)}` }) : "",
      h("span", { class: "banner-text", "data-testid": "change-request-note", text: entry.note ? ` — ${entry.note}` : " — no note was left" }),
    );
  }

  /** The moves are asked for again (the user's role changed). */
  refresh(): Promise<void> {
    return this.loadTransitions();
  }

  /** Makes the offered move to `to` (from the metadata panel's Status control). */
  async moveTo(to: Status): Promise<void> {
    const t = this.moves.find((m) => m.to === to);
    const button = Array.from(this.transitions.querySelectorAll<HTMLButtonElement>("button")).find((b) => b.dataset.to === to);
    if (t && button) await this.move(t, button);
  }

  private async loadTransitions(): Promise<void> {
    const seq = ++this.statusSeq;
    const status = this.status;
    if (!status) {
      this.transitions.replaceChildren();
      this.note.disabled = true;
      this.moves = [];
      this.hooks.movesChanged?.(null, []);
      return;
    }
    let list: Transition[] = [];
    try {
      list = (await this.ipc.reviewTransitions(status, this.path)) ?? [];
    } catch (e) {
      if (seq === this.statusSeq) this.transitions.replaceChildren(h("p", { class: "muted", text: describeError(e) }));
      return;
    }
    if (seq !== this.statusSeq) return;
    this.moves = list;
    this.hooks.movesChanged?.(status, list);
    this.note.disabled = list.length === 0;
    this.transitions.replaceChildren(
      ...(list.length
        ? list.map((t) => {
            const b = h("button", {
              type: "button",
              class: "review-transition",
              "data-testid": "review-transition",
              "data-to": t.to,
              title: `${STATUS_LABELS[t.from] ?? t.from} → ${STATUS_LABELS[t.to] ?? t.to}`,
              text: t.label,
            });
            b.addEventListener("click", () => void this.move(t, b));
            return b;
          })
        : [h("p", { class: "muted", text: "No review step for your role here." })]),
    );
  }

  private async move(t: Transition, button: HTMLButtonElement): Promise<void> {
    if (CONFIRMED_ACTIONS.has(t.action) && !(await (this.hooks.confirm?.(t) ?? Promise.resolve(false)))) return;
    const buttons = Array.from(this.transitions.querySelectorAll("button"));
    for (const b of buttons) b.disabled = true;
    try {
      await this.hooks.transition(t.to, this.note.value.trim() || null);
      this.note.value = "";
    } catch (e) {
      this.hooks.error(describeError(e));
    } finally {
      if (button.isConnected) for (const b of buttons) b.disabled = false;
    }
  }

  private async loadMarks(text: string): Promise<void> {
    const seq = ++this.marksSeq;
    // nothing that could be a mark: no need to ask
    if (!/\{(\+\+|--|~~|==|>>)/.test(text)) {
      this.renderMarks([]);
      return;
    }
    try {
      const marks = (await this.ipc.reviewMarks(text)) ?? [];
      if (seq === this.marksSeq) this.renderMarks(marks);
    } catch {
      // keep the last list
    }
  }

  private renderMarks(marks: Mark[]): void {
    this.marks = marks;
    this.marksCount.textContent = marks.length ? String(marks.length) : "";
    this.acceptAll.disabled = this.rejectAll.disabled = marks.length === 0;
    this.marksList.replaceChildren(
      ...marks.map((m) => {
        // a card points at the text itself (clicked, the editor selects the mark): the
        // file's line numbers are not what the editor shows
        const goto = h(
          "button",
          { type: "button", class: "mark-goto", "data-testid": "mark-goto", title: "Show in the text" },
          h("span", { class: `mark-kind mark-${m.kind}`, text: KIND_LABELS[m.kind] }),
          m.author ? h("span", { class: "mark-author", title: `Initials of its author: ${m.author}`, text: m.author }) : null,
          m.kind === "substitution"
            ? h("span", { class: "mark-text" }, h("del", { text: m.text }), " → ", h("ins", { text: m.new_text ?? "" }))
            : m.text
              ? h("span", { class: `mark-text${m.kind === "deletion" ? " struck" : ""}`, text: m.text })
              : null,
          m.comment ? h("span", { class: "mark-comment", text: m.comment }) : null,
        );
        goto.addEventListener("click", () => this.hooks.goto(m));
        // a comment (or a highlight with its comment) is resolved, not accepted or rejected:
        // the text stays either way and the note goes
        const buttons = RESOLVED_KINDS.has(m.kind)
          ? [h("button", { type: "button", "data-testid": "mark-resolve", title: "Resolve: remove the comment, keep the text", text: "Resolve" })]
          : [
              h("button", { type: "button", "data-testid": "mark-accept", title: "Accept", text: "Accept" }),
              h("button", { type: "button", "data-testid": "mark-reject", title: "Reject", text: "Reject" }),
            ];
        buttons[0].addEventListener("click", () => void this.resolve(m.id, true));
        buttons[1]?.addEventListener("click", () => void this.resolve(m.id, false));
        return h(
          "li",
          { class: `mark-item${m.inside ? " mark-nested" : ""}`, "data-testid": "mark-item", "data-id": m.id, "data-kind": m.kind },
          goto,
          h("span", { class: "mark-buttons" }, ...buttons),
        );
      }),
    );
  }

  private async resolve(id: string | null, accept: boolean): Promise<void> {
    try {
      await this.hooks.resolve(id, accept);
    } catch (e) {
      this.hooks.error(describeError(e));
    }
  }
}
