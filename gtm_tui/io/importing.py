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
added again, so importing the same board twice does not duplicate it.
"""

from __future__ import annotations

import csv
import importlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from gtm_tui.data.model import KIND_BY_TABLE, Question, Record, ValidationError
from gtm_tui.data.references import check_references
from gtm_tui.data.workspace import RecordNotFound, Workspace

R = TypeVar("R", bound=Record)

# import format -> module with ``plan(workspace, path) -> ImportPlan``
IMPORTERS: dict[str, str] = {
    "csv": "gtm_tui.io.csv_folder",
    "xlsx": "gtm_tui.io.xlsx",
    "trello": "gtm_tui.io.trello",
    "asana": "gtm_tui.io.asana",
}
STAMP_FIELDS = ("created_at", "updated_at")


class BadRow(ValidationError):
    """The source cannot be imported; ``where`` names the row, ``reason`` says why."""

    def __init__(self, where: str, reason: str) -> None:
        ValueError.__init__(self, f"{where}: {reason}")
        self.field = "source"
        self.where = where
        self.reason = reason


@dataclass(frozen=True)
class Planned:
    """One record the import will add, or update with ``changes``."""

    action: str  # "add" | "update"
    record: Record  # the record as it will be
    where: str
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportPlan:
    """Everything an import will do, before it does it."""

    source: str
    planned: list[Planned] = field(default_factory=list)
    unchanged: int = 0

    def counts(self) -> list[tuple[str, int, int]]:
        """``(label, added, updated)`` per record kind, in the order met."""
        found: dict[str, list[int]] = {}
        for item in self.planned:
            tally = found.setdefault(item.record.LABEL, [0, 0])
            tally[0 if item.action == "add" else 1] += 1
        return [(label, added, updated) for label, (added, updated) in found.items()]

    def summary(self) -> list[str]:
        """One line per kind: "3 stages added, 1 updated"."""
        lines = []
        for label, added, updated in self.counts():
            parts = [f"{added} added"] if added else []
            parts += [f"{updated} updated"] if updated else []
            lines.append(f"{plural(label)}: {', '.join(parts)}")
        if self.unchanged:
            lines.append(f"{self.unchanged} already up to date")
        return lines or ["nothing to import"]

    def preview(self, workspace: Workspace, limit: int = 8) -> list[str]:
        """The first rows, as a person would read them."""
        shown = [f"{item.action} {workspace.describe(item.record)} ({item.where})" for item in self.planned[:limit]]
        if len(self.planned) > limit:
            shown.append(f"… and {len(self.planned) - limit} more")
        return shown


def plural(label: str) -> str:
    """The label of a record kind for many of them."""
    return "people" if label == "person" else f"{label}s"


def _natural_key(record: Record) -> tuple | None:
    if isinstance(record, Question):
        return ("text", record.text.strip().casefold())
    return record.unique_key()


class PlanBuilder:
    """Collects what an import wants to write, checking each record as it comes."""

    def __init__(self, workspace: Workspace, source: str) -> None:
        self.workspace = workspace
        self.plan = ImportPlan(source)
        self._planned: dict[tuple[str, str], Record] = {}

    # -- the workspace as it will be ------------------------------------------------
    def find(self, kind: type[R], record_id: str | None) -> R | None:
        if not record_id:
            return None
        planned = self._planned.get((kind.TABLE, record_id))
        return planned if planned is not None else self.workspace.find(kind, record_id)  # type: ignore[return-value]

    def all(self, kind: type[R]) -> list[R]:
        records = {record.id: record for record in self.workspace.all(kind)}
        records.update({rid: rec for (table, rid), rec in self._planned.items() if table == kind.TABLE})
        return list(records.values())  # type: ignore[arg-type]

    def by_source(self, kind: type[R], source: str) -> R | None:
        """The record an earlier import of the same origin made."""
        return next((r for r in self.all(kind) if getattr(r, "source", None) == source), None)

    def by_name(self, kind: type[R], name: str) -> R | None:
        """The record a person would call ``name`` (case does not matter)."""
        wanted = name.strip().casefold()
        return next((r for r in self.all(kind) if r.describe().strip().casefold() == wanted), None)

    def by_key(self, record: Record) -> Record | None:
        """Another record with the same natural key (a person's name, a stage's name, a RACI cell …)."""
        key = _natural_key(record)
        if key is None:
            return None
        return next((r for r in self.all(type(record)) if r.id != record.id and _natural_key(r) == key), None)

    # -- planning -------------------------------------------------------------------
    def put(self, record: Record, where: str) -> Record:
        """Plan ``record`` (an add, or an update when its id exists); ``BadRow`` when it would be refused."""
        existing = self.find(type(record), record.id)
        if existing is not None:
            record = record.replace(**{name: getattr(existing, name) for name in STAMP_FIELDS})
        self._check(record, where)
        stored = self.workspace.find(type(record), record.id)
        key = (record.TABLE, record.id)
        if stored is None:
            if key in self._planned:
                self.plan.planned = [p for p in self.plan.planned if (p.record.TABLE, p.record.id) != key]
            self.plan.planned.append(Planned("add", record, where))
        else:
            before, after = stored.to_dict(), record.to_dict()
            changes = {name: value for name, value in after.items() if name not in STAMP_FIELDS and before.get(name) != value}
            self.plan.planned = [p for p in self.plan.planned if (p.record.TABLE, p.record.id) != key]
            if changes:
                self.plan.planned.append(Planned("update", record, where, changes))
            elif key not in self._planned:
                self.plan.unchanged += 1
        self._planned[key] = record
        return record

    def _check(self, record: Record, where: str) -> None:
        try:
            record.validate()
            check_references(record, lambda table, ref_id: self.find(KIND_BY_TABLE[table], ref_id) is not None)
            key = record.unique_key()
            if key is not None:
                clash = next((r for r in self.all(type(record)) if r.id != record.id and r.unique_key() == key), None)
                if clash is not None:
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
        for item in plan.planned:
            try:
                if item.action == "add":
                    workspace.add(item.record)
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
        return "xlsx"
    if suffix == ".json":
        return "trello"
    if suffix == ".csv":
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                header = next(csv.reader(handle), [])
        except (OSError, UnicodeDecodeError):
            header = []
        names = {name.strip().casefold() for name in header}
        return "asana" if {"task id", "section/column"} & names or {"name", "parent task"} <= names else "csv"
    raise BadRow(path.name, "cannot tell its format from the name; say which with --from csv|xlsx|trello|asana")


def plan_import(workspace: Workspace, path: str | Path, fmt: str | None = None) -> ImportPlan:
    """Read ``path`` and plan its import (nothing is written); ``BadRow`` when it cannot be imported."""
    path = Path(path).expanduser()
    if not path.exists():
        raise BadRow(str(path), "no such file or folder")
    fmt = fmt or guess_format(path)
    if fmt not in IMPORTERS:
        raise BadRow(str(path), f"unknown format '{fmt}'; use one of {', '.join(IMPORTERS)}")
    module = importlib.import_module(IMPORTERS[fmt])
    try:
        return module.plan(workspace, path)
    except UnicodeDecodeError:
        raise BadRow(path.name, "is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise BadRow(f"{path.name} line {error.lineno}", f"is not valid JSON ({error.msg})") from None
    except OSError as error:
        raise BadRow(path.name, f"cannot be read: {error.strerror or error}") from None


def read_csv_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """A CSV file's header and its rows with the line each starts on (quoted line breaks counted)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        rows: list[tuple[int, list[str]]] = []
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((line, cells))
            line = reader.line_num + 1
    return [name.strip() for name in header], rows
