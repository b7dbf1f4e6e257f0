"""A tab widget whose pages are built the first time they are needed.

The window starts with only its current tab built (the 党员 roster): each other tab is a light
page that builds its real widget — importing its module — when it is first shown or first
asked for (``tab(i)``). That keeps the start to what the first screen shows.

To callers the built widgets are the tabs: ``currentWidget()``, ``setCurrentWidget()`` and
``indexOf()`` speak of them, not of the pages that hold them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget


class _Page(QWidget):
    """Holds one tab's widget; builds it when first shown."""

    def __init__(self, build: Callable[[], QWidget]) -> None:
        super().__init__()
        self._build = build
        self.content: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def ensure_built(self) -> QWidget:
        if self.content is None:
            self.content = self._build()
            self.layout().addWidget(self.content)
        return self.content

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        self.ensure_built()
        super().showEvent(event)


class LazyTabWidget(QTabWidget):
    def add_lazy(self, title: str, build: Callable[[], QWidget]) -> int:
        """A tab titled ``title`` whose widget ``build()`` makes when it is first needed."""
        return self.addTab(_Page(build), title)

    def tab(self, index: int) -> QWidget:
        """The widget of tab ``index``, built now if it was not yet."""
        page = super().widget(index)
        return page.ensure_built() if isinstance(page, _Page) else page

    def built(self) -> list[QWidget]:
        """The tabs built so far, in tab order."""
        pages = (super(LazyTabWidget, self).widget(i) for i in range(self.count()))
        return [p.content if isinstance(p, _Page) else p for p in pages
                if not isinstance(p, _Page) or p.content is not None]

    def is_built(self, index: int) -> bool:
        page = super().widget(index)
        return not isinstance(page, _Page) or page.content is not None

    def currentWidget(self) -> QWidget | None:  # noqa: N802 - Qt name
        index = self.currentIndex()
        return None if index < 0 else self.tab(index)

    def widget(self, index: int) -> QWidget | None:
        return self.tab(index) if 0 <= index < self.count() else None

    def indexOf(self, widget: QWidget) -> int:  # noqa: N802 - Qt name
        for i in range(self.count()):
            page = super().widget(i)
            if page is widget or (isinstance(page, _Page) and page.content is widget):
                return i
        return -1

    def setCurrentWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt name
        index = self.indexOf(widget)
        if index >= 0:
            self.setCurrentIndex(index)
