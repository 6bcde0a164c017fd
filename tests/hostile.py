"""Hostile text for the tests: escape sequences and Rich markup written straight into a workspace file.

``HOSTILE`` carries the attacks from the field: OSC 52 (writes the
clipboard), OSC 0 (renames the window), ``ESC[2J`` (clears the screen), an
OSC 8 hyperlink in disguise, a C1 CSI, a NUL, and Rich markup that would crash
(``[/]``) or style (``[bold red]…[/]``) when parsed. ``poison`` writes it into
the file as a teammate's other tool (or an old version) could: past the app's
validation.
"""

from __future__ import annotations

import json
from pathlib import Path

OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
OSC0 = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"
OSC8 = "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\"
MARKUP = "[/] [bold red]loud[/]"
HOSTILE = f"{OSC52}{OSC0}{CLEAR}{OSC8}\x9b31m\x00{MARKUP}"
# Byte sequences none of which may reach the terminal (or an export) from the data.
ATTACKS = ("\x1b]52", "]52;c;ZWNobyBwd25lZA==\x07", "\x1b]0;", "\x1b[2J", "\x1b]8;", "\x9b", "\x00", "pwned\x07")

# table -> the free-text fields a person types (and an import fills)
TEXT_FIELDS = {
    "pilot": ("name", "campaign", "goal", "channel"),
    "people": ("name", "role", "team", "contact"),
    "stages": ("name", "prerequisites", "bottleneck", "today_note"),
    "handoffs": ("what", "note"),
    "checklist_items": ("text", "note", "blocked"),
    "templates": ("name",),
    "work_items": ("title",),
    "raci": ("activity",),
    "questions": ("text",),
    "feedback": ("text",),
    "themes": ("name",),
    "action_items": ("title", "note"),
    "recommendations": ("text",),
    "checkins": ("notes",),
}


def poison(path: Path, tables: dict[str, tuple[str, ...]] | None = None, label: str = "Eve") -> dict[str, str]:
    """Write ``label`` + HOSTILE into the first record of each table's fields; return {table: id} of the records."""
    data = json.loads(path.read_text(encoding="utf-8"))
    touched = {}
    for table, fields in (tables or TEXT_FIELDS).items():
        records = data.get(table) or {}
        if not records:
            continue
        record_id = min(records) if table != "pilot" else next(iter(records))
        record = records[record_id]
        for name in fields:
            record[name] = f"{label} {name}{HOSTILE}"
        touched[table] = record_id
        if table == "work_items":
            for field in ("feedback_cycles", "clarifications", "time_log"):
                for entry in record.get(field, [])[:1]:
                    entry["note"] = f"{label} note{HOSTILE}"
        if table == "checkins":
            for blocker in record.get("blockers", [])[:1]:
                blocker["note"] = f"{label} blocker{HOSTILE}"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return touched


def leaks(text: str) -> list[str]:
    """The attacks found in ``text`` (empty when every one was made inert)."""
    return [attack for attack in ATTACKS if attack in text]
