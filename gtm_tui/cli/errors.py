"""Exit codes and the error line, the same for every verb of ``gtm-tui``.

A script or git (``gtm-tui merge`` as a merge driver) reads the exit code; a
person reads one line on stderr that starts with ``gtm-tui:`` and never a
traceback.
"""

from __future__ import annotations

import sys

OK = 0
PROBLEMS = 1  # the command ran and found something to fix: check's problems, import's bad row
CONFLICTS = 1  # merge wrote the result, with conflicts to settle in the app
UNUSABLE = 2  # a file cannot be read or written, or the command line is wrong; nothing was changed
NOT_DELIVERED = 3  # digest: the message was made but the channel did not take it
INTERRUPTED = 130  # Ctrl+C, as a shell reports it


def warn(message: str) -> None:
    """Say on stderr, as one ``gtm-tui:`` line, what went wrong without stopping the command."""
    print(f"gtm-tui: {message}", file=sys.stderr)


def fail(message: str, code: int = UNUSABLE) -> int:
    """Say what went wrong (``warn``) and give the exit code to return with."""
    warn(message)
    return code
