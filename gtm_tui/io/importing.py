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
from gtm_tui.io.sniffing import sniff

R = TypeVar("R", bound=Record)

# import format -> module with ``plan(workspace, path) -> ImportPlan``
IMPORTERS: dict[str, str] = {
    "csv": "gtm_tui.io.csv_folder",
    "xlsx": "gtm_tui.io.xlsx",
    "trello": "gtm_tui.io.trello",
    "asana": "gtm_tui.io.asana",
    "raci": "gtm_tui.io.raci_import",
    "retro": "gtm_tui.io.retro_import",
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

    action: str  # "add" | "update" | "remove"
    record: Record  # the record as it will be
    where: str
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportPlan:
    """Everything an import will do, before it does it."""

    source: str
    planned: list[Planned] = field(default_factory=list)
    unchanged: int = 0

    def counts(self) -> list[tuple[str, int, int, int]]:
        """``(label, added, updated, removed)`` per record kind, in the order met."""
        found: dict[str, list[int]] = {}
        for item in self.planned:
            tally = found.setdefault(item.record.LABEL, [0, 0, 0])
            tally[("add", "update", "remove").index(item.action)] += 1
        return [(label, *tally) for label, tally in found.items()]  # type: ignore[misc]

    def summary(self) -> list[str]:
        """One line per kind: "3 stages added, 1 updated"."""
        lines = []
        for label, added, updated, removed in self.counts():
            parts = [f"{added} added"] if added else []
            parts += [f"{updated} updated"] if updated else []
            parts += [f"{removed} removed"] if removed else []
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
        self._removed: set[tuple[str, str]] = set()
        # table -> key -> record id, built on first use and kept up to date, so that checking
        # each of thousands of RACI cells against the others does not read them all again.
        self._keys: dict[tuple[str, bool], dict[tuple, str]] = {}

    # -- the workspace as it will be ------------------------------------------------
    def find(self, kind: type[R], record_id: str | None) -> R | None:
        if not record_id or (kind.TABLE, record_id) in self._removed:
            return None
        planned = self._planned.get((kind.TABLE, record_id))
        return planned if planned is not None else self.workspace.find(kind, record_id)  # type: ignore[return-value]

    def all(self, kind: type[R]) -> list[R]:
        records = {record.id: record for record in self.workspace.all(kind)}
        records.update({rid: rec for (table, rid), rec in self._planned.items() if table == kind.TABLE})
        return [rec for rid, rec in records.items() if (kind.TABLE, rid) not in self._removed]  # type: ignore[misc]

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
        found = self._index(type(record), natural=True).get(key) if key is not None else None
        return self.find(type(record), found) if found and found != record.id else None

    def _index(self, kind: type[Record], *, natural: bool) -> dict[tuple, str]:
        index = self._keys.get((kind.TABLE, natural))
        if index is None:
            index = {}
            for record in self.all(kind):
                key = _natural_key(record) if natural else record.unique_key()
                if key is not None:
                    index.setdefault(key, record.id)
            self._keys[(kind.TABLE, natural)] = index
        return index

    def _reindex(self, before: Record | None, after: Record | None) -> None:
        """Keep the key indexes in step when ``before`` becomes ``after`` (either may be None)."""
        table = (before or after).TABLE  # type: ignore[union-attr]
        for natural in (False, True):
            index = self._keys.get((table, natural))
            if index is None:
                continue
            if before is not None:
                key = _natural_key(before) if natural else before.unique_key()
                if key is not None and index.get(key) == before.id:
                    del index[key]
            if after is not None:
                key = _natural_key(after) if natural else after.unique_key()
                if key is not None:
                    index.setdefault(key, after.id)

    # -- planning -------------------------------------------------------------------
    def put(self, record: Record, where: str) -> Record:
        """Plan ``record`` (an add, or an update when its id exists); ``BadRow`` when it would be refused."""
        existing = self.find(type(record), record.id)
        if existing is not None:
            record = record.replace(**{name: getattr(existing, name) for name in STAMP_FIELDS})
        self._check(record, where)
        stored = self.workspace.find(type(record), record.id)
        key = (record.TABLE, record.id)
        was_planned = key in self._planned or key in self._removed
        self._removed.discard(key)
        if stored is None:
            if was_planned:
                self.plan.planned = [p for p in self.plan.planned if (p.record.TABLE, p.record.id) != key]
            self.plan.planned.append(Planned("add", record, where))
        else:
            before, after = stored.to_dict(), record.to_dict()
            changes = {name: value for name, value in after.items() if name not in STAMP_FIELDS and before.get(name) != value}
            if was_planned:
                self.plan.planned = [p for p in self.plan.planned if (p.record.TABLE, p.record.id) != key]
            if changes:
                self.plan.planned.append(Planned("update", record, where, changes))
            elif key not in self._planned:
                self.plan.unchanged += 1
        self._reindex(existing, record)
        self._planned[key] = record
        return record

    def remove(self, record: Record, where: str) -> None:
        """Plan deleting ``record``: the source says it is no longer there (a RACI cell the matrix leaves empty)."""
        key = (record.TABLE, record.id)
        self._reindex(self.find(type(record), record.id), None)
        if key in self._planned:
            self.plan.planned = [p for p in self.plan.planned if (p.record.TABLE, p.record.id) != key]
        self._planned.pop(key, None)
        self._removed.add(key)
        if self.workspace.find(type(record), record.id) is not None:
            self.plan.planned.append(Planned("remove", record, where))

    def _check(self, record: Record, where: str) -> None:
        try:
            record.validate()
            check_references(record, lambda table, ref_id: self.find(KIND_BY_TABLE[table], ref_id) is not None)
            key = record.unique_key()
            if key is not None:
                clash = self._index(type(record), natural=False).get(key)
                if clash is not None and clash != record.id:
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
    if suffix == ".csv":
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                header = next(csv.reader(handle), [])
        except (OSError, UnicodeDecodeError):
            header = []
        names = {name.strip().casefold() for name in header}
        if {"task id", "section/column"} & names or {"name", "parent task"} <= names:
            return "asana"
        return sniff(path) or "csv"
    found = sniff(path)
    if found:
        return found
    raise BadRow(path.name, f"cannot tell its format from the name; say which with --from {'|'.join(IMPORTERS)}")


def plan_import(workspace: Workspace, path: str | Path, fmt: str | None = None, **options: Any) -> ImportPlan:
    """Read ``path`` and plan its import (nothing is written); ``BadRow`` when it cannot be imported.

    ``options`` (a RACI's ``layer``, ``sheet`` …) go to importers that list them in ``OPTIONS``.
    """
    path = Path(path).expanduser()
    if not path.exists():
        raise BadRow(str(path), "no such file or folder")
    fmt = fmt or guess_format(path)
    if fmt not in IMPORTERS:
        raise BadRow(str(path), f"unknown format '{fmt}'; use one of {', '.join(IMPORTERS)}")
    module = importlib.import_module(IMPORTERS[fmt])
    options = {name: value for name, value in options.items() if value not in (None, "", [], {})}
    foreign = sorted(set(options) - set(getattr(module, "OPTIONS", ())))
    if foreign:
        flag = {"mapping": "map"}.get(foreign[0], foreign[0])
        raise BadRow(path.name, f"--{flag} does not apply to a {fmt} import")
    try:
        return module.plan(workspace, path, **options)
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
