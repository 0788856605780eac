/**
 * In-page timings for the desktop benchmark (tests/bench-app): kept only when the app runs
 * with NEWSROOM_PERF_MARKS=1 (the injected perf script defines `__newsroomPerfMark`), and
 * read by the benchmark over WebDriver as `window.__newsroomPerfLog`. Entries are
 * `performance.now()` times, so they compare with event time stamps.
 *
 * A keystroke is one entry, begun by the editor when it dispatches a change to the text
 * (`perfBegin`); each step of its way to the preview notes the time it reached
 * (`perfStep`), and a part's own cost is added up under a name ending in `Ms`
 * (`perfTime`), so the benchmark can say where a keystroke's time goes in a long draft.
 */
type PerfWindow = { __newsroomPerfMark?: (name: string) => void; __newsroomPerfLog?: Record<string, number>[] };

const w = (typeof window === "undefined" ? {} : window) as PerfWindow;

/** `null` unless the benchmark asked for timings. */
export const perfLog: Record<string, number>[] | null = w.__newsroomPerfMark ? [] : null;
if (perfLog) w.__newsroomPerfLog = perfLog;

/** A keystroke's timings: step name → `performance.now()`, `…Ms` → milliseconds spent. */
export type PerfEntry = Record<string, number>;

/** Keeps the last 200 entries. */
export function logTiming(entry: PerfEntry): void {
  if (!perfLog) return;
  perfLog.push(entry);
  if (perfLog.length > 200) perfLog.splice(0, perfLog.length - 200);
}

/** The change being timed (the last one begun), or `null`. */
let current: PerfEntry | null = null;

/** Begins the entry of a change to the text (`input`: now); `null` when nobody measures. */
export function perfBegin(): PerfEntry | null {
  if (!perfLog) return null;
  current = { input: performance.now() };
  logTiming(current);
  return current;
}

/** The entry of the change being timed, to carry it to later steps (`null` when nobody measures). */
export function perfCurrent(): PerfEntry | null {
  return perfLog ? current : null;
}

/** Notes that `entry` (by default the current change's) reached step `name` now. */
export function perfStep(name: string, entry: PerfEntry | null = perfCurrent()): void {
  if (entry) entry[name] = performance.now();
}

/** Runs `fn`, adding its time to `<name>Ms` of the current change's entry when measured. */
export function perfTime<T>(name: string, fn: () => T): T {
  const entry = perfCurrent();
  if (!entry) return fn();
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    entry[`${name}Ms`] = (entry[`${name}Ms`] ?? 0) + performance.now() - t0;
  }
}

/** A named phase of start-up for the benchmark (`newsroom-perf <name> <ms>` on stdout); no-op otherwise. */
export function perfMark(name: string): void {
  w.__newsroomPerfMark?.(name);
}
