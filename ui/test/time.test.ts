import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { RELATIVE_REFRESH_MS, keepRelativeTimesFresh, localInputToRfc3339, refreshRelativeTimes, relativeTime, rfc3339ToLocalInput } from "../src/time";

let savedTz: string | undefined;
beforeAll(() => {
  savedTz = process.env.TZ;
  process.env.TZ = "Europe/Berlin";
});
afterAll(() => {
  process.env.TZ = savedTz;
});

describe("datetime-local ↔ RFC 3339", () => {
  it("adds the local offset in force on that date (winter and summer time)", () => {
    expect(localInputToRfc3339("2026-11-26T09:30")).toBe("2026-11-26T09:30:00+01:00");
    expect(localInputToRfc3339("2026-07-01T18:05")).toBe("2026-07-01T18:05:00+02:00");
    expect(localInputToRfc3339("2026-07-01T18:05:42")).toBe("2026-07-01T18:05:42+02:00");
  });

  it("empty or half-typed values give null", () => {
    expect(localInputToRfc3339("")).toBeNull();
    expect(localInputToRfc3339("2026-11-26")).toBeNull();
  });

  it("reads RFC 3339 back into local time for the field", () => {
    expect(rfc3339ToLocalInput("2026-11-26T09:30:00+01:00")).toBe("2026-11-26T09:30");
    expect(rfc3339ToLocalInput("2026-11-26T08:30:00Z")).toBe("2026-11-26T09:30");
    expect(rfc3339ToLocalInput("not a date")).toBe("");
    expect(rfc3339ToLocalInput(null)).toBe("");
  });

  it("round-trips", () => {
    for (const v of ["2026-03-29T01:59", "2026-10-25T03:30", "2027-01-01T00:00"]) {
      expect(rfc3339ToLocalInput(localInputToRfc3339(v))).toBe(v);
    }
  });
});

describe("relative time", () => {
  const now = Date.UTC(2026, 10, 26, 12, 0, 0);
  it("reads like a person", () => {
    expect(relativeTime(now - 10_000, now)).toBe("just now");
    expect(relativeTime(now - 5 * 60_000, now)).toBe("5 min ago");
    expect(relativeTime(now - 3 * 3_600_000, now)).toBe("3 h ago");
    expect(relativeTime(now - 26 * 3_600_000, now)).toBe("yesterday");
    expect(relativeTime(now - 4 * 86_400_000, now)).toBe("4 days ago");
  });
});

describe("relative times that move on", () => {
  afterEach(() => {
    vi.useRealTimers();
    document.body.replaceChildren();
  });

  const stamp = (ms: number) => {
    const t = document.createElement("time");
    t.setAttribute("datetime", new Date(ms).toISOString());
    t.textContent = relativeTime(ms, ms);
    return t;
  };

  it("refreshRelativeTimes rewrites every time[datetime] under the root", () => {
    const now = Date.parse("2026-12-02T12:00:00Z");
    const root = document.createElement("div");
    const a = stamp(now - 3 * 60_000);
    const b = stamp(now - 2 * 3_600_000);
    const bad = document.createElement("time");
    bad.setAttribute("datetime", "nonsense");
    bad.textContent = "kept";
    root.append(a, b, bad);
    expect(refreshRelativeTimes(root, "time[datetime]", now)).toBe(3);
    expect([a.textContent, b.textContent, bad.textContent]).toEqual(["3 min ago", "2 h ago", "kept"]);
  });

  it("once a minute while shown; not while the root is hidden; stops when told", () => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse("2026-12-02T12:00:00Z"));
    const root = document.createElement("div");
    const t = stamp(Date.now());
    root.append(t);
    document.body.append(root);
    const stop = keepRelativeTimesFresh(root);
    expect(t.textContent).toBe("just now");
    vi.advanceTimersByTime(3 * RELATIVE_REFRESH_MS);
    expect(t.textContent).toBe("3 min ago");
    root.hidden = true;
    vi.advanceTimersByTime(2 * RELATIVE_REFRESH_MS);
    expect(t.textContent).toBe("3 min ago");
    root.hidden = false;
    vi.advanceTimersByTime(RELATIVE_REFRESH_MS);
    expect(t.textContent).toBe("6 min ago");
    stop();
    vi.advanceTimersByTime(10 * RELATIVE_REFRESH_MS);
    expect(t.textContent).toBe("6 min ago");
  });
});
