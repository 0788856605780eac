import { beforeEach, describe, expect, it } from "vitest";
import { DraftPlaces, PLACES_KEY } from "../src/draftPlaces";

beforeEach(() => localStorage.clear());

describe("DraftPlaces", () => {
  it("remembers per path, across instances (localStorage)", () => {
    new DraftPlaces().set("a.md", { anchor: 5, head: 9, top: 3 });
    expect(new DraftPlaces().get("a.md")).toEqual({ anchor: 5, head: 9, top: 3 });
    expect(new DraftPlaces().get("b.md")).toBeNull();
  });

  it("forgets the least recently used past the limit", () => {
    const p = new DraftPlaces(PLACES_KEY, 2);
    p.set("a.md", { anchor: 1, head: 1, top: 0 });
    p.set("b.md", { anchor: 2, head: 2, top: 0 });
    p.set("a.md", { anchor: 3, head: 3, top: 0 }); // used again: newest
    p.set("c.md", { anchor: 4, head: 4, top: 0 });
    expect(p.get("b.md")).toBeNull();
    expect(new DraftPlaces(PLACES_KEY, 2).get("a.md")).toEqual({ anchor: 3, head: 3, top: 0 });
  });

  it("follows a rename and ignores junk in storage", () => {
    localStorage.setItem(
      PLACES_KEY,
      JSON.stringify([
        ["a.md", { anchor: 1, head: 2, top: 3 }],
        ["x.md", { anchor: -1, head: 0, top: 0 }],
        ["y.md", "nope"],
        [7, { anchor: 1, head: 1, top: 1 }],
      ]),
    );
    const p = new DraftPlaces();
    expect(p.get("x.md")).toBeNull();
    expect(p.get("y.md")).toBeNull();
    expect(p.get("constructor")).toBeNull();
    p.set("__proto__", { anchor: 1, head: 1, top: 0 }); // a hostile file name is just a key
    expect(new DraftPlaces().get("__proto__")).toEqual({ anchor: 1, head: 1, top: 0 });
    p.move("a.md", "world/a.md");
    expect(p.get("a.md")).toBeNull();
    expect(p.get("world/a.md")).toEqual({ anchor: 1, head: 2, top: 3 });
    localStorage.setItem(PLACES_KEY, "{not json");
    expect(new DraftPlaces().get("world/a.md")).toBeNull();
  });
});
