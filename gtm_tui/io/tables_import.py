"""Our own tables (a CSV folder or the Excel workbook) read back into a plan.

The id column decides: a row whose id is in the workspace updates that
record, a new id adds it with that id (so export → import into an empty
pilot gives the same records). A row without an id, or whose id is unknown
but whose natural key (a person's or stage's name, a question's text, a RACI
cell) matches a record, updates that record — and later rows that referred to
the old id are pointed at it. A reference whose id column is empty is looked
up by the name next to it, so rows typed by hand work too.

The pilot's set-up is one row, and a file has one pilot: that row updates it,
whatever id it carries (references to that id follow).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gtm_tui.data.model import Person, Pilot, RaciAssignment, Record, Stage, ValidationError, new_id
from gtm_tui.data.workspace import Workspace
from gtm_tui.io.cells import restore
from gtm_tui.io.importing import BadRow, ImportPlan, PlanBuilder
from gtm_tui.io.tables import (
    IMPORT_ORDER,
    KEEP,
    RACI_FIXED_HEADERS,
    READ_ONLY_KINDS,
    RaciTable,
    Table,
    empty_value,
    import_value,
)


@dataclass
class Sheet:
    """One table as read from a file: its header and its rows, each with where it is ("stages.csv line 4")."""

    table: Table | RaciTable
    label: str  # "stages.csv", "sheet 'Stages'"
    headers: list[str]
    rows: list[tuple[str, list[Any]]]


def plan_tables(workspace: Workspace, sheets: list[Sheet], source: str) -> ImportPlan:
    """Plan the import of ``sheets`` in the order references need (people first, RACI last)."""
    builder = PlanBuilder(workspace, source)
    id_map: dict[str, dict[str, str]] = {}
    for table in IMPORT_ORDER:
        for sheet in sheets:
            if sheet.table is not table:
                continue
            if isinstance(table, RaciTable):
                _plan_raci(builder, sheet, table, id_map)
            else:
                _plan_records(builder, sheet, table, id_map)
    return builder.plan


def _cell(cells: list[Any], index: int | None) -> Any:
    return cells[index] if index is not None and index < len(cells) else None


def _text(value: Any) -> str:
    """A cell as trimmed text, without the quote an export put before formula-like text."""
    return "" if value is None else str(restore(value)).strip()


def _plan_records(builder: PlanBuilder, sheet: Sheet, table: Table, id_map: dict[str, dict[str, str]]) -> None:
    index = {header.strip().casefold(): i for i, header in enumerate(sheet.headers)}
    if table.kind is Pilot and len(sheet.rows) > 1:
        raise BadRow(sheet.rows[1][0], "the pilot set-up is one row (a file holds one pilot)")
    for where, cells in sheet.rows:
        values: dict[str, Any] = {}
        names: dict[str, str] = {}
        try:
            for column in table.columns:
                position = index.get(column.header.casefold())
                if position is None:
                    continue
                raw = _cell(cells, position)
                if column.kind == "name":
                    names[column.field] = _text(raw)
                    continue
                if column.kind in READ_ONLY_KINDS:
                    continue
                value = import_value(raw, column)
                if value is None:
                    value = empty_value(table.kind, column.field)
                    if value is KEEP:
                        continue
                values[column.field] = value
            _resolve_refs(builder, table, values, names, id_map)
        except ValidationError as error:
            raise BadRow(where, str(error)) from None
        _remap_nested(values, id_map)
        row_id = values.pop("id", None)
        existing: Record | None
        if table.kind is Pilot:  # the file's own, whatever id the row carries
            existing = builder.find(Pilot, builder.workspace.pilot().id)
            if existing is not None and row_id and row_id != existing.id:
                id_map.setdefault(Pilot.TABLE, {})[row_id] = existing.id
        else:
            existing = builder.find(table.kind, row_id)
        if existing is None:
            candidate = table.kind.from_dict({**values, "id": row_id or new_id()})
            existing = builder.by_key(candidate)
            if existing is not None and row_id:
                id_map.setdefault(table.kind.TABLE, {})[row_id] = existing.id
            elif existing is None:
                builder.put(candidate, where)
                continue
        values = {k: v for k, v in values.items() if k not in ("created_at", "updated_at")}
        builder.put(existing.replace(**values), where)


def _resolve_refs(
    builder: PlanBuilder, table: Table, values: dict[str, Any], names: dict[str, str], id_map: dict[str, dict[str, str]]
) -> None:
    """Point each reference at the record meant: the id (renamed if it was merged), else the name beside it."""
    for column in table.columns:
        if column.kind != "ref" or column.ref is None:
            continue
        ref_id = values.get(column.field)
        if ref_id:
            values[column.field] = id_map.get(column.ref.TABLE, {}).get(ref_id, ref_id)
            continue
        name = names.get(column.field, "")
        if name:
            found = builder.by_name(column.ref, name)
            if found is None:
                raise ValidationError(
                    column.header.removesuffix(" id"), f"there is no {column.ref.LABEL} named '{name}'"
                )
            values[column.field] = found.id
        elif column.field in values:
            values[column.field] = "" if column.field in table.kind.CASCADE else None


def _remap_nested(values: dict[str, Any], id_map: dict[str, dict[str, str]]) -> None:
    """Ids inside the JSON columns follow records that were merged into existing ones."""
    people, stages = id_map.get("people", {}), id_map.get("stages", {})
    if not id_map:
        return
    if isinstance(values.get("stage_history"), list):
        values["stage_history"] = [
            {**v, "stage_id": stages.get(v.get("stage_id"), v.get("stage_id"))} for v in values["stage_history"]
        ]
    if isinstance(values.get("time_log"), list):
        values["time_log"] = [
            {**e, "person_id": people.get(e.get("person_id"), e.get("person_id"))} for e in values["time_log"]
        ]
    if isinstance(values.get("attendee_ids"), list):
        values["attendee_ids"] = [people.get(person_id, person_id) for person_id in values["attendee_ids"]]
    for listed in ("blockers", "ticked"):  # a check-in's entries name a person and a step
        if isinstance(values.get(listed), list):
            items = id_map.get("checklist_items", {})
            values[listed] = [{**b, "person_id": people.get(b.get("person_id"), b.get("person_id")),
                               "item_id": items.get(b.get("item_id"), b.get("item_id"))} for b in values[listed]]
    if isinstance(values.get("votes"), dict):
        values["votes"] = {people.get(k, k): v for k, v in values["votes"].items()}
    if isinstance(values.get("record_id"), str) and isinstance(values.get("table"), str):  # a merge conflict's
        values["record_id"] = id_map.get(values["table"], {}).get(values["record_id"], values["record_id"])
    if isinstance(values.get("links"), list):  # an action item's links name records; a stage's, places
        values["links"] = [
            {**link, "id": id_map.get(link["table"], {}).get(link["id"], link["id"])}
            if isinstance(link, dict) and "table" in link and "id" in link else link
            for link in values["links"]
        ]


def _plan_raci(builder: PlanBuilder, sheet: Sheet, table: RaciTable, id_map: dict[str, dict[str, str]]) -> None:
    """Each filled cell of the matrix is a role: matched to an existing one by layer, stage, activity and person."""
    headers = [_text(header) for header in sheet.headers]  # person names, quoted by the export like any cell
    lowered = [header.casefold() for header in headers]
    if lowered[: len(RACI_FIXED_HEADERS)] != list(RACI_FIXED_HEADERS):
        raise BadRow(f"{sheet.label} header", f"the first columns must be {', '.join(RACI_FIXED_HEADERS)}")
    people: dict[int, str] = {}
    for position, name in enumerate(headers[len(RACI_FIXED_HEADERS):], start=len(RACI_FIXED_HEADERS)):
        if not name:
            continue
        person = builder.by_name(Person, name)
        if person is None:
            raise BadRow(f"{sheet.label} header", f"column '{name}': there is no person by that name")
        people[position] = person.id
    for where, cells in sheet.rows:
        stage_id = _text(_cell(cells, 0))
        stage_id = id_map.get("stages", {}).get(stage_id, stage_id)
        if not stage_id or builder.find(Stage, stage_id) is None:
            stage = builder.by_name(Stage, _text(_cell(cells, 1)))
            if stage is None:
                raise BadRow(where, f"stage: there is no stage named '{_text(_cell(cells, 1))}'")
            stage_id = stage.id
        activity = _text(_cell(cells, 2))
        for position, person_id in people.items():
            role = _text(_cell(cells, position)).upper()
            if not role:
                continue
            candidate = RaciAssignment(
                layer=table.layer, stage_id=stage_id, activity=activity, person_id=person_id, role=role
            )
            existing: Record | None = builder.by_key(candidate)
            record = existing.replace(role=role) if existing is not None else candidate
            builder.put(record, f"{where}, column '{headers[position]}'")
