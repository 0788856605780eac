import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { EDITOR_MIN, Layout, NARROW_BELOW, placePanes, type PaneId } from "../src/layout";
import { ToolbarOverflow } from "../src/toolbar";
import { icon } from "../src/icons";
import { h } from "../src/html";

const STORAGE_KEY = "newsroom.layout.v1";

function content(): Record<PaneId, HTMLElement> {
  return {
    drafts: h("section", { "data-testid": "c-drafts" }, h("button", { text: "d" })),
    editor: h("section", { "data-testid": "c-editor" }),
    preview: h("section", { "data-testid": "c-preview" }),
    metadata: h("aside", { "data-testid": "c-metadata" }, h("input", { type: "text" })),
  };
}

function makeLayout(width: number) {
  const w = { value: width };
  const c = content();
  const layout = new Layout(c, { width: () => w.value });
  const toggles = {
    drafts: layout.toggleButton("drafts", "Drafts", "Alt+1"),
    editor: layout.toggleButton("editor", "Editor", "Alt+2"),
    preview: layout.toggleButton("preview", "Preview", "Alt+3"),
    metadata: layout.toggleButton("metadata", "Document", "Alt+4"),
  };
  document.body.append(h("div", {}, ...Object.values(toggles)), layout.element);
  const pane = (id: PaneId) => layout.element.querySelector<HTMLElement>(`[data-pane="${id}"]`)!;
  return {
    layout,
    toggles,
    pane,
    content: c,
    resize: (px: number) => {
      w.value = px;
      layout.apply();
    },
  };
}

const defaults = () => ({
  drafts: { collapsed: false, width: 280 },
  editor: { collapsed: false, width: 0 },
  preview: { collapsed: false, width: 520 },
  metadata: { collapsed: false, width: 300 },
});

beforeEach(() => localStorage.clear());
afterEach(() => document.body.replaceChildren());

describe("which panes fit beside the editor", () => {
  it("keeps all four inline on a wide screen, the editor still the widest", () => {
    expect(placePanes(defaults(), 1920)).toEqual({ drafts: "inline", metadata: "inline", preview: "inline" });
    const left = 1920 - 280 - 300 - 520 - 15;
    expect(left).toBeGreaterThan(520);
  });

  it("on a 1366 px laptop the preview gives way first, and the editor keeps its measure", () => {
    expect(placePanes(defaults(), 1366)).toEqual({ drafts: "inline", metadata: "inline", preview: "drawer" });
    expect(1366 - 280 - 300 - 10).toBeGreaterThanOrEqual(EDITOR_MIN);
  });

  it("below NARROW_BELOW the preview and the document panel are drawers, whatever their widths", () => {
    const narrow = defaults();
    narrow.preview.width = 160;
    narrow.metadata.width = 160;
    expect(placePanes(narrow, NARROW_BELOW - 1)).toEqual({ drafts: "inline", metadata: "drawer", preview: "drawer" });
    expect(placePanes(defaults(), 1024)).toEqual({ drafts: "inline", metadata: "drawer", preview: "drawer" });
  });

  it("a window too narrow even for the drafts beside the editor makes the drafts a drawer too", () => {
    expect(placePanes(defaults(), 800).drafts).toBe("drawer");
  });

  it("a collapsed pane takes no room: the next one may fit instead", () => {
    const s = defaults();
    s.metadata.collapsed = true;
    expect(placePanes(s, 1420)).toEqual({ drafts: "inline", metadata: "inline", preview: "inline" });
    expect(placePanes(defaults(), 1420).preview).toBe("drawer");
  });

  it("with the editor hidden, the side panes have the whole window", () => {
    const s = defaults();
    s.editor.collapsed = true;
    expect(placePanes(s, 1300)).toEqual({ drafts: "inline", metadata: "inline", preview: "inline" });
  });
});

describe("the layout", () => {
  it("at 1024 px the preview is a closed drawer: its toggle opens it over the editor, Escape closes it", () => {
    const { layout, toggles, pane } = makeLayout(1024);
    expect(pane("preview").hidden).toBe(true);
    expect(pane("preview").classList.contains("drawer")).toBe(true);
    expect(toggles.preview.getAttribute("aria-pressed")).toBe("false");
    expect(toggles.preview.dataset.drawer).toBe("true");
    expect(layout.isCollapsed("preview")).toBe(true);

    toggles.preview.click();
    expect(pane("preview").hidden).toBe(false);
    expect(pane("preview").getAttribute("role")).toBe("dialog");
    expect(pane("preview").getAttribute("aria-label")).toBe("Preview");
    expect(toggles.preview.getAttribute("aria-pressed")).toBe("true");
    expect(document.activeElement).toBe(pane("preview"));
    expect(layout.isCollapsed("preview")).toBe(false);
    // the resize handle belongs to inline panes
    expect(layout.element.querySelector<HTMLElement>('[data-testid="resize-preview"]')!.hidden).toBe(true);

    pane("preview").dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(pane("preview").hidden).toBe(true);
    expect(document.activeElement).toBe(toggles.preview);
  });

  it("focus goes back where it was (the text) when a drawer opened by its shortcut closes", () => {
    const { layout, pane } = makeLayout(1024);
    const text = h("textarea", {});
    pane("editor").append(text);
    text.focus();
    layout.toggle("metadata");
    expect(document.activeElement).toBe(pane("metadata"));
    layout.toggle("preview"); // the other drawer: focus still returns to the text
    layout.toggle("preview");
    expect(pane("preview").hidden).toBe(true);
    expect(document.activeElement).toBe(text);
  });

  it("one drawer at a time; a click outside closes it; drawers are not remembered", () => {
    const { layout, toggles, pane } = makeLayout(1024);
    layout.toggle("metadata");
    expect(pane("metadata").hidden).toBe(false);
    layout.toggle("preview");
    expect(pane("preview").hidden).toBe(false);
    expect(pane("metadata").hidden).toBe(true);
    pane("editor").dispatchEvent(new Event("pointerdown", { bubbles: true }));
    expect(pane("preview").hidden).toBe(true);
    expect(toggles.preview.getAttribute("aria-pressed")).toBe("false");
    expect(localStorage.getItem(STORAGE_KEY)).toBeNull();
  });

  it("the same shortcut toggles an inline pane when the window is wide, remembered as before", () => {
    const { layout, pane, resize } = makeLayout(1920);
    expect(pane("preview").hidden).toBe(false);
    expect(pane("preview").classList.contains("drawer")).toBe(false);
    expect(pane("preview").style.flexBasis).toBe("520px");
    layout.toggle("preview");
    expect(pane("preview").hidden).toBe(true);
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY)!).preview.collapsed).toBe(true);
    // narrower: now a drawer, closed; its toggle opens it without changing what is remembered
    resize(1024);
    layout.toggle("preview");
    expect(pane("preview").hidden).toBe(false);
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY)!).preview.collapsed).toBe(true);
    // wide again: the drawer is gone, the pane as the user left it
    resize(1920);
    expect(pane("preview").hidden).toBe(true);
    expect(pane("preview").classList.contains("drawer")).toBe(false);
  });

  it("restores collapsed panes and widths, and ignores a broken saved state", () => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ drafts: { collapsed: true, width: 250 }, metadata: { width: "x" } }));
    const { pane } = makeLayout(1920);
    expect(pane("drafts").hidden).toBe(true);
    expect(pane("drafts").style.flexBasis).toBe("250px");
    expect(pane("metadata").style.flexBasis).toBe("300px");
    localStorage.setItem(STORAGE_KEY, "{not json");
    expect(() => makeLayout(1920)).not.toThrow();
  });

  it("a pane dragged wider stops where the editor would lose its minimum", () => {
    const { layout, pane } = makeLayout(1920);
    const handle = layout.element.querySelector<HTMLElement>('[data-testid="resize-preview"]')!;
    for (let i = 0; i < 40; i++) handle.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowLeft", shiftKey: true, bubbles: true }));
    const max = 1920 - EDITOR_MIN - (280 + 5) - (300 + 5) - 5;
    expect(pane("preview").style.flexBasis).toBe(`${max}px`);
  });

  it("with no draft the document panel shows a hint, its form hidden and inert", () => {
    const { layout, pane, content: c } = makeLayout(1920);
    layout.setPlaceholder("metadata", "Open a draft first.");
    const hint = pane("metadata").querySelector<HTMLElement>('[data-testid="metadata-hint"]')!;
    expect(hint.hidden).toBe(false);
    expect(hint.textContent).toBe("Open a draft first.");
    expect(c.metadata.hidden).toBe(true);
    expect(c.metadata.hasAttribute("inert")).toBe(true);
    layout.setPlaceholder("metadata", null);
    expect(hint.hidden).toBe(true);
    expect(c.metadata.hidden).toBe(false);
    expect(c.metadata.hasAttribute("inert")).toBe(false);
  });
});

describe("the toolbar's More menu", () => {
  function bar(room: number) {
    const widths = new Map<HTMLElement, number>();
    const button = (label: string, w: number) => {
      const b = h("button", { type: "button", "data-testid": label, text: label });
      widths.set(b, w);
      return b;
    };
    const [a, b, c, d] = [button("a", 100), button("b", 100), button("c", 100), button("d", 100)];
    const toolbar = h("header", {}, a, b, c, d);
    const state = { room };
    const fits = () => {
      let used = 0;
      for (const el of Array.from(toolbar.children) as HTMLElement[]) {
        if (el.hidden) continue;
        used += widths.get(el) ?? (el.classList.contains("toolbar-more-wrap") ? 60 : 0);
      }
      return used <= state.room;
    };
    const overflow = new ToolbarOverflow(toolbar, [d, b, c], fits);
    toolbar.append(overflow.element);
    document.body.append(toolbar);
    overflow.observe();
    overflow.fit(); // what the ResizeObserver's first report does, after the first layout
    return { overflow, toolbar, a, b, c, d, state, fits };
  }

  it("does not measure the bar while it is being built: the first fit waits for the first layout", () => {
    const toolbar = h("header", {}, h("button", { type: "button", text: "a" }));
    const measured = vi.fn(() => true);
    const overflow = new ToolbarOverflow(toolbar, [], measured);
    toolbar.append(overflow.element);
    document.body.append(toolbar);
    overflow.observe();
    expect(measured).not.toHaveBeenCalled();
  });

  it("has no More button when everything fits", () => {
    const { overflow } = bar(400);
    expect(overflow.element.hidden).toBe(true);
    expect(overflow.overflowed()).toEqual([]);
  });

  it("moves the least used buttons into More, in the given order, shown in the bar's order", () => {
    const { overflow, toolbar, a, b, d } = bar(270);
    expect(overflow.element.hidden).toBe(false);
    expect(overflow.overflowed()).toEqual([b, d]);
    expect(Array.from(overflow.menu.children)).toEqual([b, d]);
    expect(toolbar.contains(a)).toBe(true);
  });

  it("puts the buttons back, in their places, when the window is wide again", () => {
    const { overflow, toolbar, state } = bar(170);
    expect(overflow.overflowed()).toHaveLength(3);
    state.room = 400;
    overflow.fit();
    expect(overflow.element.hidden).toBe(true);
    const labels = (Array.from(toolbar.children) as HTMLElement[]).filter((e) => e.tagName === "BUTTON").map((e) => e.dataset.testid);
    expect(labels).toEqual(["a", "b", "c", "d"]);
  });

  it("opens and closes; a command chosen runs and closes the menu; Escape closes it", () => {
    const { overflow, d } = bar(270);
    const ran = vi.fn();
    d.addEventListener("click", ran);
    overflow.button.click();
    expect(overflow.menu.hidden).toBe(false);
    expect(overflow.button.getAttribute("aria-expanded")).toBe("true");
    d.click();
    expect(ran).toHaveBeenCalledOnce();
    expect(overflow.menu.hidden).toBe(true);
    overflow.button.click();
    overflow.menu.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(overflow.menu.hidden).toBe(true);
    expect(document.activeElement).toBe(overflow.button);
  });
});

describe("icons", () => {
  it("are inline SVG in the text's colour, hidden from screen readers", () => {
    const svg = icon("bell");
    expect(svg.namespaceURI).toBe("http://www.w3.org/2000/svg");
    expect(svg.getAttribute("aria-hidden")).toBe("true");
    expect(svg.getAttribute("stroke")).toBe("currentColor");
    expect(svg.querySelectorAll("path").length).toBeGreaterThan(0);
  });

  it("no emoji anywhere in the UI's sources (many Linux desktops have no emoji font)", () => {
    const dir = resolve(__dirname, "../src");
    // characters drawn as emoji by default, and the selector that asks for emoji drawing
    // (text symbols such as ✓ are in the fonts the package depends on)
    const emoji = /\p{Emoji_Presentation}|\u{FE0F}/u;
    const found: string[] = [];
    for (const f of readdirSync(dir)) {
      if (!/\.(ts|css|html)$/.test(f)) continue;
      readFileSync(resolve(dir, f), "utf8")
        .split("\n")
        .forEach((line, i) => {
          // comments may name them
          const code = line.replace(/\/\/.*$/, "").replace(/\/\*.*?\*\//g, "");
          if (/^\s*\*/.test(code)) return;
          if (emoji.test(code)) found.push(`${f}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });
});
