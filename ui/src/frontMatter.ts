/**
 * What the UI needs to know about a draft's front matter without asking Rust: where the
 * body starts (for scroll sync) and a display-only reading of the known keys (for the
 * metadata panel). Writes always go through `update_front_matter`.
 */

const FENCE_OPEN = /^---[ \t]*\r?$/;
const FENCE_CLOSE = /^(---|\.\.\.)[ \t]*\r?$/;

/**
 * Number of file lines before the body's first line: 0 without front matter, else the
 * line number of the closing `---`/`...` fence. Body line N is file line N + offset.
 */
export function bodyLineOffset(text: string): number {
  const t = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const firstEnd = t.indexOf("\n");
  const first = firstEnd < 0 ? t : t.slice(0, firstEnd);
  if (!FENCE_OPEN.test(first) || firstEnd < 0) return 0;
  let line = 1;
  let pos = firstEnd + 1;
  while (pos <= t.length) {
    line += 1;
    const end = t.indexOf("\n", pos);
    const l = end < 0 ? t.slice(pos) : t.slice(pos, end);
    if (FENCE_CLOSE.test(l)) return line;
    if (end < 0) break;
    pos = end + 1;
  }
  return 0; // never closed: the whole file is treated as body
}

export interface FrontMatterView {
  title: string;
  status: string;
  categories: string[];
  tags: string[];
  author: string;
  slug: string;
  excerpt: string;
  featured_image: string;
  featured_image_alt: string;
  publish_at: string;
}

export const EMPTY_FRONT_MATTER: FrontMatterView = {
  title: "",
  status: "draft",
  categories: [],
  tags: [],
  author: "",
  slug: "",
  excerpt: "",
  featured_image: "",
  featured_image_alt: "",
  publish_at: "",
};

function unquote(v: string): string {
  const s = v.trim();
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) {
    return s
      .slice(1, -1)
      .replace(/\\(["\\/nt])/g, (_, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c));
  }
  if (s.length >= 2 && s.startsWith("'") && s.endsWith("'")) return s.slice(1, -1).replace(/''/g, "'");
  return s;
}

function stripComment(v: string): string {
  // a ` #` outside quotes starts a comment
  let quote: string | null = null;
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || v[i - 1] === " " || v[i - 1] === "\t")) return v.slice(0, i).trimEnd();
  }
  return v;
}

function flowList(v: string): string[] {
  const inner = v.trim().slice(1, -1);
  const out: string[] = [];
  let cur = "";
  let quote: string | null = null;
  for (const c of inner) {
    if (quote) {
      cur += c;
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
      cur += c;
    } else if (c === ",") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out.map(unquote).filter((s) => s !== "");
}

/**
 * Reads the keys the app knows from simple YAML (`key: value`, flow `[a, b]` and block
 * `- item` lists, quoted strings, folded/literal scalars). Display only: anything odd is
 * shown as best it can be, and Rust stays the judge of validity.
 */
export function readFrontMatter(text: string): FrontMatterView {
  const view: FrontMatterView = { ...EMPTY_FRONT_MATTER, categories: [], tags: [] };
  const offset = bodyLineOffset(text);
  if (offset === 0) return view;
  const t = text.startsWith("\uFEFF") ? text.slice(1) : text;
  // only the front matter's lines: the body may be a 50,000-word article
  const lines = t.split("\n", offset).slice(1, offset - 1).map((l) => l.replace(/\r$/, ""));
  const record = view as unknown as Record<string, string | string[]>;
  for (let i = 0; i < lines.length; i++) {
    const m = /^([A-Za-z_][\w-]*)\s*:(.*)$/.exec(lines[i]);
    if (!m) continue;
    const key = m[1];
    if (!(key in view)) continue;
    const isList = key === "categories" || key === "tags";
    const raw = stripComment(m[2]).trim();
    // gather the indented lines that belong to this key
    const block: string[] = [];
    while (i + 1 < lines.length && (/^\s+\S/.test(lines[i + 1]) || /^-\s/.test(lines[i + 1]) || lines[i + 1].trim() === "")) {
      if (lines[i + 1].trim() === "" && !(i + 2 < lines.length && /^\s+\S/.test(lines[i + 2]))) break;
      block.push(lines[++i]);
    }
    if (isList) {
      if (raw.startsWith("[")) record[key] = flowList(raw);
      else if (raw === "") {
        record[key] = block
          .map((l) => /^\s*-\s*(.*)$/.exec(l))
          .filter((x): x is RegExpExecArray => !!x)
          .map((x) => unquote(stripComment(x[1])))
          .filter((s) => s !== "");
      } else record[key] = [unquote(raw)];
    } else if (raw === ">" || raw === "|" || /^[>|][-+]?$/.test(raw)) {
      const parts = block.map((l) => l.trim());
      record[key] = raw.startsWith(">") ? parts.join(" ").replace(/\s+/g, " ").trim() : parts.join("\n");
    } else {
      const cont = block.map((l) => l.trim()).filter(Boolean);
      record[key] = unquote([raw, ...cont].join(" "));
    }
  }
  return view;
}
