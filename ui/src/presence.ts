/**
 * Who else is editing the open draft (lock files: `lock_hold` on open and every minute,
 * `lock_release` on leaving it), and review notifications as toasts with a bell list.
 */
import { h } from "./html";
import { icon } from "./icons";
import type { Ipc, LockInfo, ReviewNotification } from "./ipc";

export const LOCK_REFRESH_MS = 60_000;

export class Presence {
  readonly element = h("div", { class: "banner banner-info presence", "data-testid": "presence", role: "status", hidden: true });
  private path: string | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly ipc: Pick<Ipc, "lockHold" | "lockRelease">) {}

  /** A draft was opened: hold its lock now and every minute. */
  hold(path: string): void {
    if (this.path && this.path !== path) this.release();
    this.path = path;
    void this.refresh();
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => void this.refresh(), LOCK_REFRESH_MS);
  }

  /** The draft moved (a rename): the lock follows it. */
  moved(path: string): void {
    if (this.path) this.path = path;
  }

  async refresh(): Promise<void> {
    const path = this.path;
    if (!path) return;
    let other: LockInfo | null = null;
    try {
      other = await this.ipc.lockHold(path);
    } catch {
      return; // locks are advice: say nothing
    }
    if (path !== this.path) return;
    this.show(other);
  }

  private show(other: LockInfo | null): void {
    this.element.hidden = !other;
    this.element.textContent = other ? `${other.name} is editing this draft` : "";
    if (other) this.element.title = `On ${other.host} since ${new Date(other.since).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`;
  }

  /** Leaving the draft (another one, or closing). */
  release(): Promise<void> {
    const path = this.path;
    this.path = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.show(null);
    if (!path) return Promise.resolve();
    return this.ipc.lockRelease(path).then(
      () => undefined,
      () => undefined,
    );
  }
}

export const TOAST_MS = 6_000;
const KEEP = 20;

export class Notifications {
  readonly bell: HTMLButtonElement;
  readonly list = h("ul", { class: "notifications-list", "data-testid": "notifications-list", hidden: true, "aria-label": "Review notifications" });
  readonly toasts = h("div", { class: "toasts", "aria-live": "polite" });
  readonly items: (ReviewNotification & { at: number })[] = [];
  private unseen = 0;

  constructor(private readonly open: (path: string) => void) {
    this.bell = h(
      "button",
      { type: "button", class: "bell icon-button", "data-testid": "notifications-bell", title: "Review notifications", "aria-label": "Review notifications", "aria-expanded": "false" },
      icon("bell"),
    );
    this.bell.addEventListener("click", () => this.toggle());
  }

  toggle(): void {
    this.list.hidden = !this.list.hidden;
    this.bell.setAttribute("aria-expanded", String(!this.list.hidden));
    if (!this.list.hidden) {
      this.unseen = 0;
      this.renderBell();
    }
  }

  notify(n: ReviewNotification): void {
    this.items.unshift({ ...n, at: Date.now() });
    this.items.splice(KEEP);
    this.unseen++;
    this.renderBell();
    this.renderList();
    const toast = h("div", { class: "toast", "data-testid": "toast", role: "status", "data-path": n.path }, h("span", { text: n.message }));
    toast.addEventListener("click", () => {
      toast.remove();
      this.open(n.path);
    });
    this.toasts.append(toast);
    setTimeout(() => toast.remove(), TOAST_MS);
  }

  private renderBell(): void {
    this.bell.replaceChildren(icon("bell"), this.unseen ? h("span", { class: "bell-count", text: String(this.unseen) }) : "");
    this.bell.setAttribute("aria-label", this.unseen ? `Review notifications: ${this.unseen} new` : "Review notifications");
  }

  private renderList(): void {
    this.list.replaceChildren(
      ...this.items.map((n) => {
        const b = h(
          "button",
          { type: "button", class: "notification", "data-testid": "notification", "data-path": n.path },
          h("span", { text: n.message }),
          h("time", { class: "muted", text: new Date(n.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) }),
        );
        b.addEventListener("click", () => {
          this.toggle();
          this.open(n.path);
        });
        return h("li", {}, b);
      }),
    );
  }
}
