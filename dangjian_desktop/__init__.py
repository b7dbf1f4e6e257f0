"""党建台账 (dangjian-desktop): a township party-building office's offline records."""

# pyproject.toml's version (tests/test_packaging.py checks that they agree). A constant, not
# importlib.metadata: importing that costs ~20 ms of every start of the window.
__version__ = "0.1.0"

APP_NAME = "dangjian-desktop"
APP_TITLE = "党建台账"
