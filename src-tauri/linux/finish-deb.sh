#!/usr/bin/env bash
# The last step of `make package`, after Tauri's bundler wrote the .deb: the desktop
# entry is renamed after the app id (the bundler names it after the product,
# Newsroom.desktop), so that the desktop entry, the AppStream metainfo
# (<launchable type="desktop-id">), the icons and the window's app id agree. The
# package is rebuilt with dpkg-deb; its md5sums are recomputed.
set -euo pipefail
app_id=org.newsroom.Newsroom
deb="${1:?usage: finish-deb.sh PACKAGE.deb}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

dpkg-deb --raw-extract "$deb" "$work/pkg"
apps="$work/pkg/usr/share/applications"
if [ -f "$apps/Newsroom.desktop" ]; then
  mv "$apps/Newsroom.desktop" "$apps/$app_id.desktop"
fi
(cd "$work/pkg" && find usr -type f -print0 | sort -z | xargs -0 md5sum > DEBIAN/md5sums)
dpkg-deb --root-owner-group -Zgzip --build "$work/pkg" "$deb" >/dev/null
echo "finish-deb: $deb ($(dpkg-deb --contents "$deb" | wc -l) entries, desktop entry $app_id.desktop)"
