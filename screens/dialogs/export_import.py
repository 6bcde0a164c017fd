"""Export… and Import… from the command palette.

Export asks for a format and a path (next to the workspace by default) and
writes it. Import asks for a file and, optionally, its format, and what to do
with it: bring its records into the pilot, or measure the pilot's baseline
from it (a past campaign's board: its lists mapped onto the stages, as
``gtm-tui baseline`` does). It then shows what would be added, updated and
removed, what was left out and why, and writes only after a yes — in one
save, one undo step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App

from gtm_tui.io.baseline_import import plan_baseline_file
from gtm_tui.io.exporting import chosen_path, default_path, export, formats
from gtm_tui.io.importing import BadRow, ImportPlan, ReadOptions, apply_plan, plan_import
from gtm_tui.data.model import ValidationError
from gtm_tui.data.storage import SaveError
from gtm_tui.screens.app_state import app_state
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormField, FormScreen

IMPORT_FORMATS = [
    ("our CSV folder or file", "csv"),
    ("our Excel workbook", "xlsx"),
    ("Trello board (JSON export)", "trello"),
    ("Asana project (CSV export)", "asana"),
    ("Jira issues (CSV export)", "jira"),
]
USES = [
    ("bring its records into the pilot", "import"),
    ("measure the pilot's baseline from it (a past campaign)", "baseline"),
]


def start_export(app: App, fmt: str | None = None) -> None:
    """Open the Export… form (on ``fmt`` when given, e.g. "handover" from the palette's Handover pack…)."""
    workspace = app_state(app).workspace
    if workspace is None:
        return
    first = fmt or formats()[0][1]

    def submit(values: dict[str, Any]) -> Path:
        fmt = values.get("format")
        if not fmt:
            raise ValidationError("format", "pick a format")
        return export(workspace, fmt, chosen_path(workspace.path, fmt, values.get("path") or ""))

    def done(result: Path | None) -> None:
        if isinstance(result, Path):
            app.notify(str(result), title="Exported")

    fields = [
        FormField("format", "Format", first, kind="choice", choices=formats(), required=True),
        FormField("path", "Save to", str(default_path(workspace.path, first)),
                  hint="empty: next to the workspace, named after it"),
    ]
    app.push_screen(FormScreen("Export the pilot", fields, submit), done)


def _source_path(app: App, typed: str) -> Path:
    """What was typed, from the current folder, else from the workspace's folder."""
    path = Path(typed.strip()).expanduser()
    workspace = app_state(app).workspace
    if path.is_absolute() or path.exists() or workspace is None:
        return path
    beside = workspace.path.parent / path
    return beside if beside.exists() else path


def start_import(app: App) -> None:
    """Open the Import… form; a plan that reads well is shown for confirmation."""
    workspace = app_state(app).workspace
    if workspace is None:
        return

    def submit(values: dict[str, Any]) -> ImportPlan:
        typed = (values.get("path") or "").strip()
        if not typed:
            raise ValidationError("path", "give the file (or CSV folder) to import")
        options = ReadOptions(tz=(values.get("tz") or "").strip() or None,
                              done_list=(values.get("done_list") or "").strip() or None,
                              include_archived=bool(values.get("include_archived")))
        path = _source_path(app, typed)
        try:
            if values.get("use") == "baseline":
                return plan_baseline_file(workspace, path, values.get("format"), [values.get("mapping") or ""], options)
            return plan_import(workspace, path, values.get("format"), options)
        except BadRow as error:
            options = (("--map", "mapping"), ("--tz", "tz"), ("--done", "done_list"))
            field = next((name for flag, name in options if error.where.startswith(flag)), "path")
            raise ValidationError(field, f"nothing imported — {error}") from None

    fields = [
        FormField("path", "File or folder", "", required=True,
                  hint="a .xlsx, a CSV folder, a Trello .json, an Asana or a Jira .csv"),
        FormField("format", "Format", None, kind="choice", choices=IMPORT_FORMATS,
                  hint="empty: guessed from the file"),
        FormField("use", "Use it to", "import", kind="choice", choices=USES, required=True),
        FormField("mapping", "Stage mapping", "", hint="baseline: Their list=Our stage; … (same names map themselves)"),
        FormField("done_list", "Done list", "", hint="empty: a list named like Done, else the last list"),
        FormField("tz", "Time zone", "", hint="empty: this machine's; e.g. America/Chicago"),
        FormField("include_archived", "Include archived cards and lists (as done, past work)", False, kind="yesno"),
    ]
    app.push_screen(FormScreen("Import into the pilot (empty format: guessed)", fields, submit),
                    lambda plan: _confirm(app, plan))


def _confirm(app: App, plan: ImportPlan | None) -> None:
    workspace = app_state(app).workspace
    if not isinstance(plan, ImportPlan) or workspace is None:
        return
    if not plan.planned:
        app.notify(f"Nothing to import from {plan.source}: {', '.join(plan.summary())}.", title="Import")
        return
    summary = plan.summary()  # kept short so the question and buttons fit an 80x24 terminal
    details = [*summary, *plan.preview(workspace, limit=max(2, 8 - len(summary)))]

    def answer(yes: bool | None) -> None:
        if not yes:
            app.notify("Nothing was imported.", title="Import")
            return
        try:
            apply_plan(workspace, plan)
        except BadRow as error:
            app.notify(f"Nothing imported — {error}", title="Import", severity="warning", timeout=10)
            return
        except SaveError as error:
            app_state(app).show_save_error(str(error))
            app.notify(str(error), title="Not saved", severity="error", timeout=10)
            return
        app.notify(f"{plan.source}: {'; '.join(plan.summary())}. ctrl+z undoes it.", title="Imported")

    question = f"Measure the {plan.source}?" if plan.source.startswith("baseline") else f"Import {plan.source}?"
    app.push_screen(ConfirmScreen(question, details, yes="Import"), answer)
