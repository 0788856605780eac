import { describe, expect, it } from "vitest";
import { previewSrcdoc, targetsInFrame } from "../src/preview";

describe("links in the preview frame", () => {
  it("ask for a new window by default (the app answers: browser or nowhere)", () => {
    expect(previewSrcdoc()).toContain('<base target="_blank">');
  });

  it("keep in-article links inside this document, not the app's URL", () => {
    const doc = document.implementation.createHTMLDocument("p");
    doc.body.innerHTML = '<p><a href="#fn-1">1</a> <a href="https://example.org/">x</a> <a href="">y</a></p>';
    targetsInFrame(doc);
    const [fn, web, empty] = [...doc.querySelectorAll("a")];
    expect(fn.getAttribute("href")).toBe("about:srcdoc#fn-1");
    expect(fn.target).toBe("_self");
    expect(web.getAttribute("href")).toBe("https://example.org/");
    expect(web.hasAttribute("target")).toBe(false);
    expect(empty.hasAttribute("target")).toBe(false);
    // applied twice (a re-render of the same block): unchanged
    targetsInFrame(doc);
    expect(fn.getAttribute("href")).toBe("about:srcdoc#fn-1");
  });
});
