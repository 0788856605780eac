/**
 * Where the user left each draft (caret, selection and the line at the top of the editor),
 * so a draft opens where it was left — and never at the previous draft's scroll. Kept in
 * localStorage for this user on this computer; the oldest are forgotten past `limit`.
 */
import type { EditorPlace } from "./editor";

export const PLACES_KEY = "newsroom.draftPlaces";
const LIMIT = 200;

/** Path → place, in order of use (oldest first). A Map: a path is never an object key. */
type Stored = Map<string, EditorPlace>;

function valid(p: unknown): p is EditorPlace {
  if (!p || typeof p !== "object") return false;
  const o = p as Record<string, unknown>;
  return ["anchor", "head", "top"].every((k) => typeof o[k] === "number" && Number.isFinite(o[k]) && (o[k] as number) >= 0);
}

export class DraftPlaces {
  private readonly places: Stored;

  constructor(
    private readonly key = PLACES_KEY,
    private readonly limit = LIMIT,
  ) {
    this.places = this.read();
  }

  private read(): Stored {
    const out: Stored = new Map();
    try {
      const raw = JSON.parse(localStorage.getItem(this.key) ?? "[]") as unknown;
      if (!Array.isArray(raw)) return out;
      for (const entry of raw) {
        if (Array.isArray(entry) && typeof entry[0] === "string" && valid(entry[1])) out.set(entry[0], entry[1]);
      }
    } catch {
      // unreadable: start afresh
    }
    return out;
  }

  private write(): void {
    try {
      localStorage.setItem(this.key, JSON.stringify([...this.places]));
    } catch {
      // no storage (or full): remembered for this session only
    }
  }

  get(path: string): EditorPlace | null {
    return this.places.get(path) ?? null;
  }

  set(path: string, place: EditorPlace): void {
    // re-inserted last: the Map's order is the order of use
    this.places.delete(path);
    this.places.set(path, { anchor: place.anchor, head: place.head, top: place.top });
    for (const old of this.places.keys()) {
      if (this.places.size <= this.limit) break;
      this.places.delete(old);
    }
    this.write();
  }

  /** The draft was renamed (its title changed its file name, or it moved on disk). */
  move(from: string, to: string): void {
    const p = this.get(from);
    if (!p) return;
    this.places.delete(from);
    this.set(to, p);
  }
}
