"""``gtm-tui import FILE SOURCE [--from csv|xlsx|trello|asana|jira|raci|retro] [options] [--dry-run]``.

Plans the whole import first; a bad row stops it with its line number and
exit code 1, and the workspace is left as it was. Otherwise writes it in one
save (one undo step in the app) and says what it added and updated. A RACI
matrix or retro notes also say how the file was read: what was interpreted,
what could not be read and where, what was skipped, and the RACI problems.

Every option reaches the importer as one ``ReadOptions``: how to read a board
or tracker (``--tz``, ``--done-list``, ``--include-archived``, shared with
``gtm-tui baseline``), and where a RACI matrix or retro notes go (``--layer``,
``--sheet``, ``--layout``, ``--map``). One the format has no use for is refused.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import fields

from gtm_tui.cli.errors import OK, PROBLEMS, UNUSABLE, fail
from gtm_tui.data.storage import SaveError, WorkspaceFileError
from gtm_tui.data.workspace import Workspace
from gtm_tui.io.import_report import ReviewedPlan
from gtm_tui.io.importing import IMPORTERS, BadRow, ReadOptions, apply_plan, plan_import
from gtm_tui.io.raci_layout import LAYOUTS


def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="gtm-tui import",
        description="Bring records in from our CSV folder or Excel export, a Trello board JSON export, an Asana CSV "
        "export or a Jira CSV export, with their history (moves become stage visits), a RACI matrix (CSV, Excel, "
        "Markdown) or retro notes (Markdown, a retro board CSV, Parabol's CSV). All or nothing: a bad row stops the "
        "import and nothing is written.",
    )
    parser.add_argument("file", help="the workspace file to import into")
    parser.add_argument("source", help="the file (or CSV folder) to import")
    parser.add_argument(
        "--from", dest="fmt", choices=sorted(IMPORTERS), help="the source's format (guessed when left out)"
    )
    add_reading_options(parser)
    parser.add_argument("--layer", choices=("today", "pilot"), help="RACI: the layer to fill (default: today)")
    parser.add_argument("--sheet", help="RACI or retro board in a workbook: the sheet to read (name or number)")
    parser.add_argument("--layout", choices=sorted(LAYOUTS), help="RACI: how the grid is laid out (default: detected)")
    parser.add_argument("--map", dest="mapping", action="append", metavar="NAME=TARGET",
                        help="RACI: a row or section to a stage ('Their row=Our stage', '=Stage / activity', "
                        "'new', 'skip'); retro: a heading to a question (its text or number, 'new', 'actions', "
                        "'skip'). Repeat.")
    parser.add_argument("--dry-run", action="store_true", help="say what would be imported, write nothing")
    args = parser.parse_args(argv)
    try:
        workspace = Workspace.open(args.file)
    except WorkspaceFileError as error:
        return fail(str(error))
    try:
        plan = plan_import(workspace, args.source, args.fmt, reading_options(args))
        if not args.dry_run:
            apply_plan(workspace, plan)
    except BadRow as error:
        return fail(f"nothing imported — {error}", PROBLEMS)
    except (SaveError, WorkspaceFileError) as error:
        return fail(f"nothing imported — {error}", UNUSABLE)
    verb = "Would import" if args.dry_run else "Imported"
    print(f"{verb} {plan.source} into {args.file}:")
    for line in plan.summary():
        print(f"  {line}")
    if isinstance(plan, ReviewedPlan):
        for line in plan.report_lines():
            print(f"  {line}")
    return OK


def add_reading_options(parser: argparse.ArgumentParser) -> None:
    """The options that say how to read a board or tracker export (import and baseline share them)."""
    parser.add_argument("--tz", metavar="ZONE", help="the team's time zone for due dates and Jira's times, e.g. "
                        "Europe/Madrid (default: this machine's)")
    parser.add_argument("--done-list", metavar="NAME", help="the list (Trello) or status (Jira) that means done "
                        "(default: one named like Done, Готово, Terminado, 完了 …, else the last list)")
    parser.add_argument("--include-archived", action="store_true",
                        help="bring archived cards and lists in as done, past work (left out and counted otherwise)")


def reading_options(args: argparse.Namespace) -> ReadOptions:
    """The ``ReadOptions`` the verb's parser took: each flag fills the field of its name, when the verb has it."""
    given = {option.name: getattr(args, option.name, None) for option in fields(ReadOptions)}
    return ReadOptions(**{name: value for name, value in given.items() if value is not None})
