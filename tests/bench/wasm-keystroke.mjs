// One keystroke through the page's WebAssembly renderer, as `ui/src/pageRenderer.ts` calls
// it (text encoded into the module's memory, render, the JSON answer decoded and parsed),
// at 1k, 5k and 50k words, next to the same module rendering the whole draft afresh (a
// new instance each time: nothing to reuse). Medians over many keystrokes, in one run.
//
//   make wasm && node tests/bench/wasm-keystroke.mjs
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const bytes = readFileSync(resolve(here, "../../ui/public/newsroom-render.wasm"));
const module = await WebAssembly.compile(bytes);
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const asset = encoder.encode("newsroom-asset://localhost/");
const path = encoder.encode("world/a.md");

async function instance() {
  return (await WebAssembly.instantiate(module, {})).exports;
}

function render(e, text) {
  const room = asset.length + path.length + text.length * 3;
  const at = e.input_buffer(room);
  const input = new Uint8Array(e.memory.buffer, at, room);
  input.set(asset, 0);
  input.set(path, asset.length);
  const { written } = encoder.encodeInto(text, input.subarray(asset.length + path.length));
  const len = e.render(asset.length, path.length, written, 1, 0);
  const htmlLen = e.output_html_len();
  const out = new Uint8Array(e.memory.buffer, e.output_ptr(), len);
  const answer = JSON.parse(decoder.decode(out.subarray(0, len - htmlLen)));
  answer.ok.html = decoder.decode(out.subarray(len - htmlLen));
  return answer;
}

// the core bench's kind of article (benches/core.rs), deterministic
const WORDS = "the delegations met in Minsk on Tuesday talks ceasefire border officials said government ministers agreed to continue negotiations despite pressure from Moscow and Kyiv".split(" ");
function article(words) {
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  let out = "---\ntitle: Minsk talks stall\ncategories: [World]\n---\n\n";
  let written = 0;
  let para = 0;
  while (written < words) {
    para++;
    if (para % 12 === 0) out += `## ${WORDS[next() % WORDS.length]}\n\n`;
    if (para % 23 === 0) out += "| Crossing | Trucks |\n|---|---:|\n| Brest | 1200 |\n\n";
    if (para % 19 === 0) out += "- first point\n- second point\n\n";
    const n = 40 + (next() % 40);
    const ws = [];
    for (let i = 0; i < n; i++) {
      const w = WORDS[next() % WORDS.length];
      const r = next() % 40;
      ws.push(r === 0 ? `*${w}*` : r === 1 ? `[${w}](https://example.org/${w})` : w);
    }
    out += `${ws.join(" ")}.\n\n`;
    written += n;
  }
  return out;
}

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log("| article | keystroke (kept module) | whole draft (fresh module) | keystroke ÷ whole |");
console.log("|---|---|---|---|");
const rows = [];
for (const words of [1_000, 5_000, 50_000]) {
  const text = article(words);
  const at = text.indexOf(" ", text.length >> 1);
  const typed = text.slice(0, at) + "x" + text.slice(at);
  const kept = await instance();
  render(kept, text);
  const keystrokes = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    render(kept, i % 2 ? text : typed);
    keystrokes.push(performance.now() - t0);
  }
  const wholes = [];
  for (let i = 0; i < (words >= 50_000 ? 15 : 40); i++) {
    const fresh = await instance();
    const t0 = performance.now();
    render(fresh, i % 2 ? text : typed);
    wholes.push(performance.now() - t0);
  }
  const k = median(keystrokes);
  const w = median(wholes);
  rows.push(k);
  console.log(`| ${words / 1000}k words | ${k.toFixed(2)} ms | ${w.toFixed(2)} ms | ${(k / w).toFixed(3)}× |`);
}
console.log(`\nkeystroke at 50k ÷ keystroke at 1k: ${(rows[2] / rows[0]).toFixed(2)}×`);
