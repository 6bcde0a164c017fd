"""The first-run screen: the file does not exist yet; offer an empty pilot or the demo as a template."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from gtm_tui.data import clock
from gtm_tui.data.model import Pilot, ValidationError
from gtm_tui.data.workspace import Workspace, WorkspaceFileError
from gtm_tui.screens.dialogs.forms import FormField, FormScreen
from gtm_tui.screens.widgets.footer import KeysFooter


class FirstRunScreen(Screen["Workspace | None"]):
    """Nothing is written until the user picks how to start and confirms."""

    DEFAULT_CSS = """
    FirstRunScreen { align: center middle; }
    FirstRunScreen > Vertical { width: 76; max-width: 100%; height: auto; border: thick $accent; padding: 1 2; }
    FirstRunScreen OptionList { height: auto; margin: 1 0; }
    """
    BINDINGS = [
        Binding("e", "empty", "Empty pilot"),
        Binding("d", "demo", "From the demo"),
        Binding("escape,q", "leave", "Quit"),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(Text("Welcome to gtm-tui", style="bold"))
            yield Static(Text(f"There is no workspace at {self.path} yet. How would you like to start?"))
            yield OptionList(
                Option("e  An empty pilot (you name it; the four review questions are added)", id="empty"),
                Option("d  A copy of the demo pilot, to adapt (a product launch of a B2B software company)", id="demo"),
                Option("q  Quit without creating anything", id="leave"),
            )
            yield Static(Text("The file is written only after you choose.", style="dim"))
        yield KeysFooter()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # run_action is a coroutine: not awaited, the picked line would do nothing.
        await self.run_action(event.option.id or "leave")

    def action_empty(self) -> None:
        def submit(values: dict[str, Any]) -> Workspace:
            name = (values["name"] or "").strip()
            if not name:
                raise ValidationError("name", "the pilot needs a name")
            return self._create(lambda: Workspace.create(self.path, Pilot(name=name)))

        def done(workspace: Workspace | None) -> None:
            if workspace is not None:
                self.dismiss(workspace)

        fields = [FormField("name", "Pilot name", "", required=True, hint="e.g. Q1 launch workflow pilot")]
        self.app.push_screen(FormScreen(f"Create {self.path.name}", fields, submit), done)

    def action_demo(self) -> None:
        # Imported on use, not for a cycle: most people create an empty pilot, and the
        # demo's tables cost this screen about 7 ms (python -X importtime).
        from gtm_tui.data.demo import write_demo

        def create() -> Workspace:
            write_demo(self.path, clock.today())
            return Workspace.open(self.path)

        workspace = self._create_or_tell(create)
        if workspace is not None:
            self.dismiss(workspace)

    def action_leave(self) -> None:
        self.dismiss(None)

    def _create(self, make: Any) -> Workspace:
        try:
            return make()
        except WorkspaceFileError as error:
            raise ValidationError("name", str(error)) from None

    def _create_or_tell(self, make: Any) -> Workspace | None:
        try:
            return make()
        except WorkspaceFileError as error:
            self.notify(str(error), severity="error")
            return None
