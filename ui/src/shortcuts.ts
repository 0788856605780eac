/**
 * Keyboard shortcuts written as "Mod+Shift+P" (Mod is Ctrl, or Cmd on macOS), matched
 * against key events and shown in menus in the platform's words.
 */

export const IS_MAC = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform ?? "");

interface Parsed {
  mod: boolean;
  shift: boolean;
  alt: boolean;
  key: string;
}

function parse(spec: string): Parsed {
  const parts = spec.split("+");
  const key = parts.pop()!.toLowerCase();
  const mods = new Set(parts.map((p) => p.toLowerCase()));
  return { mod: mods.has("mod") || mods.has("ctrl"), shift: mods.has("shift"), alt: mods.has("alt"), key };
}

const CODE_KEYS: Record<string, string> = { Period: ".", Comma: ",", Backslash: "\\", Slash: "/" };

/** The key a physical key stands for without Shift: "p" for Shift+P, "8" for "*", "." for ">". */
function baseKey(e: KeyboardEvent): string {
  const code = e.code ?? "";
  if (/^Key[A-Z]$/.test(code)) return code.slice(3).toLowerCase();
  if (/^Digit\d$/.test(code)) return code.slice(5);
  if (CODE_KEYS[code]) return CODE_KEYS[code];
  return (e.key ?? "").toLowerCase();
}

export function matchShortcut(e: KeyboardEvent, spec: string): boolean {
  const p = parse(spec);
  const mod = IS_MAC ? e.metaKey : e.ctrlKey;
  if (p.mod !== mod || p.shift !== e.shiftKey || p.alt !== e.altKey) return false;
  if (!IS_MAC && e.metaKey) return false;
  const key = (e.key ?? "").toLowerCase();
  return key === p.key || baseKey(e) === p.key;
}

export function formatShortcut(spec: string): string {
  return spec
    .split("+")
    .map((part) => {
      if (part === "Mod") return IS_MAC ? "⌘" : "Ctrl";
      if (part === "Alt") return IS_MAC ? "⌥" : "Alt";
      if (part === "Shift") return IS_MAC ? "⇧" : "Shift";
      return part.length === 1 ? part.toUpperCase() : part;
    })
    .join(IS_MAC ? "" : "+");
}
