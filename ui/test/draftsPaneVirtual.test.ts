import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DraftsPane, FALLBACK_VIEW_HEIGHT, MAX_PAGES, OVERSCAN, PAGE_SIZE, ROW_HEIGHT, WHEEL_LINE_PX } from "../src/draftsPane";
import type { DraftPage, DraftSummary, Filter, SearchHit } from "../src/ipc";
import { job, summary } from "./fixtures";

afterEach(() => {
  document.body.replaceChildren();
  document.head.replaceChildren();
  vi.unstubAllGlobals();
});

const items = (root: ParentNode) => Array.from(root.querySelectorAll<HTMLElement>('[data-testid="draft-item"]'));
const paths = (root: ParentNode) => items(root).map((li) => li.dataset.path);
const name = (i: number) => `d/${String(i).padStart(5, "0")}.md`;
/** Rows in the DOM when nothing is scrolled: the fallback view plus the overscan below. */
const WINDOW = Math.ceil(FALLBACK_VIEW_HEIGHT / ROW_HEIGHT) + OVERSCAN;

interface Call {
  filter: Filter;
  offset: number;
  limit: number;
}

/** A folder of `n` drafts behind a fake `list_drafts`; `hold()` makes answers wait for `release()`. */
function backend(n = 10_000) {
  const b = {
    all: Array.from({ length: n }, (_, i) => summary({ path: name(i), title: `Draft ${i}`, status: i % 2 ? "draft" : "in-review", modified_ms: 1_700_000_000_000 - i * 1000 })),
    calls: [] as Call[],
    held: null as null | { call: Call; answer: () => void }[],
    hold() {
      b.held = [];
    },
    /** Answers the held calls matching `which`, in the order given. */
    release(which: (c: Call) => boolean = () => true) {
      const ready = (b.held ?? []).filter((x) => which(x.call));
      b.held = (b.held ?? []).filter((x) => !which(x.call));
      for (const r of ready) r.answer();
    },
    page(filter: Filter, offset: number, limit: number): DraftPage {
      const rows = b.all.filter((d) => !filter.status || d.status === filter.status);
      return { total: rows.length, offset, drafts: rows.slice(offset, offset + limit) };
    },
    ipc: {
      listDrafts: (filter: Filter = {}, offset = 0, limit = 200): Promise<DraftPage> => {
        const call = { filter, offset, limit };
        b.calls.push(call);
        if (!b.held) return Promise.resolve(b.page(filter, offset, limit));
        return new Promise((resolve) => b.held!.push({ call, answer: () => resolve(b.page(filter, offset, limit)) }));
      },
      searchDrafts: async (query: string): Promise<SearchHit[]> => b.all.filter((d) => d.title.endsWith(query)).map((d) => ({ draft: d, snippet: `\u0002${query}\u0003` })),
    },
  };
  return b;
}

function setup(n = 10_000, first = 200) {
  const b = backend(n);
  const opened: DraftSummary[] = [];
  const pane = new DraftsPane(b.ipc, {
    open: (d) => opened.push(d),
    newDraft: () => {},
    error: (m) => {
      throw new Error(m);
    },
  });
  document.body.append(pane.element);
  pane.show(b.all.slice(0, first), b.all.length);
  const list = pane.element.querySelector<HTMLElement>('[data-testid="draft-list"]')!;
  return { b, pane, list, opened };
}

function scrollTo(pane: DraftsPane, px: number) {
  pane.scroller.scrollTop = px;
  pane.scroller.dispatchEvent(new Event("scroll"));
}
const scrollToRow = (pane: DraftsPane, row: number) => scrollTo(pane, row * ROW_HEIGHT);

/** The element that is as tall as all rows: the only child of the thin scroller. */
const spacer = (pane: DraftsPane) => pane.scroller.firstElementChild as HTMLElement;
const topOf = (list: HTMLElement, path: string) => items(list).find((li) => li.dataset.path === path)!.style.top;

/** A wheel turned over `target`; returns whether the page's default (scrolling something else) was prevented. */
function wheel(target: Element, deltaY: number, deltaMode: number = WheelEvent.DOM_DELTA_PIXEL, init: WheelEventInit = {}): boolean {
  const e = new WheelEvent("wheel", { deltaY, deltaMode, bubbles: true, cancelable: true, ...init });
  // happy-dom's WheelEvent is no MouseEvent: no modifier keys of its own
  if (init.ctrlKey && !e.ctrlKey) Object.defineProperty(e, "ctrlKey", { value: true });
  target.dispatchEvent(e);
  return e.defaultPrevented;
}

const key = (target: Element, k: string) => target.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true }));
const focusedPath = () => (document.activeElement?.closest("[data-testid=draft-item]") as HTMLElement | null)?.dataset.path;

describe("the virtual drafts list", () => {
  it("has only the rows in view in the DOM, and a scroller as tall as all 10,000", () => {
    const { b, pane, list } = setup();
    expect(items(list)).toHaveLength(WINDOW);
    expect(paths(list)).toEqual(b.all.slice(0, WINDOW).map((d) => d.path));
    expect(spacer(pane).style.height).toBe(`${10_000 * ROW_HEIGHT}px`);
    expect(list.style.height).toBe(""); // the rows area is only as tall as the pane
    expect(list.style.getPropertyValue("--draft-row")).toBe(`${ROW_HEIGHT}px`);
    expect(items(list)[3].style.top).toBe(`${3 * ROW_HEIGHT}px`);
    expect(pane.element.querySelector(".draft-count")!.textContent).toBe("10000 drafts");
    expect(b.calls).toEqual([]); // open_workspace's first rows are enough for the top
  });

  it("fetches the pages a scroll reaches, with the current filter, and shows their rows", async () => {
    const { b, pane, list } = setup();
    scrollToRow(pane, 5000);
    // the rows in view wait for their pages: placeholders, not drafts
    expect(items(list)).toHaveLength(0);
    expect(list.querySelectorAll(".draft-placeholder").length).toBeGreaterThan(0);
    await vi.waitFor(() => expect(items(list).length).toBeGreaterThan(0));
    expect(b.calls).toEqual([
      { filter: {}, offset: 49 * PAGE_SIZE, limit: PAGE_SIZE },
      { filter: {}, offset: 50 * PAGE_SIZE, limit: PAGE_SIZE },
    ]);
    const shown = paths(list);
    expect(shown[0]).toBe(name(5000 - OVERSCAN));
    expect(shown).toHaveLength(WINDOW + OVERSCAN);
    expect(items(list)[OVERSCAN].style.top).toBe("0px"); // row 5000 is at the top of the view
    expect(list.querySelectorAll("li").length).toBe(WINDOW + OVERSCAN); // the top rows are gone
  });

  it("keeps a bounded number of pages however far it scrolls", async () => {
    const { b, pane, list } = setup();
    for (let row = 0; row < 10_000; row += 400) {
      scrollToRow(pane, row);
      await vi.waitFor(() => expect(paths(list)).toContain(name(row)), { interval: 5 });
      expect(pane.loaded().length).toBeLessThanOrEqual(MAX_PAGES * PAGE_SIZE);
      expect(list.querySelectorAll("li").length).toBeLessThanOrEqual(WINDOW + OVERSCAN);
    }
    expect(b.calls.length).toBeGreaterThan(20);
  });

  it("drops an answer for the old filter when the filter changed meanwhile", async () => {
    const { b, pane, list } = setup();
    b.hold();
    scrollToRow(pane, 3000); // asks for pages 29 and 30 of the unfiltered list
    await vi.waitFor(() => expect(b.held).toHaveLength(2));
    const status = pane.element.querySelector<HTMLSelectElement>('[data-testid="filter-status"]')!;
    status.value = "in-review";
    status.dispatchEvent(new Event("change"));
    await vi.waitFor(() => expect(b.held).toHaveLength(3));
    expect(b.calls.at(-1)).toEqual({ filter: { status: "in-review" }, offset: 0, limit: PAGE_SIZE });
    // the new list answers first, the old pages late
    b.release((c) => c.filter.status === "in-review");
    await vi.waitFor(() => expect(pane.element.querySelector(".draft-count")!.textContent).toBe("5000 drafts"));
    b.release();
    await new Promise((r) => setTimeout(r, 10));
    expect(pane.scroller.scrollTop).toBe(0);
    expect(items(list).every((li) => Number(li.dataset.path!.slice(2, 7)) % 2 === 0)).toBe(true);
    expect(paths(list)[0]).toBe(name(0));
    expect(pane.loaded().every((d) => d.status === "in-review")).toBe(true);
    // and later pages of the filtered list are asked for with the filter
    b.held = null;
    scrollToRow(pane, 1000);
    await vi.waitFor(() => expect(paths(list)).toContain(name(2000)));
    expect(b.calls.at(-1)!.filter).toEqual({ status: "in-review" });
  });

  it("ArrowDown crosses into a page not loaded yet, fetching it and scrolling it into view", async () => {
    const { b, pane, list } = setup();
    scrollToRow(pane, 180);
    const last = items(list).find((li) => li.dataset.path === name(199))!;
    last.querySelector("button")!.focus();
    b.hold();
    key(document.activeElement!, "ArrowDown");
    // row 200 is on page 2, which open_workspace did not send
    await vi.waitFor(() => expect(b.held).toHaveLength(1));
    expect(b.calls.at(-1)).toEqual({ filter: {}, offset: 200, limit: PAGE_SIZE });
    expect(pane.scroller.scrollTop).toBe(201 * ROW_HEIGHT - FALLBACK_VIEW_HEIGHT);
    b.release();
    await vi.waitFor(() => expect(focusedPath()).toBe(name(200)));
    b.held = null;
    key(document.activeElement!, "ArrowDown");
    expect(focusedPath()).toBe(name(201));
    key(document.activeElement!, "ArrowUp");
    key(document.activeElement!, "ArrowUp");
    expect(focusedPath()).toBe(name(199));
  });

  it("Home, End, PageDown and PageUp move through all 10,000 rows", async () => {
    const { pane } = setup();
    key(pane.search, "ArrowDown");
    expect(focusedPath()).toBe(name(0));
    const perPage = Math.max(1, Math.floor(FALLBACK_VIEW_HEIGHT / ROW_HEIGHT) - 1);
    key(document.activeElement!, "PageDown");
    expect(focusedPath()).toBe(name(perPage));
    key(document.activeElement!, "PageUp");
    expect(focusedPath()).toBe(name(0));
    key(document.activeElement!, "End");
    // the last page is fetched, scrolled to, and the last row focused
    await vi.waitFor(() => expect(focusedPath()).toBe(name(9999)));
    expect(pane.scroller.scrollTop).toBe(10_000 * ROW_HEIGHT - FALLBACK_VIEW_HEIGHT);
    key(document.activeElement!, "PageDown");
    expect(focusedPath()).toBe(name(9999));
    key(document.activeElement!, "Home");
    await vi.waitFor(() => expect(focusedPath()).toBe(name(0)));
    expect(pane.scroller.scrollTop).toBe(0);
  });

  it("walks from the search box into the list and back with the arrows", () => {
    const { pane } = setup();
    key(pane.search, "ArrowDown");
    expect(focusedPath()).toBe(name(0));
    key(document.activeElement!, "ArrowDown");
    expect(focusedPath()).toBe(name(1));
    key(document.activeElement!, "ArrowUp");
    key(document.activeElement!, "ArrowUp");
    expect(document.activeElement).toBe(pane.search);
  });

  it("ArrowUp scrolls back to rows above the view", async () => {
    const { pane } = setup();
    scrollToRow(pane, 500);
    await vi.waitFor(() => expect(paths(pane.element)).toContain(name(500)));
    items(pane.element)
      .find((li) => li.dataset.path === name(500))!
      .querySelector("button")!
      .focus();
    for (let i = 0; i < 20; i++) key(document.activeElement!, "ArrowUp");
    await vi.waitFor(() => expect(focusedPath()).toBe(name(480)));
    expect(pane.scroller.scrollTop).toBe(480 * ROW_HEIGHT);
  });

  it("a live refresh reads the pages in view again and keeps the scroll position and focus", async () => {
    const { b, pane, list } = setup();
    scrollToRow(pane, 3000);
    await vi.waitFor(() => expect(paths(list)).toContain(name(3000)));
    items(list)
      .find((li) => li.dataset.path === name(3000))!
      .querySelector("button")!
      .focus();
    const kept = items(list).find((li) => li.dataset.path === name(3005))!;
    b.calls = [];
    // a colleague's new draft lands on top: every row moves down by one
    b.all.unshift(summary({ path: "new.md", title: "New", modified_ms: 1_800_000_000_000 }));
    await pane.refresh();
    expect(pane.scroller.scrollTop).toBe(3000 * ROW_HEIGHT);
    expect(b.calls.map((c) => c.offset)).toEqual([29 * PAGE_SIZE, 30 * PAGE_SIZE]);
    expect(pane.element.querySelector(".draft-count")!.textContent).toBe("10001 drafts");
    expect(spacer(pane).style.height).toBe(`${10_001 * ROW_HEIGHT}px`);
    const row3000 = items(list).find((li) => li.dataset.index === "3000")!;
    expect(row3000.dataset.path).toBe(name(2999));
    expect(focusedPath()).toBe(name(3000)); // focus follows the draft
    expect(kept.isConnected).toBe(false); // moved rows are new elements at their new place
    // an unchanged answer keeps the rows' elements
    const same = items(list)[0];
    await pane.refresh();
    expect(items(list)[0]).toBe(same);
  });

  it("opens the clicked row's draft, and marks the open one when it scrolls into view", async () => {
    const { pane, list, opened } = setup();
    pane.setActive(name(700));
    items(list)[2].querySelector("button")!.click();
    expect(opened.map((d) => d.path)).toEqual([name(2)]);
    scrollToRow(pane, 700);
    await vi.waitFor(() => expect(paths(list)).toContain(name(700)));
    const active = items(list).filter((li) => li.classList.contains("active"));
    expect(active.map((li) => li.dataset.path)).toEqual([name(700)]);
    expect(active[0].querySelector("button")!.getAttribute("aria-current")).toBe("true");
  });

  it("queued markers follow rows rendered later", async () => {
    const { pane, list } = setup();
    pane.setOutbox([job({ key: "k", portal: "p", path: name(900), last_error: "offline" })]);
    scrollToRow(pane, 900);
    await vi.waitFor(() => expect(paths(list)).toContain(name(900)));
    const badges = Array.from(list.querySelectorAll<HTMLElement>('[data-testid="queued-badge"]'));
    expect(badges.map((x) => x.closest("li")!.dataset.path)).toEqual([name(900)]);
  });

  it("search results are a plain list with snippets; clearing the search returns to the list's top", async () => {
    const { pane, list } = setup();
    scrollToRow(pane, 4000);
    pane.search.value = "77";
    await pane.refresh();
    expect(list.classList.contains("virtual")).toBe(false);
    expect(pane.scroller.hidden).toBe(true); // the results scroll natively
    expect(items(list).length).toBe(100); // "Draft 77", "Draft 177", … "Draft 9977"
    expect(items(list)[0].querySelector(".draft-snippet mark")!.textContent).toBe("77");
    expect(pane.element.querySelector(".draft-count")!.textContent).toBe("100 matches");
    pane.search.value = "";
    await pane.refresh();
    expect(list.classList.contains("virtual")).toBe(true);
    expect(pane.scroller.hidden).toBe(false);
    expect(pane.scroller.scrollTop).toBe(0);
    expect(paths(list)[0]).toBe(name(0));
    expect(pane.element.querySelector(".draft-count")!.textContent).toBe("10000 drafts");
  });

  it("a short folder has exactly its rows", () => {
    const { pane, list } = setup(5, 5);
    expect(paths(list)).toEqual([0, 1, 2, 3, 4].map(name));
    expect(pane.element.querySelector(".draft-count")!.textContent).toBe("5 drafts");
    expect(spacer(pane).style.height).toBe(`${5 * ROW_HEIGHT}px`);
  });
});

describe("the virtual list's scrolling: a thin scroller beside rows that do not scroll", () => {
  /**
   * The app's stylesheet, for what happy-dom can compute without layout (overflow, widths).
   * happy-dom does not expand the `overflow` shorthand: the rules checked here use longhands.
   */
  function withStyles() {
    const style = document.createElement("style");
    style.textContent = readFileSync(resolve(import.meta.dirname, "../src/styles.css"), "utf8");
    document.head.append(style);
  }
  const px = (value: string) => (value.endsWith("px") ? parseFloat(value) : NaN);

  it("has no tall scrolling box but the narrow scroller, whose spacer carries the list's height", () => {
    withStyles();
    const { pane, list } = setup();
    const scrolls = (el: Element) => ["auto", "scroll"].includes(getComputedStyle(el).overflowY);
    const all = [pane.element, ...pane.element.querySelectorAll("*")];
    expect(all.filter(scrolls)).toEqual([pane.scroller]);
    expect(getComputedStyle(list).overflowY).toBe("hidden");
    expect(px(getComputedStyle(pane.scroller).width)).toBeLessThanOrEqual(16);
    expect(pane.scroller.children).toHaveLength(1);
    expect(px(getComputedStyle(spacer(pane)).width)).toBeLessThanOrEqual(1);
    // nothing else is set taller than two screens
    const tall = all.filter((el) => px((el as HTMLElement).style?.height ?? "") > 2 * FALLBACK_VIEW_HEIGHT);
    expect(tall).toEqual([spacer(pane)]);
    // the scroller is a scrollbar, not content: the list's rows carry the positions for assistive tech
    expect(pane.scroller.getAttribute("aria-hidden")).toBe("true");
    expect(items(list)[0].getAttribute("aria-posinset")).toBe("1");
    expect(items(list)[0].getAttribute("aria-setsize")).toBe("10000");
  });

  it("search results scroll natively in the rows area, the thin scroller hidden", async () => {
    withStyles();
    const { pane, list } = setup();
    pane.search.value = "77";
    await pane.refresh();
    expect(getComputedStyle(list).overflowY).toBe("auto");
    expect(pane.scroller.hidden).toBe(true);
    expect(wheel(items(list)[5], 120)).toBe(false); // the browser scrolls them itself
    expect(items(list)[0].style.top).toBe("");
  });

  it("places the rows from the scroller's scrollTop, to the pixel", async () => {
    const { pane, list } = setup();
    expect(topOf(list, name(0))).toBe("0px");
    expect(topOf(list, name(2))).toBe(`${2 * ROW_HEIGHT}px`);
    scrollTo(pane, 130); // row 2 is 10 px into the view
    expect(topOf(list, name(2))).toBe("-10px");
    expect(topOf(list, name(3))).toBe(`${ROW_HEIGHT - 10}px`);
    scrollTo(pane, 5000 * ROW_HEIGHT + 25);
    await vi.waitFor(() => expect(paths(list)).toContain(name(5000)));
    expect(topOf(list, name(5000))).toBe("-25px");
    expect(topOf(list, name(5000 - OVERSCAN))).toBe(`${-OVERSCAN * ROW_HEIGHT - 25}px`);
    expect(topOf(list, name(5001))).toBe(`${ROW_HEIGHT - 25}px`);
  });

  it("a wheel over the rows scrolls the scroller, in pixels, lines or pages", () => {
    const { pane, list } = setup();
    expect(wheel(items(list)[4].querySelector(".draft-title")!, 130)).toBe(true);
    expect(pane.scroller.scrollTop).toBe(130);
    expect(topOf(list, name(2))).toBe("-10px"); // rendered at once, not on the next scroll event
    expect(wheel(list, 3, WheelEvent.DOM_DELTA_LINE)).toBe(true);
    expect(pane.scroller.scrollTop).toBe(130 + 3 * WHEEL_LINE_PX);
    expect(wheel(list, 1, WheelEvent.DOM_DELTA_PAGE)).toBe(true);
    expect(pane.scroller.scrollTop).toBe(130 + 3 * WHEEL_LINE_PX + FALLBACK_VIEW_HEIGHT);
    expect(wheel(list, -100_000)).toBe(true);
    expect(pane.scroller.scrollTop).toBe(0);
  });

  it("a touchpad's small fractional steps add up", () => {
    const { pane, list } = setup();
    for (let i = 0; i < 10; i++) wheel(list, 0.4);
    expect(pane.scroller.scrollTop).toBe(4);
  });

  it("lets the wheel go when the list cannot scroll that way, and leaves Ctrl+wheel (zoom) alone", async () => {
    const { pane, list } = setup();
    expect(wheel(list, -50)).toBe(false);
    expect(pane.scroller.scrollTop).toBe(0);
    expect(wheel(list, 50, WheelEvent.DOM_DELTA_PIXEL, { ctrlKey: true })).toBe(false);
    expect(pane.scroller.scrollTop).toBe(0);
    expect(wheel(list, 0, WheelEvent.DOM_DELTA_PIXEL, { deltaX: 40 })).toBe(false);
    const bottom = 10_000 * ROW_HEIGHT - FALLBACK_VIEW_HEIGHT;
    expect(wheel(list, 1_000_000)).toBe(true);
    expect(pane.scroller.scrollTop).toBe(bottom);
    expect(wheel(list, 50)).toBe(false);
    expect(pane.scroller.scrollTop).toBe(bottom);
    await vi.waitFor(() => expect(paths(list)).toContain(name(9999)));
    expect(topOf(list, name(9999))).toBe(`${FALLBACK_VIEW_HEIGHT - ROW_HEIGHT}px`);
    // a short folder does not scroll at all
    document.body.replaceChildren();
    const short = setup(5, 5);
    expect(wheel(short.list, 50)).toBe(false);
    expect(short.pane.scroller.scrollTop).toBe(0);
  });

  it("a scroll of the rows area itself (the browser revealing a row it focused) moves to the scroller", () => {
    const { pane, list } = setup();
    scrollTo(pane, 600);
    list.scrollTop = 45;
    list.dispatchEvent(new Event("scroll"));
    expect(list.scrollTop).toBe(0);
    expect(pane.scroller.scrollTop).toBe(645);
    expect(topOf(list, name(11))).toBe("15px");
  });

  it("shows the rows a resized pane has room for, and leaves a collapsed one alone", () => {
    let observed: ((entries: { contentRect: { height: number } }[]) => void) | null = null;
    vi.stubGlobal(
      "ResizeObserver",
      class {
        constructor(callback: typeof observed) {
          observed = callback;
        }
        observe() {}
        disconnect() {}
      },
    );
    const { pane, list } = setup();
    expect(observed).not.toBeNull();
    expect(items(list)).toHaveLength(WINDOW);
    let height = FALLBACK_VIEW_HEIGHT;
    Object.defineProperty(list, "clientHeight", { configurable: true, get: () => height });
    const resize = (to: number) => {
      height = to;
      observed!([{ contentRect: { height: to } }]);
    };
    resize(2 * FALLBACK_VIEW_HEIGHT);
    expect(items(list)).toHaveLength(Math.ceil(height / ROW_HEIGHT) + OVERSCAN);
    resize(300);
    expect(items(list)).toHaveLength(Math.ceil(height / ROW_HEIGHT) + OVERSCAN);
    // collapsed: the hidden scroller reads 0, which is not where the list is
    scrollTo(pane, 50 * ROW_HEIGHT);
    const shown = paths(list);
    pane.scroller.scrollTop = 0;
    resize(0);
    expect(paths(list)).toEqual(shown);
  });
});
