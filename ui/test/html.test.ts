import { describe, expect, it } from "vitest";
import { escapeHtml, snippetToHtml } from "../src/html";

describe("snippets", () => {
  it("turn \\u0002…\\u0003 into <mark> and escape everything else", () => {
    expect(snippetToHtml("talks in \u0002Minsk\u0003 stall")).toBe("talks in <mark>Minsk</mark> stall");
    expect(snippetToHtml("<img src=x onerror=alert(1)> \u0002<b>\u0003 & 'q'")).toBe("&lt;img src=x onerror=alert(1)&gt; <mark>&lt;b&gt;</mark> &amp; &#39;q&#39;");
  });

  it("survive unbalanced or stray markers and control characters", () => {
    expect(snippetToHtml("a \u0002b")).toBe("a <mark>b</mark>");
    expect(snippetToHtml("a\u0003 b\u0001c")).toBe("a bc");
    expect(snippetToHtml("\u0002x\u0002y\u0003")).toBe("<mark>xy</mark>");
  });

  it("escapeHtml covers the five characters", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});
