/**
 * "The front matter of world/x.md does not parse": said loudly above the editor, with the
 * file and line, and a way back to the last version that did. While it shows, the front
 * matter is not folded (the text is there to be fixed) and the sidebar cannot write it.
 */
import { h } from "./html";
import type { DraftError } from "./ipc";

export interface FrontMatterBannerActions {
  /** Restores the newest revision whose front matter parses; resolves to false when none does. */
  restoreLastGood(): Promise<boolean>;
  openHistory(): void;
}

export function describeFrontMatterError(path: string, error: DraftError): string {
  return `${path}${error.line != null ? `:${error.line}` : ""}: ${error.message}`;
}

export class FrontMatterBanner {
  readonly element: HTMLElement;
  private readonly text = h("span", { class: "banner-text" });
  private readonly restore = h("button", { type: "button", class: "primary", "data-testid": "restore-good", text: "Restore last good version" });
  private readonly history = h("button", { type: "button", "data-testid": "front-matter-history", text: "History…" });
  private readonly outcome = h("span", { class: "banner-outcome", role: "status" });
  /** The text the error was reported for: a render of that same text cannot clear it. */
  brokenText: string | null = null;

  constructor(actions: FrontMatterBannerActions) {
    this.element = h(
      "div",
      { class: "banner banner-error banner-loud", role: "alert", "data-testid": "draft-error-banner", hidden: true },
      this.text,
      h("span", { class: "banner-actions" }, this.restore, this.history),
      this.outcome,
    );
    this.restore.addEventListener("click", async () => {
      this.restore.disabled = true;
      this.outcome.textContent = "Looking for the last version that parses…";
      try {
        const done = await actions.restoreLastGood();
        this.outcome.textContent = done ? "" : "No earlier version of this draft parses: fix the lines above, or pick one in History…";
      } catch (e) {
        this.outcome.textContent = `Not restored: ${e instanceof Error ? e.message : String((e as { message?: string })?.message ?? e)}`;
      } finally {
        this.restore.disabled = false;
      }
    });
    this.history.addEventListener("click", () => actions.openHistory());
  }

  get visible(): boolean {
    return !this.element.hidden;
  }

  show(path: string, error: DraftError, text: string): void {
    this.brokenText = text;
    this.text.textContent = `Front matter broken — ${describeFrontMatterError(path, error)}. Fix it in the text below (nothing is rewritten unless you type), or restore the last version that parsed.`;
    this.outcome.textContent = "";
    this.element.hidden = false;
  }

  hide(): void {
    this.brokenText = null;
    this.outcome.textContent = "";
    this.element.hidden = true;
  }
}
