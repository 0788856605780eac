import { describe, expect, it } from "vitest";
import { PUBLISH_SHORTCUT, buildActions, type ActionTarget } from "../src/actions";

/** Keys the input method takes before the page sees them (GTK on Linux: Unicode entry). */
const TAKEN_BY_INPUT_METHOD = ["Mod+Shift+U"];

const noop = new Proxy({}, { get: () => () => undefined }) as ActionTarget;

describe("shortcuts", () => {
  const actions = buildActions(noop);

  it("are all different", () => {
    const keys = actions.filter((a) => a.shortcut).map((a) => a.shortcut!.toLowerCase());
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("take none of the input method's keys; Publish is Ctrl+Alt+P", () => {
    for (const a of actions) expect(TAKEN_BY_INPUT_METHOD).not.toContain(a.shortcut);
    expect(actions.find((a) => a.id === "publish")!.shortcut).toBe(PUBLISH_SHORTCUT);
    expect(PUBLISH_SHORTCUT).toBe("Mod+Alt+P");
  });
});
