import { afterEach, describe, expect, it, vi } from "vitest";
import { EditorSelection, Text } from "@codemirror/state";
import type { EditorView } from "@codemirror/view";
import { Editor } from "../src/editor";
import { frontMatterSpan } from "../src/protectedFrontMatter";

const FRONT = "---\ntitle: Where the boxes went\nstatus: scheduled\npublish_at: 2026-12-03T06:00:00+01:00\ncategories:\n  - Business\n  - World\n# kept comment\n---\n";
const BODY = "The port moved 2% fewer boxes.\n\nSecond paragraph.\n";
const DRAFT = FRONT + BODY;

const editors: Editor[] = [];

function make(text = DRAFT, opts: { plain?: boolean; crlf?: boolean } = {}): { editor: Editor; view: EditorView; opened: ReturnType<typeof vi.fn> } {
  const host = document.createElement("div");
  document.body.append(host);
  const opened = vi.fn();
  const editor = new Editor(host, { onChange: () => undefined, onOpenFrontMatter: opened });
  editor.load(opts.crlf ? text.replace(/\n/g, "\r\n") : text, opts.plain ?? false);
  editors.push(editor);
  return { editor, view: editor.view, opened };
}

afterEach(() => {
  for (const e of editors.splice(0)) e.view.destroy();
  document.body.replaceChildren();
});

/** What CodeMirror dispatches for typed text (its input handling). */
function type(view: EditorView, text: string): void {
  view.dispatch(view.state.update(view.state.replaceSelection(text), { userEvent: "input.type", scrollIntoView: true }));
}

/** A key through CodeMirror's keymaps, as the browser delivers it. */
function key(view: EditorView, k: string, mods: { ctrl?: boolean; shift?: boolean } = {}): boolean {
  const code = k.length === 1 ? `Key${k.toUpperCase()}` : k;
  const e = new KeyboardEvent("keydown", { key: k, code, ctrlKey: !!mods.ctrl, shiftKey: !!mods.shift, bubbles: true, cancelable: true });
  view.contentDOM.dispatchEvent(e);
  return e.defaultPrevented;
}

function paste(view: EditorView, text: string): void {
  const data = new DataTransfer();
  data.setData("text/plain", text);
  const e = new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true });
  view.contentDOM.dispatchEvent(e);
}

const front = (editor: Editor) => editor.getText().slice(0, FRONT.length);
const body = (editor: Editor) => editor.getText().slice(FRONT.length);

describe("frontMatterSpan", () => {
  it("finds the closing fence, counts the keys and where the body starts", () => {
    const doc = Text.of(DRAFT.split("\n"));
    const span = frontMatterSpan(doc)!;
    expect(span.fields).toBe(4);
    expect(span.bodyStart).toBe(FRONT.length);
    expect(span.fenceEnd).toBe(FRONT.length - 1);
  });

  it("has none without an opening fence, or when it is never closed", () => {
    expect(frontMatterSpan(Text.of(["Just a body", "---", "x"]))).toBeNull();
    expect(frontMatterSpan(Text.of(["---", "title: x", "no close"]))).toBeNull();
  });

  it("takes `...` as a closing fence and a file that ends at the fence", () => {
    const span = frontMatterSpan(Text.of(["---", "title: x", "..."]))!;
    expect(span.fenceEnd).toBe(16);
    expect(span.bodyStart).toBe(16);
  });
});

describe("the folded front matter", () => {
  it("shows one line naming the fields, which opens the sidebar", () => {
    const { view, opened } = make();
    const line = view.dom.querySelector<HTMLElement>('[data-testid="front-matter-line"]')!;
    expect(line).not.toBeNull();
    expect(line.textContent).toBe("Front matter · 4 fields — edit in the sidebar");
    expect(view.contentDOM.textContent).not.toContain("publish_at");
    line.querySelector("button")!.click();
    expect(opened).toHaveBeenCalledTimes(1);
  });

  it("opens with the caret at the start of the body", () => {
    const { view } = make();
    expect(view.state.selection.main.head).toBe(FRONT.length);
  });

  it("typing right after opening goes into the body", () => {
    const { editor, view } = make();
    type(view, "Now: ");
    expect(front(editor)).toBe(FRONT);
    expect(body(editor)).toBe(`Now: ${BODY}`);
  });

  it("typing with the caret put at position 0 goes to the start of the body", () => {
    const { editor, view } = make();
    // the selection cannot be put there: it lands at the body
    view.dispatch({ selection: { anchor: 0 } });
    expect(view.state.selection.main.head).toBe(FRONT.length);
    // a change at 0 (not through the caret) moves to the body too
    view.dispatch({ changes: { from: 0, insert: "Hello" }, userEvent: "input.type" });
    expect(front(editor)).toBe(FRONT);
    expect(body(editor)).toBe(`Hello${BODY}`);
    expect(view.state.selection.main.head).toBe(FRONT.length + 5);
  });

  it("Tab at the top indents the body's first line, not the fence", () => {
    const { editor, view } = make();
    expect(key(view, "Tab")).toBe(true);
    expect(front(editor)).toBe(FRONT);
    expect(body(editor).startsWith(" ") || body(editor).startsWith("\t")).toBe(true);
  });

  it("Backspace at the start of the body does nothing", () => {
    const { editor, view } = make();
    expect(key(view, "Backspace")).toBe(true);
    expect(key(view, "Backspace")).toBe(true);
    expect(editor.getText()).toBe(DRAFT);
    expect(view.state.selection.main.head).toBe(FRONT.length);
  });

  it("Ctrl+Backspace and Delete-line at the start of the body leave the front matter", () => {
    const { editor, view } = make();
    key(view, "Backspace", { ctrl: true });
    key(view, "k", { ctrl: true, shift: true }); // delete line
    expect(front(editor)).toBe(FRONT);
  });

  it("the arrow keys and Ctrl+Home do not take the caret into it", () => {
    const { view } = make();
    key(view, "ArrowUp");
    expect(view.state.selection.main.head).toBe(FRONT.length);
    key(view, "ArrowLeft");
    expect(view.state.selection.main.head).toBe(FRONT.length);
    view.dispatch({ selection: { anchor: FRONT.length + 10 } });
    key(view, "Home", { ctrl: true });
    expect(view.state.selection.main.head).toBe(FRONT.length);
    key(view, "ArrowUp", { shift: true });
    expect(view.state.selection.main.from).toBe(FRONT.length);
  });

  it("select-all then typing replaces the body only", () => {
    const { editor, view } = make();
    key(view, "a", { ctrl: true });
    expect(view.state.selection.main.from).toBe(FRONT.length);
    type(view, "X");
    expect(editor.getText()).toBe(`${FRONT}X`);
    expect(view.state.selection.main.head).toBe(FRONT.length + 1);
  });

  it("a selection reaching into it, typed over, replaces only its body part", () => {
    const { editor, view } = make();
    // made without the filter's help (as a mouse drag could try), then typed over
    view.dispatch({ changes: { from: 10, to: FRONT.length + 4, insert: "A" }, selection: EditorSelection.cursor(11), userEvent: "input.type" });
    expect(front(editor)).toBe(FRONT);
    expect(body(editor)).toBe(`A${BODY.slice(4)}`);
    expect(view.state.selection.main.head).toBe(FRONT.length + 1);
  });

  it("deleting or cutting a selection that reaches into it deletes the body part only", () => {
    const { editor, view } = make();
    view.dispatch({ changes: { from: 0, to: FRONT.length + 4 }, userEvent: "delete.cut" });
    expect(editor.getText()).toBe(FRONT + BODY.slice(4));
    view.dispatch({ changes: { from: 5, to: 20 }, userEvent: "delete.selection" });
    expect(editor.getText()).toBe(FRONT + BODY.slice(4));
  });

  it("paste goes to the body; pasted over everything keeps the front matter", () => {
    const { editor, view } = make();
    paste(view, "Pasted. ");
    expect(editor.getText()).toBe(`${FRONT}Pasted. ${BODY}`);
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: "All new" }, userEvent: "input.paste" });
    expect(editor.getText()).toBe(`${FRONT}All new`);
  });

  it("dropped text lands in the body", () => {
    const { editor, view } = make();
    const from = FRONT.length + 4;
    const to = from + 5;
    const dragged = view.state.sliceDoc(from, to);
    view.dispatch({
      changes: [
        { from, to },
        { from: 3, insert: dragged },
      ],
      userEvent: "input.drop",
    });
    expect(front(editor)).toBe(FRONT);
    expect(body(editor)).toBe(dragged + BODY.slice(0, 4) + BODY.slice(9));
  });

  it("undo after a blocked keystroke and a typed one keeps the front matter", () => {
    const { editor, view } = make();
    key(view, "Backspace");
    type(view, "ab");
    view.dispatch({ changes: { from: 0, to: 4 }, userEvent: "delete.selection" });
    key(view, "z", { ctrl: true });
    expect(front(editor)).toBe(FRONT);
    expect(body(editor)).toBe(BODY);
    key(view, "z", { ctrl: true, shift: true });
    expect(front(editor)).toBe(FRONT);
    expect(body(editor)).toBe(`ab${BODY}`);
  });

  it("lets the app's own edits through (the sidebar, a reload) and undo them", () => {
    const { editor, view } = make();
    type(view, "Typed. ");
    const edited = DRAFT.replace("status: scheduled", "status: draft").replace("The port", "Typed. The port");
    editor.setText(edited, false); // metadata sidebar
    expect(editor.getText()).toBe(edited);
    expect(view.dom.querySelector('[data-testid="front-matter-line"]')).not.toBeNull();
    key(view, "z", { ctrl: true });
    expect(editor.getText()).toBe(DRAFT.replace("The port", "Typed. The port"));
    const outside = DRAFT.replace("title: Where the boxes went", "title: Boxes\nauthor: Ana");
    editor.setText(outside, true); // reload from disk
    expect(editor.getText()).toBe(outside);
    expect(view.dom.querySelector('[data-testid="front-matter-line"]')!.textContent).toContain("5 fields");
  });

  it("suggest mode's tracked insert at the top still lands in the body", () => {
    const { editor, view } = make();
    editor.suggesting = true;
    view.dispatch({ changes: { from: 0, insert: "x" }, userEvent: "input.type" });
    expect(front(editor)).toBe(FRONT);
    expect(body(editor).startsWith("{++x++}") || body(editor).startsWith("x")).toBe(true);
  });

  it("replace-all in find and replace leaves the front matter", () => {
    const { editor, view } = make();
    view.dispatch({
      changes: [
        { from: 8, to: 13, insert: "X" },
        { from: FRONT.length + 4, to: FRONT.length + 8, insert: "Y" },
      ],
      userEvent: "input.replace.all",
    });
    expect(front(editor)).toBe(FRONT);
    expect(body(editor)).toBe("The Y moved 2% fewer boxes.\n\nSecond paragraph.\n");
  });

  it("a file that ends at the closing fence: typing starts the body on a new line", () => {
    const text = "---\ntitle: x\n---";
    const { editor, view } = make(text);
    expect(view.state.selection.main.head).toBe(text.length);
    type(view, "Hi");
    expect(editor.getText()).toBe(`${text}\nHi`);
    type(view, "!");
    expect(editor.getText()).toBe(`${text}\nHi!`);
  });

  it("keeps CRLF front matter byte for byte", () => {
    const { editor, view } = make(DRAFT, { crlf: true });
    key(view, "Backspace");
    key(view, "a", { ctrl: true });
    type(view, "New");
    expect(editor.getText()).toBe(`${FRONT.replace(/\n/g, "\r\n")}New`);
  });

  it("a draft without front matter is unaffected", () => {
    const { editor, view } = make(BODY);
    expect(view.dom.querySelector('[data-testid="front-matter-line"]')).toBeNull();
    expect(view.state.selection.main.head).toBe(0);
    type(view, "---\n");
    expect(editor.getText()).toBe(`---\n${BODY}`);
  });

  it("is off for a draft shown as plain text (its front matter does not parse)", () => {
    const broken = "---\ntitle: [unclosed\n---\nBody\n";
    const { editor, view } = make(broken, { plain: true });
    expect(view.dom.querySelector('[data-testid="front-matter-line"]')).toBeNull();
    view.dispatch({ selection: { anchor: 0 } });
    type(view, "#");
    expect(editor.getText()).toBe(`#${broken}`);
  });

  it("can be turned off and on again; on again, a caret inside goes to the body", () => {
    const { editor, view } = make();
    editor.setProtected(false);
    expect(view.dom.querySelector('[data-testid="front-matter-line"]')).toBeNull();
    view.dispatch({ selection: { anchor: 5 } });
    type(view, "z");
    expect(editor.getText().startsWith("---\ntzitle")).toBe(true);
    editor.setProtected(true);
    expect(view.dom.querySelector('[data-testid="front-matter-line"]')).not.toBeNull();
    expect(view.state.selection.main.head).toBe(FRONT.length + 1);
  });
});

describe("images dropped on the folded line", () => {
  it("go into the body, in the order dropped", async () => {
    const host = document.createElement("div");
    document.body.append(host);
    let n = 0;
    const editor = new Editor(host, { onChange: () => undefined, onImage: async () => `![](images/${++n}.png)` });
    editors.push(editor);
    editor.load(DRAFT);
    const files = [new File([new Uint8Array([1])], "a.png", { type: "image/png" }), new File([new Uint8Array([2])], "b.png", { type: "image/png" })];
    const event = new Event("drop", { bubbles: true, cancelable: true }) as DragEvent;
    Object.defineProperty(event, "dataTransfer", { value: { files, types: ["Files"], getData: () => "" } });
    Object.defineProperty(event, "clientX", { value: 0 });
    Object.defineProperty(event, "clientY", { value: 0 });
    vi.spyOn(editor.view, "posAtCoords").mockReturnValue(2); // inside the front matter
    editor.view.contentDOM.dispatchEvent(event);
    await vi.waitFor(() => expect(editor.getText()).toContain("2.png"));
    expect(editor.getText()).toBe(`${FRONT}![](images/1.png)![](images/2.png)${BODY}`);
  });
});

/** Hugo's other two front matter formats, as the core reads them (`draft::split`). */
const TOML = '+++\n# hugo new\ntitle = "Harbour strike"\ndate = 2026-11-29T07:30:00Z\nauthors = ["Dana", "Sam"]\n\n[params]\n  source = "wire"\n[params.extra]\n  x = 1\n+++\n';
const JSON_FM = '{\n  "title": "Council delays vote",\n  "tags": ["a", "b}"],\n  "params": {"x": "{"}\n}\n';

describe("TOML and JSON front matter", () => {
  it("finds a `+++` TOML block: keys before the first table, and each table once", () => {
    const span = frontMatterSpan(Text.of((TOML + BODY).split("\n")))!;
    expect(span.fields).toBe(4);
    expect(span.bodyStart).toBe(TOML.length);
    expect(frontMatterSpan(Text.of(["+++", 'title = "x"', "---", "no close"]))).toBeNull();
  });

  it("finds a leading JSON object, skipping braces inside strings", () => {
    const span = frontMatterSpan(Text.of((JSON_FM + BODY).split("\n")))!;
    expect(span.fields).toBe(3);
    expect(span.bodyStart).toBe(JSON_FM.length);
    expect(span.fenceEnd).toBe(JSON_FM.length - 1);
  });

  it("takes a template or braces in text, an unclosed object or text after `}` as body", () => {
    expect(frontMatterSpan(Text.of(["{{< figure src=x >}}", "Body"]))).toBeNull();
    expect(frontMatterSpan(Text.of(["{braces} in text"]))).toBeNull();
    expect(frontMatterSpan(Text.of(["{", '  "title": "x"', "Body"]))).toBeNull();
    expect(frontMatterSpan(Text.of(["{", '  "title": "x"', "} trailing", "Body"]))).toBeNull();
  });

  for (const [name, fm] of [
    ["TOML", TOML],
    ["JSON", JSON_FM],
  ] as const) {
    it(`${name}: typing at position 0, select-all and type, and Backspace keep it byte for byte`, () => {
      const { editor, view } = make(fm + BODY);
      expect(view.dom.querySelector('[data-testid="front-matter-line"]')).not.toBeNull();
      expect(view.state.selection.main.head).toBe(fm.length);
      view.dispatch({ changes: { from: 0, insert: "Hello" }, userEvent: "input.type" });
      expect(editor.getText()).toBe(fm + "Hello" + BODY);
      key(view, "a", { ctrl: true });
      type(view, "X");
      expect(editor.getText()).toBe(fm + "X");
      view.dispatch({ selection: { anchor: fm.length } });
      key(view, "Backspace");
      expect(editor.getText()).toBe(fm + "X");
    });
  }
});

describe("whether a change may have changed the front matter", () => {
  /** What the editor tells its owner about each change: `[frontMatter]` per change. */
  function told(text: string, opts: { plain?: boolean } = {}) {
    const host = document.createElement("div");
    document.body.append(host);
    const seen: boolean[] = [];
    const editor = new Editor(host, { onChange: (_user, _edit, frontMatter) => seen.push(frontMatter ?? true) });
    editor.load(text, opts.plain ?? false);
    editors.push(editor);
    return { editor, view: editor.view, seen };
  }

  it("a keystroke in the body does not reach it; one in it, or at the body's first character, does", () => {
    const { editor, view, seen } = told(DRAFT);
    view.dispatch({ changes: { from: DRAFT.length - 3, insert: "x" }, userEvent: "input.type" });
    view.dispatch({ changes: { from: FRONT.length + 4, to: FRONT.length + 5 }, userEvent: "delete.backward" });
    expect(seen).toEqual([false, false]);
    editor.setText(DRAFT.replace("scheduled", "draft"), false); // the sidebar's edit
    view.dispatch({ changes: { from: FRONT.length - 12, insert: "\n" }, userEvent: "input.type" });
    expect(seen).toEqual([false, false, true, true]);
  });

  it("without front matter: a change to the first line may open one, a change below may not", () => {
    const text = "# Headline\n\nBody.\n\nMore.\n";
    const { view, seen } = told(text);
    view.dispatch({ changes: { from: text.length - 2, insert: "x" }, userEvent: "input.type" });
    view.dispatch({ changes: { from: 0, insert: "---\n" }, userEvent: "input.type" });
    expect(seen).toEqual([false, true]);
  });

  it("a fence opened and not closed yet: any line may close it", () => {
    const text = "---\ntitle: a\n\nBody.\n";
    const { view, seen } = told(text);
    view.dispatch({ changes: { from: text.length - 1, insert: "\n---" }, userEvent: "input.type" });
    expect(seen).toEqual([true]);
  });

  it("a draft shown plain (its front matter does not parse): every change may", () => {
    const text = "---\ntitle: [unclosed\n---\nBody.\n";
    const { view, seen } = told(text, { plain: true });
    view.dispatch({ changes: { from: text.length - 1, insert: "x" }, userEvent: "input.type" });
    expect(seen).toEqual([true]);
  });
});

describe("the text's length", () => {
  it("is the length of the text with the file's own line breaks, without making it", () => {
    for (const crlf of [false, true]) {
      const { editor, view } = make(DRAFT, { crlf });
      expect(editor.textLength()).toBe(editor.getText().length);
      view.dispatch({ changes: { from: view.state.doc.length, insert: "\nOne more line." }, userEvent: "input.type" });
      expect(editor.textLength()).toBe(editor.getText().length);
    }
  });
});
