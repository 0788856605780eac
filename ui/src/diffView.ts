/** Diff lines as a readable block: insertions green, deletions red and struck. */
import type { DiffLine } from "./ipc";
import { h } from "./html";

export function renderDiff(lines: DiffLine[], context = 3): HTMLElement {
  const out = h("div", { class: "diff", role: "region", "aria-label": "Differences" });
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
    out.append(h(el, { class: `diff-line ${cls}` }, h("span", { class: "diff-sign", "aria-hidden": "true", text: sign }), l.text || " "));
  });
  flushSkip();
  if (!changed.some(Boolean)) out.append(h("p", { class: "muted", text: "No differences." }));
  return out;
}
