"""Records kept in an order: the process's stages, a stage's checklist items, the review questions.

Their order is the ``position`` field, ties broken by when the record was made
(then its id), so two people adding at once, a merge or an import never leave
an order that changes between two reads. Everything here is pure; moving a
record is saved by ``Workspace.move``, one save and one undo step.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol


class Positioned(Protocol):
    """A record with a place in an order (a Stage, a ChecklistItem, a Question)."""

    id: str
    position: int
    created_at: str


def order_key(record: Positioned) -> tuple[int, str, str]:
    """Sort key of a positioned record: position, then creation, then id."""
    return (record.position, record.created_at, record.id)


def next_position(records: Iterable[Positioned]) -> int:
    """The position that puts a new record after all of ``records`` (its siblings)."""
    return max((record.position for record in records), default=-1) + 1


def moved_positions(siblings: Sequence[Positioned], record_id: str, delta: int) -> dict[str, int]:
    """New positions (id -> position) after moving one record ``delta`` places among its ``siblings``.

    Only records whose position changes are returned: a swap of two neighbours
    with distinct positions is two changes; ties (e.g. after an import or a
    merge) are resolved by renumbering the siblings 0, 1, 2 … once. Empty when the move goes nowhere (already first
    or last, or ``record_id`` is not among ``siblings``).
    """
    ordered = sorted(siblings, key=order_key)
    ids = [record.id for record in ordered]
    if record_id not in ids:
        return {}
    index = ids.index(record_id)
    target = max(0, min(len(ids) - 1, index + delta))
    if target == index:
        return {}
    ids.insert(target, ids.pop(index))
    positions = [record.position for record in ordered]
    if len(set(positions)) == len(positions):
        wanted = dict(zip(ids, sorted(positions), strict=True))  # reuse the siblings' own numbers
    else:
        wanted = {sibling_id: number for number, sibling_id in enumerate(ids)}
    current = {record.id: record.position for record in ordered}
    return {sibling_id: number for sibling_id, number in wanted.items() if current[sibling_id] != number}
