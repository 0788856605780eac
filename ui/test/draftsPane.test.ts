import { describe, expect, it, vi } from "vitest";
import { DraftsPane, draftItem } from "../src/draftsPane";
import { ipc } from "../src/ipc";
import { page, summary } from "./fixtures";
import { fakeIpc, useWindowHarness } from "./harness";

useWindowHarness();

const items = (root: ParentNode) => Array.from(root.querySelectorAll<HTMLElement>('[data-testid="draft-item"]'));

describe("drafts list", () => {
  it("shows title, a coloured status badge, categories, author and the relative time", () => {
    const li = draftItem(summary({ status: "changes-requested", categories: ["World", "Opinion"] }), null, false, Date.now());
    expect(li.dataset.path).toBe("world/minsk.md");
    expect(li.querySelector(".draft-title")!.textContent).toBe("Minsk talks stall");
    const badge = li.querySelector(".badge")!;
    expect(badge.textContent).toBe("Changes requested");
    expect(badge.classList.contains("badge-changes-requested")).toBe(true);
    expect(li.querySelector(".draft-categories")!.textContent).toBe("World, Opinion");
    expect(li.querySelector(".draft-author")!.textContent).toBe("Ana Kovač");
    expect(li.querySelector("time")!.textContent).toBe("5 min ago");
  });

  it("escapes hostile titles, authors and snippets, highlighting only the matches", () => {
    const evil = summary({ title: '<img src=x onerror="alert(1)">', author: "<script>alert(2)</script>", categories: ["<b>x</b>"] });
    const li = draftItem(evil, "before <script>alert(3)</script> \u0002<b>hit</b>\u0003 after", false);
    expect(li.querySelector("img, script, b")).toBeNull();
    expect(li.querySelector(".draft-title")!.textContent).toBe('<img src=x onerror="alert(1)">');
    const marks = Array.from(li.querySelectorAll(".draft-snippet mark"));
    expect(marks.map((m) => m.textContent)).toEqual(["<b>hit</b>"]);
    expect(li.querySelector(".draft-snippet")!.textContent).toBe("before <script>alert(3)</script> <b>hit</b> after");
  });

  it("shows a draft's error line in red and still lets it open", () => {
    const onOpen = vi.fn();
    const pane = new DraftsPane(ipc, { open: onOpen, newDraft: () => {}, error: () => {} });
    document.body.append(pane.element);
    pane.show([summary({ path: "world/x.md", error: { line: 3, message: "status: unknown status `live`" } })]);
    const err = pane.element.querySelector(".draft-error")!;
    expect(err.textContent).toBe("world/x.md:3: status: unknown status `live`");
    expect(err.getAttribute("title")).toBe("world/x.md:3: status: unknown status `live`");
    // in place of categories and author, so the row keeps its height
    expect(err.parentElement!.classList.contains("draft-meta")).toBe(true);
    expect(pane.element.querySelector(".draft-categories, .draft-author")).toBeNull();
    (items(pane.element)[0].querySelector("button") as HTMLButtonElement).click();
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ path: "world/x.md" }));
  });

  it("filters by status, category and tag through list_drafts, and searches through search_drafts", async () => {
    const { calls } = fakeIpc((cmd, args) => {
      if (cmd === "list_drafts") return page([summary({ status: "in-review" })], args);
      if (cmd === "search_drafts") return [{ draft: summary(), snippet: "the \u0002talks\u0003 stall" }];
      return null;
    });
    const pane = new DraftsPane(ipc, { open: () => {}, newDraft: () => {}, error: () => {} });
    document.body.append(pane.element);
    pane.setVocabulary(["World", "Business"], ["Belarus"]);
    const [status, category, tag] = Array.from(pane.element.querySelectorAll("select"));
    status.value = "in-review";
    status.dispatchEvent(new Event("change"));
    category.value = "World";
    category.dispatchEvent(new Event("change"));
    tag.value = "Belarus";
    tag.dispatchEvent(new Event("change"));
    await pane.refresh();
    expect(calls.at(-1)).toEqual({ cmd: "list_drafts", args: { filter: { status: "in-review", category: "World", tag: "Belarus" }, offset: 0, limit: 100 } });
    expect(pane.element.querySelector(".draft-count")!.textContent).toBe("1 draft");
    expect(items(pane.element)[0].querySelector(".badge")!.textContent).toBe("In review");

    const search = pane.element.querySelector<HTMLInputElement>('[data-testid="search"]')!;
    search.value = "talks";
    await pane.refresh();
    expect(calls.at(-1)).toEqual({ cmd: "search_drafts", args: { query: "talks", filter: { status: "in-review", category: "World", tag: "Belarus" } } });
    expect(items(pane.element)[0].querySelector(".draft-snippet")!.innerHTML).toBe("the <mark>talks</mark> stall");
    expect(pane.element.querySelector(".draft-count")!.textContent).toBe("1 match");
  });

  it("drops answers to an older query that arrive late", async () => {
    const resolvers: ((v: unknown) => void)[] = [];
    fakeIpc(() => new Promise((r) => resolvers.push(r)));
    const pane = new DraftsPane(ipc, { open: () => {}, newDraft: () => {}, error: () => {} });
    const first = pane.refresh();
    const second = pane.refresh();
    await Promise.resolve();
    await Promise.resolve();
    resolvers[1](page([summary({ path: "new.md", title: "New" })]));
    await second;
    resolvers[0](page([summary({ path: "old.md", title: "Old" })]));
    await first;
    expect(items(pane.element).map((i) => i.dataset.path)).toEqual(["new.md"]);
  });

  it("marks the open draft", () => {
    const pane = new DraftsPane(ipc, { open: () => {}, newDraft: () => {}, error: () => {} });
    pane.show([summary({ path: "a.md" }), summary({ path: "b.md" })]);
    pane.setActive("b.md");
    expect(items(pane.element).map((i) => i.classList.contains("active"))).toEqual([false, true]);
    expect(items(pane.element)[1].querySelector("button")!.getAttribute("aria-current")).toBe("true");
  });
});
