"""What every import shares: a plan checked in full before anything is written.

An importer reads its source and hands each record it wants to ``PlanBuilder``
with where it came from ("stages.csv line 4", "Trello card 'Launch post'").
The builder checks the record at once — its own rules, that what it refers to
exists (in the workspace or earlier in the plan), that it clashes with no
other — and stops at the first bad row with ``BadRow`` naming it. Nothing is
written until the whole source is planned; ``apply_plan`` then writes it in
one ``Workspace.batch``: one save, one undo step, all or nothing.

A record already in the workspace (same id, same import origin in
``source``, or the same natural key such as a person's name) is updated, not
added again, so importing the same board twice does not duplicate it. The
builder keeps its lookups (by origin, by name, by key) in indexes updated as
records are planned, so planning stays linear in the size of the workspace.

A plan may also remove records (a baseline taken again replaces the old one,
a RACI cell the matrix now leaves empty goes) and carries ``notes``: what was
skipped and why, what the source cannot tell.

What the user said about the source — the team's time zone, the done list, a
RACI layer, a sheet, a mapping … — reaches every importer the same way, as one
``ReadOptions``; an importer lists the options it honours in ``OPTIONS``, and
one given to an importer that has no use for it is refused by name.
"""

from __future__ import annotations

import csv
import importlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from gtm_tui.data.model import KIND_BY_TABLE, Question, Record, ValidationError, name_key, record_type_problems
from gtm_tui.data.references import check_references
from gtm_tui.data.safe_text import clean
from gtm_tui.data.workspace import RecordNotFound, Workspace
from gtm_tui.io.jira_columns import find_columns
from gtm_tui.io.sniffing import sniff

R = TypeVar("R", bound=Record)

# import format -> module with ``plan(workspace, path, options) -> ImportPlan`` and ``OPTIONS``
IMPORTERS: dict[str, str] = {
    "csv": "gtm_tui.io.csv_folder",
    "xlsx": "gtm_tui.io.xlsx",
    "trello": "gtm_tui.io.trello",
    "asana": "gtm_tui.io.asana",
    "jira": "gtm_tui.io.jira",
    "raci": "gtm_tui.io.raci_import",
    "retro": "gtm_tui.io.retro_import",
}
STAMP_FIELDS = ("created_at", "updated_at")
CSV_FIELD_LIMIT = 64 * 1024 * 1024  # a Jira description or an Asana note may be long; csv's default is 128 KiB


@dataclass(frozen=True)
class ReadOptions:
    """How to read a source and where its records go, as the user said on the command line or in the dialog.

    Left at its default, an option is not given: the importer decides (and one
    that does not list it in its ``OPTIONS`` is never asked to).
    """

    tz: str | None = None  # the team's time zone (IANA name, e.g. "America/Chicago"); None: this machine's
    done_list: str | None = None  # the list (or status) that means done; None: guessed from the names
    include_archived: bool = False  # bring archived cards and lists in as past work
    layer: str | None = None  # RACI: the layer to fill ("today" | "pilot"); None: today's
    sheet: str | None = None  # a workbook's sheet to read, by name or number; None: found
    layout: str | None = None  # RACI: how the grid is laid out (raci_layout.LAYOUTS); None: detected
    # "Their name=Our name" lines (--map, repeated) or {their name: our name}: a board's lists onto
    # stages (baseline), a matrix's rows onto stages (RACI), a retro's headings onto questions
    mapping: Sequence[str] | Mapping[str, str] = ()

    def given(self) -> list[str]:
        """The names of the options the user gave (every default is empty, and so is an empty answer)."""
        return [option.name for option in fields(self) if getattr(self, option.name)]


def flag(option: str) -> str:
    """The command line's flag for a ``ReadOptions`` field: ``done_list`` -> ``--done-list``."""
    return "--" + {"mapping": "map"}.get(option, option).replace("_", "-")


class BadRow(ValidationError):
    """The source cannot be imported; ``where`` names the row, ``reason`` says why."""

    def __init__(self, where: str, reason: str) -> None:
        ValueError.__init__(self, f"{where}: {reason}")
        self.field = "source"
        self.where = where
        self.reason = reason


@dataclass(frozen=True)
class Planned:
    """One record the import will add, update with ``changes``, or remove."""

    action: str  # "add" | "update" | "remove"
    record: Record  # the record as it will be (as it is, for a removal)
    where: str
    changes: dict[str, Any] = field(default_factory=dict)


ACTIONS = ("add", "update", "remove")


@dataclass
class ImportPlan:
    """Everything an import will do, before it does it, and what the user should know about the source."""

    source: str
    planned: list[Planned] = field(default_factory=list)
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)

    def counts(self) -> list[tuple[str, int, int, int]]:
        """``(label, added, updated, removed)`` per record kind, in the order met."""
        found: dict[str, list[int]] = {}
        for item in self.planned:
            tally = found.setdefault(item.record.LABEL, [0, 0, 0])
            tally[ACTIONS.index(item.action)] += 1
        return [(label, *tally) for label, tally in found.items()]  # type: ignore[misc]

    def summary(self) -> list[str]:
        """One line per kind ("3 stages added, 1 updated"), then the notes."""
        lines = []
        for label, added, updated, removed in self.counts():
            parts = [f"{added} added"] if added else []
            parts += [f"{updated} updated"] if updated else []
            parts += [f"{removed} removed"] if removed else []
            lines.append(f"{plural(label)}: {', '.join(parts)}")
        if self.unchanged:
            lines.append(f"{self.unchanged} already up to date")
        return (lines or ["nothing to import"]) + self.notes

    def preview(self, workspace: Workspace, limit: int = 8) -> list[str]:
        """The first rows, as a person would read them."""
        shown = [f"{item.action} {workspace.describe(item.record)} ({item.where})" for item in self.planned[:limit]]
        if len(self.planned) > limit:
            shown.append(f"… and {len(self.planned) - limit} more")
        return shown


def plural(label: str) -> str:
    """The label of a record kind for many of them."""
    return {"person": "people", "pilot": "the pilot"}.get(label, f"{label}s")


def _natural_key(record: Record) -> tuple | None:
    if isinstance(record, Question):
        return ("text", record.text.strip().casefold())
    return record.unique_key()


# Lookups the builder indexes per table: a record's key under each, or None.
_INDEX_KEYS: dict[str, Callable[[Record], Any]] = {
    "source": lambda record: getattr(record, "source", None) or None,
    "name": lambda record: name_key(record.describe()),
    "natural": _natural_key,
    "unique": lambda record: record.unique_key(),
}


class PlanBuilder:
    """Collects what an import wants to write, checking each record as it comes."""

    def __init__(self, workspace: Workspace, source: str) -> None:
        self.workspace = workspace
        self.plan = ImportPlan(source)
        self._planned: dict[tuple[str, str], Record] = {}
        self._removed: set[tuple[str, str]] = set()
        self._records: dict[str, dict[str, Record]] = {}  # table -> id -> record, the workspace as it will be
        self._indexes: dict[tuple[str, str], dict[Any, str]] = {}  # (table, lookup) -> key -> record id

    # -- the workspace as it will be ------------------------------------------------
    def _table(self, kind: type[Record]) -> dict[str, Record]:
        records = self._records.get(kind.TABLE)
        if records is None:
            records = {record.id: record for record in self.workspace.all(kind)}
            self._records[kind.TABLE] = records
        return records

    def _index(self, kind: type[Record], lookup: str) -> dict[Any, str]:
        index = self._indexes.get((kind.TABLE, lookup))
        if index is None:
            index = {}
            key_of = _INDEX_KEYS[lookup]
            for record in self._table(kind).values():
                key = key_of(record)
                if key is not None:
                    index.setdefault(key, record.id)
            self._indexes[(kind.TABLE, lookup)] = index
        return index

    def _remember(self, record: Record) -> None:
        """Keep ``record`` as planned in the table and in the indexes built so far."""
        records = self._table(type(record))
        before = records.get(record.id)
        if before is not None:
            self._forget(before)
        records[record.id] = record
        for (table, lookup), index in self._indexes.items():
            if table == record.TABLE:
                key = _INDEX_KEYS[lookup](record)
                if key is not None:
                    index.setdefault(key, record.id)

    def _forget(self, record: Record) -> None:
        """Take ``record`` out of the indexes built so far (it is changing or going)."""
        for (table, lookup), index in self._indexes.items():
            if table == record.TABLE:
                key = _INDEX_KEYS[lookup](record)
                if key is not None and index.get(key) == record.id:
                    del index[key]

    def _lookup(self, kind: type[R], lookup: str, key: Any) -> R | None:
        record_id = self._index(kind, lookup).get(key)
        return self._table(kind).get(record_id) if record_id else None  # type: ignore[return-value]

    def find(self, kind: type[R], record_id: str | None) -> R | None:
        if not record_id:
            return None
        return self._table(kind).get(record_id)  # type: ignore[return-value]

    def all(self, kind: type[R]) -> list[R]:
        return list(self._table(kind).values())  # type: ignore[arg-type]

    def by_source(self, kind: type[R], source: str) -> R | None:
        """The record an earlier import of the same origin made."""
        return self._lookup(kind, "source", clean(source)) if source else None

    def by_name(self, kind: type[R], name: str) -> R | None:
        """The record a person would call ``name``: case and spacing aside, as the app compares names."""
        return self._lookup(kind, "name", name_key(clean(name)))  # names are stored cleaned

    def by_key(self, record: Record) -> Record | None:
        """Another record with the same natural key (a person's name, a stage's name, a RACI cell …)."""
        key = _natural_key(record.cleaned())
        if key is None:
            return None
        found = self._lookup(type(record), "natural", key)
        return found if found is not None and found.id != record.id else None

    # -- planning -------------------------------------------------------------------
    def put(self, record: Record, where: str) -> Record:
        """Plan ``record`` (an add, or an update when its id exists); ``BadRow`` when it would be refused.

        The record is planned as it will be stored (``Record.cleaned``: no control characters), so
        importing the same source again finds it up to date.
        """
        record = record.cleaned()
        existing = self.find(type(record), record.id)
        if existing is not None:
            record = record.replace(**{name: getattr(existing, name) for name in STAMP_FIELDS})
        self._check(record, where)
        stored = self.workspace.find(type(record), record.id)
        key = (record.TABLE, record.id)
        was_planned = key in self._planned or key in self._removed
        self._removed.discard(key)
        if was_planned:
            self._unplan(key)
        if stored is None:
            self.plan.planned.append(Planned("add", record, where))
        else:
            before, after = stored.to_dict(), record.to_dict()
            changes = {
                name: value for name, value in after.items() if name not in STAMP_FIELDS and before.get(name) != value
            }
            if changes:
                self.plan.planned.append(Planned("update", record, where, changes))
            elif key not in self._planned:
                self.plan.unchanged += 1
        self._planned[key] = record
        self._remember(record)
        return record

    def remove(self, record: Record, where: str) -> None:
        """Plan removing ``record``, one that nothing else refers to: the source says it is gone (an old
        baseline's item, a RACI cell the matrix now leaves empty). One planned earlier is simply not added."""
        key = (record.TABLE, record.id)
        if key in self._planned:
            self._unplan(key)
            del self._planned[key]
        planned = self._table(type(record)).pop(record.id, None)
        if planned is not None:
            self._forget(planned)
        if self.workspace.find(type(record), record.id) is not None and key not in self._removed:
            self._removed.add(key)
            self.plan.planned.append(Planned("remove", record, where))

    def _unplan(self, key: tuple[str, str]) -> None:
        self.plan.planned = [p for p in self.plan.planned if (p.record.TABLE, p.record.id) != key]

    def note(self, text: str) -> None:
        """Something the user should read before saying yes: what was skipped and why, what the source cannot tell."""
        if text not in self.plan.notes:
            self.plan.notes.append(text)

    def _check(self, record: Record, where: str) -> None:
        try:
            for name, reason in record_type_problems(type(record), record.to_dict())[:1]:
                raise ValidationError(name, reason)  # what the file would refuse to open again
            record.validate()
            check_references(record, lambda table, ref_id: self.find(KIND_BY_TABLE[table], ref_id) is not None)
            key = record.unique_key()
            if key is not None:
                clash = self._lookup(type(record), "unique", key)
                if clash is not None and clash.id != record.id:
                    raise ValidationError(str(key[0]), record.unique_message())
        except ValidationError as error:
            raise BadRow(where, str(error)) from None


def apply_plan(workspace: Workspace, plan: ImportPlan) -> int:
    """Write the plan in one batch (one save, one undo step); return how many records changed.

    If anything is refused now (a teammate changed the file since the plan was
    made), the batch is dropped and ``BadRow`` names the row: nothing is written.
    """
    if not plan.planned:
        return 0
    with workspace.batch(f"import {plan.source}"):
        # Removals first, so that a record coming in may take the place of one going out.
        for item in sorted(plan.planned, key=lambda item: item.action != "remove"):
            try:
                if item.action == "add":
                    workspace.add(item.record)
                elif item.action == "remove":
                    workspace.delete(workspace.get(type(item.record), item.record.id))
                else:
                    workspace.update(workspace.get(type(item.record), item.record.id), **item.changes)
            except ValidationError as error:
                raise BadRow(item.where, str(error)) from None
            except RecordNotFound as error:
                raise BadRow(item.where, str(error.args[0] if error.args else error)) from None
    return len(plan.planned)


# -- formats ------------------------------------------------------------------------


def guess_format(path: Path) -> str:
    """Which importer reads ``path``: from the extension, and the header or keys when they tell."""
    if path.is_dir():
        return "csv"
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return sniff(path) or "xlsx"
    if suffix == ".json":
        return "trello"
    if suffix in (".csv", ".tsv", ".txt"):
        try:
            header = read_header(path)
        except (OSError, UnicodeDecodeError, csv.Error):
            header = []
        names = {name.strip().casefold() for name in header}
        if {"task id", "section/column"} & names or {"name", "parent task"} <= names:
            return "asana"
        if looks_like_jira(header):
            return "jira"
        return sniff(path) or "csv"
    found = sniff(path)  # a Markdown page: a RACI table or retro notes
    if found:
        return found
    raise BadRow(path.name, f"cannot tell its format from the name; say which with --from {'|'.join(IMPORTERS)}")


def looks_like_jira(header: list[str]) -> bool:
    """A Jira export's header: an issue key and a summary (or issue type) column, in any of its languages."""
    columns = find_columns(header)
    return "key" in columns and ("summary" in columns or "type" in columns)


def plan_import(
    workspace: Workspace, path: str | Path, fmt: str | None = None, options: ReadOptions | None = None
) -> ImportPlan:
    """Read ``path`` and plan its import (nothing is written); ``BadRow`` when it cannot be imported,
    or when ``options`` give one its importer has no use for (``--sheet`` for a Trello board)."""
    path = Path(path).expanduser()
    if not path.exists():
        raise BadRow(str(path), "no such file or folder")
    fmt = fmt or guess_format(path)
    if fmt not in IMPORTERS:
        raise BadRow(str(path), f"unknown format '{fmt}'; use one of {', '.join(IMPORTERS)}")
    module = importlib.import_module(IMPORTERS[fmt])
    options = options or ReadOptions()
    foreign = [name for name in options.given() if name not in module.OPTIONS]
    if foreign:
        article = "an" if fmt[0] in "aeiou" else "a"
        raise BadRow(path.name, f"{flag(foreign[0])} does not apply to {article} {fmt} import")
    try:
        return module.plan(workspace, path, options)
    except UnicodeDecodeError:
        raise BadRow(path.name, "is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise BadRow(f"{path.name} line {error.lineno}", f"is not valid JSON ({error.msg})") from None
    except OSError as error:
        raise BadRow(path.name, f"cannot be read: {error.strerror or error}") from None


def applicable(path: Path, fmt: str | None, options: ReadOptions) -> ReadOptions:
    """Only the options the importer of ``path`` honours: a form offers them all, one format uses some."""
    try:
        fmt = fmt or guess_format(path)
    except ValueError:
        return ReadOptions()
    accepted = importlib.import_module(IMPORTERS[fmt]).OPTIONS if fmt in IMPORTERS else ()
    return replace(ReadOptions(), **{name: getattr(options, name) for name in options.given() if name in accepted})


def csv_dialect(first_line: str) -> str:
    """The delimiter a spreadsheet used: a comma, or the semicolon or tab some locales' Excel writes."""
    counts = dict.fromkeys(",;\t", 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_header(path: Path) -> list[str]:
    """The first row of a CSV file (any delimiter, byte-order mark or not)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
        handle.seek(0)
        if first.startswith("\ufeff"):
            first = first[1:]
        return next(csv.reader(handle, delimiter=csv_dialect(first)), [])


def read_csv_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """A CSV file's header and its rows with the line each starts on (quoted line breaks counted).

    The delimiter is taken from the header (comma, semicolon or tab); CRLF and
    line breaks inside quoted cells are read as a spreadsheet wrote them.
    """
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
        handle.seek(0)
        reader = csv.reader(handle, delimiter=csv_dialect(first))
        header = next(reader, [])
        rows: list[tuple[int, list[str]]] = []
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((line, cells))
            line = reader.line_num + 1
    return [name.strip() for name in header], rows
