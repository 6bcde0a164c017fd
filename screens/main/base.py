"""What every main screen shares: the workspace, refreshing after a change, safe saving."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, TypeVar

from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

from gtm_tui.data.model import ValidationError
from gtm_tui.data.storage import SaveError
from gtm_tui.data.workspace import ChangeSet, RecordNotFound, Workspace

if TYPE_CHECKING:
    from gtm_tui.app import GtmApp

T = TypeVar("T")


class MainScreen(Screen):
    """A main screen (keys 1-7). Subclasses implement ``refresh_view`` and compose their body.

    The app calls ``workspace_changed`` after every saved change; the screen
    re-renders at once when it is showing, otherwise when it is shown again.
    """

    SCREEN_NAME = ""  # e.g. "People"; the palette says "Go to People"
    SCREEN_KEY = ""  # "1".."7"
    HELP_INTRO = ""  # a sentence on what the screen is for, shown in help

    def __init__(self) -> None:
        super().__init__()
        self._stale = False

    @property
    def gtm(self) -> GtmApp:
        return self.app  # type: ignore[return-value]

    @property
    def workspace(self) -> Workspace:
        return self.gtm.workspace  # type: ignore[return-value]

    def compose_header(self):
        yield Header()

    def compose_footer(self):
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_view()

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self.refresh_view()

    def workspace_changed(self, change_set: ChangeSet) -> None:
        """Called by the app after a change was saved (or the file reloaded)."""
        if self.is_current:
            self.refresh_view()
        else:
            self._stale = True

    def refresh_view(self) -> None:
        """Re-render everything shown from the workspace. Keep the cursor where it was."""

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
            self.gtm.show_save_error(str(error))
        return None


def row_key(table: DataTable) -> str | None:
    """The record id of the row under the cursor (rows are keyed by record id), or None for an empty table."""
    if table.row_count == 0:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def choices_of(records: Any) -> list[tuple[str, Any]]:
    """(name, id) pairs for a choice field."""
    return [(record.describe(), record.id) for record in records]
