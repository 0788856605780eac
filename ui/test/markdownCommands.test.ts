import { afterEach, describe, expect, it } from "vitest";
import { EditorSelection, EditorState } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { insertLink, setHeading, toggleLinePrefix, toggleWrap } from "../src/markdownCommands";
import { minimalChange } from "../src/textChange";

let view: EditorView | null = null;
afterEach(() => {
  view?.destroy();
  view = null;
});

function editor(doc: string, from: number, to = from) {
  view = new EditorView({ state: EditorState.create({ doc, selection: EditorSelection.single(from, to) }) });
  return view;
}

describe("formatting commands", () => {
  it("bold wraps the selection and unwraps it again", () => {
    const v = editor("Talks stall", 6, 11);
    toggleWrap(v, "**");
    expect(v.state.doc.toString()).toBe("Talks **stall**");
    expect(v.state.sliceDoc(v.state.selection.main.from, v.state.selection.main.to)).toBe("stall");
    toggleWrap(v, "**");
    expect(v.state.doc.toString()).toBe("Talks stall");
  });

  it("italic on an empty selection leaves the cursor between the markers", () => {
    const v = editor("a ", 2);
    toggleWrap(v, "_");
    expect(v.state.doc.toString()).toBe("a __");
    expect(v.state.selection.main.head).toBe(3);
  });

  it("link puts the selection in brackets and selects the URL", () => {
    const v = editor("see the report", 4, 14);
    insertLink(v);
    expect(v.state.doc.toString()).toBe("see [the report](https://)");
    const sel = v.state.selection.main;
    expect(v.state.sliceDoc(sel.from, sel.to)).toBe("https://");
  });

  it("headings replace an existing level and toggle off", () => {
    const v = editor("### Talks", 2);
    setHeading(v, 2);
    expect(v.state.doc.toString()).toBe("## Talks");
    setHeading(v, 2);
    expect(v.state.doc.toString()).toBe("Talks");
  });

  it("quote and list prefix every selected line, and toggle off", () => {
    const v = editor("one\ntwo\nthree", 0, 7);
    toggleLinePrefix(v, "> ");
    expect(v.state.doc.toString()).toBe("> one\n> two\nthree");
    const w = editor("> one\n> two", 0, 11);
    toggleLinePrefix(w, "> ");
    expect(w.state.doc.toString()).toBe("one\ntwo");
    const l = editor("a\nb", 0, 3);
    toggleLinePrefix(l, "- ");
    expect(l.state.doc.toString()).toBe("- a\n- b");
  });
});

describe("text helpers", () => {
  it("minimalChange touches only the changed middle", () => {
    expect(minimalChange("status: draft\nBody", "status: approved\nBody")).toEqual({ from: 8, to: 13, insert: "approved" });
    expect(minimalChange("same", "same")).toBeNull();
    expect(minimalChange("", "new")).toEqual({ from: 0, to: 0, insert: "new" });
    // never splits a surrogate pair
    const c = minimalChange("a😀b", "a😃b")!;
    expect(c.from).toBe(1);
    expect(c.insert).toBe("😃");
  });
});

describe("front matter in the editor", () => {
  it("is one FrontMatter block, not a setext heading", async () => {
    const { draftLanguage } = await import("../src/markdownFrontMatter");
    const names = (doc: string) => {
      const tree = draftLanguage.parser.parse(doc);
      const out: string[] = [];
      tree.iterate({ enter: (n) => void out.push(n.name) });
      return out;
    };
    const doc = "---\ntitle: Minsk\ntags: [a]\n---\nBody text.\n";
    const found = names(doc);
    expect(found).toContain("FrontMatter");
    expect(found).not.toContain("SetextHeading2");
    expect(found).toContain("Paragraph");
    // an unclosed fence is an ordinary rule, as the Rust side reads it
    expect(names("---\ntitle: x\n")).not.toContain("FrontMatter");
    expect(names("Text\n---\n")).not.toContain("FrontMatter");
  });
});

describe("line endings", () => {
  it("a CRLF draft stays CRLF through the editor, typing included", async () => {
    const { Editor } = await import("../src/editor");
    const host = document.createElement("div");
    document.body.append(host);
    const ed = new Editor(host, { onChange: () => {} });
    ed.load("---\r\ntitle: a\r\n---\r\nBody\r\n");
    expect(ed.getText()).toBe("---\r\ntitle: a\r\n---\r\nBody\r\n");
    const v = ed.view;
    v.dispatch({ selection: { anchor: v.state.doc.length } });
    v.dispatch(v.state.replaceSelection(`${v.state.lineBreak}More`));
    expect(ed.getText().endsWith("\r\nMore")).toBe(true);
    expect(ed.getText()).not.toMatch(/[^\r]\n/);
    ed.load("LF\nonly\n");
    expect(ed.getText()).toBe("LF\nonly\n");
    v.destroy();
  });
});

describe("setText on a CRLF draft", () => {
  it("replaces only what changed and keeps CRLF", async () => {
    const { Editor } = await import("../src/editor");
    const host = document.createElement("div");
    document.body.append(host);
    const ed = new Editor(host, { onChange: () => {} });
    ed.load("---\r\nstatus: draft\r\n---\r\nBody one\r\nBody two\r\n");
    ed.view.dispatch({ selection: { anchor: ed.view.state.doc.length - 3 } });
    ed.setText("---\r\nstatus: in-review\r\ntags:\r\n  - a\r\n---\r\nBody one\r\nBody two\r\n", false);
    expect(ed.getText()).toBe("---\r\nstatus: in-review\r\ntags:\r\n  - a\r\n---\r\nBody one\r\nBody two\r\n");
    // the cursor stayed in "Body two", three characters from the end
    expect(ed.view.state.doc.length - ed.view.state.selection.main.head).toBe(3);
    ed.view.destroy();
  });
});
