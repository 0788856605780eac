import { describe, expect, it, vi } from "vitest";
import { emit } from "@tauri-apps/api/event";
import type { App } from "../src/app";
import { PLACES_KEY } from "../src/draftPlaces";
import { page, summary, workspace } from "./fixtures";
import { fakeIpc, openFromList, settings, startApp, typeAtCursor, useWindowHarness } from "./harness";

/** The fake core's parse rule: a front matter holding `[oops` does not parse (line 3). */
const broken = (text: string) => /^---\n[\s\S]*\[oops[\s\S]*\n---\n/.test(text);

const A_FRONT = "---\ntitle: Where the boxes went\nstatus: scheduled\ncategories: [Business]\n---\n";
const A = `${A_FRONT}${"Paragraph of the port story.\n\n".repeat(40)}`;
const B_FRONT = "---\ntitle: Ferries\nstatus: draft\n---\n";
const B = `${B_FRONT}Ferries ran late.\n`;
const GOOD_REV = `${A_FRONT}An older good version.\n`;

interface Disk {
  [path: string]: { text: string; hash: string };
}

function backend() {
  const disk: Disk = { "a.md": { text: A, hash: "a0" }, "b.md": { text: B, hash: "b0" } };
  const revisions: Record<number, string> = { 3: "---\ntitle: [oops\n---\nbad\n", 2: GOOD_REV, 1: A };
  let n = 0;
  const sum = (path: string, text: string) => summary({ path, title: path, error: broken(text) ? { line: 3, message: "did not find expected ',' or ']'" } : null });
  const fake = fakeIpc((cmd, args) => {
    const path = String(args.path ?? "");
    switch (cmd) {
      case "get_settings":
        return settings();
      case "open_workspace":
        return workspace([sum("a.md", disk["a.md"].text), sum("b.md", disk["b.md"].text)]);
      case "list_drafts":
        return page(
          Object.keys(disk).map((p) => sum(p, disk[p].text)),
          args,
        );
      case "read_draft":
        return { path, text: disk[path].text, hash: disk[path].hash, summary: sum(path, disk[path].text) };
      case "render_preview": {
        const text = String(args.text);
        return { html: "<article></article>", stats: { words: 1, characters: 1, reading_minutes: 1 }, error: broken(text) ? { line: 3, message: "did not find expected ',' or ']'" } : null };
      }
      case "save_draft":
        disk[path] = { text: String(args.text), hash: `s${++n}` };
        return { kind: "saved", hash: disk[path].hash, path };
      case "new_draft":
        disk["new.md"] = { text: "---\ntitle: New one\nstatus: draft\n---\n\n", hash: "n0" };
        return { path: "new.md", text: disk["new.md"].text, hash: "n0", summary: sum("new.md", disk["new.md"].text) };
      case "list_revisions":
        return [
          { id: 3, hash: disk[path].hash, created_ms: 3, source: "external", bytes: 1, words: 1 },
          { id: 2, hash: "r2", created_ms: 2, source: "save", bytes: 1, words: 1 },
          { id: 1, hash: "r1", created_ms: 1, source: "import", bytes: 1, words: 1 },
        ];
      case "revision_diff":
        // revision → current: the revision's lines as deleted, the current ones as inserted
        return [
          ...revisions[Number(args.id)].split("\n").map((text) => ({ tag: "delete", text })),
          ...String(args.text)
            .split("\n")
            .map((text) => ({ tag: "insert", text })),
        ];
      case "restore_revision":
        disk[path] = { text: revisions[Number(args.id)], hash: `rr${args.id}` };
        return { kind: "saved", hash: disk[path].hash, path };
      default:
        return null;
    }
  });
  return { calls: fake.calls, disk, fake };
}

useWindowHarness();

async function start() {
  const b = backend();
  const { app, mount } = await startApp();
  return { app, b, mount };
}

const clickOpen = (app: App, _mount: HTMLElement, path: string) => openFromList(app, path);

const type = (app: App, text: string) => typeAtCursor(app.editor, text);

const q = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);

describe("opening a draft", () => {
  it("puts the caret at the start of the body, with the focus in the editor", async () => {
    const { app, mount, b } = await start();
    await clickOpen(app, mount, "a.md");
    expect(app.editor.view.state.selection.main.head).toBe(A_FRONT.length);
    expect(document.activeElement).toBe(app.editor.view.contentDOM);
    expect(q("front-matter-line")!.textContent).toContain("3 fields");
    type(app, "Typed first. ");
    await app.saveNow();
    expect(b.disk["a.md"].text).toBe(`${A_FRONT}Typed first. ${A.slice(A_FRONT.length)}`);
  });

  it("comes back where the user left each draft, and never at the previous draft's scroll", async () => {
    const { app, mount } = await start();
    await clickOpen(app, mount, "a.md");
    const at = A_FRONT.length + 100;
    app.editor.view.dispatch({ selection: { anchor: at, head: at + 5 } });
    app.editor.view.scrollDOM.scrollTop = 400;
    await clickOpen(app, mount, "b.md");
    expect(app.editor.view.state.selection.main.head).toBe(B_FRONT.length);
    expect(app.editor.view.scrollDOM.scrollTop).toBe(0);
    const stored = new Map(JSON.parse(localStorage.getItem(PLACES_KEY)!) as [string, { anchor: number; head: number }][]);
    expect(stored.get("a.md")).toMatchObject({ anchor: at, head: at + 5 });
    await clickOpen(app, mount, "a.md");
    expect(app.editor.view.state.selection.main.anchor).toBe(at);
    expect(app.editor.view.state.selection.main.head).toBe(at + 5);
  });

  it("a remembered place survives a restart (localStorage)", async () => {
    localStorage.setItem(
      PLACES_KEY,
      JSON.stringify([
        ["a.md", { anchor: A_FRONT.length + 30, head: A_FRONT.length + 30, top: 0 }],
        ["junk", { anchor: "x" }],
      ]),
    );
    const { app, mount } = await start();
    await clickOpen(app, mount, "a.md");
    expect(app.editor.view.state.selection.main.head).toBe(A_FRONT.length + 30);
  });

  it("after New draft the editor has the focus, at the start of the body", async () => {
    const { app } = await start();
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "n", code: "KeyN", ctrlKey: true, bubbles: true, cancelable: true }));
    const input = q("new-draft-title") as HTMLInputElement;
    input.value = "New one";
    input.form!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(q("new-draft-dialog")).toBeNull());
    expect(app.current?.session.path).toBe("new.md");
    expect(document.activeElement).toBe(app.editor.view.contentDOM);
    expect(app.editor.view.state.selection.main.head).toBe("---\ntitle: New one\nstatus: draft\n---\n".length);
  });

  it("opening the open draft again (Ctrl+P, Enter on its row) gives the editor the focus", async () => {
    const { app, mount } = await start();
    await clickOpen(app, mount, "a.md");
    app.drafts.search.focus();
    await app.openPath("a.md");
    expect(document.activeElement).toBe(app.editor.view.contentDOM);
  });

  it("the folded line shows the document sidebar and puts the focus in its first field", async () => {
    const { app, mount } = await start();
    await clickOpen(app, mount, "a.md");
    app.layout.toggle("metadata", true);
    (q("front-matter-open") as HTMLButtonElement).click();
    expect(app.layout.isCollapsed("metadata")).toBe(false);
    expect(document.activeElement).toBe(q("meta-title"));
  });
});

describe("a front matter that stops parsing", () => {
  it("says so loudly with file and line, unfolds it, and restores the last good version", async () => {
    const { app, mount, b } = await start();
    await clickOpen(app, mount, "a.md");
    b.disk["a.md"] = { text: `---\ntitle: x\ncategories: [oops\n---\n${A.slice(A_FRONT.length)}`, hash: "bad" };
    await emit("drafts-changed", { changes: [{ kind: "changed", path: "a.md" }] });
    const banner = await vi.waitFor(() => {
      const el = q("draft-error-banner")!;
      expect(el.hidden).toBe(false);
      return el;
    });
    expect(banner.textContent).toContain("a.md:3: did not find expected ',' or ']'");
    expect(q("front-matter-line")).toBeNull(); // the YAML is there to be fixed
    expect((q("meta-title") as HTMLInputElement).disabled).toBe(true);
    // typing at the top is possible while it is broken
    app.editor.view.dispatch({ selection: { anchor: 4 } });
    expect(app.editor.view.state.selection.main.head).toBe(4);

    (q("restore-good") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(app.editor.getText()).toBe(GOOD_REV));
    // the newest revision is the broken file itself; the one after it parses
    expect(b.calls.filter((c) => c.cmd === "restore_revision").map((c) => c.args)).toEqual([{ path: "a.md", id: 2, base_hash: "bad" }]);
    await vi.waitFor(() => expect(banner.hidden).toBe(true));
    await vi.waitFor(() => expect(q("front-matter-line")).not.toBeNull());
    expect((q("meta-title") as HTMLInputElement).disabled).toBe(false);
    expect(app.editor.isProtected).toBe(true);
  });

  it("a draft that opens broken is plain text; fixed by typing, the banner goes and it folds at the next open", async () => {
    const { app, mount, b } = await start();
    b.disk["b.md"] = { text: "---\ntitle: [oops\n---\nBody\n", hash: "bb" };
    await clickOpen(app, mount, "b.md");
    expect(q("draft-error-banner")!.hidden).toBe(false);
    expect(app.editor.isProtected).toBe(false);
    const view = app.editor.view;
    view.dispatch({ changes: { from: 11, to: 16, insert: "Fixed" }, userEvent: "input.type" });
    await vi.waitFor(() => expect(q("draft-error-banner")!.hidden).toBe(true));
    expect(app.editor.isProtected).toBe(false); // not folded under the user's typing
    await app.saveNow();
    await clickOpen(app, mount, "a.md");
    await clickOpen(app, mount, "b.md");
    expect(app.editor.isProtected).toBe(true);
    expect(q("front-matter-line")).not.toBeNull();
  });

  it("says so when no earlier version parses", async () => {
    const { app, mount, b } = await start();
    b.disk["b.md"] = { text: "---\ntitle: [oops\n---\nBody\n", hash: "bb" };
    await clickOpen(app, mount, "b.md");
    b.fake.answer = (cmd, args) => {
      if (cmd === "list_revisions") return [{ id: 9, hash: "bb", created_ms: 1, source: "import", bytes: 1, words: 1 }];
      if (cmd === "render_preview") return { html: "", stats: { words: 0, characters: 0, reading_minutes: 0 }, error: { line: 2, message: "bad" } };
      return args && null;
    };
    (q("restore-good") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(q("draft-error-banner")!.textContent).toContain("No earlier version of this draft parses"));
  });
});
