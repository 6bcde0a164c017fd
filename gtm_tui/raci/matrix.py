"""The RACI matrix as plain data: rows, cells, the rules it must obey and how two layers differ.

A row is a stage as a whole or a named activity inside it ("approve copy");
a column is a person; a cell holds R, A, C, I, A/R or nothing. The matrix
exists in two layers: how the work is shared out *today* and how the *pilot*
shares it. Nothing here imports Textual: the RACI screen, the Overview, the
report and the exporters all call these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from gtm_tui.data.model import RACI_LAYERS, Person, RaciAssignment, Stage, ValidationError
from gtm_tui.data.safe_text import visible
from gtm_tui.data.workspace import Workspace
from gtm_tui.overview.sections import Row, Section, counted

LETTERS = ("R", "A", "C", "I")
MAX_CONSULTED = 3  # more C than this on one row and decisions stall
OVERLOAD_MIN_ROWS = 3  # the "R on more than a third of the rows" rule needs at least this many rows


class RowKey(NamedTuple):
    """A RACI row: a stage, and an activity inside it ("" = the stage as a whole).

    ``activity`` is kept case-folded so "Approve copy" and "approve copy" are one row.
    """

    stage_id: str
    activity: str = ""


def row_key(stage_id: str, activity: str = "") -> RowKey:
    return RowKey(stage_id, activity.strip().casefold())


@dataclass(frozen=True)
class MatrixRow:
    """A row as shown: its key, the stage, the activity as typed, and whether it is a focus stage."""

    key: RowKey
    stage: Stage
    activity: str = ""
    focus: bool = False

    @property
    def label(self) -> str:
        return f"{self.stage.name} / {self.activity}" if self.activity else self.stage.name


Cells = dict[RowKey, dict[str, str]]  # row -> person id -> role


# --------------------------------------------------------------------------
# Cells


def has_a(role: str | None) -> bool:
    return role in ("A", "A/R")


def has_r(role: str | None) -> bool:
    return role in ("R", "A/R")


def toggle_role(current: str | None, letter: str) -> str | None:
    """The role a cell gets when ``letter`` (R, A, C or I) is pressed on it.

    A and R combine into "A/R" (one person both does and answers for the
    work); pressing a letter the cell already has takes that letter away; C
    and I replace whatever was there.
    """
    letter = letter.upper()
    if letter not in LETTERS:
        raise ValidationError("role", f"'{letter}' is not a RACI role; use R, A, C or I")
    if letter in ("A", "R"):
        holds_a, holds_r = has_a(current), has_r(current)
        if letter == "A":
            holds_a = not holds_a
        else:
            holds_r = not holds_r
        if current in ("C", "I"):  # C/I give way to the new letter
            holds_a, holds_r = letter == "A", letter == "R"
        return "A/R" if holds_a and holds_r else "A" if holds_a else "R" if holds_r else None
    return None if current == letter else letter


@dataclass
class Matrix:
    """Everything the RACI functions need, read from the workspace once.

    Reading every assignment is the slow part on a big pilot, so a screen
    builds one ``Matrix`` per refresh and hands it to ``problems``,
    ``layer_diff`` and the cell functions instead of letting each re-read.
    """

    people: list[Person]
    rows: list[MatrixRow]
    layers: dict[str, Cells]
    assignments: dict[tuple[str, RowKey, str], RaciAssignment]  # (layer, row, person id) -> record

    @classmethod
    def of(cls, workspace: Workspace) -> Matrix:
        """The matrix as the records stand, read once until the next change (``Workspace.memo``): the
        Overview, your turn, each person's page and the handover pack ask for it again and again (a
        handover of a 50,000-record pilot read it 900 times). Read it, never change it."""
        return workspace.memo("raci matrix", lambda: cls._read(workspace))

    @classmethod
    def _read(cls, workspace: Workspace) -> Matrix:
        focus = focus_stage_ids(workspace)
        layers: dict[str, Cells] = {layer: {} for layer in RACI_LAYERS}
        assignments: dict[tuple[str, RowKey, str], RaciAssignment] = {}
        activities: dict[str, dict[str, str]] = {}  # stage id -> folded name -> name as first typed
        keys: dict[tuple[str, str], RowKey] = {}  # one RowKey per row: building thousands is the slow part
        for assignment in workspace.all(RaciAssignment):
            name = assignment.activity.strip()
            plain = (assignment.stage_id, name.casefold())
            key = keys.get(plain)
            if key is None:
                key = keys[plain] = RowKey(*plain)
                if name:
                    activities.setdefault(assignment.stage_id, {}).setdefault(key.activity, name)
            layer_cells = layers.get(assignment.layer)
            if layer_cells is None:
                layer_cells = layers[assignment.layer] = {}
            row_cells = layer_cells.get(key)
            if row_cells is None:
                row_cells = layer_cells[key] = {}
            row_cells[assignment.person_id] = assignment.role
            assignments[(assignment.layer, key, assignment.person_id)] = assignment
        matrix_rows = []
        for stage in workspace.all(Stage):
            matrix_rows.append(MatrixRow(RowKey(stage.id), stage, "", stage.id in focus))
            for folded, name in activities.get(stage.id, {}).items():
                matrix_rows.append(MatrixRow(RowKey(stage.id, folded), stage, name, stage.id in focus))
        return cls(workspace.all(Person), matrix_rows, layers, assignments)

    def role(self, layer: str, key: RowKey, person_id: str) -> str | None:
        return self.layers.get(layer, {}).get(key, {}).get(person_id)


def cells(workspace: Workspace, layer: str, matrix: Matrix | None = None) -> Cells:
    """Every filled cell of ``layer``: row -> person id -> role."""
    return (matrix or Matrix.of(workspace)).layers.get(layer, {})


def focus_stage_ids(workspace: Workspace) -> set[str]:
    pilot = workspace.pilot()
    return {stage_id for stage_id in (pilot.focus_from_stage_id, pilot.focus_to_stage_id) if stage_id}


def rows(workspace: Workspace, matrix: Matrix | None = None) -> list[MatrixRow]:
    """Every row in order: each stage, then the activities named inside it (in either layer).

    The rows are the same in both layers so the two can be compared line by
    line; an activity only the pilot names shows empty in today's layer.
    """
    return (matrix or Matrix.of(workspace)).rows


def find_assignment(workspace: Workspace, layer: str, key: RowKey, person_id: str,
                    matrix: Matrix | None = None) -> RaciAssignment | None:
    """The record behind a cell, or None when the cell is empty."""
    return (matrix or Matrix.of(workspace)).assignments.get((layer, key, person_id))


def set_cell(workspace: Workspace, layer: str, row: MatrixRow, person_id: str, role: str | None,
             matrix: Matrix | None = None) -> str | None:
    """Save ``role`` in a cell (None clears it) and return what the cell now holds."""
    current = find_assignment(workspace, layer, row.key, person_id, matrix)
    if role is None:
        if current is not None:
            workspace.delete(current)
        return None
    if current is None:
        workspace.add(
            RaciAssignment(layer=layer, stage_id=row.stage.id, activity=row.activity, person_id=person_id, role=role)
        )
    elif current.role != role:
        workspace.update(current, role=role)
    return role


def press_letter(workspace: Workspace, layer: str, row: MatrixRow, person_id: str, letter: str,
                 matrix: Matrix | None = None) -> str | None:
    """Apply a key press (r, a, c, i) to a cell and save it; return the new role.

    ``matrix`` (as last shown) saves re-reading every assignment on each key.
    """
    current = find_assignment(workspace, layer, row.key, person_id, matrix)
    role = toggle_role(current.role if current else None, letter)
    return set_cell(workspace, layer, row, person_id, role, matrix)


def copy_layer(workspace: Workspace, source: str = "today", target: str = "pilot") -> int:
    """Make ``target`` a copy of ``source`` (every cell, activities too), in one save and one undo step.

    The pilot usually changes a few cells of how the team works today: starting
    from a copy saves typing the whole matrix again. Whatever ``target`` held
    goes (the screen asks first when it held anything); returns how many roles
    were copied.
    """
    for layer in (source, target):
        if layer not in RACI_LAYERS:
            raise ValidationError("layer", f"must be one of {', '.join(RACI_LAYERS)}")
    if source == target:
        raise ValidationError("layer", "copy a layer onto the other one")
    records = workspace.all(RaciAssignment)
    copied = [record for record in records if record.layer == source]
    with workspace.batch(f"start the {target} RACI as a copy of {source}'s"):
        for record in records:
            if record.layer == target:
                workspace.delete(record)
        for record in copied:
            workspace.add(RaciAssignment(layer=target, stage_id=record.stage_id, activity=record.activity,
                                         person_id=record.person_id, role=record.role))
    return len(copied)


def layer_is_empty(workspace: Workspace, layer: str, matrix: Matrix | None = None) -> bool:
    """Whether ``layer`` holds no role at all (copying onto it then loses nothing)."""
    return not any((matrix or Matrix.of(workspace)).layers.get(layer, {}).values())


# --------------------------------------------------------------------------
# Activity rows


def _activity_assignments(workspace: Workspace, key: RowKey) -> list[RaciAssignment]:
    return [record for (_, row, _), record in Matrix.of(workspace).assignments.items() if row == key and key.activity]


def check_activity_name(workspace: Workspace, stage_id: str, name: str, *, renaming: RowKey | None = None) -> str:
    """The activity name cleaned, or ``ValidationError`` when empty or already used in that stage."""
    name = name.strip()
    if not name:
        raise ValidationError("activity", "must not be empty (e.g. approve copy)")
    if len(name) > 80:
        raise ValidationError("activity", f"is too long ({len(name)} characters, at most 80)")
    key = row_key(stage_id, name)
    if key != renaming and any(row.key == key for row in rows(workspace)):
        raise ValidationError("activity", f"'{name}' is already an activity of {workspace.name_of(Stage, stage_id)}")
    return name


def add_activity(workspace: Workspace, layer: str, stage_id: str, name: str, accountable_id: str) -> RowKey:
    """Add an activity row by naming who is Accountable for it (a row without roles would not be saved)."""
    name = check_activity_name(workspace, stage_id, name)
    if not accountable_id:
        raise ValidationError("accountable", "name who is accountable for the activity")
    workspace.add(RaciAssignment(layer=layer, stage_id=stage_id, activity=name, person_id=accountable_id, role="A"))
    return row_key(stage_id, name)


def rename_activity(workspace: Workspace, key: RowKey, name: str) -> RowKey:
    """Rename an activity row in both layers (one undo step)."""
    if not key.activity:
        raise ValidationError("activity", "a stage's own row is renamed on the Process screen")
    name = check_activity_name(workspace, key.stage_id, name, renaming=key)
    assignments = _activity_assignments(workspace, key)
    old = assignments[0].activity if assignments else key.activity
    with workspace.batch(f"rename activity '{old}' of {workspace.name_of(Stage, key.stage_id)} to '{name}'"):
        for assignment in assignments:
            workspace.update(assignment, activity=name)
    return row_key(key.stage_id, name)


def remove_activity(workspace: Workspace, key: RowKey) -> int:
    """Remove an activity row and its roles in both layers (one undo step); return how many roles went."""
    if not key.activity:
        raise ValidationError("activity", "a stage's own row cannot be removed here")
    doomed = _activity_assignments(workspace, key)
    name = doomed[0].activity if doomed else key.activity
    with workspace.batch(f"remove activity '{name}' of {workspace.name_of(Stage, key.stage_id)}"):
        for assignment in doomed:
            workspace.delete(assignment)
    return len(doomed)


# --------------------------------------------------------------------------
# Checks


@dataclass(frozen=True)
class Problem:
    """Something wrong with the matrix, naming the row and the cell to look at.

    ``severity`` is "error" (the RACI is not usable as is) or "warning";
    ``person_id`` names the cell's column, None when the whole row is at fault.
    """

    severity: str
    layer: str
    message: str
    key: RowKey | None = None
    person_id: str | None = None
    cell: str = ""  # "Strategy sign-off × Aisha Karimi", for lists and the report

    def __str__(self) -> str:
        return f"{self.message} [{self.cell}]" if self.cell else self.message


def _names(workspace: Workspace, person_ids: Iterable[str]) -> str:
    names = [workspace.name_of(Person, person_id) for person_id in person_ids]
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)


def checked_rows(workspace: Workspace, layer: str, matrix: Matrix | None = None) -> list[MatrixRow]:
    """The rows a layer answers for: every stage, and the activities that layer names."""
    matrix = matrix or Matrix.of(workspace)
    layer_cells = matrix.layers.get(layer, {})
    return [row for row in matrix.rows if not row.activity or layer_cells.get(row.key)]


def problems(workspace: Workspace, layer: str, matrix: Matrix | None = None) -> list[Problem]:
    """Every problem of ``layer``: errors first, then warnings, each in row order."""
    if layer not in RACI_LAYERS:
        raise ValidationError("layer", f"must be one of {', '.join(RACI_LAYERS)}")
    matrix = matrix or Matrix.of(workspace)
    people = matrix.people
    order = {person.id: index for index, person in enumerate(people)}
    layer_cells = matrix.layers.get(layer, {})
    checked = checked_rows(workspace, layer, matrix)
    errors: list[Problem] = []
    warnings: list[Problem] = []

    def cell_name(row: MatrixRow, person_id: str | None) -> str:
        return f"{row.label} × {workspace.name_of(Person, person_id)}" if person_id else row.label

    for row in checked:
        row_cells = layer_cells.get(row.key, {})
        by_column = sorted(row_cells, key=lambda person_id: order.get(person_id, len(order)))
        accountable = [p for p in by_column if has_a(row_cells[p])]
        if not accountable:
            errors.append(
                Problem(
                    "error", layer, f"{row.label}: nobody is Accountable (no A)", row.key, None, cell_name(row, None)
                )
            )
        elif len(accountable) > 1:
            extra = accountable[1]
            errors.append(
                Problem(
                    "error",
                    layer,
                    f"{row.label}: {len(accountable)} people are Accountable "
                    f"({_names(workspace, accountable)}); keep one A",
                    row.key,
                    extra,
                    cell_name(row, extra),
                )
            )
        if not any(has_r(row_cells[p]) for p in by_column):
            errors.append(
                Problem(
                    "error", layer, f"{row.label}: nobody is Responsible (no R)", row.key, None, cell_name(row, None)
                )
            )
        consulted = [p for p in by_column if row_cells[p] == "C"]
        if len(consulted) > MAX_CONSULTED:
            last = consulted[MAX_CONSULTED]
            warnings.append(Problem(
                "warning", layer,
                f"{row.label}: {len(consulted)} people are Consulted (more than {MAX_CONSULTED} slows decisions)",
                row.key, last, cell_name(row, last),
            ))

    held: dict[str, list[MatrixRow]] = {person.id: [] for person in people}
    responsible: dict[str, list[MatrixRow]] = {person.id: [] for person in people}
    for row in checked:
        for person_id, role in layer_cells.get(row.key, {}).items():
            held.setdefault(person_id, []).append(row)
            if has_r(role):
                responsible.setdefault(person_id, []).append(row)
    for person in people:
        is_r = responsible[person.id]
        # Below three rows "a third" is less than one row: the rule would flag everyone.
        if len(checked) >= OVERLOAD_MIN_ROWS and len(is_r) * 3 > len(checked):
            warnings.append(Problem(
                "warning", layer,
                f"{person.name} is Responsible on {len(is_r)} of {len(checked)} rows (more than a third: overload)",
                is_r[0].key, person.id, cell_name(is_r[0], person.id),
            ))
        if not held[person.id] and checked:
            warnings.append(Problem(
                "warning", layer, f"{person.name} has no role in the {layer} RACI",
                None, person.id, person.name,
            ))

    if layer == "pilot":
        warnings.extend(focus_handover_warnings(workspace, matrix))
    return errors + warnings


def accountable_for(workspace: Workspace, layer: str, key: RowKey, matrix: Matrix | None = None) -> list[str]:
    """The ids of who is Accountable on a row (normally one), in column order."""
    matrix = matrix or Matrix.of(workspace)
    order = {person.id: index for index, person in enumerate(matrix.people)}
    row_cells = matrix.layers.get(layer, {}).get(key, {})
    return sorted((p for p, role in row_cells.items() if has_a(role)), key=lambda p: order.get(p, len(order)))


def focus_handover_warnings(workspace: Workspace, matrix: Matrix | None = None) -> list[Problem]:
    """Focus stages whose A changes between today and the pilot, to someone who was not R there today.

    The pilot tests the hardest handoff; when it moves accountability on a
    focus stage to a person who has not been doing that work (no R today),
    the team should agree how the new A learns it before the pilot relies on it.
    """
    matrix = matrix or Matrix.of(workspace)
    today = matrix.layers.get("today", {})
    found = []
    for row in matrix.rows:
        if not row.focus or row.activity:
            continue
        before = accountable_for(workspace, "today", row.key, matrix)
        after = accountable_for(workspace, "pilot", row.key, matrix)
        if set(before) == set(after):
            continue
        for person_id in after:
            if person_id in before or has_r(today.get(row.key, {}).get(person_id)):
                continue
            was = _names(workspace, before) if before else "nobody"
            found.append(Problem(
                "warning", "pilot",
                f"{row.label} (focus stage): A moves from {was} to {workspace.name_of(Person, person_id)}, "
                "who has no R there today; agree the handover",
                row.key, person_id, f"{row.label} × {workspace.name_of(Person, person_id)}",
            ))
    return found


# --------------------------------------------------------------------------
# Comparing the layers


@dataclass(frozen=True)
class CellChange:
    """A cell that differs between today and the pilot. ``kind``: added, removed or changed."""

    key: RowKey
    person_id: str
    today: str | None
    pilot: str | None

    @property
    def kind(self) -> str:
        if self.today is None:
            return "added"
        if self.pilot is None:
            return "removed"
        return "changed"


def layer_diff(workspace: Workspace, matrix: Matrix | None = None) -> list[CellChange]:
    """Every cell the pilot changes compared with today, in row then column order."""
    matrix = matrix or Matrix.of(workspace)
    today, pilot = matrix.layers.get("today", {}), matrix.layers.get("pilot", {})
    order = {person.id: index for index, person in enumerate(matrix.people)}
    changes = []
    for row in matrix.rows:
        before_row, after_row = today.get(row.key, {}), pilot.get(row.key, {})
        for person_id in sorted(set(before_row) | set(after_row), key=lambda p: order.get(p, len(order))):
            before, after = before_row.get(person_id), after_row.get(person_id)
            if before != after:
                changes.append(CellChange(row.key, person_id, before, after))
    return changes


def overlay_text(change: CellChange | None, role: str | None) -> str:
    """What an overlay cell says: "+R" added, "−C" removed, "A→R" changed, or the unchanged role."""
    if change is None:
        return role or ""
    if change.kind == "added":
        return f"+{change.pilot}"
    if change.kind == "removed":
        return f"−{change.today}"
    return f"{change.today}→{change.pilot}"


# --------------------------------------------------------------------------
# Leaving the app: Markdown, and the Overview


def matrix_table(workspace: Workspace, layer: str, matrix: Matrix | None = None) -> tuple[list[str], list[list[str]]]:
    """The layer as a header and rows of text: first column the row's label, then a role per person."""
    matrix = matrix or Matrix.of(workspace)
    layer_cells = matrix.layers.get(layer, {})
    shown = checked_rows(workspace, layer, matrix)
    header = ["stage / activity" if any(row.activity for row in shown) else "stage", *(p.name for p in matrix.people)]
    body = [[row.label, *(layer_cells.get(row.key, {}).get(p.id, "") for p in matrix.people)] for row in shown]
    return header, body


def md_cell(text: str) -> str:
    """User text for one Markdown table cell: one line, control characters visible, ``|`` and ``\\`` escaped."""
    return visible(text.replace("\n", " ")).replace("\\", "\\\\").replace("|", "\\|")


def raci_markdown(workspace: Workspace, layer: str = "pilot") -> str:
    """The layer's matrix as a Markdown table (focus stages in bold), for the report."""
    matrix = Matrix.of(workspace)
    header, body = matrix_table(workspace, layer, matrix)
    labels = {row.label: row.focus for row in matrix.rows}
    lines = [
        "| " + " | ".join(md_cell(cell) for cell in header) + " |",
        "|" + "---|" + ":-:|" * (len(header) - 1),
    ]
    for line in body:
        label = md_cell(line[0])
        label = f"**{label}**" if labels.get(line[0]) else label
        lines.append("| " + " | ".join([label, *(md_cell(cell) for cell in line[1:])]) + " |")
    return "\n".join(lines) + "\n"


def overview_section(workspace: Workspace) -> Section:
    """The RACI's health on the Overview: problems per layer, and what the pilot changes."""

    if not workspace.count(RaciAssignment):
        return Section("RACI", [Row("No roles yet", "press 4 to fill in the RACI", "muted")])
    matrix = Matrix.of(workspace)
    result = []
    for layer in RACI_LAYERS:
        found = problems(workspace, layer, matrix)
        errors = sum(1 for problem in found if problem.severity == "error")
        warnings = len(found) - errors
        if not found:
            result.append(Row(f"{layer.capitalize()} RACI", "no problems", "good"))
            continue
        parts = [counted(errors, "error")] if errors else []
        parts += [counted(warnings, "warning")] if warnings else []
        result.append(Row(f"{layer.capitalize()} RACI", ", ".join(parts), "bad" if errors else "warning"))
    changed = len(layer_diff(workspace, matrix))
    result.append(Row("Pilot changes", f"{counted(changed, 'cell differs', 'cells differ')} from today"))
    return Section("RACI", result)


# --------------------------------------------------------------------------
# A stage's R and A, for the rules that let the RACI drive the work (raci_work.py)


def responsible_for(workspace: Workspace, stage_id: str | None, layer: str = "pilot",
                    matrix: Matrix | None = None) -> str | None:
    """The id of the stage's R (first in column order; A/R counts), or None.

    Only the stage's own row counts, not its activities: the stage's R is who
    does the stage's work, so new work in the stage goes to them by default.
    """
    if not stage_id:
        return None
    matrix = matrix or Matrix.of(workspace)
    order = {person.id: index for index, person in enumerate(matrix.people)}
    row_cells = matrix.layers.get(layer, {}).get(RowKey(stage_id), {})
    found = sorted((p for p, role in row_cells.items() if has_r(role)), key=lambda p: order.get(p, len(order)))
    return found[0] if found else None


def default_accountable(workspace: Workspace, layer: str, stage_id: str | None,
                        matrix: Matrix | None = None) -> str | None:
    """Who a new activity of a stage is Accountable for at first: the stage's A in ``layer``, else in the other layer.

    An activity is usually answered for by whoever answers for its stage; None
    when neither layer names an A for the stage.
    """
    matrix = matrix or Matrix.of(workspace)
    for each in (layer, *(other for other in RACI_LAYERS if other != layer)):
        found = approver_for(workspace, stage_id, each, matrix)
        if found:
            return found
    return None


def approver_for(workspace: Workspace, stage_id: str | None, layer: str = "pilot",
                 matrix: Matrix | None = None) -> str | None:
    """The id of the stage's A (its approver), or None when the stage has no A in ``layer``."""
    if not stage_id:
        return None
    found = accountable_for(workspace, layer, RowKey(stage_id), matrix)
    return found[0] if found else None
