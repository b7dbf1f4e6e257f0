#!/usr/bin/env bash
# Builds 党建台账 end to end on Debian/Ubuntu, from the project root or anywhere:
#
#   build/build.sh                the bundle, its --self-test (offscreen), the .deb, the NSIS
#                                 check, and the figures (sizes, oldest glibc needed)
#   build/build.sh --bundle-only  the bundle and its --self-test (what .ci/run does)
#   build/build.sh --all          everything above, then installs, runs and removes the .deb
#                                 (root; changes this system) and measures the start time
#
# Output: pyinstaller-dist/dangjian-desktop/ (the bundle) and pyinstaller-dist/*.deb; the
# build's own virtualenv and PyInstaller's work files are in pyinstaller-work/ (both ignored).
# PYTHON=python3.11 picks the Python (3.11 or newer, with its shared library, as PyInstaller
# needs). On a fresh machine run as root, so that the Debian packages below get installed.
set -euo pipefail
mode=${1:-default}
case "$mode" in default|--bundle-only|--all) ;; *) sed -n '2,14p' "$0"; exit 2 ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
python=${PYTHON:-python3}
venv=pyinstaller-work/venv
dist=pyinstaller-dist
bundle=$dist/dangjian-desktop
step() { printf '\n== %s\n' "$*"; }

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    step "Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    # binutils: PyInstaller's objdump; the Qt libraries and a CJK font for the offscreen
    # self-test; xvfb and x11-utils to see the window start; nsis for the installer check.
    packages="binutils xz-utils libgl1 libegl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3 fonts-wqy-microhei"
    [ "$mode" = --bundle-only ] || packages="$packages nsis"
    [ "$mode" != --all ] || packages="$packages xvfb x11-utils libxcb-icccm4 libxcb-keysyms1"
    "$python" -c "import ensurepip" >/dev/null 2>&1 || packages="$packages python3-venv"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $packages >/dev/null
fi

step "virtualenv $venv with the program and PyInstaller"
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check -e '.[build]'

step "PyInstaller (one folder)"
start=$SECONDS
"$venv/bin/pyinstaller" --noconfirm --log-level WARN \
    --workpath pyinstaller-work/pyinstaller --distpath "$dist" build/dangjian-desktop.spec
echo "built $bundle in $((SECONDS - start)) s"

step "the bundle's --self-test, offscreen"
version=$("$venv/bin/python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
reported=$("$bundle/dangjian-desktop" --version) || exit 1
[ "$reported" = "dangjian-desktop $version" ] || { echo "the bundle says \"$reported\", not version $version" >&2; exit 1; }
(cd / && QT_QPA_PLATFORM=offscreen "$root/$bundle/dangjian-desktop" --self-test)

[ "$mode" != --bundle-only ] || exit 0

step ".deb"
deb=$(PYTHON="$venv/bin/python" build/make_deb.sh "$bundle" "$dist")

step "NSIS installer script (stand-in bundle)"
PYTHON="$venv/bin/python" build/check_nsis.sh >/dev/null && echo "makensis compiled build/installer.nsi"

step "figures"
glibc=$(find "$bundle" -type f \( -name '*.so*' -o -name dangjian-desktop \) -print0 \
        | xargs -0 objdump -T 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -Vu | tail -1)
echo "bundle unpacked: $(du -sb "$bundle" | awk '{printf "%.1f MB", $1/1e6}') ($(du -sh "$bundle" | cut -f1)iB), $(find "$bundle" -type f | wc -l) files"
echo ".deb (xz):       $(du -b "$deb" | awk '{printf "%.1f MB", $1/1e6}')  $deb"
echo "oldest glibc:    ${glibc#GLIBC_} (the highest GLIBC_ symbol version the bundle's files use)"

[ "$mode" = --all ] || exit 0

step "install, run and remove the .deb"
build/test_deb.sh "$deb"

step "start to shown window: from source vs the bundle"
demo=pyinstaller-work/start-demo.db
[ -s "$demo" ] || "$venv/bin/dangjian-desktop" demo --db "$demo" >/dev/null 2>&1
"$venv/bin/python" build/measure_start.py --runs 5 --db "$demo" \
    "source=$venv/bin/dangjian-desktop" "bundle=$bundle/dangjian-desktop"
