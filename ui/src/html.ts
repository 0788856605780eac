/** Escaping for every string that reaches `innerHTML`. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;"));
}

const MARK_START = "\u0002";
const MARK_END = "\u0003";

/**
 * A search snippet (plain text, matches between \u0002 and \u0003) as HTML: the text is
 * escaped and only the markers become `<mark>`. Unbalanced markers are closed or dropped.
 */
export function snippetToHtml(snippet: string): string {
  let out = "";
  let open = false;
  let plain = "";
  const flush = () => {
    out += escapeHtml(plain);
    plain = "";
  };
  for (const ch of snippet) {
    if (ch === MARK_START) {
      if (!open) {
        flush();
        out += "<mark>";
        open = true;
      }
    } else if (ch === MARK_END) {
      if (open) {
        flush();
        out += "</mark>";
        open = false;
      }
    } else if (ch < " " && ch !== "\n" && ch !== "\t") {
      // other control characters are dropped
    } else {
      plain += ch;
    }
  }
  flush();
  if (open) out += "</mark>";
  return out;
}

/** `h("button", {class: "x", "aria-label": "Close"}, "×")`: a small element builder. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | number | undefined | null> = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") el.textContent = String(v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return el;
}
