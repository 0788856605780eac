/** "‘Title’ changed on disk": the user picks whose text stays; the other is kept as a copy. */
import { h } from "./html";

export interface ConflictChoice {
  keepMine(): Promise<void> | void;
  takeTheirs(): Promise<void> | void;
  compare(): Promise<void> | void;
  /** Only for a draft deleted on disk: close it without writing. */
  close?(): Promise<void> | void;
}

export class ConflictBanner {
  readonly element: HTMLElement;
  private readonly text = h("span", { class: "banner-text" });
  private readonly keep = h("button", { type: "button", "data-testid": "keep-mine", text: "Keep mine (theirs kept as a copy)" });
  private readonly take = h("button", { type: "button", "data-testid": "take-theirs", text: "Take theirs (mine kept as a copy)" });
  private readonly cmp = h("button", { type: "button", "data-testid": "compare", text: "Compare" });
  private readonly closeBtn = h("button", { type: "button", "data-testid": "close-draft", text: "Close it" });
  private choice: ConflictChoice | null = null;

  constructor() {
    this.element = h(
      "div",
      { class: "banner banner-conflict", role: "alert", "data-testid": "conflict-banner", hidden: true },
      this.text,
      h("span", { class: "banner-actions" }, this.keep, this.take, this.cmp, this.closeBtn),
    );
    const run = async (button: HTMLButtonElement, fn: (c: ConflictChoice) => Promise<void> | void) => {
      if (!this.choice) return;
      button.disabled = true;
      try {
        await fn(this.choice);
      } finally {
        button.disabled = false;
      }
    };
    this.keep.addEventListener("click", () => run(this.keep, (c) => c.keepMine()));
    this.take.addEventListener("click", () => run(this.take, (c) => c.takeTheirs()));
    this.cmp.addEventListener("click", () => run(this.cmp, (c) => c.compare()));
    this.closeBtn.addEventListener("click", () => run(this.closeBtn, (c) => c.close?.()));
  }

  get visible(): boolean {
    return !this.element.hidden;
  }

  show(title: string, detail: string | null, choice: ConflictChoice): void {
    this.choice = choice;
    const deleted = !!choice.close;
    this.text.textContent = `‘${title}’ ${deleted ? "was deleted on disk" : "changed on disk"}.${detail ? ` ${detail}` : ""}`;
    this.keep.textContent = deleted ? "Keep mine (save it again)" : "Keep mine (theirs kept as a copy)";
    this.take.hidden = deleted;
    this.cmp.hidden = deleted;
    this.closeBtn.hidden = !deleted;
    this.element.hidden = false;
  }

  hide(): void {
    this.choice = null;
    this.element.hidden = true;
  }
}

/** A banner for errors: says what happened and to which file. */
export class MessageBanner {
  readonly element: HTMLElement;
  private readonly text = h("span", { class: "banner-text" });

  constructor(testid: string, kind: "error" | "info" = "error") {
    const dismiss = h("button", { type: "button", class: "icon-button", "aria-label": "Dismiss", text: "×" });
    this.element = h("div", { class: `banner banner-${kind}`, role: "alert", "data-testid": testid, hidden: true }, this.text, dismiss);
    dismiss.addEventListener("click", () => this.hide());
  }

  show(message: string): void {
    this.text.textContent = message;
    this.element.hidden = false;
  }

  hide(): void {
    this.element.hidden = true;
  }
}
