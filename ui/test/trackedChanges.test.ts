import { describe, expect, it } from "vitest";
import { EditorState } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { ensureSyntaxTree } from "@codemirror/language";
import { draftLanguage } from "../src/markdownFrontMatter";
import { trackedChanges } from "../src/trackedChanges";
import { scanCritic } from "../src/critic";

function view(doc: string): EditorView {
  const state = EditorState.create({ doc, extensions: [draftLanguage, trackedChanges()] });
  ensureSyntaxTree(state, state.doc.length, 5000);
  const v = new EditorView({ state, parent: document.body });
  return v;
}

const texts = (v: EditorView, cls: string) => Array.from(v.contentDOM.querySelectorAll(`.${cls}`)).map((e) => e.textContent);

describe("tracked changes in the editor", () => {
  it("finds a mark typed a character at a time, or joined by a deletion, in a text that had none", () => {
    const v = view("Talks resumed on Monday.\n\nThe end.");
    const at = "Talks ".length;
    for (const [i, ch] of [..."{++new++}"].entries()) v.dispatch({ changes: { from: at + i, insert: ch } });
    expect(texts(v, "cm-nr-ins")).toEqual(["new"]);
    // an opener made by taking out what stood between its characters
    const w = view("A {+x+ b++} c.");
    expect(texts(w, "cm-nr-ins")).toEqual([]);
    w.dispatch({ changes: { from: 4, to: 5 } });
    expect(texts(w, "cm-nr-ins")).toEqual([" b"]);
    v.destroy();
    w.destroy();
  });

  it("colours insertions, deletions, both sides of a substitution, highlights and comments", () => {
    const v = view("Talks {++resumed++} on {--Monday--} {~~at 9~>at 10~~}, {==the figure==}{>>EM: source?<<} {>>AK: check<<}.");
    expect(texts(v, "cm-nr-ins")).toEqual(["resumed", "at 10"]);
    expect(texts(v, "cm-nr-del")).toEqual(["Monday", "at 9"]);
    expect(texts(v, "cm-nr-hl")).toEqual(["the figure"]);
    // comments, the cursor elsewhere: notes with their author's initials
    expect(texts(v, "cm-nr-note-initials")).toEqual(["EM", "AK"]);
    expect(texts(v, "cm-nr-note-text")).toEqual(["source?", "check"]);
    expect(texts(v, "cm-nr-comment")).toEqual([]);
    // the delimiters are dimmed, still there to edit
    expect(texts(v, "cm-nr-delim")).toContain("{++");
    expect(v.state.doc.toString()).toContain("{++resumed++}");
    v.destroy();
  });

  it("a comment shows its own text to edit while the cursor is at it, a note again after", () => {
    const doc = "Talks {==stall==}{>>EM: source?<<} today {>>plain note<<}.";
    const v = view(doc);
    expect(texts(v, "cm-nr-note-text")).toEqual(["source?", "plain note"]);
    v.dispatch({ selection: { anchor: doc.indexOf("source") } });
    expect(texts(v, "cm-nr-comment")).toEqual(["EM: source?"]);
    expect(texts(v, "cm-nr-initials-text")).toEqual(["EM:"]);
    expect(texts(v, "cm-nr-note-text")).toEqual(["plain note"]);
    v.dispatch({ selection: { anchor: 0 } });
    expect(texts(v, "cm-nr-comment")).toEqual([]);
    expect(texts(v, "cm-nr-note-text")).toEqual(["source?", "plain note"]);
    // a click on a note puts the cursor in the comment, after the initials
    const note = v.contentDOM.querySelector(".cm-nr-note")!;
    note.dispatchEvent(new MouseEvent("mousedown", { bubbles: true, cancelable: true, button: 0 }));
    expect(v.state.selection.main.head).toBe(doc.indexOf("source"));
    expect(texts(v, "cm-nr-comment")).toEqual(["EM: source?"]);
    expect(v.state.doc.toString()).toBe(doc);
    v.destroy();
  });

  it("shows a suggestion's signature as its author's initials", () => {
    const v = view("a {++b++}{>>AK:<<} c {--d--}{>>ÉM:<<}");
    const badges = Array.from(v.contentDOM.querySelectorAll(".cm-nr-initials"));
    expect(badges.map((b) => b.textContent)).toEqual(["AK", "ÉM"]);
    expect(badges[0].getAttribute("title")).toBe("Suggested by AK");
    expect(v.contentDOM.textContent).not.toContain("{>>AK:<<}");
    expect(v.state.doc.toString()).toContain("{>>AK:<<}");
    v.destroy();
  });

  it("marks across paragraphs and nested marks are coloured; code is not", () => {
    const v = view("Keep.\n\n{--Gone one.\n\nGone two.--}\n\n{++foo{--bat--}bar++} `{++code++}`\n");
    expect(texts(v, "cm-nr-del").join("|")).toContain("Gone one.");
    expect(texts(v, "cm-nr-del").join("|")).toContain("Gone two.");
    expect(v.contentDOM.querySelector(".cm-nr-ins .cm-nr-del")?.textContent).toBe("bat");
    expect(texts(v, "cm-nr-ins").join("|")).not.toContain("code");
    v.destroy();
  });

  it("re-reads the marks as the text changes", () => {
    const v = view("plain");
    expect(texts(v, "cm-nr-ins")).toEqual([]);
    v.dispatch({ changes: { from: 5, insert: " {++new++}" } });
    expect(texts(v, "cm-nr-ins")).toEqual(["new"]);
    v.destroy();
  });
});

describe("the editor's CriticMarkup reader pairs as the core does", () => {
  const shape = (t: string) => scanCritic(t).map((m) => [m.kind, t.slice(m.start, m.end), m.depth]);
  it.each([
    [
      "nested",
      "{++a {--b--} c++}",
      [
        ["insertion", "{++a {--b--} c++}", 0],
        ["deletion", "{--b--}", 1],
      ],
    ],
    ["crossed: the first to close wins", "{++a {--b++} c--}", [["insertion", "{++a {--b++}", 0]]],
    ["a closer alone is text", "a++} {++b++}", [["insertion", "{++b++}", 0]]],
    ["across a blank line", "{--a\n\nb--}", [["deletion", "{--a\n\nb--}", 0]]],
    [
      "attached comment",
      "{==x==}{>>AK: y<<} {>>z<<}",
      [
        ["highlight", "{==x==}{>>AK: y<<}", 0],
        ["comment", "{>>z<<}", 0],
      ],
    ],
    ["substitution without ~> is text", "{~~a~~}", []],
    ["comments are opaque", "{>>a {++b<<} c++}", [["comment", "{>>a {++b<<}", 0]]],
  ])("%s", (_name, text, expected) => {
    expect(shape(text)).toEqual(expected);
  });

  it("stops nesting at MAX_DEPTH, as the core", () => {
    const deep = `${"{--".repeat(20)}x${"--}".repeat(20)}`;
    expect(scanCritic(deep)).toHaveLength(8);
  });
});
