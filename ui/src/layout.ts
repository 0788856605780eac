/**
 * The window's panes: drafts | editor | preview | document panel. Each can be collapsed;
 * the widths between them are dragged (or moved with the arrow keys) on the handles.
 */
import { h } from "./html";

export type PaneId = "drafts" | "editor" | "preview" | "metadata";

interface PaneState {
  collapsed: boolean;
  width: number; // px; the editor takes what is left
}

const STORAGE_KEY = "newsroom.layout.v1";
const MIN = 160;

const DEFAULTS: Record<PaneId, PaneState> = {
  drafts: { collapsed: false, width: 300 },
  editor: { collapsed: false, width: 0 },
  preview: { collapsed: false, width: 520 },
  metadata: { collapsed: false, width: 300 },
};

function load(): Record<PaneId, PaneState> {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (raw) return { ...DEFAULTS, ...(JSON.parse(raw) as Record<PaneId, PaneState>) };
  } catch {
    // defaults
  }
  return structuredClone(DEFAULTS);
}

export class Layout {
  readonly element: HTMLElement;
  private readonly state = load();
  private readonly panes: Record<PaneId, HTMLElement>;
  private readonly handles: Partial<Record<PaneId, HTMLElement>> = {};
  private readonly toggles: Partial<Record<PaneId, HTMLButtonElement>> = {};

  constructor(content: Record<PaneId, HTMLElement>) {
    this.panes = {
      drafts: h("div", { class: "pane pane-drafts", "data-pane": "drafts" }, content.drafts),
      editor: h("div", { class: "pane pane-editor", "data-pane": "editor" }, content.editor),
      preview: h("div", { class: "pane pane-preview", "data-pane": "preview" }, content.preview),
      metadata: h("div", { class: "pane pane-metadata", "data-pane": "metadata" }, content.metadata),
    };
    const handle = (pane: PaneId, side: "left" | "right") => {
      const el = h("div", {
        class: "resize-handle",
        role: "separator",
        tabindex: 0,
        "aria-orientation": "vertical",
        "aria-label": `Resize ${pane} pane`,
        "data-testid": `resize-${pane}`,
      });
      this.handles[pane] = el;
      this.attachDrag(el, pane, side);
      return el;
    };
    this.element = h(
      "div",
      { class: "panes" },
      this.panes.drafts,
      handle("drafts", "left"),
      this.panes.editor,
      handle("preview", "right"),
      this.panes.preview,
      handle("metadata", "right"),
      this.panes.metadata,
    );
    this.apply();
  }

  /** A button that collapses or shows `pane`, for the toolbar. */
  toggleButton(pane: PaneId, label: string, shortcut: string): HTMLButtonElement {
    const b = h("button", { type: "button", class: "toggle", "aria-pressed": String(!this.state[pane].collapsed), "data-testid": `toggle-${pane}`, title: `${label} (${shortcut})`, text: label });
    b.addEventListener("click", () => this.toggle(pane));
    this.toggles[pane] = b;
    return b;
  }

  isCollapsed(pane: PaneId): boolean {
    return this.state[pane].collapsed;
  }

  toggle(pane: PaneId, collapsed = !this.state[pane].collapsed): void {
    this.state[pane].collapsed = collapsed;
    this.apply();
    this.persist();
  }

  private attachDrag(el: HTMLElement, pane: PaneId, side: "left" | "right"): void {
    el.addEventListener("pointerdown", (e) => {
      e.preventDefault();
      const startX = e.clientX;
      const startW = this.panes[pane].getBoundingClientRect().width || this.state[pane].width;
      el.setPointerCapture?.(e.pointerId);
      document.body.classList.add("resizing");
      const move = (ev: PointerEvent) => {
        const dx = ev.clientX - startX;
        this.setWidth(pane, side === "left" ? startW + dx : startW - dx);
      };
      const up = () => {
        el.removeEventListener("pointermove", move);
        el.removeEventListener("pointerup", up);
        el.removeEventListener("pointercancel", up);
        document.body.classList.remove("resizing");
        this.persist();
      };
      el.addEventListener("pointermove", move);
      el.addEventListener("pointerup", up);
      el.addEventListener("pointercancel", up);
    });
    el.addEventListener("keydown", (e) => {
      const step = e.shiftKey ? 64 : 16;
      let dx = 0;
      if (e.key === "ArrowLeft") dx = -step;
      else if (e.key === "ArrowRight") dx = step;
      else if (e.key === "Enter") {
        this.toggle(pane);
        return;
      } else return;
      e.preventDefault();
      this.setWidth(pane, this.state[pane].width + (side === "left" ? dx : -dx));
      this.persist();
    });
  }

  private setWidth(pane: PaneId, width: number): void {
    const max = Math.max(MIN, window.innerWidth - 320);
    this.state[pane].width = Math.round(Math.min(max, Math.max(MIN, width)));
    this.state[pane].collapsed = false;
    this.apply();
  }

  private apply(): void {
    for (const id of Object.keys(this.panes) as PaneId[]) {
      const st = this.state[id];
      const el = this.panes[id];
      el.hidden = st.collapsed;
      if (id !== "editor") el.style.flexBasis = `${st.width}px`;
      this.toggles[id]?.setAttribute("aria-pressed", String(!st.collapsed));
      const handle = this.handles[id];
      if (handle) {
        handle.hidden = st.collapsed;
        handle.setAttribute("aria-valuenow", String(st.width));
      }
    }
  }

  private persist(): void {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(this.state));
    } catch {
      // private mode: layout not remembered
    }
  }
}
