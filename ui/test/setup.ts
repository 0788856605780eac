// Unit tests have no network and no app serving files: a fetch (the page renderer's
// module, ui/src/pageRenderer.ts) fails at once, as it would outside the app, instead of
// trying happy-dom's default http://localhost:3000.
import { vi } from "vitest";

vi.stubGlobal("fetch", async (input: unknown) => {
  throw new TypeError(`no network in unit tests: ${String(input)}`);
});
