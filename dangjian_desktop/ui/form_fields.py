"""What a tab's form shows of a record: ``FormField`` (a field, its label and how it is
edited). Kept apart from ``record_form.py`` so that a tab can say its fields without loading
the form and its editors, which the window needs only when a dialog opens."""

from __future__ import annotations

from typing import NamedTuple


class FormField(NamedTuple):  # a named tuple: a dataclass costs the start ~1 ms to make
    field: str
    label: str | None = None  # instead of the column header (e.g. 所在党组织 for 所在党组织ID)
    multiline: bool = False
    choices: str | None = None  # the choice source for a reference ("branches", "villages", …)
    read_only: bool = False
    required: bool = False  # no empty choice even where the record allows None
    wide: bool = False  # spans the whole width of the form
