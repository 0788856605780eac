#!/usr/bin/env bash
# Everything Newsroom needs on Debian 12, installed only when missing:
# the Rust toolchain, Node.js 20+, the desktop app's system libraries and test tools
# (via tests/e2e/setup.sh), and the UI's npm packages. WordPress for the publish tests
# is installed by tests/portal/wordpress.sh when it first starts.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

sudo_cmd=()
if [ "$(id -u)" != 0 ]; then sudo_cmd=(sudo); fi
apt_install() {
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "$@"
}

if ! command -v cargo >/dev/null; then
  echo "setup: installing Rust (rustup)"
  command -v curl >/dev/null || apt_install curl ca-certificates
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c clippy,rustfmt
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
fi
for component in clippy rustfmt; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    rustup component add "$component"
  fi
done

# The preview renderer the page runs (src-tauri/crates/newsroom-render-wasm) is built for WebAssembly.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 20 ]; then
  echo "setup: Node.js 20 or newer is needed (found $(node --version 2>/dev/null || echo none))"
  command -v npm >/dev/null || apt_install nodejs npm
  if [ "$(node_major)" -lt 20 ]; then
    "${sudo_cmd[@]}" npm install -g n && "${sudo_cmd[@]}" n 20 && hash -r
  fi
fi

bash tests/e2e/setup.sh

# A FUSE mount stands in for a shared drive in the watcher's tests (crates/newsroom-core/tests/watch_fuse.rs).
command -v bindfs >/dev/null || apt_install bindfs

# The git sync runs the system's git; its tests serve a bare repository with `git daemon`
# (crates/newsroom-cli/tests/sync.rs). Debian's `git` package carries git-daemon.
if ! command -v git >/dev/null || [ ! -x "$(git --exec-path)/git-daemon" ]; then apt_install git; fi

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "setup: installing the UI's npm packages"
  npm --prefix ui ci --no-audit --no-fund
fi
echo "setup: ready"
