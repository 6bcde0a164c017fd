"""The ``gtm-tui`` command: open a workspace in the app, or work on one from the shell.

    gtm-tui [FILE]              open FILE (default ./gtm-pilot.json; offers to create it)
    gtm-tui --demo              open a fresh copy of the demo pilot
    gtm-tui new FILE            create an empty pilot (or --from-demo)
    gtm-tui check FILE          exit 0 when sound, 1 with a list of problems, 2 when unreadable
    gtm-tui export FILE ...     write the pilot in another format
    gtm-tui import FILE SOURCE  bring in our CSV/Excel, a Trello board JSON or an Asana CSV
    gtm-tui merge BASE OURS THEIRS / --into FILE [COPY...]   merge diverged copies
    gtm-tui serve [FILE] [--host H --port P]   the app in teammates' browsers (token-protected)

Errors go to stderr as one clear line, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Callable, Sequence

from gtm_tui import __version__
from gtm_tui.data import clock
from gtm_tui.data.check import problems, summary
from gtm_tui.data.model import Pilot, ValidationError
from gtm_tui.data.storage import SaveError, WorkspaceFileError, read_file
from gtm_tui.data.workspace import Workspace

DEFAULT_FILE = "gtm-pilot.json"

# exit codes
OK, PROBLEMS, UNUSABLE = 0, 1, 2


def fail(message: str, code: int = UNUSABLE) -> int:
    print(f"gtm-tui: {message}", file=sys.stderr)
    return code


# -- gtm-tui [FILE] / --demo ---------------------------------------------------------


def open_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gtm-tui",
        description="Pilot a new go-to-market workflow: process map, checklists, RACI, metrics and the review.",
        epilog=f"Other commands: {', '.join(COMMANDS)} (gtm-tui COMMAND --help).",
    )
    parser.add_argument("file", nargs="?", default=DEFAULT_FILE, help=f"the workspace file (default: {DEFAULT_FILE})")
    parser.add_argument("--demo", action="store_true", help="open a fresh temporary copy of the demo pilot")
    parser.add_argument("--version", action="version", version=f"gtm-tui {__version__}")
    return parser


def run_app(path: Path, workspace: Workspace | None) -> int:
    from gtm_tui.app import GtmApp

    GtmApp(path, workspace).run()
    return OK


def cmd_open(argv: Sequence[str]) -> int:
    args = open_parser().parse_args(argv)
    if args.demo:
        from gtm_tui.data.demo import write_demo

        path = Path(tempfile.mkdtemp(prefix="gtm-tui-demo-")) / "demo-pilot.json"
        write_demo(path, clock.today())
        code = run_app(path, Workspace.open(path))
        print(f"The demo pilot you worked on is at {path}", file=sys.stderr)
        return code
    path = Path(args.file)
    if path.is_dir():
        return fail(f"{path} is a folder; give the workspace file inside it")
    if not path.exists():
        if not path.parent.is_dir():
            return fail(f"folder {path.parent} does not exist")
        return run_app(path, None)
    try:
        workspace = Workspace.open(path)
    except WorkspaceFileError as error:
        return fail(str(error))
    return run_app(path, workspace)


# -- gtm-tui new ---------------------------------------------------------------------


def cmd_new(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="gtm-tui new", description="Create a new workspace file.")
    parser.add_argument("file", help="the file to create (it must not exist)")
    parser.add_argument("--name", default="", help="the pilot's name (default: from the file name)")
    parser.add_argument("--from-demo", action="store_true", help="start from a copy of the demo pilot")
    args = parser.parse_args(argv)
    path = Path(args.file)
    if path.exists():
        return fail(f"{path} already exists; it was left untouched")
    try:
        if args.from_demo:
            from gtm_tui.data.demo import write_demo

            if not path.parent.is_dir():
                return fail(f"folder {path.parent} does not exist")
            write_demo(path, clock.today())
        else:
            name = args.name.strip() or path.stem.replace("-", " ").replace("_", " ").strip() or "New pilot"
            Workspace.create(path, Pilot(name=name))
    except (WorkspaceFileError, ValidationError, SaveError) as error:
        return fail(str(error))
    print(f"Created {path}")
    return OK


# -- gtm-tui check -------------------------------------------------------------------


def cmd_check(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="gtm-tui check",
        description="Check a workspace file. Exit 0 when sound, 1 when it has problems, 2 when it cannot be read.",
    )
    parser.add_argument("file")
    args = parser.parse_args(argv)
    try:
        tables = read_file(args.file)
    except WorkspaceFileError as error:
        return fail(str(error))
    found = problems(tables)
    if found:
        print(f"{args.file}: {len(found)} problem{'s' if len(found) != 1 else ''}:", file=sys.stderr)
        for problem in found:
            print(f"  - {problem}", file=sys.stderr)
        return PROBLEMS
    print(f"{args.file}: OK — {summary(tables)}")
    return OK


# -- gtm-tui export ------------------------------------------------------------------


def cmd_export(argv: Sequence[str]) -> int:
    from gtm_tui.io import EXPORTERS, exporter
    from gtm_tui.io.exporting import WouldReplace, export

    parser = argparse.ArgumentParser(prog="gtm-tui export", description="Write the pilot in another format.")
    parser.add_argument("file", help="the workspace file")
    parser.add_argument("--format", "-f", required=True, choices=sorted(EXPORTERS), help="the format to write")
    parser.add_argument("-o", "--output", help="where to write (text formats print to stdout without it)")
    parser.add_argument("--force", action="store_true", help="replace files that already exist (never the workspace)")
    parser.add_argument("--lanes", action="store_true", help="mermaid: draw swimlanes by stage owner")
    parser.add_argument("--layer", choices=("pilot", "today"), default="pilot", help="raci-csv: which RACI layer")
    args = parser.parse_args(argv)
    try:
        workspace = Workspace.open(args.file)
    except WorkspaceFileError as error:
        return fail(str(error))
    module = exporter(args.format)
    options = {"lanes": args.lanes} if args.format == "mermaid" else {}
    if args.format == "raci-csv":
        options = {"layer": args.layer}
    try:
        if hasattr(module, "render") and not args.output:
            sys.stdout.write(module.render(workspace, **options))
            return OK
        out = Path(args.output) if args.output else Path(args.file).with_suffix(module.SUFFIX)
        export(workspace, args.format, out, replace=args.force, **options)
    except WouldReplace as error:
        return fail(f"{error}; nothing was written (--force replaces it)", PROBLEMS)
    except ValidationError as error:
        return fail(str(error), PROBLEMS)
    print(f"Wrote {out}", file=sys.stderr)
    return OK


# -- gtm-tui merge -------------------------------------------------------------------


def cmd_merge(argv: Sequence[str]) -> int:
    from gtm_tui.cli.merge import merge_command

    return merge_command(argv)


# -- gtm-tui import -------------------------------------------------------------------


def cmd_import(argv: Sequence[str]) -> int:
    from gtm_tui.cli.imports import import_command

    return import_command(argv)


# -- gtm-tui serve --------------------------------------------------------------------


def cmd_serve(argv: Sequence[str]) -> int:
    from gtm_tui.sharing.serve import serve_command

    return serve_command(argv)


COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "new": cmd_new,
    "check": cmd_check,
    "export": cmd_export,
    "import": cmd_import,
    "merge": cmd_merge,
    "serve": cmd_serve,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``gtm-tui`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    command = COMMANDS.get(argv[0]) if argv else None
    try:
        return command(argv[1:]) if command else cmd_open(argv)
    except KeyboardInterrupt:
        return fail("interrupted", 130)


if __name__ == "__main__":
    sys.exit(main())
