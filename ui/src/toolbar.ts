/**
 * The toolbar's overflow: when the buttons do not fit the window's width, the least used
 * ones move, in a fixed order, into a "More" menu at the end of the bar instead of forcing a
 * minimum width (and a page that scrolls sideways). The buttons themselves move, with their
 * handlers, titles and test ids, and go back to their places when there is room again.
 */
import { h } from "./html";
import { icon } from "./icons";
import { formatShortcut } from "./shortcuts";
import { PUBLISH_SHORTCUT, type Action } from "./actions";
import type { Layout } from "./layout";

export interface ToolbarParts {
  layout: Layout;
  /** The window's actions: the buttons at the end run them and show their shortcuts. */
  actions: Action[];
  suggest: HTMLElement;
  bell: HTMLElement;
  openPublish: () => void;
  openQueue: () => void;
}

/**
 * The window's toolbar: the pane toggles, Suggest, Queue, Publish, the bell and the less
 * used commands, which go into "More" (first listed first) when the window is too narrow.
 * Call `overflow.observe()` once the bar is in the document.
 */
export function buildToolbar(p: ToolbarParts): { element: HTMLElement; overflow: ToolbarOverflow } {
  const publishOpen = h("button", { type: "button", class: "primary", "data-testid": "publish-open", title: `Publish… (${formatShortcut(PUBLISH_SHORTCUT)})`, text: "Publish" });
  publishOpen.addEventListener("click", () => p.openPublish());
  const queueOpen = h("button", { type: "button", "data-testid": "queue-open", title: `Review queue (${formatShortcut("Mod+Shift+Q")})`, text: "Queue" });
  queueOpen.addEventListener("click", () => p.openQueue());
  const button = (label: string, actionId: string, title: string): HTMLButtonElement => {
    const action = () => p.actions.find((a) => a.id === actionId);
    const shortcut = action()?.shortcut;
    const b = h("button", { type: "button", "data-testid": `toolbar-${actionId}`, title: shortcut ? `${title} (${formatShortcut(shortcut)})` : title, text: label });
    b.addEventListener("click", () => action()?.run());
    return b;
  };
  const more = {
    history: button("History", "history", "Revision history"),
    export: button("Export", "export-html", "Export HTML…"),
    copy: button("Copy", "copy-rich", "Copy as rich text"),
    settings: button("Settings", "settings", "Settings"),
    commands: button("Commands", "palette", "Command palette"),
  };
  const bar = h(
    "header",
    { class: "toolbar" },
    // the window's one level-one heading
    h("h1", { class: "app-name", text: "Newsroom" }),
    h(
      "nav",
      { class: "toolbar-toggles", "aria-label": "Panes" },
      p.layout.toggleButton("drafts", "Drafts", "Alt+1"),
      p.layout.toggleButton("editor", "Editor", "Alt+2"),
      p.layout.toggleButton("preview", "Preview", "Alt+3"),
      p.layout.toggleButton("metadata", "Document", "Alt+4"),
    ),
    h("span", { class: "spacer" }),
    p.suggest,
    queueOpen,
    publishOpen,
    p.bell,
    more.history,
    more.export,
    more.copy,
    more.settings,
    more.commands,
  );
  // too narrow a window: the least used buttons go into "More", the first listed first
  const overflow = new ToolbarOverflow(bar, [more.commands, more.copy, more.export, more.history, more.settings, queueOpen, p.suggest]);
  bar.append(overflow.element);
  return { element: bar, overflow };
}

export class ToolbarOverflow {
  /** The "More" button and its menu; put it in the bar where the menu should open. */
  readonly element: HTMLElement;
  readonly button: HTMLButtonElement;
  readonly menu: HTMLElement;
  /** Where each item sits in the bar, to put it back. */
  private readonly anchors = new Map<HTMLElement, Comment>();

  /**
   * `items`: the buttons that may move, the first to go first. `fits`: whether the bar's
   * content fits its width now (the DOM's measure by default; tests give their own).
   */
  constructor(
    private readonly bar: HTMLElement,
    private readonly items: HTMLElement[],
    private readonly fits: () => boolean = () => bar.scrollWidth <= bar.clientWidth,
  ) {
    this.button = h(
      "button",
      { type: "button", class: "toolbar-more", "data-testid": "toolbar-more", "aria-haspopup": "true", "aria-expanded": "false", title: "More commands", "aria-label": "More commands" },
      icon("more"),
      h("span", { class: "toolbar-more-label", text: "More" }),
    );
    this.menu = h("div", { class: "toolbar-menu", "data-testid": "toolbar-menu", hidden: true, "aria-label": "More commands" });
    this.element = h("span", { class: "toolbar-more-wrap", hidden: true }, this.button, this.menu);
    this.button.addEventListener("click", () => this.setOpen(this.menu.hidden));
    // a command chosen in the menu closes it (its own handler has run by then)
    this.menu.addEventListener("click", (e) => {
      if ((e.target as Element).closest("button")) this.setOpen(false);
    });
    this.element.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && !this.menu.hidden) {
        e.preventDefault();
        this.setOpen(false);
        this.button.focus();
      }
    });
    document.addEventListener("pointerdown", (e) => {
      if (!this.menu.hidden && !this.element.contains(e.target as Node)) this.setOpen(false);
    });
  }

  /** Starts following the bar's width (call once the bar holds the items and this element). */
  observe(): void {
    for (const item of this.items) {
      if (this.anchors.has(item) || !item.parentNode) continue;
      const anchor = document.createComment("toolbar item");
      item.before(anchor);
      this.anchors.set(item, anchor);
    }
    // A ResizeObserver reports a new target once, after the layout that follows and before
    // that frame is painted: fitting then costs no layout of its own. Fitting here would force
    // a layout of the page's shell in the middle of start-up (≈ 15 ms), then the drafts list
    // would be laid out again.
    if (typeof ResizeObserver !== "undefined") new ResizeObserver(() => this.fit()).observe(this.bar);
    else this.fit();
  }

  /** The items that are in the menu now, in the bar's order. */
  overflowed(): HTMLElement[] {
    return this.items.filter((i) => this.menu.contains(i)).sort((a, b) => this.position(a) - this.position(b));
  }

  /** Puts every item back, then moves them into the menu one by one until the bar fits. */
  fit(): void {
    for (const [item, anchor] of this.anchors) {
      if (this.menu.contains(item)) anchor.after(item);
    }
    this.element.hidden = true;
    if (this.fits()) {
      this.setOpen(false);
      return;
    }
    this.element.hidden = false;
    const moved: HTMLElement[] = [];
    for (const item of this.items) {
      if (!this.anchors.has(item)) continue;
      moved.push(item);
      item.remove();
      if (this.fits()) break;
    }
    moved.sort((a, b) => this.position(a) - this.position(b));
    this.menu.replaceChildren(...moved);
  }

  /** An item's place in the bar (its anchor's document order). */
  private position(item: HTMLElement): number {
    const a = this.anchors.get(item);
    if (!a) return -1;
    return [...this.anchors.values()].filter((b) => b !== a && b.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING).length;
  }

  private setOpen(open: boolean): void {
    this.menu.hidden = !open;
    this.button.setAttribute("aria-expanded", String(open));
    if (open) this.menu.querySelector<HTMLButtonElement>("button")?.focus();
  }
}
