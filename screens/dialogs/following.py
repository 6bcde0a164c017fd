"""A form where one field follows the choice made in another, until the user makes it their own.

Export…'s path follows the format (Calendar: ``.ics``, Mermaid: ``.mmd``), a
new RACI activity's Accountable follows the stage it is in. The rule for the
new value lives with the caller (in the core where it is a rule); this form
only applies it when the choice changes, so the field shows what will happen
before the user saves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.widgets import Input, Select

from gtm_tui.screens.dialogs.forms import FormField, FormScreen


@dataclass(frozen=True)
class Follows:
    """``field`` follows the choice in ``source``.

    ``value(new, old, current)`` is the field's value after ``source`` changed
    from ``old`` to ``new`` while ``field`` held ``current``; None leaves the
    field as it is (the user typed or picked something of their own).
    """

    field: str
    source: str
    value: Callable[[Any, Any, Any], Any]


class FollowingForm(FormScreen):
    """A ``FormScreen`` whose ``follows`` fill a field in when the choice it follows changes."""

    def __init__(self, title: str, fields: Sequence[FormField], submit: Callable[[dict[str, Any]], Any],
                 follows: Sequence[Follows]) -> None:
        super().__init__(title, fields, submit)
        self.follows = list(follows)
        # The choice each source field held last: a Changed that repeats it (as Select sends when mounted) is no change.
        self._chosen: dict[str, Any] = {f.name: f.value for f in fields if any(r.source == f.name for r in follows)}

    @on(Select.Changed)
    def _choice_changed(self, event: Select.Changed) -> None:
        source = (event.select.id or "").removeprefix("field-")
        if source not in self._chosen:
            return
        new = None if event.value is Select.NULL else event.value
        old = self._chosen[source]
        if new == old:
            return
        self._chosen[source] = new
        values = self.values()
        for rule in self.follows:
            if rule.source != source:
                continue
            value = rule.value(new, old, values.get(rule.field))
            if value is None:
                continue
            widget = self.query_one(f"#field-{rule.field}")
            if isinstance(widget, Input):
                widget.value = str(value)
            elif isinstance(widget, Select):
                widget.value = value
