// The core's front matter loader for tests: the real WebAssembly module (`make wasm`),
// instantiated synchronously once.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { PageRenderer } from "../src/pageRenderer";

const WASM = resolve(__dirname, "../public/newsroom-render.wasm");
let core: PageRenderer | null = null;

export function coreReader(): PageRenderer {
  if (!core) {
    if (!existsSync(WASM)) throw new Error(`${WASM} is missing: run \`make wasm\` first`);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(WASM)), {});
    core = new PageRenderer(instance.exports as never);
  }
  return core;
}
