import { describe, expect, it } from "vitest";
import { renderDiff } from "../src/diffView";
import type { DiffLine } from "../src/ipc";

const PARAGRAPH = "The council met on Tuesday evening to discuss the budget for the coming year, and the members agreed to fund the library.";

/** What the core's `diff_lines` answers for one changed word in a long paragraph. */
const oneWord = (): DiffLine[] => {
  const [head, tail] = PARAGRAPH.split("Tuesday");
  return [
    { tag: "equal", text: "Title", words: [] },
    {
      tag: "delete",
      text: PARAGRAPH,
      words: [
        { changed: false, text: head },
        { changed: true, text: "Tuesday" },
        { changed: false, text: tail },
      ],
    },
    {
      tag: "insert",
      text: PARAGRAPH.replace("Tuesday", "Wednesday"),
      words: [
        { changed: false, text: head },
        { changed: true, text: "Wednesday" },
        { changed: false, text: tail },
      ],
    },
  ];
};

describe("the diff view", () => {
  it("marks only the changed word of a changed paragraph, the rest of the line as plain text", () => {
    const view = renderDiff(oneWord());
    const del = view.querySelector(".diff-del")!;
    const ins = view.querySelector(".diff-ins")!;
    expect(Array.from(view.querySelectorAll("mark.diff-word")).map((m) => m.textContent)).toEqual(["Tuesday", "Wednesday"]);
    expect(del.textContent).toBe(`−${PARAGRAPH}`);
    expect(ins.textContent).toBe(`+${PARAGRAPH.replace("Tuesday", "Wednesday")}`);
    expect(del.querySelectorAll("mark")).toHaveLength(1);
    expect(ins.querySelectorAll("mark")).toHaveLength(1);
  });

  it("marks nothing inside a line changed as a whole, and sets words as text only", () => {
    const view = renderDiff([
      { tag: "insert", text: "A new paragraph.", words: [] },
      { tag: "delete", text: "<img src=x onerror=alert(1)>", words: [{ changed: true, text: "<img src=x onerror=alert(1)>" }] },
    ]);
    expect(view.querySelector(".diff-ins mark")).toBeNull();
    expect(view.querySelector("img")).toBeNull();
    expect(view.querySelector(".diff-del mark")!.textContent).toBe("<img src=x onerror=alert(1)>");
  });

  it("says when nothing changed", () => {
    expect(renderDiff([{ tag: "equal", text: "a", words: [] }]).textContent).toContain("No differences.");
  });
});
