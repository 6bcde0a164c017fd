"""Keep spreadsheet programs from running text as a formula, and terminals from obeying it.

A note typed as ``=HYPERLINK("http://evil", "click")`` or ``+1-2`` is text
in the pilot, but Excel, LibreOffice and Google Sheets read a cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula (the
"CSV injection" problem). Following OWASP's guidance, every text cell written
to CSV or Excel goes through ``neutralise``, which puts a single quote in
front, as spreadsheets themselves do for "text that looks like a formula".
Beyond OWASP's list of first characters it also catches what spreadsheets
skip or fold before they look: leading white space (`` =1+1``) and the
full-width and small forms (``＝`` ``＋`` ``－`` ``＠``, ``﹦`` …) that
East-Asian input methods type and Excel reads as ``=``. ``restore`` undoes it
on import, so a round trip gives back exactly what was typed.

``text_cell`` is what every exporter writes for a text cell: control
characters made visible (``safe_text.visible``; a CSV opened with ``cat`` or
``less`` must not clear the screen) and then neutralised.
"""

from __future__ import annotations

from typing import Any

from gtm_tui.data.safe_text import visible

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Full-width (U+FF1D …) and small (U+FE66 …) forms of = + - @ : Excel folds them to the ASCII ones.
WIDE_FORMULA_STARTS = ("\uff1d", "\uff0b", "\uff0d", "\uff20", "\ufe66", "\ufe62", "\ufe63", "\ufe6b")


def _needs_quote(text: str) -> bool:
    """True when ``text`` would be read as a formula — or is itself a quoted one (so quoting stays reversible)."""
    if text.startswith(FORMULA_STARTS):
        return True
    if text.lstrip().startswith(FORMULA_STARTS + WIDE_FORMULA_STARTS):
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


def text_cell(value: Any) -> Any:
    """A cell as an exporter writes it: text with control characters made visible, then neutralised."""
    if isinstance(value, str):
        return neutralise(visible(value, allow_newlines=True))
    return value
