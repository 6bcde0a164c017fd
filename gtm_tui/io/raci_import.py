"""A RACI matrix the team already has — CSV, Excel or a Markdown table — brought into one layer of ours.

``gtm-tui import pilot.json raci.xlsx --from raci [--layer today|pilot]
[--sheet NAME] [--layout L] [--map "Their row=Our stage"]``.

The grid is found and read by ``raci_layout`` (cells by ``raci_codes``).
Each row becomes a RACI row: a stage of the same name (any case), an
activity inside the stage of its section or first column, "Stage /
activity" as our own export writes it, or — with a mapping — whatever the
user says; a row that matches nothing becomes a new stage. Column (or row)
names become people, matched to the team by name; a name like "Design team"
or "Project Manager" that matches nobody is added marked as a team or a role.
Every filled cell is a role in the chosen layer (today's by default: it is
how the team works now); a cell already there is updated, not duplicated.

Nothing is written here: the plan says what was read, interpreted, left out
and skipped, and what the RACI checks find on the result, for the preview.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from gtm_tui.data.model import RACI_LAYERS, Person, RaciAssignment, Record, Stage
from gtm_tui.data.workspace import Workspace
from gtm_tui.io.grids import (
    MARKDOWN_SUFFIXES,
    XLSX_SUFFIXES,
    Grid,
    GridError,
    read_csv_grid,
    read_markdown_tables,
    read_text,
    read_xlsx_grids,
)
from gtm_tui.io.import_report import MappingLine, ReviewedPlan, loose, mapping_pairs, parse_mapping
from gtm_tui.io.importing import BadRow, PlanBuilder, ReadOptions
from gtm_tui.io.people_names import match_person, new_person
from gtm_tui.io.raci_codes import combine, fold
from gtm_tui.io.raci_layout import LAYOUTS, LayoutError, Understood, understand
from gtm_tui.raci.matrix import Matrix, problems

OPTIONS = ("layer", "sheet", "layout", "mapping")
PREFIX = "raci:"
MAX_NAME = 80
SKIP, NEW = "skip", "new"
R = TypeVar("R", bound=Record)
T = TypeVar("T")


# -- choosing the grid --------------------------------------------------------------------


def read_grids(path: Path) -> list[Grid]:
    """The tables in the file: a workbook's sheets, a Markdown file's pipe tables, or the CSV itself."""
    suffix = path.suffix.lower()
    try:
        if suffix in XLSX_SUFFIXES:
            return read_xlsx_grids(path)
        if suffix in MARKDOWN_SUFFIXES:
            text, _ = read_text(path)
            tables = read_markdown_tables(text, path.name)
            if tables or suffix != ".txt":
                return tables
        return [read_csv_grid(path)]
    except GridError as error:
        raise BadRow(path.name, str(error)) from None


def _stem(path: Path) -> str:
    """A file's name as a person or role: "content-writer.csv" → "Content writer"."""
    name = re.sub(r"[-_]+", " ", path.stem).strip()
    return name[:1].upper() + name[1:] if name.islower() else name


def understood_grids(workspace: Workspace, path: Path, *, layer: str, sheet: str | None, layout: str | None
                     ) -> tuple[list[Understood], list[str]]:
    """The grid(s) to import, read; and what was passed over (other sheets, legend tables)."""
    grids = read_grids(path)
    passed: list[str] = []
    if sheet:
        wanted = [g for g in grids if g.kind == "xlsx" and fold(g.name) == fold(f"sheet '{sheet}'")]
        if not wanted and sheet.isdigit() and 0 < int(sheet) <= len(grids):
            wanted = [grids[int(sheet) - 1]]
        if not wanted:
            names = ", ".join(g.name for g in grids) or "none"
            raise BadRow(path.name, f"has no sheet named '{sheet}' (it has {names})")
        grids = wanted
    if not grids:
        raise BadRow(path.name, "holds no table (no Markdown pipe table, no sheet, no rows)")
    people = {fold(p.name) for p in workspace.all(Person)}
    stages = {fold(s.name) for s in workspace.all(Stage)}
    read: list[Understood] = []
    reasons: list[str] = []
    for grid in grids:
        default = grid.name[len("sheet '"):-1] if grid.kind == "xlsx" else _stem(path)
        try:
            found = understand(grid, layout, known_people=people, known_stages=stages, default_person=default)
        except LayoutError as error:
            reasons.append(f"{_within(grid, path)}{error}")
            continue
        if found.readable:
            read.append(found)
        else:
            reasons.append(f"{_within(grid, path)}has no cell that reads as a role")
    if not read:
        raise BadRow(path.name, "; ".join(reasons[:3]) or "holds no RACI matrix")
    if grids[0].kind == "xlsx" and len(read) > 1:
        chosen = _best_sheet(read, layer)
        passed += [f"{other.grid.name} also holds a RACI grid; not read (--sheet to choose it)"
                   for other in read if other is not chosen]
        read = [chosen]
    no_grid = [reason.split(" holds no RACI codes")[0] for reason in reasons if " holds no RACI codes" in reason]
    passed += [reason for reason in reasons if not reason.endswith("is empty") and "holds no RACI codes" not in reason]
    if no_grid:
        passed.append(f"no RACI codes in {', '.join(no_grid)}")
    return read, passed


def _within(grid: Grid, path: Path) -> str:
    """How a reason names the table it is about, without repeating the file's name ("table 2 (line 14) ")."""
    name = grid.name.removeprefix(f"{path.name}: ")
    return "" if name == path.name else f"{name} "


def _best_sheet(read: list[Understood], layer: str) -> Understood:
    def score(found: Understood) -> tuple[int, int, int]:
        title = fold(found.grid.name)
        return ("raci" in title and layer in title, "raci" in title, found.readable)
    return max(read, key=score)


# -- the workspace as it will be ------------------------------------------------------------


class PlannedView:
    """Enough of a ``Workspace`` — the records as they will be once the plan is applied — for the RACI checks."""

    def __init__(self, builder: PlanBuilder) -> None:
        self._builder = builder

    def all(self, kind: type[R]) -> list[R]:
        records = self._builder.all(kind)
        if kind is Person:
            return sorted(records, key=lambda p: (p.name.casefold(), p.id))  # type: ignore[attr-defined]
        if kind is Stage:
            return sorted(records, key=lambda s: (s.position, s.created_at, s.id))  # type: ignore[attr-defined]
        return records

    def find(self, kind: type[R], record_id: str | None) -> R | None:
        return self._builder.find(kind, record_id)

    def name_of(self, kind: type[Record], record_id: str | None, default: str = "—") -> str:
        record = self.find(kind, record_id)
        return record.describe() if record is not None else default

    def pilot(self) -> Any:
        return self._builder.workspace.pilot()

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``: the plan changes as it is read, so nothing is kept (``Workspace.memo`` keeps it)."""
        return compute()


# -- planning --------------------------------------------------------------------------------


@dataclass
class Target:
    """Where a row of the file goes: a stage (by name) and an activity in it ("" = the stage's own row)."""

    stage: str
    activity: str
    how: str  # "matches", "new", "mapped", "section", "split"


def _short(name: str, what: str, notes: list[str]) -> str:
    name = " ".join(name.split())
    if len(name) <= MAX_NAME:
        return name
    notes.append(f"{what} '{name[:40]}…' shortened to {MAX_NAME} characters")
    return name[: MAX_NAME - 1].rstrip() + "…"


class RaciPlanner:
    """Turns the understood grid(s) into records, remembering what it did for the report."""

    def __init__(self, workspace: Workspace, path: Path, layer: str, mapping: dict[str, str]) -> None:
        self.builder = PlanBuilder(workspace, f"RACI matrix {path.name} ({layer} layer)")
        self.path = path
        self.layer = layer
        self.mapping = mapping
        self.notes: list[str] = []
        self.people: dict[str, str] = {}  # folded name in the file -> person id
        self.stages: dict[str, str] = {}  # loose stage name -> stage id
        self.next_position = max((s.position for s in workspace.all(Stage)), default=-1) + 1
        self.existing_stages = {loose(s.name): s for s in workspace.all(Stage)}

    # -- people
    def person(self, name: str, where: str) -> str:
        key = fold(name)
        if key in self.people:
            return self.people[key]
        person = match_person(name, self.builder.all(Person))
        if person is not None and fold(person.name) != key:
            self.notes.append(f"'{name}' is {person.name}")
        if person is None:
            person = new_person(name, PREFIX + key)
            if person.role:
                kind = "team" if person.role == "team" else "role"
                self.notes.append(f"'{name}' is added as a {kind}, not one person")
        self.people[key] = self.builder.put(person, where).id
        return self.people[key]

    # -- stages
    def stage(self, name: str, where: str) -> str:
        key = loose(name)
        if key in self.stages:
            return self.stages[key]
        stage = self.existing_stages.get(key)
        if stage is None:
            stage = Stage(name=_short(name, "stage", self.notes), position=self.next_position, source=PREFIX + key)
            self.next_position += 1
        self.stages[key] = self.builder.put(stage, where).id
        return self.stages[key]

    def known_stage(self, name: str, file_stages: set[str]) -> bool:
        key = loose(name)
        return key in self.existing_stages or key in file_stages

    def target(self, label: str, group: str, file_stages: set[str]) -> Target | None:
        """Where a row goes, or None when the mapping says to leave it out."""
        for key in ([f"{group} / {label}"] if group else []) + [label]:
            mapped = self.mapping.get(loose(key))
            if mapped is not None:
                return self._mapped(mapped, label)
        if group:
            mapped = self.mapping.get(loose(group))
            if mapped is not None and fold(mapped) == SKIP:
                return None
            stage = group if mapped is None or fold(mapped) == NEW else mapped.split(" / ")[0].strip()
            activity = "" if not label or loose(label) == loose(group) else label
            return Target(stage, activity, "section" if mapped is None else "mapped")
        parts = label.split(" / ")
        for cut in range(len(parts) - 1, 0, -1):  # the longest known stage first: "Build / upload / test"
            head, tail = " / ".join(parts[:cut]).strip(), " / ".join(parts[cut:]).strip()
            if tail and self.known_stage(head, file_stages):
                return Target(head, tail, "split")
        return Target(label, "", "matches" if loose(label) in self.existing_stages else "new")

    @staticmethod
    def _mapped(mapped: str, label: str) -> Target | None:
        if fold(mapped) == SKIP:
            return None
        if fold(mapped) == NEW:
            return Target(label, "", "mapped")
        head, slash, tail = mapped.partition("/")
        if slash:
            return Target(head.strip(), tail.strip() or label, "mapped")
        return Target(mapped, "", "mapped")


def plan(workspace: Workspace, path: Path, options: ReadOptions | None = None) -> ReviewedPlan:
    """Plan the import of a RACI matrix into the options' layer (nothing is written); ``BadRow`` when it cannot be
    imported."""
    options = options or ReadOptions()
    layer, sheet, layout, mapping = options.layer or "today", options.sheet, options.layout, options.mapping
    if layer not in RACI_LAYERS:
        raise BadRow("--layer", f"must be one of {', '.join(RACI_LAYERS)}, not '{layer}'")
    if layout is not None and layout not in LAYOUTS:
        raise BadRow("--layout", f"must be one of {', '.join(LAYOUTS)}, not '{layout}'")
    lookup = parse_mapping(mapping)
    read, passed = understood_grids(workspace, path, layer=layer, sheet=sheet, layout=layout)
    planner = RaciPlanner(workspace, path, layer, lookup)
    report = ReviewedPlan(planner.builder.plan.source, fmt="raci", path=str(path),
                          options=replace(options, layer=layer, mapping=mapping_pairs(mapping)),
                          mapping_title="rows → stages")
    report.read_as = [found.describe() for found in read] + [note for found in read for note in found.grid.notes]
    report.skipped = passed + [f"{found.grid.name}: {item}" if len(read) > 1 else item
                               for found in read for item in found.skipped]
    sections = len(read) > 1 and len({found.grid.heading for found in read}) > 1
    cells: dict[tuple[str, str, str], tuple[str, str]] = {}  # (stage id, activity, person id) -> (role, address)
    shown: dict[tuple[str, str], dict[str, str]] = {}  # the grid as understood: row -> person id -> role as shown
    mapped_lines: dict[str, MappingLine] = {}
    for found in read:
        file_stages = {loose(row.label) for row in found.rows if not row.group}
        rows: list[tuple[str, str] | None] = []
        for row in found.rows:
            group = row.group or (found.grid.heading if sections else "")
            target = planner.target(row.label, group, file_stages)
            _mapping_line(planner, mapped_lines, row.label, group, target, row.where)
            if target is None:
                rows.append(None)
                continue
            key = (planner.stage(target.stage, row.where), _short(target.activity, "activity", planner.notes))
            shown.setdefault(key, {})
            rows.append(key)
        for name in found.people:
            planner.person(name, f"{found.grid.name}: '{name}'")
        for item in found.found:
            row_key = rows[item.row]
            cell = f"{item.address} ({found.rows[item.row].label} × {item.person or '?'})"
            if item.reading.unreadable:
                report.unreadable.append(f"{cell}: {item.reading.note}")
                if row_key is not None and item.person:
                    shown[row_key].setdefault(planner.person(item.person, cell), "?")
                continue
            if row_key is None or item.reading.role is None:
                continue
            if item.reading.note:
                report.interpreted.append(f"{cell} '{_clip(item.text)}': {item.reading.note}")
            person_id = planner.person(item.person, cell)
            role = item.reading.role
            key3 = (*row_key, person_id)
            marked = bool(item.reading.note)
            if key3 in cells:
                marked = True
                before, where = cells[key3]
                role, dropped = combine(set(before.split("/")) | set(role.split("/")))
                report.interpreted.append(f"{cell}: {item.person} also has {before} on this row at {where}; kept {role}"
                                          + (f", {', '.join(dropped)} dropped" if dropped else ""))
            cells[key3] = (role, item.address)
            shown[row_key][person_id] = role + ("*" if marked else "")
    for (stage_id, activity, person_id), (role, where) in cells.items():
        candidate = RaciAssignment(layer=layer, stage_id=stage_id, activity=activity, person_id=person_id, role=role)
        existing = planner.builder.by_key(candidate)
        planner.builder.put(existing.replace(role=role) if existing is not None else candidate, where)
    report.interpreted += _clear_left_out(planner, layer, shown, cells)
    if not cells:
        first = report.unreadable[0] if report.unreadable else "every row was left out"
        raise BadRow(path.name, f"no role could be imported ({first})")
    report.interpreted += [note for found in read for note in found.notes] + planner.notes
    report.planned, report.unchanged = planner.builder.plan.planned, planner.builder.plan.unchanged
    report.mapping = list(mapped_lines.values())
    view = PlannedView(planner.builder)
    matrix = Matrix.of(view)  # type: ignore[arg-type]
    report.problems_title = f"RACI problems after the import ({layer} layer)"
    report.problems = [f"{p.severity}: {p}" for p in problems(view, layer, matrix)]  # type: ignore[arg-type]
    report.grid = _grid(view, list(dict.fromkeys(planner.people.values())), shown)
    return report


def _clear_left_out(planner: RaciPlanner, layer: str, shown: dict[tuple[str, str], dict[str, str]],
                    cells: dict[tuple[str, str, str], tuple[str, str]]) -> list[str]:
    """Roles the file's rows and columns leave empty are cleared: the file is how the team shares this work now."""
    rows = {(stage_id, activity.casefold()) for stage_id, activity in shown}
    people = set(planner.people.values())
    keep = {(stage_id, activity.casefold(), person_id) for stage_id, activity, person_id in cells}
    keep |= {(stage_id, activity.casefold(), person_id) for (stage_id, activity), roles in shown.items()
             for person_id, role in roles.items() if role == "?"}  # a cell that could not be read is not cleared
    cleared = []
    workspace = planner.builder.workspace
    for assignment in workspace.all(RaciAssignment):
        key = (assignment.stage_id, assignment.activity.strip().casefold(), assignment.person_id)
        if assignment.layer != layer or key[:2] not in rows or assignment.person_id not in people or key in keep:
            continue
        planner.builder.remove(assignment, "left empty in the file")
        cleared.append(f"cleared: {workspace.describe(assignment)} (the file leaves that cell empty)")
    return cleared


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 30 else text[:29] + "…"


def _grid(view: PlannedView, people_ids: list[str], shown: dict[tuple[str, str], dict[str, str]]
          ) -> tuple[list[str], list[list[str]]]:
    """The imported rows × people (in the file's order) as the preview shows them: ``*`` interpreted, ``?`` unread."""
    people = [p for p in (view.find(Person, pid) for pid in people_ids) if p is not None]
    header = ["stage / activity", *(p.name for p in people)]
    rows = []
    for (stage_id, activity), roles in shown.items():
        label = view.name_of(Stage, stage_id) + (f" / {activity}" if activity else "")
        rows.append([label, *(roles.get(p.id, "") for p in people)])
    return header, rows


def _mapping_line(planner: RaciPlanner, lines: dict[str, MappingLine], label: str, group: str,
                  target: Target | None, where: str) -> None:
    """One line a stage-level name of the file: a section (group) or a top-level row."""
    source = group or label
    if loose(source) in lines:
        return
    if target is None:
        becomes = "left out"
    elif target.how == "split":
        return
    else:
        exists = loose(target.stage) in planner.existing_stages
        becomes = f"{'stage' if exists else 'new stage'} '{target.stage}'"
        if target.activity and not group:
            becomes = f"activity '{target.activity}' of {becomes}"
    stages = sorted(planner.existing_stages.values(), key=lambda s: s.position)
    choices = [(f"a new stage '{source}'", NEW)]
    choices += [(f"stage '{s.name}'", s.name) for s in stages]
    if not group:
        choices += [(f"an activity of '{s.name}'", f"{s.name} / {label}") for s in stages]
    choices.append(("leave it out", SKIP))
    lines[loose(source)] = MappingLine(source, becomes, where, choices)

