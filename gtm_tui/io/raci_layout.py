"""How a RACI grid is laid out, found from the grid itself (or as the user says), and read cell by cell.

Teams draw the same matrix in several shapes:

- ``people-across``: activities down, people (or roles) across, a code in each cell;
- ``letters-across``: activities down, columns R / A / C / I holding names ("Ana, Tom", "All");
- ``people-down``: people down, activities across, codes in the cells;
- ``single-role``: an activity column and one column of codes, for one person or role;
- ``list``: one row a role — activity, person, code.

Around the grid there is often a title, a legend ("R = Responsible"), notes,
blank spacer rows, section rows ("**Planning**" with nothing after it) that
group the activities below them, and a first column filled only on the first
row of each group. ``understand`` finds the header row and the columns,
reads every cell (see ``raci_codes``) and keeps what it skipped and why, so
the preview can show the grid as understood before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from dataclasses import dataclass, field

from gtm_tui.io.grids import Grid
from gtm_tui.io.raci_codes import (
    EMPTY_MARKS,
    EVERYONE,
    Reading,
    combine,
    fold,
    is_legend,
    letter_of_heading,
    plain,
    read_code,
)
from gtm_tui.overview.sections import counted

LAYOUTS: dict[str, str] = {
    "people-across": "activities down, people across, a code in each cell",
    "letters-across": "activities down, columns R / A / C / I holding names",
    "people-down": "people down, activities across, a code in each cell",
    "single-role": "an activity column and one column of codes for one person or role",
    "list": "one row a role: activity, person, code",
}
ID_HEADERS = frozenset({"id", "stage id", "#", "no", "no.", "nr", "nr.", "n°", "num", "number", "ref", "ref.", "wbs",
                        "item #", "task id", "step #", "seq", "order"})
TEXT_HEADERS = ("description", "details", "detail", "notes", "note", "comment", "comments", "definition", "purpose",
                "explanation", "remarks", "how", "descripcion", "beschreibung", "artifact", "artefact", "output",
                "deliverables description", "frequency", "timing", "when", "due", "status", "tool", "tools")
PEOPLE_WORDS = re.compile(r"\b(roles?|persons?|people|who|team members?|members?|stakeholders?|employees?|staff|"
                          r"rol|roles|persona|personas|equipo|mitarbeiter|rolle|personne)\b")
ACTIVITY_WORDS = re.compile(r"\b(tasks?|activit(y|ies)|deliverables?|steps?|stages?|process(es)?|phases?|work|"
                            r"decisions?|milestones?|items?|tarea|tareas|actividad(es)?|aufgabe|tache|etape|"
                            r"work package|workstream|domain|area|concern|requirement)\b")
PERSON_COLUMN_WORDS = re.compile(r"\b(person|people|who|name|owner|assignee|team member|member|stakeholder|role|"
                                 r"rol|persona|responsible party|party)\b")
CODE_COLUMN_WORDS = re.compile(r"\b(raci|code|role|rol|rolle|involvement|level|type|responsibility|assignment)\b")
PLACEHOLDER = re.compile(r"^(\[.*\]|<.*>|\{\{.*\}\}|tbd|tba|\?+|\.\.\.|…|xxx|name|person)$", re.IGNORECASE)
NUMBERING = re.compile(r"^\d+(\.\d+)*\.?$")
MAX_NAME = 80


class LayoutError(ValueError):
    """No RACI grid could be found (or not in the layout asked for); the message says why."""


@dataclass
class RowRead:
    """A row of the matrix as understood: its label, the group (section / first column) above it, where it is."""

    label: str
    group: str
    where: str
    is_stage_row: bool = False  # our own export: a stage that has no roles yet still is a row


@dataclass
class Found:
    """One filled cell: whose role on which row, the text as written and its address."""

    row: int  # index into ``Understood.rows``
    person: str
    reading: Reading
    text: str
    address: str


@dataclass
class Understood:
    """A grid read as a RACI matrix, with everything that was skipped or interpreted on the way."""

    grid: Grid
    layout: str
    detected: bool
    why: str
    people: list[str] = field(default_factory=list)
    rows: list[RowRead] = field(default_factory=list)
    found: list[Found] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    own_export: bool = False

    @property
    def readable(self) -> int:
        return sum(1 for item in self.found if item.reading.role)

    def describe(self) -> str:
        how = "detected" if self.detected else "as asked"
        return f"{self.grid.name}: {LAYOUTS[self.layout]} ({self.layout}, {how}; {self.why})"


# -- looking at cells -----------------------------------------------------------------


def _is_code(text: str) -> bool:
    return bool(text) and read_code(text).role is not None


_NUMBER = re.compile(r"\d+([.,]\d+)?\s*%?")
_NOT_A_NAME = re.compile(r"(true|false|yes|no|[\d\s.,:/%-]+)")


def _text_cell(text: str) -> bool:
    """Non-empty and not a code (a name, a label, a sentence)."""
    return bool(text) and fold(text) not in EMPTY_MARKS and not _is_code(text)


def _header_kind(text: str) -> str:
    word = fold(plain(text))
    if word in ID_HEADERS:
        return "id"
    if any(word == header or word.startswith(header + " ") for header in TEXT_HEADERS):
        return "text"
    return "label"


def _own_export(header: list[str]) -> bool:
    """Our raci-csv ("stage" / "stage / activity" first) or our workbook's RACI sheets (stage id, stage, activity)."""
    first = [fold(cell) for cell in header[:3]]
    return (bool(first) and first[0] in ("stage", "stage / activity")) or first == ["stage id", "stage", "activity"]


# -- the layouts ------------------------------------------------------------------------


def understand(grid: Grid, layout: str | None = None, *, known_people: Set[str] = frozenset(),
               known_stages: Set[str] = frozenset(), default_person: str = "") -> Understood:
    """Read ``grid`` as a RACI matrix in ``layout`` (found from the grid when None); ``LayoutError`` when it holds none.

    ``known_people`` / ``known_stages`` (folded names) help tell people-across
    from people-down; ``default_person`` names the person of a single-role
    sheet whose code column has a generic heading ("RACI", "Role").
    """
    if layout is not None and layout not in LAYOUTS:
        raise LayoutError(f"unknown layout '{layout}'; use one of {', '.join(LAYOUTS)}")
    if not any(any(cell for cell in row) for row in grid.rows):
        raise LayoutError("is empty")
    legend = {index for index, row in enumerate(grid.rows) if is_legend(row)}
    if layout in (None, "letters-across"):
        letters = _letters_header(grid, legend)
        if letters is not None:
            return _read_letters(grid, legend, *letters, detected=layout is None)
        if layout == "letters-across":
            raise LayoutError("has no row with R / A / C / I (or Responsible … Informed) columns holding names")
    codes = _code_columns(grid, legend)
    if not codes:
        raise LayoutError("holds no RACI codes (R, A, C, I or words like Responsible) in any column")
    header = _header_row(grid, legend, codes)
    labels = _label_columns(grid, legend, header, codes)
    chosen = layout or _choose(grid, header, codes, labels, known_people, known_stages)
    if chosen == "letters-across":
        raise LayoutError("has no row with R / A / C / I columns holding names")
    if chosen == "list":
        return _read_list(grid, legend, header, codes, labels, detected=layout is None)
    if chosen == "people-down":
        return _read_people_down(grid, legend, header, codes, labels, detected=layout is None)
    result = _read_people_across(grid, legend, header, codes, labels, detected=layout is None,
                                 default_person=default_person, single=chosen == "single-role" or len(codes) == 1)
    return result


def _code_columns(grid: Grid, legend: set[int]) -> list[int]:
    """Columns where most filled cells of the rows holding codes are codes."""
    body = [r for r in range(len(grid.rows)) if r not in legend and any(_is_code(cell) for cell in grid.rows[r])]
    columns = []
    for column in range(grid.width):
        cells = [grid.cell(r, column) for r in body]
        filled = [cell for cell in cells if cell and fold(cell) not in EMPTY_MARKS]
        codes = sum(1 for cell in filled if _is_code(cell))
        if codes and codes * 2 >= len(filled) and codes >= max(1, len(body) // 10):
            columns.append(column)
    # A label column of activities that happen to read as codes ("CI") is not a code column: it is
    # the left-most filled column and its neighbour holds the codes.
    return columns


def _header_row(grid: Grid, legend: set[int], codes: list[int]) -> int:
    first_code = min(r for r in range(len(grid.rows))
                     if r not in legend and any(_is_code(grid.cell(r, c)) for c in codes))
    for row in range(first_code - 1, -1, -1):
        if row in legend:
            continue
        named = sum(1 for c in codes if _text_cell(grid.cell(row, c)))
        if named * 2 >= len(codes) and named:
            return row
    raise LayoutError(
        f"has codes from {grid.row_name(first_code)} on but no header row above them naming the people or roles"
    )


def _label_columns(grid: Grid, legend: set[int], header: int, codes: list[int]) -> list[int]:
    """The text columns left of the codes that name the rows (ids, descriptions and notes left out)."""
    first = min(codes)
    found = []
    for column in range(first):
        kind = _header_kind(grid.cell(header, column))
        values = [grid.cell(r, column) for r in range(header + 1, len(grid.rows)) if r not in legend]
        values = [v for v in values if v]
        if not values or kind != "label":
            continue
        if all(NUMBERING.match(v) for v in values):
            continue
        found.append(column)
    return found


def _choose(grid: Grid, header: int, codes: list[int], labels: list[int],
            known_people: Set[str], known_stages: Set[str]) -> str:
    heads = [fold(grid.cell(header, c)) for c in codes]
    label_column = labels[-1] if labels else None
    row_labels = [] if label_column is None else [
        fold(grid.cell(r, label_column)) for r in range(header + 1, len(grid.rows)) if grid.cell(r, label_column)]
    across = sum(h in known_people for h in heads) + sum(label in known_stages for label in row_labels)
    down = sum(label in known_people for label in row_labels) + sum(h in known_stages for h in heads)
    label_header = fold(grid.cell(header, label_column)) if label_column is not None else ""
    if len(codes) == 1 and len(labels) >= 2:
        person_columns = [c for c in labels if PERSON_COLUMN_WORDS.search(fold(grid.cell(header, c)))]
        if person_columns and (CODE_COLUMN_WORDS.search(heads[0]) or not heads[0]):
            return "list"
    if down > across:
        return "people-down"
    if down == across and PEOPLE_WORDS.search(label_header) and not ACTIVITY_WORDS.search(label_header):
        return "people-down"
    return "single-role" if len(codes) == 1 else "people-across"


def _body_rows(grid: Grid, legend: set[int], header: int, skipped: list[str]) -> list[int]:
    """Rows below the header that are neither spacers nor legend rows (those are listed in ``skipped``)."""
    spacers, legends, kept = [], [], []
    for row in range(header + 1, len(grid.rows)):
        if row in legend:
            legends.append(grid.row_name(row))
        elif not any(grid.rows[row]):
            spacers.append(grid.row_name(row))
        else:
            kept.append(row)
    # Trailing blank rows are the end of the sheet, not spacers worth a word.
    last = max(kept, default=header)
    spacers = [name for name in spacers if _row_number(name) < _row_number(grid.row_name(last))]
    if legends:
        skipped.append(f"legend rows skipped: {', '.join(legends)}")
    if spacers:
        skipped.append(f"empty rows skipped: {', '.join(spacers)}")
    return kept


def _row_number(name: str) -> int:
    return int(name.split()[-1])


def _above_header(grid: Grid, legend: set[int], header: int, skipped: list[str]) -> None:
    title = [grid.row_name(r) for r in range(header) if r not in legend and any(grid.rows[r])]
    legends = [grid.row_name(r) for r in range(header) if r in legend]
    if title:
        skipped.append(f"{', '.join(title)}: above the header ({grid.row_name(header)}), not read")
    if legends:
        skipped.append(f"legend above the header skipped: {', '.join(legends)}")


def _ignored_columns(grid: Grid, header: int, used: set[int], rows: list[int], skipped: list[str]) -> None:
    for column in range(grid.width):
        if column in used:
            continue
        if any(grid.cell(r, column) for r in rows):
            name = grid.cell(header, column)
            skipped.append(grid.column_name(column) + (f" '{name}'" if name else "") + " not read (no roles in it)")


def _person_name(text: str, address: str, notes: list[str]) -> str:
    name = plain(text)
    if len(name) > MAX_NAME:
        notes.append(f"{address}: name shortened to {MAX_NAME} characters")
        name = name[: MAX_NAME - 1].rstrip() + "…"
    return name


def _read_people_across(grid: Grid, legend: set[int], header: int, codes: list[int], labels: list[int], *,
                        detected: bool, default_person: str, single: bool) -> Understood:
    layout = "single-role" if single else "people-across"
    found = Understood(grid, layout, detected, "")
    found.own_export = _own_export(grid.rows[header])
    _above_header(grid, legend, header, found.skipped)
    rows = _body_rows(grid, legend, header, found.skipped)
    group_column, label_column = _group_and_label(labels, grid, rows)
    people: dict[int, str] = {}
    for column in codes:
        name = grid.cell(header, column)
        generic = single and (not name or CODE_COLUMN_WORDS.search(fold(name)) or fold(name) in ("raci", "r/a/c/i"))
        if generic and default_person:
            people[column] = default_person
            found.notes.append(f"the codes in {grid.column_name(column)} are read as {default_person}'s "
                               "(the sheet's or file's name)")
        elif name and not PLACEHOLDER.match(name):
            people[column] = _person_name(name, grid.address(header, column), found.notes)
        else:
            found.skipped.append(f"{grid.column_name(column)} has roles but no name in the header row; not read")
    found.people = list(dict.fromkeys(people.values()))
    _ignored_columns(grid, header, set(codes) | {c for c in (group_column, label_column) if c is not None},
                     rows, found.skipped)
    _read_rows(grid, found, rows, group_column, label_column, people)
    span = f"{grid.address(header + 1, min(codes))}:{grid.address(max(rows, default=header), max(codes))}" \
        if grid.kind != "markdown" else counted(len(codes), "column")
    found.why = f"header {grid.row_name(header)}, codes in {span}"
    return found


def _group_and_label(labels: list[int], grid: Grid | None = None, rows: Sequence[int] = ()
                     ) -> tuple[int | None, int | None]:
    """The group column (a phase, filled down or repeated) and the label column among the text columns.

    Two text columns are a group and a label only when the first one groups:
    it is blank on some rows (filled down) or repeats a value. Otherwise the
    first names the rows and the second is a description of some kind.
    """
    if not labels:
        return None, None
    if len(labels) == 1:
        return None, labels[0]
    if grid is not None and rows:
        values = [grid.cell(r, labels[0]) for r in rows]
        filled = [v for v in values if v]
        groups = len(filled) < len(values) or len(set(filled)) < len(filled)
        if not groups:
            return None, labels[0]
    return labels[0], labels[-1]


def _read_rows(grid: Grid, found: Understood, rows: list[int], group_column: int | None, label_column: int | None,
               people: dict[int, str]) -> None:
    """Activity rows with their codes; section rows and fill-down give each its group."""
    candidates: list[tuple[int, str]] = []  # label-only rows, decided once the activity rows are known
    kinds: dict[int, str] = {}
    for row in rows:
        filled = [grid.cell(row, column) for column in people
                  if grid.cell(row, column) and fold(grid.cell(row, column)) not in EMPTY_MARKS]
        if filled and all(_NUMBER.fullmatch(text) for text in filled):
            kinds[row] = "totals"
        elif filled:
            kinds[row] = "activity"
        else:
            label = grid.cell(row, label_column) if label_column is not None else ""
            group = grid.cell(row, group_column) if group_column is not None else ""
            if label or group:
                kinds[row] = "label"
                candidates.append((row, label or group))
            else:
                kinds[row] = "other"
    signals = {row for row, _ in candidates
               if row in grid.emphasised or _looks_like_section(grid.cell(row, label_column or 0))}
    last_activity = max((row for row, kind in kinds.items() if kind == "activity"), default=-1)
    section = ""
    group = ""
    filled_down = False
    no_roles, notes_below, no_label, others, totals = [], [], [], [], []
    for row in rows:
        kind = kinds[row]
        label = plain(grid.cell(row, label_column)) if label_column is not None else ""
        if group_column is not None:
            value = plain(grid.cell(row, group_column))
            if value:
                group = value
            elif group and (label or kind == "activity"):
                filled_down = True
        if kind == "other":
            others.append(grid.row_name(row))
            continue
        if kind == "totals":
            totals.append(f"{grid.row_name(row)}" + (f" '{label}'" if label else ""))
            continue
        if kind == "label":
            if found.own_export:
                found.rows.append(RowRead(label, group, grid.row_name(row), is_stage_row=True))
            elif row > last_activity:
                notes_below.append(grid.row_name(row))
            elif group_column is not None and not label:
                continue  # the group's own heading row: the fill-down carries it
            elif (row in signals or not signals) and group_column is None:
                section = label
            else:
                no_roles.append(f"{grid.row_name(row)} '{label}'")
            continue
        if not label and group_column is None:
            if section:
                label = section
            else:
                no_label.append(grid.row_name(row))
                continue
        index = len(found.rows)
        found.rows.append(RowRead(label, group if group_column is not None else section, grid.row_name(row)))
        for column, person in people.items():
            text = grid.cell(row, column)
            if not text or fold(text) in EMPTY_MARKS:
                continue
            found.found.append(Found(index, person, read_code(text), text, grid.address(row, column)))
    if filled_down:
        found.notes.append("the first column is filled only on the first row of each group: filled down")
    if no_roles:
        found.skipped.append(f"rows without roles skipped: {', '.join(no_roles)}")
    if notes_below:
        found.skipped.append(f"notes below the table skipped: {', '.join(notes_below)}")
    if no_label:
        found.skipped.append(f"rows with roles but no activity name skipped: {', '.join(no_label)}")
    if others:
        found.skipped.append(f"rows with text outside the matrix skipped: {', '.join(others)}")
    if totals:
        found.skipped.append(f"rows of numbers (totals) skipped: {', '.join(totals)}")


def _looks_like_section(text: str) -> bool:
    """A label written like a heading: ALL CAPS, "Phase 1: …", "1. Planning", ending with a colon."""
    stripped = plain(text)
    if not stripped:
        return False
    if stripped.isupper() and len(stripped) > 3:
        return True
    named = re.match(r"^(phase|stage|step|section|part|fase|etapa)\b\s*\w*\s*[:.\-–]", stripped, re.IGNORECASE)
    return bool(named) or stripped.endswith(":") or bool(re.match(r"^\d+\.\s+\S", stripped))


def _read_people_down(grid: Grid, legend: set[int], header: int, codes: list[int], labels: list[int], *,
                      detected: bool) -> Understood:
    found = Understood(grid, "people-down", detected, "")
    _above_header(grid, legend, header, found.skipped)
    rows = _body_rows(grid, legend, header, found.skipped)
    _, label_column = _group_and_label(labels)
    if label_column is None:
        raise LayoutError("has codes but no column naming the people or roles of its rows")
    activities: dict[int, int] = {}
    for column in codes:
        name = plain(grid.cell(header, column))
        if name:
            activities[column] = len(found.rows)
            found.rows.append(RowRead(name, "", grid.column_name(column)))
        else:
            found.skipped.append(f"{grid.column_name(column)} has roles but no activity in the header row; not read")
    _ignored_columns(grid, header, set(codes) | set(labels), rows, found.skipped)
    groups = []
    for row in rows:
        person = grid.cell(row, label_column)
        filled = [c for c in activities if grid.cell(row, c) and fold(grid.cell(row, c)) not in EMPTY_MARKS]
        if not person:
            if filled:
                found.skipped.append(f"{grid.row_name(row)} has roles but no person; not read")
            continue
        if not filled:
            groups.append(f"{grid.row_name(row)} '{person}'")
            continue
        name = _person_name(person, grid.address(row, label_column), found.notes)
        found.people.append(name)
        for column in filled:
            text = grid.cell(row, column)
            found.found.append(Found(activities[column], name, read_code(text), text, grid.address(row, column)))
    if groups:
        found.skipped.append(f"rows without roles skipped: {', '.join(groups)}")
    found.people = list(dict.fromkeys(found.people))
    found.why = f"header {grid.row_name(header)} names the activities, {grid.column_name(label_column)} the people"
    return found


def _read_list(grid: Grid, legend: set[int], header: int, codes: list[int], labels: list[int], *,
               detected: bool) -> Understood:
    found = Understood(grid, "list", detected, "")
    _above_header(grid, legend, header, found.skipped)
    rows = _body_rows(grid, legend, header, found.skipped)
    person_column = next((c for c in reversed(labels) if PERSON_COLUMN_WORDS.search(fold(grid.cell(header, c)))),
                         labels[-1])
    others = [c for c in labels if c != person_column]
    if not others:
        raise LayoutError("has a person column and a code column but no column naming the activities")
    group_column, activity_column = (others[0], others[-1]) if len(others) > 1 else (None, others[0])
    code_column = codes[0]
    _ignored_columns(grid, header, set(labels) | {code_column}, rows, found.skipped)
    index: dict[tuple[str, str], int] = {}
    group = ""
    for row in rows:
        if group_column is not None and grid.cell(row, group_column):
            group = plain(grid.cell(row, group_column))
        activity = plain(grid.cell(row, activity_column))
        person = grid.cell(row, person_column)
        text = grid.cell(row, code_column)
        if not activity or not person or not text or fold(text) in EMPTY_MARKS:
            if any(grid.rows[row]):
                found.skipped.append(f"{grid.row_name(row)} lacks an activity, a person or a code; not read")
            continue
        key = (group, activity.casefold())
        if key not in index:
            index[key] = len(found.rows)
            found.rows.append(RowRead(activity, group, grid.row_name(row)))
        name = _person_name(person, grid.address(row, person_column), found.notes)
        found.people.append(name)
        found.found.append(Found(index[key], name, read_code(text), text, grid.address(row, code_column)))
    found.people = list(dict.fromkeys(found.people))
    found.why = f"header {grid.row_name(header)}: activity, person and code columns"
    return found


# -- letters across: names in R / A / C / I columns -----------------------------------

_NAME_SPLIT = re.compile(r"\s*(?:[,;\n+&]|\s/\s|\s+and\s+|\s+y\s+|\s+et\s+|\s+und\s+|<br\s*/?>)\s*", re.IGNORECASE)


def _letters_header(grid: Grid, legend: set[int]) -> tuple[int, dict[int, str]] | None:
    """The header row whose R / A / C / I columns hold names below it, and those columns."""
    best: tuple[int, dict[int, str]] | None = None
    for row in range(len(grid.rows)):
        if row in legend:
            continue
        letters = {c: letter for c in range(grid.width) if (letter := letter_of_heading(grid.cell(row, c)))}
        if not letters or len(set(letters.values())) != len(letters):
            continue
        names = codes = rows_with_names = 0
        for below in range(row + 1, len(grid.rows)):
            if below in legend:
                continue
            row_names = 0
            for column in letters:
                text = grid.cell(below, column)
                if not text or fold(text) in EMPTY_MARKS:
                    continue
                if _is_code(text) or _NOT_A_NAME.fullmatch(fold(text)):
                    codes += 1
                else:
                    names += 1
                    row_names += 1
            rows_with_names += bool(row_names)
        label_left = any(grid.cell(r, c) for r in range(row + 1, len(grid.rows)) for c in range(min(letters)))
        enough = rows_with_names >= 2 or (rows_with_names >= 1 and len(letters) >= 2)
        if enough and names > codes and label_left and (best is None or len(letters) > len(best[1])):
            best = (row, letters)
    return best


def split_names(text: str) -> list[str]:
    """The names in a cell: "Ana, Tom", "Design team + Legal", "Ana and Tom", one a line."""
    parts = [plain(part) for part in _NAME_SPLIT.split(text.replace("\n", ","))]
    return [part for part in parts if part and fold(part) not in EMPTY_MARKS]


def _read_letters(grid: Grid, legend: set[int], header: int, letters: dict[int, str], *, detected: bool) -> Understood:
    found = Understood(grid, "letters-across", detected, "")
    _above_header(grid, legend, header, found.skipped)
    rows = _body_rows(grid, legend, header, found.skipped)
    label_columns = [c for c in range(min(letters))
                     if _header_kind(grid.cell(header, c)) == "label" and any(grid.cell(r, c) for r in rows)
                     and not all(NUMBERING.match(grid.cell(r, c)) for r in rows if grid.cell(r, c))]
    group_column, label_column = _group_and_label(label_columns, grid, rows)
    _ignored_columns(grid, header, set(letters) | {c for c in (group_column, label_column) if c is not None},
                     rows, found.skipped)
    # First pass: every name, so "All" can stand for them.
    named: dict[str, str] = {}
    for row in rows:
        for column in letters:
            for name in split_names(grid.cell(row, column)):
                bare = _bare_name(name)
                if fold(bare) not in EVERYONE and not PLACEHOLDER.match(bare) and not _is_code(bare):
                    named.setdefault(fold(bare), _person_name(bare, grid.address(row, column), []))
    everyone = list(named.values())
    held: dict[tuple[int, str], list[tuple[str, str, str]]] = {}  # (row, person) -> [(letter, address, text)]
    # Read the rows with each letter column standing for its letter; then turn each cell into the names it holds.
    _read_rows(grid, found, rows, group_column, label_column, dict(letters))
    cells, found.found = found.found, []
    everyone_cells: list[tuple[int, str, str, str]] = []  # (row, letter, address, text): filled in after the names
    for item in cells:
        letter = item.person
        for name in split_names(item.text):
            bare = _bare_name(name)
            if bare != name:
                found.notes.append(f"{item.address}: '{name}' read as {bare}")
            if fold(bare) in EVERYONE:
                everyone_cells.append((item.row, letter, item.address, item.text))
                continue
            if PLACEHOLDER.match(bare) or _is_code(bare):
                found.found.append(Found(item.row, "", Reading(None, f"'{bare}' is not a name", unreadable=True),
                                         item.text, item.address))
                continue
            person = named.get(fold(bare), bare)
            held.setdefault((item.row, person), []).append((letter, item.address, item.text))
    for row, letter, address, text in everyone_cells:
        # "All" gives its role to everyone the row does not already name.
        added = [person for person in everyone if (row, person) not in held]
        found.notes.append(f"{address}: '{text}' read as {letter} for every role the row does not name ({len(added)})")
        for person in added:
            held[(row, person)] = [(letter, address, text)]
    for (row, person), entries in held.items():
        role, dropped = combine({letter for letter, _, _ in entries})
        addresses = ", ".join(dict.fromkeys(address for _, address, _ in entries))
        note = (
            f"{person} is named under {' and '.join(dict.fromkeys(letter for letter, _, _ in entries))}: "
            f"read as {role}, "
            f"{', '.join(dropped)} dropped"
            if dropped
            else ""
        )
        if not dropped and len(entries) > 1:
            note = f"{person} is named under {' and '.join(letter for letter, _, _ in entries)}: read as {role}"
        found.found.append(Found(row, person, Reading(role, note), entries[0][2], addresses))
    found.people = list(everyone)
    found.why = f"header {grid.row_name(header)} with columns {' / '.join(letters[c] for c in sorted(letters))}"
    return found


def _bare_name(name: str) -> str:
    """A name without a trailing qualifier: "Legal (if rights unclear)" → "Legal"."""
    bare = re.sub(r"\s*\([^()]*\)\s*$", "", name).strip()
    return bare or name
