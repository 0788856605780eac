#!/usr/bin/env bash
# Builds what the real-window tests need and runs them under Xvfb and a private D-Bus
# session. Extra arguments go to pytest (e.g. `tests/e2e/run.sh -k conflict -x`).
#
#   - ui/dist is rebuilt only when missing or older than ui/src (every vite build
#     rewrites it and makes cargo recompile the app, which embeds it);
#   - the app is the debug build, `cargo build -p newsroom-app`;
#   - conftest.py starts one tauri-driver per test (own ports, own temp HOME, own copy of
#     drafts/) and stops it, and the app with it, when the test ends.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tests/e2e"
cd "$root"

venv="$here/.venv"
if [ ! -x "$venv/bin/python" ] || ! command -v tauri-driver >/dev/null || ! command -v xvfb-run >/dev/null; then
  echo "e2e: run tests/e2e/setup.sh first (system packages, tauri-driver, python venv)" >&2
  exit 2
fi

# the page's preview renderer (WebAssembly): rebuilt by cargo when its sources changed
make --no-print-directory -s wasm

ui_stale() {
  [ ! -f ui/dist/index.html ] && return 0
  [ -n "$(find ui/src ui/index.html ui/package.json ui/package-lock.json ui/public -newer ui/dist/index.html -print -quit 2>/dev/null)" ]
}
if ui_stale; then
  echo "e2e: building the UI"
  [ -d ui/node_modules ] || npm --prefix ui ci
  npm --prefix ui run build
fi

cargo build -p newsroom-app -p newsroom-cli

export NEWSROOM_APP="$root/target/debug/newsroom-app"
# WebKit under Xvfb has no GPU: software rendering without compositing is lighter and steadier.
export WEBKIT_DISABLE_COMPOSITING_MODE=1
# a screen as large as the largest window a test asks for (test_layout.py: 1920x1080)
exec xvfb-run -a -s "-screen 0 1920x1200x24" dbus-run-session -- \
  "$venv/bin/python" -m pytest -p no:cacheprovider "$here" "$@"
