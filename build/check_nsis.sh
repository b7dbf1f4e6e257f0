#!/usr/bin/env bash
# Proves build/installer.nsi is valid by compiling it with Debian's makensis against a
# stand-in for the Windows bundle (two empty .exe files and an _internal folder). The real
# installer is made on Windows by .github/workflows/windows.yml, from the real bundle.
#   build/check_nsis.sh        prints the stand-in installer's path
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if ! command -v makensis >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nsis >/dev/null
    else
        echo "makensis not found: apt-get install nsis" >&2; exit 1
    fi
fi
python=${PYTHON:-python3}
version=$("$python" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' pyproject.toml)

standin=pyinstaller-work/nsis-standin/dangjian-desktop
rm -rf pyinstaller-work/nsis-standin
mkdir -p "$standin/_internal"
: > "$standin/dangjian-desktop.exe"
: > "$standin/dangjian-desktop-cli.exe"
echo "stand-in" > "$standin/_internal/README.txt"
out=pyinstaller-work/nsis-standin/dangjian-desktop-$version-setup.exe
makensis -NOCD -V2 -WX "-DVERSION=$version" "-DDIST=$standin" "-DOUTFILE=$out" build/installer.nsi >&2
echo "$root/$out"
