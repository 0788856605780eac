import { afterEach, describe, expect, it } from "vitest";
import { askExportPath } from "../src/exportDialog";

const flush = () => new Promise((r) => setTimeout(r, 0));

function dialog() {
  const root = document.querySelector<HTMLElement>('[data-testid="export-dialog"]')!;
  return {
    input: root.querySelector<HTMLInputElement>('[data-testid="export-path"]')!,
    button: root.querySelector<HTMLButtonElement>('button[type="submit"]')!,
    note: root.querySelector<HTMLElement>('[role="status"]')!,
    submit: () => root.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true })),
  };
}

describe("export dialog", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });

  it("replaces an existing file only after the user presses Replace for that path", async () => {
    const calls: [string, boolean][] = [];
    const existing = new Set(["/home/ana/story.html", "/home/ana/other.html"]);
    askExportPath("/home/ana/story.html", async (dest, overwrite) => {
      calls.push([dest, overwrite]);
      if (existing.has(dest) && !overwrite) throw { code: "exists", message: `${dest}: already exists`, file: dest };
      return dest;
    });
    const d = dialog();
    d.submit();
    await flush();
    expect(calls).toEqual([["/home/ana/story.html", false]]);
    expect(d.button.textContent).toBe("Replace");
    expect(d.note.textContent).toContain("already exists");

    // Another path: asked again, never overwritten on the first press.
    d.input.value = "/home/ana/other.html";
    d.input.dispatchEvent(new Event("input"));
    expect(d.button.textContent).toBe("Export");
    d.submit();
    await flush();
    expect(calls.at(-1)).toEqual(["/home/ana/other.html", false]);

    // Replace, for the path the user was told about.
    d.submit();
    await flush();
    expect(calls.at(-1)).toEqual(["/home/ana/other.html", true]);
    expect(d.note.textContent).toBe("Written to /home/ana/other.html");
    expect(d.button.textContent).toBe("Export");
  });

  it("other errors are shown as they are, with no Replace", async () => {
    askExportPath("/home/ana/x.html", async () => {
      throw { code: "refused", message: "/home/ana/x.html: is a symbolic link; links are not followed in the drafts folder" };
    });
    const d = dialog();
    d.submit();
    await flush();
    expect(d.button.textContent).toBe("Export");
    expect(d.note.textContent).toContain("symbolic link");
  });
});
