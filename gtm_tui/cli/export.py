"""``gtm-tui export FILE --format F [-o OUT]``: write the pilot in another format.

The writing is ``io.exporting.export``, the same as the app's Export… form;
this module only reads the command line. A text format without ``-o`` goes
to stdout, a workbook or a folder to its default path beside FILE. An existing
file is replaced only with ``--force``; the workspace and its backups never.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gtm_tui.cli.errors import OK, PROBLEMS, UNUSABLE, fail
from gtm_tui.data.model import ValidationError
from gtm_tui.data.storage import WorkspaceFileError
from gtm_tui.data.workspace import Workspace
from gtm_tui.io import EXPORTERS
from gtm_tui.io.exporting import WouldReplace, as_text, default_path, export
from gtm_tui.sharing.identity import find_person


def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="gtm-tui export", description="Write the pilot in another format.")
    parser.add_argument("file", help="the workspace file")
    parser.add_argument("--format", "-f", required=True, choices=sorted(EXPORTERS), help="the format to write")
    parser.add_argument("-o", "--output", help="where to write (text formats print to stdout without it)")
    parser.add_argument("--force", action="store_true", help="replace files that already exist (never the workspace)")
    parser.add_argument("--lanes", action="store_true", help="mermaid: draw swimlanes by stage owner")
    parser.add_argument("--layer", choices=("pilot", "today"), default="pilot", help="raci-csv: which RACI layer")
    parser.add_argument(
        "--for", dest="person", metavar="NAME", help="ics: one person's calendar (their items and the team's dates)"
    )
    args = parser.parse_args(argv)
    try:
        workspace = Workspace.open(args.file)
    except WorkspaceFileError as error:
        return fail(str(error))
    options: dict[str, Any] = {"lanes": args.lanes, "layer": args.layer}
    if args.person:
        person = find_person(workspace, args.person)
        if person is None:
            return fail(f"nobody called '{args.person}' in {workspace.pilot().name}", PROBLEMS)
        options["person"] = person.id
    try:
        if not args.output:
            text = as_text(workspace, args.format, **options)
            if text is not None:
                sys.stdout.write(text)
                return OK
        out = Path(args.output or default_path(Path(args.file), args.format))
        out = export(workspace, args.format, out, replace=args.force, **options)
    except WouldReplace as error:
        return fail(f"{error}; nothing was written (--force replaces it)", PROBLEMS)
    except ValidationError as error:
        # the path cannot be written: unusable, as for a file that cannot be read; any other value is a problem
        return fail(error.reason, UNUSABLE) if error.field == "path" else fail(str(error), PROBLEMS)
    print(f"Wrote {out}", file=sys.stderr)
    return OK
