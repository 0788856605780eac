import { describe, expect, it } from "vitest";
import { isConflictCopy, publishedElsewhere, statusLabel, statusNote } from "../src/workflowLabels";
import { draftItem } from "../src/draftsPane";
import { summary } from "./fixtures";

describe("workflow labels", () => {
  it("recognises the conflict copies the core names (files::conflict_copy_path)", () => {
    for (const p of ["minsk.conflict-20261126-093000.md", "world/minsk.conflict-20261126-093000-2.md", "a.conflict-20261126-093000-17.markdown"]) {
      expect(isConflictCopy(p), p).toBe(true);
    }
    for (const p of [
      "minsk.md",
      "conflict-resolution-talks.md",
      "world/minsk.conflict-2026-11-26.md",
      "minsk.conflict-20261126-0930.md",
      "minsk.conflict-20261126-093000-.md",
      "minsk.conflict-20261126-093000",
    ]) {
      expect(isConflictCopy(p), p).toBe(false);
    }
  });

  it("a published status without a portal post reads as published elsewhere", () => {
    expect(publishedElsewhere("published", null)).toBe(true);
    expect(publishedElsewhere("published", 42)).toBe(false);
    expect(publishedElsewhere("approved", null)).toBe(false);
    expect(statusLabel("published", null)).toBe("Published elsewhere");
    expect(statusLabel("published", 42)).toBe("Published");
    expect(statusNote("world/minsk.md", "approved", null)).toBeNull();
    expect(statusNote("world/minsk.conflict-20261126-093000.md", "approved", null)).toContain("Conflict copy");
  });

  it("the drafts list badges a conflict copy and a piece published elsewhere", () => {
    const copy = draftItem(summary({ path: "world/minsk.conflict-20261126-093000.md", status: "approved" }), null, false);
    expect(copy.querySelector('[data-testid="conflict-copy-badge"]')?.textContent).toBe("Conflict copy");
    const original = draftItem(summary({ status: "approved" }), null, false);
    expect(original.querySelector('[data-testid="conflict-copy-badge"]')).toBeNull();
    const elsewhere = draftItem(summary({ status: "published", portal_post_id: null }), null, false);
    expect(elsewhere.querySelector(".badge")?.textContent).toBe("Published elsewhere");
    expect(elsewhere.querySelector(".badge")?.classList.contains("badge-elsewhere")).toBe(true);
    const real = draftItem(summary({ status: "published", portal_post_id: 7, portal_link: "https://portal.example/x" }), null, false);
    expect(real.querySelector(".badge")?.textContent).toBe("Published");
  });
});
