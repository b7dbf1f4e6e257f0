"""The script PyInstaller starts in the bundle: the same entry point as the installed command."""

import sys

from dangjian_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
