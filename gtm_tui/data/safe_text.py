"""Text from the file is hostile: control characters never reach a terminal, a form or an export.

A name is typed by a teammate, but it may also come from a Trello board, a
hand edit or another tool, and a terminal obeys the bytes it is sent: ESC
starts a sequence that can write the clipboard (OSC 52), rename the window
(OSC 0), clear the screen (``ESC[2J``) or hide a link (OSC 8); the C1 byte
U+009B is a one-character ESC ``[`` for some terminals. So:

* ``clean`` is what the model stores for new text: every control character
  (C0, DEL, C1) removed; a line break or a tab kept only in a field that
  allows them (notes), elsewhere turned into a space; CR LF and lone CR made
  LF.
* ``visible`` is how text already in a file is shown or exported: each
  control character drawn as a visible picture (``␛`` for ESC, ``␇`` for
  BEL, ``\\x9b`` for a C1 byte), so it is inert and a reader sees that
  something odd is there.
* ``strip`` drops them without a trace, keeping the text's width on screen
  (the app's last filter on every line it draws).
"""

from __future__ import annotations

import re
from typing import Any

# C0 except tab and line feed, DEL, C1. Tab and LF are handled per field.
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
CONTROL_RE = re.compile(f"[{_CONTROL}]")
ANY_CONTROL_RE = re.compile(f"[{_CONTROL}\t\n]")
_LINE_BREAKS = re.compile(r"\r\n?")
# ESC → ␛, BEL → ␇ …: the Unicode "control pictures" (U+2400 + code; DEL is U+2421). One cell wide each.
_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}
_SHOWN = {code: _PICTURES.get(code, f"\\x{code:02x}") for code in (*range(0x20), *range(0x7F, 0xA0))}
_SHOWN_INLINE = {k: v for k, v in _SHOWN.items() if k not in (0x09, 0x0A)}


def has_control(text: str, *, allow_newlines: bool = False) -> bool:
    """True when ``text`` holds a control character (a tab or line break counts unless ``allow_newlines``)."""
    return bool((CONTROL_RE if allow_newlines else ANY_CONTROL_RE).search(text))


def clean(text: str, *, allow_newlines: bool = False) -> str:
    """``text`` fit to store: no control characters; line breaks (and tabs) only where ``allow_newlines``."""
    if not has_control(text, allow_newlines=allow_newlines):
        return text
    text = CONTROL_RE.sub("", _LINE_BREAKS.sub("\n", text))
    if not allow_newlines:
        text = text.replace("\n", " ").replace("\t", " ")
    return text


def visible(text: str, *, allow_newlines: bool = False) -> str:
    """``text`` with every control character drawn visibly (``␛`` …); tabs and line breaks kept on request."""
    if not has_control(text, allow_newlines=allow_newlines):
        return text
    if allow_newlines:
        text = _LINE_BREAKS.sub("\n", text)
        return text.translate(_SHOWN_INLINE)
    return text.translate(_SHOWN)


def strip(text: str) -> str:
    """``text`` without its control characters (tabs and line breaks kept): nothing else changes."""
    return CONTROL_RE.sub("", text) if CONTROL_RE.search(text) else text


def clean_json(value: Any, *, allow_newlines: bool = False) -> Any:
    """A JSON value with every string in it (dict keys too, always one line) passed through ``clean``.

    ``value`` itself when nothing changed, so a caller can tell by identity.
    """
    if isinstance(value, str):
        return clean(value, allow_newlines=allow_newlines)
    if isinstance(value, list):
        items = [clean_json(item, allow_newlines=allow_newlines) for item in value]
        return value if all(new is old for new, old in zip(items, value, strict=True)) else items
    if isinstance(value, dict):
        pairs = [(clean_json(key), clean_json(item, allow_newlines=allow_newlines)) for key, item in value.items()]
        unchanged = all(k is a and v is b for (k, v), (a, b) in zip(pairs, value.items(), strict=True))
        return value if unchanged else dict(pairs)
    return value
