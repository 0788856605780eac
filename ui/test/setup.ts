// Unit tests have no network and no app serving files: a fetch (the page renderer's
// module, ui/src/pageRenderer.ts) fails at once, as it would outside the app, instead of
// trying happy-dom's default http://localhost:3000.
import { vi } from "vitest";

vi.stubGlobal("fetch", async (input: unknown) => {
  throw new TypeError(`no network in unit tests: ${String(input)}`);
});

// happy-dom fires selectionchange synchronously inside CodeMirror's own DOM update (browsers
// fire it later, and CodeMirror refuses an update started inside another); deliver it on the
// next tick, as a browser would.
if (typeof document !== "undefined") {
  document.addEventListener(
    "selectionchange",
    (e) => {
      if ((e as Event & { later?: boolean }).later) return;
      e.stopImmediatePropagation();
      setTimeout(() => document.dispatchEvent(Object.assign(new Event("selectionchange"), { later: true })));
    },
    true,
  );
}

// `read_front_matter` is answered by the core's own loader, as the app answers it: the
// WebAssembly module built from the same Rust (`make wasm`), so every test's mocked
// backend reads front matter exactly as Rust does without each test having to know it.
// A test's own handler still sees the call first (and may answer it).
import { coreReader } from "./coreFrontMatter";

vi.mock("@tauri-apps/api/mocks", async (importOriginal) => {
  const real = await importOriginal<typeof import("@tauri-apps/api/mocks")>();
  const mockIPC: typeof real.mockIPC = (handler, options) =>
    real.mockIPC(async (cmd, args) => {
      const mine: unknown = await handler(cmd, args);
      if (cmd !== "read_front_matter" || mine != null) return mine;
      const answer = coreReader().frontMatter(String((args as { text?: unknown }).text ?? ""));
      if ("ok" in answer) return answer.ok;
      throw { code: "invalid_draft", message: answer.err.message, ...(answer.err.line != null ? { line: answer.err.line } : {}) };
    }, options);
  return { ...real, mockIPC };
});
