"""Retro notes as teams keep them, read into sections of cards.

- A Markdown retro: headings of any level (``#``, underlined, ``<h3>``, a
  line in bold, "What went well:") with bullets under them; nested bullets
  stay with their parent; paragraphs are notes too; a table whose columns are
  retro columns is read as a board. YAML front matter, HTML comments and code
  blocks are left out; so are template bullets ("[Positive achievement]").
- A retro board export with one column per board column (cards top-down,
  ragged columns, votes written "(+2)" or "(3)", an author prefix): CSV or a
  workbook's first sheet.
- A list export with a row per card: Parabol's CSV (``reflectionGroup,
  author, votes, type, createdAt, discussionThread, prompt, content``) or any
  CSV with a column/category and a text column.

Each source gives ``Section``s (a heading and its cards) and the lines it
skipped, with where they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from gtm_tui.data.model import Person
from gtm_tui.io.grids import Grid, heading_text, read_markdown_tables
from gtm_tui.io.people_names import match_person
from gtm_tui.io.raci_codes import fold
from gtm_tui.io.retro_notes import Card, action_marked, heading_clean, intent_of, read_card

PARABOL = ("reflectiongroup", "prompt", "content")
RETRO_INTENTS = ("went_well", "obstacles", "change", "actions", "lessons")
CATEGORY_HEADERS = ("column", "category", "section", "prompt", "list", "lane", "bucket", "type", "column name",
                    "column title", "kind", "categoria", "columna")
TEXT_HEADERS = ("text", "content", "card", "note", "message", "item", "description", "idea", "feedback", "comment",
                "card text", "title", "texto", "contenido")
VOTE_HEADERS = ("votes", "vote", "vote count", "votecount", "likes", "upvotes", "+1", "points", "dots", "votos")
AUTHOR_HEADERS = ("author", "by", "created by", "createdby", "user", "name", "owner", "autor", "person")
GROUP_HEADERS = ("reflectiongroup", "group", "topic", "cluster", "theme", "grupo", "tema")


@dataclass
class Section:
    """A heading (or board column) and the cards under it."""

    heading: str
    where: str
    cards: list[Card] = field(default_factory=list)


@dataclass
class RetroSource:
    """A retro file read: its sections, how it was read, and what was left out."""

    kind: str  # "Markdown retro", "retro board", "Parabol export", "card list"
    sections: list[Section] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def section(self, heading: str, where: str) -> Section:
        for section in self.sections:
            if fold(section.heading) == fold(heading):
                return section
        section = Section(heading, where)
        self.sections.append(section)
        return section


# -- Markdown ---------------------------------------------------------------------------

_BULLET = re.compile(r"^(\s*)(?:[-*+•●▪◦‣]|\d{1,3}[.)])\s+(.*)$")
_FRONT_MATTER = re.compile(r"\A---\s*\n.*?\n(---|\.\.\.)\s*\n", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_SETEXT = re.compile(r"^\s*(=+|-+)\s*$")
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(.+?)\1\s*:?\s*$")


@dataclass
class _Item:
    indent: int
    text: str
    line: int
    children: list[tuple[int, str]] = field(default_factory=list)  # (line, text) of the bullets under it


def read_markdown_retro(text: str, name: str, people: Sequence[Person]) -> RetroSource:
    """Sections of a Markdown retro; the text before the first heading, and meta sections, are listed as skipped."""
    source = RetroSource("Markdown retro")
    front = _FRONT_MATTER.match(text)
    offset = text[: front.end()].count("\n") if front else 0
    body = text[front.end():] if front else text
    body = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), body)
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    tables = {grid.lines[0]: grid for grid in read_markdown_tables(body, name)}
    current: Section | None = None
    intro: list[int] = []
    items: list[_Item] = []
    paragraph: list[tuple[int, str]] = []
    in_fence = False

    def where(line: int) -> str:
        return f"{name} line {line + offset}"

    def flush() -> None:
        nonlocal items, paragraph
        if current is not None:
            for item in items:
                actions = [(line, child) for line, child in item.children if action_marked(child) is not None]
                children = [child for _, child in item.children if action_marked(child) is None]
                card = read_card(item.text, where(item.line), people, action=intent_of(current.heading) == "actions",
                                 children=children)
                if card is None:
                    source.skipped.append(f"{where(item.line)}: template or empty bullet")
                else:
                    current.cards.append(card)
                for line, child in actions:  # "[Action Item] …" under a note: an action of its own
                    found = read_card(child, where(line), people, action=True)
                    if found is not None:
                        found.found.append("an action noted under another note")
                        current.cards.append(found)
            if paragraph:
                joined = " ".join(text for _, text in paragraph)
                card = read_card(joined, where(paragraph[0][0]), people, action=intent_of(current.heading) == "actions")
                if card is not None:
                    current.cards.append(card)
        elif items or paragraph:
            intro.extend([item.line for item in items] + [line for line, _ in paragraph])
        items, paragraph = [], []

    skip_until = -1
    for index, line in enumerate(lines):
        number = index + 1
        if number <= skip_until:
            continue
        if re.match(r"^\s*(```|~~~)", line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if number in tables:
            flush()
            grid = tables[number]
            skip_until = grid.lines[-1]
            _markdown_table(source, grid, current, people, name, offset)
            continue
        heading = _heading(lines, index)
        if heading is not None:
            flush()
            current = source.section(heading_clean(heading), where(number)) if heading_clean(heading) else current
            if index + 1 < len(lines) and _SETEXT.match(lines[index + 1]) and heading_text(line) is None:
                skip_until = number + 1
            continue
        if not line.strip() or _RULE.match(line):
            if paragraph:
                flush()
            continue
        bullet = _BULLET.match(line.expandtabs(4))
        if bullet:
            if paragraph:
                flush()
            indent = len(bullet.group(1))
            parent = next((item for item in reversed(items) if item.indent < indent), None)
            if parent is not None and indent > items[0].indent:
                parent.children.append((number, bullet.group(2)))
            else:
                items.append(_Item(indent, bullet.group(2), number))
            continue
        if items and (line.startswith((" ", "\t"))):
            last = items[-1]
            if last.children:
                line_of, text_of = last.children[-1]
                last.children[-1] = (line_of, f"{text_of} {line.strip()}")
            else:
                last.text += " " + line.strip()
            continue
        if items:
            flush()
        paragraph.append((number, line.strip()))
    flush()
    if intro:
        first_line, last_line = intro[0] + offset, intro[-1] + offset
        span = f"line {first_line}" if first_line == last_line else f"lines {first_line}–{last_line}"
        source.skipped.append(f"{name} {span}: before the first heading (a title or intro), not notes")
    return source


def _heading(lines: list[str], index: int) -> str | None:
    """The heading on this line: ``#``, ``<h2>``, underlined, a bold line, or a short "…:" line above a list."""
    line = lines[index]
    found = heading_text(line)
    if found is not None:
        return found
    following = next((text for text in lines[index + 1:] if text.strip()), "")
    if index + 1 < len(lines) and _SETEXT.match(lines[index + 1]) and line.strip() and not _BULLET.match(line) \
            and "|" not in line:
        return line.strip()
    bold = _BOLD_LINE.match(line)
    if bold and not _BULLET.match(line):
        return bold.group(2)
    stripped = line.strip()
    above_a_list = stripped and not _BULLET.match(line) and _BULLET.match(following) and not line.startswith(" ")
    titled = stripped.endswith((":", "：")) or intent_of(stripped) in RETRO_INTENTS
    if above_a_list and len(stripped) <= 60 and titled:
        return stripped
    return None


def _markdown_table(source: RetroSource, grid: Grid, current: Section | None, people: Sequence[Person],
                    name: str, offset: int) -> None:
    """A table in a retro: a board when its columns are retro columns, else each row a note of the section."""
    header = grid.rows[0] if grid.rows else []
    intents = [intent_of(cell) for cell in header]
    if "meta" in intents:
        source.skipped.append(f"{grid.name}: a table of scores, metrics or people, not notes")
        return
    if sum(1 for intent in intents if intent and intent != "meta") >= 2:
        _board(source, grid, 0, people, lambda r, c: f"{name} line {grid.lines[r] + offset}")
        return
    if current is None or intent_of(current.heading) == "meta":
        source.skipped.append(f"{grid.name}: a table outside the retro sections, not read")
        return
    for row in range(1, len(grid.rows)):  # row 0 is the header (the delimiter row is not kept)
        cells = [cell for cell in grid.rows[row] if cell]
        if not cells:
            continue
        card = read_card(" — ".join(cells), f"{name} line {grid.lines[row] + offset}", people,
                         action=intent_of(current.heading) == "actions")
        if card is not None:
            current.cards.append(card)


# -- boards: one column per board column ----------------------------------------------------


def _board(source: RetroSource, grid: Grid, header: int, people: Sequence[Person],
           where: Callable[[int, int], str] | None) -> None:
    columns = [(column, heading_clean(grid.cell(header, column))) for column in range(grid.width)]
    empty_headers = [column for column, title in columns if not title]
    for column, title in columns:
        if not title:
            continue
        section = source.section(title, f"column {column + 1}")
        action = intent_of(title) == "actions"
        for row in range(header + 1, len(grid.rows)):
            text = grid.cell(row, column)
            if not text:
                continue
            card = read_card(text, _cell_where(grid, row, column, where), people, action=action)
            if card is None:
                source.skipped.append(f"{_cell_where(grid, row, column, where)}: template or empty card")
            else:
                section.cards.append(card)
    for column in empty_headers:
        if any(grid.cell(row, column) for row in range(header + 1, len(grid.rows))):
            source.skipped.append(f"column {column + 1} has cards but no title; not read")


def _cell_where(grid: Grid, row: int, column: int, where: Callable[[int, int], str] | None) -> str:
    return where(row, column) if where is not None else f"{grid.name} {grid.address(row, column)}"


def read_board(grid: Grid, people: Sequence[Person]) -> RetroSource:
    """A board export: the first filled row names the columns, the cards run down below each."""
    source = RetroSource("retro board")
    header = next((r for r, row in enumerate(grid.rows) if any(row)), None)
    if header is None:
        return source
    if header:
        source.skipped.append(f"{grid.name} rows 1–{header}: above the column titles, not read")
    _board(source, grid, header, people, None)
    return source


# -- lists: a row per card (Parabol and the like) ---------------------------------------------


def _column(header: list[str], names: Sequence[str]) -> int | None:
    folded = [re.sub(r"[\s_-]+", " ", fold(cell)) for cell in header]
    for name in names:
        if name in folded:
            return folded.index(name)
    return None


def is_card_list(header: list[str]) -> bool:
    """A header with a row per card: Parabol's, or a category column and a text column."""
    folded = {re.sub(r"[\s_-]+", "", fold(cell)) for cell in header}
    if set(PARABOL) <= folded:
        return True
    return _column(header, CATEGORY_HEADERS) is not None and _column(header, TEXT_HEADERS) is not None


def read_card_list(grid: Grid, people: Sequence[Person]) -> RetroSource:
    """Rows of cards: Parabol's reflections (themes, votes per group), tasks as actions, comments as live notes."""
    header_row = next((r for r, row in enumerate(grid.rows) if any(row)), 0)
    header = grid.rows[header_row] if grid.rows else []
    compact = [re.sub(r"[\s_-]+", "", fold(cell)) for cell in header]
    parabol = set(PARABOL) <= set(compact)
    source = RetroSource("Parabol export" if parabol else "card list")
    category = _column(header, ("prompt",) if parabol else CATEGORY_HEADERS)
    text_column = _column(header, ("content",) if parabol else TEXT_HEADERS)
    votes_column = _column(header, VOTE_HEADERS)
    author_column = _column(header, AUTHOR_HEADERS)
    group_column = compact.index("reflectiongroup") if "reflectiongroup" in compact else _column(header, GROUP_HEADERS)
    type_column = compact.index("type") if parabol and "type" in compact else None
    prompt_of_group: dict[str, str] = {}
    pending: list[tuple[int, str, str]] = []  # comments whose group's prompt is known only later
    for row in range(header_row + 1, len(grid.rows)):
        cells = grid.rows[row]
        if not any(cells):
            continue
        where = f"{grid.name} {grid.row_name(row)}"
        kind = fold(grid.cell(row, type_column)) if type_column is not None else "reflection"
        text = grid.cell(row, text_column) if text_column is not None else ""
        group = grid.cell(row, group_column) if group_column is not None else ""
        prompt = grid.cell(row, category) if category is not None else ""
        author = grid.cell(row, author_column) if author_column is not None else ""
        if not text:
            source.skipped.append(f"{where}: no text")
            continue
        if parabol and kind == "task":
            section = source.section("Action items", where)
            card = read_card(text, where, people, action=True)
            if card is not None:
                if card.owner is None and not card.owner_named and author and fold(author) != "anonymous":
                    _parabol_owner(card, author, people)
                card.group = group
                section.cards.append(card)
            continue
        if parabol and kind in ("comment", "reply"):
            pending.append((row, text, group))
            continue
        if not prompt:
            source.skipped.append(f"{where}: no column / prompt")
            continue
        if group and group not in prompt_of_group:
            prompt_of_group[group] = prompt
        card = read_card(text, where, people, action=intent_of(prompt) == "actions")
        if card is None:
            source.skipped.append(f"{where}: template or empty card")
            continue
        if author and fold(author) != "anonymous" and card.author is None:
            person = match_person(author, people)
            if person is not None:
                card.author = person
                card.found.append(f"by {person.name}")
        if votes_column is not None:
            card.votes = _number(grid.cell(row, votes_column)) or card.votes
        card.group = group
        source.section(heading_clean(prompt) or prompt, where).cards.append(card)
    for row, text, group in pending:
        where = f"{grid.name} {grid.row_name(row)}"
        group_prompt = prompt_of_group.get(group)
        if group_prompt is None:
            source.skipped.append(f"{where}: a comment on '{group}', which has no reflections here")
            continue
        card = read_card(text, where, people)
        if card is not None:
            author = grid.cell(row, author_column) if author_column is not None else ""
            person = match_person(author, people) if author else None
            if person is not None:
                card.author = person
            card.group, card.live = group, True
            card.found.append("said in the discussion")
            source.section(heading_clean(group_prompt) or group_prompt, where).cards.append(card)
    return source


def _parabol_owner(card: Card, author: str, people: Sequence[Person]) -> None:
    person = match_person(author, people)
    if person is not None:
        card.owner = person
        card.found.append(f"owner {person.name} (who wrote the task)")
    else:
        card.owner_named = author
        card.found.append(f"owner '{author}' is not on the team: kept in the action's note")


def _number(text: str) -> int:
    match = re.search(r"\d+", text or "")
    return int(match.group(0)) if match else 0


def sniff_retro_text(text: str) -> bool:
    """Whether a text reads as retro notes: a section about what went well, obstacles, changes or actions."""
    return any(intent_of(section.heading) in RETRO_INTENTS and section.cards
               for section in read_markdown_retro(text[:200_000], "", []).sections)


def retro_header(grid: Grid) -> bool:
    """Whether a grid's first filled row names retro columns (or is a card list)."""
    header = next((row for row in grid.rows if any(row)), [])
    if is_card_list(header):
        return True
    intents = [intent_of(cell) for cell in header if cell]
    return sum(1 for intent in intents if intent and intent != "meta") >= max(1, len(intents) // 2)

