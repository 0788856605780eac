/**
 * What the UI needs to know about a draft's front matter: where the body starts (for
 * scroll sync, from the fences alone) and the known keys for the metadata panel, read by
 * the core's own loader — compiled to WebAssembly in the page (`PageRenderer.frontMatter`),
 * or over IPC (`read_front_matter`) while or if that module is not loaded. There is no
 * second YAML parser here: `~`, `null`, `1.50`, anchors and flow mappings read as the core
 * reads them. Writes always go through `update_front_matter`.
 */
import type { DraftError, FrontMatter } from "./ipc";
import type { FrontMatterAnswer, PageRenderer } from "./pageRenderer";

const FENCE_OPEN = /^---[ \t]*\r?$/;
const FENCE_CLOSE = /^(---|\.\.\.)[ \t]*\r?$/;

/**
 * Number of file lines before the body's first line: 0 without front matter, else the
 * line number of the closing `---`/`...` fence. Body line N is file line N + offset.
 */
export function bodyLineOffset(text: string): number {
  const t = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const firstEnd = t.indexOf("\n");
  const first = firstEnd < 0 ? t : t.slice(0, firstEnd);
  if (!FENCE_OPEN.test(first) || firstEnd < 0) return 0;
  let line = 1;
  let pos = firstEnd + 1;
  while (pos <= t.length) {
    line += 1;
    const end = t.indexOf("\n", pos);
    const l = end < 0 ? t.slice(pos) : t.slice(pos, end);
    if (FENCE_CLOSE.test(l)) return line;
    if (end < 0) break;
    pos = end + 1;
  }
  return 0; // never closed: the whole file is treated as body
}

/**
 * `bodyLineOffset` read from the editor's lines (`line(1..count)`, without their breaks),
 * so a keystroke does not make the editor's whole text into one string: the front matter
 * is a few lines at the start.
 */
export function bodyLineOffsetOfLines(count: number, line: (n: number) => string): number {
  const first = line(1).replace(/^\uFEFF/, "");
  if (count < 2 || !FENCE_OPEN.test(first)) return 0;
  for (let n = 2; n <= count; n++) if (FENCE_CLOSE.test(line(n))) return n;
  return 0;
}

/** The metadata panel's form: the core's `FrontMatter` with absent values as "". */
export interface FrontMatterView {
  title: string;
  status: string;
  categories: string[];
  tags: string[];
  author: string;
  slug: string;
  excerpt: string;
  featured_image: string;
  featured_image_alt: string;
  publish_at: string;
}

export const EMPTY_FRONT_MATTER: FrontMatterView = {
  title: "",
  status: "draft",
  categories: [],
  tags: [],
  author: "",
  slug: "",
  excerpt: "",
  featured_image: "",
  featured_image_alt: "",
  publish_at: "",
};

/** The form's values from the core's reading; a front matter that does not parse gives
 * the empty form (the panel is disabled then, and the text shows the error's line). */
export function viewOf(answer: FrontMatterAnswer): FrontMatterView {
  if (!("ok" in answer)) return { ...EMPTY_FRONT_MATTER, categories: [], tags: [] };
  const fm: FrontMatter = answer.ok;
  return {
    title: fm.title ?? "",
    status: fm.status,
    categories: [...fm.categories],
    tags: [...fm.tags],
    author: fm.author ?? "",
    slug: fm.slug ?? "",
    excerpt: fm.excerpt ?? "",
    featured_image: fm.featured_image ?? "",
    featured_image_alt: fm.featured_image_alt ?? "",
    publish_at: fm.publish_at ?? "",
  };
}

/**
 * Reads the front matter with the core's loader: in the page when the WebAssembly module
 * is loaded (synchronous, every keystroke), else over IPC. A module that fails is dropped
 * (as the preview drops it) and IPC answers from then on.
 */
export class FrontMatterReader {
  constructor(
    private readonly ask: (text: string) => Promise<FrontMatter>,
    private readonly page: () => PageRenderer | null,
  ) {}

  /** The core's answer for `text`, from the page's module when it is there. */
  async read(text: string): Promise<FrontMatterAnswer> {
    const page = this.page();
    if (page) {
      try {
        return page.frontMatter(text);
      } catch (e) {
        console.warn("front matter read over IPC:", e);
      }
    }
    try {
      return { ok: await this.ask(text) };
    } catch (e) {
      const err = e as Partial<DraftError> & { message?: unknown };
      return { err: { line: typeof err.line === "number" ? err.line : null, message: String(err.message ?? e) } };
    }
  }

  /** The metadata form's values for `text`. */
  async view(text: string): Promise<FrontMatterView> {
    return viewOf(await this.read(text));
  }
}
