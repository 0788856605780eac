/**
 * Review, in the document sidebar: the workflow moves offered to the user's role
 * (`review_transitions` → `review_transition`) and the open suggestions and comments of the
 * text (`review_marks`), each with Accept / Reject (`review_resolve`).
 */
import { h } from "./html";
import { STATUS_LABELS, describeError, type Ipc, type Mark, type MarkKind, type Status, type Transition } from "./ipc";

export interface ReviewHooks {
  /** Moves the draft; resolves when the editor has the new file. */
  transition(to: Status, note: string | null): Promise<void>;
  /** Accepts or rejects one mark (`null`: all) on the current text. */
  resolve(id: number | null, accept: boolean): Promise<void>;
  /** Puts the cursor at the mark. */
  goto(mark: Mark): void;
  error(message: string): void;
}

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
  private status: Status | null = null;
  private statusSeq = 0;
  private marksSeq = 0;
  private marksTimer: ReturnType<typeof setTimeout> | null = null;
  marks: Mark[] = [];

  constructor(private readonly ipc: Ipc, private readonly hooks: ReviewHooks, private readonly debounceMs = 300) {
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

  /** The open draft's status and text (null: none open). */
  show(status: Status | null, text: string | null): void {
    if (status !== this.status) {
      this.status = status;
      void this.loadTransitions();
    }
    this.textChanged(text, true);
  }

  /** The text changed: the marks are read again after a pause (at once with `now`). */
  textChanged(text: string | null, now = false): void {
    if (this.marksTimer) clearTimeout(this.marksTimer);
    this.marksTimer = null;
    if (text === null) {
      this.marksSeq++;
      this.renderMarks([]);
      return;
    }
    if (now) void this.loadMarks(text);
    else this.marksTimer = setTimeout(() => void this.loadMarks(text), this.debounceMs);
  }

  private async loadTransitions(): Promise<void> {
    const seq = ++this.statusSeq;
    const status = this.status;
    if (!status) {
      this.transitions.replaceChildren();
      this.note.disabled = true;
      return;
    }
    let list: Transition[] = [];
    try {
      list = (await this.ipc.reviewTransitions(status)) ?? [];
    } catch (e) {
      if (seq === this.statusSeq) this.transitions.replaceChildren(h("p", { class: "muted", text: describeError(e) }));
      return;
    }
    if (seq !== this.statusSeq) return;
    this.note.disabled = list.length === 0;
    this.transitions.replaceChildren(
      ...(list.length
        ? list.map((t) => {
            const b = h("button", { type: "button", class: "review-transition", "data-testid": "review-transition", "data-to": t.to, title: `${STATUS_LABELS[t.from] ?? t.from} → ${STATUS_LABELS[t.to] ?? t.to}`, text: t.label });
            b.addEventListener("click", () => void this.move(t, b));
            return b;
          })
        : [h("p", { class: "muted", text: "No review step for your role here." })]),
    );
  }

  private async move(t: Transition, button: HTMLButtonElement): Promise<void> {
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
        const goto = h(
          "button",
          { type: "button", class: "mark-goto", "data-testid": "mark-goto", title: `Line ${m.line}` },
          h("span", { class: `mark-kind mark-${m.kind}`, text: KIND_LABELS[m.kind] }),
          m.author ? h("span", { class: "mark-author", title: "Initials", text: m.author }) : null,
          h("span", { class: "mark-line", text: `line ${m.line}` }),
          m.kind === "substitution"
            ? h("span", { class: "mark-text" }, h("del", { text: m.text }), " → ", h("ins", { text: m.new_text ?? "" }))
            : m.text
              ? h("span", { class: `mark-text${m.kind === "deletion" ? " struck" : ""}`, text: m.text })
              : null,
          m.comment ? h("span", { class: "mark-comment", text: m.comment }) : null,
        );
        goto.addEventListener("click", () => this.hooks.goto(m));
        const accept = h("button", { type: "button", "data-testid": "mark-accept", title: "Accept", text: "Accept" });
        const reject = h("button", { type: "button", "data-testid": "mark-reject", title: "Reject", text: "Reject" });
        accept.addEventListener("click", () => void this.resolve(m.id, true));
        reject.addEventListener("click", () => void this.resolve(m.id, false));
        return h("li", { class: "mark-item", "data-testid": "mark-item", "data-id": String(m.id), "data-kind": m.kind }, goto, h("span", { class: "mark-buttons" }, accept, reject));
      }),
    );
  }

  private async resolve(id: number | null, accept: boolean): Promise<void> {
    try {
      await this.hooks.resolve(id, accept);
    } catch (e) {
      this.hooks.error(describeError(e));
    }
  }
}
