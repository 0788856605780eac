/** Dates as reporters read them, and as front matter stores them (RFC 3339). */

/** "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago", else a date. */
export function relativeTime(ms: number, now: number = Date.now()): string {
  const s = Math.round((now - ms) / 1000);
  if (s < 45) return "just now";
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const hrs = Math.round(m / 60);
  if (hrs < 24) return `${hrs} h ago`;
  const days = Math.round(hrs / 24);
  if (days === 1) return "yesterday";
  if (days < 7) return `${days} days ago`;
  return new Date(ms).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}

/** How often relative times are written again. */
export const RELATIVE_REFRESH_MS = 60_000;

/**
 * Writes `relativeTime` again into every `time[datetime]` matching `selector` under `root`
 * (only the elements in the DOM: a virtual list holds just the rows in view). Returns how
 * many were looked at.
 */
export function refreshRelativeTimes(root: ParentNode, selector = "time[datetime]", now: number = Date.now()): number {
  const times = root.querySelectorAll<HTMLTimeElement>(selector);
  for (const t of times) {
    const ms = Date.parse(t.getAttribute("datetime") ?? "");
    if (Number.isNaN(ms)) continue;
    const text = relativeTime(ms, now);
    if (t.textContent !== text) t.textContent = text;
  }
  return times.length;
}

/**
 * Keeps the relative times under `root` current: once a minute while the window is visible
 * and `root` is shown, and at once when the window comes back. Returns the stop function.
 */
export function keepRelativeTimesFresh(root: HTMLElement, selector = "time[datetime]", every = RELATIVE_REFRESH_MS): () => void {
  const tick = () => {
    if (document.visibilityState === "hidden" || !root.isConnected || root.closest("[hidden]")) return;
    refreshRelativeTimes(root, selector);
  };
  const timer = setInterval(tick, every);
  const onVisible = () => {
    if (document.visibilityState === "visible") tick();
  };
  document.addEventListener("visibilitychange", onVisible);
  return () => {
    clearInterval(timer);
    document.removeEventListener("visibilitychange", onVisible);
  };
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * A `datetime-local` value ("2026-11-26T09:30" or with seconds) as RFC 3339 with the local
 * offset in force on that date ("2026-11-26T09:30:00+01:00"). Empty or invalid → null.
 */
export function localInputToRfc3339(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, hh, mm, ss] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "00"].map(Number);
  const date = new Date(y, mo - 1, d, hh, mm, ss);
  if (Number.isNaN(date.getTime())) return null;
  const offsetMin = -date.getTimezoneOffset();
  const sign = offsetMin >= 0 ? "+" : "-";
  const abs = Math.abs(offsetMin);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${pad(ss)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** RFC 3339 → a `datetime-local` value in local time ("" if it cannot be read). */
export function rfc3339ToLocalInput(value: string | null | undefined): string {
  if (!value) return "";
  const date = new Date(value.trim());
  if (Number.isNaN(date.getTime())) return "";
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
