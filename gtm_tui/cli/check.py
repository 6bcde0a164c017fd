"""``gtm-tui check FILE``: exit 0 with a summary when sound, 1 with the problems, 2 when unreadable."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from gtm_tui.cli.errors import OK, PROBLEMS, fail
from gtm_tui.data import migrations
from gtm_tui.data.check import problems, summary
from gtm_tui.data.storage import SCHEMA, WorkspaceFileError, read_file, schema_of


def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="gtm-tui check",
        description="Check a workspace file. Exit 0 when sound, 1 when it has problems, 2 when it cannot be read.",
    )
    parser.add_argument("file")
    args = parser.parse_args(argv)
    try:
        tables = read_file(args.file)
        schema = schema_of(tables)
        tables = migrations.upgrade(
            tables
        )  # what the app would open (an older schema upgraded; the file is left alone)
    except WorkspaceFileError as error:
        return fail(str(error))
    if schema < SCHEMA:
        print(f"{args.file}: schema {schema}, checked as upgraded to schema {SCHEMA} (opening it upgrades it)")
    found = problems(tables)
    if found:
        print(f"{args.file}: {len(found)} problem{'s' if len(found) != 1 else ''}:", file=sys.stderr)
        for problem in found:
            print(f"  - {problem}", file=sys.stderr)
        return PROBLEMS
    print(f"{args.file}: OK — {summary(tables)}")
    return OK
