"""党建台账 (dangjian-desktop): a township party-building office's offline records."""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("dangjian-desktop")
except PackageNotFoundError:  # running from a source tree or a bundle without metadata
    __version__ = "0.1.0"

APP_NAME = "dangjian-desktop"
APP_TITLE = "党建台账"
