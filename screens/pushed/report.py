"""The report for leadership inside the app: rendered Markdown, saved next to the workspace or copied."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from gtm_tui.data.model import ValidationError
from gtm_tui.io.exporting import chosen_path
from gtm_tui.review.report import build_report
from gtm_tui.screens.dialogs.export_import import export_folder, write_or_ask
from gtm_tui.screens.main.base import MainScreen


class ReportScreen(MainScreen):
    """The short report for leadership, as it will be exported (``gtm-tui export FILE --format md``)."""

    SCREEN_NAME = "Report"
    HELP_INTRO = "The short report for leadership, built from the file. Save it beside the workspace or copy it."
    DEFAULT_CSS = """
    ReportScreen #report-scroll { height: 1fr; padding: 0 2; }
    """
    BINDINGS = [
        Binding("s", "save", "Save as file"),
        Binding("c", "copy", "Copy to clipboard"),
        Binding("escape", "close", "Close"),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        with VerticalScroll(id="report-scroll"):
            yield Markdown("", id="report", open_links=False)  # a link in a note is text, not a way out
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#report-scroll").focus()

    def markdown(self) -> str:
        return build_report(self.workspace)

    def refresh_view(self) -> None:
        self.query_one("#report", Markdown).update(self.markdown())

    def action_save(self) -> None:
        """Write the report to <workspace>-report.md beside the workspace file, as the Markdown export does.

        It asks before replacing an earlier report; in a browser session it goes
        to the server owner's export folder and comes as a download.
        """
        path = chosen_path(self.workspace.path, "md", "", folder=export_folder(self.app))
        try:
            write_or_ask(self.app, "md", path, lambda: None, title="Report saved")
        except ValidationError as error:
            self.notify(error.reason, title="Not saved", severity="error", timeout=10)

    def action_copy(self) -> None:
        """Put the report's Markdown on the clipboard."""
        self.app.copy_to_clipboard(self.markdown())
        self.notify("The report's Markdown is on the clipboard.")

    def action_close(self) -> None:
        """Back to the Retro screen."""
        self.dismiss()
