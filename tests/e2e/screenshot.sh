#!/usr/bin/env bash
# Saves docs/screenshot.png: the debug app under Xvfb (1400x900, the window's size) on the
# sample drafts/ folder with a draft open. Usage: tests/e2e/screenshot.sh [DRAFT_PATH] [OUT.png]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tests/e2e"
draft="${1:-world/brest-freight-crossings.md}"
out="${2:-$root/docs/screenshot.png}"
cd "$root"

if [ ! -x "$here/.venv/bin/python" ]; then
  echo "screenshot: run tests/e2e/setup.sh first" >&2
  exit 2
fi
if [ ! -f ui/dist/index.html ] || [ -n "$(find ui/src ui/index.html ui/public -newer ui/dist/index.html -print -quit 2>/dev/null)" ]; then
  [ -d ui/node_modules ] || npm --prefix ui ci
  npm --prefix ui run build
fi
cargo build -p newsroom-app

export NEWSROOM_APP="$root/target/debug/newsroom-app"
export WEBKIT_DISABLE_COMPOSITING_MODE=1
cd "$here"
xvfb-run -a -s "-screen 0 1400x900x24" dbus-run-session -- \
  "$here/.venv/bin/python" "$here/screenshot.py" "$out" "$draft" 2> >(grep -v -e '^dbus-daemon' -e 'SpiRegistry' >&2)
