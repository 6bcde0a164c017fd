"""A record's references must exist: the one place this rule is written.

Every id a record points at (a checklist item's stage, a RACI role's person)
must name a record that is there. Who asks decides what "there" means, so the
rule takes an ``exists(table, id)`` question: the Workspace asks its tables
before a save, an import asks the workspace and its own plan, ``gtm-tui
check`` and the demo builder ask the parsed file.
"""

from __future__ import annotations

from collections.abc import Callable

from gtm_tui.data.model import KIND_BY_TABLE, Record, ValidationError

Exists = Callable[[str, str], bool]  # (table, record id) -> is that record there?


def missing_references(record: Record, exists: Exists) -> list[tuple[str, str, str]]:
    """The ``(field, table, id)`` references of ``record`` that point at nothing; empty when all resolve."""
    return [
        (field_name, table, ref_id)
        for field_name, table, ref_id in record.references()
        if table not in KIND_BY_TABLE or not exists(table, ref_id)
    ]


def check_references(record: Record, exists: Exists) -> None:
    """Refuse ``record`` with a ``ValidationError`` naming its first reference that points at nothing."""
    for field_name, table, _ref_id in missing_references(record, exists):
        label = KIND_BY_TABLE[table].LABEL if table in KIND_BY_TABLE else table
        raise ValidationError(field_name, f"refers to a {label} that does not exist")
