import { describe, expect, it } from "vitest";
import { EditorState } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { history, undo } from "@codemirror/commands";
import { initialsOf, insertComment, scanMarks, suggestEdit, suggestFilter } from "../src/suggest";

/** Applies the edit to the text and shows the cursor as `|`. */
function run(text: string, from: number, to: number, insert: string, forward = false): string {
  const e = suggestEdit(text, from, to, insert, forward);
  const out = text.slice(0, e.from) + e.insert + text.slice(e.to);
  return `${out.slice(0, e.cursor)}|${out.slice(e.cursor)}`;
}

/** `|` marks the cursor (or `[` `]` a selection) in `before`. */
function at(before: string): { text: string; from: number; to: number } {
  if (before.includes("[")) {
    const from = before.indexOf("[");
    const to = before.indexOf("]") - 1;
    return { text: before.replace("[", "").replace("]", ""), from, to };
  }
  const p = before.indexOf("|");
  return { text: before.replace("|", ""), from: p, to: p };
}

const type = (before: string, s: string) => {
  const { text, from } = at(before);
  return run(text, from, from, s);
};
const backspace = (before: string) => {
  const { text, from, to } = at(before);
  return from === to ? run(text, from - 1, from, "") : run(text, from, to, "");
};
const del = (before: string) => {
  const { text, from } = at(before);
  return run(text, from, from + 1, "", true);
};
const replace = (before: string, s: string) => {
  const { text, from, to } = at(before);
  return run(text, from, to, s);
};

describe("suggest mode: the transformation", () => {
  it.each([
    ["typing in plain text opens an insertion", () => type("a |b", "x"), "a {++x|++}b"],
    ["typing inside my insertion extends it", () => type("a {++x|++}b", "y"), "a {++xy|++}b"],
    ["typing right after an insertion extends it", () => type("a {++x++}|b", "y"), "a {++xy|++}b"],
    ["typing right before an insertion extends it", () => type("a |{++x++}b", "y"), "a {++y|x++}b"],
    ["typing inside a deletion goes after it", () => type("a {--o|ld--} b", "x"), "a {--old--}{++x|++} b"],
    ["typing inside a highlight with its comment goes after both", () => type("{==f|ig==}{>>AK: ?<<} z", "x"), "{==fig==}{>>AK: ?<<}{++x|++} z"],
    ["typing in a comment is plain", () => type("{>>AK: chec|<<}", "k"), "{>>AK: check|<<}"],
    ["typing in a substitution's new text is plain", () => type("{~~a~>b|~~}", "c"), "{~~a~>bc|~~}"],
    ["backspace on plain text strikes it", () => backspace("ab|c"), "a|{--b--}c"],
    ["backspace before a deletion extends it", () => backspace("ab|{--c--}d"), "a|{--bc--}d"],
    ["backspace after a deletion strikes the character before it", () => backspace("ab{--c--}|d"), "a|{--bc--}d"],
    ["delete on plain text strikes it", () => del("a|bc"), "a{--b--}|c"],
    ["delete after a deletion extends it", () => del("{--a--}|bc"), "{--ab--}|c"],
    ["backspace inside my insertion just removes the character", () => backspace("{++ab|++}"), "{++a|++}"],
    ["backspace after my insertion removes its last character", () => backspace("x {++ab++}| y"), "x {++a|++} y"],
    ["deleting all of my insertion removes the mark", () => backspace("x {++a|++} y"), "x | y"],
    ["deleting a selection strikes it", () => backspace("a [bc] d"), "a |{--bc--} d"],
    ["replacing a selection is a substitution", () => replace("on [Tuesday] at", "W"), "on {~~Tuesday~>W|~~} at"],
    ["replacing inside my insertion is plain", () => replace("{++a[bc]++}", "x"), "{++ax|++}"],
    ["a selection across a mark is left alone", () => backspace("a[b {++c++}] d"), "a|b {++c++} d"],
  ])("%s", (_name, f, expected) => {
    expect(f()).toBe(expected);
  });

  it("reads marks without nesting, across lines but not blank lines", () => {
    expect(scanMarks("{++a {++b++} c++}").map((m) => [m.kind, m.start, m.end])).toEqual([["insertion", 0, 12]]);
    expect(scanMarks("{++a\n\nb++}")).toEqual([]);
    expect(scanMarks("\\{++a++}")).toEqual([]);
    expect(scanMarks("{~~x~>y~~}")[0].zone).toEqual([6, 7]);
  });

  it("initials from the user's name", () => {
    expect(initialsOf("Ana Kovač")).toBe("AK");
    expect(initialsOf("Édith Moreau")).toBe("ÉM");
    expect(initialsOf("Omar Al Haddad Jr")).toBe("OAH");
    expect(initialsOf("")).toBe("");
  });
});

describe("suggest mode in CodeMirror", () => {
  function view(doc: string, on = true) {
    return new EditorView({
      state: EditorState.create({ doc, extensions: [history(), EditorState.transactionFilter.of((tr) => (on ? suggestFilter(tr) : tr))] }),
    });
  }

  it("turns typed text into an insertion and keeps extending it; undo takes it back", () => {
    const v = view("Talks stall.\n\nNext.");
    v.dispatch({ changes: { from: 5, insert: " s" }, selection: { anchor: 7 }, userEvent: "input.type" });
    expect(v.state.doc.toString()).toBe("Talks{++ s++} stall.\n\nNext.");
    const head = v.state.selection.main.head;
    v.dispatch({ changes: { from: head, insert: "o" }, selection: { anchor: head + 1 }, userEvent: "input.type" });
    expect(v.state.doc.toString()).toBe("Talks{++ so++} stall.\n\nNext.");
    undo(v);
    expect(v.state.doc.toString()).toBe("Talks stall.\n\nNext.");
  });

  it("leaves changes that are not typing alone (reloads, metadata)", () => {
    const v = view("abc");
    v.dispatch({ changes: { from: 0, insert: "x" }, userEvent: "input.metadata" });
    v.dispatch({ changes: { from: 0, insert: "y" } });
    expect(v.state.doc.toString()).toBe("yxabc");
  });

  it("Comment wraps the selection and puts the cursor in the comment", () => {
    const v = view("the figure is", false);
    v.dispatch({ selection: { anchor: 4, head: 10 } });
    insertComment(v, "AK");
    expect(v.state.doc.toString()).toBe("the {==figure==}{>>AK: <<} is");
    expect(v.state.selection.main.head).toBe("the {==figure==}{>>AK: ".length);
  });
});
