/**
 * In-page timings for the desktop benchmark (tests/bench-app): kept only when the app runs
 * with NEWSROOM_PERF_MARKS=1 (the injected perf script defines `__newsroomPerfMark`), and
 * read by the benchmark over WebDriver as `window.__newsroomPerfLog`. Entries are
 * `performance.now()` times, so they compare with event time stamps.
 */
type PerfWindow = { __newsroomPerfMark?: (name: string) => void; __newsroomPerfLog?: Record<string, number>[] };

const w = (typeof window === "undefined" ? {} : window) as PerfWindow;

/** `null` unless the benchmark asked for timings. */
export const perfLog: Record<string, number>[] | null = w.__newsroomPerfMark ? [] : null;
if (perfLog) w.__newsroomPerfLog = perfLog;

/** Keeps the last 200 entries. */
export function logTiming(entry: Record<string, number>): void {
  if (!perfLog) return;
  perfLog.push(entry);
  if (perfLog.length > 200) perfLog.splice(0, perfLog.length - 200);
}

/** A named phase of start-up for the benchmark (`newsroom-perf <name> <ms>` on stdout); no-op otherwise. */
export function perfMark(name: string): void {
  w.__newsroomPerfMark?.(name);
}
