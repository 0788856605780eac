/**
 * The window's panes: drafts | editor | preview | document panel. Each can be collapsed;
 * the widths between them are dragged (or moved with the arrow keys) on the handles.
 *
 * The editor is the main pane: it keeps at least EDITOR_MIN px (a measure of about 60
 * characters and its margins) beside the panes shown inline. A side pane that does not fit
 * beside it, and the preview and the document panel in any window narrower than
 * NARROW_BELOW, becomes a drawer: hidden until its toggle (or shortcut) opens it over the
 * editor, closed again with the toggle, Escape or a click outside. Which pane gives way
 * first is KEEP_ORDER's reverse: the preview, then the document panel, then the drafts.
 * A drawer opened or closed is not remembered; the inline panes' collapsed state and
 * widths are (localStorage), as before.
 */
import { h } from "./html";

export type PaneId = "drafts" | "editor" | "preview" | "metadata";
type SidePane = Exclude<PaneId, "editor">;
/** Where a side pane is: beside the editor, or a drawer over it. */
export type Placement = "inline" | "drawer";

interface PaneState {
  collapsed: boolean;
  width: number; // px; the editor takes what is left
}

const STORAGE_KEY = "newsroom.layout.v1";
const MIN = 160;
/** A resize handle's width (styles.css `.resize-handle`). */
const HANDLE = 5;
/** Narrower than this (px), the preview and the document panel are drawers whatever their widths. */
export const NARROW_BELOW = 1280;
/** What the editor keeps beside inline panes (px): about 60 characters at the editor's size, with its margins. */
export const EDITOR_MIN = 600;
/** Side panes in the order they keep their place beside the editor; the last gives way first. */
export const KEEP_ORDER: SidePane[] = ["drafts", "metadata", "preview"];

const DEFAULTS: Record<PaneId, PaneState> = {
  drafts: { collapsed: false, width: 280 },
  editor: { collapsed: false, width: 0 },
  preview: { collapsed: false, width: 520 },
  metadata: { collapsed: false, width: 300 },
};

function load(): Record<PaneId, PaneState> {
  const state = structuredClone(DEFAULTS);
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (raw) {
      const saved = JSON.parse(raw) as Partial<Record<PaneId, Partial<PaneState>>>;
      for (const id of Object.keys(state) as PaneId[]) {
        const s = saved?.[id];
        if (!s || typeof s !== "object") continue;
        if (typeof s.collapsed === "boolean") state[id].collapsed = s.collapsed;
        if (typeof s.width === "number" && Number.isFinite(s.width)) state[id].width = Math.max(MIN, Math.round(s.width));
      }
    }
  } catch {
    // defaults
  }
  return state;
}

/**
 * Which side panes fit beside the editor in a window `width` px wide: in KEEP_ORDER, a pane
 * is inline while the shown inline panes, their handles and the editor's EDITOR_MIN (when
 * the editor is shown) fit; the others are drawers. A collapsed pane that would fit stays
 * inline (collapsed) and takes no room.
 */
export function placePanes(state: Record<PaneId, PaneState>, width: number): Record<SidePane, Placement> {
  let used = state.editor.collapsed ? 0 : EDITOR_MIN;
  const out = {} as Record<SidePane, Placement>;
  for (const id of KEEP_ORDER) {
    const forced = width < NARROW_BELOW && id !== "drafts";
    const need = Math.max(MIN, state[id].width) + HANDLE;
    if (!forced && used + need <= width) {
      out[id] = "inline";
      if (!state[id].collapsed) used += need;
    } else out[id] = "drawer";
  }
  return out;
}

export interface LayoutOptions {
  /** The window's width in px (tests give their own). */
  width?: () => number;
}

export class Layout {
  readonly element: HTMLElement;
  private readonly state = load();
  private readonly panes: Record<PaneId, HTMLElement>;
  private readonly content: Record<PaneId, HTMLElement>;
  private readonly hints: Partial<Record<PaneId, HTMLElement>> = {};
  private readonly handles: Partial<Record<PaneId, HTMLElement>> = {};
  private readonly toggles: Partial<Record<PaneId, HTMLButtonElement>> = {};
  private readonly width: () => number;
  private placement: Record<SidePane, Placement> = { drafts: "inline", metadata: "inline", preview: "inline" };
  /** The drawer shown over the editor, if any (one at a time). */
  private drawerOpen: SidePane | null = null;
  /** Where focus was before the drawer opened: it goes back there when the drawer closes. */
  private returnFocus: HTMLElement | null = null;

  constructor(content: Record<PaneId, HTMLElement>, opts: LayoutOptions = {}) {
    this.content = content;
    this.width = opts.width ?? (() => document.documentElement.clientWidth || window.innerWidth);
    const pane = (id: PaneId, label: string) =>
      h("div", { class: `pane pane-${id}`, "data-pane": id, "data-testid": `pane-${id}`, "data-label": label, tabindex: id === "editor" ? undefined : -1 }, content[id]);
    this.panes = {
      drafts: pane("drafts", "Drafts"),
      editor: pane("editor", "Editor"),
      preview: pane("preview", "Preview"),
      metadata: pane("metadata", "Document"),
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
    // the window's main landmark (the toolbar is its banner, the status bar outside)
    this.element = h(
      "main",
      { class: "panes", id: "workspace" },
      this.panes.drafts,
      handle("drafts", "left"),
      this.panes.editor,
      handle("preview", "right"),
      this.panes.preview,
      handle("metadata", "right"),
      this.panes.metadata,
    );
    // a drawer closes with Escape (focus back to its toggle) or a click outside it
    this.element.addEventListener("keydown", (e) => {
      if (e.key !== "Escape" || e.defaultPrevented || !this.drawerOpen) return;
      if (!this.panes[this.drawerOpen].contains(e.target as Node)) return;
      e.preventDefault();
      this.closeDrawer();
    });
    this.element.addEventListener("pointerdown", (e) => {
      if (this.drawerOpen && !this.panes[this.drawerOpen].contains(e.target as Node)) this.closeDrawer();
    });
    if (typeof window !== "undefined") window.addEventListener("resize", () => this.apply());
    this.apply();
  }

  /** A button that collapses or shows `pane`, for the toolbar. */
  toggleButton(pane: PaneId, label: string, shortcut: string): HTMLButtonElement {
    const b = h("button", { type: "button", class: "toggle", "aria-pressed": String(this.isShown(pane)), "data-testid": `toggle-${pane}`, title: `${label} (${shortcut})`, text: label });
    b.addEventListener("click", () => this.toggle(pane));
    this.toggles[pane] = b;
    this.apply();
    return b;
  }

  /** Whether `pane` is on screen: shown inline, or its drawer open. */
  isShown(pane: PaneId): boolean {
    if (pane === "editor") return !this.state.editor.collapsed;
    return this.placement[pane] === "drawer" ? this.drawerOpen === pane : !this.state[pane].collapsed;
  }

  /** Not on screen (collapsed, or a closed drawer). */
  isCollapsed(pane: PaneId): boolean {
    return !this.isShown(pane);
  }

  placementOf(pane: SidePane): Placement {
    return this.placement[pane];
  }

  /**
   * Shows or hides `pane`: an inline pane is collapsed or shown (remembered), a drawer
   * opened or closed (not remembered; another open drawer closes).
   */
  toggle(pane: PaneId, collapsed = this.isShown(pane)): void {
    if (pane !== "editor" && this.placement[pane] === "drawer") {
      if (collapsed) {
        if (this.drawerOpen === pane) this.closeDrawer();
        return;
      }
      const here = document.activeElement as HTMLElement | null;
      if (!this.drawerOpen || !this.panes[this.drawerOpen].contains(here)) this.returnFocus = here && here !== document.body ? here : null;
      this.drawerOpen = pane;
      this.apply();
      this.panes[pane].focus({ preventScroll: true });
      return;
    }
    this.state[pane].collapsed = collapsed;
    this.apply();
    this.persist();
  }

  /** Closes the open drawer; focus that was in it goes back where it was before it opened. */
  closeDrawer(): void {
    if (!this.drawerOpen) return;
    const closing = this.drawerOpen;
    const had = this.panes[closing].contains(document.activeElement);
    this.drawerOpen = null;
    this.apply();
    const back = this.returnFocus;
    this.returnFocus = null;
    if (had || document.activeElement === document.body) {
      if (back?.isConnected) back.focus({ preventScroll: true });
      else this.toggles[closing]?.focus();
    }
  }

  /**
   * `hint` instead of `pane`'s content (which is hidden and inert: nothing in it can be
   * focused or changed), or the content again with `null`. The document panel with no draft.
   */
  setPlaceholder(pane: PaneId, hint: string | null): void {
    let el = this.hints[pane];
    if (!el && hint !== null) {
      el = h("p", { class: "pane-hint", "data-testid": `${pane}-hint`, role: "note" });
      this.panes[pane].append(el);
      this.hints[pane] = el;
    }
    if (el) {
      el.hidden = hint === null;
      el.textContent = hint ?? "";
    }
    const content = this.content[pane];
    content.hidden = hint !== null;
    content.toggleAttribute("inert", hint !== null);
    if (hint !== null) content.setAttribute("aria-disabled", "true");
    else content.removeAttribute("aria-disabled");
  }

  private attachDrag(el: HTMLElement, pane: PaneId, side: "left" | "right"): void {
    el.addEventListener("pointerdown", (e) => {
      e.preventDefault();
      e.stopPropagation();
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

  /** The widest `pane` may be inline: the editor keeps EDITOR_MIN beside the other inline panes. */
  private maxWidth(pane: PaneId): number {
    let others = this.state.editor.collapsed ? 0 : EDITOR_MIN;
    for (const id of KEEP_ORDER) {
      if (id !== pane && this.placement[id] === "inline" && !this.state[id].collapsed) others += this.state[id].width + HANDLE;
    }
    return Math.max(MIN, this.width() - others - HANDLE);
  }

  private setWidth(pane: PaneId, width: number): void {
    this.state[pane].width = Math.round(Math.min(this.maxWidth(pane), Math.max(MIN, width)));
    this.state[pane].collapsed = false;
    this.apply();
  }

  /** Places the panes for the window's width and shows what is shown. */
  apply(): void {
    const width = this.width();
    this.placement = placePanes(this.state, width);
    if (this.drawerOpen && this.placement[this.drawerOpen] !== "drawer") this.drawerOpen = null;
    this.element.dataset.narrow = String(width < NARROW_BELOW);
    for (const id of Object.keys(this.panes) as PaneId[]) {
      const st = this.state[id];
      const el = this.panes[id];
      const drawer = id !== "editor" && this.placement[id] === "drawer";
      const shown = this.isShown(id);
      el.hidden = !shown;
      el.classList.toggle("drawer", drawer);
      el.classList.toggle("drawer-left", drawer && id === "drafts");
      if (id !== "editor") {
        el.dataset.placement = this.placement[id];
        // a drawer never covers the whole window: some of the editor stays in sight
        el.style.flexBasis = drawer ? "" : `${st.width}px`;
        el.style.width = drawer ? `${Math.min(st.width, Math.round(width * 0.9))}px` : "";
        // a drawer is a (non-modal) dialog over the editor, named for screen readers
        if (drawer) {
          el.setAttribute("role", "dialog");
          el.setAttribute("aria-label", el.dataset.label ?? id);
        } else {
          el.removeAttribute("role");
          el.removeAttribute("aria-label");
        }
      }
      const toggle = this.toggles[id];
      if (toggle) {
        toggle.setAttribute("aria-pressed", String(shown));
        if (drawer) toggle.dataset.drawer = "true";
        else delete toggle.dataset.drawer;
      }
      const handle = this.handles[id];
      if (handle) {
        handle.hidden = !shown || drawer;
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
