// One keystroke through the page's WebAssembly renderer, as `ui/src/pageRenderer.ts` calls
// it, at 1k, 5k and 50k words, next to the same module rendering the whole draft afresh (a
// new instance each time: nothing to reuse). Medians over many keystrokes, in one run:
// - delta: what the page does now (`render_edit`: the keystroke's edit sent, the changed
//   pieces and the line shift back, the JSON parsed and the pieces' HTML decoded);
// - whole text: the keystroke's whole text sent to the kept module (`render`: the text
//   encoded into the module's memory, the whole page's HTML back and decoded), as before.
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

function renderPage(e, text, shown) {
  const room = asset.length + path.length + text.length * 3;
  const at = e.input_buffer(room);
  const input = new Uint8Array(e.memory.buffer, at, room);
  input.set(asset, 0);
  input.set(path, asset.length);
  const { written } = encoder.encodeInto(text, input.subarray(asset.length + path.length));
  return reply(e, e.render_page(asset.length, path.length, written, 1, 0, shown));
}

function renderEdit(e, edit, lengthAfter, shown) {
  const room = asset.length + path.length + edit.insert.length * 3;
  const at = e.input_buffer(room);
  const input = new Uint8Array(e.memory.buffer, at, room);
  input.set(asset, 0);
  input.set(path, asset.length);
  const { written } = encoder.encodeInto(edit.insert, input.subarray(asset.length + path.length));
  return reply(e, e.render_edit(asset.length, path.length, edit.from, edit.to, written, lengthAfter, 1, 0, shown));
}

function reply(e, len) {
  const htmlLen = e.output_html_len();
  const out = new Uint8Array(e.memory.buffer, e.output_ptr(), len);
  const answer = JSON.parse(decoder.decode(out.subarray(0, len - htmlLen)));
  const html = decoder.decode(out.subarray(len - htmlLen));
  if (answer.delta) answer.delta.html = html;
  else if (answer.ok) answer.ok.html = html;
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

console.log("| article | keystroke, delta | Enter, delta | keystroke, whole text (kept module) | whole draft (fresh module) | **delta ÷ whole text** | delta ÷ whole draft |");
console.log("|---|---|---|---|---|---|---|");
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
  // the delta path: type a character and take it back, Enter and take it back
  const page = await instance();
  let shown = renderPage(page, text, 0).generation;
  const deltas = (insert) => {
    const times = [];
    for (let i = 0; i < 200; i++) {
      const edit = i % 2 ? { from: at, to: at + insert.length, insert: "" } : { from: at, to: at, insert };
      const t0 = performance.now();
      const answer = renderEdit(page, edit, i % 2 ? text.length : text.length + insert.length, shown);
      times.push(performance.now() - t0);
      if (!answer.delta) throw new Error(`not a delta: ${JSON.stringify(answer).slice(0, 200)}`);
      shown = answer.generation;
    }
    return times;
  };
  const d = median(deltas("x"));
  const enter = median(deltas("\n\n"));
  const wholes = [];
  for (let i = 0; i < (words >= 50_000 ? 15 : 40); i++) {
    const fresh = await instance();
    const t0 = performance.now();
    render(fresh, i % 2 ? text : typed);
    wholes.push(performance.now() - t0);
  }
  const k = median(keystrokes);
  const w = median(wholes);
  rows.push(d);
  console.log(`| ${words / 1000}k words | ${d.toFixed(3)} ms | ${enter.toFixed(3)} ms | ${k.toFixed(2)} ms | ${w.toFixed(2)} ms | **${(d / k).toFixed(3)}×** | ${(d / w).toFixed(4)}× |`);
}
console.log(`\ndelta keystroke at 50k ÷ at 1k: ${(rows[2] / rows[0]).toFixed(2)}×`);
