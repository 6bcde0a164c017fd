"""Bringing a file written by an older gtm-tui up to today's schema.

``MIGRATIONS[n]`` turns schema ``n`` into schema ``n + 1``; ``upgrade`` runs
every step from the file's schema to ``storage.SCHEMA``. The Workspace
applies it when it opens an older file, after a backup (see backups.py).
A new schema = bump ``storage.SCHEMA`` + one function here + one test.

Schema 0 was the first format: the review questions were fixed in the app
(no ``questions`` table), records had no ``created_at`` / ``updated_at``
stamps, and tables with no records were left out of the file.
"""

from __future__ import annotations

import copy
from typing import Any, Callable

from gtm_tui.data.model import KIND_BY_TABLE, REVIEW_QUESTIONS, Question, now_stamp
from gtm_tui.data.storage import META_KEY, META_TABLE, SCHEMA, WorkspaceFileError, schema_of


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


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    0: _from_0,
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
