"""The report for leadership inside the app: rendered Markdown, saved next to the workspace or copied."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from gtm_tui.data.model import ValidationError
from gtm_tui.io.exporting import default_path, export
from gtm_tui.review.report import build_report
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
            yield Markdown("", id="report")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#report-scroll").focus()

    def markdown(self) -> str:
        return build_report(self.workspace)

    def refresh_view(self) -> None:
        self.query_one("#report", Markdown).update(self.markdown())

    def action_save(self) -> None:
        """Write the report to <workspace>-report.md beside the workspace file, as the Markdown export does."""
        try:
            path = export(self.workspace, "md", default_path(self.workspace.path, "md"))
        except ValidationError as error:
            self.notify(error.reason, title="Not saved", severity="error")
            return
        self.notify(f"Saved {path}", title="Report saved")

    def action_copy(self) -> None:
        """Put the report's Markdown on the clipboard."""
        self.app.copy_to_clipboard(self.markdown())
        self.notify("The report's Markdown is on the clipboard.")

    def action_close(self) -> None:
        """Back to the Retro screen."""
        self.dismiss()
