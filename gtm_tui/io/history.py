"""A board's or tracker's history, read into one shape whatever tool wrote it.

Trello, Asana and Jira say the same things in different words: the places
work sits in (lists, sections, statuses), the pieces of work (cards, tasks,
issues), when each entered and left each place, when it was done, who worked
on it, its labels, comments, description and check items. Each reader turns
its export into a ``History``; ``history_import`` plans it into the pilot's
own records, ``baseline_import`` into the baseline of the past campaign. So
the rules about time zones, done lists, long titles and what was skipped live
here once.

Times are aware datetimes in UTC. A source's dates without a zone (a Jira
export writes the exporting person's local time) are read in the team's zone:
``--tz`` when given, else this machine's.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gtm_tui.io.importing import BadRow, ReadOptions

ELLIPSIS = "…"
# Names a team gives the list of finished work, in the languages we meet (compared loosely).
DONE_WORDS = (
    "done",
    "finished",
    "complete",
    "completed",
    "closed",
    "live",
    "published",
    "shipped",
    "released",
    "готово",
    "сделано",
    "выполнено",
    "завершено",
    "закрыто",
    "опубликовано",
    "terminado",
    "hecho",
    "listo",
    "finalizado",
    "completado",
    "cerrado",
    "publicado",
    "terminé",
    "fait",
    "fini",
    "publié",
    "erledigt",
    "fertig",
    "abgeschlossen",
    "veröffentlicht",
    "concluído",
    "feito",
    "pronto",
    "fatto",
    "completato",
    "klaar",
    "gedaan",
    "完了",
    "済み",
    "完成",
    "已完成",
    "完成了",
    "done ✅",
    "✅",
)


@dataclass
class Place:
    """A list, section or status: where work sits. ``key`` is the source's id for it."""

    key: str
    name: str
    archived: bool = False
    on_board: bool = True  # False: only met in the history (a list since deleted or moved away)


@dataclass
class Member:
    key: str
    name: str
    contact: str = ""


@dataclass
class Visit:
    """A stay of an item in a place; ``inferred``: the source only lets us guess the place."""

    place: str
    entered: datetime
    left: datetime | None = None
    inferred: bool = False


@dataclass
class Comment:
    at: datetime | None
    author: str
    text: str


@dataclass
class Check:
    """A check item, subtask or sub-task of an item."""

    key: str
    text: str
    done: bool = False
    done_at: datetime | None = None
    done_by: str | None = None  # a member key
    owner: str | None = None  # a member key
    due: str | None = None
    note: str = ""


@dataclass
class Item:
    """A card, task or issue with everything the source told about it."""

    key: str  # e.g. "trello:5f…", the import origin kept in ``source``
    title: str
    where: str  # how a message names it: "Trello card 'Launch post'"
    place: str | None = None  # where it is now
    visits: list[Visit] = field(default_factory=list)
    done_at: datetime | None = None
    due: str | None = None
    assignees: list[str] = field(default_factory=list)  # member keys, the first is the assignee
    tags: list[str] = field(default_factory=list)
    description: str = ""
    comments: list[Comment] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    archived: bool = False
    feedback_cycles: list[dict] = field(default_factory=list)  # only our own export knows them
    clarifications: list[dict] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.done_at is not None


@dataclass
class History:
    """Everything read from one export, and what the reader had to leave out or could not tell."""

    label: str  # "Trello board 'Content calendar'"
    file: str
    fmt: str
    places: list[Place] = field(default_factory=list)  # in the board's order
    items: list[Item] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # measures the source cannot tell
    done_place: str | None = None  # the key of the place that means done
    keep_archived: bool = False  # archived places become stages too (--include-archived)

    def place(self, key: str | None) -> Place | None:
        return next((place for place in self.places if place.key == key), None)

    def moments(self) -> list[datetime]:
        """Every moment the history records, for its date range."""
        found = []
        for item in self.items:
            for visit in item.visits:
                found.append(visit.entered)
                if visit.left is not None:
                    found.append(visit.left)
            if item.done_at is not None:
                found.append(item.done_at)
        return found


# -- words -----------------------------------------------------------------------------------


def loose(name: str) -> str:
    """A name compared without case, accents' composition, spacing, dashes or underscores."""
    name = unicodedata.normalize("NFKC", name).casefold()
    return re.sub(r"[\s\-_]+", "", name)


def fit(text: str, limit: int) -> tuple[str, bool]:
    """``text`` cut to ``limit`` characters with "…" (and True) when it is longer; line breaks become spaces."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text, False
    return text[: limit - 1].rstrip() + ELLIPSIS, True


def is_done_name(name: str) -> bool:
    return loose(name) in {loose(word) for word in DONE_WORDS}


def pick_done_place(places: list[Place], wanted: str | None, what: str = "list") -> tuple[str | None, str]:
    """The place that means done and why: the one named ``wanted``, else one named like Done, else the last one."""
    if wanted:
        found = [place for place in places if loose(place.name) == loose(wanted)]
        if not found:
            names = ", ".join(f"'{place.name}'" for place in places if place.on_board) or "none"
            raise BadRow(f"--done-{what} '{wanted}'", f"there is no {what} by that name (the {what}s are {names})")
        return found[-1].key, f"'{found[-1].name}' is the done {what}, as asked"
    open_places = [place for place in places if place.on_board and not place.archived]
    named = [place for place in open_places if is_done_name(place.name)]
    if named:
        return named[-1].key, f"'{named[-1].name}' is taken as the done {what} (say --done-{what} NAME for another)"
    if open_places:
        last = open_places[-1]
        return last.key, (
            f"no {what} is named like Done, so the last one, '{last.name}', is taken as done "
            f"(say --done-{what} NAME for another)"
        )
    return None, ""


# -- time ------------------------------------------------------------------------------------


def zone_of(options: ReadOptions) -> tzinfo | None:
    """The team's time zone from ``--tz``; None means this machine's own (its daylight saving rules included)."""
    if not options.tz:
        return None
    try:
        return ZoneInfo(options.tz.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise BadRow(
            f"--tz '{options.tz}'", "is not a time zone; use a name like Europe/Madrid or America/New_York"
        ) from None


def local_date(moment: datetime, zone: tzinfo | None) -> date:
    """The day an instant falls on for the team."""
    return (moment.astimezone(zone) if zone is not None else moment.astimezone()).date()


def from_local(moment: datetime, zone: tzinfo | None) -> datetime:
    """A local time without a zone, as the team's clock showed it, as an instant in UTC."""
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    local = moment.replace(tzinfo=zone) if zone is not None else moment.astimezone()
    return local.astimezone(UTC)


def parse_instant(value: object) -> datetime | None:
    """An ISO 8601 instant ("2026-11-20T16:00:00.000Z") as an aware UTC datetime; None when it is not one."""
    if not value or not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def stamp(moment: datetime | None) -> str | None:
    """An instant as stored: ISO 8601 in UTC, to the second."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()
