import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LatestOnly } from "../src/renderScheduler";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("preview render scheduling", () => {
  it("debounces, keeps one render in flight and renders the latest text after it", async () => {
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
    );
    s.request("a");
    s.request("ab");
    await vi.advanceTimersByTimeAsync(39);
    expect(started).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toEqual(["ab"]);
    s.request("abc");
    s.request("abcd");
    await vi.advanceTimersByTimeAsync(100);
    expect(started).toEqual(["ab"]); // still in flight
    finish[0]();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(["ab", "abcd"]); // only the newest, right away
    finish[1]();
    await vi.advanceTimersByTimeAsync(0);
    expect(results).toEqual(["<p>ab</p>", "<p>abcd</p>"]);
    expect(maxRunning).toBe(1);
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
