"""Toasts never cover an open dialog: while one is open they are held, and shown when it closes.

A toast is drawn in the bottom right of the screen on top; at 80 x 24 a form
or a question fills most of it, and a stack of toasts (a teammate's saves
reloaded, a reminder) hid its fields and buttons. So while a dialog (a modal
screen: a form, a question, help, the palette) is on top, new toasts wait
here, and the toasts already up stay on the screen below it (app.tcss keeps
them off the dialog's own layer). When the last dialog closes the held ones
are shown, each with its full time.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App, ScreenStackError
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen

MAX_HELD = 5  # a dialog left open through many reloads shows the latest few, not a wall of them


@dataclass(frozen=True)
class HeldToast:
    """A toast as ``App.notify`` was asked for it (text already made safe to show)."""

    message: str
    title: str = ""
    severity: SeverityLevel = "information"
    timeout: float | None = None


def dialog_open(app: App) -> bool:
    """Whether a dialog is on top, which a toast would cover."""
    try:
        return isinstance(app.screen, ModalScreen)
    except ScreenStackError:  # starting or closing: no screen yet
        return False


class ToastHold:
    """The toasts raised while a dialog is open, oldest first, each once."""

    def __init__(self) -> None:
        self._held: list[HeldToast] = []

    def __len__(self) -> int:
        return len(self._held)

    def keep(self, toast: HeldToast) -> None:
        """Hold ``toast``; the same toast raised again is held once, at its latest place."""
        self._held = [held for held in self._held if held != toast][-(MAX_HELD - 1):] + [toast]

    def release(self) -> list[HeldToast]:
        """The held toasts, to be shown now; the hold is empty after."""
        held, self._held = self._held, []
        return held
