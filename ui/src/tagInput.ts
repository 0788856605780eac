/** Tags as removable chips, with suggestions from the folder's tags as you type. */
import { h } from "./html";

export function suggestTags(query: string, known: string[], taken: string[], limit = 8): string[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const takenLower = new Set(taken.map((t) => t.toLowerCase()));
  const candidates = [...new Set(known)].filter((t) => !takenLower.has(t.toLowerCase()));
  const starts = candidates.filter((t) => t.toLowerCase().startsWith(q));
  const contains = candidates.filter((t) => !t.toLowerCase().startsWith(q) && t.toLowerCase().includes(q));
  return [...starts.sort((a, b) => a.localeCompare(b)), ...contains.sort((a, b) => a.localeCompare(b))].slice(0, limit);
}

export class TagInput {
  readonly element: HTMLElement;
  readonly input: HTMLInputElement;
  private readonly chips = h("ul", { class: "chips", "aria-label": "Tags" });
  private readonly listbox: HTMLUListElement;
  private tags: string[] = [];
  private suggestions: string[] = [];
  private active = -1;
  private disabled = false;

  constructor(
    private readonly known: () => string[],
    private readonly onChange: (tags: string[]) => void,
  ) {
    const listId = `tag-suggest-${Math.random().toString(36).slice(2, 8)}`;
    this.listbox = h("ul", { class: "suggestions", role: "listbox", id: listId, hidden: true, "data-testid": "tag-suggestions" });
    this.input = h("input", {
      type: "text",
      class: "tag-entry",
      placeholder: "Add a tag",
      "aria-label": "Add a tag",
      "data-testid": "tag-input",
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": listId,
      autocomplete: "off",
    });
    this.element = h("div", { class: "tag-field" }, this.chips, h("div", { class: "tag-entry-wrap" }, this.input, this.listbox));
    this.input.addEventListener("input", () => this.suggest());
    this.input.addEventListener("keydown", (e) => this.onKey(e));
    this.input.addEventListener("blur", () => setTimeout(() => this.closeList(), 150));
    this.listbox.addEventListener("mousedown", (e) => e.preventDefault());
    this.listbox.addEventListener("click", (e) => {
      const li = (e.target as Element).closest<HTMLElement>("[role=option]");
      if (li?.dataset.value) this.add(li.dataset.value);
    });
    this.chips.addEventListener("click", (e) => {
      const b = (e.target as Element).closest<HTMLElement>("button[data-tag]");
      if (b?.dataset.tag !== undefined) this.remove(b.dataset.tag);
    });
  }

  set(tags: string[], disabled = false): void {
    this.disabled = disabled;
    this.input.disabled = disabled;
    if (tags.length === this.tags.length && tags.every((t, i) => t === this.tags[i])) {
      for (const b of this.chips.querySelectorAll("button")) b.disabled = disabled;
      return;
    }
    this.tags = [...tags];
    this.chips.replaceChildren(
      ...this.tags.map((t) =>
        h(
          "li",
          { class: "chip", "data-testid": "tag-chip", "data-tag": t },
          h("span", { text: t }),
          h("button", { type: "button", class: "chip-remove", "data-tag": t, "aria-label": `Remove tag ${t}`, disabled, text: "×" }),
        ),
      ),
    );
  }

  private suggest(): void {
    this.suggestions = suggestTags(this.input.value, this.known(), this.tags);
    this.active = -1;
    this.listbox.replaceChildren(
      ...this.suggestions.map((s, i) => h("li", { role: "option", id: `${this.listbox.id}-${i}`, "data-value": s, "aria-selected": "false", "data-testid": "tag-suggestion", text: s })),
    );
    const open = this.suggestions.length > 0;
    this.listbox.hidden = !open;
    this.input.setAttribute("aria-expanded", String(open));
    this.input.removeAttribute("aria-activedescendant");
  }

  private closeList(): void {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.active = -1;
  }

  private highlight(i: number): void {
    this.active = i;
    for (const [j, li] of Array.from(this.listbox.children).entries()) li.setAttribute("aria-selected", String(j === i));
    if (i >= 0) this.input.setAttribute("aria-activedescendant", `${this.listbox.id}-${i}`);
    else this.input.removeAttribute("aria-activedescendant");
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === "ArrowDown" && this.suggestions.length) {
      e.preventDefault();
      this.listbox.hidden = false;
      this.highlight(Math.min(this.suggestions.length - 1, this.active + 1));
    } else if (e.key === "ArrowUp" && this.suggestions.length) {
      e.preventDefault();
      this.highlight(Math.max(-1, this.active - 1));
    } else if (e.key === "Enter" || e.key === "," || e.key === "Tab") {
      const value = this.active >= 0 ? this.suggestions[this.active] : this.input.value;
      if (value.trim() === "") return; // Tab moves on as usual
      e.preventDefault();
      this.add(value);
    } else if (e.key === "Escape" && !this.listbox.hidden) {
      e.preventDefault();
      e.stopPropagation();
      this.closeList();
    } else if (e.key === "Backspace" && this.input.value === "" && this.tags.length) {
      this.remove(this.tags[this.tags.length - 1]);
    }
  }

  add(tag: string): void {
    const t = tag.trim().replace(/^#/, "");
    this.input.value = "";
    this.closeList();
    if (!t || this.disabled || this.tags.some((x) => x.toLowerCase() === t.toLowerCase())) return;
    this.onChange([...this.tags, t]);
  }

  remove(tag: string): void {
    if (this.disabled) return;
    this.onChange(this.tags.filter((t) => t !== tag));
    this.input.focus();
  }
}
