"""Someone else's table, read into plain rows of text with an address for every cell.

The RACI and retro imports read files nobody made for us: a CSV saved by
Excel in Germany (``;``, Windows-1252), by Google Sheets (``,``, no BOM), a
tab-separated paste, a workbook whose table starts at C4 under a title and a
legend, with merged cells; a wiki page of Markdown tables with ragged pipes.
Each becomes a ``Grid``: rows of stripped text (numbers and dates as text),
every cell reachable by the address a person would look for — ``B4`` in a
spreadsheet, "line 12, column 3" in Markdown — and the hints the layout
needs (a row merged across, a label in bold).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from gtm_tui.io.cells import restore

DELIMITERS = (",", ";", "\t", "|")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".txt")
DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "pipes"}
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class GridError(ValueError):
    """The file cannot be read as a table; the message says why."""


@dataclass
class Grid:
    """One table: ``rows`` of text; ``address(r, c)`` names a cell the way the file's own tool does."""

    name: str  # "sheet 'RACI'", "raci.csv", "table 2 (line 14)"
    rows: list[list[str]]
    kind: str = "csv"  # csv | xlsx | markdown
    lines: list[int] = field(default_factory=list)  # markdown: the line each row is on
    emphasised: set[int] = field(default_factory=set)  # rows whose label is bold or merged across the table
    heading: str = ""  # markdown: the heading the table sits under
    notes: list[str] = field(default_factory=list)  # how it was read ("semicolons", "Windows-1252")

    def __post_init__(self) -> None:
        width = max((len(row) for row in self.rows), default=0)
        self.rows = [row + [""] * (width - len(row)) for row in self.rows]

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    def cell(self, row: int, column: int) -> str:
        return self.rows[row][column] if 0 <= row < len(self.rows) and 0 <= column < len(self.rows[row]) else ""

    def address(self, row: int, column: int) -> str:
        """``B4`` in a spreadsheet, ``line 12, column 3`` in Markdown (row and column counted from 0 here)."""
        if self.kind == "markdown":
            line = self.lines[row] if row < len(self.lines) else row + 1
            return f"line {line}, column {column + 1}"
        return f"{get_column_letter(column + 1)}{row + 1}"

    def column_name(self, column: int) -> str:
        """``C`` in a spreadsheet, ``column 3`` in Markdown (counted from 0 here)."""
        if self.kind == "markdown":
            return f"column {column + 1}"
        return f"column {get_column_letter(column + 1)}"

    def row_name(self, row: int) -> str:
        """How a person finds a whole row: "row 4", or "line 12" in Markdown."""
        if self.kind == "markdown":
            return f"line {self.lines[row] if row < len(self.lines) else row + 1}"
        return f"row {row + 1}"


def clean(value: Any) -> str:
    """A cell's value as text: numbers without a spurious ".0", dates as ISO, no control characters.

    The quote a spreadsheet (or our own export) puts before text that looks
    like a formula is taken off, so a name like "=Ops" comes back as typed.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ", timespec="minutes")
    elif isinstance(value, date):
        value = value.isoformat()
    text = str(restore(value)).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return CONTROL.sub("", text).strip()


# -- text files ---------------------------------------------------------------------


def read_text(path: Path) -> tuple[str, str]:
    """The file's text and how it was decoded: UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252."""
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise GridError("is a binary file, not text; save it as .xlsx or .csv and import that")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "read as Windows-1252 (it is not UTF-8)"


def pick_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most rows of the same (more than one) width."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip()
    if re.fullmatch(r"sep=.", first, re.IGNORECASE):  # Excel's own hint line
        return first[-1]
    sample = "\n".join(line for line in text.splitlines()[:60] if line.strip())
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
        widths = [len(row) for row in rows if len(row) > 1]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        score = (widths.count(common), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv_grid(path: Path) -> Grid:
    """A CSV (or TSV, or ;- or |-separated) file as a grid; addresses as the spreadsheet shows them."""
    text, how = read_text(path)
    delimiter = pick_delimiter(text)
    lines = text.splitlines()
    if lines and re.fullmatch(r"sep=.", lines[0].lstrip("\ufeff").strip(), re.IGNORECASE):
        text = "\n".join(lines[1:])
    try:
        rows = [[clean(cell) for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as error:
        raise GridError(f"cannot be read as CSV ({error})") from None
    if delimiter == "|":  # a Markdown-ish table saved as .csv: drop the outer pipes
        rows = [row[1:-1] if len(row) > 2 and not row[0] and not row[-1] else row for row in rows]
        rows = [row for row in rows if not all(re.fullmatch(r":?-+:?", cell) for cell in row if cell) or not any(row)]
    separated = f"cells separated by {DELIMITER_NAMES[delimiter]}" if delimiter != "," else ""
    notes = [note for note in (how, separated) if note]
    return Grid(path.name, rows, "csv", notes=notes)


# -- workbooks ----------------------------------------------------------------------


def open_workbook(path: Path) -> Any:
    """The workbook (values, not formulas); ``GridError`` when it is not one."""
    try:
        return load_workbook(path, data_only=True)
    except (InvalidFileException, BadZipFile, SyntaxError, KeyError, ValueError, OSError, TypeError) as error:
        raise GridError(f"is not an Excel workbook (.xlsx) that can be read ({error})") from None


def sheet_grid(sheet: Any) -> Grid:
    """One worksheet as a grid: merged cells spread down their rows, a bold label or a row merged across marked."""
    rows: list[list[str]] = []
    emphasised: set[int] = set()
    for index, cells in enumerate(sheet.iter_rows()):
        row = [clean(cell.value) for cell in cells]
        first = next((cell for cell, text in zip(cells, row, strict=True) if text), None)
        if first is not None and getattr(first.font, "b", False):
            emphasised.add(index)
        rows.append(row)
    width = max((len(row) for row in rows), default=0)
    for merged in sheet.merged_cells.ranges:
        top, left, bottom, right = merged.min_row - 1, merged.min_col - 1, merged.max_row - 1, merged.max_col - 1
        if top >= len(rows):
            continue
        value = rows[top][left] if left < len(rows[top]) else ""
        if bottom > top:  # a label merged down a group of rows: every row of the group has it
            for row_index in range(top + 1, min(bottom, len(rows) - 1) + 1):
                if left < len(rows[row_index]):
                    rows[row_index][left] = value
        if right > left and right - left + 1 >= max(2, width // 2):
            emphasised.update(range(top, bottom + 1))
    return Grid(f"sheet '{sheet.title}'", rows, "xlsx", emphasised=emphasised)


def sheet_titles(path: Path) -> list[str]:
    """A workbook's sheet titles, read without loading its cells."""
    try:
        workbook = load_workbook(path, read_only=True)
    except (InvalidFileException, BadZipFile, SyntaxError, KeyError, ValueError, OSError, TypeError) as error:
        raise GridError(f"is not an Excel workbook (.xlsx) that can be read ({error})") from None
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def read_xlsx_grids(path: Path) -> list[Grid]:
    """Every visible worksheet of a workbook, in order."""
    workbook = open_workbook(path)
    try:
        return [sheet_grid(sheet) for sheet in workbook.worksheets if sheet.sheet_state == "visible"]
    finally:
        workbook.close()


# -- Markdown -----------------------------------------------------------------------

_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_ATX = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_HTML_HEADING = re.compile(r"^\s*<h[1-6][^>]*>(.*?)</h[1-6]>\s*$", re.IGNORECASE)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"</?[a-zA-Z][^>]{0,80}>")


def inline_text(text: str) -> str:
    """Markdown inline markup taken off: links to their text, no tags, no emphasis markers, no escapes."""
    text = re.sub(r"<br\s*/?>", " ", text, flags=re.IGNORECASE)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = re.sub(r"(\*\*|__|~~)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])[*_](\S(?:.*?\S)?)[*_](?![\w*])", r"\1", text)
    text = text.replace("`", "")
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|>~])", r"\1", text)
    return re.sub(r"\s+", " ", CONTROL.sub("", text)).strip()


def split_row(line: str) -> list[str]:
    """The cells of a Markdown table line: ``\\|`` and pipes inside code spans are not separators."""
    cells, current, in_code = [], [], False
    index = 0
    line = line.replace("\t", " ").strip()
    while index < len(line):
        char = line[index]
        if char == "\\" and index + 1 < len(line) and line[index + 1] == "|":
            current.append("|")
            index += 2
            continue
        if char == "`":
            in_code = not in_code
        if char == "|" and not in_code:
            cells.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    cells.append("".join(current))
    if cells and not cells[0].strip() and line.startswith("|"):
        cells = cells[1:]
    if cells and not cells[-1].strip() and line.endswith("|") and not line.endswith("\\|"):
        cells = cells[:-1]
    return [cell.strip() for cell in cells]


def is_bold(cell: str) -> bool:
    stripped = cell.strip()
    return bool(re.fullmatch(r"(\*\*|__).+\1:?", stripped)
                or re.fullmatch(r"<(b|strong)>.+</\1>", stripped, re.IGNORECASE))


def heading_text(line: str) -> str | None:
    """The text of a Markdown heading line (ATX or HTML), else None."""
    match = _ATX.match(line) or _HTML_HEADING.match(line)
    return inline_text(match.group(1)) if match else None


def read_markdown_tables(text: str, name: str = "") -> list[Grid]:
    """Every pipe table of a Markdown text, with the line of each row and the heading above it."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    grids: list[Grid] = []
    heading = ""
    in_fence = False
    index = 0
    while index < len(lines):
        line = lines[index]
        if _FENCE.match(line):
            in_fence = not in_fence
            index += 1
            continue
        if in_fence:
            index += 1
            continue
        found = heading_text(line)
        if found is not None:
            heading = found
        elif index + 1 < len(lines) and lines[index + 1].strip() and re.fullmatch(r"\s*(=+|-+)\s*", lines[index + 1]) \
                and line.strip() and "|" not in line:
            heading = inline_text(line)
        below = lines[index + 1] if index + 1 < len(lines) else ""
        if "|" in line and _DELIMITER_ROW.match(below) and "-" in below:
            block = [(index + 1, line)]
            end = index + 2
            while end < len(lines) and lines[end].strip() and "|" in lines[end] and not _FENCE.match(lines[end]):
                block.append((end + 1, lines[end]))
                end += 1
            grids.append(_markdown_grid(block, len(grids) + 1, heading, name))
            index = end
            continue
        index += 1
    return grids


def _markdown_grid(block: list[tuple[int, str]], number: int, heading: str, name: str) -> Grid:
    rows: list[list[str]] = []
    numbers: list[int] = []
    emphasised: set[int] = set()
    for line_number, line in block:
        raw = split_row(line)
        if raw and is_bold(raw[0]) and not any(cell.strip() for cell in raw[1:]):
            emphasised.add(len(rows))
        rows.append([inline_text(cell) for cell in raw])
        numbers.append(line_number)
    label = f"table {number} (line {block[0][0]})" + (f" under '{heading}'" if heading else "")
    return Grid(f"{name}: {label}" if name else label, rows, "markdown", lines=numbers, emphasised=emphasised,
                heading=heading)
