/**
 * A reviewer's initials, which sign comments. Its own module because the window needs it
 * at start-up (from the settings) and the editor, which also uses it, loads later.
 */

/** "Ana Kovač" → "AK" (two or three capitals, as docs/review.md reads them); "" without a name. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  let out = words.map((w) => [...w][0].toUpperCase()).join("");
  if (words.length === 1) out = [...words[0]].slice(0, 2).join("").toUpperCase();
  out = [...out]
    .filter((c) => /\p{Lu}/u.test(c))
    .slice(0, 3)
    .join("");
  return out.length >= 2 ? out : "";
}
