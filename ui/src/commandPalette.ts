/** A filterable list of choices: the command palette (Ctrl+Shift+P) and quick open (Ctrl+P). */
import { h } from "./html";
import { openDialog } from "./dialog";

export interface PickerItem {
  label: string;
  detail?: string;
  shortcut?: string;
  run(): void;
}

/** Items whose label contains every word of the query, label-prefix matches first. */
export function filterItems<T extends { label: string; detail?: string }>(items: T[], query: string): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return items;
  const hay = (i: T) => `${i.label} ${i.detail ?? ""}`.toLowerCase();
  const hits = items.filter((i) => words.every((w) => hay(i).includes(w)));
  const q = query.trim().toLowerCase();
  return [...hits.filter((i) => i.label.toLowerCase().startsWith(q)), ...hits.filter((i) => !i.label.toLowerCase().startsWith(q))];
}

/**
 * `items` is a fixed list filtered here, or a source asked for each query (latest answer
 * wins; Enter waits for the answer to what was typed). At most `limit` items are shown.
 */
export function openPicker(opts: { title: string; placeholder: string; items: PickerItem[] | ((query: string) => Promise<PickerItem[]>); testid: string; limit?: number }): void {
  const dlg = openDialog({ title: opts.title, testid: opts.testid, className: "picker" });
  const input = h("input", {
    type: "text",
    placeholder: opts.placeholder,
    "aria-label": opts.placeholder,
    role: "combobox",
    "aria-expanded": "true",
    "aria-controls": `${opts.testid}-list`,
    autocomplete: "off",
  });
  const list = h("ul", { class: "picker-list", role: "listbox", id: `${opts.testid}-list` });
  dlg.body.append(input, list);
  let shown: PickerItem[] = [];
  let found: PickerItem[] = [];
  let active = 0;
  const limit = opts.limit ?? 200;
  const source = opts.items;
  let seq = 0;
  let answered: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const ask = () => {
    if (typeof source !== "function") return;
    const mine = ++seq;
    answered = source(input.value)
      .catch(() => [] as PickerItem[])
      .then((items) => {
        if (mine !== seq) return;
        found = items;
        render();
      });
  };
  const render = () => {
    shown = (typeof source === "function" ? found : filterItems(source, input.value)).slice(0, limit);
    active = Math.min(active, Math.max(0, shown.length - 1));
    list.replaceChildren(
      ...shown.map((item, i) =>
        h(
          "li",
          { role: "option", id: `${opts.testid}-opt-${i}`, "aria-selected": String(i === active), "data-index": i, class: "picker-item" },
          h("span", { class: "picker-label", text: item.label }),
          item.detail ? h("span", { class: "picker-detail", text: item.detail }) : null,
          item.shortcut ? h("kbd", { text: item.shortcut }) : null,
        ),
      ),
    );
    if (shown.length) input.setAttribute("aria-activedescendant", `${opts.testid}-opt-${active}`);
    list.children[active]?.scrollIntoView?.({ block: "nearest" });
  };
  const choose = (i: number) => {
    const item = shown[i];
    if (!item) return;
    dlg.close();
    item.run();
  };
  input.addEventListener("input", () => {
    active = 0;
    if (typeof source !== "function") return render();
    if (timer) clearTimeout(timer);
    seq++; // an answer to older text must not show
    timer = setTimeout(() => {
      timer = null;
      ask();
    }, 80);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      active = Math.min(shown.length - 1, active + 1);
      render();
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      active = Math.max(0, active - 1);
      render();
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (timer) {
        clearTimeout(timer);
        timer = null;
        ask();
      }
      if (typeof source === "function")
        void answered.then(() => {
          if (input.isConnected) choose(active); // not if the picker was closed meanwhile
        });
      else choose(active);
    }
  });
  list.addEventListener("mousedown", (e) => e.preventDefault());
  list.addEventListener("click", (e) => {
    const li = (e.target as Element).closest<HTMLElement>("[data-index]");
    if (li) choose(Number(li.dataset.index));
  });
  ask();
  render();
  input.focus();
}
