"""The state the running app shares with its screens, and how a screen reaches it.

The app declares it as reactives (see ``gtm_tui.app.GtmApp``): the workspace's
``revision`` (which change the file is at), who sits at this keyboard
(``session_person``, kept per machine by ``sharing/identity.py``, or
``looking``) and whether the last change reached the file (``save_state``).
Screens read it through ``app_state`` and follow it with
``self.watch(self.app, ...)``, Textual's way to watch another node's reactive;
they never import the app (it imports them), so ``AppState`` says what a
screen may count on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from textual.message_pump import MessagePump
from textual.screen import Screen

from gtm_tui.data.workspace import ChangeSet, Workspace
from gtm_tui.screens.drafts import Drafts
from gtm_tui.screens.export_jobs import ExportJobs


@dataclass(frozen=True)
class Revision:
    """Where the workspace is: the ``number``-th change of this session and what it changed.

    A screen remembers the number it drew; when it is shown again with an
    older number it redraws, instead of redrawing on every change while hidden.
    """

    number: int = 0
    change_set: ChangeSet | None = None

    def after(self, change_set: ChangeSet) -> Revision:
        return Revision(self.number + 1, change_set)


@dataclass(frozen=True)
class SaveState:
    """Whether the last change reached the file, and whether today's backup was made.

    ``error`` is why the last change was not saved ("" once a change is);
    ``backup_error`` is why the daily backup failed (a save never waits for it).
    """

    error: str = ""
    backup_error: str = ""

    @property
    def saved(self) -> bool:
        return not self.error

    def describe(self) -> str:
        """The words of the status line."""
        words = "✓ saved" if self.saved else f"⚠ NOT SAVED: {self.error}"
        if self.backup_error:
            words += " · ⚠ no backup today"
        return words


@runtime_checkable
class AppState(Protocol):
    """What a screen may count on from the app that runs it."""

    workspace: Workspace | None
    revision: Revision
    session_person: str | None  # the id of who sits at this keyboard; None: each item's owner
    looking: bool  # this machine said "just looking"
    save_state: SaveState
    drafts: Drafts  # what was typed and left unsaved, until it is saved
    exports: ExportJobs  # the exports being written in workers

    def say_who(self, person_id: str | None) -> None:
        """This machine's person is ``person_id`` (None: just looking), remembered in the user's config folder."""

    def show_save_error(self, message: str) -> None:
        """Say in the status line that the last change did not reach the file."""


def app_state(node: MessagePump) -> AppState:
    """The running app's shared state, for a screen, widget or dialog callback."""
    app = node.app
    if not isinstance(app, AppState):
        raise TypeError(f"{type(app).__name__} does not hold a workspace's state")
    return app


def workspace_of(node: MessagePump) -> Workspace:
    """The open workspace (a screen that shows records exists only once one is open)."""
    workspace = app_state(node).workspace
    if workspace is None:
        raise RuntimeError("no workspace is open yet")
    return workspace


def is_shown(screen: Screen) -> bool:
    """Whether the user sees ``screen``: it is on top, or only dialogs lie over it.

    ``Screen.is_current`` also counts the screen just under an opaque pushed
    screen (the Retro screen under Meeting mode), which need not redraw until
    it is shown again.
    """
    for above in reversed(screen.app.screen_stack):
        if above is screen:
            return True
        if not above.is_modal:
            return False
    return False
