"""``gtm-tui baseline FILE SOURCE [--from trello|jira|asana|csv|xlsx] [--map "Their list=Our stage" …]``.

Measures the pilot's baseline from the past campaign's own history: the
source is read, its lists (sections, statuses) are mapped onto the pilot's
stages, and its work is kept as baseline items that the pilot's own metrics
code measures. All or nothing, in one save; exit 1 with the reason when the
source or a mapping cannot be used. Then prints the baseline's figures.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from gtm_tui.cli.errors import OK, PROBLEMS, UNUSABLE, fail
from gtm_tui.cli.imports import add_reading_options, reading_options
from gtm_tui.data import clock
from gtm_tui.data.model import Stage
from gtm_tui.data.storage import SaveError, WorkspaceFileError
from gtm_tui.data.workspace import Workspace
from gtm_tui.io.baseline_import import FORMATS, plan_baseline_file
from gtm_tui.io.importing import BadRow, apply_plan
from gtm_tui.overview.sections import counted
from gtm_tui.work import baseline
from gtm_tui.work.metrics import days_text, number_text


def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="gtm-tui baseline",
        description="Measure the pilot's baseline from a past campaign's board or tracker export: its history is "
        "mapped onto the pilot's stages and measured with the pilot's own figures. Replaces an earlier baseline.",
    )
    parser.add_argument("file", help="the workspace file")
    parser.add_argument(
        "source", help="the past campaign: a Trello board JSON, an Asana or Jira CSV, or our CSV folder / .xlsx"
    )
    parser.add_argument("--from", dest="fmt", choices=FORMATS, help="the source's format (guessed when left out)")
    parser.add_argument(
        "--map",
        dest="mapping",
        action="append",
        default=[],
        metavar='"THEIR LIST=OUR STAGE"',
        help='map a list, section or status onto a stage (repeat it; "Their list=" leaves one out); '
        "names that match a stage are mapped without it",
    )
    add_reading_options(parser)
    parser.add_argument("--dry-run", action="store_true", help="say what would be measured, write nothing")
    args = parser.parse_args(argv)
    try:
        workspace = Workspace.open(args.file)
    except WorkspaceFileError as error:
        return fail(str(error))
    try:
        plan = plan_baseline_file(workspace, args.source, args.fmt, reading_options(args))
        if not args.dry_run:
            apply_plan(workspace, plan)
    except BadRow as error:
        return fail(f"no baseline taken — {error}", PROBLEMS)
    except (SaveError, WorkspaceFileError) as error:
        return fail(f"no baseline taken — {error}", UNUSABLE)
    print(f"{'Would measure' if args.dry_run else 'Measured'} the {plan.source} into {args.file}:")
    for line in plan.summary():
        print(f"  {line}")
    if not args.dry_run:
        for line in figure_lines(workspace):
            print(line)
    return OK


def figure_lines(workspace: Workspace) -> list[str]:
    """The baseline beside the pilot, as the Metrics screen shows it, in plain lines."""
    against = baseline.compare(workspace, clock.now())
    lines = ["Baseline against the pilot so far:"]
    for comparison in against.measures:
        lines.append(
            f"  {comparison.measure}: baseline {number_text(comparison.baseline)} ({comparison.origin}), "
            f"pilot {number_text(comparison.pilot)}"
        )
    for stage in against.stages:
        past = stage.baseline
        lines.append(
            f"  time in {stage.name}: baseline median {days_text(past.median_days if past else None)}"
            f" ({counted(past.visits if past else 0, 'visit')}), pilot {days_text(stage.pilot.median_days)}"
        )
    for wait in against.waits:
        names = f"{workspace.name_of(Stage, wait.from_stage_id)} → {workspace.name_of(Stage, wait.to_stage_id)}"
        lines.append(
            f"  wait {names}{' (focus)' if wait.focus else ''}: baseline median "
            f"{days_text(wait.baseline.median_days if wait.baseline else None)}, pilot "
            f"{days_text(wait.pilot.median_days if wait.pilot else None)}"
        )
    return lines
