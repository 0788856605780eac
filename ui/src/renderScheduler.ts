/**
 * Runs an async job for the latest input, never two at once. The first request after a
 * quiet spell runs at once (a single keystroke shows in the preview on the next frame);
 * within a burst, runs start at most once per `gapMs`, and input that arrives while a job
 * runs is kept (only the newest) and run right after. So a fast typist on a long article
 * costs one render per gap, not one per key, and nobody waits for a debounce.
 */
export class LatestOnly<T, R> {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private pending: { value: T } | null = null;
  private lastStart = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly job: (value: T) => Promise<R>,
    private readonly onResult: (result: R, value: T) => void,
    private readonly onError: (error: unknown) => void = () => {},
    private readonly gapMs = 40,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Asks for a run with `value`: at once if the last run started over `gapMs` ago. */
  request(value: T): void {
    this.pending = { value };
    this.schedule();
  }

  /** Runs as soon as the running job (if any) is done, ignoring the gap (e.g. a draft opened). */
  now(value: T): void {
    this.pending = { value };
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.pump();
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }

  private schedule(): void {
    if (this.running || this.timer !== null || !this.pending) return;
    const wait = this.lastStart + this.gapMs - this.clock();
    if (wait <= 0) {
      this.pump();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, wait);
  }

  private pump(): void {
    if (this.running || !this.pending) return;
    const { value } = this.pending;
    this.pending = null;
    this.running = true;
    this.lastStart = this.clock();
    this.job(value)
      .then((r) => this.onResult(r, value))
      .catch((e: unknown) => this.onError(e))
      .finally(() => {
        this.running = false;
        this.schedule();
      });
  }
}
