"""``gtm-tui merge``: three-way merge (a git merge driver) and folding in conflict copies.

    gtm-tui merge BASE OURS THEIRS      merge into OURS; exit 0 clean, 1 conflicts, 2 unreadable or unsound
    gtm-tui merge --into FILE [COPY...] fold conflict copies into FILE (all found beside it without COPY);
                                        copies of another pilot are skipped

As a git merge driver (``git config merge.gtm-tui.driver "gtm-tui merge %O %A %B"``)
git passes the common ancestor, our version (which receives the result) and
theirs. Exit 1 tells git the merge needs a look: the result is already
written, with the conflicts listed in the app's Conflicts screen.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gtm_tui.cli.errors import CONFLICTS, OK, UNUSABLE, fail, warn
from gtm_tui.data import migrations
from gtm_tui.data.check import problems
from gtm_tui.data.storage import SaveError, WorkspaceFileError, dump, read_file, write_atomically
from gtm_tui.data.workspace import Workspace, vet_records
from gtm_tui.overview.sections import counted
from gtm_tui.sharing.copies import conflict_copies, fold_in
from gtm_tui.sharing.merge import MergeResult, merge, two_way_base


def _read(path: str, *, may_be_empty: bool = False) -> dict[str, Any] | None:
    """A version to merge, upgraded to today's schema; None for git's empty base (no common ancestor)."""
    if may_be_empty:
        try:
            if Path(path).is_file() and not Path(path).read_bytes().strip():
                return None
        except OSError:
            pass
    tables = migrations.upgrade(read_file(path))
    vet_records(tables, path)  # records of types the app cannot use: refused, as the app would
    return tables


def _report(result: MergeResult, target: str) -> None:
    for note in result.notes:
        print(f"  - {note}", file=sys.stderr)
    if result.conflicts:
        count = len(result.conflicts)
        print(
            f"{target}: merged with {count} conflict{'s' if count != 1 else ''}: the later change was kept and the "
            "other value saved; open the file and choose in Conflicts (ctrl+p → Conflicts)",
            file=sys.stderr,
        )
    else:
        print(f"{target}: merged cleanly", file=sys.stderr)


def three_way(base_path: str, ours_path: str, theirs_path: str) -> int:
    try:
        base = _read(base_path, may_be_empty=True)
        ours = _read(ours_path)
        theirs = _read(theirs_path)
    except WorkspaceFileError as error:
        return fail(f"{error}; nothing was merged")
    assert ours is not None and theirs is not None
    if base is None:
        base = two_way_base(ours, theirs)
    result = merge(base, ours, theirs)
    if result.problems:
        for problem in result.problems:
            print(f"  - {problem}", file=sys.stderr)
        return fail(f"the merged result would not pass gtm-tui check ({len(result.problems)} problem"
                     f"{'s' if len(result.problems) != 1 else ''} above); {ours_path} was left as it was")
    try:
        write_atomically(ours_path, dump(result.tables))
    except OSError as error:
        return fail(f"cannot write {ours_path}: {error.strerror or error}; nothing was merged")
    _report(result, ours_path)
    return CONFLICTS if result.conflicts else OK


def fold(into: str, copies: Sequence[str]) -> int:
    try:
        workspace = Workspace.open(into)
    except WorkspaceFileError as error:
        return fail(str(error))
    paths = [Path(c) for c in copies] or conflict_copies(workspace)
    if not paths:
        print(f"{into}: no conflict copies beside it; nothing to fold in", file=sys.stderr)
        return OK
    try:
        report = fold_in(workspace, paths)
    except SaveError as error:
        return fail(str(error))
    for note in report.notes:
        print(f"  - {note}", file=sys.stderr)
    for problem in report.unreadable:
        warn(f"skipped: {problem}")
    for reason in report.skipped:
        warn(f"skipped: {reason}")
    print(
        f"{into}: folded in {len(report.folded)} cop{'ies' if len(report.folded) != 1 else 'y'}"
        + (
            f", {report.conflicts} conflict{'s' if report.conflicts != 1 else ''} to review in the app"
            if report.conflicts
            else ""
        ),
        file=sys.stderr,
    )
    if report.unreadable:
        return UNUSABLE
    left = problems(read_file(workspace.path)) if report.folded else []
    if left:
        for problem in left:
            print(f"  - {problem}", file=sys.stderr)
        return fail(f"{into} does not pass gtm-tui check after folding in ({counted(len(left), 'problem')} above); "
                     f"the file as it was is in {workspace.path.stem}-backups/")
    return CONFLICTS if report.conflicts else OK


def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="gtm-tui merge",
        description=(
            "Merge diverged copies of a workspace by record and field. BASE OURS THEIRS: three-way, the result "
            "replaces OURS (a git merge driver: gtm-tui merge %%O %%A %%B). --into FILE [COPY...]: fold a synced "
            "folder's conflict copies into FILE. Exit 0 when clean, 1 with conflicts, 2 when a file is unreadable."
        ),
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="BASE OURS THEIRS, or the copies with --into")
    parser.add_argument(
        "--into", metavar="FILE", help="fold conflict copies into FILE (default: every copy found beside it)"
    )
    args = parser.parse_args(argv)
    if args.into:
        return fold(args.into, args.files)
    if len(args.files) != 3:
        parser.print_usage(sys.stderr)
        return fail("merge needs BASE OURS THEIRS (or --into FILE [COPY...])")
    return three_way(*args.files)
