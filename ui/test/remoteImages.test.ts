import { beforeEach, describe, expect, it, vi } from "vitest";
import { REMOTE_IMAGES_KEY, RemoteImageChoices, RemoteImagesBar, heldMessage } from "../src/remoteImages";

beforeEach(() => localStorage.clear());

describe("RemoteImageChoices", () => {
  it("holds back by default and remembers a draft's choice across instances until revoked", () => {
    expect(new RemoteImageChoices().allowed("world/a.md")).toBe(false);
    new RemoteImageChoices().allow("world/a.md");
    const c = new RemoteImageChoices();
    expect(c.allowed("world/a.md")).toBe(true);
    expect(c.allowed("world/b.md")).toBe(false);
    c.revoke("world/a.md");
    expect(new RemoteImageChoices().allowed("world/a.md")).toBe(false);
  });

  it("follows a rename, forgets the oldest past the limit, and ignores junk in storage", () => {
    localStorage.setItem(REMOTE_IMAGES_KEY, JSON.stringify(["a.md", 7, { x: 1 }, "b.md"]));
    const c = new RemoteImageChoices(REMOTE_IMAGES_KEY, 2);
    expect(c.allowed("a.md") && c.allowed("b.md")).toBe(true);
    c.move("a.md", "moved/a.md");
    expect(c.allowed("a.md")).toBe(false);
    expect(c.allowed("moved/a.md")).toBe(true);
    c.allow("c.md");
    expect(c.allowed("b.md")).toBe(false); // the oldest went
    expect(new RemoteImageChoices(REMOTE_IMAGES_KEY, 2).allowed("moved/a.md")).toBe(true);
    localStorage.setItem(REMOTE_IMAGES_KEY, "{not json");
    expect(new RemoteImageChoices().allowed("moved/a.md")).toBe(false);
  });
});

describe("RemoteImagesBar", () => {
  it("says how many images from which hosts were held back, and offers to load them", () => {
    const allow = vi.fn();
    const revoke = vi.fn();
    const bar = new RemoteImagesBar({ allow, revoke });
    expect(bar.element.hidden).toBe(true);
    bar.show(3, ["cdn.example", "intranet.local"], false);
    expect(bar.element.hidden).toBe(false);
    expect(bar.element.textContent).toContain("3 remote images not loaded (from cdn.example, intranet.local) — they would tell those servers who opened this draft");
    const button = bar.element.querySelector("button")!;
    expect(button.textContent).toBe("Load remote images for this draft");
    button.click();
    expect(allow).toHaveBeenCalledOnce();
    expect(revoke).not.toHaveBeenCalled();
  });

  it("offers to stop when the draft loads them, and hides when there is nothing to say", () => {
    const revoke = vi.fn();
    const bar = new RemoteImagesBar({ allow: vi.fn(), revoke });
    bar.show(0, [], true);
    expect(bar.element.hidden).toBe(false);
    bar.element.querySelector("button")!.click();
    expect(revoke).toHaveBeenCalledOnce();
    bar.show(0, [], false);
    expect(bar.element.hidden).toBe(true);
    bar.show(1, ["a.example"], false);
    bar.hide();
    expect(bar.element.hidden).toBe(true);
  });

  it("words one image and many hosts", () => {
    expect(heldMessage(1, ["a.example"])).toBe("1 remote image not loaded (from a.example) — it would tell that server who opened this draft");
    expect(heldMessage(6, ["a", "b", "c", "d", "e", "f"])).toContain("(from a, b, c, d and 2 more)");
  });
});
