/**
 * Remote images in the preview: held back unless the user chose to load them for a draft.
 *
 * Why: drafts come from a shared folder. An `http(s)` image in one tells its server who
 * opened the draft, when and from where, and can make this computer reach hosts on the
 * intranet. Rust holds such images back (every render path) and lists their hosts; this
 * module remembers the per-draft choice and shows the bar that offers it.
 */
import { h } from "./html";

export const REMOTE_IMAGES_KEY = "newsroom.remoteImages";
const LIMIT = 500;

/**
 * The drafts (by path) whose remote images the user chose to load, in localStorage for this
 * user on this computer, like {@link DraftPlaces}; the oldest are forgotten past `limit`.
 */
export class RemoteImageChoices {
  private readonly paths: string[];

  constructor(
    private readonly key = REMOTE_IMAGES_KEY,
    private readonly limit = LIMIT,
  ) {
    this.paths = this.read();
  }

  private read(): string[] {
    try {
      const raw = JSON.parse(localStorage.getItem(this.key) ?? "[]") as unknown;
      return Array.isArray(raw) ? raw.filter((p): p is string => typeof p === "string") : [];
    } catch {
      return []; // unreadable: every draft holds its remote images back again
    }
  }

  private write(): void {
    try {
      localStorage.setItem(this.key, JSON.stringify(this.paths));
    } catch {
      // no storage (or full): remembered for this session only
    }
  }

  allowed(path: string): boolean {
    return this.paths.includes(path);
  }

  allow(path: string): void {
    this.drop(path);
    this.paths.push(path);
    while (this.paths.length > this.limit) this.paths.shift();
    this.write();
  }

  revoke(path: string): void {
    if (this.drop(path)) this.write();
  }

  /** The draft was renamed or moved: the choice follows it. */
  move(from: string, to: string): void {
    if (!this.allowed(from)) return;
    this.drop(from);
    this.allow(to);
  }

  private drop(path: string): boolean {
    const at = this.paths.indexOf(path);
    if (at < 0) return false;
    this.paths.splice(at, 1);
    return true;
  }
}

/** "N remote images not loaded (from a, b) — …" for `count` images from `hosts` held back. */
export function heldMessage(count: number, hosts: readonly string[]): string {
  const n = Math.max(count, hosts.length);
  const what = n === 1 ? "1 remote image" : `${n} remote images`;
  const from = hosts.length > 4 ? `${hosts.slice(0, 4).join(", ")} and ${hosts.length - 4} more` : hosts.join(", ");
  const servers = hosts.length === 1 ? "that server" : "those servers";
  return `${what} not loaded (from ${from}) — ${n === 1 ? "it" : "they"} would tell ${servers} who opened this draft`;
}

/**
 * The bar above the preview (outside its sandboxed frame): when images were held back, it
 * names their hosts and offers to load them for this draft; when the draft loads them, it
 * offers to stop.
 */
export class RemoteImagesBar {
  readonly element: HTMLElement;
  private readonly text: HTMLElement;
  private readonly button: HTMLButtonElement;
  private mode: "held" | "loading" | null = null;

  constructor(private readonly actions: { allow(): void; revoke(): void }) {
    this.text = h("span", { class: "remote-images-text" });
    this.button = h("button", { type: "button", class: "remote-images-button", "data-testid": "remote-images-toggle" }) as HTMLButtonElement;
    this.button.addEventListener("click", () => {
      if (this.mode === "held") this.actions.allow();
      else if (this.mode === "loading") this.actions.revoke();
    });
    this.element = h("div", { class: "remote-images-bar", role: "status", "data-testid": "remote-images-bar", hidden: true }, this.text, this.button);
  }

  /** After a render: `count` images from `hosts` held back, `allowed` the draft's choice. */
  show(count: number, hosts: readonly string[], allowed: boolean): void {
    if (hosts.length > 0) {
      this.mode = "held";
      this.text.textContent = heldMessage(count, hosts);
      this.button.textContent = "Load remote images for this draft";
    } else if (allowed) {
      this.mode = "loading";
      this.text.textContent = "Remote images load for this draft.";
      this.button.textContent = "Stop loading them";
    } else {
      this.hide();
      return;
    }
    this.element.hidden = false;
  }

  hide(): void {
    this.mode = null;
    this.element.hidden = true;
  }
}
