"""Keep spreadsheet programs from running text as a formula.

A note typed as ``=HYPERLINK("http://evil", "click")`` or ``+1-2`` is text
in the pilot, but Excel, LibreOffice and Google Sheets read a cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula (the
"CSV injection" problem). Every text cell written to CSV or Excel goes through
``neutralise``, which puts a single quote in front, as spreadsheets themselves
do for "text that looks like a formula". ``restore`` undoes it on import, so a
round trip gives back exactly what was typed.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _needs_quote(text: str) -> bool:
    """True when ``text`` would be read as a formula — or is itself a quoted one (so quoting stays reversible)."""
    if text.startswith(FORMULA_STARTS):
        return True
    return text.startswith("'") and _needs_quote(text[1:])


def neutralise(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run; anything else unchanged."""
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def restore(value: Any) -> Any:
    """The text ``neutralise`` was given: drops the quote it added, and only that one."""
    if isinstance(value, str) and value.startswith("'") and _needs_quote(value[1:]):
        return value[1:]
    return value
