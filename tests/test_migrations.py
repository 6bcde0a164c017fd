"""Files of every earlier schema open in today's, after a backup of the file as it was."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from gtm_tui.data import backups
from gtm_tui.data.check import problems
from gtm_tui.data.migrations import MIGRATIONS, upgrade
from gtm_tui.data.model import REVIEW_QUESTIONS, ChecklistItem, Person, Question, Run, Step
from gtm_tui.data.storage import SCHEMA, WorkspaceFileError, read_file, schema_of
from gtm_tui.data.workspace import Workspace

# Schema 0: no questions table, no created_at / updated_at stamps, empty tables left out.
SCHEMA_0 = {
    "meta": {"workspace": {"app": "gtm-tui", "schema": 0, "app_version": "0.0.1"}},
    "pilot": {
        "0a0a0a0a0a0a": {"id": "0a0a0a0a0a0a", "name": "Old pilot", "status": "running", "lead_id": "0b0b0b0b0b0b"}
    },
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
    assert [p.name for p in made] == [f"old.2026-11-18.100000.before-schema-0-to-{SCHEMA}.json"]
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


# --------------------------------------------------------------------------
# Schema 1 -> 2: runs (tested on a copy of the schema-1 demo, as it was committed)

SCHEMA_1_DEMO = Path(__file__).resolve().parent / "fixtures" / "demo-pilot-schema1.json"


def test_the_schema_1_demo_is_upgraded_with_every_record_and_every_tick_kept(tmp_path: Path):
    path = tmp_path / "demo.json"
    path.write_bytes(SCHEMA_1_DEMO.read_bytes())
    before = orjson.loads(SCHEMA_1_DEMO.read_bytes())
    assert before["meta"]["workspace"]["schema"] == 1
    workspace = Workspace.open(path)
    after = read_file(path)
    assert schema_of(after) == SCHEMA and problems(after) == []
    # Every record of every table is still there, every field with its value.
    for table, records in before.items():
        if table == "meta":
            continue
        assert after[table].keys() == records.keys(), table
        for record_id, record in records.items():
            kept = after[table][record_id]
            assert {name: kept[name] for name in record} == record, (table, record_id)
    # Each checklist item is now a step of its stage, and a step of the stage's own run.
    items = before["checklist_items"]
    steps = workspace.all(Step)
    assert len(steps) == len(items)
    runs = workspace.all(Run)
    assert {run.stage_id for run in runs} == {item["stage_id"] for item in items.values()}
    assert all(run.work_item_id is None and run.open for run in runs)
    by_id = {step.id: step for step in steps}
    for step in workspace.all(ChecklistItem):
        old = items[step.id]
        copied = by_id[step.step_id]
        assert (copied.stage_id, copied.text, copied.position, copied.owner_id, copied.approval) == (
            old["stage_id"], old["text"], old["position"], old["owner_id"], old["approval"])
        run = workspace.get(Run, step.run_id)
        assert run.stage_id == old["stage_id"] and step.work_item_id is None
    assert [p.name for p in backups.list_backups(path)] == ["demo.2026-11-18.100000.before-schema-1-to-2.json"]


def test_two_copies_upgraded_apart_get_the_same_new_records():
    tables = orjson.loads(SCHEMA_1_DEMO.read_bytes())
    first, second = upgrade(tables), upgrade(tables)
    assert first["steps"] == second["steps"] and first["runs"] == second["runs"]
    assert first["checklist_items"] == second["checklist_items"]


def test_a_schema_1_item_whose_stage_is_gone_stays_as_it_was_for_check_to_name():
    tables = orjson.loads(SCHEMA_1_DEMO.read_bytes())
    item_id, item = next(iter(tables["checklist_items"].items()))
    item["stage_id"] = "ffffffffffff"
    upgraded = upgrade(tables)
    assert "run_id" not in upgraded["checklist_items"][item_id]
    assert any("missing stages ffffffffffff" in problem for problem in problems(upgraded))
