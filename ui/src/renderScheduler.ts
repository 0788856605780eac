/**
 * Runs an async job for the latest input after a short pause, never two at once: input
 * that arrives while a job runs is kept (only the newest) and run right after.
 */
export class LatestOnly<T, R> {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private pending: { value: T } | null = null;

  constructor(
    private readonly job: (value: T) => Promise<R>,
    private readonly onResult: (result: R, value: T) => void,
    private readonly onError: (error: unknown) => void = () => {},
    private readonly delayMs = 40,
  ) {}

  /** Asks for a run with `value` after the pause (the pause restarts on each call). */
  request(value: T): void {
    this.pending = { value };
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, this.delayMs);
  }

  /** Runs at once (e.g. when a draft is opened). */
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

  private pump(): void {
    if (this.running || !this.pending) return;
    const { value } = this.pending;
    this.pending = null;
    this.running = true;
    this.job(value)
      .then((r) => this.onResult(r, value))
      .catch((e: unknown) => this.onError(e))
      .finally(() => {
        this.running = false;
        if (this.pending && this.timer === null) this.pump();
      });
  }
}
