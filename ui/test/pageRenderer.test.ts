import { beforeAll, describe, expect, it } from "vitest";
import type { PageRenderer } from "../src/pageRenderer";
import { realRenderer } from "./harness";

// The real module, as `make wasm` (run by `make ui`/`make test`) puts it next to the page.
let renderer: PageRenderer;
beforeAll(async () => {
  renderer = await realRenderer();
});

const draft = (front: string, body: string) => `---\n${front}\n---\n\n${body}\n`;

describe("the core's renderer in the page", () => {
  it("renders the article page with the portal's parts and line numbers", () => {
    const p = renderer.render(
      "world/minsk-talks.md",
      draft("title: Talks resume in Minsk\ncategories: [World]\ntags: [Belarus, Russia]\nauthor: Ana Petrova", "Delegates met on *Tuesday*.\n\nA second paragraph."),
    )!;
    expect(p.error).toBeNull();
    expect(p.html).toContain('<h1 class="nr-headline">Talks resume in Minsk</h1>');
    expect(p.html).toContain("World");
    expect(p.html).toContain("Belarus");
    expect(p.html).toMatch(/<em[^>]*>Tuesday<\/em>/);
    expect(p.html).toMatch(/<p data-sourcepos="\d+:1-\d+:\d+">A second paragraph\.<\/p>/);
    expect(p.stats.words).toBe(7);
  });

  it("keeps every character of non-ASCII text (UTF-16 in, UTF-8 across, UTF-16 out)", () => {
    const body = "Лукашенко сказал «нет» — 🙂 café naïve 東京";
    const p = renderer.render("world/a.md", draft("title: Ünïcode “quotes”", body))!;
    expect(p.html).toContain(body.replace("«", "«"));
    expect(p.html).toContain("Ünïcode “quotes”");
  });

  it("never lets script through: the same sanitiser as Rust's render_preview", () => {
    const p = renderer.render("world/a.md", draft("title: Hostile", '<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[x](javascript:alert(3))\n\n<a href="javascript:alert(4)">y</a>'))!;
    // what is left is escaped text: no element, attribute or URL that can run
    expect(p.html).not.toMatch(/<script|<img[^>]*onerror|<a [^>]*href="javascript:/i);
    expect(p.html).not.toContain("alert(1)");
    expect(p.html).toContain("Hostile");
  });

  it("resolves images from the draft's folder to the asset protocol, and blocks escapes", () => {
    const p = renderer.render("world/belarus/a.md", draft('title: T\nfeatured_image: "images/100% #1.png"', "![Map](images/map.png)\n\n![Out](../../../etc/passwd)"))!;
    expect(p.html).toContain('src="newsroom-asset://localhost/world/belarus/images/map.png"');
    expect(p.html).toContain("newsroom-asset://localhost/world/belarus/images/100%25%20%231.png");
    expect(p.html).not.toContain("etc/passwd");
  });

  it("holds remote images back unless the draft's choice loads them", () => {
    const text = draft("title: T\nfeatured_image: https://feat.example/f.jpg", '![Map](https://cdn.example/m.png)\n\n<img src="http://intranet.local/p.gif" alt="P">');
    const held = renderer.render("world/a.md", text)!;
    expect(held.html).not.toMatch(/src="https?:/i);
    expect(held.html).toContain('alt="Map"');
    expect(held.remote_images).toEqual(["feat.example", "cdn.example", "intranet.local"]);
    expect(held.remote_image_count).toBe(3);
    const loaded = renderer.render("world/a.md", text, true)!;
    expect(loaded.html).toContain('src="https://cdn.example/m.png"');
    expect(loaded.html).toContain('src="http://intranet.local/p.gif"');
    expect(loaded.remote_images).toEqual([]);
  });

  it("shows a broken front matter's body with the error and its line", () => {
    const p = renderer.render("a.md", "---\ntitle: ok\ntags: [unclosed\n---\nBody stays.\n")!;
    expect(p.error).not.toBeNull();
    expect(p.error!.line).toBeGreaterThan(0);
    expect(p.html).toContain("Body stays.");
  });

  it("handles a 50,000-word draft and then a short one (memory grows, views are retaken)", () => {
    const para = "Freight trains queued at Brest for the third day as customs checks slowed. ".repeat(40);
    const long = draft("title: Long", Array.from({ length: 170 }, (_, i) => `Paragraph ${i}. ${para}`).join("\n\n"));
    const big = renderer.render("world/long.md", long)!;
    expect(big.stats.words).toBeGreaterThan(50_000);
    expect(big.html).toContain("Paragraph 169.");
    const small = renderer.render("world/short.md", draft("title: Short", "Only this."))!;
    expect(small.html).toContain("Only this.");
    expect(small.html).not.toContain("Paragraph");
    expect(small.stats.words).toBe(2);
  });

  it("answers keystroke after keystroke exactly as a fresh module renders the same text", async () => {
    // the module keeps the last preview's pieces and re-renders only what an edit changed;
    // a module that has seen nothing renders every piece, as render_draft does
    const paras = Array.from({ length: 60 }, (_, i) => `Paragraph ${i} with *emphasis* and "quotes" - a dash.`);
    let text = draft("title: Keystrokes", `${paras.join("\n\n")}\n\n- a\n- b\n\n## Head\n\nLast.`);
    const edits: [string, string][] = [
      ["Paragraph 30 with", "Paragraph 30 x with"], // typing
      ["Paragraph 31 with", "Paragraph 31\n\nnew with"], // Enter twice: the lines below move
      ["Paragraph 40 with", "```\nParagraph 40 with"], // a fence that runs to the end
      ["```\n", ""], // and gone again
      ["## Head", "- c\n\n## Head"], // the list goes on
      ["Paragraph 2 with", "Paragraph 2[^1] with"], // a footnote: rendered whole
      ["Last.", "Last.\n\n[^1]: The note."],
    ];
    for (const [from, to] of edits) {
      text = text.replace(from, to);
      const kept = renderer.render("world/keys.md", text)!;
      const fresh = (await realRenderer()).render("world/keys.md", text)!;
      expect(kept).toEqual(fresh);
    }
    expect(text).toContain("[^1]: The note.");
  });

  it("refuses a path outside the drafts folder, so the app asks Rust (which reports it)", () => {
    expect(renderer.render("../secret.md", "x")).toBeNull();
    expect(renderer.render("/etc/passwd", "x")).toBeNull();
  });

  it("calls an untitled draft after its file", () => {
    const p = renderer.render("sports/derby-report.md", "Just a body.\n")!;
    expect(p.html).toContain("derby-report");
  });
});
