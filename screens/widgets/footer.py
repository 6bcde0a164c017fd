"""The key bar at the bottom of every screen: Textual's Footer, rebuilt only when the keys it shows change.

Textual's Footer mounts a widget per key again whenever the screen's
bindings *may* have changed (focus moves, a screen is shown, a check of an
action): five times while the first screen starts, with some 25 keys each.
Most of those rebuilds show the very same keys, so this footer compares what
it would show (key, words, enabled) and skips them.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


def shown_keys(screen: Screen) -> tuple[tuple[str, str, bool, str], ...]:
    """What the footer shows for ``screen``: (key, description, enabled, tooltip) of each key it lists."""
    return tuple((binding.key, binding.description, enabled, tooltip)
                 for _node, binding, enabled, tooltip in screen.active_bindings.values() if binding.show)


class KeysFooter(Footer):
    """A Footer that rebuilds its keys only when they differ from the keys it shows."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[tuple[str, str, bool, str], ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen and screen.app.app_focus and self.is_attached:
            keys = shown_keys(screen)
            if keys == self._shown:
                return
            self._shown = keys
        super().bindings_changed(screen)
