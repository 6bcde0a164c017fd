"""``gtm-tui whoami FILE [NAME | --looking]``: who this machine is in a pilot, or say it.

The answer is kept in the user's config folder, keyed by the pilot's id
(``sharing/identity.py``), exactly as the app's first-open question and ``w``
keep it: the shared file is never written.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from gtm_tui.cli.errors import OK, PROBLEMS, fail
from gtm_tui.data.model import Person
from gtm_tui.data.storage import WorkspaceFileError
from gtm_tui.data.workspace import Workspace
from gtm_tui.sharing.identity import IdentityError, IdentityStore, find_person, who_am_i, workspace_key


def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="gtm-tui whoami",
        description="Say who you are in a pilot on this machine (kept in your config folder, never in the file), "
                    "or show it.",
    )
    parser.add_argument("file", help="the workspace file")
    parser.add_argument("name", nargs="?", help="your name as the pilot has it (case does not matter)")
    parser.add_argument("--looking", action="store_true", help="just looking: record nothing under anyone's name")
    args = parser.parse_args(argv)
    if args.name and args.looking:
        return fail("give a name or --looking, not both")
    try:
        workspace = Workspace.open(args.file)
        pilot = workspace.pilot()
    except WorkspaceFileError as error:
        return fail(str(error))
    store = IdentityStore()
    if args.name or args.looking:
        person = find_person(workspace, args.name) if args.name else None
        if args.name and person is None:
            team = ", ".join(p.name for p in workspace.all(Person)) or "nobody yet"
            return fail(f"nobody called '{' '.join(args.name.split())}' in {pilot.name}; the team: {team}", PROBLEMS)
        try:
            store.remember(workspace_key(workspace), person.id if person else None,
                           name=person.name if person else "", file=workspace.path.resolve())
        except IdentityError as error:
            return fail(str(error))
    identity = who_am_i(workspace, store)
    if identity is None:
        print(f"This machine has not said who it is in {pilot.name} (gtm-tui whoami FILE NAME, or w in the app).")
    elif identity.looking:
        print(f"Just looking at {pilot.name} on this machine.")
    else:
        print(f"You are {workspace.name_of(Person, identity.person_id)} in {pilot.name} on this machine.")
    return OK
