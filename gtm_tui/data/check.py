"""``gtm-tui check``: what is wrong inside a workspace that can still be read.

Reading problems (not JSON, not a workspace, newer schema) are refused earlier
by ``storage.parse``; this module finds every field whose type the app cannot
use (each of which makes the app refuse the file) and what a hand edit, a bad merge or a
foreign tool could leave behind: invalid records, dangling references,
duplicates and more than one pilot.
"""

from __future__ import annotations

from typing import Any

from gtm_tui.data.model import KIND_BY_TABLE, Pilot, Record, record_type_problems
from gtm_tui.data.references import missing_references
from gtm_tui.data.storage import META_TABLE


def problems(tables: dict[str, Any]) -> list[str]:
    """Every problem found in ``tables`` (the parsed file), one sentence each; empty when sound."""
    found: list[str] = []
    records: dict[str, dict[str, Record]] = {}
    for table, kind in KIND_BY_TABLE.items():
        records[table] = {}
        for key, data in tables.get(table, {}).items():
            wrong_types = record_type_problems(kind, data)
            if wrong_types:  # the app refuses such a file: say which field, and check nothing else of the record
                found.extend(f"{table} {key}: {name.replace('_', ' ')}: {reason}" for name, reason in wrong_types)
                continue
            try:
                record = kind.from_dict(data)
                record.validate()
            except (TypeError, ValueError, KeyError, AttributeError) as error:
                found.append(f"{table} {key}: {error}")
                continue
            if record.id != key:
                found.append(f"{table} {key}: its id field says {record.id!r}")
            records[table][key] = record
    for table in tables:
        if table not in KIND_BY_TABLE and table != META_TABLE:
            found.append(f"unknown table '{table}' (written by another version?)")
    for table, by_id in records.items():
        seen: dict[tuple, str] = {}
        for key, record in by_id.items():
            for field, ref_table, ref_id in missing_references(record, lambda t, i: i in records.get(t, {})):
                found.append(f"{table} {key}: {field} points to missing {ref_table} {ref_id}")
            unique = record.unique_key()
            if unique is not None:
                if unique in seen:
                    found.append(f"{table} {key}: {record.unique_message()} ({seen[unique]})")
                else:
                    seen[unique] = key
    pilots = len(records.get(Pilot.TABLE, {}))
    if pilots != 1:
        found.append(f"a workspace holds exactly one pilot; this one holds {pilots}")
    return found


def summary(tables: dict[str, Any]) -> str:
    """A one-line count of what a sound workspace holds."""
    parts = [
        f"{len(tables.get(table, {}))} {table.replace('_', ' ')}" for table in KIND_BY_TABLE if table != Pilot.TABLE
    ]
    pilot: dict[str, Any] = next(iter(tables.get(Pilot.TABLE, {}).values()), {})
    return f"'{pilot.get('name', '?')}': " + ", ".join(parts)
