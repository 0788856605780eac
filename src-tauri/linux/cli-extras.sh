#!/usr/bin/env bash
# The `newsroom` command's manual pages and shell completions for the .deb, generated
# from the release binary (`newsroom man`, `newsroom completions`) so they always match
# it; tauri.conf.json (bundle.linux.deb.files) installs them from target/release/package/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="$root/target/release/newsroom"
out="$root/target/release/package"
rm -rf "$out"
mkdir -p "$out/man1" "$out/completions"
"$bin" man --out-dir "$out/man1" 2>/dev/null
gzip -9n "$out"/man1/*.1
"$bin" completions bash > "$out/completions/newsroom"
"$bin" completions zsh > "$out/completions/_newsroom"
"$bin" completions fish > "$out/completions/newsroom.fish"
echo "cli-extras: $(ls "$out/man1" | wc -l) manual pages and 3 completion scripts in $out"
