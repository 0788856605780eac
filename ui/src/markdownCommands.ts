/** Formatting commands for the editor's shortcuts and the command palette. */
import { EditorSelection, type ChangeSpec } from "@codemirror/state";
import type { EditorView } from "@codemirror/view";

/** Wraps each selection in `marker` (`**`, `_`), or unwraps it when already wrapped. */
export function toggleWrap(view: EditorView, marker: string): boolean {
  const { state } = view;
  const n = marker.length;
  view.dispatch(
    state.changeByRange((range) => {
      const before = state.sliceDoc(range.from - n, range.from);
      const after = state.sliceDoc(range.to, range.to + n);
      if (before === marker && after === marker) {
        return {
          changes: [
            { from: range.from - n, to: range.from },
            { from: range.to, to: range.to + n },
          ],
          range: EditorSelection.range(range.from - n, range.to - n),
        };
      }
      const text = state.sliceDoc(range.from, range.to);
      if (text.length >= 2 * n && text.startsWith(marker) && text.endsWith(marker)) {
        return {
          changes: { from: range.from, to: range.to, insert: text.slice(n, text.length - n) },
          range: EditorSelection.range(range.from, range.to - 2 * n),
        };
      }
      return {
        changes: [
          { from: range.from, insert: marker },
          { from: range.to, insert: marker },
        ],
        range: EditorSelection.range(range.from + n, range.to + n),
      };
    }),
    { scrollIntoView: true, userEvent: "input.format" },
  );
  return true;
}

/** `[text](https://)` around the selection, with the URL selected for typing. */
export function insertLink(view: EditorView): boolean {
  const { state } = view;
  view.dispatch(
    state.changeByRange((range) => {
      const text = state.sliceDoc(range.from, range.to);
      const url = /^(https?:\/\/|mailto:)\S+$/.test(text) ? text : "https://";
      const label = url === text ? "" : text;
      const insert = `[${label}](${url})`;
      const urlFrom = range.from + label.length + 3;
      return {
        changes: { from: range.from, to: range.to, insert },
        range: label ? EditorSelection.range(urlFrom, urlFrom + url.length) : EditorSelection.cursor(range.from + 1),
      };
    }),
    { scrollIntoView: true, userEvent: "input.format" },
  );
  return true;
}

function selectedLines(view: EditorView): number[] {
  const lines = new Set<number>();
  for (const r of view.state.selection.ranges) {
    const first = view.state.doc.lineAt(r.from).number;
    const last = view.state.doc.lineAt(r.to).number;
    for (let l = first; l <= last; l++) lines.add(l);
  }
  return [...lines].sort((a, b) => a - b);
}

/** Makes the selected lines headings of `level`, or plain text when they already are. */
export function setHeading(view: EditorView, level: number): boolean {
  const { doc } = view.state;
  const lines = selectedLines(view).map((n) => doc.line(n));
  const prefix = `${"#".repeat(level)} `;
  const all = lines.every((l) => l.text.startsWith(prefix));
  const changes: ChangeSpec[] = lines.map((l) => {
    const existing = /^#{1,6}\s+/.exec(l.text)?.[0] ?? "";
    return { from: l.from, to: l.from + existing.length, insert: all ? "" : prefix };
  });
  view.dispatch({ changes, scrollIntoView: true, userEvent: "input.format" });
  return true;
}

/** Adds `prefix` (`> `, `- `) to the selected lines, or removes it when all have it. */
export function toggleLinePrefix(view: EditorView, prefix: string): boolean {
  const { doc } = view.state;
  const lines = selectedLines(view).map((n) => doc.line(n));
  const all = lines.every((l) => l.text.startsWith(prefix));
  const changes: ChangeSpec[] = lines.map((l) => (all ? { from: l.from, to: l.from + prefix.length } : { from: l.from, insert: prefix }));
  view.dispatch({ changes, scrollIntoView: true, userEvent: "input.format" });
  return true;
}
