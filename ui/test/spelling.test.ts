import { afterEach, describe, expect, it, vi } from "vitest";
import type { EditorView } from "@codemirror/view";
import { Editor } from "../src/editor";
import { flaggedWords, SPELL_DELAY_MS, type SpellChecker } from "../src/spelling";
import { ipc } from "../src/ipc";
import { openSettings } from "../src/settings";
import { calls, fakeIpc, q, qa, settings, useWindowHarness } from "./harness";

const FRONT = "---\ntitle: Teh boxes\nauthor: Ana Kovač\n---\n";
const BODY = "The port moved teh boxes.\n\nKovač said recieve.\n";

const editors: Editor[] = [];

/** A checker like the core's, over a fixed word list, that records what it was sent. */
function fakeChecker(known: Set<string>, names: string[] = []) {
  const sent: { text: string; names: string[] }[] = [];
  const learnt: string[] = [];
  const checker: SpellChecker = {
    check: async (text, ns) => {
      sent.push({ text, names: ns });
      const out: { from: number; to: number }[] = [];
      for (const m of text.matchAll(/\p{L}+/gu)) {
        const w = m[0];
        if (known.has(w.toLowerCase()) || ns.some((n) => n.split(/\s+/).includes(w))) continue;
        out.push({ from: m.index, to: m.index + w.length });
      }
      return out;
    },
    suggest: async (word) => (word === "teh" ? ["the", "ten"] : []),
    learn: async (word) => {
      learnt.push(word);
      known.add(word.toLowerCase());
    },
    names: () => names,
  };
  return { checker, sent, learnt };
}

const WORDS = ["the", "port", "moved", "boxes", "said"];

function make(text: string, checker: SpellChecker): { editor: Editor; view: EditorView } {
  const host = document.createElement("div");
  document.body.append(host);
  const editor = new Editor(host, { onChange: () => undefined, spelling: checker });
  editor.load(text);
  editors.push(editor);
  return { editor, view: editor.view };
}

afterEach(() => {
  for (const e of editors.splice(0)) e.view.destroy();
  document.body.replaceChildren();
  vi.useRealTimers();
});

async function settle(ms = 0): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await vi.advanceTimersByTimeAsync(0);
}

describe("spelling in the editor", () => {
  it("checks the whole body when a draft opens, not the front matter, and leaves the byline's names alone", async () => {
    vi.useFakeTimers();
    const { checker, sent } = fakeChecker(new Set(WORDS), ["Ana Kovač"]);
    const { view } = make(FRONT + BODY, checker);
    await settle();
    expect(sent).toEqual([{ text: BODY, names: ["Ana Kovač"] }]);
    expect(flaggedWords(view.state).map((w) => w.word)).toEqual(["teh", "recieve"]);
    // drawn as squiggles
    expect(view.contentDOM.querySelectorAll(".cm-misspelled").length).toBe(2);
    // WebKit's own checker is off on the text (it would mark only words typed)
    expect(view.contentDOM.getAttribute("spellcheck")).toBe("false");
    // (and the text tells assistive tech what Tab does and how to leave)
    const described = document.getElementById(view.contentDOM.getAttribute("aria-describedby")!);
    expect(described?.textContent).toContain("Escape and then Tab");
  });

  it("after an edit, checks again only the lines it touched, once typing pauses", async () => {
    vi.useFakeTimers();
    const { checker, sent } = fakeChecker(new Set(WORDS));
    const { view } = make(BODY, checker);
    await settle();
    sent.length = 0;
    const end = view.state.doc.line(3).to;
    view.dispatch({ changes: { from: end, insert: " Wrold" }, userEvent: "input.type" });
    view.dispatch({ changes: { from: end + 6, insert: "s" }, userEvent: "input.type" });
    await settle(SPELL_DELAY_MS - 50);
    expect(sent).toEqual([]);
    await settle(100);
    expect(sent.map((s) => s.text)).toEqual(["Kovač said recieve. Wrolds"]);
    expect(flaggedWords(view.state).map((w) => w.word)).toEqual(["teh", "Kovač", "recieve", "Wrolds"]);
    // a fixed word loses its squiggle
    const teh = flaggedWords(view.state)[0];
    view.dispatch({ changes: { from: teh.from, to: teh.to, insert: "the" }, userEvent: "input.type" });
    await settle(SPELL_DELAY_MS);
    expect(flaggedWords(view.state).map((w) => w.word)).toEqual(["Kovač", "recieve", "Wrolds"]);
  });

  it("drops an answer for a text that changed meanwhile, and checks again", async () => {
    vi.useFakeTimers();
    const known = new Set(WORDS);
    let release: (() => void) | null = null;
    const { checker } = fakeChecker(known);
    const slow: SpellChecker = {
      ...checker,
      check: (text, names) =>
        new Promise((resolve) => {
          release = () => void checker.check(text, names).then(resolve);
        }),
    };
    const { view } = make("teh\n", slow);
    await settle();
    view.dispatch({ changes: { from: 0, to: 3, insert: "the" }, userEvent: "input.type" });
    release!();
    await settle();
    expect(flaggedWords(view.state)).toEqual([]);
    await settle(SPELL_DELAY_MS);
    release!();
    await settle();
    expect(flaggedWords(view.state)).toEqual([]);
  });

  it("the menu replaces with a suggestion, learns a word for every place, or ignores it", async () => {
    vi.useFakeTimers();
    const { checker, learnt } = fakeChecker(new Set(WORDS));
    const { editor, view } = make("teh port, teh boxes. Kovač.\n", checker);
    await settle();
    view.dispatch({ selection: { anchor: 1 } });
    expect(editor.spellingMenu()).toBe(true);
    await settle();
    const menu = document.querySelector<HTMLElement>('[data-testid="spell-menu"]')!;
    expect(menu.getAttribute("role")).toBe("menu");
    const items = [...menu.querySelectorAll<HTMLButtonElement>("button")].map((b) => b.textContent);
    expect(items).toEqual(["the", "ten", "Add to dictionary", "Ignore"]);
    // the first suggestion has the focus; Escape closes and gives it back to the text
    expect(document.activeElement?.textContent).toBe("the");
    menu.querySelector<HTMLButtonElement>(".spell-suggestion")!.click();
    expect(editor.getText()).toBe("the port, teh boxes. Kovač.\n");
    expect(document.querySelector('[data-testid="spell-menu"]')).toBeNull();
    await settle(SPELL_DELAY_MS);
    expect(flaggedWords(view.state).map((w) => w.word)).toEqual(["teh", "Kovač"]);

    // Add to dictionary: kept by the core, the squiggle gone at once
    const kovac = flaggedWords(view.state)[1];
    view.dispatch({ selection: { anchor: kovac.from + 2 } });
    editor.spellingMenu();
    document.querySelector<HTMLButtonElement>('[data-testid="spell-learn"]')!.click();
    await settle();
    expect(learnt).toEqual(["Kovač"]);
    expect(flaggedWords(view.state).map((w) => w.word)).toEqual(["teh"]);

    // Ignore: gone from the text's squiggles, not learnt
    view.dispatch({ selection: { anchor: flaggedWords(view.state)[0].from } });
    editor.spellingMenu();
    document.querySelector<HTMLButtonElement>('[data-testid="spell-ignore"]')!.click();
    expect(flaggedWords(view.state)).toEqual([]);
    expect(learnt).toEqual(["Kovač"]);

    // no flagged word at the caret: no menu
    view.dispatch({ selection: { anchor: 5 } });
    expect(editor.spellingMenu()).toBe(false);
  });

  it("the keyboard's menu key opens the menu for the word at the caret", async () => {
    vi.useFakeTimers();
    const { checker } = fakeChecker(new Set(WORDS));
    const { view } = make("the teh port\n", checker);
    await settle();
    view.dispatch({ selection: { anchor: 5 } });
    const e = new MouseEvent("contextmenu", { button: 0, bubbles: true, cancelable: true });
    view.contentDOM.dispatchEvent(e);
    expect(e.defaultPrevented).toBe(true);
    expect(document.querySelector('[data-testid="spell-menu"]')!.getAttribute("aria-label")).toBe("Spelling of ‘teh’");
    // Escape closes it and the text has the focus again
    document.querySelector('[data-testid="spell-menu"]')!.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(document.querySelector('[data-testid="spell-menu"]')).toBeNull();
    // on a word that is not flagged, the ordinary menu
    view.dispatch({ selection: { anchor: 1 } });
    const plain = new MouseEvent("contextmenu", { button: 0, bubbles: true, cancelable: true });
    view.contentDOM.dispatchEvent(plain);
    expect(plain.defaultPrevented).toBe(false);
  });

  it("checks everything again when asked (another language)", async () => {
    vi.useFakeTimers();
    const known = new Set(WORDS);
    const { checker, sent } = fakeChecker(known);
    const { editor, view } = make(BODY, checker);
    await settle();
    known.add("teh");
    editor.recheckSpelling();
    await settle();
    expect(sent.length).toBe(2);
    expect(sent[1].text).toBe(BODY);
    expect(flaggedWords(view.state).map((w) => w.word)).toEqual(["Kovač", "recieve"]);
  });
});

describe("Settings → Spelling language", () => {
  useWindowHarness();

  it("lists the system's dictionaries, follows the system by default, and saves the choice", async () => {
    const fake = fakeIpc((cmd, args) => {
      if (cmd === "spell_languages") return { available: ["en_GB", "en_US"], current: "en_GB" };
      if (cmd === "portal_list") return [];
      if (cmd === "save_settings") return args.settings;
      return null;
    });
    const saved = vi.fn();
    openSettings(ipc, settings(), { saved, openFolder: async () => undefined });
    const select = q<HTMLSelectElement>("settings-spell-language");
    await vi.waitFor(() => expect(select.options.length).toBe(3));
    expect([...select.options].map((o) => o.value)).toEqual(["", "en_GB", "en_US"]);
    expect(select.options[0].textContent).toContain("en_GB"); // what "follow the system" comes to
    expect(select.value).toBe("");
    select.value = "en_US";
    q<HTMLFormElement>("settings-dialog").querySelector("form")!.requestSubmit();
    await vi.waitFor(() => expect(saved).toHaveBeenCalled());
    expect(calls(fake, "save_settings")[0].args.settings).toMatchObject({ spell_language: "en_US" });

    // opened again with en_US chosen; back to the system's: no language sent
    saved.mockClear();
    openSettings(ipc, settings({ spell_language: "en_US" }), { saved, openFolder: async () => undefined });
    const again = qa("settings-spell-language").at(-1) as HTMLSelectElement;
    await vi.waitFor(() => expect(again.options.length).toBe(3));
    expect(again.value).toBe("en_US");
    again.value = "";
    (again.closest("form") as HTMLFormElement).requestSubmit();
    await vi.waitFor(() => expect(saved).toHaveBeenCalled());
    expect(calls(fake, "save_settings")[1].args.settings).not.toHaveProperty("spell_language");
  });
});
