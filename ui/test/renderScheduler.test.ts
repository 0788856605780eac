import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LatestOnly } from "../src/renderScheduler";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("preview render scheduling", () => {
  it("runs a lone request at once, throttles a burst and keeps one render in flight", async () => {
    const started: string[] = [];
    const finish: (() => void)[] = [];
    let running = 0;
    let maxRunning = 0;
    const results: string[] = [];
    const s = new LatestOnly<string, string>(
      (text) => {
        started.push(text);
        running++;
        maxRunning = Math.max(maxRunning, running);
        return new Promise((resolve) =>
          finish.push(() => {
            running--;
            resolve(`<p>${text}</p>`);
          }),
        );
      },
      (html) => results.push(html),
      () => {},
      40,
      () => Date.now(),
    );
    s.request("a");
    expect(started).toEqual(["a"]); // no debounce for a single keystroke
    s.request("ab");
    s.request("abc");
    await vi.advanceTimersByTimeAsync(100);
    expect(started).toEqual(["a"]); // still in flight: the newest waits
    finish[0]();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(["a", "abc"]); // only the newest, right away (the gap has passed)
    s.request("abcd");
    await vi.advanceTimersByTimeAsync(0);
    finish[1]();
    await vi.advanceTimersByTimeAsync(39);
    expect(started).toEqual(["a", "abc"]); // within the gap after the last start
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toEqual(["a", "abc", "abcd"]);
    finish[2]();
    await vi.advanceTimersByTimeAsync(0);
    expect(results).toEqual(["<p>a</p>", "<p>abc</p>", "<p>abcd</p>"]);
    expect(maxRunning).toBe(1);
  });

  it("renders at once again after a quiet spell", async () => {
    const started: string[] = [];
    const s = new LatestOnly<string, string>(
      async (t) => {
        started.push(t);
        return t;
      },
      () => {},
      () => {},
      40,
      () => Date.now(),
    );
    s.request("x");
    await vi.advanceTimersByTimeAsync(200);
    s.request("xy");
    expect(started).toEqual(["x", "xy"]);
    s.request("xyz");
    expect(started).toEqual(["x", "xy"]);
    await vi.advanceTimersByTimeAsync(40);
    expect(started).toEqual(["x", "xy", "xyz"]);
  });

  it("drops what is pending on cancel", async () => {
    const started: string[] = [];
    const s = new LatestOnly<string, string>(
      async (t) => {
        started.push(t);
        return t;
      },
      () => {},
      () => {},
      40,
      () => Date.now(),
    );
    s.request("a");
    s.request("b");
    s.cancel();
    await vi.advanceTimersByTimeAsync(100);
    expect(started).toEqual(["a"]);
  });

  it("keeps going after a failed render", async () => {
    const errors: unknown[] = [];
    let n = 0;
    const s = new LatestOnly<string, string>(
      async (t) => {
        if (n++ === 0) throw new Error("boom");
        return t;
      },
      () => {},
      (e) => errors.push(e),
      10,
    );
    s.request("x");
    await vi.advanceTimersByTimeAsync(10);
    s.now("y");
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toHaveLength(1);
    expect(n).toBe(2);
  });
});
