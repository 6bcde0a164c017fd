"""The one way to read and change a pilot: typed records over TinyDB tables.

Every change goes through ``Workspace``: it drops control characters from the
record's text (``Record.cleaned``), validates it (alone and against the
others), stamps ``updated_at``, saves the file at once, remembers
how to undo (and then redo) it, and tells the listeners (the screens) what changed.

A change is kept as a list of ``Change`` (table, id, before, after, and the
operations on lists, dicts and counters; see operations.py). It is applied to
the file under the lock, on top of whatever is on disk at that moment: scalar
fields field by field (the later save wins), operations on the newest value,
so a teammate's change saved in between survives and two people adding to
one list at once both get their entry in.
A file of an older schema is backed up and upgraded when opened; the first
save of each day leaves a backup (see backups.py). A change that replaces the
whole content at once (folding in a synced folder's conflict copy, see
``sharing/copies.py``) goes through ``replace_all``, under the same lock.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

from tinydb import TinyDB
from tinydb.table import Table

from gtm_tui.data import backups, clock, migrations
from gtm_tui.data.changes import RecordChange, diff_tables, teammate_message
from gtm_tui.data.model import (
    KIND_BY_TABLE,
    RECORD_KINDS,
    REVIEW_QUESTIONS,
    Conflict,
    Handoff,
    Person,
    Pilot,
    Question,
    RaciAssignment,
    Record,
    Stage,
    ValidationError,
    now_stamp,
    type_problems,
)
from gtm_tui.data.operations import Edit, Operation, applied
from gtm_tui.data.order import Positioned, moved_positions, order_key
from gtm_tui.data.references import check_references
from gtm_tui.data.safe_text import clean_json

# SaveError and WorkspaceFileError are part of the Workspace's API too: screens catch them
# without reaching into the storage layer.
from gtm_tui.data.storage import (
    META_KEY,
    META_TABLE,
    SCHEMA,
    FrozenStorage,
    LockLost,
    SaveError,
    WorkspaceFileError,
    WorkspaceStorage,
    cleanup_temp_files,
    dump,
    meta_record,
    read_file,
    real_path,
    schema_of,
    write_atomically,
)

R = TypeVar("R", bound=Record)
T = TypeVar("T")

UNDO_DEPTH = 100
SAVE_ATTEMPTS = 3  # a save redone after losing its lock file; more than twice in a row is reported


class RecordTable(Table):
    """A TinyDB table whose document ids are our record ids, so copies of a file line up."""

    # TinyDB declares the class ``int`` but documents overriding it for other id types.
    document_id_class: type[Any] = str


class RecordNotFound(KeyError):
    """The record asked for is not in the workspace (perhaps a teammate deleted it).

    Raised by a change to such a record, ``recreate`` adds it back with that
    change (what a form offers when its record vanished while it was open).
    """

    def __init__(self, message: str, recreate: Callable[[], Record] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.recreate = recreate

    def __str__(self) -> str:
        return self.message


class NewerValue(ValidationError):
    """A change made on an older copy would overwrite a teammate's newer value of the same field.

    ``fields`` maps each such field to (the teammate's value, the value given
    here). Retry inside ``workspace.overwriting_newer()`` to save over them.
    """

    def __init__(self, workspace: Workspace, record: Record, fields: dict[str, tuple[Any, Any]]) -> None:
        names = ", ".join(name.replace("_", " ") for name in fields)
        super().__init__(next(iter(fields)), f"a teammate changed {names} of this {record.LABEL} since you opened it")
        self.workspace = workspace
        self.record = record
        self.fields = fields


@dataclass(frozen=True)
class Change:
    """One record changed: ``before`` None means added, ``after`` None means deleted.

    ``operations`` are the changes to its lists, dicts and counters: saving
    applies them to the newest version of those fields, not ``after``'s.
    """

    table: str
    id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    operations: tuple[Operation, ...] = ()

    def inverse(self) -> Change:
        return Change(
            self.table, self.id, self.after, self.before, tuple(op.inverse() for op in reversed(self.operations))
        )


@dataclass(frozen=True)
class ChangeSet:
    """What one user action changed, as one undo step and one notification."""

    description: str  # what the action did, in words ("add person 'Ann'"); an undo's reads "undo …"
    changes: tuple[Change, ...]
    undo: bool = False  # this change set undid an earlier one
    redo: bool = False  # this change set made again one that was undone
    external: bool = False  # the file was changed by someone else and reloaded

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(change.table for change in self.changes)

    @property
    def words(self) -> str:
        """The change in a sentence for a toast: "Undone: add person 'Ann'", "Redone: …", else the description."""
        if self.undo:
            return "Undone: " + self.description.removeprefix("undo ")
        if self.redo:
            return "Redone: " + self.description
        # Only the first letter: str.capitalize() would lower-case the names in it ("Add person 'ann lee'").
        return self.description[:1].upper() + self.description[1:]


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

    def __init__(self, path: str | Path, *, storage: WorkspaceStorage | None = None) -> None:
        self.path = real_path(path)  # a symbolic link is followed once: saves, lock and backups go beside its target
        if storage is None:
            self._db = TinyDB(str(self.path), storage=WorkspaceStorage, vet=self._vet)
            self._db.table_class = RecordTable
            storage = cast(WorkspaceStorage, self._db.storage)  # TinyDB declares it as the base Storage
        self.storage: WorkspaceStorage = storage
        self._records: dict[str, dict[str, Record]] = {}
        # Kept beside the records, dropped with them: each kind's records in order, and per-record figures.
        self._sorted: dict[str, list[Record]] = {}
        self._derived: dict[tuple[str, Callable[[Any], Any]], dict[str, Any]] = {}
        self._memo: dict[str, Any] = {}
        self._lasting: dict[str, Any] = {}
        self._undo: list[ChangeSet] = []
        self._redo: list[ChangeSet] = []  # what was undone, the latest last; a new change empties it
        self._listeners: list[Callable[[ChangeSet], None]] = []
        self._batch: list[Change] | None = None
        self._overwrite_newer = False  # inside ``overwriting_newer``: a stale copy's change wins anyway
        self._backup_day: date | None = None  # the day this session last made sure a daily backup exists
        self.backup_error = ""  # why the last backup failed (a save is never refused for it)

    # -- opening -----------------------------------------------------------------
    def _vet(self, tables: dict[str, Any], earlier: dict[str, Any] | None) -> None:
        """Refuse a file (at open or at a reload) holding records of types the app cannot use."""
        if schema_of(tables) < SCHEMA:
            return  # vetted once upgraded (``_upgrade``)
        vet_records(tables, self.path, earlier)

    @classmethod
    def open(cls, path: str | Path) -> Workspace:
        """Open an existing workspace file; raise ``WorkspaceFileError`` when it cannot be used."""
        workspace = cls(path)
        tables = workspace.storage.read()  # vets the file now, not at the first click
        cleanup_temp_files(workspace.path)
        backups.cleanup_temp_files(workspace.path)
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

    def snapshot(self) -> Workspace:
        """A read-only copy of the pilot as it is now, to read on another thread (an export in the app's worker).

        Cheap enough to take on the app's thread before each export (a few
        milliseconds at 50,000 records): it shares the file's tables and the
        typed records already built, which a change never alters in place (a
        change builds new ones), and keeps its own indexes of them, so the
        app may go on changing and saving the pilot while the copy is read.
        Changing the copy is refused (``SaveError``).
        """
        tables = self.storage.tables if self.storage.tables is not None else self.storage.read()
        copy = Workspace(self.path, storage=FrozenStorage(self.path, tables))
        copy._records = {table: dict(records) for table, records in self._records.items()}
        copy._sorted = dict(self._sorted)  # each list is replaced on a change, never changed in place
        copy._derived = {key: dict(values) for key, values in self._derived.items()}
        copy.backup_error = self.backup_error
        return copy

    # -- reading -----------------------------------------------------------------
    def _table(self, table: str) -> dict[str, Record]:
        """The typed records of a table, built on first use from the file as read, cached until it changes."""
        records = self._records.get(table)
        if records is None:
            kind = KIND_BY_TABLE[table]
            records = {record_id: kind.from_dict(doc) for record_id, doc in self.storage.read().get(table, {}).items()}
            self._records[table] = records
        return records

    def _forget(self, table: str | None = None, record_ids: Iterable[str] | None = None) -> None:
        """Drop what is kept beside the records: of every table (None), of one table, or of some of its records."""
        self._memo.clear()
        if table is None:
            self._sorted.clear()
            self._derived.clear()
            return
        self._sorted.pop(table, None)
        for (derived_table, _), values in self._derived.items():
            if derived_table != table:
                continue
            if record_ids is None:
                values.clear()
            else:
                for record_id in record_ids:
                    values.pop(record_id, None)

    def _reload_from_disk(self) -> list[RecordChange]:
        """Re-read the file; forget the typed records of the tables that differ; return what differs.

        Raises ``WorkspaceFileError`` when the file can no longer be used; memory then keeps the last good version.
        """
        old = self.storage.tables or {}
        found = self._adopt(old, self.storage.reload())
        if not old:
            self._records.clear()
            self._forget()
        return found

    def _adopt(self, old: dict[str, Any], new: dict[str, Any]) -> list[RecordChange]:
        found = diff_tables(old, new)
        for table in {change.table for change in found}:
            self._records.pop(table, None)
            self._forget(table)
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
                    upgraded = migrations.upgrade(tables)
                    vet_records(upgraded, self.path)
                    self.storage.write(upgraded)
        except SaveError as error:
            raise WorkspaceFileError(f"{self.path.name} needs an upgrade but {error}") from None
        except OSError as error:
            raise WorkspaceFileError(
                f"cannot upgrade {self.path.name}: {error.strerror or error}; it was left as it was"
            ) from None
        finally:
            self._reload_quietly()

    def _reload_quietly(self) -> None:
        """Forget what memory holds; the next read comes from disk (which may itself be unreadable)."""
        self._records.clear()
        self._forget()
        self.storage.forget()

    def pilot(self) -> Pilot:
        """The pilot this file is about."""
        pilots = sorted(self._table(Pilot.TABLE).values(), key=_sort_key)
        if not pilots:
            raise WorkspaceFileError(f"{self.path.name} has no pilot record")
        return pilots[0]  # type: ignore[return-value]

    def all(self, kind: type[R]) -> list[R]:
        """Every record of a kind, in a stable order (position, name, or creation); sorted once per change."""
        ordered = self._sorted.get(kind.TABLE)
        if ordered is None:
            ordered = self._sorted[kind.TABLE] = sorted(self._table(kind.TABLE).values(), key=_sort_key)
        return list(ordered)  # type: ignore[arg-type]

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, kept until any record changes (or the file is reloaded): for what reads many tables."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def lasting(self, key: str, make: Callable[[], T]) -> T:
        """An object kept for as long as the workspace is open, whatever changes: for a cache whose
        entries remember the record they were computed from (a changed record is a new object)."""
        if key not in self._lasting:
            self._lasting[key] = make()
        return self._lasting[key]

    def derived(self, kind: type[R], compute: Callable[[R], T]) -> dict[str, T]:
        """``compute(record)`` for every record of a kind, by id, each computed once per change of that record.

        The index the figures read: ``compute`` must depend on the record
        alone (not on other records, nor on the time), so a change, a reload or
        an undo only recomputes the records it touched.
        """
        records = self._table(kind.TABLE)
        values = self._derived.setdefault((kind.TABLE, compute), {})
        if len(values) != len(records):
            for record_id, record in records.items():
                if record_id not in values:
                    values[record_id] = compute(record)  # type: ignore[arg-type]
        return values

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
        """A record in a sentence, with the names of what it joins (for confirmations, messages and undo).

        In words a person uses, never a record's id ("Lena's R on Copywriting (pilot RACI)").
        """
        if isinstance(record, Handoff):
            return f"handoff {self.name_of(Stage, record.from_stage_id)} → {self.name_of(Stage, record.to_stage_id)}"
        if isinstance(record, RaciAssignment):
            where = self.name_of(Stage, record.stage_id) + (f" / {record.activity}" if record.activity else "")
            layer = "today's" if record.layer == "today" else record.layer
            return f"{self.name_of(Person, record.person_id)}'s {record.role} on {where} ({layer} RACI)"
        if isinstance(record, Conflict):
            kind = KIND_BY_TABLE.get(record.table)
            about = self.find(kind, record.record_id) if kind else None
            what = self.describe(about) if about else f"a {kind.LABEL if kind else 'record'} no longer there"
            return f"merge conflict over {record.field.replace('_', ' ') or 'the whole record'} of {what}"
        return f"{record.LABEL} '{record.describe()}'"

    def _edit_words(self, before: Record, after: Record) -> str:
        """What an edit did, for its undo step: a RACI role that changed letter says from which to which."""
        if isinstance(before, RaciAssignment) and isinstance(after, RaciAssignment) and before.role != after.role:
            return f"change {self.describe(before)} to {after.role}"
        return f"edit {self.describe(after)}"

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
        self._commit(f"add {self.describe(record)}", [Change(record.TABLE, record.id, None, record.to_dict())])
        return record

    def update(self, record: R, *operations: Operation, **changes: Any) -> R:
        """Validate and save ``record`` with new field values ``changes`` and ``operations``; return the stored record.

        ``changes`` set scalar fields (the later save wins); ``operations`` add to
        or take from lists, dicts and counters on top of the newest file.
        """
        current = self.find(type(record), record.id)
        if current is None:
            raise RecordNotFound(
                f"this {record.LABEL} no longer exists (perhaps a teammate deleted it)",
                recreate=lambda: self.add(type(record).from_dict(applied({**record.to_dict(), **changes}, operations))),
            )
        before = current.to_dict()
        mine = record.to_dict() if record is not current else before
        if mine != before:
            # The caller (a form opened before a teammate's change) holds an older copy: a field
            # it passes unchanged from that copy was not edited here, so the newer value stays;
            # a field both changed is not overwritten without asking.
            changes = {name: value for name, value in changes.items() if name not in mine or mine[name] != value}
            newer = {
                name: (before.get(name), value)
                for name, value in changes.items()
                if name in mine and before.get(name) != mine[name] and before.get(name) != value
            }
            if newer and not self._overwrite_newer:
                raise NewerValue(self, current, newer)
        # what is typed, pasted or imported is stored without control characters (``Record.cleaned``)
        kind = type(current)
        changes = {name: clean_json(value, allow_newlines=name in kind.MULTILINE) for name, value in changes.items()}
        operations = tuple(operation.cleaned(operation.field in kind.MULTILINE) for operation in operations)
        after = applied({**before, **changes}, operations)
        if after == before:
            return current
        updated = type(current).from_dict(after).replace(updated_at=now_stamp())
        self._check(updated)
        self._commit(
            self._edit_words(current, updated),
            [Change(updated.TABLE, updated.id, before, updated.to_dict(), tuple(operations))],
        )
        return updated

    @contextlib.contextmanager
    def overwriting_newer(self) -> Iterator[None]:
        """Inside, a change made on an older copy saves over a teammate's newer values (the user said so)."""
        self._overwrite_newer = True
        try:
            yield
        finally:
            self._overwrite_newer = False

    def apply(self, edit: Edit[R]) -> R:
        """Save what an action worked out for one record (see ``operations.Edit``); return the stored record."""
        return self.update(edit.record, *edit.operations, **edit.changes)

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
        self._commit(f"delete {self.describe(current)}", changes)
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
            self._forget()
            raise
        finally:
            self._batch = None
        if changes:
            try:
                self._write(ChangeSet(description, tuple(changes)), remember=True)
            except SaveError:
                if self.storage.tables is not None:  # memory still holds the last good file: show it without the batch
                    self._records = snapshot
                    self._forget()
                raise

    def undo(self) -> ChangeSet | None:
        """Revert the most recent change this session made; None when there is nothing to undo.

        The change can then be made again with ``redo``, until a new change is made.
        """
        if not self._undo:
            return None
        last = self._undo.pop()
        inverse = ChangeSet(f"undo {last.description}", tuple(c.inverse() for c in reversed(last.changes)), undo=True)
        try:
            self._write(inverse, remember=False)
        except Exception:
            self._undo.append(last)
            raise
        self._redo.append(last)
        return inverse

    def redo(self) -> ChangeSet | None:
        """Make again the change the last undo reverted; None when there is nothing to redo.

        Like an undo it is applied to the newest file, field by field, so a
        teammate's change saved meanwhile to other fields stays. It is an undo
        step again; a new change (not an undo or a redo) ends what can be redone.
        """
        if not self._redo:
            return None
        undone = self._redo.pop()
        again = ChangeSet(undone.description, undone.changes, redo=True)
        try:
            self._write(again, remember=False)
        except Exception:
            self._redo.append(undone)
            raise
        self._remember(undone)
        return again

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
        for attempt in range(SAVE_ATTEMPTS):
            try:
                with self.storage.locked():
                    if self.storage.changed_on_disk(thorough=True):
                        self._notify(_outside(self._reload_from_disk()))
                    assert self.storage.tables is not None
                    before = self.storage.tables  # the file as checked just now (see ``_write``)
                    after = compute(before)
                    self.storage.write(after)
                break
            except LockLost:  # the lock file was deleted meanwhile: do it again under a new one
                if attempt + 1 == SAVE_ATTEMPTS:
                    self._reload_quietly()
                    raise
            except WorkspaceFileError as error:
                raise SaveError(f"{error} — nothing was changed") from None
            except (OSError, SaveError) as error:
                self._reload_quietly()
                cleanup_temp_files(self.path)
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
            self._forget(change.table, (change.id,))
            if change.after is None:
                records.pop(change.id, None)
            else:
                current = records.get(change.id)
                merged = _patched(current.to_dict() if current else None, change)
                records[change.id] = KIND_BY_TABLE[change.table].from_dict(merged)

    def _cache_written(self, changes: tuple[Change, ...], tables: dict[str, Any]) -> None:
        """Make memory hold what was just written for the changed records.

        Operations are applied once, on the file's version.
        """
        for change in changes:
            self._forget(change.table, (change.id,))
            records = self._records.get(change.table)
            if records is None:
                continue  # built from the file when first asked for
            data = tables.get(change.table, {}).get(change.id)
            if data is None:
                records.pop(change.id, None)
            else:
                records[change.id] = KIND_BY_TABLE[change.table].from_dict(data)

    def _write(self, change_set: ChangeSet, *, remember: bool) -> None:
        """Apply ``change_set`` to the newest content on disk and save it, under the lock.

        Should the lock file be deleted or replaced while this save holds it (a
        second writer may then have got in), the save is redone from the top
        under the new lock.
        """
        outside: list[RecordChange] = []
        for attempt in range(SAVE_ATTEMPTS):
            try:
                with self.storage.locked():
                    if self.storage.changed_on_disk(thorough=True):
                        outside += self._reload_from_disk()
                    self._daily_backup()
                    # What memory holds is the file as checked just now (``read`` could pick up a later
                    # save behind the typed records' back, were the lock lost).
                    assert self.storage.tables is not None
                    tables = dict(self.storage.tables)
                    for change in change_set.changes:
                        table = dict(tables.get(change.table, {}))
                        if change.after is None:
                            table.pop(change.id, None)
                        else:
                            table[change.id] = _patched(table.get(change.id), change)
                        tables[change.table] = table
                    self.storage.write(tables, changed=change_set.tables)
                break
            except LockLost:
                if attempt + 1 == SAVE_ATTEMPTS:
                    self._reload_quietly()
                    raise
            except WorkspaceFileError as error:
                # The file was emptied, deleted or replaced by something this version cannot use:
                # nothing is written, and memory keeps showing the last good version.
                cleanup_temp_files(self.path)
                raise SaveError(f"{error} — your change was not saved") from None
            except (OSError, SaveError) as error:
                # Nothing reached the file: drop what memory holds so it matches the disk again.
                self._reload_quietly()
                cleanup_temp_files(self.path)
                if isinstance(error, SaveError):
                    raise
                raise SaveError(
                    f"could not save {self.path.name}: {error.strerror or error}; the file is as it was"
                ) from None
        self._cache_written(change_set.changes, tables)
        if remember:
            self._remember(change_set)
            self._redo.clear()  # a new change: what was undone before it can no longer be redone
        if outside:
            self._notify(_outside(outside))
        self._notify(change_set)

    def _remember(self, change_set: ChangeSet) -> None:
        self._undo.append(change_set)
        del self._undo[:-UNDO_DEPTH]

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


def vet_records(tables: dict[str, Any], path: Path | str, earlier: dict[str, Any] | None = None) -> None:
    """Raise ``WorkspaceFileError`` naming each record whose field types the app cannot use.

    See ``model.type_problems``.

    ``earlier``: only records that differ from it are checked (a reload after a teammate's save).
    """
    found = type_problems(tables, only=earlier)
    if not found:
        return
    name = Path(path).name
    shown = "; ".join(found[:3]) + (f"; and {len(found) - 3} more" if len(found) > 3 else "")
    raise WorkspaceFileError(
        f"{name} holds {len(found)} record{'s' if len(found) != 1 else ''} this gtm-tui cannot use ({shown}); "
        f"it was left untouched. `gtm-tui check {name}` lists each one: fix them by hand or restore a backup"
    )


def _as_changes(found: list[RecordChange]) -> tuple[Change, ...]:
    return tuple(Change(c.table, c.id, c.before, c.after) for c in found)


def _outside(found: list[RecordChange]) -> ChangeSet:
    """The notification for changes someone else saved: its description says what they were."""
    return ChangeSet(teammate_message(found), _as_changes(found), external=True)


def _patched(current: dict[str, Any] | None, change: Change) -> dict[str, Any]:
    """``change`` applied to ``current``: fields it did not touch keep the newer value, operations add to it."""
    assert change.after is not None
    if current is None or change.before is None:
        return dict(change.after)
    operated = {operation.field for operation in change.operations}
    merged = dict(current)
    for name, value in change.after.items():
        if name not in operated and change.before.get(name) != value:
            merged[name] = value
    for name in change.before.keys() - change.after.keys():
        merged.pop(name, None)
    return applied(merged, change.operations)
