"""``gtm-tui answer FILE --as NAME``: answer every review question from a shell, before the meeting.

Each question is shown with the answer already given (if any); one line
answers it, an empty line keeps what is there ("-" takes it back). Lines may
be piped in, one per question. All answers are saved together at the end, as
"My answers" in the app saves them (``review/answers.py``). ``--anonymous``
answers without a name: such answers are added, never found again.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from gtm_tui.cli.errors import OK, PROBLEMS, fail
from gtm_tui.data.model import Person, ValidationError
from gtm_tui.data.safe_text import visible
from gtm_tui.data.storage import WorkspaceFileError
from gtm_tui.data.workspace import SaveError, Workspace
from gtm_tui.review.answers import answers_of, save_answers
from gtm_tui.sharing.identity import find_person

TAKE_BACK = "-"


def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="gtm-tui answer",
        description="Answer every review question in one pass, before the meeting (one line per question; "
                    "an empty line keeps the answer there, '-' takes it back).",
    )
    parser.add_argument("file", help="the workspace file")
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--as", dest="name", help="your name as the pilot has it (case does not matter)")
    who.add_argument("--anonymous", action="store_true", help="answer without a name (the file is shared)")
    args = parser.parse_args(argv)
    try:
        workspace = Workspace.open(args.file)
        pilot = workspace.pilot()
    except WorkspaceFileError as error:
        return fail(str(error))
    person: Person | None = None
    if not args.anonymous:
        person = find_person(workspace, args.name)
        if person is None:
            team = ", ".join(p.name for p in workspace.all(Person)) or "nobody yet"
            return fail(f"nobody called '{' '.join(args.name.split())}' in {pilot.name}; the team: {team}", PROBLEMS)
    answers = answers_of(workspace, person.id if person else None)
    if not answers:
        return fail(f"{pilot.name} has no review questions yet (add them on the Retro screen)", PROBLEMS)
    asking = sys.stdin.isatty()
    typed: dict[str, str] = {}
    for number, answer in enumerate(answers, start=1):
        print(f"{number}/{len(answers)} {visible(answer.question.text)}")
        if answer.given is not None:
            print(f"   now: {visible(answer.given.text)}  (enter keeps it, '{TAKE_BACK}' takes it back)")
        line = _read_line("   > " if asking else "")
        if line is None:
            break  # the end of the input: what was typed so far is saved
        text = line.strip()
        if text == TAKE_BACK:
            typed[answer.question.id] = ""
        elif text:
            typed[answer.question.id] = text
    try:
        saved = save_answers(workspace, person, typed)
    except ValidationError as error:
        return fail(f"not saved: {error}", PROBLEMS)
    except (SaveError, WorkspaceFileError) as error:
        return fail(f"not saved: {error}")
    print(visible(saved.describe(person.name if person else "Anonymous")))
    return OK


def _read_line(prompt: str) -> str | None:
    """One line from the terminal or the pipe; None at the end of the input."""
    try:
        return input(prompt)
    except EOFError:
        return None
