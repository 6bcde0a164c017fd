"""What an import of someone else's file understood, for the preview and the command line.

A Trello board or our own workbook says plainly what each value is; a RACI
matrix drawn in a spreadsheet or retro notes written in a wiki do not. Their
importers return a ``ReviewedPlan``: the records to write (as any
``ImportPlan``) plus how the file was read, what had to be interpreted, what
could not be read (with its cell or line), what was skipped, the RACI
problems the result would have, and the mapping from the file's names to the
pilot's stages or questions — which the user can change before anything is
written (``--map`` on the command line, ``m`` in the preview).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from gtm_tui.io.importing import BadRow, ImportPlan, ReadOptions
from gtm_tui.io.raci_codes import fold


def loose(name: str) -> str:
    """A name compared loosely: case, accents, "&" and punctuation aside ("Idea & brief" = "idea and brief")."""
    return re.sub(r"[^\w]+", " ", fold(name).replace("&", " and ")).strip()


def mapping_pairs(items: Iterable[str] | Mapping[str, str] | None) -> dict[str, str]:
    """``["Their name=Our name", …]`` (``--map``, repeated) or a dict, as ``{their name: our name}``."""
    if not items:
        return {}
    if isinstance(items, Mapping):
        return {source.strip(): target.strip() for source, target in items.items()}
    pairs = {}
    for item in items:
        source, equals, target = item.partition("=")
        if not equals:
            raise BadRow("--map", f"'{item}' is not NAME=TARGET")
        if not source.strip():
            raise BadRow("--map", f"'{item}' names nothing before '='")
        pairs[source.strip()] = target.strip()
    return pairs


def parse_mapping(items: Iterable[str] | Mapping[str, str] | None) -> dict[str, str]:
    """The mapping as a lookup by the loosely compared name."""
    return {loose(source): target for source, target in mapping_pairs(items).items()}


@dataclass
class MappingLine:
    """One name in the file and what it becomes; ``choices`` are ``(shown, value for --map)``."""

    source: str
    becomes: str
    where: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ReviewedPlan(ImportPlan):
    """An ``ImportPlan`` that also says how the file was read."""

    fmt: str = ""
    path: str = ""
    options: ReadOptions = field(default_factory=ReadOptions)  # as read, the mapping as a dict
    read_as: list[str] = field(default_factory=list)
    interpreted: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    problems_title: str = "RACI problems after the import"
    mapping: list[MappingLine] = field(default_factory=list)
    mapping_title: str = "mapping"
    grid: tuple[list[str], list[list[str]]] | None = None  # the matrix (or notes) as understood

    def sections(self) -> list[tuple[str, list[str]]]:
        """The report as titled lists, only those with something in them."""
        found = [
            ("read as", self.read_as),
            (f"interpreted ({len(self.interpreted)})", self.interpreted),
            (f"cannot be read, left out ({len(self.unreadable)})", self.unreadable),
            ("skipped", self.skipped),
            (f"{self.mapping_title} (--map 'NAME=TARGET' to change)",
             [f"{line.source} → {line.becomes}" + (f" ({line.where})" if line.where else "")
              for line in self.mapping]),
            (f"{self.problems_title} ({len(self.problems)})", self.problems),
        ]
        return [(title, lines) for title, lines in found if lines]

    def report_lines(self) -> list[str]:
        """The report as indented text lines (the command line prints them after the summary)."""
        lines: list[str] = []
        for title, items in self.sections():
            lines.append(f"{title[0].upper()}{title[1:]}:")
            lines.extend(f"  {item}" for item in items)
        return lines
