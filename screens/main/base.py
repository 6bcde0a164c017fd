"""What every main screen shares: the workspace, refreshing after a change, safe saving."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Header

from gtm_tui.data.model import ValidationError
from gtm_tui.data.workspace import ChangeSet, RecordNotFound, SaveError, Workspace
from gtm_tui.screens.app_state import Revision, app_state, is_shown, workspace_of
from gtm_tui.screens.widgets.footer import KeysFooter

if TYPE_CHECKING:  # the tables are the screens' own: the first screen shown (the Overview) draws none
    from textual.widgets import DataTable

    from gtm_tui.screens.widgets.line_table import LineTable

T = TypeVar("T")


class MainScreen(Screen):
    """A main screen (keys 1-9) or one pushed over it. Subclasses implement ``refresh_view`` and compose their body.

    The screen watches the app's ``revision``: after a saved change (or a
    teammate's, reloaded) it re-renders at once if the user sees it (on top, or
    under a dialog), otherwise when it is shown again — a hidden screen does no
    work per change.
    """

    SCREEN_NAME = ""  # e.g. "People"; the palette says "Go to People"
    SCREEN_KEY = ""  # "1".."9"
    HELP_INTRO = ""  # a sentence on what the screen is for, shown in help

    def __init__(self) -> None:
        super().__init__()
        # Textual marks a screen it has never shown as styled by an older stylesheet (count -1), and so
        # re-parses and re-applies the whole app's CSS twice on its first visit: most of that visit's time
        # (benchmarks/bench.py). A screen made after the last theme change is styled as its widgets mount.
        self._css_update_count = self.app._css_update_count
        self._drawn: int | None = None  # the revision the view shows; None until first drawn
        self._workspace: Workspace | None = None

    @property
    def workspace(self) -> Workspace:
        # Looked up once: a screen showing records exists only after the workspace is open, and it stays open.
        if self._workspace is None:
            self._workspace = workspace_of(self)
        return self._workspace

    def compose_header(self) -> ComposeResult:
        yield Header()

    def compose_footer(self) -> ComposeResult:
        yield KeysFooter()

    def on_mount(self) -> None:
        # Textual calls the on_mount of every class of a screen: a subclass's own on_mount must not
        # call this one again (that drew the screen twice on its first visit).
        self.watch(self.app, "revision", self._revision_changed, init=False)
        self._show_revision()
        # What a screen builds on its first visit (its widgets, the records it read) lives as long as the
        # app: moved out of the collector's reach, a full collection no longer walks a big pilot's
        # hundreds of thousands of objects (pauses of up to half a second at 10,000 records).
        self.call_after_refresh(keep_what_was_built)

    def on_screen_resume(self) -> None:
        if self._drawn is not None and self._drawn != app_state(self).revision.number:
            self._show_revision()

    def _show_revision(self) -> None:
        self._drawn = app_state(self).revision.number
        self.refresh_view()

    def _revision_changed(self, revision: Revision) -> None:
        if self._drawn is None or revision.change_set is None or not is_shown(self):
            return  # not drawn yet, or hidden: on_screen_resume catches up
        self._drawn = revision.number
        self.workspace_changed(revision.change_set)

    def workspace_changed(self, change_set: ChangeSet) -> None:
        """The workspace changed while the user sees this screen: re-render (a subclass may patch rows instead)."""
        self.refresh_view()

    def refresh_view(self) -> None:
        """Re-render everything shown from the workspace. Keep the cursor where it was."""

    def show_item(self, item_id: str) -> None:
        """Bring one piece of work into view (a screen that shows pieces overrides this)."""

    def attempt(self, change: Callable[[], T]) -> T | None:
        """Run a workspace change; turn a refusal or a failed save into a message instead of a crash."""
        try:
            return change()
        except ValidationError as error:
            self.notify(str(error), title="Not saved", severity="warning")
        except RecordNotFound as error:
            self.notify(str(error.args[0] if error.args else error), title="Not saved", severity="warning")
            self.refresh_view()
        except SaveError as error:
            self.notify(str(error), title="Not saved", severity="error", timeout=10)
            app_state(self).show_save_error(str(error))
        return None


def row_key(table: DataTable | LineTable) -> str | None:
    """The record id of the row under the cursor (rows are keyed by record id), or None for an empty table."""
    if table.row_count == 0:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def choices_of(records: Any) -> list[tuple[str, Any]]:
    """(name, id) pairs for a choice field."""
    return [(record.describe(), record.id) for record in records]


def keep_what_was_built() -> None:
    """Move what lives now out of the garbage collector's reach, after collecting what is already garbage.

    ``gc.freeze`` keeps every object it is given for good, garbage included:
    the widgets Textual built and dropped while the screen came up (a
    footer's keys mounted again, the styles of each widget's parts) stayed
    for the app's life, some 6 MiB over the nine main screens at demo size.
    The collection first walks only what was made since the last freeze
    (2–9 ms, also at 10,000 records).
    """
    gc.collect()
    gc.freeze()
