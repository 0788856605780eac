import { describe, expect, it } from "vitest";
import { DraftsPane, needsMyAction } from "../src/draftsPane";
import { ipc, type Role } from "../src/ipc";
import { page, summary } from "./fixtures";
import { calls, fakeIpc, useWindowHarness } from "./harness";

useWindowHarness();

describe("Needs my action", () => {
  it("is the role's own filter", () => {
    expect(needsMyAction("reporter", " Ana Kovač ").filter).toEqual({ status: "changes-requested", without_conflict_copies: true, author: "Ana Kovač" });
    expect(needsMyAction("reporter", "").filter).toEqual({ status: "changes-requested", without_conflict_copies: true });
    expect(needsMyAction("editor", "Ed").filter).toEqual({ status: "in-review", without_conflict_copies: true });
    expect(needsMyAction("desk", "Dana").filter).toEqual({ status: "approved", without_conflict_copies: true });
  });

  it("lists what waits for the user, with the other filters, and follows a role change at once", async () => {
    const fake = fakeIpc((cmd, args) => (cmd === "list_drafts" ? page([summary({ status: "changes-requested" })], args) : null));
    const who: { role: Role; userName: string } = { role: "reporter", userName: "Ana Kovač" };
    const pane = new DraftsPane(ipc, { open: () => {}, newDraft: () => {}, error: () => {}, who: () => who });
    document.body.append(pane.element);
    pane.setVocabulary(["World"], []);
    const button = pane.element.querySelector<HTMLButtonElement>('[data-testid="filter-mine"]')!;
    const status = pane.element.querySelector<HTMLSelectElement>('[data-testid="filter-status"]')!;
    const category = pane.element.querySelector<HTMLSelectElement>('[data-testid="filter-category"]')!;
    expect(button.hidden).toBe(false);
    expect(button.getAttribute("aria-pressed")).toBe("false");
    status.value = "draft";
    category.value = "World";
    button.click();
    expect(button.getAttribute("aria-pressed")).toBe("true");
    expect(status.disabled).toBe(true);
    expect(button.title).toContain("changes requested");
    const last = () => calls(fake, "list_drafts").at(-1)!.args.filter;
    await expect.poll(last).toEqual({ status: "changes-requested", without_conflict_copies: true, author: "Ana Kovač", category: "World" });

    // Settings → Role: editor — what waits for an editor, without pressing again
    who.role = "editor";
    pane.roleChanged();
    await expect.poll(last).toEqual({ status: "in-review", without_conflict_copies: true, category: "World" });
    expect(button.title).toBe("Drafts waiting for your review");

    // released: the status filter is back
    button.click();
    expect(status.disabled).toBe(false);
    await expect.poll(last).toEqual({ status: "draft", category: "World" });
  });

  it("is not offered where nobody is known", () => {
    const pane = new DraftsPane(ipc, { open: () => {}, newDraft: () => {}, error: () => {} });
    expect(pane.element.querySelector<HTMLButtonElement>('[data-testid="filter-mine"]')!.hidden).toBe(true);
  });
});
