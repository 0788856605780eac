import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localInputToRfc3339, relativeTime, rfc3339ToLocalInput } from "../src/time";

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
