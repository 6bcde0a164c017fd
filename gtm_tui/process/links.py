"""Where to find it: links on stages and checklist items ("Figma: Launch / Design", the drive folder, the scheduler).

A link is ``{"label", "target"}``; the target is a web address (http, https,
mailto) or a path on a shared drive. Links are typed one a line in the
stage's and the item's form, as ``Label | target`` (or a line that holds
just a URL or a path, or "Label https://…"). A web link opens with the
system's opener (``xdg-open``, ``open``, the Windows shell), run without a
shell; a path is copied, since what a path means depends on the machine
that mounted the drive. The model refuses any other scheme (see
``model.check_links``), so a link from the shared file can never run
``javascript:`` or open a local program.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from typing import Any

from gtm_tui.data.model import LINK_SCHEMES, ValidationError, check_links

SEPARATOR = " | "
_URL = re.compile(r"(?:https?://|mailto:)\S+", re.IGNORECASE)
_PATH_START = re.compile(r"^(?:/|~[/\\]|\.{1,2}[/\\]|\\\\|[A-Za-z]:[/\\])")
_PATH_INSIDE = re.compile(r"\s(?=(?:/|~[/\\]|\\\\|[A-Za-z]:[/\\]))")


class OpenError(Exception):
    """The link could not be opened here; the text says why."""


def is_web(target: str) -> bool:
    """Whether ``target`` is a web address (opened) rather than a path (copied)."""
    scheme = target.split(":", 1)[0].lower() if ":" in target else ""
    return scheme in LINK_SCHEMES and (scheme == "mailto" or "://" in target)


def _one(line: str, number: int) -> dict[str, str]:
    if SEPARATOR.strip() in line:
        label, target = (part.strip() for part in line.rsplit(SEPARATOR.strip(), 1))
        return {"label": label, "target": target}
    found = _URL.search(line)
    if found:
        label = line[:found.start()].strip().rstrip(":–—-").strip()
        return {"label": label, "target": found.group(0)}
    if _PATH_START.match(line):
        return {"label": "", "target": line}
    split = _PATH_INSIDE.search(line)
    if split:
        return {"label": line[:split.start()].strip().rstrip(":–—-").strip(), "target": line[split.end():].strip()}
    raise ValidationError("links", f"line {number}: no web address or path in '{line}'; "
                                   "write 'Label | https://…' or 'Label | /Shared drives/…'")


def parse_links(text: str) -> list[dict[str, str]]:
    """The links typed in a form, one a line; ``ValidationError`` naming the line that is neither."""
    links = [_one(line.strip(), number) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    check_links(links)
    return links


def format_links(links: Iterable[dict[str, Any]]) -> str:
    """Links as the form shows them, one a line, so parsing them back gives the same links."""
    return "\n".join(f"{link.get('label', '')}{SEPARATOR}{link['target']}" if link.get("label") else link["target"]
                     for link in links)


def describe(link: dict[str, Any]) -> str:
    """"Figma: Launch / Design → https://…" (the target alone without a label)."""
    return f"{link['label']} → {link['target']}" if link.get("label") else str(link["target"])


def opener_command(target: str) -> list[str]:
    """The system's opener for a web address, as an argument list (no shell); ``OpenError`` when there is none."""
    if sys.platform == "darwin":
        return ["open", target]
    if sys.platform.startswith("win"):
        return ["explorer", target]
    found = shutil.which("xdg-open")
    if found is None:
        raise OpenError("no system opener (xdg-open) on this machine")
    return [found, target]


def open_web_link(target: str) -> None:
    """Open a web link with the system's opener, detached; ``OpenError`` for a path or when nothing can open it."""
    if not is_web(target):
        raise OpenError(f"'{target}' is a path, not a web address")
    try:
        subprocess.Popen(opener_command(target), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=os.name == "posix")
    except OSError as error:
        raise OpenError(f"could not start the system opener: {error.strerror or error}") from None
