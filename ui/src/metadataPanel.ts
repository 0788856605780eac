/**
 * The document sidebar: the draft's front matter as a form, in the portal's words. Values
 * are read from the text; every change goes through `update_front_matter`.
 */
import { h } from "./html";
import { STATUS_LABELS, type FrontMatterChanges, type Status, type Transition } from "./ipc";
import type { FrontMatterView } from "./frontMatter";
import { TagInput } from "./tagInput";
import { localInputToRfc3339, rfc3339ToLocalInput } from "./time";

export const HEADLINE_LIMIT = 70;

export interface MetadataHooks {
  change(changes: FrontMatterChanges): Promise<void> | void;
  /** A workflow move chosen in the Status control (made by the review panel, with its note). */
  move(to: Status): Promise<void> | void;
  categories(): string[];
  tags(): string[];
  authors(): string[];
  images(): string[];
  /**
   * "Choose…" beside the featured image: the system's file chooser, the image copied beside
   * the draft; resolves the path to set (`images/photo.jpg`), or null (cancelled, refused:
   * the caller has said why).
   */
  chooseImage?(): Promise<string | null>;
}

/**
 * The draft's categories after a tick or untick: those it had keep their order (the first is
 * the primary category, the preview's kicker), those unticked drop out, newly ticked ones
 * are appended in the order the list shows them. Never re-sorted by the list's order.
 */
export function keepCategoryOrder(before: string[], checked: string[]): string[] {
  const ticked = new Set(checked);
  const kept = before.filter((c, i) => ticked.has(c) && before.indexOf(c) === i);
  return [...kept, ...checked.filter((c) => !kept.includes(c))];
}

const emptyToNull = (s: string): string | null => (s.trim() === "" ? null : s.trim());

export class MetadataPanel {
  readonly element: HTMLElement;
  private readonly title = h("input", { type: "text", "aria-label": "Title", "data-testid": "meta-title", name: "title" });
  private readonly titleCount = h("span", { class: "count", "data-testid": "title-count", "aria-live": "polite" });
  /**
   * The status and, as its other options, only the moves the user's role is offered (the
   * core's workflow table, as in the CLI): choosing one makes the move, with a trail entry.
   */
  private readonly status = h("select", { "aria-label": "Status", "data-testid": "status-select", name: "status" });
  private readonly statusNote = h("p", { class: "status-note muted", "data-testid": "status-note", hidden: true });
  private moves: Transition[] = [];
  private readonly categoryList = h("fieldset", { class: "category-list", "data-testid": "categories" });
  private readonly tagInput: TagInput;
  private readonly author = h("input", { type: "text", "aria-label": "Author", "data-testid": "meta-author", name: "author", list: "nr-authors" });
  private readonly authorList = h("datalist", { id: "nr-authors" });
  private readonly slug = h("input", { type: "text", "aria-label": "Slug", "data-testid": "meta-slug", name: "slug", spellcheck: "false" });
  private readonly excerpt = h("textarea", { rows: 3, "aria-label": "Excerpt", "data-testid": "meta-excerpt", name: "excerpt" });
  private readonly excerptCount = h("span", { class: "count", "data-testid": "excerpt-count" });
  private readonly image = h("input", { type: "text", "aria-label": "Featured image path", "data-testid": "meta-image", list: "nr-images", spellcheck: "false" });
  private readonly imageList = h("datalist", { id: "nr-images" });
  private readonly imageChoose = h("button", { type: "button", class: "link-button", "data-testid": "meta-image-choose", text: "Choose an image…" });
  private readonly imageAlt = h("input", { type: "text", "aria-label": "Featured image alt text", "data-testid": "meta-image-alt" });
  private readonly publishAt = h("input", { type: "datetime-local", "aria-label": "Publish at", "data-testid": "meta-publish-at" });
  private readonly publishNow = h("button", { type: "button", class: "link-button", text: "Clear (publish immediately)" });
  private view: FrontMatterView | null = null;
  private disabled = true;

  constructor(private readonly hooks: MetadataHooks) {
    this.tagInput = new TagInput(
      () => hooks.tags(),
      (tags) => void this.emit({ tags: tags.length ? tags : null }),
    );
    const field = (label: string, control: HTMLElement, extra?: HTMLElement | null) => h("label", { class: "field" }, h("span", { class: "field-label" }, label, extra ?? null), control);
    this.element = h(
      "aside",
      { class: "metadata-panel", "aria-label": "Document properties", "data-testid": "metadata-panel" },
      h("h2", { class: "pane-title", text: "Document" }),
      field("Title", this.title, this.titleCount),
      h("h3", { class: "section-title", text: "Status & visibility" }),
      field("Status", this.status),
      this.statusNote,
      h("h3", { class: "section-title", text: "Publish" }),
      field("Publish at", this.publishAt),
      this.publishNow,
      h("h3", { class: "section-title", text: "Categories" }),
      this.categoryList,
      h("h3", { class: "section-title", text: "Tags" }),
      this.tagInput.element,
      h("h3", { class: "section-title", text: "Details" }),
      field("Author", this.author),
      this.authorList,
      field("Slug", this.slug),
      field("Excerpt", this.excerpt, this.excerptCount),
      h("h3", { class: "section-title", text: "Featured image" }),
      field("Image", this.image),
      this.imageList,
      this.imageChoose,
      field("Alt text (caption)", this.imageAlt),
    );
    this.title.addEventListener("input", () => this.updateCounts());
    this.excerpt.addEventListener("input", () => this.updateCounts());
    const onCommit = (el: HTMLInputElement | HTMLTextAreaElement, key: keyof FrontMatterView) =>
      el.addEventListener("change", () => {
        if (this.view && (this.view[key] as string) === el.value.trim()) return;
        void this.emit({ [key]: emptyToNull(el.value) });
      });
    onCommit(this.title, "title");
    onCommit(this.author, "author");
    onCommit(this.slug, "slug");
    onCommit(this.excerpt, "excerpt");
    onCommit(this.image, "featured_image");
    onCommit(this.imageAlt, "featured_image_alt");
    this.status.addEventListener("change", () => {
      const to = this.status.value as Status;
      this.status.value = this.view?.status ?? "";
      if (!this.disabled && this.moves.some((m) => m.to === to)) void this.hooks.move(to);
    });
    this.publishAt.addEventListener("change", () => {
      const value = this.publishAt.value ? localInputToRfc3339(this.publishAt.value) : null;
      if (this.publishAt.value && !value) return; // half-typed
      void this.emit({ publish_at: value });
    });
    this.imageChoose.addEventListener("click", async () => {
      if (this.disabled || !this.hooks.chooseImage) return;
      const path = await this.hooks.chooseImage();
      if (!path || this.disabled) return;
      this.image.value = path;
      await this.emit({ featured_image: path });
    });
    this.publishNow.addEventListener("click", () => void this.emit({ publish_at: null }));
    this.categoryList.addEventListener("change", () => {
      const checked = Array.from(this.categoryList.querySelectorAll<HTMLInputElement>("input:checked")).map((i) => i.value);
      const next = keepCategoryOrder(this.view?.categories ?? [], checked);
      void this.emit({ categories: next.length ? next : null });
    });
    this.show(null);
  }

  private async emit(changes: FrontMatterChanges): Promise<void> {
    if (this.disabled) return;
    await this.hooks.change(changes);
  }

  private updateCounts(): void {
    const n = [...this.title.value].length;
    this.titleCount.textContent = `${n}/${HEADLINE_LIMIT}`;
    this.titleCount.classList.toggle("over", n > HEADLINE_LIMIT);
    this.titleCount.title = n > HEADLINE_LIMIT ? `The headline is ${n - HEADLINE_LIMIT} characters over the desk's limit` : "Headline length";
    this.excerptCount.textContent = `${[...this.excerpt.value].length} characters`;
  }

  /** The moves offered for the open draft (from the review panel), and how its status reads. */
  setMoves(moves: Transition[], note: string | null = null): void {
    this.moves = moves;
    this.statusNote.textContent = note ?? "";
    this.statusNote.hidden = !note;
    this.renderStatus();
  }

  private renderStatus(): void {
    const current = this.view?.status ?? "";
    const label = STATUS_LABELS[current as Status] ?? current;
    const moves = this.moves.filter((m) => m.from === current);
    this.status.replaceChildren(
      h("option", { value: current, text: label || "—" }),
      ...moves.map((m) => h("option", { value: m.to, text: `${m.label} → ${STATUS_LABELS[m.to] ?? m.to}`, "data-action": m.action })),
    );
    this.status.value = current;
    this.status.disabled = this.disabled || moves.length === 0;
    this.status.title = moves.length ? "Move the piece along the workflow" : "No workflow move for your role here";
  }

  /** Keyboard focus to the first field (the folded front matter line sends the user here). */
  focusFirst(): void {
    this.title.focus();
  }

  /** Shows a draft's values (null: no draft open). A field being edited is left alone. */
  show(view: FrontMatterView | null, opts: { disabled?: boolean } = {}): void {
    this.view = view;
    this.disabled = !view || !!opts.disabled;
    const v = view ?? { title: "", status: "draft", categories: [], tags: [], author: "", slug: "", excerpt: "", featured_image: "", featured_image_alt: "", publish_at: "" };
    const focused = document.activeElement;
    const set = (el: HTMLInputElement | HTMLTextAreaElement, value: string) => {
      el.disabled = this.disabled;
      if (el !== focused && el.value !== value) el.value = value;
    };
    set(this.title, v.title);
    set(this.author, v.author);
    set(this.slug, v.slug);
    set(this.excerpt, v.excerpt);
    set(this.image, v.featured_image);
    set(this.imageAlt, v.featured_image_alt);
    set(this.publishAt, rfc3339ToLocalInput(v.publish_at));
    this.publishNow.disabled = this.disabled || !v.publish_at;
    this.imageChoose.disabled = this.disabled || !this.hooks.chooseImage;
    this.renderStatus();
    this.renderCategories(v.categories);
    this.tagInput.set(v.tags, this.disabled);
    this.authorList.replaceChildren(...this.hooks.authors().map((a) => h("option", { value: a })));
    this.imageList.replaceChildren(...this.hooks.images().map((a) => h("option", { value: a })));
    this.updateCounts();
  }

  private renderCategories(selected: string[]): void {
    const all = [...new Set([...this.hooks.categories(), ...selected])];
    const focusedValue = (document.activeElement as HTMLInputElement | null)?.closest?.(".category-list") ? (document.activeElement as HTMLInputElement).value : null;
    this.categoryList.replaceChildren(
      h("legend", { class: "visually-hidden", text: "Categories" }),
      ...all.map((c) =>
        h("label", { class: "check" }, h("input", { type: "checkbox", value: c, checked: selected.includes(c), disabled: this.disabled, "data-testid": "category-checkbox" }), h("span", { text: c })),
      ),
    );
    if (focusedValue !== null) {
      Array.from(this.categoryList.querySelectorAll<HTMLInputElement>("input"))
        .find((i) => i.value === focusedValue)
        ?.focus();
    }
  }
}
