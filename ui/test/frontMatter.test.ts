import { describe, expect, it, vi } from "vitest";
import type { FrontMatter } from "../src/ipc";
import { FrontMatterReader, viewOf } from "../src/frontMatter";
import type { PageRenderer } from "../src/pageRenderer";
import { coreReader } from "./coreFrontMatter";

/** The core's reading (the real WebAssembly module), as the page gets it. */
const core = (text: string) => coreReader().frontMatter(text);
const fm = (yaml: string) => `---\n${yaml}\n---\nBody\n`;

describe("front matter is read by the core's loader, not a second parser", () => {
  it("reads ~ and null as absent, and a quoted 'null' as the word", () => {
    const a = core(fm("title: ~\nauthor: null\nexcerpt: 'null'"));
    expect(a).toMatchObject({ ok: { title: null, author: null, excerpt: "null" } });
    expect(viewOf(a)).toMatchObject({ title: "", author: "", excerpt: "null" });
  });

  it("reads a plain 1.50 as the number YAML says (1.5), a quoted one as written", () => {
    expect(core(fm("title: T\nslug: 1.50"))).toMatchObject({ ok: { slug: "1.5" } });
    expect(core(fm('title: T\nslug: "1.50"'))).toMatchObject({ ok: { slug: "1.50" } });
  });

  it("expands anchors and aliases", () => {
    const a = core(fm("title: Talks\nexcerpt: &e Delegates met\nfeatured_image_alt: *e\ntags: &t [a, b]\ncategories: *t"));
    expect(viewOf(a)).toMatchObject({ excerpt: "Delegates met", featured_image_alt: "Delegates met", tags: ["a", "b"], categories: ["a", "b"] });
  });

  it("keeps a flow mapping under another key aside, and refuses one where text belongs, with its line", () => {
    expect(viewOf(core(fm("title: T\nx-meta: {a: 1, b: [2, 3]}\ntags: [a, 'b, c']")))).toMatchObject({ title: "T", tags: ["a", "b, c"] });
    const bad = core(fm("title: {a: b}"));
    expect(bad).toEqual({ err: { line: 2, message: expect.stringContaining("`title` should be text") } });
    // the form is empty (and disabled by the app's banner) rather than guessed
    expect(viewOf(bad).title).toBe("");
  });
});

describe("FrontMatterReader", () => {
  const TEXT = fm("title: ~\nslug: 1.50");

  it("reads in the page when the module is there, without IPC", async () => {
    const ask = vi.fn(async (): Promise<FrontMatter> => {
      throw new Error("not asked");
    });
    const reader = new FrontMatterReader(ask, () => coreReader());
    expect(await reader.view(TEXT)).toMatchObject({ title: "", slug: "1.5" });
    expect(ask).not.toHaveBeenCalled();
  });

  it("asks Rust over IPC when the module did not load, or failed", async () => {
    const answer = core(TEXT);
    if (!("ok" in answer)) throw new Error("the fixture parses");
    const ask = vi.fn(async () => answer.ok);
    expect(await new FrontMatterReader(ask, () => null).view(TEXT)).toMatchObject({ slug: "1.5" });
    const broken = {
      frontMatter: () => {
        throw new Error("unreachable executed");
      },
    } as unknown as PageRenderer;
    vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await new FrontMatterReader(ask, () => broken).view(TEXT)).toMatchObject({ slug: "1.5" });
    expect(ask).toHaveBeenCalledTimes(2);
  });

  it("turns an IPC rejection into the error with its line", async () => {
    const ask = vi.fn(async (): Promise<FrontMatter> => {
      throw { code: "invalid_draft", message: "line 2: `title` should be text", line: 2 };
    });
    expect(await new FrontMatterReader(ask, () => null).read(TEXT)).toEqual({ err: { line: 2, message: "line 2: `title` should be text" } });
  });
});
