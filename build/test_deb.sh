#!/usr/bin/env bash
# Installs the .deb on this (Debian) machine, runs it, removes it, and checks that the program
# is gone and the user's data is not. Needs root and apt; changes the system (installs the
# package and its Depends, then removes the package).
#   build/test_deb.sh path/to/dangjian-desktop_X_amd64.deb
set -euo pipefail
deb=$(readlink -f "${1:?usage: build/test_deb.sh FILE.deb}")
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" = 0 ] || { echo "test_deb.sh needs root (apt-get install)" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
fail() { echo "FAILED: $*" >&2; exit 1; }

echo "== apt-get install $deb"
apt-get install -y -qq "$deb" >/dev/null
for f in /usr/bin/dangjian-desktop /opt/dangjian-desktop/dangjian-desktop \
         /usr/share/applications/dangjian-desktop.desktop \
         /usr/share/icons/hicolor/256x256/apps/dangjian-desktop.png \
         /usr/share/icons/hicolor/scalable/apps/dangjian-desktop.svg; do
    [ -e "$f" ] || fail "$f was not installed"
done
grep -q '^Name\[zh_CN\]=党建台账$' /usr/share/applications/dangjian-desktop.desktop || fail "menu entry has no Chinese name"
command=$(sed -n 's/^Exec=//p' /usr/share/applications/dangjian-desktop.desktop)
echo "== the menu's command ($command) --self-test, offscreen"
(cd / && QT_QPA_PLATFORM=offscreen $command --self-test) || fail "self-test of the installed program"

# A user's data, made by the installed program in the default place (a throw-away HOME).
home=$(mktemp -d)
data=$home/.local/share/dangjian-desktop/dangjian.db
HOME=$home XDG_DATA_HOME= dangjian-desktop demo --db "$data" >/dev/null 2>&1 || fail "demo into $data"
if command -v Xvfb >/dev/null && command -v xwininfo >/dev/null; then
    echo "== the menu's command opens its window (Xvfb)"
    HOME=$home python3 "$here/measure_start.py" --runs 1 --db "$data" "installed=$command" || fail "window"
fi

echo "== apt-get remove dangjian-desktop"
apt-get remove -y -qq dangjian-desktop >/dev/null
for f in /usr/bin/dangjian-desktop /opt/dangjian-desktop /usr/share/applications/dangjian-desktop.desktop \
         /usr/share/icons/hicolor/256x256/apps/dangjian-desktop.png; do
    [ ! -e "$f" ] || fail "$f is still there after apt-get remove"
done
[ -s "$data" ] || fail "the user's database $data is gone"
members=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from members").fetchone()[0])' "$data")
[ "$members" -gt 0 ] || fail "the user's database lost its rows"
echo "removed; the user's data is still there ($data, $members members)"
rm -rf "$home"
