"""The records a pilot is made of, and the rules a single record must obey.

Every record kind is a dataclass with a stable string ``id`` and
``created_at`` / ``updated_at`` stamps. Dates are kept as ISO 8601 strings
(``YYYY-MM-DD``), timestamps as ISO 8601 UTC strings: that is exactly how they
sit in the file, so a record round-trips without conversion. ``parse_date`` and
friends turn what a user typed into those strings, or raise ``ValidationError``
naming the field and the reason.

Rules that need other records live elsewhere: a reference must exist
(``references.py``), a person's name is unique (``workspace.py``); this
module knows one record at a time.

``record_type_problems`` checks a stored record's field types against the
dataclass annotations (and ``ENTRIES`` for the entries of list fields): a
file edited by hand or by another tool is vetted here, in one place, before
any code relies on a position being a number or a name being text.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import secrets
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any, ClassVar, TypeVar, Union, get_args, get_origin

from gtm_tui.data import clock
from gtm_tui.data.safe_text import clean_json


class ValidationError(ValueError):
    """A value a user gave is not acceptable; ``field`` names it, ``reason`` says why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field.replace('_', ' ')}: {reason}")
        self.field = field
        self.reason = reason


# --------------------------------------------------------------------------
# Values: ids, dates, times, numbers


def new_id() -> str:
    """A fresh record id: 12 hex characters, stable for the record's life."""
    return secrets.token_hex(6)


def now_stamp() -> str:
    """The current moment as an ISO 8601 UTC timestamp (seconds precision)."""
    return clock.now().astimezone(UTC).replace(microsecond=0).isoformat()


def parse_date(text: str | None, field: str, *, required: bool = False) -> str | None:
    """Turn ``YYYY-MM-DD`` typed by a user into the stored form, or explain why not."""
    text = (text or "").strip()
    if not text:
        if required:
            raise ValidationError(field, "is required (YYYY-MM-DD)")
        return None
    if text.lower() == "today":
        return clock.today().isoformat()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValidationError(field, f"{text} is not a real date") from None
        raise ValidationError(field, f"'{text}' is not a date; use YYYY-MM-DD") from None


def parse_time(text: str | None, field: str) -> str | None:
    """Turn ``HH:MM`` into the stored form, or explain why not."""
    text = (text or "").strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text)
    try:
        if not match:
            raise ValueError
        return time(int(match[1]), int(match[2])).strftime("%H:%M")
    except ValueError:
        raise ValidationError(field, f"'{text}' is not a time; use HH:MM (24-hour)") from None


def parse_number(text: str | float | int | None, field: str, *, minimum: float | None = 0) -> float | None:
    """Turn typed text into a number (None when empty), refusing what is below ``minimum``."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        value = float(str(text).strip().replace(",", "."))
    except ValueError:
        raise ValidationError(field, f"'{text}' is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValidationError(field, "must be a finite number")
    if minimum is not None and value < minimum:
        raise ValidationError(field, f"must be {minimum:g} or more")
    return int(value) if value.is_integer() else value


def as_date(value: str | None) -> date | None:
    """The stored date string as a ``date`` (None stays None)."""
    return date.fromisoformat(value) if value else None


def as_datetime(value: str | None) -> datetime | None:
    """The stored timestamp as an aware ``datetime`` (None stays None)."""
    return _parse_stamp(value) if value else None


@functools.lru_cache(maxsize=65536)
def _parse_stamp(value: str) -> datetime:
    # The figures parse the same stage-history stamps many times over; datetimes are immutable.
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _check_date(value: str | None, field: str) -> None:
    if value is not None:
        try:
            date.fromisoformat(value)
        except (TypeError, ValueError):
            raise ValidationError(field, f"{value!r} is not a date (YYYY-MM-DD)") from None


def _check_stamp(value: str | None, field: str) -> None:
    if value is not None:
        try:
            datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise ValidationError(field, f"{value!r} is not a timestamp") from None


def _check_text(value: str, field: str, *, max_len: int = 200) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(field, "must not be empty")
    if len(value) > max_len:
        raise ValidationError(field, f"is too long ({len(value)} characters, at most {max_len})")


def _check_choice(value: str, field: str, choices: Iterable[str]) -> None:
    choices = tuple(choices)
    if value not in choices:
        raise ValidationError(field, f"must be one of {', '.join(choices)}, not {value!r}")


def _check_non_negative(value: float | int | None, field: str) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValidationError(field, f"{value!r} is not a number")
    if value < 0:
        raise ValidationError(field, "must be 0 or more")


def name_key(name: str) -> str:
    """How names are compared for "already exists": case and spacing aside ("ann  lee" is "Ann Lee")."""
    return " ".join(name.split()).casefold()


LINK_SCHEMES = ("http", "https", "mailto")


def check_links(links: Any, field: str = "links") -> None:
    """``links`` is a list of ``{"label", "target"}``: a target is a web link (http, https, mailto) or a path.

    Where to find what a stage or a checklist item needs ("Figma: Launch /
    Design"). Any other scheme (``javascript:``, ``file:``, ``smb:`` …) is
    refused: a link from the shared file is opened by the system's opener.
    """
    if not isinstance(links, list):
        raise ValidationError(field, "must be a list of links")
    for link in links:
        if not isinstance(link, dict) or not isinstance(link.get("target"), str) or not link["target"].strip():
            raise ValidationError(field, "every link needs a URL or a path")
        if not isinstance(link.get("label", ""), str):
            raise ValidationError(field, "a link's label must be text")
        target = link["target"].strip()
        if len(target) > 2000 or len(link.get("label", "")) > 200:
            raise ValidationError(field, "a link is too long (at most 200 characters of label, 2000 of URL or path)")
        scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]+):", target)  # two letters at least: C:\\ is a drive
        if scheme and scheme[1].lower() not in LINK_SCHEMES:
            raise ValidationError(field, f"{target!r}: only web links (http, https, mailto) or paths")


def _copy(value: Any) -> Any:
    """A deep copy of a JSON value (lists, dicts, scalars): several times faster than ``copy.deepcopy``."""
    if isinstance(value, list):
        return [_copy(item) for item in value]
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    return value


# --------------------------------------------------------------------------
# The record base


R = TypeVar("R", bound="Record")


@dataclass(kw_only=True)
class Record:
    """Fields every record carries. Subclasses name their ``TABLE``.

    ``REFS`` maps a field to the table its id (or list of ids) points into.
    ``CASCADE`` lists the reference fields without which the record means
    nothing: when the record they point to is deleted, this one goes too;
    other references are detached (set to None or dropped from the list).
    """

    TABLE: ClassVar[str] = ""
    LABEL: ClassVar[str] = "record"
    REFS: ClassVar[dict[str, str]] = {}
    CASCADE: ClassVar[tuple[str, ...]] = ()
    # Tables a ``references()`` override points into beyond ``REFS``.
    OTHER_REF_TABLES: ClassVar[frozenset[str]] = frozenset()
    # Text fields that may hold line breaks and tabs (notes); every other text is one line.
    MULTILINE: ClassVar[frozenset[str]] = frozenset()
    # The keys of the entries (dicts) of list fields: field -> (key -> type, the keys an entry must have).
    ENTRIES: ClassVar[dict[str, tuple[dict[str, Any], tuple[str, ...]]]] = {}

    id: str = field(default_factory=new_id)
    created_at: str = ""
    updated_at: str = ""

    # -- conversion ---------------------------------------------------------
    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        names = cls.__dict__.get("_field_names")
        if names is None:
            names = tuple(f.name for f in dataclasses.fields(cls))
            cls._field_names = names  # type: ignore[attr-defined]
        return names

    def to_dict(self) -> dict[str, Any]:
        """The record as it is stored: plain JSON values, deep-copied."""
        out = {}
        for name in self.field_names():
            value = getattr(self, name)
            out[name] = _copy(value) if isinstance(value, (list, dict)) else value
        return out

    @classmethod
    def from_dict(cls: type[R], data: dict[str, Any]) -> R:
        """Build a record from stored data, ignoring fields this version does not know."""
        names = cls.field_names()
        values = {k: (_copy(v) if isinstance(v, (list, dict)) else v) for k, v in data.items() if k in names}
        return cls(**values)

    def replace(self: R, **changes: Any) -> R:
        """A copy with ``changes`` applied (records are treated as values)."""
        return type(self).from_dict({**self.to_dict(), **changes})

    def cleaned(self: R) -> R:
        """This record with its text fit to store: no control characters (``safe_text.clean``).

        The Workspace passes every new or changed record through it, so text
        typed, pasted or imported never carries an escape sequence into the
        file; line breaks stay only in the ``MULTILINE`` fields.
        """
        changes = {}
        for name in self.field_names():
            value = getattr(self, name)
            if not isinstance(value, (str, list, dict)):
                continue
            cleaned = clean_json(value, allow_newlines=name in self.MULTILINE)
            if cleaned is not value:
                changes[name] = cleaned
        return self.replace(**changes) if changes else self

    # -- rules --------------------------------------------------------------
    def validate(self) -> None:
        """Raise ``ValidationError`` when a field is out of bounds."""
        if not isinstance(self.id, str) or not re.fullmatch(r"[0-9a-f]{12}", self.id):
            raise ValidationError("id", f"{self.id!r} is not a record id (12 hex characters)")
        _check_stamp(self.created_at or None, "created_at")
        _check_stamp(self.updated_at or None, "updated_at")

    def unique_key(self) -> tuple | None:
        """A key no two records of this kind may share, or None."""
        return None

    def unique_message(self) -> str:
        return f"a {self.LABEL} like this already exists"

    def describe(self) -> str:
        """How a person would name this record in a sentence."""
        return self.id

    # -- references ---------------------------------------------------------
    def references(self) -> Iterable[tuple[str, str, str]]:
        """Yield ``(field, table, id)`` for every id this record points to."""
        for name, table in self.REFS.items():
            value = getattr(self, name)
            if isinstance(value, str) and value:
                yield name, table, value
            elif isinstance(value, list):
                for item in value:
                    yield name, table, item

    @classmethod
    def may_refer_to(cls, table: str) -> bool:
        """Whether records of this kind can point into ``table`` at all (lets a delete skip whole tables)."""
        return table in cls.REFS.values() or table in cls.OTHER_REF_TABLES

    def without(self: R, table: str, record_id: str) -> R | None:
        """This record with every reference to ``table``/``record_id`` removed.

        None means the record cannot stand without it and must be deleted too.
        """
        changes: dict[str, Any] = {}
        for name, ref_table in self.REFS.items():
            if ref_table != table:
                continue
            value = getattr(self, name)
            if value == record_id:
                if name in self.CASCADE:
                    return None
                changes[name] = None
            elif isinstance(value, list) and record_id in value:
                changes[name] = [v for v in value if v != record_id]
        return self.replace(**changes) if changes else self


# --------------------------------------------------------------------------
# The pilot


PILOT_STATUSES = ("planning", "running", "review", "closed")
CONCLUSIONS = ("roll out", "adjust and rerun", "stop")
REVIEW_PHASES = ("write", "group", "vote", "decide")  # the review meeting's phases, in order (review/meeting.py)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(kw_only=True)
class Pilot(Record):
    """The pilot itself: its scope, team set-up and rhythm. One per file."""

    TABLE: ClassVar[str] = "pilot"
    LABEL: ClassVar[str] = "pilot"
    MULTILINE: ClassVar[frozenset[str]] = frozenset({"goal", "conclusion_note"})
    REFS: ClassVar[dict[str, str]] = {
        "lead_id": "people",
        "focus_from_stage_id": "stages",
        "focus_to_stage_id": "stages",
        "live_stage_id": "stages",
    }

    name: str = "New pilot"
    campaign: str = ""
    campaign_start: str | None = None
    campaign_end: str | None = None
    baseline: dict[str, float] = field(default_factory=dict)  # measure name -> figure
    goal: str = ""
    focus_from_stage_id: str | None = None
    focus_to_stage_id: str | None = None
    lead_id: str | None = None
    channel: str = ""
    checkin_weekday: int | None = None  # 0 = Monday
    checkin_time: str | None = None  # HH:MM
    start_date: str | None = None
    end_date: str | None = None
    status: str = "planning"
    follow_up_date: str | None = None
    dot_limit: int = 3  # dots each person may give in the review's dot voting
    time_zone: str = ""  # IANA name (e.g. "Europe/Berlin") of the check-in's time; "" = the machine's
    conclusion: str = ""  # the lead's recommendation: "", or one of CONCLUSIONS
    conclusion_note: str = ""  # the lead's words on it, shown first in the report
    # The delay rule: a visit is late when it runs over the stage's expected days by more than
    # ``delay_grace_percent`` of them, and by at least ``delay_grace_days``, counted in working days.
    working_days: list[int] = field(default_factory=lambda: [0, 1, 2, 3, 4])  # 0 = Monday
    days_off: list[str] = field(default_factory=list)  # YYYY-MM-DD: holidays, team days off; plans skip them
    live_stage_id: str | None = None  # a piece is live at the end of this stage (None: the last stage)
    delay_grace_percent: float = 25
    delay_grace_days: float = 0.5
    # Where the measured baseline came from (file, format, dates, items, stage mapping); {} = none taken.
    baseline_source: dict[str, Any] = field(default_factory=dict)
    # The review meeting's phase ("", write, group, vote, decide: review/meeting.py), shared by every screen on
    # the file, and when its timer ends (None: no timer).
    review_phase: str = ""
    phase_ends_at: str | None = None

    def validate(self) -> None:
        super().validate()
        _check_text(self.name, "name")
        for name in ("campaign_start", "campaign_end", "start_date", "end_date", "follow_up_date"):
            _check_date(getattr(self, name), name)
        if self.campaign_start and self.campaign_end and self.campaign_end < self.campaign_start:
            raise ValidationError("campaign_end", "must not be before the campaign start")
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError("end_date", "must be after the start date")
        _check_choice(self.status, "status", PILOT_STATUSES)
        if self.checkin_weekday is not None and self.checkin_weekday not in range(7):
            raise ValidationError("checkin_weekday", "must be a weekday (0 = Monday … 6 = Sunday)")
        if self.checkin_time is not None:
            parse_time(self.checkin_time, "checkin_time")
        if self.focus_from_stage_id and self.focus_from_stage_id == self.focus_to_stage_id:
            raise ValidationError("focus_to_stage_id", "the two focus stages must be different stages")
        if self.time_zone and not clock.is_time_zone(self.time_zone):
            raise ValidationError("time_zone", f"'{self.time_zone}' is not a time zone; use a name like Europe/Berlin")
        if self.conclusion:
            _check_choice(self.conclusion, "conclusion", CONCLUSIONS)
        if len(self.conclusion_note) > 4000:
            raise ValidationError("conclusion_note", "is too long (at most 4000 characters)")
        if not isinstance(self.baseline, dict):
            raise ValidationError("baseline", "must map a measure's name to a number")
        for measure, figure in self.baseline.items():
            _check_text(measure, "baseline")
            if isinstance(figure, bool) or not isinstance(figure, (int, float)):
                raise ValidationError("baseline", f"{measure}: {figure!r} is not a number")
        if not isinstance(self.working_days, list) or not self.working_days or any(
            isinstance(day, bool) or day not in range(7) for day in self.working_days
        ) or len(set(self.working_days)) != len(self.working_days):
            raise ValidationError("working_days", "name at least one weekday, each once (Mon … Sun)")
        if not isinstance(self.days_off, list):
            raise ValidationError("days_off", "must be a list of dates")
        for day in self.days_off:
            _check_date(day, "days_off")
        _check_non_negative(self.delay_grace_percent, "delay_grace_percent")
        _check_non_negative(self.delay_grace_days, "delay_grace_days")
        if self.review_phase:
            _check_choice(self.review_phase, "review_phase", REVIEW_PHASES)
        _check_stamp(self.phase_ends_at, "phase_ends_at")
        if not isinstance(self.baseline_source, dict):
            raise ValidationError("baseline_source", "must describe where the baseline came from")

    def describe(self) -> str:
        return self.name


# --------------------------------------------------------------------------
# People, stages, handoffs


@dataclass(kw_only=True)
class Person(Record):
    TABLE: ClassVar[str] = "people"
    LABEL: ClassVar[str] = "person"

    name: str = ""
    role: str = ""  # e.g. "Content writer"
    team: str = ""
    contact: str = ""  # e-mail, Slack handle ...
    external: bool = False  # freelancer / agency
    source: str = ""  # where it came from (import origin, e.g. "trello:<member id>")

    def validate(self) -> None:
        super().validate()
        _check_text(self.name, "name", max_len=80)
        if not isinstance(self.external, bool):
            raise ValidationError("external", "must be yes or no")

    def unique_key(self) -> tuple | None:
        return ("name", name_key(self.name))

    def unique_message(self) -> str:
        return f"a person named '{self.name.strip()}' is already on the team"

    def describe(self) -> str:
        return self.name


@dataclass(kw_only=True)
class Stage(Record):
    """A step of the process from "we decide on a piece of content" to "it is live"."""

    TABLE: ClassVar[str] = "stages"
    LABEL: ClassVar[str] = "stage"
    MULTILINE: ClassVar[frozenset[str]] = frozenset({"prerequisites", "bottleneck", "today_note"})
    REFS: ClassVar[dict[str, str]] = {"owner_id": "people"}

    name: str = ""
    position: int = 0
    owner_id: str | None = None
    expected_days: float | None = None
    prerequisites: str = ""  # what must be ready beforehand
    bottleneck: str = ""  # where work usually piles up here
    today_note: str = ""  # how the stage works today
    source: str = ""  # where it came from (import origin, e.g. "trello:<list id>")
    links: list[dict[str, str]] = field(default_factory=list)  # where to find it: {"label", "target"}

    def validate(self) -> None:
        super().validate()
        _check_text(self.name, "name", max_len=80)
        _check_non_negative(self.expected_days, "expected_days")
        check_links(self.links)

    def unique_key(self) -> tuple | None:
        return ("name", name_key(self.name))

    def unique_message(self) -> str:
        return f"a stage named '{self.name.strip()}' already exists"

    def describe(self) -> str:
        return self.name


@dataclass(kw_only=True)
class Handoff(Record):
    """Where work passes from one stage to another (forward, skipping, or back for rework)."""

    TABLE: ClassVar[str] = "handoffs"
    LABEL: ClassVar[str] = "handoff"
    MULTILINE: ClassVar[frozenset[str]] = frozenset({"what", "note"})
    REFS: ClassVar[dict[str, str]] = {"from_stage_id": "stages", "to_stage_id": "stages"}
    CASCADE: ClassVar[tuple[str, ...]] = ("from_stage_id", "to_stage_id")

    from_stage_id: str = ""
    to_stage_id: str = ""
    what: str = ""  # what is handed over
    expected_days: float | None = None
    note: str = ""

    def validate(self) -> None:
        super().validate()
        if not self.from_stage_id or not self.to_stage_id:
            raise ValidationError(
                "from_stage_id" if not self.from_stage_id else "to_stage_id", "a handoff joins two stages"
            )
        if self.from_stage_id == self.to_stage_id:
            raise ValidationError("to_stage_id", "a stage cannot hand off to itself")
        _check_non_negative(self.expected_days, "expected_days")

    def unique_key(self) -> tuple | None:
        return ("stages", self.from_stage_id, self.to_stage_id)

    def unique_message(self) -> str:
        return "there is already a handoff between these two stages in this direction"


# --------------------------------------------------------------------------
# Checklists, templates, work items


STEP_OWNER_ROLES = ("R", "A")


@dataclass(kw_only=True)
class Step(Record):
    """What every piece of work goes through in a stage: one line of the stage's checklist.

    A stage's steps are the template its runs are copied from (see ``Run``):
    editing them changes the runs started afterwards, never a run under way
    unless someone applies the change to it. The owner is a named person, else
    the stage's R (``owner_role`` "R") or A ("A") in the pilot RACI when the
    run starts. ``offset_days`` is when it falls due, in working days after
    the piece entered the stage (None: the stage's expected days).
    """

    TABLE: ClassVar[str] = "steps"
    LABEL: ClassVar[str] = "stage step"
    REFS: ClassVar[dict[str, str]] = {"stage_id": "stages", "owner_id": "people"}
    CASCADE: ClassVar[tuple[str, ...]] = ("stage_id",)

    stage_id: str = ""
    text: str = ""
    position: int = 0
    owner_id: str | None = None
    owner_role: str = "R"
    approval: bool = False  # only the stage's A may tick it in a run
    offset_days: float | None = None
    source: str = ""  # where it came from (template name, import origin, schema-1 checklist)
    links: list[dict[str, str]] = field(default_factory=list)  # where to find it: {"label", "target"}

    def validate(self) -> None:
        super().validate()
        if not self.stage_id:
            raise ValidationError("stage_id", "a step belongs to a stage")
        _check_text(self.text, "text", max_len=500)
        _check_choice(self.owner_role, "owner_role", STEP_OWNER_ROLES)
        _check_non_negative(self.offset_days, "offset_days")
        check_links(self.links)

    def describe(self) -> str:
        return self.text


@dataclass(kw_only=True)
class Run(Record):
    """One piece of work's pass through one stage, with its own copy of the stage's steps.

    A run starts when the work item enters the stage and ends when it leaves;
    going back to a stage starts a new run (``rework``) and keeps the old one.
    ``work_item_id`` None is a stage's own run: the checklist a schema-1 file
    kept per stage, carried over with every tick as it was.
    """

    TABLE: ClassVar[str] = "runs"
    LABEL: ClassVar[str] = "run"
    REFS: ClassVar[dict[str, str]] = {"work_item_id": "work_items", "stage_id": "stages"}
    CASCADE: ClassVar[tuple[str, ...]] = ("work_item_id", "stage_id")

    work_item_id: str | None = None
    stage_id: str = ""
    started_at: str = ""
    ended_at: str | None = None
    rework: bool = False  # started by a loop back to a stage the item had been in
    note: str = ""

    def validate(self) -> None:
        super().validate()
        if not self.stage_id:
            raise ValidationError("stage_id", "a run is a pass through a stage")
        if not self.started_at:
            raise ValidationError("started_at", "is required (when the run started)")
        _check_stamp(self.started_at, "started_at")
        _check_stamp(self.ended_at, "ended_at")
        if self.ended_at and self.ended_at < self.started_at:
            raise ValidationError("ended_at", "must not be before the run started")

    @property
    def open(self) -> bool:
        return self.ended_at is None

    def describe(self) -> str:
        return f"run {self.started_at[:10]}"


@dataclass(kw_only=True)
class ChecklistItem(Record):
    """A step of a run: a copy of a stage step for one piece of work, ticked by who did it, and when.

    ``run_id`` and ``work_item_id`` say whose run it is (``stage_id`` is the
    run's stage, kept on the step so a stage's steps are found in one pass);
    ``step_id`` is the stage step it was copied from (None once that is
    deleted). A checklist item in no run is a piece's own extra step (a check
    item an import brought) or, without a piece, a stage's one-off line.
    """

    TABLE: ClassVar[str] = "checklist_items"
    LABEL: ClassVar[str] = "checklist item"
    MULTILINE: ClassVar[frozenset[str]] = frozenset({"note", "blocked"})
    REFS: ClassVar[dict[str, str]] = {
        "stage_id": "stages", "owner_id": "people", "done_by": "people", "work_item_id": "work_items",
        "run_id": "runs", "step_id": "steps",
    }
    CASCADE: ClassVar[tuple[str, ...]] = ("stage_id", "run_id")

    stage_id: str = ""
    work_item_id: str | None = None  # a step of this work item (a check item, a subtask), not of every item
    run_id: str | None = None
    step_id: str | None = None
    text: str = ""
    position: int = 0
    owner_id: str | None = None
    due: str | None = None
    done: bool = False
    done_by: str | None = None
    done_at: str | None = None
    note: str = ""
    approval: bool = False  # only the stage's A may tick it
    blocked: str = ""  # blocker note flagged in a stand-up
    source: str = ""  # where it came from (template name, import origin)
    links: list[dict[str, str]] = field(default_factory=list)  # where to find it: {"label", "target"}

    def validate(self) -> None:
        super().validate()
        if not self.stage_id:
            raise ValidationError("stage_id", "a checklist item belongs to a stage")
        _check_text(self.text, "text", max_len=500)
        _check_date(self.due, "due")
        _check_stamp(self.done_at, "done_at")
        check_links(self.links)

    def describe(self) -> str:
        return self.text


@dataclass(kw_only=True)
class ChecklistTemplate(Record):
    """A named list of checklist lines a team saved to apply to stages."""

    TABLE: ClassVar[str] = "templates"
    LABEL: ClassVar[str] = "template"

    name: str = ""
    items: list[str] = field(default_factory=list)

    def validate(self) -> None:
        super().validate()
        _check_text(self.name, "name", max_len=80)
        if not isinstance(self.items, list) or not all(isinstance(i, str) and i.strip() for i in self.items):
            raise ValidationError("items", "every template line must be non-empty text")

    def unique_key(self) -> tuple | None:
        return ("name", name_key(self.name))

    def unique_message(self) -> str:
        return f"a template named '{self.name.strip()}' already exists"

    def describe(self) -> str:
        return self.name


WORK_STATUSES = ("not started", "in progress", "blocked", "done")
TITLE_MAX = 200  # a work item's title; an import shortens a longer one and keeps it whole in the note


@dataclass(kw_only=True)
class WorkItem(Record):
    """A real piece of work moving through the stages during the pilot.

    ``stage_history`` holds ``{"stage_id", "entered_at", "left_at"}`` visits
    in order (an imported visit whose stage the source could not tell, only
    guess, carries ``"inferred": true`` and counts for the item's whole span,
    not for time in that stage); ``time_log`` holds ``{"at", "minutes",
    "person_id", "note"}``; ``feedback_cycles`` and ``clarifications`` hold
    ``{"at", "note"}``; ``comments`` hold ``{"at", "author", "text"}`` (kept from
    an import). ``note`` is the item's description. ``fixed_owner``: the
    assignee keeps it at every stage; otherwise moving it on or back hands it
    to the R of the stage it enters (``work.moving``).
    """

    TABLE: ClassVar[str] = "work_items"
    LABEL: ClassVar[str] = "work item"
    MULTILINE: ClassVar[frozenset[str]] = frozenset(
        {"time_log", "feedback_cycles", "clarifications", "note", "comments"}
    )
    REFS: ClassVar[dict[str, str]] = {"assignee_id": "people", "stage_id": "stages"}
    ENTRIES: ClassVar[dict[str, tuple[dict[str, Any], tuple[str, ...]]]] = {
        "stage_history": ({"stage_id": str, "entered_at": str, "left_at": str | None}, ("stage_id", "entered_at")),
        "time_log": ({"id": str, "at": str, "minutes": float, "person_id": str | None, "note": str}, ("at",)),
        "feedback_cycles": ({"id": str, "at": str, "note": str}, ("at",)),
        "clarifications": ({"id": str, "at": str, "note": str}, ("at",)),
    }

    title: str = ""
    assignee_id: str | None = None
    fixed_owner: bool = False  # the assignee keeps the item when it moves (no handing on to the stage's R)
    due: str | None = None  # the target live date
    start_date: str | None = None  # when work on it starts: its plan runs forward from here
    stage_id: str | None = None
    status: str = "not started"
    stage_history: list[dict[str, Any]] = field(default_factory=list)
    time_log: list[dict[str, Any]] = field(default_factory=list)
    timer_started_at: str | None = None
    feedback_cycles: list[dict[str, Any]] = field(default_factory=list)
    clarifications: list[dict[str, Any]] = field(default_factory=list)
    rework: bool = False  # marked by hand
    delayed: bool = False  # marked by hand
    done_at: str | None = None
    source: str = ""
    tags: list[str] = field(default_factory=list)  # labels, epics, custom fields of an import
    note: str = ""
    comments: list[dict[str, Any]] = field(default_factory=list)

    def validate(self) -> None:
        super().validate()
        _check_text(self.title, "title", max_len=TITLE_MAX)
        _check_date(self.due, "due")
        _check_date(self.start_date, "start_date")
        _check_choice(self.status, "status", WORK_STATUSES)
        _check_stamp(self.timer_started_at, "timer_started_at")
        _check_stamp(self.done_at, "done_at")
        for visit in self.stage_history:
            _check_stamp(visit.get("entered_at"), "stage_history")
            _check_stamp(visit.get("left_at"), "stage_history")
        for entry in self.time_log:
            _check_non_negative(entry.get("minutes"), "minutes")
        if not isinstance(self.tags, list) or not all(isinstance(tag, str) and tag.strip() for tag in self.tags):
            raise ValidationError("tags", "every tag must be non-empty text")
        if not isinstance(self.note, str):
            raise ValidationError("note", "must be text")
        for comment in self.comments:
            if not isinstance(comment, dict) or not isinstance(comment.get("text"), str):
                raise ValidationError("comments", "every comment needs its text")
            _check_stamp(comment.get("at"), "comments")

    def references(self) -> Iterable[tuple[str, str, str]]:
        yield from super().references()
        for visit in self.stage_history:
            yield "stage_history", "stages", visit["stage_id"]
        for entry in self.time_log:
            if entry.get("person_id"):
                yield "time_log", "people", entry["person_id"]

    def without(self, table: str, record_id: str) -> WorkItem | None:
        item = super().without(table, record_id)
        assert item is not None
        if table == "stages":
            history = [v for v in item.stage_history if v["stage_id"] != record_id]
            if history != item.stage_history:
                item = item.replace(stage_history=history)
        if table == "people":
            log = [{**e, "person_id": None} if e.get("person_id") == record_id else e for e in item.time_log]
            if log != item.time_log:
                item = item.replace(time_log=log)
        return item

    def describe(self) -> str:
        return self.title


@dataclass(kw_only=True)
class BaselineItem(WorkItem):
    """A piece of work of the past campaign, read from its board to measure the baseline.

    Kept in a table of its own, apart from the pilot's work items, and measured
    by the same code. Its visits name the pilot's stages as they were mapped
    when the baseline was taken; they are soft links (a stage deleted later
    only drops out of the per-stage figures), so it refers to nothing.
    """

    TABLE: ClassVar[str] = "baseline_items"
    LABEL: ClassVar[str] = "baseline item"
    REFS: ClassVar[dict[str, str]] = {}

    def references(self) -> Iterable[tuple[str, str, str]]:
        return ()

    def without(self, table: str, record_id: str) -> BaselineItem:
        return self


# --------------------------------------------------------------------------
# RACI


RACI_LAYERS = ("today", "pilot")
RACI_ROLES = ("R", "A", "C", "I", "A/R")


@dataclass(kw_only=True)
class RaciAssignment(Record):
    """One cell of the RACI matrix: a person's role on a stage (or an activity in it), in one layer."""

    TABLE: ClassVar[str] = "raci"
    LABEL: ClassVar[str] = "RACI role"
    REFS: ClassVar[dict[str, str]] = {"stage_id": "stages", "person_id": "people"}
    CASCADE: ClassVar[tuple[str, ...]] = ("stage_id", "person_id")

    layer: str = "pilot"
    stage_id: str = ""
    activity: str = ""  # "" = the stage as a whole
    person_id: str = ""
    role: str = "R"

    def validate(self) -> None:
        super().validate()
        _check_choice(self.layer, "layer", RACI_LAYERS)
        _check_choice(self.role, "role", RACI_ROLES)
        if not self.stage_id or not self.person_id:
            raise ValidationError(
                "stage_id" if not self.stage_id else "person_id", "a RACI role names a stage and a person"
            )

    def unique_key(self) -> tuple | None:
        return ("cell", self.layer, self.stage_id, self.activity.strip().casefold(), self.person_id)

    def unique_message(self) -> str:
        return "this person already has a role in this cell"


# --------------------------------------------------------------------------
# Review: questions, feedback, themes, action items, recommendations, check-ins


@dataclass(kw_only=True)
class Question(Record):
    TABLE: ClassVar[str] = "questions"
    LABEL: ClassVar[str] = "review question"

    text: str = ""
    position: int = 0

    def validate(self) -> None:
        super().validate()
        _check_text(self.text, "text", max_len=300)

    def describe(self) -> str:
        return self.text


@dataclass(kw_only=True)
class Feedback(Record):
    """An answer to a review question, given before or during the review. No person = anonymous."""

    TABLE: ClassVar[str] = "feedback"
    LABEL: ClassVar[str] = "feedback note"
    MULTILINE: ClassVar[frozenset[str]] = frozenset({"text"})
    REFS: ClassVar[dict[str, str]] = {"question_id": "questions", "person_id": "people", "theme_id": "themes"}
    CASCADE: ClassVar[tuple[str, ...]] = ("question_id",)

    question_id: str = ""
    person_id: str | None = None
    text: str = ""
    phase: str = "before"  # "before" the meeting, or noted "live" in it
    theme_id: str | None = None
    position: int = 0  # the order typed, among notes saved within the same second

    def validate(self) -> None:
        super().validate()
        if not self.question_id:
            raise ValidationError("question_id", "feedback answers a question")
        _check_text(self.text, "text", max_len=2000)
        _check_choice(self.phase, "phase", ("before", "live"))

    def describe(self) -> str:
        return self.text


@dataclass(kw_only=True)
class Theme(Record):
    """A group of feedback notes.

    ``votes`` maps a person's id to their dots, ``tally`` counts dots entered as a number.
    """

    TABLE: ClassVar[str] = "themes"
    LABEL: ClassVar[str] = "theme"
    OTHER_REF_TABLES: ClassVar[frozenset[str]] = frozenset({"people"})  # votes

    name: str = ""
    votes: dict[str, int] = field(default_factory=dict)
    tally: int = 0

    def validate(self) -> None:
        super().validate()
        _check_text(self.name, "name", max_len=120)
        _check_non_negative(self.tally, "tally")
        for count in self.votes.values():
            _check_non_negative(count, "votes")

    def references(self) -> Iterable[tuple[str, str, str]]:
        for person_id in self.votes:
            yield "votes", "people", person_id

    def without(self, table: str, record_id: str) -> Theme:
        if table == "people" and record_id in self.votes:
            return self.replace(votes={k: v for k, v in self.votes.items() if k != record_id})
        return self

    def total_votes(self) -> int:
        return self.tally + sum(self.votes.values())

    def describe(self) -> str:
        return self.name


ACTION_STATUSES = ("open", "in progress", "done", "dropped")


@dataclass(kw_only=True)
class ActionItem(Record):
    """A decision of the review: a fix with an owner and a deadline.

    ``links`` are ``{"table", "id"}`` of what it changes.
    """

    TABLE: ClassVar[str] = "action_items"
    LABEL: ClassVar[str] = "action item"
    MULTILINE: ClassVar[frozenset[str]] = frozenset({"note"})
    REFS: ClassVar[dict[str, str]] = {"owner_id": "people", "theme_id": "themes"}

    ENTRIES: ClassVar[dict[str, tuple[dict[str, Any], tuple[str, ...]]]] = {
        "links": ({"table": str, "id": str}, ("table", "id")),
    }

    @classmethod
    def may_refer_to(cls, table: str) -> bool:
        return True  # ``links`` may name any record the fix changes

    title: str = ""
    owner_id: str | None = None
    due: str | None = None
    status: str = "open"
    priority: bool = True  # one of the 2-3 priority fixes
    theme_id: str | None = None
    links: list[dict[str, str]] = field(default_factory=list)
    note: str = ""

    def validate(self) -> None:
        super().validate()
        _check_text(self.title, "title", max_len=200)
        _check_date(self.due, "due")
        _check_choice(self.status, "status", ACTION_STATUSES)

    def references(self) -> Iterable[tuple[str, str, str]]:
        yield from super().references()
        for link in self.links:
            yield "links", link["table"], link["id"]

    def without(self, table: str, record_id: str) -> ActionItem | None:
        item = super().without(table, record_id)
        assert item is not None
        links = [link for link in item.links if not (link["table"] == table and link["id"] == record_id)]
        return item.replace(links=links) if links != item.links else item

    def describe(self) -> str:
        return self.title


RECOMMENDATION_KINDS = ("simplify", "coordination", "automation", "other")


@dataclass(kw_only=True)
class Recommendation(Record):
    TABLE: ClassVar[str] = "recommendations"
    LABEL: ClassVar[str] = "recommendation"
    MULTILINE: ClassVar[frozenset[str]] = frozenset({"text"})
    REFS: ClassVar[dict[str, str]] = {"stage_id": "stages"}

    text: str = ""
    kind: str = "other"
    stage_id: str | None = None

    def validate(self) -> None:
        super().validate()
        _check_text(self.text, "text", max_len=1000)
        _check_choice(self.kind, "kind", RECOMMENDATION_KINDS)

    def describe(self) -> str:
        return self.text


@dataclass(kw_only=True)
class CheckIn(Record):
    """A stand-up or weekly check-in: who came, what was said, what blocks whom.

    ``blockers`` holds ``{"person_id", "item_id", "note"}``; ``ticked`` the steps ticked during it,
    ``{"person_id", "item_id", "text"}`` (the text as it was, should the step be deleted later).
    """

    TABLE: ClassVar[str] = "checkins"
    LABEL: ClassVar[str] = "check-in"
    MULTILINE: ClassVar[frozenset[str]] = frozenset({"notes", "blockers"})
    REFS: ClassVar[dict[str, str]] = {"attendee_ids": "people"}
    ENTRIES: ClassVar[dict[str, tuple[dict[str, Any], tuple[str, ...]]]] = {
        "blockers": ({"id": str, "person_id": str | None, "item_id": str, "note": str}, ("item_id",)),
        "ticked": ({"id": str, "person_id": str | None, "item_id": str, "text": str}, ("item_id",)),
    }

    date: str = ""
    attendee_ids: list[str] = field(default_factory=list)
    notes: str = ""
    blockers: list[dict[str, Any]] = field(default_factory=list)
    ticked: list[dict[str, Any]] = field(default_factory=list)

    def validate(self) -> None:
        super().validate()
        if not self.date:
            raise ValidationError("date", "is required (YYYY-MM-DD)")
        _check_date(self.date, "date")

    def references(self) -> Iterable[tuple[str, str, str]]:
        yield from super().references()
        for blocker in self.blockers:
            if blocker.get("person_id"):
                yield "blockers", "people", blocker["person_id"]

    def without(self, table: str, record_id: str) -> CheckIn:
        item = super().without(table, record_id)
        assert item is not None
        if table == "people":
            blockers = [{**b, "person_id": None} if b.get("person_id") == record_id else b for b in item.blockers]
            if blockers != item.blockers:
                item = item.replace(blockers=blockers)
        return item

    def describe(self) -> str:
        return f"check-in {self.date}"


# --------------------------------------------------------------------------
# Merge conflicts (written by gtm-tui merge / folding conflict copies)


@dataclass(kw_only=True)
class Conflict(Record):
    """A value a merge had to choose: the record now holds ``kept``; ``losing`` is what the other side had.

    ``field`` "" means the whole record: it was deleted on one side (``losing``
    None) and changed on the other, and was kept. ``sides`` says which copy
    each value came from, e.g. "ours ← theirs"; ``when`` is when the merge ran.
    Resolving a conflict deletes this record.
    """

    TABLE: ClassVar[str] = "conflicts"
    LABEL: ClassVar[str] = "merge conflict"

    table: str = ""
    record_id: str = ""
    field: str = ""
    kept: Any = None
    losing: Any = None
    sides: str = ""
    when: str = ""

    def validate(self) -> None:
        super().validate()
        if not self.table or not self.record_id:
            raise ValidationError("record_id", "a merge conflict names the record it is about")
        _check_stamp(self.when or None, "when")

    def describe(self) -> str:
        return f"{self.table} {self.record_id}" + (f" · {self.field}" if self.field else " (deleted on one side)")


# --------------------------------------------------------------------------
# The registry


RECORD_KINDS: tuple[type[Record], ...] = (
    Pilot,
    Person,
    Stage,
    Handoff,
    Step,
    Run,
    ChecklistItem,
    ChecklistTemplate,
    WorkItem,
    BaselineItem,
    RaciAssignment,
    Question,
    Feedback,
    Theme,
    ActionItem,
    Recommendation,
    CheckIn,
    Conflict,
)
KIND_BY_TABLE: dict[str, type[Record]] = {kind.TABLE: kind for kind in RECORD_KINDS}


# --------------------------------------------------------------------------
# Field types of stored records


FieldCheck = tuple[str, "Check", tuple[dict[str, Any], tuple[str, ...]] | None]
_FIELD_CHECKS: dict[type[Record], tuple[FieldCheck, ...]] = {}


def _field_checks(kind: type[Record]) -> tuple[FieldCheck, ...]:
    """Each stored field of ``kind`` with the check of its annotated type (and its entries' keys, if any).

    Built once per kind (a dict rather than ``functools.cache``: the type checker does not take a
    record class for a hashable key).
    """
    checks = _FIELD_CHECKS.get(kind)
    if checks is None:
        hints = {field.name: _hint(field) for field in dataclasses.fields(kind)}
        checks = tuple((name, _checker(hints[name]), kind.ENTRIES.get(name)) for name in kind.field_names())
        _FIELD_CHECKS[kind] = checks
    return checks


def _hint(field: dataclasses.Field[Any]) -> Any:
    """A record field's type, as ``typing.get_type_hints`` gives it."""
    return _evaluated(field.type) if isinstance(field.type, str) else field.type


@functools.cache
def _evaluated(annotation: str) -> Any:
    """An annotation as a type: the text ``from __future__ import annotations`` leaves, evaluated in this
    module (where every record kind is declared) once per distinct text.

    What ``typing.get_type_hints`` gives, without evaluating every field of every kind again: some 200
    fields share 15 annotations, and opening a file vets every kind (4 ms of each start-up, now 0.3).
    """
    return eval(annotation, globals())  # our own source text, never the file's


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


_TYPE_WORDS = {str: "text", int: "a whole number", float: "a number", bool: "true or false", type(None): "null"}


def _type_words(hint: Any) -> str:
    if get_origin(hint) in (Union, types.UnionType):
        return " or ".join(_type_words(arg) for arg in get_args(hint))
    if get_origin(hint) is list:
        return "a list"
    if get_origin(hint) is dict:
        return "an object"
    return _TYPE_WORDS.get(hint, getattr(hint, "__name__", str(hint)))


Check = typing.Callable[[Any], "str | None"]


@functools.cache
def _checker(hint: Any) -> Check:
    """A function that says why a value is not of type ``hint`` (None when it is), built once per type.

    Opening a 50,000-record file checks every field, so each check is one
    closure call and an ``isinstance`` or two.
    """
    origin = get_origin(hint)
    words = _type_words(hint)
    if hint is Any:
        return lambda value: None
    if origin in (Union, types.UnionType):
        options = [_checker(arg) for arg in get_args(hint)]
        plain = tuple(arg for arg in get_args(hint) if arg in (str, bool, type(None)))
        def union(value: Any) -> str | None:
            if isinstance(value, plain) or any(option(value) is None for option in options):
                return None
            return f"{_shown(value)} is not {words}"
        return union
    if origin is list:
        item_check = _checker(get_args(hint)[0])
        def a_list(value: Any) -> str | None:
            if not isinstance(value, list):
                return f"{_shown(value)} is not a list"
            for index, item in enumerate(value):
                problem = item_check(item)
                if problem:
                    return f"entry {index + 1}: {problem}"
            return None
        return a_list
    if origin is dict:
        value_check = _checker(get_args(hint)[1])
        def an_object(value: Any) -> str | None:
            if not isinstance(value, dict):
                return f"{_shown(value)} is not an object"
            for key, item in value.items():
                problem = value_check(item)
                if problem:
                    return f"{key}: {problem}"
            return None
        return an_object
    if hint in (int, float):
        allowed = (int,) if hint is int else (int, float)
        def a_number(value: Any) -> str | None:
            if isinstance(value, allowed) and not isinstance(value, bool):
                return None
            return f"{_shown(value)} is not {words}"
        return a_number
    def plain_type(value: Any) -> str | None:
        return None if isinstance(value, hint) else f"{_shown(value)} is not {words}"
    return plain_type


def _value_problem(value: Any, hint: Any) -> str | None:
    """Why ``value`` is not of type ``hint`` (None when it is)."""
    return _checker(hint)(value)


def _entry_problem(entries: list[Any], spec: tuple[dict[str, Any], tuple[str, ...]]) -> str | None:
    keys, required = spec
    for index, entry in enumerate(entries):
        where = f"entry {index + 1}"
        if not isinstance(entry, dict):
            return f"{where}: {_shown(entry)} is not an object"
        for key in required:
            if key not in entry:
                return f"{where}: has no {key}"
        for key, hint in keys.items():
            if key in entry:
                problem = _value_problem(entry[key], hint)
                if problem:
                    return f"{where}: {key}: {problem}"
    return None


def record_type_problems(kind: type[Record], data: Any) -> list[tuple[str, str]]:
    """(field, reason) for every stored field of ``data`` whose type ``kind`` cannot use; empty when all fit.

    Fields this version does not know are ignored (another version may add
    some); missing fields take their defaults.
    """
    if not isinstance(data, dict):
        return [("", f"{_shown(data)} is not a record")]
    found = []
    for name, check, entries in _field_checks(kind):
        if name not in data:
            continue
        value = data[name]
        problem = check(value)
        if problem is None and entries is not None and value:
            problem = _entry_problem(value, entries)
        if problem:
            found.append((name, problem))
    return found


def _by_type_alone(hint: Any) -> bool:
    """Whether the type of a value says all about fitting ``hint`` (no list or object to look into)."""
    if get_origin(hint) in (Union, types.UnionType):
        return all(_by_type_alone(arg) for arg in get_args(hint))
    return get_origin(hint) not in (list, dict)


class SoundShapes:
    """The shapes of the records of one kind found sound so far: their field names and each value's type.

    A file's records of a kind nearly all share a few shapes. A record of a
    shape already found sound fits as well, but for what its lists and objects
    hold (a non-empty one is looked into); every other record is checked field
    by field (``record_type_problems``). A third of the time opening a file
    spent on vetting it, and the same verdicts.
    """

    def __init__(self, kind: type[Record]) -> None:
        self.kind = kind
        self._looked_into = {field.name for field in dataclasses.fields(kind)
                             if not _by_type_alone(_hint(field))}
        self._sound: dict[tuple[tuple[str, ...], tuple[type, ...]], tuple[FieldCheck, ...]] = {}

    def fits(self, data: Any) -> bool:
        """True when ``data`` is sound; False when it may not be (``record_type_problems`` says)."""
        if type(data) is not dict:
            return False
        shape = (tuple(data), tuple(map(type, data.values())))
        inside = self._sound.get(shape)
        if inside is None:
            if record_type_problems(self.kind, data):
                return False
            self._sound[shape] = tuple(check for check in _field_checks(self.kind)
                                       if check[0] in self._looked_into and check[0] in data)
            return True
        for name, check, entries in inside:
            value = data[name]
            # Empty (or None, where that is allowed): its type alone fitted the sound record's.
            if value and (check(value) is not None or (entries is not None and _entry_problem(value, entries))):
                return False
        return True


def type_problems(tables: dict[str, Any], only: dict[str, Any] | None = None) -> list[str]:
    """Every record of ``tables`` whose field types the app cannot use, as "table id: field: reason".

    ``only`` (an earlier version of the tables) limits the check to records that differ from it.
    """
    found = []
    for table, kind in KIND_BY_TABLE.items():
        records = tables.get(table)
        if not isinstance(records, dict):
            continue
        earlier = (only or {}).get(table) or {}
        shapes = SoundShapes(kind)
        for key, data in records.items():
            if only is not None and earlier.get(key) == data:
                continue
            if shapes.fits(data):
                continue
            for name, reason in record_type_problems(kind, data):
                found.append(
                    f"{table} {key}: {name.replace('_', ' ')}: {reason}" if name else f"{table} {key}: {reason}"
                )
    return found

REVIEW_QUESTIONS = (
    "Which workflow steps sped up your work?",
    "Where did you hit obstacles or confusion?",
    "Did the RACI roles clarify responsibilities or create uncertainty?",
    "What one change would improve the process?",
)
