"""Files of every earlier schema open in today's, after a backup of the file as it was."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from gtm_tui.data import backups
from gtm_tui.data.check import problems
from gtm_tui.data.migrations import MIGRATIONS, upgrade
from gtm_tui.data.model import REVIEW_QUESTIONS, Person, Question
from gtm_tui.data.storage import SCHEMA, WorkspaceFileError, read_file, schema_of
from gtm_tui.data.workspace import Workspace

# Schema 0: no questions table, no created_at / updated_at stamps, empty tables left out.
SCHEMA_0 = {
    "meta": {"workspace": {"app": "gtm-tui", "schema": 0, "app_version": "0.0.1"}},
    "pilot": {"0a0a0a0a0a0a": {"id": "0a0a0a0a0a0a", "name": "Old pilot", "status": "running", "lead_id": "0b0b0b0b0b0b"}},
    "people": {"0b0b0b0b0b0b": {"id": "0b0b0b0b0b0b", "name": "Dana Levi", "role": "Lead"}},
    "stages": {"0c0c0c0c0c0c": {"id": "0c0c0c0c0c0c", "name": "Brief", "position": 0, "owner_id": "0b0b0b0b0b0b"}},
}


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    path = tmp_path / "old.json"
    path.write_bytes(orjson.dumps(SCHEMA_0))
    return path


def test_every_earlier_schema_has_a_migration():
    assert sorted(MIGRATIONS) == list(range(SCHEMA))


def test_upgrade_from_schema_0_gives_a_sound_workspace_and_leaves_the_input_alone():
    upgraded = upgrade(SCHEMA_0)
    assert schema_of(upgraded) == SCHEMA and schema_of(SCHEMA_0) == 0
    assert problems(upgraded) == []
    assert sorted(q["text"] for q in upgraded["questions"].values()) == sorted(REVIEW_QUESTIONS)
    assert all(r["created_at"] and r["updated_at"] for t in ("pilot", "people", "stages") for r in upgraded[t].values())
    assert "questions" not in SCHEMA_0


def test_opening_an_old_file_backs_it_up_first_then_upgrades_it(old_file: Path):
    original = old_file.read_bytes()
    workspace = Workspace.open(old_file)
    assert workspace.pilot().name == "Old pilot"
    assert [p.name for p in workspace.all(Person)] == ["Dana Levi"]
    assert workspace.count(Question) == len(REVIEW_QUESTIONS)
    assert schema_of(read_file(old_file)) == SCHEMA
    made = backups.list_backups(old_file)
    assert [p.name for p in made] == ["old.2026-11-18.100000.before-schema-0-to-1.json"]
    assert made[0].read_bytes() == original
    workspace.add(Person(name="Bo"))  # and it works as any other file
    assert problems(read_file(old_file)) == []


def test_a_schema_without_a_migration_is_refused_and_untouched(tmp_path: Path):
    path = tmp_path / "odd.json"
    odd = {**SCHEMA_0, "meta": {"workspace": {"app": "gtm-tui", "schema": -1}}}
    path.write_bytes(orjson.dumps(odd))
    with pytest.raises(WorkspaceFileError, match="no way to upgrade a schema -1 file"):
        Workspace.open(path)
    assert orjson.loads(path.read_bytes()) == odd
