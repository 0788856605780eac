/** The smallest single replacement turning `before` into `after` (common head and tail kept). */
export function minimalChange(before: string, after: string): { from: number; to: number; insert: string } | null {
  if (before === after) return null;
  const max = Math.min(before.length, after.length);
  let head = 0;
  while (head < max && before.charCodeAt(head) === after.charCodeAt(head)) head++;
  // do not split a surrogate pair
  if (head > 0 && head < before.length && isLowSurrogate(before.charCodeAt(head))) head--;
  let tail = 0;
  while (tail < max - head && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  if (tail > 0 && isLowSurrogate(before.charCodeAt(before.length - tail))) tail--;
  return { from: head, to: before.length - tail, insert: after.slice(head, after.length - tail) };
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * A draft's text as it was at one change, put together only if somebody reads it: its
 * length at once, the string on the first `read()` (the editor's text is its lines, which
 * a 50,000-word draft takes ≈ 1 ms to join; a keystroke's render needs only the length).
 */
export interface DraftText {
  readonly length: number;
  read(): string;
}

/** `text` as a `DraftText`, or `read` once and kept. */
export function draftText(text: string): DraftText;
export function draftText(length: number, read: () => string): DraftText;
export function draftText(a: string | number, read?: () => string): DraftText {
  if (typeof a === "string") return { length: a.length, read: () => a };
  let kept: string | null = null;
  return { length: a, read: () => (kept ??= (read as () => string)()) };
}

/** The string of `text`, a string or a `DraftText`. */
export function readText(text: string | DraftText): string {
  return typeof text === "string" ? text : text.read();
}
