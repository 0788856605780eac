#!/usr/bin/env bash
# One-time machine set-up for the desktop app and its real-window tests.
# Idempotent: each step is skipped when what it provides is already there.
#   - Debian packages: WebKitGTK + build deps, Xvfb, WebKitWebDriver, ImageMagick, dictionaries,
#     xdotool/x11-utils (bench timing), chromium + chromium-driver (the block-editor test of
#     newsroom-publish opens published posts in WordPress's own editor)
#   - tauri-driver 2.x (cargo install)
#   - a Python venv at tests/e2e/.venv with pytest + selenium
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

packages=(
  libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev xvfb xauth webkit2gtk-driver dbus
  imagemagick hunspell-en-us hunspell-en-gb xdotool x11-utils python3-venv chromium chromium-driver
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" != 0 ]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
else
  echo "setup: system packages present"
fi

if cargo install --list 2>/dev/null | grep -qE '^tauri-driver v2\.' && command -v tauri-driver >/dev/null; then
  echo "setup: $(cargo install --list | grep -E '^tauri-driver v2') present"
else
  echo "setup: installing tauri-driver 2.x"
  cargo install tauri-driver --version '^2' --locked
fi

venv="$here/.venv"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import selenium, pytest' 2>/dev/null; then
  echo "setup: python venv present ($venv)"
else
  echo "setup: creating python venv $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet -r "$here/requirements.txt"
fi
echo "setup: done"
