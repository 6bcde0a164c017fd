"""Records of the wrong type (a hand edit, another tool, another version): refused cleanly, never a traceback."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path

import orjson
import pytest

from gtm_tui.cli.main import main
from gtm_tui.data import model
from gtm_tui.data.model import (
    KIND_BY_TABLE,
    RECORD_KINDS,
    Person,
    Stage,
    Theme,
    record_type_problems,
    type_problems,
)
from gtm_tui.data.storage import WorkspaceFileError
from gtm_tui.data.workspace import Workspace


def first_id(path: Path, table: str) -> str:
    return next(iter(orjson.loads(path.read_bytes())[table]))


def confuse(path: Path, table: str, field: str, value) -> str:
    tables = orjson.loads(path.read_bytes())
    record_id = next(iter(tables[table]))
    tables[table][record_id][field] = value
    path.write_bytes(orjson.dumps(tables))
    return record_id


# (table, field, value, what the message says about it)
CONFUSIONS = [
    ("stages", "position", "first", "'first' is not a whole number"),
    ("people", "name", 5, "5 is not text"),
    ("themes", "votes", ["x"], "['x'] is not an object"),
    ("checkins", "attendee_ids", [{"id": "aaaaaaaaaaaa"}], "is not text"),
    (
        "work_items",
        "time_log",
        [{"at": "2026-11-02T09:00:00+00:00", "minutes": "lots"}],
        "minutes: 'lots' is not a number",
    ),
    ("work_items", "stage_history", [{"entered_at": "2026-11-02T09:00:00+00:00"}], "has no stage_id"),
    ("action_items", "links", ["stages"], "is not an object"),
    ("pilot", "dot_limit", True, "True is not a whole number"),
]


@pytest.mark.parametrize("table, field, value, reason", CONFUSIONS, ids=[f"{c[0]}.{c[1]}" for c in CONFUSIONS])
def test_check_fails_and_every_command_refuses_cleanly(demo_file: Path, table, field, value, reason, capsys, tmp_path):
    record_id = confuse(demo_file, table, field, value)
    before = demo_file.read_bytes()
    label = field.replace("_", " ")

    assert main(["check", str(demo_file)]) == 1
    err = capsys.readouterr().err
    assert f"{table} {record_id}: {label}: " in err and reason in err and "Traceback" not in err

    with pytest.raises(WorkspaceFileError, match=rf"{table} {record_id}: {label}: .*gtm-tui check"):
        Workspace.open(demo_file)

    for argv in ([str(demo_file)],  # the app itself: one line on stderr, the app never starts
                 ["export", str(demo_file), "-f", "md", "-o", str(tmp_path / "out.md")],
                 ["merge", "--into", str(demo_file)],
                 ["merge", str(demo_file), str(demo_file), str(demo_file)]):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert f"{table} {record_id}" in err and "Traceback" not in err
    assert demo_file.read_bytes() == before  # never written


def test_a_teammates_save_with_a_confused_record_is_refused_and_memory_keeps_the_last_good_file(workspace: Workspace):
    ann = workspace.add(Person(name="Ann"))
    confuse(workspace.path, "people", "name", ["Ann"])
    with pytest.raises(WorkspaceFileError, match=f"people {ann.id}: name:"):
        workspace.reload_if_changed()
    assert [p.name for p in workspace.all(Person)] == ["Ann"]
    with pytest.raises(Exception, match="your change was not saved"):
        workspace.add(Stage(name="Draft"))


def test_an_upgraded_old_file_with_confused_records_is_refused_after_one_backup(tmp_path: Path):
    path = tmp_path / "old.json"
    path.write_bytes(orjson.dumps({
        "meta": {"workspace": {"app": "gtm-tui", "schema": 0}},
        "pilot": {"aaaaaaaaaaaa": {"id": "aaaaaaaaaaaa", "name": "Old"}},
        "themes": {"bbbbbbbbbbbb": {"id": "bbbbbbbbbbbb", "name": "T", "votes": 3}},
    }))
    before = path.read_bytes()
    for _ in range(3):
        with pytest.raises(WorkspaceFileError, match="themes bbbbbbbbbbbb: votes"):
            Workspace.open(path)
    assert path.read_bytes() == before
    assert main(["check", str(path)]) == 1


def test_a_sound_file_still_checks_ok(demo_file: Path, capsys):
    assert main(["check", str(demo_file)]) == 0
    assert Workspace.open(demo_file).all(Theme)


def _field_by_field(tables: dict) -> list[str]:
    """What ``type_problems`` says, worked out record by record and field by field (no shortcut)."""
    found = []
    for table, kind in KIND_BY_TABLE.items():
        for key, data in (tables.get(table) or {}).items():
            for name, reason in record_type_problems(kind, data):
                where = f"{table} {key}: {name.replace('_', ' ')}" if name else f"{table} {key}"
                found.append(f"{where}: {reason}")
    return found


def test_records_shaped_like_a_sound_one_are_still_looked_into(demo_file: Path):
    """Vetting skips the fields of a record shaped like one found sound (same fields, same value types),
    but never what its lists and objects hold: every confusion is found, with the same words."""
    tables = orjson.loads(demo_file.read_bytes())
    items = list(tables["work_items"].values())
    sound = items[0]
    history = dict(sound, id="aaaaaaaaaaa1", stage_history=[{"entered_at": "2026-11-02T09:00:00+00:00"}])
    minutes = dict(sound, id="aaaaaaaaaaa2", time_log=[{"at": "2026-11-02T09:00:00+00:00", "minutes": "lots"}])
    tags = dict(sound, id="aaaaaaaaaaa3", tags=[5])
    title = dict(sound, id="aaaaaaaaaaa4", title=7)  # another shape: checked field by field
    for record in (history, minutes, tags, title):
        tables["work_items"][record["id"]] = record
    found = type_problems(tables)
    assert found == _field_by_field(tables)
    assert [line.split(":")[0] for line in found] == [f"work_items {r['id']}" for r in (history, minutes, tags, title)]
    assert type_problems(orjson.loads(demo_file.read_bytes())) == []


def test_field_types_are_read_as_typing_reads_them():
    for kind in RECORD_KINDS:
        hints = typing.get_type_hints(kind)
        assert {f.name: model._hint(f) for f in dataclasses.fields(kind)} == {f.name: hints[f.name]
                                                                             for f in dataclasses.fields(kind)}
