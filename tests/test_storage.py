"""The file on disk: atomic, stable, and never overwritten when it is not ours."""

from __future__ import annotations

import gc
import os
import random
from pathlib import Path

import orjson
import pytest

from gtm_tui.data import storage
from gtm_tui.data.model import Person
from gtm_tui.data.storage import SCHEMA, SaveError, WorkspaceFileError, read_file
from gtm_tui.data.workspace import Workspace


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b"{not json", "is not valid JSON"),
        (b'{"_default": {"1": {"a": 1}}}', "not a gtm-tui workspace"),
        (b"[1, 2, 3]", "not a gtm-tui workspace"),
        (b'{"meta": {"workspace": {"app": "other", "schema": 1}}}', "not a gtm-tui workspace"),
        (b'{"meta": {"workspace": {"app": "gtm-tui", "schema": 1}}, "people": {"x": 3}}', "damaged"),
    ],
)
def test_foreign_files_are_refused_and_untouched(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "pilot.json"
    path.write_bytes(content)
    with pytest.raises(WorkspaceFileError, match=message):
        Workspace.open(path)
    assert path.read_bytes() == content


def test_newer_schema_is_refused_with_a_clear_message(empty_file: Path):
    tables = orjson.loads(empty_file.read_bytes())
    tables["meta"]["workspace"]["schema"] = SCHEMA + 1
    empty_file.write_bytes(orjson.dumps(tables))
    before = empty_file.read_bytes()
    with pytest.raises(WorkspaceFileError, match="newer gtm-tui"):
        Workspace.open(empty_file)
    assert empty_file.read_bytes() == before


def test_file_is_stable_sorted_indented_and_keyed_by_record_id(workspace: Workspace):
    ann = workspace.add(Person(name="Ann"))
    text = workspace.path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    assert f'"{ann.id}": {{' in text
    tables = orjson.loads(text)
    assert list(tables) == sorted(tables)
    assert storage.dump(tables) == text.encode()  # writing it again changes nothing


@pytest.mark.parametrize("fail_at", ["write", "fsync", "replace"])
def test_an_interrupted_save_leaves_the_previous_file_whole(workspace: Workspace, monkeypatch, fail_at: str):
    workspace.add(Person(name="Ann"))
    before = workspace.path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if fail_at == "write":
        monkeypatch.setattr(
            storage.TableBytes,
            "dump",
            lambda self, tables, changed=None: (_ for _ in ()).throw(OSError(28, "No space left on device")),
        )
    elif fail_at == "fsync":
        monkeypatch.setattr(storage.os, "fsync", crash)
    else:
        monkeypatch.setattr(storage.os, "replace", crash)
    with pytest.raises(SaveError, match="the file is as it was"):
        workspace.add(Person(name="Bo"))
    monkeypatch.undo()
    assert workspace.path.read_bytes() == before
    assert read_file(workspace.path)  # still a valid workspace
    assert [p.name for p in workspace.all(Person)] == ["Ann"]  # memory matches the disk again
    assert not [f for f in os.listdir(workspace.path.parent) if f.endswith(".tmp")]  # no temp left behind


def test_a_change_by_someone_else_is_noticed(empty_file: Path):
    mine, theirs = Workspace.open(empty_file), Workspace.open(empty_file)
    theirs.add(Person(name="Teammate"))
    assert mine.reload_if_changed() is True
    assert [p.name for p in mine.all(Person)] == ["Teammate"]
    assert mine.reload_if_changed() is False


def test_a_save_serialises_only_the_tables_it_was_told_changed_and_writes_the_same_bytes():
    tables = {"meta": {"workspace": {"app": "gtm-tui"}}, "people": {"a": {"name": "Ann \"Q\" ünï 字\nline"}},
              "stages": {"s": {"name": "Brief", "list": [1, {"x": []}], "empty": {}}}, "themes": {}}
    parts = storage.TableBytes()
    assert parts.dump(tables) == storage.dump(tables)
    assert storage.TableBytes().dump({}) == storage.dump({})
    people = tables["people"]
    people["a"] = {"name": "Bo"}  # changed in place, and the caller says so: written anew
    assert parts.dump(tables, changed={"people"}) == storage.dump(tables)
    stale = parts.dump({**tables, "stages": dict(tables["stages"], t={"name": "New"})}, changed=set())
    assert b'"New"' in stale  # a table that is not the object written last time is never reused
    people["a"] = {"name": "Cy"}
    assert b'"Cy"' in parts.dump(tables)  # told nothing: everything is serialised again


def test_a_keystroke_save_serialises_only_the_records_it_touched(workspace: Workspace, monkeypatch):
    workspace.add(Person(name="Ann"))
    workspace.add(Person(name="Cy"))
    dumped: list[object] = []
    real = storage.orjson.dumps

    def counting(value, *args, **kwargs):
        if isinstance(value, dict):
            dumped.append(value)
        return real(value, *args, **kwargs)

    monkeypatch.setattr(storage.orjson, "dumps", counting)
    bo = workspace.add(Person(name="Bo"))
    # the meta table (rewritten on every save) and Bo's record: not the people table, not the other tables
    assert len(dumped) == 2 and dumped[1]["id"] == bo.id and "workspace" in dumped[0]
    assert storage.dump(read_file(workspace.path)) == workspace.path.read_bytes()




def test_records_patched_into_their_table_give_the_very_bytes_of_a_whole_dump():
    """Adds (first, middle, last), replacements and removals, one or many a save, in the tables
    named as changed or not: the bytes always equal ``dump``'s, until the table empties and fills again."""
    chance = random.Random(7)
    keys = ["0a", "1b", "ü", "ze", "字", "a\"q", "m"]

    def record(n: int) -> dict:
        return {"id": f"r{n}", "n": n, "text": "line \"q\" ünï", "list": [n, {"x": []}], "empty": {}}

    tables: dict = {"meta": {"workspace": {"app": "gtm-tui"}}, "people": {}, "stages": {"s": record(0)}}
    parts = storage.TableBytes()
    assert parts.dump(tables) == storage.dump(tables)
    for step in range(300):
        people = dict(tables["people"])  # a new table, as the Workspace makes; records are new dicts
        for _ in range(chance.choice((1, 1, 1, 2, 5, 40))):
            key = chance.choice(keys) + str(chance.randrange(20))
            if key in people and chance.random() < 0.4:
                del people[key]
            else:
                people[key] = record(step)
        tables["people"] = people
        told = chance.choice(({"people"}, None, {"people", "stages"}))
        assert parts.dump(tables, changed=told) == storage.dump(tables), step
    tables["people"]["zz"] = record(-1)  # changed in place (the table, not a record), said so: still exact
    assert parts.dump(tables, changed={"people"}) == storage.dump(tables)


def test_the_collector_is_held_off_only_while_a_file_is_read(demo_file: Path, tmp_path: Path):
    from gtm_tui.cli.open import open_workspace

    assert gc.isenabled()
    workspace = open_workspace(demo_file)
    gc.unfreeze()  # what the app keeps for good, this test process need not
    assert workspace.all(Person) and gc.isenabled()
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(WorkspaceFileError, match="not valid JSON"):
        open_workspace(broken)
    assert gc.isenabled()  # running again after a refusal too
    gc.disable()
    try:
        with storage.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # a caller's own pause is left as it was
    finally:
        gc.enable()
