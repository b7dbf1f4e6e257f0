#!/usr/bin/env bash
# Packs a built bundle into a .deb with dpkg-deb (xz):
#   /opt/dangjian-desktop/            the PyInstaller bundle
#   /usr/bin/dangjian-desktop         a link to the bundle's program
#   /usr/share/applications/dangjian-desktop.desktop   the menu entry (党建台账)
#   /usr/share/icons/hicolor/*/apps/dangjian-desktop.{png,svg}
# No maintainer scripts: dpkg's triggers refresh the menu and icon caches, and the user's data
# (~/.local/share/dangjian-desktop) is never part of the package, so removing it keeps the data.
#
#   build/make_deb.sh [BUNDLE_DIR [OUT_DIR]]
#   defaults: pyinstaller-dist/dangjian-desktop and pyinstaller-dist; prints the .deb's path.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bundle=$(cd "${1:-$root/pyinstaller-dist/dangjian-desktop}" && pwd)
out=$(mkdir -p "${2:-$root/pyinstaller-dist}" && cd "${2:-$root/pyinstaller-dist}" && pwd)
python=${PYTHON:-python3}
name=dangjian-desktop

[ -x "$bundle/$name" ] || { echo "no bundle at $bundle (run build/build.sh first)" >&2; exit 1; }
version=$("$python" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$root/pyproject.toml")
arch=$(dpkg --print-architecture)

stage=$root/pyinstaller-work/deb-root
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications"
cp -a "$bundle" "$stage/opt/$name"
ln -s "/opt/$name/$name" "$stage/usr/bin/$name"
install -m 0644 "$root/packaging/$name.desktop" "$stage/usr/share/applications/$name.desktop"
resources=$root/dangjian_desktop/resources
for png in "$resources"/icon-*.png; do
    size=$(basename "$png" .png); size=${size#icon-}
    install -D -m 0644 "$png" "$stage/usr/share/icons/hicolor/${size}x${size}/apps/$name.png"
done
install -D -m 0644 "$resources/icon.svg" "$stage/usr/share/icons/hicolor/scalable/apps/$name.svg"

installed_size=$(du -sk --apparent-size "$stage" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
    "$root/packaging/debian/control.in" > "$stage/DEBIAN/control"
chmod -R u+rwX,go+rX,go-w "$stage"

deb=$out/${name}_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "$deb"
