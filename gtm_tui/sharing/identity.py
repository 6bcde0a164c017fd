"""Who I am, per machine: the person of a pilot who sits at this keyboard.

The shared file says who ticked, approved, noted and voted; so the app must
know who is at the keyboard, and it must not depend on a choice made each
session. The answer is kept in the user's own config folder
(platformdirs: ``~/.config/gtm-tui`` on Linux, ``~/Library/Application
Support/gtm-tui`` on macOS, ``%APPDATA%\\gtm-tui`` on Windows), never in the
shared file: the file is the team's, the answer is this person's.

Answers are keyed by the workspace's id, the pilot record's id: it is the
same in every copy of a file (a synced folder, a git clone, a teammate's
download, a fresh ``--demo``), so the answer follows the pilot, not a path.
``None`` as the person means "just looking": the app asks no more and records
nothing under anyone's name.

``GTM_TUI_CONFIG_DIR`` overrides the folder (the tests set it, so they never
touch the real home).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import platformdirs

from gtm_tui.data.model import Person, ValidationError, now_stamp
from gtm_tui.data.storage import APP_NAME, write_atomically
from gtm_tui.data.workspace import Workspace

CONFIG_ENV = "GTM_TUI_CONFIG_DIR"
FILE_NAME = "who-am-i.json"


class IdentityError(Exception):
    """The answer could not be kept on this machine (the message says why); it still holds for the session."""


def config_dir() -> Path:
    """The user's config folder for gtm-tui (``GTM_TUI_CONFIG_DIR`` when set)."""
    override = os.environ.get(CONFIG_ENV, "").strip()
    return Path(override).expanduser() if override else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def workspace_key(workspace: Workspace) -> str:
    """The id answers are kept under: the pilot record's id, stable across copies of the file."""
    return workspace.pilot().id


@dataclass(frozen=True)
class Identity:
    """A recorded answer: ``person_id`` None means "just looking"."""

    person_id: str | None

    @property
    def looking(self) -> bool:
        return self.person_id is None


class IdentityStore:
    """The answers kept on this machine, one per workspace, in ``<config dir>/who-am-i.json``.

    ``ask_on_first_open`` (default true) may be set to false in that file by
    someone who never wants the question (a kiosk, a screen-recording machine).
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else config_dir()

    @property
    def path(self) -> Path:
        return self.folder / FILE_NAME

    def _read(self) -> dict[str, Any]:
        try:
            content = orjson.loads(self.path.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return {}  # none yet, or unreadable: as if nobody had answered (the next answer rewrites it)
        return content if isinstance(content, dict) else {}

    def _workspaces(self, content: dict[str, Any]) -> dict[str, Any]:
        found = content.get("workspaces")
        return found if isinstance(found, dict) else {}

    @property
    def ask_on_first_open(self) -> bool:
        return self._read().get("ask_on_first_open", True) is not False

    def recorded(self, key: str) -> Identity | None:
        """The answer kept for workspace ``key``, or None when this machine was never told."""
        entry = self._workspaces(self._read()).get(key)
        if not isinstance(entry, dict):
            return None
        person_id = entry.get("person_id")
        return Identity(person_id if isinstance(person_id, str) and person_id else None)

    def remember(self, key: str, person_id: str | None, *, name: str = "", file: Path | None = None) -> None:
        """Keep the answer for workspace ``key`` (None: just looking); ``IdentityError`` when it cannot be written."""
        content = self._read()
        workspaces = dict(self._workspaces(content))
        workspaces[key] = {"person_id": person_id, "name": name, "file": str(file) if file else "", "at": now_stamp()}
        content["workspaces"] = workspaces
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, orjson.dumps(content, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
        except OSError as error:
            raise IdentityError(f"could not keep who you are in {self.path}: {error.strerror or error}") from None


def who_am_i(workspace: Workspace, store: IdentityStore) -> Identity | None:
    """This machine's answer for ``workspace``; a person since deleted from the pilot counts as never answered."""
    identity = store.recorded(workspace_key(workspace))
    if identity is None or identity.looking or workspace.find(Person, identity.person_id) is not None:
        return identity
    return None


def find_person(workspace: Workspace, name: str) -> Person | None:
    """The pilot's person called ``name`` (case and spacing ignored), or None."""
    wanted = " ".join(name.split()).casefold()
    return next((p for p in workspace.all(Person) if " ".join(p.name.split()).casefold() == wanted), None)


def match_person(people: Sequence[Person], typed: str, field: str = "who") -> Person | None:
    """The person whose name, first name or initials start with what was typed ("" or "anon…": nobody).

    For picking a person by typing (the meeting's speaker, a jump in the stand-up). Ambiguous or
    unknown text is refused with the names it could mean, so the form stays open.
    """
    text = " ".join((typed or "").split()).casefold()
    if not text or (len(text) >= 4 and "anonymous".startswith(text)):
        return None
    exact = [p for p in people if p.name.casefold() == text or initials(p.name) == text]
    if len(exact) == 1:
        return exact[0]
    found = [p for p in people if p.name.casefold().startswith(text)
             or any(part.startswith(text) for part in p.name.casefold().split())
             or initials(p.name).startswith(text)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationError(field, f"nobody on the team is called '{typed.strip()}' (type a name or initials)")
    names = ", ".join(p.name for p in found[:5])
    raise ValidationError(field, f"'{typed.strip()}' could be {names}: type more of the name")


def initials(name: str) -> str:
    """"Dana Levi" → "dl" (lower case, for matching what is typed)."""
    return "".join(part[0] for part in name.casefold().split() if part)
