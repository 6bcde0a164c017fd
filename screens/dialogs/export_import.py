"""Export… and Import… from the command palette.

Export asks for a format and a path (next to the workspace by default; its
ending follows the format picked) and writes it in a worker, the keys answered
meanwhile (``export_jobs``); it asks before replacing a file and never writes
over the workspace (``io.exporting`` has the rules). In a browser session of
``gtm-tui serve`` the path stays under the folder the server's owner chose and the written files are
offered to the browser as downloads. Import asks for a file and, optionally,
its format, and what to do with it: bring its records into the pilot, or
measure the pilot's baseline from it (a past campaign's board: its lists mapped
onto the stages, as ``gtm-tui baseline`` does). The form offers every option
(how to read a board, where a RACI matrix goes); each format is given only
those it uses. A plain plan is shown as what would be added, updated and
removed, what was left out and why; a RACI matrix or retro notes get the fuller
preview of ``import_preview`` (the grid as understood, what was interpreted or
skipped, the RACI problems, where each row goes). Nothing is written before a
yes — then in one save, one undo step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual.app import App

from gtm_tui.data.model import ValidationError
from gtm_tui.data.workspace import SaveError, Workspace
from gtm_tui.io.baseline_import import plan_baseline_file
from gtm_tui.io.exporting import WouldReplace, check_target, chosen_path, formats, path_for_format, session_folder
from gtm_tui.io.import_report import ReviewedPlan
from gtm_tui.io.importing import BadRow, ImportPlan, ReadOptions, applicable, apply_plan, flag, plan_import
from gtm_tui.io.raci_layout import LAYOUTS
from gtm_tui.screens.app_state import app_state
from gtm_tui.screens.dialogs.following import FollowingForm, Follows
from gtm_tui.screens.dialogs.forms import STAY_OPEN, ConfirmScreen, FormField, FormScreen
from gtm_tui.screens.dialogs.import_preview import ImportPreviewScreen

IMPORT_FORMATS = [
    ("our CSV folder or file", "csv"),
    ("our Excel workbook", "xlsx"),
    ("Trello board (JSON export)", "trello"),
    ("Asana project (CSV export)", "asana"),
    ("Jira issues (CSV export)", "jira"),
    ("RACI matrix (CSV, Excel or Markdown table)", "raci"),
    ("Retro notes (Markdown, retro board CSV, Parabol CSV)", "retro"),
]
USES = [
    ("bring its records into the pilot", "import"),
    ("measure the pilot's baseline from it (a past campaign)", "baseline"),
]
RACI_LAYERS = [("today's RACI (how the team works now)", "today"), ("the pilot's RACI", "pilot")]
# the form's fields that are ReadOptions, each named as the option it gives
OPTION_FIELDS = ("mapping", "done_list", "tz", "include_archived", "layer", "layout", "sheet")


def export_folder(app: App) -> Path | None:
    """Where a browser session's exports must stay (None in a terminal)."""
    workspace = app_state(app).workspace
    assert workspace is not None
    return session_folder(workspace.path, in_browser=app.is_web)


def write_or_ask(app: App, fmt: str, out: Path, started: Callable[[], None], *, title: str = "Exported") -> None:
    """Start writing ``fmt`` to ``out`` in a worker and call ``started``; when that would replace files, ask first.

    The export is written off the app's thread (``screens/export_jobs.py``),
    which says when the file is written. ``ValidationError`` (a refused path)
    goes to the caller, so a form can show it under its field.
    """
    state = app_state(app)
    workspace = state.workspace
    assert workspace is not None
    under = export_folder(app)

    def start(*, replace: bool) -> None:
        state.exports.check_free(out)
        check_target(workspace, fmt, out, replace=replace, under=under)
        state.exports.start(workspace, fmt, out, title=title)
        started()

    try:
        start(replace=False)
    except WouldReplace as question:

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                start(replace=True)
            except (ValidationError, WouldReplace) as error:
                app.notify(str(error), title="Not exported", severity="error", timeout=10)

        details = [f"{path} already exists" for path in question.existing]
        app.push_screen(ConfirmScreen(f"Replace {out.name}?", details, yes="Replace"), answer)


def start_export(app: App, fmt: str | None = None) -> None:
    """Open the Export… form (on ``fmt`` when given, e.g. "handover" from the palette's Handover pack…)."""
    workspace = app_state(app).workspace
    if workspace is None:
        return
    first = fmt or formats()[0][1]
    folder = export_folder(app)

    def submit(values: dict[str, Any]) -> Any:
        fmt = values.get("format")
        if not fmt:
            raise ValidationError("format", "pick a format")
        out = chosen_path(workspace.path, fmt, values.get("path") or "", folder=folder)

        def started() -> None:
            if app.screen is form:
                form.dismiss(True)

        write_or_ask(app, fmt, out, started)
        return STAY_OPEN  # until the export is under way: "replace it?" may come first

    hint = f"relative to {folder}" if folder else "empty: next to the workspace, named after it"
    fields = [
        FormField("format", "Format", first, kind="choice", choices=formats(), required=True),
        FormField("path", "Save to", str(chosen_path(workspace.path, first, "", folder=folder)), hint=hint),
    ]
    # The path's ending follows the format picked (Calendar: .ics, Mermaid: .mmd), keeping a name the user typed.
    follows = [Follows("path", "format",
                       lambda new, old, typed: new and path_for_format(workspace.path, typed or "", old, new,
                                                                       folder=folder))]
    form = FollowingForm("Export the pilot", fields, submit, follows)
    app.push_screen(form)


def _source_path(app: App, typed: str) -> Path:
    """What was typed, from the current folder, else from the workspace's folder."""
    path = Path(typed.strip()).expanduser()
    workspace = app_state(app).workspace
    if path.is_absolute() or path.exists() or workspace is None:
        return path
    beside = workspace.path.parent / path
    return beside if beside.exists() else path


def _text(values: dict[str, Any], name: str) -> str | None:
    """A text field's answer, or None when left empty."""
    return (values.get(name) or "").strip() or None


def start_import(app: App) -> None:
    """Open the Import… form; a plan that reads well is shown for confirmation."""
    workspace = app_state(app).workspace
    if workspace is None:
        return

    def submit(values: dict[str, Any]) -> ImportPlan:
        typed = (values.get("path") or "").strip()
        if not typed:
            raise ValidationError("path", "give the file (or CSV folder) to import")
        reading = ReadOptions(tz=_text(values, "tz"), done_list=_text(values, "done_list"),
                              include_archived=bool(values.get("include_archived")),
                              mapping=[part for part in (values.get("mapping") or "").split(";") if part.strip()])
        path = _source_path(app, typed)
        try:
            if values.get("use") == "baseline":
                return plan_baseline_file(workspace, path, values.get("format"), reading)
            options = replace(reading, layer=values.get("layer"), sheet=_text(values, "sheet"),
                              layout=values.get("layout"))
            return plan_import(workspace, path, values.get("format"), applicable(path, values.get("format"), options))
        except BadRow as error:  # under the field it is about ("--tz 'Mars/Olympus'": the time zone)
            field = next((name for name in OPTION_FIELDS if error.where.startswith(flag(name))), "path")
            raise ValidationError(field, f"nothing imported — {error}") from None

    fields = [
        FormField(
            "path",
            "File or folder",
            "",
            required=True,
            hint="Excel, CSV folder or file, Trello .json, Asana or Jira .csv, RACI, retro notes",
        ),
        FormField("format", "Format", None, kind="choice", choices=IMPORT_FORMATS, hint="empty: guessed from the file"),
        FormField("use", "Use it to", "import", kind="choice", choices=USES, required=True),
        FormField(
            "mapping",
            "Mapping",
            "",
            hint="Their name=Our stage; … (baseline lists, RACI rows, retro headings; same names map themselves)",
        ),
        FormField("done_list", "Done list", "", hint="empty: a list named like Done, else the last list"),
        FormField("tz", "Time zone", "", hint="empty: this machine's; e.g. America/Chicago"),
        FormField("include_archived", "Include archived cards and lists (as done, past work)", False, kind="yesno"),
        FormField(
            "layer", "RACI layer", "today", kind="choice", choices=RACI_LAYERS, hint="a RACI matrix fills this layer"
        ),
        FormField(
            "layout",
            "RACI layout",
            None,
            kind="choice",
            choices=[(f"{name}: {description}", name) for name, description in LAYOUTS.items()],
            hint="empty: found from the grid",
        ),
        FormField("sheet", "Sheet", "", hint="a workbook's sheet to read (empty: found)"),
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
    if isinstance(plan, ReviewedPlan):
        app.push_screen(ImportPreviewScreen(plan, lambda mapping: _replan(workspace, plan, mapping)),
                        lambda chosen: _apply(app, chosen))
        return
    summary = plan.summary()  # kept short so the question and buttons fit an 80x24 terminal
    details = [*summary, *plan.preview(workspace, limit=max(2, 8 - len(summary)))]
    question = f"Measure the {plan.source}?" if plan.source.startswith("baseline") else f"Import {plan.source}?"
    app.push_screen(ConfirmScreen(question, details, yes="Import"), lambda yes: _apply(app, plan if yes else None))


def _replan(workspace: Workspace, plan: ReviewedPlan, mapping: dict[str, str]) -> ReviewedPlan:
    """The same file read again with a changed mapping (the preview's ``m``)."""
    found = plan_import(workspace, Path(plan.path), plan.fmt, replace(plan.options, mapping=mapping))
    assert isinstance(found, ReviewedPlan)
    return found


def _apply(app: App, plan: ImportPlan | None) -> None:
    """Write the plan the user said yes to (one save, one undo step), or say that nothing was imported."""
    workspace = app_state(app).workspace
    if plan is None or workspace is None:
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
