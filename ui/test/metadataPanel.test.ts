import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { MetadataPanel, keepCategoryOrder } from "../src/metadataPanel";
import { viewOf } from "../src/frontMatter";
import { coreReader } from "./coreFrontMatter";

/** The form's values as the page now reads them: the core's loader (WebAssembly). */
const readFrontMatter = (text: string) => viewOf(coreReader().frontMatter(text));

let savedTz: string | undefined;
beforeAll(() => {
  savedTz = process.env.TZ;
  process.env.TZ = "Europe/Berlin";
});
afterAll(() => {
  process.env.TZ = savedTz;
});
afterEach(() => document.body.replaceChildren());

const TEXT = `---
title: "Minsk talks stall: what next"
categories:
  - World
  - Local
tags: [Belarus, "Ukraine War updates"]
status: in-review
author: Ana Kovač # desk note
slug: minsk-talks
excerpt: >
  Talks in Minsk
  stalled on Tuesday.
featured_image: images/minsk.jpg
featured_image_alt: 'The hall in Minsk, it''s empty'
publish_at: 2026-11-26T09:30:00+01:00
x-custom: keep
---
Body
`;

function setup(text = TEXT) {
  const change = vi.fn();
  const move = vi.fn();
  const panel = new MetadataPanel({
    change,
    move,
    categories: () => ["Business", "World", "Opinion"],
    tags: () => ["Belarus", "Russia"],
    authors: () => ["Ana Kovač"],
    images: () => ["images/minsk.jpg"],
  });
  document.body.append(panel.element);
  panel.show(readFrontMatter(text));
  const $ = <T extends HTMLElement>(id: string) => panel.element.querySelector<T>(`[data-testid="${id}"]`)!;
  const commit = (el: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string) => {
    el.value = value;
    el.dispatchEvent(new Event("input"));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  };
  return { panel, change, move, $, commit };
}

describe("reading front matter for the form", () => {
  it("reads the known keys in their usual YAML shapes", () => {
    expect(readFrontMatter(TEXT)).toEqual({
      title: "Minsk talks stall: what next",
      categories: ["World", "Local"],
      tags: ["Belarus", "Ukraine War updates"],
      status: "in-review",
      author: "Ana Kovač",
      slug: "minsk-talks",
      // a folded scalar (`>`) keeps its last line break in YAML, and the core keeps it
      excerpt: "Talks in Minsk stalled on Tuesday.\n",
      featured_image: "images/minsk.jpg",
      featured_image_alt: "The hall in Minsk, it's empty",
      publish_at: "2026-11-26T09:30:00+01:00",
    });
    expect(readFrontMatter("# No front matter\n").title).toBe("");
  });
});

describe("metadata panel", () => {
  it("shows the draft's values, with the headline length against the desk limit", () => {
    const { $ } = setup();
    expect($<HTMLInputElement>("meta-title").value).toBe("Minsk talks stall: what next");
    expect($("title-count").textContent).toBe("28/70");
    expect($<HTMLSelectElement>("status-select").value).toBe("in-review");
    expect($("excerpt-count").textContent).toBe("35 characters"); // with the folded scalar's line break
    expect($<HTMLInputElement>("meta-publish-at").value).toBe("2026-11-26T09:30");
    const boxes = Array.from(document.querySelectorAll<HTMLInputElement>('[data-testid="category-checkbox"]'));
    // the newsroom's list plus what this draft already uses
    expect(boxes.map((b) => [b.value, b.checked])).toEqual([
      ["Business", false],
      ["World", true],
      ["Opinion", false],
      ["Local", true],
    ]);
  });

  it("flags a headline over 70 characters", () => {
    const { $ } = setup();
    const title = $<HTMLInputElement>("meta-title");
    title.value = "x".repeat(75);
    title.dispatchEvent(new Event("input"));
    expect($("title-count").textContent).toBe("75/70");
    expect($("title-count").classList.contains("over")).toBe(true);
  });

  it("sends each change as update_front_matter changes", () => {
    const { change, $, commit } = setup();
    commit($<HTMLInputElement>("meta-title"), "  New headline ");
    expect(change).toHaveBeenLastCalledWith({ title: "New headline" });
    commit($<HTMLInputElement>("meta-slug"), "");
    expect(change).toHaveBeenLastCalledWith({ slug: null });
    commit($<HTMLTextAreaElement>("meta-excerpt"), "Short.");
    expect(change).toHaveBeenLastCalledWith({ excerpt: "Short." });
    commit($<HTMLInputElement>("meta-image-alt"), "Delegates");
    expect(change).toHaveBeenLastCalledWith({ featured_image_alt: "Delegates" });
    commit($<HTMLInputElement>("meta-publish-at"), "2026-07-01T18:05");
    expect(change).toHaveBeenLastCalledWith({ publish_at: "2026-07-01T18:05:00+02:00" });
    commit($<HTMLInputElement>("meta-publish-at"), "");
    expect(change).toHaveBeenLastCalledWith({ publish_at: null });
  });

  it("does not send a change when a field is committed unchanged", () => {
    const { change, $, commit } = setup();
    commit($<HTMLInputElement>("meta-author"), "Ana Kovač");
    expect(change).not.toHaveBeenCalled();
  });

  it("category checkboxes send the whole list (null when empty)", () => {
    const { change } = setup();
    const boxes = Array.from(document.querySelectorAll<HTMLInputElement>('[data-testid="category-checkbox"]'));
    boxes[0].checked = true;
    boxes[0].dispatchEvent(new Event("change", { bubbles: true }));
    // appended: the draft's own order stays (issue 17: World, the primary, stays first)
    expect(change).toHaveBeenLastCalledWith({ categories: ["World", "Local", "Business"] });
    for (const b of boxes) b.checked = false;
    boxes[0].dispatchEvent(new Event("change", { bubbles: true }));
    expect(change).toHaveBeenLastCalledWith({ categories: null });
  });

  it("ticking a second category keeps the first as the primary; unticking keeps the others' order", () => {
    const { change, panel } = setup("---\ncategories: [Opinion]\n---\n");
    const box = (name: string) => Array.from(panel.element.querySelectorAll<HTMLInputElement>('[data-testid="category-checkbox"]')).find((b) => b.value === name)!;
    box("Business").checked = true;
    box("Business").dispatchEvent(new Event("change", { bubbles: true }));
    expect(change).toHaveBeenLastCalledWith({ categories: ["Opinion", "Business"] });
    panel.show(readFrontMatter("---\ncategories: [Opinion, Business, World]\n---\n"));
    box("Business").checked = false;
    box("Business").dispatchEvent(new Event("change", { bubbles: true }));
    expect(change).toHaveBeenLastCalledWith({ categories: ["Opinion", "World"] });
  });

  it("keepCategoryOrder: kept in place, new ones appended, duplicates once", () => {
    expect(keepCategoryOrder(["Sports", "World"], ["Business", "Sports", "World"])).toEqual(["Sports", "World", "Business"]);
    expect(keepCategoryOrder(["Sports", "World", "Sports"], ["World", "Sports"])).toEqual(["Sports", "World"]);
    expect(keepCategoryOrder([], ["A", "B"])).toEqual(["A", "B"]);
    expect(keepCategoryOrder(["A"], [])).toEqual([]);
  });

  it("removing the last tag removes the key", () => {
    const { change, panel } = setup("---\ntags: [Belarus]\n---\n");
    panel.element.querySelector<HTMLButtonElement>('button[aria-label="Remove tag Belarus"]')!.click();
    expect(change).toHaveBeenLastCalledWith({ tags: null });
  });

  it("leaves a field being typed in alone when the text changes underneath", () => {
    const { panel, $ } = setup();
    const title = $<HTMLInputElement>("meta-title");
    title.focus();
    title.value = "Half-typ";
    panel.show(readFrontMatter(TEXT.replace("in-review", "approved")));
    expect(title.value).toBe("Half-typ");
    expect($<HTMLSelectElement>("status-select").value).toBe("approved");
  });

  it("is disabled with no draft open", () => {
    const { panel, change, move, $, commit } = setup();
    panel.show(null);
    expect($<HTMLInputElement>("meta-title").disabled).toBe(true);
    commit($<HTMLSelectElement>("status-select"), "published");
    expect(change).not.toHaveBeenCalled();
    expect(move).not.toHaveBeenCalled();
  });
});

describe("the Status control offers only the workflow's moves", () => {
  const moves = [
    { from: "in-review", to: "approved", action: "approve", label: "Approve" },
    { from: "in-review", to: "changes-requested", action: "request-changes", label: "Request changes" },
  ] as const;

  it("lists the current status and the moves offered, nothing else", () => {
    const { panel, $ } = setup();
    panel.setMoves([...moves]);
    const options = Array.from($<HTMLSelectElement>("status-select").options).map((o) => [o.value, o.textContent]);
    expect(options).toEqual([
      ["in-review", "In review"],
      ["approved", "Approve → Approved"],
      ["changes-requested", "Request changes → Changes requested"],
    ]);
    expect($<HTMLSelectElement>("status-select").disabled).toBe(false);
  });

  it("a choice is a move (made by the review panel), never a front-matter edit", () => {
    const { panel, change, move, $, commit } = setup();
    panel.setMoves([...moves]);
    commit($<HTMLSelectElement>("status-select"), "approved");
    expect(move).toHaveBeenCalledWith("approved");
    expect(change).not.toHaveBeenCalled();
    // the control shows the status the file has until the move has been made
    expect($<HTMLSelectElement>("status-select").value).toBe("in-review");
  });

  it("a status not offered cannot be chosen, and no moves disables the control", () => {
    const { panel, move, $, commit } = setup();
    panel.setMoves([]);
    expect($<HTMLSelectElement>("status-select").disabled).toBe(true);
    commit($<HTMLSelectElement>("status-select"), "published");
    expect(move).not.toHaveBeenCalled();
  });

  it("moves from another status (a stale answer) are not offered", () => {
    const { panel, $ } = setup();
    panel.setMoves([{ from: "approved", to: "published", action: "publish", label: "Mark as published elsewhere" }]);
    expect(Array.from($<HTMLSelectElement>("status-select").options).map((o) => o.value)).toEqual(["in-review"]);
  });

  it("says what a conflict copy or a piece published elsewhere is", () => {
    const { panel, $ } = setup();
    panel.setMoves([], "Conflict copy: compare it with its draft and keep one version.");
    expect($("status-note").hidden).toBe(false);
    expect($("status-note").textContent).toContain("Conflict copy");
    panel.setMoves([...moves], null);
    expect($("status-note").hidden).toBe(true);
  });
});
