import { afterEach, describe, expect, it, vi } from "vitest";
import { TagInput, suggestTags } from "../src/tagInput";

afterEach(() => document.body.replaceChildren());

const known = ["Belarus", "Belgium", "Russia", "Ukraine War updates", "Minsk Belarus"];

function key(el: HTMLElement, k: string) {
  el.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true }));
}

describe("tag suggestions", () => {
  it("prefix matches first, then contains, case-insensitive, without tags already set", () => {
    expect(suggestTags("bel", known, [])).toEqual(["Belarus", "Belgium", "Minsk Belarus"]);
    expect(suggestTags("BEL", known, ["belarus"])).toEqual(["Belgium", "Minsk Belarus"]);
    expect(suggestTags("", known, [])).toEqual([]);
    expect(suggestTags("war", known, [])).toEqual(["Ukraine War updates"]);
  });
});

describe("tag chips", () => {
  function setup(tags: string[]) {
    const onChange = vi.fn();
    const input = new TagInput(() => known, onChange);
    input.set(tags);
    document.body.append(input.element);
    return { input, onChange, entry: input.element.querySelector<HTMLInputElement>('[data-testid="tag-input"]')! };
  }

  it("shows removable chips", () => {
    const { input, onChange } = setup(["Belarus", "Russia"]);
    const chips = Array.from(input.element.querySelectorAll('[data-testid="tag-chip"]'));
    expect(chips.map((c) => c.textContent?.replace("×", ""))).toEqual(["Belarus", "Russia"]);
    input.element.querySelector<HTMLButtonElement>('button[aria-label="Remove tag Belarus"]')!.click();
    expect(onChange).toHaveBeenCalledWith(["Russia"]);
  });

  it("autocompletes: type, arrow down, Enter adds the suggestion", () => {
    const { input, onChange, entry } = setup(["Russia"]);
    entry.value = "bel";
    entry.dispatchEvent(new Event("input"));
    const options = Array.from(input.element.querySelectorAll('[data-testid="tag-suggestion"]'));
    expect(options.map((o) => o.textContent)).toEqual(["Belarus", "Belgium", "Minsk Belarus"]);
    expect(entry.getAttribute("aria-expanded")).toBe("true");
    key(entry, "ArrowDown");
    key(entry, "ArrowDown");
    expect(options[1].getAttribute("aria-selected")).toBe("true");
    key(entry, "Enter");
    expect(onChange).toHaveBeenCalledWith(["Russia", "Belgium"]);
    expect(entry.value).toBe("");
  });

  it("clicking a suggestion adds it; Enter on free text adds a new tag; duplicates are ignored", () => {
    const { input, onChange, entry } = setup(["Russia"]);
    entry.value = "ukr";
    entry.dispatchEvent(new Event("input"));
    input.element.querySelector<HTMLElement>('[data-testid="tag-suggestion"]')!.click();
    expect(onChange).toHaveBeenLastCalledWith(["Russia", "Ukraine War updates"]);
    entry.value = "#Elections 2026";
    key(entry, "Enter");
    expect(onChange).toHaveBeenLastCalledWith(["Russia", "Elections 2026"]);
    onChange.mockClear();
    entry.value = "russia";
    key(entry, "Enter");
    expect(onChange).not.toHaveBeenCalled();
  });

  it("Backspace in an empty field removes the last chip", () => {
    const { onChange, entry } = setup(["Belarus", "Russia"]);
    key(entry, "Backspace");
    expect(onChange).toHaveBeenCalledWith(["Belarus"]);
  });
});
