import type { DiffLine } from "./ipc";

/**
 * Line diff of two texts (LCS over lines after trimming the common head and tail), in the
 * shape `revision_diff` returns. Quadratic in the changed middle only; above a size limit
 * the middle is shown as deleted-then-inserted.
 */
export function lineDiff(before: string, after: string, limit = 4_000_000): DiffLine[] {
  const a = before.split("\n");
  const b = after.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffLine[] = a.slice(0, start).map((text) => ({ tag: "equal", text }));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length * midB.length > limit) {
    for (const text of midA) out.push({ tag: "delete", text });
    for (const text of midB) out.push({ tag: "insert", text });
  } else {
    const n = midA.length;
    const m = midB.length;
    const table = new Uint32Array((n + 1) * (m + 1));
    const at = (i: number, j: number) => i * (m + 1) + j;
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        table[at(i, j)] = midA[i] === midB[j] ? table[at(i + 1, j + 1)] + 1 : Math.max(table[at(i + 1, j)], table[at(i, j + 1)]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        out.push({ tag: "equal", text: midA[i] });
        i++;
        j++;
      } else if (i < n && (j === m || table[at(i + 1, j)] >= table[at(i, j + 1)])) {
        out.push({ tag: "delete", text: midA[i++] });
      } else {
        out.push({ tag: "insert", text: midB[j++] });
      }
    }
  }
  for (const text of a.slice(endA)) out.push({ tag: "equal", text });
  return out;
}
