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
