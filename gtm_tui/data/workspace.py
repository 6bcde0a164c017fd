"""The one way to read and change a pilot: typed records over TinyDB tables.

Every change goes through ``Workspace``: it drops control characters from the
record's text (``Record.cleaned``), validates it (alone and against the
others), stamps ``updated_at``, saves the file at once, remembers
how to undo it, and tells the listeners (the screens) what changed.

A change is kept as a list of ``Change`` (table, id, before, after). It is
applied to the file under the lock, on top of whatever is on disk at that
moment and field by field, so a teammate's change saved in between survives.
A file of an older schema is backed up and upgraded when opened; the first
save of each day leaves a backup (see backups.py). A change that replaces the
whole content at once (folding in a synced folder's conflict copy, see
``sharing/copies.py``) goes through ``replace_all``, under the same lock.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator, Literal, Sequence, TypeVar, cast

from tinydb import TinyDB
from tinydb.table import Table

from gtm_tui.data.model import (
    KIND_BY_TABLE,
    RECORD_KINDS,
    REVIEW_QUESTIONS,
    Handoff,
    Person,
    Pilot,
    Question,
    RaciAssignment,
    Record,
    Stage,
    ValidationError,
    now_stamp,
)
from gtm_tui.data import backups
from gtm_tui.data import clock
from gtm_tui.data import migrations
from gtm_tui.data.changes import RecordChange, diff_tables, teammate_message
from gtm_tui.data.order import Positioned, moved_positions, order_key
from gtm_tui.data.references import check_references
from gtm_tui.data.storage import (
    META_KEY,
    META_TABLE,
    SCHEMA,
    SaveError,
    WorkspaceFileError,
    WorkspaceStorage,
    dump,
    meta_record,
    read_file,
    schema_of,
    write_atomically,
)

R = TypeVar("R", bound=Record)

UNDO_DEPTH = 100


class RecordTable(Table):
    """A TinyDB table whose document ids are our record ids, so copies of a file line up."""

    document_id_class = str


class RecordNotFound(KeyError):
    """The record asked for is not in the workspace (perhaps a teammate deleted it)."""


@dataclass(frozen=True)
class Change:
    """One record changed: ``before`` None means added, ``after`` None means deleted."""

    table: str
    id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def inverse(self) -> Change:
        return Change(self.table, self.id, self.after, self.before)


@dataclass(frozen=True)
class ChangeSet:
    """What one user action changed, as one undo step and one notification."""

    description: str
    changes: tuple[Change, ...]
    undo: bool = False  # this change set undid an earlier one
    external: bool = False  # the file was changed by someone else and reloaded

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(change.table for change in self.changes)


@dataclass(frozen=True)
class Consequence:
    """What deleting a record does to another record that refers to it; ``text`` says it in words."""

    record: Record
    action: Literal["delete", "detach"]
    text: str = ""


def _sort_key(record: Record) -> tuple:
    if getattr(record, "position", None) is not None:
        return order_key(cast(Positioned, record))
    name = getattr(record, "name", None)
    if isinstance(name, str) and type(record).__name__ == "Person":
        return (name.casefold(), record.id)
    return (record.created_at, record.id)


def empty_tables(pilot: Pilot, *, with_questions: bool = True) -> dict[str, Any]:
    """The content of a new workspace: the meta record, the pilot and the method's review questions."""
    stamp = now_stamp()
    pilot = pilot.replace(created_at=pilot.created_at or stamp, updated_at=pilot.updated_at or stamp).cleaned()
    pilot.validate()
    tables: dict[str, Any] = {kind.TABLE: {} for kind in RECORD_KINDS}
    tables[META_TABLE] = {META_KEY: meta_record()}
    tables[Pilot.TABLE] = {pilot.id: pilot.to_dict()}
    if with_questions:
        for position, text in enumerate(REVIEW_QUESTIONS):
            question = Question(text=text, position=position, created_at=stamp, updated_at=stamp)
            tables[Question.TABLE][question.id] = question.to_dict()
    return tables


class Workspace:
    """A pilot's records in one file. Open with ``Workspace.open`` or ``Workspace.create``."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db = TinyDB(str(self.path), storage=WorkspaceStorage)
        self._db.table_class = RecordTable
        self.storage: WorkspaceStorage = self._db.storage  # type: ignore[assignment]
        self._records: dict[str, dict[str, Record]] = {}
        self._undo: list[ChangeSet] = []
        self._listeners: list[Callable[[ChangeSet], None]] = []
        self._batch: list[Change] | None = None
        self._backup_day: date | None = None  # the day this session last made sure a daily backup exists
        self.backup_error = ""  # why the last backup failed (a save is never refused for it)

    # -- opening -----------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path) -> Workspace:
        """Open an existing workspace file; raise ``WorkspaceFileError`` when it cannot be used."""
        workspace = cls(path)
        tables = workspace.storage.read()  # vets the file now, not at the first click
        if schema_of(tables) < SCHEMA:
            workspace._upgrade()
        if not workspace._table(Pilot.TABLE):
            raise WorkspaceFileError(f"{workspace.path.name} has no pilot record; it was left untouched")
        return workspace

    @classmethod
    def create(cls, path: str | Path, pilot: Pilot | None = None, *, tables: dict[str, Any] | None = None) -> Workspace:
        """Write a new workspace file (refusing to overwrite one) and open it."""
        path = Path(path)
        if path.exists():
            raise WorkspaceFileError(f"{path} already exists; open it instead of creating it")
        if not path.parent.is_dir():
            raise WorkspaceFileError(f"folder {path.parent} does not exist")
        content = tables if tables is not None else empty_tables(pilot or Pilot())
        content[META_TABLE] = {META_KEY: meta_record()}
        try:
            write_atomically(path, dump(content))
        except OSError as error:
            raise WorkspaceFileError(f"cannot write {path}: {error.strerror or error}") from None
        return cls.open(path)

    # -- reading -----------------------------------------------------------------
    def _table(self, table: str) -> dict[str, Record]:
        """The typed records of a table, cached until the file is reloaded."""
        records = self._records.get(table)
        if records is None:
            kind = KIND_BY_TABLE[table]
            records = {str(doc.doc_id): kind.from_dict(doc) for doc in self._db.table(table)}
            self._records[table] = records
        return records

    def _reload_from_disk(self) -> list[RecordChange]:
        """Re-read the file; forget the typed records of the tables that differ; return what differs."""
        old = self.storage.tables or {}
        self.storage.forget()
        found = self._adopt(old, self.storage.read())
        if not old:
            self._records.clear()
        return found

    def _adopt(self, old: dict[str, Any], new: dict[str, Any]) -> list[RecordChange]:
        found = diff_tables(old, new)
        for table in {change.table for change in found}:
            self._records.pop(table, None)
        return found

    def _upgrade(self) -> None:
        """Bring an older file to today's schema, after a backup of it as it was."""
        try:
            with self.storage.locked():
                tables = read_file(self.path)
                if schema_of(tables) < SCHEMA:
                    try:
                        backups.backup(self.path, f"before-schema-{schema_of(tables)}-to-{SCHEMA}")
                    except OSError as error:
                        raise WorkspaceFileError(
                            f"{self.path.name} is of an older schema and could not be backed up before upgrading "
                            f"({error.strerror or error}); it was left untouched"
                        ) from None
                    self.storage.write(migrations.upgrade(tables))
        except SaveError as error:
            raise WorkspaceFileError(f"{self.path.name} needs an upgrade but {error}") from None
        except OSError as error:
            raise WorkspaceFileError(f"cannot upgrade {self.path.name}: {error.strerror or error}; it was left as it was") from None
        finally:
            self._reload_quietly()

    def _reload_quietly(self) -> None:
        """Forget what memory holds; the next read comes from disk (which may itself be unreadable)."""
        self._records.clear()
        self.storage.forget()

    def pilot(self) -> Pilot:
        """The pilot this file is about."""
        pilots = sorted(self._table(Pilot.TABLE).values(), key=_sort_key)
        if not pilots:
            raise WorkspaceFileError(f"{self.path.name} has no pilot record")
        return pilots[0]  # type: ignore[return-value]

    def all(self, kind: type[R]) -> list[R]:
        """Every record of a kind, in a stable order (position, name, or creation)."""
        return sorted(self._table(kind.TABLE).values(), key=_sort_key)  # type: ignore[arg-type]

    def count(self, kind: type[Record]) -> int:
        """How many records of a kind there are, without building them when they are not loaded yet."""
        records = self._records.get(kind.TABLE)
        if records is not None:
            return len(records)
        return len(self.storage.read().get(kind.TABLE, {}))

    def find(self, kind: type[R], record_id: str | None) -> R | None:
        """The record with this id, or None."""
        if not record_id:
            return None
        return self._table(kind.TABLE).get(record_id)  # type: ignore[return-value]

    def get(self, kind: type[R], record_id: str) -> R:
        """The record with this id; ``RecordNotFound`` when it is gone."""
        record = self.find(kind, record_id)
        if record is None:
            raise RecordNotFound(f"this {kind.LABEL} no longer exists (perhaps a teammate deleted it)")
        return record

    def name_of(self, kind: type[Record], record_id: str | None, default: str = "—") -> str:
        """How to show a referenced record in a list: its name, or ``default`` when unset."""
        record = self.find(kind, record_id)
        return record.describe() if record is not None else default

    def describe(self, record: Record) -> str:
        """A record in a sentence, with the names of what it joins (for confirmations and messages)."""
        if isinstance(record, Handoff):
            return f"handoff {self.name_of(Stage, record.from_stage_id)} → {self.name_of(Stage, record.to_stage_id)}"
        if isinstance(record, RaciAssignment):
            where = self.name_of(Stage, record.stage_id) + (f" / {record.activity}" if record.activity else "")
            return f"{record.layer} RACI role {record.role} of {self.name_of(Person, record.person_id)} on {where}"
        return f"{record.LABEL} '{record.describe()}'"

    def refers_to(self, table: str, record_id: str) -> list[Record]:
        """Every record that points at ``table``/``record_id``."""
        found = []
        for kind in RECORD_KINDS:
            if not kind.may_refer_to(table):
                continue
            for record in self._table(kind.TABLE).values():
                if any(t == table and i == record_id for _, t, i in record.references()):
                    found.append(record)
        return found

    # -- rules across records ----------------------------------------------------
    def _check(self, record: Record) -> None:
        record.validate()
        check_references(record, lambda table, ref_id: ref_id in self._table(table))
        key = record.unique_key()
        if key is not None:
            for other in self._table(record.TABLE).values():
                if other.id != record.id and other.unique_key() == key:
                    raise ValidationError(key[0] if isinstance(key[0], str) else "name", record.unique_message())

    # -- changing ----------------------------------------------------------------
    def add(self, record: R) -> R:
        """Validate and save a new record; return it as stored."""
        if record.id in self._table(record.TABLE):
            raise ValidationError("id", f"a {record.LABEL} with this id already exists")
        stamp = now_stamp()
        record = record.replace(created_at=record.created_at or stamp, updated_at=stamp).cleaned()
        self._check(record)
        self._commit(f"add {record.LABEL} '{record.describe()}'", [Change(record.TABLE, record.id, None, record.to_dict())])
        return record

    def update(self, record: R, **changes: Any) -> R:
        """Validate and save ``record`` with ``changes``; return the stored record."""
        current = self.get(type(record), record.id)
        if record.updated_at and record.updated_at != current.updated_at:
            # The caller (a form opened before a teammate's change) holds an older copy: a field
            # it passes unchanged from that copy was not edited here, so the newer value stays.
            mine = record.to_dict()
            changes = {name: value for name, value in changes.items() if name not in mine or mine[name] != value}
        updated = current.replace(**changes).cleaned()
        if updated.to_dict() == current.to_dict():
            return current
        updated = updated.replace(updated_at=now_stamp())
        self._check(updated)
        self._commit(
            f"edit {updated.LABEL} '{updated.describe()}'",
            [Change(updated.TABLE, updated.id, current.to_dict(), updated.to_dict())],
        )
        return updated

    def consequences(self, record: Record) -> list[Consequence]:
        """What deleting ``record`` would delete or unlink elsewhere, so a confirm dialog can say it."""
        effects: dict[tuple[str, str], Consequence] = {}
        pending: list[Record] = [record]
        deleted = {(record.TABLE, record.id)}
        while pending:
            target = pending.pop()
            for dependent in self.refers_to(target.TABLE, target.id):
                key = (dependent.TABLE, dependent.id)
                if key in deleted:
                    continue
                base = effects[key].record if key in effects else dependent
                remaining = base.without(target.TABLE, target.id)
                if remaining is None:
                    effects[key] = Consequence(dependent, "delete", f"deletes {self.describe(dependent)}")
                    deleted.add(key)
                    pending.append(dependent)
                else:
                    effects[key] = Consequence(remaining, "detach", f"unlinks {self.describe(dependent)}")
        return list(effects.values())

    def delete(self, record: Record) -> list[Consequence]:
        """Delete ``record`` and deal with what refers to it (see ``consequences``); one undo step."""
        current = self.get(type(record), record.id)
        effects = self.consequences(current)
        stamp = now_stamp()
        changes = [Change(current.TABLE, current.id, current.to_dict(), None)]
        for effect in effects:
            before = self.get(type(effect.record), effect.record.id)
            after = None if effect.action == "delete" else effect.record.replace(updated_at=stamp).to_dict()
            changes.append(Change(before.TABLE, before.id, before.to_dict(), after))
        self._commit(f"delete {current.LABEL} '{current.describe()}'", changes)
        return effects

    def move(self, record: R, delta: int, among: Sequence[R]) -> bool:
        """Move ``record`` ``delta`` places among its siblings ``among`` (itself included).

        One save and one undo step however many positions change (see
        ``order.moved_positions``); False when it is already first or last.
        """
        positions = moved_positions(cast(Sequence[Positioned], among), record.id, delta)
        if not positions:
            return False
        with self.batch(f"move {self.describe(record)}"):
            for sibling in among:
                if sibling.id in positions:
                    self.update(sibling, position=positions[sibling.id])
        return True

    @contextlib.contextmanager
    def batch(self, description: str) -> Iterator[None]:
        """Group the changes made inside into one save, one undo step and one notification.

        If anything inside raises, nothing of the batch is saved.
        """
        if self._batch is not None:  # nested: the outer batch owns the save
            yield
            return
        self._batch = []
        snapshot = {table: dict(records) for table, records in self._records.items()}
        try:
            yield
            changes = self._batch
        except BaseException:
            self._records = snapshot
            raise
        finally:
            self._batch = None
        if changes:
            self._write(ChangeSet(description, tuple(changes)), remember=True, cached_already=True)

    def undo(self) -> ChangeSet | None:
        """Revert the most recent change this session made; None when there is nothing to undo."""
        if not self._undo:
            return None
        last = self._undo.pop()
        inverse = ChangeSet(f"undo {last.description}", tuple(c.inverse() for c in reversed(last.changes)), undo=True)
        try:
            self._write(inverse, remember=False)
        except Exception:
            self._undo.append(last)
            raise
        return inverse

    def subscribe(self, listener: Callable[[ChangeSet], None]) -> Callable[[], None]:
        """Call ``listener`` after every saved change; returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def reload_if_changed(self) -> bool:
        """Re-read the file when someone else changed it; tell the listeners. True when it did."""
        if not self.storage.changed_on_disk():
            return False
        found = self._reload_from_disk()
        self._notify(_outside(found))
        return True

    def replace_all(self, description: str, compute: Callable[[dict[str, Any]], dict[str, Any]]) -> ChangeSet:
        """Replace the file's content with ``compute(newest content)``, under the lock; tell the listeners.

        For a change that is not record by record (folding in a conflict copy,
        see ``sharing/copies.py``): ``compute`` gets the tables as they are on
        disk at that moment, a teammate's latest save included, and returns the
        new tables; it runs while the lock is held, so nobody saves in between.
        Like a teammate's save it is not an undo step. ``SaveError`` (the file
        as it was) when ``compute`` or the write fails with an ``OSError``.
        """
        try:
            with self.storage.locked():
                if self.storage.changed_on_disk(thorough=True):
                    self._notify(_outside(self._reload_from_disk()))
                before = self.storage.read()
                after = compute(before)
                self.storage.write(after)
        except (OSError, SaveError) as error:
            self._reload_quietly()
            if isinstance(error, SaveError):
                raise
            reason = error.strerror or error
            raise SaveError(f"could not save {self.path.name}: {reason}; the file is as it was") from None
        change_set = ChangeSet(description, _as_changes(self._adopt(before, after)))
        self._notify(change_set)
        return change_set

    # -- saving ------------------------------------------------------------------
    def _commit(self, description: str, changes: list[Change]) -> None:
        if self._batch is not None:
            self._batch.extend(changes)
            self._apply_to_cache(changes)
            return
        self._write(ChangeSet(description, tuple(changes)), remember=True)

    def _apply_to_cache(self, changes: list[Change] | tuple[Change, ...]) -> None:
        for change in changes:
            records = self._table(change.table)
            if change.after is None:
                records.pop(change.id, None)
            else:
                current = records.get(change.id)
                merged = _patched(current.to_dict() if current else None, change)
                records[change.id] = KIND_BY_TABLE[change.table].from_dict(merged)

    def _write(self, change_set: ChangeSet, *, remember: bool, cached_already: bool = False) -> None:
        """Apply ``change_set`` to the newest content on disk and save it, under the lock."""
        try:
            with self.storage.locked():
                if self.storage.changed_on_disk(thorough=True):
                    outside = self._reload_from_disk()
                    cached_already = False
                else:
                    outside = []
                self._daily_backup()
                tables = dict(self.storage.read())
                for change in change_set.changes:
                    table = dict(tables.get(change.table, {}))
                    if change.after is None:
                        table.pop(change.id, None)
                    else:
                        table[change.id] = _patched(table.get(change.id), change)
                    tables[change.table] = table
                self.storage.write(tables)
        except (OSError, SaveError) as error:
            # Nothing reached the file: drop what memory holds so it matches the disk again.
            self._reload_quietly()
            if isinstance(error, SaveError):
                raise
            raise SaveError(f"could not save {self.path.name}: {error.strerror or error}; the file is as it was") from None
        if not cached_already:
            self._apply_to_cache(change_set.changes)
        if remember:
            self._undo.append(change_set)
            del self._undo[:-UNDO_DEPTH]
        if outside:
            self._notify(_outside(outside))
        self._notify(change_set)

    def _daily_backup(self) -> None:
        """At this session's first save of a day, make sure the day has a backup (best effort)."""
        today = clock.today()
        if self._backup_day == today:
            return
        try:
            backups.daily_backup(self.path)
            self.backup_error = ""
        except OSError as error:
            self.backup_error = f"could not back up {self.path.name}: {error.strerror or error}"
        self._backup_day = today

    def _notify(self, change_set: ChangeSet) -> None:
        for listener in list(self._listeners):
            listener(change_set)


def _as_changes(found: list[RecordChange]) -> tuple[Change, ...]:
    return tuple(Change(c.table, c.id, c.before, c.after) for c in found)


def _outside(found: list[RecordChange]) -> ChangeSet:
    """The notification for changes someone else saved: its description says what they were."""
    return ChangeSet(teammate_message(found), _as_changes(found), external=True)


def _patched(current: dict[str, Any] | None, change: Change) -> dict[str, Any]:
    """``change`` applied to ``current`` field by field: fields it did not touch keep the newer value."""
    assert change.after is not None
    if current is None or change.before is None:
        return dict(change.after)
    merged = dict(current)
    for name, value in change.after.items():
        if change.before.get(name) != value:
            merged[name] = value
    for name in change.before.keys() - change.after.keys():
        merged.pop(name, None)
    return merged
