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

  it("reads marks as the core pairs them: nested, across blank lines, `\\{` literal", () => {
    expect(scanMarks("{++a {++b++} c++}").map((m) => [m.kind, m.start, m.end, m.depth])).toEqual([
      ["insertion", 0, 17, 0],
      ["insertion", 5, 12, 1],
    ]);
    expect(scanMarks("{++a\n\nb++}").map((m) => [m.start, m.end])).toEqual([[0, 10]]);
    expect(scanMarks("{++a {--b++} c--}").map((m) => [m.kind, m.end])).toEqual([["insertion", 12]]);
    expect(scanMarks("\\{++a++}")).toEqual([]);
    expect(scanMarks("{~~x~>y~~}")[0].zone).toEqual([6, 7]);
    const [signed] = scanMarks("{++x++}{>>AK:<<}");
    expect([signed.end, signed.close, signed.author, signed.commentZone]).toEqual([16, 7, "AK", [10, 13]]);
  });

  it("initials from the user's name", () => {
    expect(initialsOf("Ana Kovač")).toBe("AK");
    expect(initialsOf("Édith Moreau")).toBe("ÉM");
    expect(initialsOf("Omar Al Haddad Jr")).toBe("OAH");
    expect(initialsOf("")).toBe("");
  });
});

describe("suggest mode signs with the user's initials", () => {
  const sign = (f: (text: string, from: number, to: number, insert: string, forward?: boolean) => string) => f;
  const run2 = (text: string, from: number, to: number, insert: string, forward = false) => {
    const e = suggestEdit(text, from, to, insert, forward, "AK");
    const out = text.slice(0, e.from) + e.insert + text.slice(e.to);
    return `${out.slice(0, e.cursor)}|${out.slice(e.cursor)}`;
  };
  const typeAK = (before: string, s: string) => {
    const { text, from } = at(before);
    return sign(run2)(text, from, from, s);
  };
  const backspaceAK = (before: string) => {
    const { text, from, to } = at(before);
    return from === to ? run2(text, from - 1, from, "") : run2(text, from, to, "");
  };
  const delAK = (before: string) => {
    const { text, from } = at(before);
    return run2(text, from, from + 1, "", true);
  };
  const replaceAK = (before: string, s: string) => {
    const { text, from, to } = at(before);
    return run2(text, from, to, s);
  };

  it.each([
    ["typing opens a signed insertion", () => typeAK("a |b", "x"), "a {++x|++}{>>AK:<<}b"],
    ["typing on extends it", () => typeAK("a {++x|++}{>>AK:<<}b", "y"), "a {++xy|++}{>>AK:<<}b"],
    ["typing right after my signed insertion extends it", () => typeAK("a {++x++}{>>AK:<<}|b", "y"), "a {++xy|++}{>>AK:<<}b"],
    ["typing right after a colleague's starts my own", () => typeAK("a {++x++}{>>EM:<<}|b", "y"), "a {++x++}{>>EM:<<}{++y|++}{>>AK:<<}b"],
    ["typing in the signature is plain", () => typeAK("{++x++}{>>AK:|<<}", " ok"), "{++x++}{>>AK: ok|<<}"],
    ["backspace strikes, signed", () => backspaceAK("ab|c"), "a|{--b--}{>>AK:<<}c"],
    ["backspace before my deletion extends it", () => backspaceAK("ab|{--c--}{>>AK:<<}d"), "a|{--bc--}{>>AK:<<}d"],
    ["backspace after my deletion strikes the character before it", () => backspaceAK("ab{--c--}{>>AK:<<}|d"), "a|{--bc--}{>>AK:<<}d"],
    ["delete after my deletion extends it", () => delAK("{--a--}{>>AK:<<}|bc"), "{--ab--}{>>AK:<<}|c"],
    ["delete before my deletion takes the next character in", () => delAK("x|{--a--}{>>AK:<<}bc"), "x{--ab--}{>>AK:<<}|c"],
    ["backspace after my signed insertion takes its last character", () => backspaceAK("x {++ab++}{>>AK:<<}| y"), "x {++a|++}{>>AK:<<} y"],
    ["deleting all of my insertion removes it and its signature", () => backspaceAK("x {++a|++}{>>AK:<<} y"), "x | y"],
    ["a selection replaced is a signed substitution", () => replaceAK("on [Tuesday] at", "W"), "on {~~Tuesday~>W|~~}{>>AK:<<} at"],
    ["deleting across paragraphs is one deletion over them", () => backspaceAK("One [para.\n\nTwo] more"), "One |{--para.\n\nTwo--}{>>AK:<<} more"],
    ["deleting a paragraph break", () => backspaceAK("One.[\n\n]Two."), "One.|{--\n\n--}{>>AK:<<}Two."],
    ["pasting paragraphs over a selection", () => replaceAK("a [b] c", "New.\n\nMore."), "a {~~b~>New.\n\nMore.|~~}{>>AK:<<} c"],
    ["typing inside a deletion across paragraphs goes after it", () => typeAK("{--a\n\nb|c--} d", "x"), "{--a\n\nbc--}{++x|++}{>>AK:<<} d"],
  ])("%s", (_name, f, expected) => {
    expect(f()).toBe(expected);
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

  it("a selection deleted across paragraphs becomes one signed deletion, seen whole while typing after it", () => {
    const v = new EditorView({
      state: EditorState.create({ doc: "Keep.\n\nGone one.\n\nGone two.\n\nKept.", extensions: [history(), EditorState.transactionFilter.of((tr) => suggestFilter(tr, "AK"))] }),
    });
    const from = "Keep.\n\n".length;
    const to = "Keep.\n\nGone one.\n\nGone two.\n\n".length;
    v.dispatch({ changes: { from, to }, userEvent: "delete.selection" });
    expect(v.state.doc.toString()).toBe("Keep.\n\n{--Gone one.\n\nGone two.\n\n--}{>>AK:<<}Kept.");
    // typing inside it, paragraphs away from its opener: after the mark, not into it
    const inside = v.state.doc.toString().indexOf("two");
    v.dispatch({ changes: { from: inside, insert: "x" }, selection: { anchor: inside + 1 }, userEvent: "input.type" });
    expect(v.state.doc.toString()).toBe("Keep.\n\n{--Gone one.\n\nGone two.\n\n--}{>>AK:<<}{++x++}{>>AK:<<}Kept.");
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
