"""The ``gtm-tui`` command: open a workspace in the app, or work on one from the shell.

    gtm-tui [FILE]              open FILE (default ./gtm-pilot.json; offers to create it)
    gtm-tui --demo              open a fresh copy of the demo pilot
    gtm-tui new FILE            create an empty pilot (or --from-demo)
    gtm-tui check FILE          exit 0 when sound, 1 with a list of problems, 2 when unreadable
    gtm-tui export FILE ...     write the pilot in another format
    gtm-tui import FILE SOURCE  bring in our CSV/Excel, a Trello board JSON, an Asana or a Jira CSV
    gtm-tui baseline FILE SOURCE [--map "Their list=Our stage"]   measure the baseline from a past campaign
    gtm-tui merge BASE OURS THEIRS / --into FILE [COPY...]   merge diverged copies
    gtm-tui serve [FILE] [--host H --port P]   the app in teammates' browsers (token-protected)
    gtm-tui whoami FILE [NAME]  who you are in the pilot on this machine, or say it
    gtm-tui digest FILE [--for NAME] [--format text|md|slack] [--post [URL]]   what a stand-up needs
    gtm-tui answer FILE --as NAME   answer every review question in one pass, before the meeting

This module only picks what to run. Each verb is a module of this package with
``run(argv) -> int``, imported when it is asked for, so ``gtm-tui check``
never loads the app and ``gtm-tui --version`` loads nothing else: adding a verb
is adding its module and a line in ``COMMANDS``. Exit codes and the error line
are in ``errors.py``; errors go to stderr as one line, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from gtm_tui import __version__
from gtm_tui.cli import DEFAULT_FILE
from gtm_tui.cli.errors import INTERRUPTED, fail

Verb = Callable[[Sequence[str]], int]

# verb -> the module of gtm_tui.cli whose run(argv) carries it out
COMMANDS: dict[str, str] = {
    "new": "new",
    "check": "check",
    "export": "export",
    "import": "imports",
    "baseline": "baseline",
    "merge": "merge",
    "serve": "serve",
    "whoami": "whoami",
    "digest": "digest",
    "answer": "answer",
}


def command(name: str) -> Verb:
    """The ``run`` of verb ``name``, its module imported now; KeyError for an unknown verb."""
    run: Verb = importlib.import_module(f"gtm_tui.cli.{COMMANDS[name]}").run
    return run


def open_parser() -> argparse.ArgumentParser:
    """``gtm-tui [FILE] [--demo]``: what the command does without a verb."""
    parser = argparse.ArgumentParser(
        prog="gtm-tui",
        description="Pilot a new go-to-market workflow: process map, checklists, RACI, metrics and the review.",
        epilog=f"Other commands: {', '.join(COMMANDS)} (gtm-tui COMMAND --help).",
    )
    parser.add_argument("file", nargs="?", default=DEFAULT_FILE, help=f"the workspace file (default: {DEFAULT_FILE})")
    parser.add_argument("--demo", action="store_true", help="open a fresh temporary copy of the demo pilot")
    parser.add_argument("--version", action="version", version=f"gtm-tui {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``gtm-tui`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in COMMANDS:
            return command(argv[0])(argv[1:])
        args = open_parser().parse_args(argv)
        opening = importlib.import_module("gtm_tui.cli.open")  # the app, loaded only to open it
        code: int = opening.open_demo() if args.demo else opening.open_file(Path(args.file))
        return code
    except KeyboardInterrupt:
        return fail("interrupted", INTERRUPTED)


if __name__ == "__main__":
    sys.exit(main())
