import { describe, expect, it } from "vitest";
import { progressLine } from "../src/publishPanel";

describe("publish progress in the reporter's words", () => {
  it("says which post will change before anything is sent", () => {
    expect(progressLine({ step: "plan", post_id: 42, summary: "updates post 42, «Minsk talks resume»" })).toEqual({
      key: "plan",
      text: "Updates post 42, «Minsk talks resume»",
    });
    expect(progressLine({ step: "plan", post_id: null, summary: "creates a new post «Minsk talks resume»" }).text).toBe("Creates a new post «Minsk talks resume»");
  });
});
