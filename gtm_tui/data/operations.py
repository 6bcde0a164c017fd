"""Changes to a record's lists, dicts and counters as operations, so concurrent ones add up.

A scalar field (a title, a status) is saved as its new value: of two people
who change it at once, the later save wins. That is wrong for a list, a dict
of counts or a counter: four people adding a feedback cycle to one item at
once each computed "the list plus mine" from their own copy, and the last
save would keep only its own entry. So such a change is an ``Operation``:

* ``append(field, entry)``: add an entry to a list (an entry gets an ``id``
  when it has none, so it can be told apart and taken out again);
* ``remove(field, entry)``: take that entry out again (found by its ``id``,
  or as an equal entry in files written before entries had one);
* ``add_to(field, delta, key=...)``: add ``delta`` to a number, or to the
  number under ``key`` of a dict (a person's dots on a theme); never below 0,
  and a key whose count reaches 0 is dropped.

The Workspace applies operations under the lock on top of the newest file,
and undoes one by applying its ``inverse``. ``Edit`` bundles what one action
does to one record: new scalar values plus operations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Generic, Literal, TypeVar

from gtm_tui.data.model import Record, new_id
from gtm_tui.data.safe_text import clean_json

R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class Operation:
    """One change to a list, dict or counter field of a record (see the module docstring)."""

    kind: Literal["append", "remove", "add_to"]
    field: str
    entry: Any = None  # append / remove: the entry
    key: str | None = None  # add_to on a dict: the key; None: the field is the number
    delta: int | float = 0  # add_to: how much

    def inverse(self) -> Operation:
        """The operation that takes this one back."""
        if self.kind == "append":
            return Operation("remove", self.field, self.entry)
        if self.kind == "remove":
            return Operation("append", self.field, self.entry)
        return Operation("add_to", self.field, key=self.key, delta=-self.delta)

    def cleaned(self, multiline: bool) -> Operation:
        """This operation with the text of an appended entry fit to store (``safe_text.clean_json``).

        A removal keeps its entry as given: it must match the stored one.
        """
        if self.kind != "append":
            return self
        entry = clean_json(self.entry, allow_newlines=multiline)
        return self if entry is self.entry else replace(self, entry=entry)

    def apply(self, data: dict[str, Any]) -> None:
        """Apply this operation to a record's stored fields, in place (the field's value is replaced, not mutated)."""
        current = data.get(self.field)
        if self.kind == "append":
            data[self.field] = [*(current if isinstance(current, list) else []), self.entry]
        elif self.kind == "remove":
            entries = list(current) if isinstance(current, list) else []
            for index in range(len(entries) - 1, -1, -1):
                if _same_entry(entries[index], self.entry):
                    del entries[index]
                    break
            data[self.field] = entries
        elif self.key is None:
            data[self.field] = max(0, _number(current) + self.delta)
        else:
            counts = dict(current) if isinstance(current, dict) else {}
            value = max(0, _number(counts.get(self.key)) + self.delta)
            if value:
                counts[self.key] = value
            else:
                counts.pop(self.key, None)
            data[self.field] = counts


def _number(value: Any) -> int | float:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else 0


def _same_entry(candidate: Any, entry: Any) -> bool:
    if isinstance(entry, dict) and entry.get("id") and isinstance(candidate, dict):
        return candidate.get("id") == entry["id"]
    return candidate == entry


def append(field_name: str, entry: dict[str, Any]) -> Operation:
    """Add ``entry`` to the list ``field_name``; it gets an ``id`` when it has none."""
    return Operation("append", field_name, entry if entry.get("id") else {"id": new_id(), **entry})


def remove(field_name: str, entry: dict[str, Any]) -> Operation:
    """Take ``entry`` out of the list ``field_name`` (by its ``id``; an equal entry when it has none)."""
    return Operation("remove", field_name, entry)


def add_to(field_name: str, delta: float, key: str | None = None) -> Operation:
    """Add ``delta`` to the number ``field_name``, or to its count under ``key`` (never below 0)."""
    return Operation("add_to", field_name, key=key, delta=delta)


def applied(data: Mapping[str, Any], operations: tuple[Operation, ...] | list[Operation]) -> dict[str, Any]:
    """A copy of a record's stored fields with ``operations`` applied in order."""
    result = dict(data)
    for operation in operations:
        operation.apply(result)
    return result


@dataclass(frozen=True)
class Edit(Generic[R]):
    """What one action does to one record: new values of scalar fields and operations on the others.

    ``record`` is the record as the action saw it; ``after`` is what it
    becomes on that copy (the file may hold a newer one: the Workspace applies
    ``changes`` and ``operations`` to that).
    """

    record: R
    changes: dict[str, Any] = field(default_factory=dict)
    operations: tuple[Operation, ...] = ()

    @property
    def after(self) -> R:
        data = applied({**self.record.to_dict(), **self.changes}, self.operations)
        return type(self.record).from_dict(data)

    def then(self, changes: Mapping[str, Any] = {}, operations: tuple[Operation, ...] = ()) -> Edit[R]:
        """This edit followed by more changes and operations."""
        return Edit(self.record, {**self.changes, **changes}, self.operations + tuple(operations))
