/**
 * Diff lines as a readable block: insertions green, deletions red and struck. A changed
 * line that came with its words (the core's word-level diff) marks only the changed words,
 * so one edited word in a paragraph-long line shows as that word.
 */
import type { DiffLine } from "./ipc";
import { h } from "./html";

/** The line's text, its changed words in `<mark class="diff-word">` (set as text, never HTML). */
function lineContent(l: DiffLine): (string | HTMLElement)[] {
  if (!l.words?.length) return [l.text || " "];
  return l.words.map((w) => (w.changed ? h("mark", { class: "diff-word", text: w.text }) : w.text));
}

export function renderDiff(lines: DiffLine[], context = 3, testid?: string): HTMLElement {
  const out = h("div", { class: "diff", role: "region", "aria-label": "Differences", ...(testid ? { "data-testid": testid } : {}) });
  const changed = lines.map((l) => l.tag !== "equal");
  const near = (i: number) => {
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) if (changed[j]) return true;
    return false;
  };
  let skipped = 0;
  const flushSkip = () => {
    if (skipped > 0) out.append(h("div", { class: "diff-skip", text: `… ${skipped} unchanged line${skipped === 1 ? "" : "s"} …` }));
    skipped = 0;
  };
  lines.forEach((l, i) => {
    if (l.tag === "equal" && !near(i)) {
      skipped++;
      return;
    }
    flushSkip();
    const sign = l.tag === "insert" ? "+" : l.tag === "delete" ? "−" : " ";
    const cls = l.tag === "insert" ? "diff-ins" : l.tag === "delete" ? "diff-del" : "diff-eq";
    const el = l.tag === "insert" ? "ins" : l.tag === "delete" ? "del" : "div";
    out.append(h(el, { class: `diff-line ${cls}` }, h("span", { class: "diff-sign", "aria-hidden": "true", text: sign }), ...lineContent(l)));
  });
  flushSkip();
  if (!changed.some(Boolean)) out.append(h("p", { class: "muted", text: "No differences." }));
  return out;
}
