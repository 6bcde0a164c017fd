"""``gtm-tui digest FILE [--for NAME] [--since DATE] [--format text|md|slack] [--post [URL]]``.

Prints the stand-up digest (``checklists/digest.py``), or posts it to an
incoming webhook: ``--post URL``, or ``--post`` alone to use the pilot's
channel setting when it holds a webhook URL. A failed post says why on one
line and exits 3, so a cron job's mail or a hook's output shows it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date

from gtm_tui.checklists import digest
from gtm_tui.cli.errors import NOT_DELIVERED, OK, PROBLEMS, fail
from gtm_tui.data import clock
from gtm_tui.data.model import ValidationError, parse_date
from gtm_tui.data.storage import WorkspaceFileError
from gtm_tui.data.workspace import Workspace
from gtm_tui.sharing.identity import find_person
from gtm_tui.sharing.webhook import PostError, is_webhook_url, post, where

FROM_CHANNEL = ""  # --post given without a URL


def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="gtm-tui digest",
        description="What a stand-up needs: per person the due and overdue steps, blockers, work waiting at "
                    "handoffs; the next check-in, open priority fixes and the follow-up date.",
    )
    parser.add_argument("file", help="the workspace file")
    parser.add_argument("--for", dest="person", metavar="NAME", help="one person's part only")
    parser.add_argument(
        "--since", metavar="DATE", help="count what was done from this day (default: the last check-in)"
    )
    parser.add_argument(
        "--format", "-f", choices=digest.FORMATS, default="text", help="text (default), md or slack (mrkdwn)"
    )
    parser.add_argument("--post", nargs="?", const=FROM_CHANNEL, metavar="URL",
                        help="post it to this incoming-webhook URL (Slack, Teams, Mattermost); "
                             "without URL, to the pilot's channel when that is a webhook URL")
    args = parser.parse_args(argv)
    try:
        workspace = Workspace.open(args.file)
        pilot = workspace.pilot()
    except WorkspaceFileError as error:
        return fail(str(error))
    try:
        since = parse_date(args.since, "since")
    except ValidationError as error:
        return fail(str(error), PROBLEMS)
    person_id = None
    if args.person:
        person = find_person(workspace, args.person)
        if person is None:
            return fail(f"nobody called '{' '.join(args.person.split())}' in {pilot.name}", PROBLEMS)
        person_id = person.id
    built = digest.build(workspace, clock.now(), clock.today(), person_id=person_id,
                         since=None if since is None else date.fromisoformat(since))
    text = digest.render(built, args.format)
    if args.post is None:
        sys.stdout.write(text)
        return OK
    url = args.post or pilot.channel.strip()
    if not is_webhook_url(url):
        if args.post == FROM_CHANNEL:
            return fail(
                f"the pilot's channel ('{pilot.channel}') is not a webhook URL; give one: --post https://…", PROBLEMS
            )
        return fail("a webhook URL starts with https:// (or http://) and names a host", PROBLEMS)
    try:
        post(url, text)
    except PostError as error:
        return fail(f"the digest was not posted: {error}", NOT_DELIVERED)
    print(f"Posted the digest to {where(url)}", file=sys.stderr)
    return OK
