import { describe, expect, it, vi } from "vitest";
import { deferSourcepos, patchChildren, SETTLE_MS, sourceposOf } from "../src/previewPatch";
import { applyPreviewHtml, externalUrl, previewSrcdoc, PORTAL_SECTIONS } from "../src/preview";

function article(body: string, title = "Minsk talks stall", tags = "<li>#Belarus</li>") {
  return (
    `<article class="nr-article">\n<header class="nr-header">\n<p class="nr-kicker">World</p>\n<h1 class="nr-headline">${title}</h1>\n</header>\n` +
    `<div class="nr-body">\n${body}</div>\n<ul class="nr-tags">${tags}</ul>\n</article>\n`
  );
}

function paras(texts: string[], firstLine = 1): string {
  let line = firstLine;
  return texts
    .map((t) => {
      const html = `<p data-sourcepos="${line}:1-${line}:${t.length}">${t}</p>\n`;
      line += 2;
      return html;
    })
    .join("");
}

function setup(html: string) {
  document.body.innerHTML = previewSrcdoc()
    .replace(/^.*<body>/s, "")
    .replace(/<\/body>.*$/s, "");
  applyPreviewHtml(document, html);
  return document.getElementById("nr-root")!;
}

const bodyParas = (root: Element) => Array.from(root.querySelectorAll(".nr-body > p"));

describe("preview patcher", () => {
  it("builds the page from a render", () => {
    const root = setup(article(paras(["One", "Two"])));
    expect(root.querySelector(".nr-headline")!.textContent).toBe("Minsk talks stall");
    expect(bodyParas(root).map((p) => p.textContent)).toEqual(["One", "Two"]);
    expect(document.querySelectorAll(".portal-nav li")).toHaveLength(PORTAL_SECTIONS.length);
  });

  it("replaces only the changed paragraph and keeps every other node", () => {
    const root = setup(article(paras(["One", "Two", "Three"])));
    const [p1, p2, p3] = bodyParas(root);
    const headline = root.querySelector(".nr-headline");
    const article1 = root.querySelector("article");
    const template = document.createElement("template");
    template.innerHTML = article(paras(["One", "Two!", "Three"]));
    const stats = patchChildren(root, template.content);
    const after = bodyParas(root);
    expect(after.map((p) => p.textContent)).toEqual(["One", "Two!", "Three"]);
    expect(after[0]).toBe(p1);
    expect(after[1]).not.toBe(p2);
    expect(after[2]).toBe(p3);
    expect(root.querySelector(".nr-headline")).toBe(headline);
    expect(root.querySelector("article")).toBe(article1);
    expect(stats.replaced).toBe(1);
    expect(stats.removed).toBe(1);
  });

  it("keeps blocks below an inserted paragraph and only updates their line numbers", () => {
    const root = setup(article(paras(["One", "Two", "Three"])));
    const [p1, p2, p3] = bodyParas(root);
    applyPreviewHtml(document, article(paras(["One", "New", "Two", "Three"])));
    const after = bodyParas(root);
    expect(after.map((p) => p.textContent)).toEqual(["One", "New", "Two", "Three"]);
    expect(after[0]).toBe(p1);
    expect(after[2]).toBe(p2);
    expect(after[3]).toBe(p3);
    expect(sourceposOf(p1)).toBe("1:1-1:3");
    expect(sourceposOf(p2)).toBe("5:1-5:3");
    expect(sourceposOf(p3)).toBe("7:1-7:5");
  });

  it("handles deletions, a changed headline and tags without touching the body", () => {
    const root = setup(article(paras(["One", "Two", "Three"])));
    const [p1, , p3] = bodyParas(root);
    applyPreviewHtml(document, article(paras(["One", "Three"]), "New headline", "<li>#Belarus</li><li>#Russia</li>"));
    const after = bodyParas(root);
    expect(after.map((p) => p.textContent)).toEqual(["One", "Three"]);
    expect(after[0]).toBe(p1);
    expect(after[1]).toBe(p3);
    expect(root.querySelector(".nr-headline")!.textContent).toBe("New headline");
    expect(Array.from(root.querySelectorAll(".nr-tags li")).map((l) => l.textContent)).toEqual(["#Belarus", "#Russia"]);
  });

  it("reaches the same DOM as a fresh render after many edits", () => {
    const root = setup(article(paras(["a", "b", "c", "d", "e"])));
    const steps = [["a", "c", "b", "d", "e"], ["x"], [], ["a", "b", "a", "b"], ["b", "a", "b", "a", "z"]];
    const withPositions = (el: Element) => {
      const copy = el.cloneNode(true) as Element;
      const src = [el, ...Array.from(el.querySelectorAll("*"))];
      const dst = [copy, ...Array.from(copy.querySelectorAll("*"))];
      src.forEach((e, i) => {
        const p = sourceposOf(e);
        if (p !== null) dst[i].setAttribute("data-sourcepos", p);
      });
      return copy.innerHTML.replace(/>\s+</g, "><").trim();
    };
    for (const step of steps) {
      const html = article(paras(step));
      applyPreviewHtml(document, html);
      const fresh = document.createElement("div");
      fresh.innerHTML = html;
      expect(withPositions(root)).toBe(fresh.innerHTML.replace(/>\s+</g, "><").trim());
    }
  });

  it("treats an article that becomes body-only (front matter error) correctly", () => {
    const root = setup(article(paras(["One"])));
    applyPreviewHtml(document, `<div class="nr-body">${paras(["One"])}</div>`);
    expect(root.querySelector("article")).toBeNull();
    expect(root.querySelector(".nr-body p")!.textContent).toBe("One");
  });

  it("opens only http(s) and mailto links outside", () => {
    expect(externalUrl("https://example.org/a")).toBe("https://example.org/a");
    expect(externalUrl("MAILTO:desk@example.org")).toBe("MAILTO:desk@example.org");
    expect(externalUrl("javascript:alert(1)")).toBeNull();
    expect(externalUrl("file:///etc/passwd")).toBeNull();
    expect(externalUrl("#fn1")).toBeNull();
    expect(externalUrl(null)).toBeNull();
  });

  it("the srcdoc has no scripts and links the portal stylesheet", () => {
    const src = previewSrcdoc();
    expect(src).not.toMatch(/<script/i);
    expect(src).toContain('<link rel="stylesheet" href="/portal.css">');
  });
});

describe("line numbers owed by a delta", () => {
  it("of a whole-page patch's kept blocks are given once typing pauses, even if nobody asks", () => {
    vi.useFakeTimers();
    try {
      const root = setup(article(paras(["One", "Two", "Three"])));
      const kept = bodyParas(root);
      // a paragraph above them: the same blocks, two lines further down
      applyPreviewHtml(document, article(paras(["Zero", "One", "Two", "Three"])));
      expect(bodyParas(root).slice(1)).toEqual(kept);
      const own = (el: Element) => (el as Element & { nrSourcepos?: string }).nrSourcepos;
      expect(own(kept[2])).toBeUndefined(); // owed, not yet given
      vi.advanceTimersByTime(SETTLE_MS + 10);
      expect(kept.map(own)).toEqual(["3:1-3:3", "5:1-5:3", "7:1-7:5"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("are given once typing pauses, even if nobody asks", () => {
    vi.useFakeTimers();
    try {
      const doc = document.implementation.createHTMLDocument("preview");
      let given = 0;
      deferSourcepos(doc, () => (given += 1));
      vi.advanceTimersByTime(SETTLE_MS - 50);
      deferSourcepos(doc, () => (given += 10)); // another keystroke: the wait starts again
      vi.advanceTimersByTime(SETTLE_MS - 50);
      expect(given).toBe(0);
      vi.advanceTimersByTime(60);
      expect(given).toBe(10); // the latest flush, once
      vi.advanceTimersByTime(SETTLE_MS * 4);
      expect(given).toBe(10);
    } finally {
      vi.useRealTimers();
    }
  });
});
