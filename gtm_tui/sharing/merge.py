"""Merging diverged copies of one workspace, by table, record id and field.

Two people edited the same file apart — on two git branches, or offline in a
synced folder — and now there are two versions. ``merge(base, ours, theirs)``
makes one of them without losing work. The rules (also in the README):

* A record changed on one side only takes that side's version; records added
  on either side are kept; a record deleted on one side and untouched on the
  other is deleted.
* Changes to different fields of one record merge. A dict field (a theme's
  votes) merges key by key; a list that both sides only appended to (a time
  log) keeps both sides' new entries.
* The same field changed differently on both sides takes the value of the side
  whose record has the later ``updated_at`` (ties: a fixed order of the
  values, so the result does not depend on which side is "ours"); the losing
  value is kept as a ``Conflict`` record in the file for a person to pick.
* A record deleted on one side and changed on the other is kept, and listed
  as a conflict too (picking the other side deletes it).
* The same inputs give the same bytes: a conflict record's id is a hash of
  what it is about, and its time is the later ``updated_at`` of the two
  versions it came from (never the clock).
* The result passes ``gtm_tui.check.problems``: a record deleted on one side
  that a record on the other side still refers to is kept (re-attached); a
  reference to a record that exists nowhere is unlinked (or its record
  dropped, as a delete would); two records that may not share a key (two
  people named alike, two handoffs between the same stages) are told apart by
  renaming or by dropping the later one. Each such repair is reported.

Everything here is pure: tables in, tables out. ``two_way_base`` builds a base
for copies that have no common ancestor (synced-folder conflict copies);
``workspace_id`` tells whether a copy is of the same pilot at all.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from gtm_tui.data.check import problems
from gtm_tui.data.model import KIND_BY_TABLE, Conflict, Pilot, Record, ValidationError
from gtm_tui.data.storage import META_KEY, META_TABLE, meta_record

_MISSING: Any = object()


@dataclass
class MergeResult:
    """The merged tables, the conflicts found (also stored in ``tables['conflicts']``) and repairs made."""

    tables: dict[str, Any]
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what ``gtm-tui check`` still finds in ``tables``

    @property
    def clean(self) -> bool:
        return not self.conflicts


def _canonical(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)


def _order(record: dict[str, Any]) -> tuple[str, bytes]:
    """Which version of a record is "later": its ``updated_at``, then a fixed order of its content."""
    return (str(record.get("updated_at") or ""), _canonical(record))


def _conflict_id(*parts: Any) -> str:
    """A stable id, so merging the same inputs twice gives the same file."""
    return hashlib.sha256(_canonical(list(parts))).hexdigest()[:12]


def _name(table: str, record: dict[str, Any] | None, record_id: str) -> str:
    kind = KIND_BY_TABLE.get(table)
    if kind is None or record is None:
        return f"{table} {record_id}"
    try:
        return f"{kind.LABEL} '{kind.from_dict(record).describe()}'"
    except (TypeError, ValueError):
        return f"{kind.LABEL} {record_id}"


class _Merger:
    def __init__(self, base: dict, ours: dict, theirs: dict, ours_label: str, theirs_label: str) -> None:
        self.base, self.ours, self.theirs = base, ours, theirs
        self.labels = {"ours": ours_label, "theirs": theirs_label}
        # A conflict with no stamped version is dated by the newest change merged: the clock would make
        # merging the same inputs twice give two different files.
        self.stamp = max((str(record.get("updated_at") or "") for version in (ours, theirs)
                          for table, records in version.items() if table != META_TABLE and isinstance(records, dict)
                          for record in records.values() if isinstance(record, dict)), default="")
        self.conflicts: list[Conflict] = []
        self.notes: list[str] = []

    # -- one value ------------------------------------------------------------
    def _conflict(self, table: str, record_id: str, name: str, kept: Any, losing: Any, winner: str) -> None:
        loser = "theirs" if winner == "ours" else "ours"
        sides = f"{self.labels[winner]} over {self.labels[loser]}"
        versions = (self.ours.get(table, {}).get(record_id), self.theirs.get(table, {}).get(record_id))
        when = max((str(v.get("updated_at") or "") for v in versions if isinstance(v, dict)), default="") or self.stamp
        self.conflicts.append(
            Conflict(
                id=_conflict_id(table, record_id, name, kept, losing),
                table=table,
                record_id=record_id,
                field=name,
                kept=kept,
                losing=losing,
                sides=sides,
                when=when,
                created_at=when,
                updated_at=when,
            )
        )

    @staticmethod
    def _merge_value(base: Any, ours: Any, theirs: Any) -> Any:
        """A three-way merge of one field's value, or ``_MISSING`` when the two sides truly disagree."""
        if ours == theirs:
            return ours
        if ours == base:
            return theirs
        if theirs == base:
            return ours
        if all(isinstance(v, dict) or v is _MISSING or v is None for v in (base, ours, theirs)) and (
            isinstance(ours, dict) and isinstance(theirs, dict)
        ):
            b = base if isinstance(base, dict) else {}
            merged = {}
            for key in sorted(b.keys() | ours.keys() | theirs.keys(), key=str):
                value = _Merger._merge_value(b.get(key, _MISSING), ours.get(key, _MISSING), theirs.get(key, _MISSING))
                if value is _MISSING and (key in ours or key in theirs):
                    return _MISSING
                if value is not _MISSING:
                    merged[key] = value
            return merged
        if isinstance(ours, list) and isinstance(theirs, list):
            common = base if isinstance(base, list) else []
            if ours[: len(common)] == common and theirs[: len(common)] == common:
                mine = ours[len(common) :]
                return ours + [entry for entry in theirs[len(common) :] if entry not in mine]
        return _MISSING

    # -- one record -------------------------------------------------------------
    def record(self, table: str, record_id: str) -> dict[str, Any] | None:
        base = self.base.get(table, {}).get(record_id)
        ours = self.ours.get(table, {}).get(record_id)
        theirs = self.theirs.get(table, {}).get(record_id)
        if ours == theirs:
            return ours
        if ours == base:
            return theirs
        if theirs == base:
            return ours
        if ours is None or theirs is None:
            kept, deleter = (theirs, "ours") if ours is None else (ours, "theirs")
            winner = "theirs" if deleter == "ours" else "ours"
            self._conflict(table, record_id, "", kept, None, winner)
            self.notes.append(
                f"kept {_name(table, kept, record_id)}: "
                f"deleted in {self.labels[deleter]}, changed in {self.labels[winner]}"
            )
            return kept
        return self._fields(table, record_id, base or {}, ours, theirs)

    def _fields(self, table: str, record_id: str, base: dict, ours: dict, theirs: dict) -> dict[str, Any]:
        winner = "ours" if _order(ours) >= _order(theirs) else "theirs"
        later, earlier = (ours, theirs) if winner == "ours" else (theirs, ours)
        merged: dict[str, Any] = {}
        lost: list[tuple[str, Any, Any]] = []
        for name in sorted(base.keys() | ours.keys() | theirs.keys()):
            if name == "updated_at":
                continue
            value = self._merge_value(base.get(name, _MISSING), ours.get(name, _MISSING), theirs.get(name, _MISSING))
            if value is _MISSING and (name in ours or name in theirs):
                value = later.get(name, _MISSING)
                lost.append((name, None if value is _MISSING else value, earlier.get(name)))
            if value is not _MISSING:
                merged[name] = value
        merged["updated_at"] = max(str(ours.get("updated_at") or ""), str(theirs.get("updated_at") or "")) or later.get(
            "updated_at", ""
        )
        kind = KIND_BY_TABLE.get(table)
        if kind is not None and not _valid(kind, merged):
            # The fields do not fit together (an end before a start): take the later version whole.
            merged = dict(later)
            merged["updated_at"] = later.get("updated_at", "")
            lost = [
                (name, later.get(name), earlier.get(name))
                for name in sorted(earlier.keys() | later.keys())
                if name != "updated_at" and earlier.get(name) != later.get(name) and earlier.get(name) != base.get(name)
            ]
            self.notes.append(
                f"took the later version of {_name(table, later, record_id)} whole: "
                "the merged fields did not fit together"
            )
        for name, kept, losing in lost:
            self._conflict(table, record_id, name, kept, losing, winner)
        return merged

    # -- everything -------------------------------------------------------------
    def run(self) -> MergeResult:
        tables: dict[str, Any] = {}
        names = (self.base.keys() | self.ours.keys() | self.theirs.keys()) - {META_TABLE}
        for table in sorted(names):
            merged: dict[str, Any] = {}
            ids = self.base.get(table, {}).keys() | self.ours.get(table, {}).keys() | self.theirs.get(table, {}).keys()
            for record_id in sorted(ids):
                value = self.record(table, record_id)
                if value is not None:
                    merged[record_id] = value
            tables[table] = merged
        for kind in KIND_BY_TABLE.values():
            tables.setdefault(kind.TABLE, {})
        tables[META_TABLE] = {META_KEY: meta_record()}
        self._repair(tables)
        for conflict in self.conflicts:
            tables[Conflict.TABLE][conflict.id] = conflict.to_dict()
        left = problems(tables)
        self.notes.extend(f"still to fix by hand: {problem}" for problem in left)
        return MergeResult(tables, self.conflicts, self.notes, left)

    # -- making the result sound ---------------------------------------------------
    def _find_elsewhere(self, table: str, record_id: str) -> dict[str, Any] | None:
        for version in (self.ours, self.theirs, self.base):
            found = version.get(table, {}).get(record_id)
            if found is not None:
                return found
        return None

    def _repair(self, tables: dict[str, Any]) -> None:
        for _ in range(100):  # each pass restores or unlinks; a handful of passes always suffices
            if not self._repair_references(tables):
                break
        self._repair_duplicates(tables)
        while self._repair_references(tables):  # dropping a duplicate may leave references to it
            pass

    def _repair_references(self, tables: dict[str, Any]) -> bool:
        changed = False
        for table, kind in KIND_BY_TABLE.items():
            for record_id in sorted(tables.get(table, {})):
                data = tables[table].get(record_id)
                if data is None:
                    continue
                try:
                    record = kind.from_dict(data)
                    refs = list(record.references())
                except (TypeError, KeyError, ValueError):
                    continue
                for field_name, ref_table, ref_id in refs:
                    if ref_id in tables.get(ref_table, {}):
                        continue
                    changed = True
                    restored = self._find_elsewhere(ref_table, ref_id)
                    if restored is not None:
                        tables.setdefault(ref_table, {})[ref_id] = restored
                        self.notes.append(
                            f"kept {_name(ref_table, restored, ref_id)} (deleted on one side): "
                            f"{_name(table, data, record_id)} still refers to it"
                        )
                        continue
                    remaining = record.without(ref_table, ref_id)
                    if remaining is None:
                        del tables[table][record_id]
                        self.notes.append(
                            f"dropped {_name(table, data, record_id)}: the {ref_table} it belongs to exists nowhere"
                        )
                        break
                    record = remaining
                    tables[table][record_id] = record.to_dict()
                    self.notes.append(
                        f"unlinked {_name(table, data, record_id)} from a missing {ref_table} record ({field_name})"
                    )
        return changed

    def _repair_duplicates(self, tables: dict[str, Any]) -> None:
        for table, kind in KIND_BY_TABLE.items():
            records = _records(kind, tables.get(table, {}))
            if kind is Pilot:
                for extra in records[1:]:
                    del tables[table][extra.id]
                    self.notes.append(f"dropped the second pilot record {extra.id}: a workspace holds one pilot")
                continue
            seen: set[tuple] = set()
            for record in records:
                key = record.unique_key()
                if key is None:
                    continue
                if key not in seen:
                    seen.add(key)
                    continue
                if key[0] == "name" and hasattr(record, "name"):
                    number = 2
                    while True:
                        renamed = record.replace(name=f"{record.name.strip()} ({number})")
                        renamed_key = renamed.unique_key()
                        if renamed_key not in seen:
                            break
                        number += 1
                    if renamed_key is not None:
                        seen.add(renamed_key)
                    tables[table][record.id] = renamed.to_dict()
                    self.notes.append(
                        f"renamed a second {kind.LABEL} '{record.name}' to '{renamed.name}': both sides added one"
                    )
                else:
                    del tables[table][record.id]
                    self.notes.append(f"dropped a duplicate {kind.LABEL} ({record.id}): {record.unique_message()}")


def _valid(kind: type[Record], data: dict[str, Any]) -> bool:
    try:
        kind.from_dict(data).validate()
    except (TypeError, ValueError, ValidationError):
        return False
    return True


def _records(kind: type[Record], table: dict[str, Any]) -> list[Record]:
    """The table's records oldest first (by creation, then id): the older of two duplicates stays as it is."""
    records = []
    for data in table.values():
        try:
            records.append(kind.from_dict(data))
        except (TypeError, ValueError):
            continue
    return sorted(records, key=lambda r: (r.created_at or "", r.id))


def merge(
    base: dict[str, Any],
    ours: dict[str, Any],
    theirs: dict[str, Any],
    *,
    ours_label: str = "ours",
    theirs_label: str = "theirs",
) -> MergeResult:
    """Merge two versions of a workspace that both started from ``base`` (see the module docstring)."""
    return _Merger(base, ours, theirs, ours_label, theirs_label).run()


def two_way_base(
    ours: dict[str, Any], theirs: dict[str, Any], history: Iterable[dict[str, Any]] = ()
) -> dict[str, Any]:
    """A stand-in common ancestor for two copies that have none (a synced folder's conflict copy).

    For a record both copies hold but differently, the base is the newest
    version of it in ``history`` (the file's backups) that is not newer than
    either copy; without one, the older copy's version, so the copy with the
    later ``updated_at`` wins. A record only one copy holds is not in the base,
    so it is kept: without a true ancestor, nothing is deleted.
    """
    history = list(history)
    base: dict[str, Any] = {}
    for table in (ours.keys() & theirs.keys()) - {META_TABLE}:
        mine, other = ours.get(table) or {}, theirs.get(table) or {}
        out: dict[str, Any] = {}
        for record_id in mine.keys() & other.keys():
            a, b = mine[record_id], other[record_id]
            if a == b:
                out[record_id] = a
                continue
            limit = min(str(a.get("updated_at") or ""), str(b.get("updated_at") or ""))
            older = [
                version[table][record_id]
                for version in history
                if isinstance(version.get(table), dict)
                and isinstance(version[table].get(record_id), dict)
                and str(version[table][record_id].get("updated_at") or "") <= limit
            ]
            out[record_id] = max(older, key=_order) if older else min(a, b, key=_order)
        base[table] = out
    return base


def workspace_id(tables: dict[str, Any]) -> str | None:
    """Which pilot a file is a copy of: its pilot record's id (None when it has none).

    ``gtm-tui new`` gives every pilot a fresh id, so "pilot (2).json" made for
    another team is told apart from a synced folder's copy of this one.
    """
    pilots = tables.get(Pilot.TABLE)
    return min(pilots) if isinstance(pilots, dict) and pilots else None


# -- conflict copies a synced folder leaves beside a file ---------------------------------


def conflict_copy_pattern(file_name: str) -> re.Pattern[str]:
    """What the conflict copies of ``file_name`` are called by the common sync tools.

    Dropbox "pilot (conflicted copy).json" / "pilot (Dana's conflicted copy
    2026-11-18).json", Nextcloud "pilot (conflicted copy 2026-11-18
    101500).json", ownCloud "pilot_conflict-20261118-101500.json", Syncthing
    "pilot.sync-conflict-20261118-101500-ABCDEFG.json", Google Drive and
    others "pilot (1).json".
    """
    stem, dot, suffix = file_name.rpartition(".")
    if not dot:
        stem, suffix = file_name, ""
    suffix = f".{suffix}" if suffix else ""
    marker = (
        r"(?: \([^()]*conflicted copy[^()]*(?:\(\d+\))?[^()]*\)"
        r"|\.sync-conflict-[0-9A-Za-z-]+"
        r"|_conflict-[0-9-]+"
        r"| \(\d+\))"
    )
    return re.compile(rf"^{re.escape(stem)}{marker}(?: \(\d+\))?{re.escape(suffix)}$", re.IGNORECASE)


def find_conflict_copies(file_name: str, names: Iterable[str]) -> list[str]:
    """The names among ``names`` (a folder's listing) that are conflict copies of ``file_name``, sorted."""
    pattern = conflict_copy_pattern(file_name)
    return sorted(name for name in names if name != file_name and pattern.match(name))
