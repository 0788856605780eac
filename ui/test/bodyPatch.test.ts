import { describe, expect, it } from "vitest";
import { Blocks, blockKey, changedRange, splitArticle } from "../src/bodyPatch";
import { applyPreviewHtml, previewSrcdoc } from "../src/preview";
import { flushMoved, sourceposOf } from "../src/previewPatch";

const page = (body: string, title = "Minsk talks stall") =>
  `<article class="nr-article">\n<header class="nr-header">\n<h1 class="nr-headline">${title}</h1>\n</header>\n<div class="nr-body">\n${body}</div>\n<ul class="nr-tags"><li>#Belarus</li></ul>\n</article>\n`;

function setup(html: string) {
  document.body.innerHTML = previewSrcdoc()
    .replace(/^.*<body>/s, "")
    .replace(/<\/body>.*$/s, "");
  applyPreviewHtml(document, html);
  return document.getElementById("nr-root")!;
}

describe("splitting a render into body blocks", () => {
  it("cuts at top-level blocks, through nesting, void elements and quoted '<' and '>'", () => {
    const blocks = [
      '<p data-sourcepos="1:1-1:5">One <em>two</em><br />\nthree</p>',
      '<ul data-sourcepos="3:1-4:3">\n<li data-sourcepos="3:1-3:3">a</li>\n<li data-sourcepos="4:1-4:3"><p>b</p></li>\n</ul>',
      "<hr />",
      '<blockquote data-sourcepos="8:1-8:9">\n<p data-sourcepos="8:3-8:9">quoted</p>\n</blockquote>',
      '<p><img src="images/a.png" alt="a <b> & c"> <a href="https://example.org/?a=1" title="x > y">link</a></p>',
      '<div class="raw"><span title="1 < 2">raw</span></div>',
    ];
    const split = splitArticle(page(`${blocks.join("\n")}\n`));
    expect(split).not.toBeNull();
    expect(split!.blocks).toEqual(blocks);
    expect(split!.head.endsWith('<div class="nr-body">')).toBe(true);
    expect(split!.tail.startsWith('</div>\n<ul class="nr-tags">')).toBe(true);
  });

  it("gives up on anything unusual, so the general patch handles it", () => {
    expect(splitArticle("<p>no body</p>")).toBeNull();
    expect(splitArticle(page("stray text\n<p>x</p>\n"))).toBeNull();
    expect(splitArticle(page("<!-- c -->\n<p>x</p>\n"))).toBeNull();
    expect(splitArticle('<div class="nr-body">\n<p>never closed')).toBeNull();
  });

  it("an empty body has no blocks", () => {
    expect(splitArticle(page(""))!.blocks).toEqual([]);
  });

  it("keys ignore line numbers; the changed range is the middle that differs", () => {
    expect(blockKey('<p data-sourcepos="1:1-1:3">One</p>')).toBe(blockKey('<p data-sourcepos="9:1-9:3">One</p>'));
    const range = (a: string[], b: string[]) => changedRange(new Blocks(a), new Blocks(b));
    expect(range(["a", "b", "c"], ["a", "x", "c"])).toEqual({ start: 1, oldEnd: 2, newEnd: 2 });
    expect(range(["a", "b"], ["a", "n", "b"])).toEqual({ start: 1, oldEnd: 1, newEnd: 2 });
    expect(range(["a", "a"], ["a"])).toEqual({ start: 1, oldEnd: 2, newEnd: 1 });
    expect(range([], ["a"])).toEqual({ start: 0, oldEnd: 0, newEnd: 1 });
    // blocks that only moved down a line are the same; a changed text is not
    const p = (line: number, t: string) => `<p data-sourcepos="${line}:1-${line}:${t.length}">${t}</p>`;
    expect(range([p(1, "a"), p(3, "b")], [p(1, "a"), p(3, "new"), p(5, "b")])).toEqual({ start: 1, oldEnd: 1, newEnd: 2 });
    expect(range([p(1, "a"), p(3, "b")], [p(1, "a!"), p(3, "b")])).toEqual({ start: 0, oldEnd: 1, newEnd: 1 });
  });
});

describe("patching the body from string blocks", () => {
  const para = (line: number, text: string) => `<p data-sourcepos="${line}:1-${line}:${text.length}">${text}</p>`;
  const list = (line: number) => `<ul data-sourcepos="${line}:1-${line + 1}:3">\n<li data-sourcepos="${line}:1-${line}:3">a</li>\n<li data-sourcepos="${line + 1}:1-${line + 1}:3">b</li>\n</ul>`;

  it("typing in one paragraph replaces that paragraph only", () => {
    const root = setup(page(`${[para(1, "One"), para(3, "Two"), list(5)].join("\n")}\n`));
    const before = Array.from(root.querySelector(".nr-body")!.children);
    const headline = root.querySelector(".nr-headline");
    applyPreviewHtml(document, page(`${[para(1, "One"), para(3, "Two!"), list(5)].join("\n")}\n`));
    const after = Array.from(root.querySelector(".nr-body")!.children);
    expect(after.map((e) => e.textContent)).toEqual(["One", "Two!", "\na\nb\n"]);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(after[2]).toBe(before[2]);
    expect(root.querySelector(".nr-headline")).toBe(headline);
  });

  it("a line added above moves the line numbers of kept blocks, nested ones too", () => {
    const root = setup(page(`${[para(1, "One"), list(3)].join("\n")}\n`));
    const ul = root.querySelector(".nr-body ul")!;
    applyPreviewHtml(document, page(`${[para(1, "One"), para(3, "New"), list(5)].join("\n")}\n`));
    expect(root.querySelector(".nr-body ul")).toBe(ul);
    expect(sourceposOf(ul)).toBe("5:1-6:3");
    expect(Array.from(ul.querySelectorAll("li")).map(sourceposOf)).toEqual(["5:1-5:3", "6:1-6:3"]);
  });

  it("a block whose text looks like a line-number attribute is rebuilt rather than misnumbered", () => {
    const tricky = (line: number) => `<div data-sourcepos="${line}:1-${line}:9"><span> data-sourcepos="1:1-1:1"</span></div>`;
    const root = setup(page(`${[para(1, "One"), tricky(3)].join("\n")}\n`));
    applyPreviewHtml(document, page(`${[para(1, "One"), para(3, "New"), tricky(5)].join("\n")}\n`));
    flushMoved(document); // as scroll sync does before it looks for blocks
    const div = root.querySelector(".nr-body div")!;
    expect(sourceposOf(div)).toBe("5:1-5:9");
    expect(div.textContent).toBe(' data-sourcepos="1:1-1:1"');
  });

  it("a changed header goes through the general patch and stays right", () => {
    const root = setup(page(`${para(1, "One")}\n`));
    const p = root.querySelector(".nr-body p");
    applyPreviewHtml(document, page(`${para(1, "One")}\n`, "New headline"));
    expect(root.querySelector(".nr-headline")!.textContent).toBe("New headline");
    expect(root.querySelector(".nr-body p")).toBe(p);
    applyPreviewHtml(document, page(`${[para(1, "One"), para(3, "Two")].join("\n")}\n`, "New headline"));
    expect(Array.from(root.querySelectorAll(".nr-body p")).map((e) => e.textContent)).toEqual(["One", "Two"]);
  });

  it("after random edits the page equals a fresh render", () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const texts = ["a", "b", "c", "d"];
    const html = () => page(`${texts.map((t, i) => (t === "L" ? list(i * 3 + 1) : para(i * 3 + 1, t))).join("\n")}\n`);
    const root = setup(html());
    for (let step = 0; step < 200; step++) {
      const i = rnd(texts.length + 1);
      const op = rnd(3);
      if (op === 0) texts.splice(i, 0, rnd(4) === 0 ? "L" : String.fromCharCode(97 + rnd(26)));
      else if (op === 1 && texts.length) texts.splice(Math.min(i, texts.length - 1), 1);
      else if (texts.length) texts[Math.min(i, texts.length - 1)] += "x";
      applyPreviewHtml(document, html());
      const fresh = document.createElement("div");
      fresh.innerHTML = html();
      const expected = Array.from(fresh.querySelectorAll("[data-sourcepos]"), (e) => `${e.tagName}:${e.getAttribute("data-sourcepos")}:${e.textContent}`);
      const got = Array.from(root.querySelectorAll("[data-sourcepos]"), (e) => `${e.tagName}:${sourceposOf(e)}:${e.textContent}`);
      expect(got).toEqual(expected);
    }
  });
});
