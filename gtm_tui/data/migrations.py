"""Bringing a file written by an older gtm-tui up to today's schema.

``MIGRATIONS[n]`` turns schema ``n`` into schema ``n + 1``; ``upgrade`` runs
every step from the file's schema to ``storage.SCHEMA``. The Workspace
applies it when it opens an older file, after a backup (see backups.py).
A new schema = bump ``storage.SCHEMA`` + one function here + one test.

Schema 0 was the first format: the review questions were fixed in the app
(no ``questions`` table), records had no ``created_at`` / ``updated_at``
stamps, and tables with no records were left out of the file.

Schema 1 kept one checklist per stage, ticked once for the whole pilot.
Schema 2 gives every piece of work its own run of a stage's steps (see
``model.Step``, ``model.Run``). The upgrade loses nothing: each checklist item
becomes a step of its stage, and stays as it was (tick, who and when, owner,
due date, blocker, note) as a step of the stage's own run: a run with no work
item, which the Checklists screen shows under the stage. The new records' ids
are derived from the old ones, so two copies upgraded apart still line up
when they are merged.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from typing import Any

from gtm_tui.data.model import KIND_BY_TABLE, REVIEW_QUESTIONS, Question, now_stamp
from gtm_tui.data.storage import (
    META_KEY,
    META_TABLE,
    SCHEMA,
    WorkspaceFileError,
    schema_of,
)


def _from_0(tables: dict[str, Any]) -> dict[str, Any]:
    """Schema 0 -> 1: add the review questions, stamp records, add every missing table."""
    stamp = now_stamp()
    for kind in KIND_BY_TABLE.values():
        tables.setdefault(kind.TABLE, {})
    for table in KIND_BY_TABLE:
        for record in tables[table].values():
            if not record.get("created_at"):
                record["created_at"] = stamp
            if not record.get("updated_at"):
                record["updated_at"] = record["created_at"]
    if not tables[Question.TABLE]:
        for position, text in enumerate(REVIEW_QUESTIONS):
            question = Question(text=text, position=position, created_at=stamp, updated_at=stamp)
            tables[Question.TABLE][question.id] = question.to_dict()
    return tables


def derived_id(*parts: str) -> str:
    """A record id worked out from ``parts``: the same old record always gives the same new id."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12]


SCHEMA_1_RUN_NOTE = "The stage's checklist from before every piece had its own run (kept with its ticks)"


def _from_1(tables: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 -> 2: a stage's checklist items become its steps, and the steps of the stage's own run."""
    tables.setdefault("steps", {})
    tables.setdefault("runs", {})
    stages = tables.get("stages", {})
    by_stage: dict[str, list[dict[str, Any]]] = {}
    for item in tables.get("checklist_items", {}).values():
        if item.get("work_item_id"):
            continue  # a piece's own step (a check item an import brought): it stays with its piece
        by_stage.setdefault(item.get("stage_id") or "", []).append(item)
    for stage_id, items in by_stage.items():
        if stage_id not in stages:
            continue  # a dangling item stays as it was; gtm-tui check names it
        items.sort(key=lambda item: (item.get("position") or 0, item.get("created_at") or "", item.get("id") or ""))
        started = min((item.get("created_at") or "" for item in items), default="") or now_stamp()
        run_id = derived_id("schema-1 run", stage_id)
        tables["runs"][run_id] = {
            "id": run_id, "created_at": started, "updated_at": started, "work_item_id": None, "stage_id": stage_id,
            "started_at": started, "ended_at": None, "rework": False, "note": SCHEMA_1_RUN_NOTE,
        }
        for item in items:
            step_id = derived_id("schema-1 step", item["id"])
            made = item.get("created_at") or started
            tables["steps"][step_id] = {
                "id": step_id, "created_at": made, "updated_at": made, "stage_id": stage_id,
                "text": item.get("text") or "", "position": item.get("position") or 0,
                "owner_id": item.get("owner_id"), "owner_role": "R", "approval": bool(item.get("approval")),
                "offset_days": None, "source": item.get("source") or "schema-1 checklist",
                "links": copy.deepcopy(item.get("links") or []),
            }
            item.update(run_id=run_id, step_id=step_id)
    return tables


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    0: _from_0,
    1: _from_1,
}


def upgrade(tables: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``tables`` in today's schema (``tables`` itself is left alone)."""
    tables = copy.deepcopy(tables)
    schema = schema_of(tables)
    while schema < SCHEMA:
        step = MIGRATIONS.get(schema)
        if step is None:
            raise WorkspaceFileError(f"no way to upgrade a schema {schema} file; it was left untouched")
        tables = step(tables)
        schema += 1
        tables.setdefault(META_TABLE, {}).setdefault(META_KEY, {})["schema"] = schema
    return tables
