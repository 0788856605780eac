/**
 * The Markdown language with YAML front matter recognised as one block, so the editor
 * shows it as quiet metadata instead of reading `title: …` + `---` as a setext heading.
 */
import { Language } from "@codemirror/language";
import { markdownLanguage } from "@codemirror/lang-markdown";
import type { MarkdownConfig, MarkdownParser } from "@lezer/markdown";
import { tags as t } from "@lezer/highlight";
import { bodyLineOffset } from "./frontMatter";

const FENCE = /^(---|\.\.\.)[ \t]*$/;

export const frontMatterBlock: MarkdownConfig = {
  defineNodes: [{ name: "FrontMatter", block: true, style: t.meta }],
  parseBlock: [
    {
      name: "FrontMatter",
      before: "HorizontalRule",
      parse(cx, line) {
        if (cx.lineStart !== 0 || !/^---[ \t]*$/.test(line.text)) return false;
        // only a fence that is closed opens front matter (the same rule as the Rust side)
        // (`input` is not in BlockContext's typings; without it, assume the fence is closed)
        const input = (cx as unknown as { input?: { length: number; read(from: number, to: number): string } }).input;
        if (input && bodyLineOffset(input.read(0, Math.min(input.length, 256 * 1024))) === 0) return false;
        const start = cx.lineStart;
        let first = true;
        while (cx.nextLine()) {
          if (!first && FENCE.test(line.text)) {
            const end = cx.lineStart + line.text.length;
            cx.nextLine();
            cx.addElement(cx.elt("FrontMatter", start, end));
            return true;
          }
          first = false;
        }
        cx.addElement(cx.elt("FrontMatter", start, cx.prevLineEnd()));
        return true;
      },
    },
  ],
};

/** GFM Markdown (as `markdownLanguage`) plus front matter. */
export const draftLanguage = new Language(markdownLanguage.data, (markdownLanguage.parser as MarkdownParser).configure([frontMatterBlock]), [], "markdown");
