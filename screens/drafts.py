"""Drafts: what was typed and left unsaved (esc in a form, leaving a stand-up), kept until it is saved.

A form left with esc keeps what was typed here, under the form's title and the
values it opened with (so a draft of "Edit person" for Ann never fills Bob's);
the next open of the same form brings it back. The app asks before quitting while
any draft, or anything a screen says is unsaved, would be lost. Drafts live as long
as the app: they are the user's words, not yet part of the shared file.
"""

from __future__ import annotations

from typing import Any


class Drafts:
    """Unsaved typing, by what it was typed into."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[str, dict[str, Any]]] = {}  # key -> (what it is, in words; the values)
        # The review notes typed on this screen: shown here in the private write phase, anonymous ones too.
        self.written_here: set[str] = set()

    def keep(self, key: str, what: str, values: dict[str, Any]) -> None:
        self._kept[key] = (what, dict(values))

    def get(self, key: str) -> dict[str, Any] | None:
        kept = self._kept.get(key)
        return dict(kept[1]) if kept else None

    def drop(self, key: str) -> None:
        self._kept.pop(key, None)

    def describe(self) -> list[str]:
        """One line per draft, for the question asked before quitting."""
        return [what for what, _ in self._kept.values()]

    def __len__(self) -> int:
        return len(self._kept)


def form_key(title: str, values: dict[str, Any]) -> str:
    """A form's draft key: its title and the values it opened with."""
    return f"form:{title}:" + repr(sorted(values.items(), key=lambda pair: pair[0]))
