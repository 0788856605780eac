#!/usr/bin/env bash
# The packaging test: builds the .deb (`make package`), installs it with apt, checks what
# it installed, starts both binaries as a user would, and removes the package again
# (whatever happens). CI runs it after `make test` (.ci/run); needs root or sudo.
#
#   bash tests/package/run.sh                 # build, install, check, remove
#   NEWSROOM_PACKAGE_DEB=path.deb bash tests/package/run.sh   # an already built package
#
# Checked: /usr/bin/newsroom-app and /usr/bin/newsroom; the manual page; bash, zsh and
# fish completions at their standard places; the desktop entry (named after the app id,
# Exec with %F, MimeType=text/markdown;, desktop-file-validate); the AppStream metainfo
# (appstreamcli validate --no-net: the screenshot's URL is not fetched); the icons. Then
# `newsroom --version`, `newsroom list` on a temporary folder, `newsroom config` finding
# settings an older version left in its own folder; `newsroom-app` under Xvfb on a
# temporary folder until its window exists, closed as a user closes it, leaving no folder
# named after the app id (our own folders decide, newsroom_core::user_dirs).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tests/package"
cd "$root"

app_id=org.newsroom.Newsroom
sudo_cmd=()
if [ "$(id -u)" != 0 ]; then sudo_cmd=(sudo); fi
apt_get() { DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get "$@"; }

# the checking tools, when missing
missing=()
command -v appstreamcli >/dev/null || missing+=(appstream)
command -v desktop-file-validate >/dev/null || missing+=(desktop-file-utils)
command -v xdotool >/dev/null || missing+=(xdotool)
command -v xvfb-run >/dev/null || missing+=(xvfb xauth)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  echo "package test: installing ${missing[*]}"
  apt_get update -qq
  apt_get install -y --no-install-recommends "${missing[@]}"
fi

deb="${NEWSROOM_PACKAGE_DEB:-}"
if [ -z "$deb" ]; then
  make --no-print-directory package
  deb="$(ls -t target/release/bundle/deb/*.deb | head -1)"
fi
deb="$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")"
package="$(dpkg-deb --field "$deb" Package)"
echo "package test: $deb ($package $(dpkg-deb --field "$deb" Version))"

tmp="$(mktemp -d)"
app_pid=""
cleanup() {
  status=$?
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then kill "$app_pid" 2>/dev/null || true; fi
  if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    apt_get remove -y -qq "$package" >/dev/null || status=1
  fi
  rm -rf "$tmp"
  if [ "$status" = 0 ]; then echo "package test: all green"; else echo "package test: FAILED" >&2; fi
  exit "$status"
}
trap cleanup EXIT
fail() { echo "package test: $*" >&2; exit 1; }

apt_get install -y -qq "$deb" >/dev/null

# ── what the package installed ──
desktop=/usr/share/applications/$app_id.desktop
metainfo=/usr/share/metainfo/$app_id.metainfo.xml
for f in /usr/bin/newsroom-app /usr/bin/newsroom \
  /usr/share/man/man1/newsroom.1.gz /usr/share/man/man1/newsroom-list.1.gz \
  /usr/share/bash-completion/completions/newsroom \
  /usr/share/zsh/vendor-completions/_newsroom \
  /usr/share/fish/vendor_completions.d/newsroom.fish \
  "$desktop" "$metainfo" \
  /usr/share/icons/hicolor/128x128/apps/$app_id.png \
  /usr/share/icons/hicolor/512x512/apps/$app_id.png; do
  dpkg -S "$f" >/dev/null 2>&1 || fail "$f is not installed by $package"
  [ -s "$f" ] || fail "$f is empty"
done
[ -x /usr/bin/newsroom ] && [ -x /usr/bin/newsroom-app ] || fail "a binary is not executable"
[ ! -e /usr/share/applications/Newsroom.desktop ] || fail "a second desktop entry (Newsroom.desktop)"
grep -qx 'Exec=newsroom-app %F' "$desktop" || fail "$desktop: no 'Exec=newsroom-app %F'"
grep -qx 'MimeType=text/markdown;' "$desktop" || fail "$desktop: no 'MimeType=text/markdown;'"
grep -qx "Icon=$app_id" "$desktop" || fail "$desktop: the icon is not $app_id"
desktop-file-validate "$desktop"
appstreamcli validate --no-net "$metainfo"
zcat /usr/share/man/man1/newsroom.1.gz | grep -q '^\.TH newsroom 1' || fail "newsroom.1 is not a manual page"
bash -c 'source /usr/share/bash-completion/completions/newsroom && complete -p newsroom' >/dev/null \
  || fail "the bash completion registers nothing for newsroom"
grep -q '#compdef newsroom' /usr/share/zsh/vendor-completions/_newsroom || fail "_newsroom is not a zsh completion"
grep -q 'complete -c newsroom' /usr/share/fish/vendor_completions.d/newsroom.fish || fail "newsroom.fish is not a fish completion"

# ── both binaries, as a user on a fresh account ──
export HOME="$tmp/home" XDG_RUNTIME_DIR="$tmp/run"
unset XDG_CONFIG_HOME XDG_DATA_HOME NEWSROOM_CONFIG_DIR NEWSROOM_DATA_DIR NEWSROOM_DRAFTS
export NEWSROOM_KEYRING=off
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" "$tmp/drafts/world"
chmod 700 "$XDG_RUNTIME_DIR"
cd "$tmp"
printf -- '---\ntitle: Minsk talks stall\nstatus: draft\n---\n\nDelegations met.\n' > drafts/world/minsk.md

version="$(/usr/bin/newsroom --version)"
[ "$version" = "newsroom $(dpkg-deb --field "$deb" Version)" ] || fail "newsroom --version says '$version'"
listed="$(newsroom --dir drafts list)"
grep -q 'Minsk talks stall' <<<"$listed" || fail "newsroom list does not list the draft: $listed"
[ -d "$HOME/.local/share/newsroom/workspaces" ] || fail "the index is not in ~/.local/share/newsroom"
[ -z "$(find drafts -name '*.sqlite3*')" ] || fail "an index inside the drafts folder"

# settings an older version of the app left in its own folder: moved on the first run
mkdir -p "$HOME/.config/org.newsroom.desktop"
printf '{"user_name":"Ana Kovač","role":"editor"}' > "$HOME/.config/org.newsroom.desktop/settings.json"
config="$(newsroom config --json 2>"$tmp/config.err")"
grep -q '"user_name": "Ana Kovač"' <<<"$config" || fail "newsroom config does not see the app's name: $config"
grep -q 'moved ~/.config/org.newsroom.desktop' "$tmp/config.err" || fail "no migration note: $(cat "$tmp/config.err")"
[ ! -e "$HOME/.config/org.newsroom.desktop" ] || fail "the old settings folder is still there"

# the app, under Xvfb, on the temporary folder, until its window exists; then closed
cat > "$tmp/app.sh" <<'APP'
set -euo pipefail
WEBKIT_DISABLE_COMPOSITING_MODE=1 newsroom-app "$1/drafts" >"$1/app.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  if window="$(xdotool search --onlyvisible --name 'Newsroom' 2>/dev/null | head -1)" && [ -n "$window" ]; then break; fi
  kill -0 "$pid" 2>/dev/null || { echo "newsroom-app ended before its window appeared"; cat "$1/app.log"; exit 1; }
  sleep 0.5
done
[ -n "${window:-}" ] || { echo "no Newsroom window after 60 s"; cat "$1/app.log"; kill "$pid"; exit 1; }
echo "package test: newsroom-app window $window ($(xdotool getwindowname "$window"))"
sleep 2  # the page loads and the folder opens
python3 "$2/close_window.py" "$window"
for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
if kill -0 "$pid" 2>/dev/null; then echo "newsroom-app still runs 10 s after its window was closed"; kill "$pid"; exit 1; fi
wait "$pid" || { echo "newsroom-app exited with $?"; cat "$1/app.log"; exit 1; }
APP
xvfb-run -a -s "-screen 0 1600x1000x24" dbus-run-session -- bash "$tmp/app.sh" "$tmp" "$here"
[ -f "$HOME/.config/newsroom/.window-state.json" ] || fail "the window state is not in ~/.config/newsroom"
[ -d "$HOME/.local/share/newsroom/webview" ] || fail "the web storage is not in ~/.local/share/newsroom/webview"
for d in "$HOME/.config/$app_id" "$HOME/.local/share/$app_id"; do
  [ ! -e "$d" ] || fail "$d exists: something used Tauri's own folder"
done
grep -q 'Ana Kovač' "$HOME/.config/newsroom/settings.json" || fail "the app lost the settings"
