#!/usr/bin/env bash
# Runs the core benchmarks and prints the figures for docs/performance.md as ratios
# against the references measured in the same run (plain comrak, pulldown-cmark).
#
#   tests/bench/core-report.sh            # full run (10,000-draft corpus), ~10 min on 2 cores
#   NEWSROOM_BENCH_DRAFTS=1000 tests/bench/core-report.sh   # quicker index figures
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
if [ "${1:-}" != "--report-only" ]; then
  cargo bench -p newsroom-core --bench core -- "$@" >&2
fi
python3 - "$root/target/criterion" <<'PY'
import json, os, sys
base = sys.argv[1]
res = {}
for dirpath, _, files in os.walk(base):
    if "benchmark.json" in files and os.path.basename(dirpath) == "new":
        b = json.load(open(os.path.join(dirpath, "benchmark.json")))
        e = json.load(open(os.path.join(dirpath, "estimates.json")))
        res[(b["group_id"], b["function_id"])] = (e["median"]["point_estimate"], e["median"]["confidence_interval"])
def ms(ns): return f"{ns/1e6:.2f} ms" if ns < 1e9 else f"{ns/1e9:.2f} s"
print("| article | comrak plain | pulldown-cmark | safe render | safe ÷ comrak | safe + sourcepos ÷ comrak | whole preview page |")
print("|---|---|---|---|---|---|---|")
for size in ["1k", "5k", "50k"]:
    g = f"render/{size}"
    if (g, "comrak_plain") not in res: continue
    c = res[(g, "comrak_plain")][0]; p = res[(g, "pulldown_cmark")][0]; s = res[(g, "safe")][0]
    sp = res[(g, "safe_sourcepos")][0]; page = res[(g, "preview_page")][0]
    print(f"| {size} words | {ms(c)} | {ms(p)} ({p/c:.2f}×) | {ms(s)} | **{s/c:.2f}×** | {sp/c:.2f}× | {ms(page)} |")
print()
print("| article | keystroke, incremental preview | Enter, incremental preview | whole preview (render_draft) | keystroke ÷ whole | Enter ÷ whole | keystroke ÷ comrak plain |")
print("|---|---|---|---|---|---|---|")
for size in ["1k", "5k", "50k"]:
    g = f"render/{size}"
    if (g, "preview_keystroke_incremental") not in res: continue
    c = res[(g, "comrak_plain")][0]; k = res[(g, "preview_keystroke_incremental")][0]; d = res[(g, "preview_draft")][0]
    e = res[(g, "preview_enter_incremental")][0]
    print(f"| {size} words | {ms(k)} | {ms(e)} | {ms(d)} | **{k/d:.3f}×** | {e/d:.3f}× | {k/c:.3f}× |")
print()
g = "render/50k-reaching"
if (g, "preview_keystroke_incremental") in res:
    print("| 50k words with footnotes, references, marks | keystroke | Enter | keystroke in a footnoted paragraph | whole preview (render_draft) | keystroke ÷ whole | Enter ÷ whole | in a note ÷ whole | keystroke ÷ comrak plain |")
    print("|---|---|---|---|---|---|---|---|---|")
    c = res[(g, "comrak_plain")][0]; d = res[(g, "preview_draft")][0]
    k = res[(g, "preview_keystroke_incremental")][0]; e = res[(g, "preview_enter_incremental")][0]
    n = res[(g, "preview_keystroke_in_note_incremental")][0]
    print(f"| 50k words | {ms(k)} | {ms(e)} | {ms(n)} | {ms(d)} | **{k/d:.3f}×** | {e/d:.3f}× | {n/d:.3f}× | {k/c:.3f}× |")
    print()
groups = sorted({g for g, _ in res if g.startswith("index/")})
for g in groups:
    print(f"| {g} | median |")
    print("|---|---|")
    for f in ["cold", "warm_reopen", "search_top20_snippets", "search_topical_snippets", "search_top20_filtered", "one_file_reindex"]:
        if (g, f) in res:
            print(f"| {f} | {ms(res[(g, f)][0])} |")
    print()
PY
