/**
 * One open draft and its way to disk: autosave after a pause, `base_hash` chaining, never
 * two saves in flight, and what happens when the file changed under us.
 */
import type { Ipc, OpenedDraft, SaveOutcome } from "./ipc";
import { describeError } from "./ipc";

export type SaveState = "saved" | "saving" | "unsaved" | "conflict" | "error";

export const SAVE_STATE_LABELS: Record<SaveState, string> = {
  saved: "Saved",
  saving: "Saving…",
  unsaved: "Unsaved",
  conflict: "Conflict",
  error: "Not saved",
};

/** The editor, as the session sees it. */
export interface TextSurface {
  getText(): string;
  /** `getText().length`, when the surface knows it without making the text (the editor
   * does: a keystroke then does not put a long draft together to see that it changed). */
  textLength?(): number;
  /** Replaces the text without counting as the user's edit (keeps the cursor where it can). */
  replaceText(text: string): void;
}

export type ConflictReason =
  | { kind: "save"; keptAs: string } // our save found a different file on disk; mine was kept as a copy
  | { kind: "disk" } // another program changed the file while we had unsaved edits
  | { kind: "deleted" }; // another program deleted the file

export interface SessionEvents {
  state?(state: SaveState): void;
  conflict?(reason: ConflictReason): void;
  error?(message: string): void;
  saved?(outcome: SaveOutcome): void;
  pathChanged?(path: string): void;
}

export const AUTOSAVE_DELAY_MS = 800;

export class DraftSession {
  path: string;
  baseHash: string;
  /** The text the file holds as far as we know (last read or saved). */
  savedText: string;
  state: SaveState = "saved";
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<void> | null = null;
  private again = false;
  private conflicted = false;
  private reason: ConflictReason | null = null;
  private closed = false;

  constructor(
    opened: Pick<OpenedDraft, "path" | "text" | "hash">,
    private readonly surface: TextSurface,
    private readonly ipc: Pick<Ipc, "saveDraft" | "readDraft" | "resolveConflict">,
    private readonly events: SessionEvents = {},
    private readonly delayMs = AUTOSAVE_DELAY_MS,
  ) {
    this.path = opened.path;
    this.baseHash = opened.hash;
    this.savedText = opened.text;
  }

  get inConflict(): boolean {
    return this.conflicted;
  }

  get saving(): boolean {
    return this.inFlight !== null;
  }

  isDirty(): boolean {
    // another length is another text: no need to read it
    if (this.surface.textLength && this.surface.textLength() !== this.savedText.length) return true;
    return this.surface.getText() !== this.savedText;
  }

  /** The user changed the text: save after a pause. */
  edited(): void {
    if (this.closed) return;
    if (this.conflicted) return; // nothing is written until the conflict is resolved
    this.setState(this.isDirty() ? "unsaved" : this.inFlight ? "saving" : "saved");
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.save();
    }, this.delayMs);
  }

  /** Saves now (Ctrl+S, blur, close); resolves once the text is on disk or cannot be. */
  async flush(): Promise<void> {
    this.clearTimer();
    await this.save();
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private save(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    if (this.conflicted || this.closed || !this.isDirty()) {
      if (!this.conflicted && !this.closed && this.state !== "error") this.setState("saved");
      return Promise.resolve();
    }
    this.inFlight = this.saveLoop().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async saveLoop(): Promise<void> {
    do {
      this.again = false;
      const text = this.surface.getText();
      if (text === this.savedText || this.conflicted) break;
      this.setState("saving");
      let outcome: SaveOutcome;
      try {
        outcome = await this.ipc.saveDraft(this.path, text, this.baseHash);
        if (!outcome || typeof outcome !== "object" || !("kind" in outcome)) throw new Error("save_draft gave no answer");
      } catch (e) {
        this.setState("error");
        this.events.error?.(describeError(e));
        return;
      }
      if (outcome.kind === "conflict") {
        this.enterConflict({ kind: "save", keptAs: outcome.kept_as });
        return;
      }
      this.baseHash = outcome.hash;
      this.savedText = text;
      if (outcome.path !== this.path) {
        this.path = outcome.path;
        this.events.pathChanged?.(outcome.path);
      }
      this.events.saved?.(outcome);
    } while (this.again && this.isDirty());
    if (!this.conflicted) this.setState(this.isDirty() ? "unsaved" : "saved");
  }

  /** Something else (a restore) found the file changed under us. */
  markConflict(reason: ConflictReason): void {
    this.enterConflict(reason);
  }

  private enterConflict(reason: ConflictReason): void {
    this.clearTimer();
    this.conflicted = true;
    this.reason = reason;
    this.setState("conflict");
    this.events.conflict?.(reason);
  }

  /**
   * Another program changed the file. Without unsaved edits the editor takes the new text;
   * with them the user decides (conflict).
   */
  async changedOnDisk(): Promise<"reloaded" | "conflict" | "same"> {
    if (this.conflicted) return "conflict";
    if (this.inFlight) await this.inFlight.catch(() => undefined);
    if (this.isDirty()) {
      this.enterConflict({ kind: "disk" });
      return "conflict";
    }
    const theirs = await this.ipc.readDraft(this.path);
    if (this.closed) return "same";
    // the user may have typed while we were reading
    if (this.isDirty()) {
      this.enterConflict({ kind: "disk" });
      return "conflict";
    }
    this.baseHash = theirs.hash;
    if (theirs.text === this.savedText) return "same";
    this.savedText = theirs.text;
    this.surface.replaceText(theirs.text);
    this.setState("saved");
    return "reloaded";
  }

  /** Another program deleted the file: nothing is written until the user decides. */
  deletedOnDisk(): void {
    if (this.closed) return;
    this.enterConflict({ kind: "deleted" });
  }

  get conflictReason(): ConflictReason | null {
    return this.conflicted ? this.reason : null;
  }

  /** The file on disk now, for Compare. */
  async theirText(): Promise<string> {
    return (await this.ipc.readDraft(this.path)).text;
  }

  /**
   * Keep mine: my text is written, theirs kept as a copy. Take theirs: the editor takes the
   * file's text, mine is kept as a copy.
   */
  async resolve(keep: "mine" | "theirs"): Promise<void> {
    this.clearTimer();
    if (this.inFlight) await this.inFlight.catch(() => undefined);
    const mine = this.surface.getText();
    let outcome: SaveOutcome;
    try {
      outcome = await this.ipc.resolveConflict(this.path, keep, mine);
    } catch (e) {
      this.events.error?.(describeError(e));
      throw e;
    }
    if (outcome.kind === "conflict") {
      this.enterConflict({ kind: "save", keptAs: outcome.kept_as });
      return;
    }
    this.conflicted = false;
    this.reason = null;
    if (outcome.path !== this.path) {
      this.path = outcome.path;
      this.events.pathChanged?.(outcome.path);
    }
    if (keep === "mine") {
      this.baseHash = outcome.hash;
      this.savedText = mine;
    } else {
      const theirs = await this.ipc.readDraft(this.path);
      this.baseHash = theirs.hash;
      this.savedText = theirs.text;
      this.surface.replaceText(theirs.text);
    }
    this.events.saved?.(outcome);
    this.setState(this.isDirty() ? "unsaved" : "saved");
    if (this.isDirty()) this.edited();
  }

  /**
   * Closing the window or switching drafts: save what is unsaved. In a conflict nothing is
   * overwritten: mine is kept as a conflict copy beside theirs.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.clearTimer();
    if (this.conflicted) {
      const mine = this.surface.getText();
      if (this.reason?.kind === "deleted") {
        // unsaved words in a draft deleted on disk: bring the file back rather than lose them
        if (mine !== this.savedText) await this.ipc.resolveConflict(this.path, "mine", mine);
      } else if (mine !== this.savedText) {
        await this.ipc.resolveConflict(this.path, "theirs", mine);
      }
    } else {
      await this.save();
      if (this.state === "error") throw new Error("the draft could not be saved");
    }
    this.closed = true;
  }

  /** Stops without saving (the window is going away some other way, or tests). */
  dispose(): void {
    this.clearTimer();
    this.closed = true;
  }

  /** The file was saved by us elsewhere (restore): adopt its text and hash. */
  adopt(text: string, hash: string): void {
    this.baseHash = hash;
    this.savedText = text;
    this.conflicted = false;
    this.reason = null;
    this.setState(this.isDirty() ? "unsaved" : "saved");
  }

  private setState(state: SaveState): void {
    if (this.state === state) return;
    this.state = state;
    this.events.state?.(state);
  }
}
