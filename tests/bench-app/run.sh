#!/usr/bin/env bash
# Desktop benchmark: Newsroom vs a bare Tauri 2 window (tests/bench-app/bare) of the same
# Tauri version, both release builds, under Xvfb. Prints a Markdown table of ratios and
# writes target/bench-app/results.json.
#
#   BENCH_PROFILE=debug tests/bench-app/run.sh   # debug builds instead (no release compile)
#   tests/bench-app/run.sh --runs 3 --keys 20    # extra arguments go to bench.py
#   BENCH_DRAFTS=100000 tests/bench-app/run.sh --no-latency   # the archive-sized folder
#   tests/bench-app/run.sh --only-latency --no-compositing-only  # keystrokes, without compositing
#   tests/bench-app/run.sh --only-latency --probe text  # the former probe (whole text per frame)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tests/bench-app"
venv="$root/tests/e2e/.venv"
profile="${BENCH_PROFILE:-release}"
out="$root/target/bench-app"
cd "$root"

if [ ! -x "$venv/bin/python" ] || ! command -v xdotool >/dev/null; then
  echo "bench-app: run tests/e2e/setup.sh first" >&2
  exit 2
fi

# Same Tauri crates in both locks, or the comparison means nothing.
"$venv/bin/python" - "$root/Cargo.lock" "$here/bare/Cargo.lock" <<'PY'
import sys, tomllib
app, bare = ({p["name"]: p["version"] for p in tomllib.load(open(f, "rb"))["package"]} for f in sys.argv[1:3])
crates = ["tauri", "tauri-runtime", "tauri-runtime-wry", "wry", "tao", "webkit2gtk", "tauri-build"]
diff = [f"{c}: app {app.get(c)} / bare {bare.get(c)}" for c in crates if app.get(c) != bare.get(c)]
if diff:
    sys.exit("bench-app: the bare window uses other Tauri crates than the app:\n  " + "\n  ".join(diff)
             + "\n  align tests/bench-app/bare/Cargo.lock (cargo update --manifest-path tests/bench-app/bare/Cargo.toml -p CRATE --precise VERSION)")
print("bench-app: tauri " + app["tauri"] + ", wry " + app["wry"] + " in both")
PY

make --no-print-directory -s wasm
if [ ! -f ui/dist/index.html ] || [ -n "$(find ui/src ui/index.html ui/public -newer ui/dist/index.html -print -quit 2>/dev/null)" ]; then
  [ -d ui/node_modules ] || npm --prefix ui ci
  npm --prefix ui run build
fi

cargo_profile=(--profile "$profile")
[ "$profile" = debug ] && cargo_profile=()
dir="$profile"; [ "$profile" = debug ] && dir=debug
cargo build "${cargo_profile[@]}" -p newsroom-app
cargo build "${cargo_profile[@]}" --manifest-path "$here/bare/Cargo.toml" --target-dir "$root/target/bench-bare"

count="${BENCH_DRAFTS:-10000}"
drafts="$out/drafts-$((count / 1000))k"
if [ ! -f "$drafts/.complete" ]; then
  rm -rf "$drafts"
  "$venv/bin/python" "$here/gen_drafts.py" "$drafts" "$count"
  touch "$drafts/.complete"
fi

xvfb-run -a -s "-screen 0 1600x1000x24" dbus-run-session -- \
  "$venv/bin/python" "$here/bench.py" \
    --app "$root/target/$dir/newsroom-app" \
    --bare "$root/target/bench-bare/$dir/newsroom-bench-bare" \
    --drafts "$drafts" --out "$out/results.json" "$@" \
  2> >(grep -v -e '^dbus-daemon' -e 'SpiRegistry' >&2)
