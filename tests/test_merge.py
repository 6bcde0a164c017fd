"""Three-way merge by table, record id and field: the rules in gtm_tui/merge.py's docstring."""

from __future__ import annotations

import copy
from pathlib import Path

import orjson
import pytest

from gtm_tui.cli.main import main
from gtm_tui.data.changes import diff_tables, summary, teammate_message
from gtm_tui.data.check import problems
from gtm_tui.data.model import Conflict
from gtm_tui.data.storage import read_file
from gtm_tui.sharing.merge import find_conflict_copies, merge, two_way_base

DEMO = Path(__file__).resolve().parent.parent / "sample_data" / "demo-pilot.json"
LATER = "2026-11-18T12:00:00+00:00"
EARLIER = "2026-11-18T11:00:00+00:00"


@pytest.fixture
def base() -> dict:
    return orjson.loads(DEMO.read_bytes())


def edit(tables: dict, table: str, record_id: str, stamp: str = EARLIER, **fields) -> None:
    tables[table][record_id].update(fields, updated_at=stamp)


def first(tables: dict, table: str, n: int = 0) -> str:
    return sorted(tables[table])[n]


def test_changes_to_different_records_and_fields_merge_cleanly(base):
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    person, other = first(base, "people"), first(base, "people", 1)
    edit(ours, "people", person, role="Ours role")
    edit(theirs, "people", person, LATER, team="Their team")
    edit(theirs, "people", other, contact="@new")
    result = merge(base, ours, theirs)
    assert result.clean and result.notes == []
    merged = result.tables["people"]
    assert (merged[person]["role"], merged[person]["team"]) == ("Ours role", "Their team")
    assert merged[person]["updated_at"] == LATER
    assert merged[other]["contact"] == "@new"
    assert problems(result.tables) == []


def test_same_field_changed_on_both_sides_takes_the_later_and_keeps_the_loser(base):
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    person = first(base, "people")
    edit(ours, "people", person, LATER, role="Ours role")
    edit(theirs, "people", person, EARLIER, role="Their role")
    result = merge(base, ours, theirs)
    assert [(c.table, c.record_id, c.field, c.kept, c.losing, c.sides) for c in result.conflicts] == [
        ("people", person, "role", "Ours role", "Their role", "ours over theirs")
    ]
    assert result.tables["people"][person]["role"] == "Ours role"
    stored = result.tables[Conflict.TABLE]
    assert [Conflict.from_dict(c).losing for c in stored.values()] == ["Their role"]
    assert problems(result.tables) == []


def test_the_merge_is_deterministic_and_does_not_depend_on_which_side_is_ours(base):
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    person = first(base, "people")
    edit(ours, "people", person, LATER, role="A")
    edit(theirs, "people", person, LATER, role="B")  # same stamp: a fixed order of the values decides
    one, again, swapped = merge(base, ours, theirs), merge(base, ours, theirs), merge(base, theirs, ours)
    assert one.tables == again.tables
    assert one.tables["people"] == swapped.tables["people"]


def test_deleted_on_one_side_and_changed_on_the_other_is_kept_and_reported(base):
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    item = first(base, "checklist_items")
    del ours["checklist_items"][item]
    edit(theirs, "checklist_items", item, note="still needed")
    result = merge(base, ours, theirs)
    assert result.tables["checklist_items"][item]["note"] == "still needed"
    assert [(c.record_id, c.field, c.losing) for c in result.conflicts] == [(item, "", None)]
    assert any("deleted in ours" in note for note in result.notes)


def test_deleted_on_one_side_and_untouched_on_the_other_is_deleted(base):
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    item = first(base, "checklist_items")
    del theirs["checklist_items"][item]
    result = merge(base, ours, theirs)
    assert item not in result.tables["checklist_items"] and result.clean


def test_a_record_the_other_side_still_refers_to_is_re_attached(base):
    """Ours deletes a stage (with its checklist items); theirs adds an item to it: the stage comes back."""
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    stage = first(base, "stages")
    del ours["stages"][stage]
    for key in [k for k, v in ours["checklist_items"].items() if v["stage_id"] == stage]:
        del ours["checklist_items"][key]
    ours["handoffs"] = {
        k: v for k, v in ours["handoffs"].items() if stage not in (v["from_stage_id"], v["to_stage_id"])
    }
    ours["raci"] = {k: v for k, v in ours["raci"].items() if v["stage_id"] != stage}
    ours["work_items"] = {
        k: {**v, "stage_id": None if v["stage_id"] == stage else v["stage_id"],
            "stage_history": [h for h in v["stage_history"] if h["stage_id"] != stage]}
        for k, v in ours["work_items"].items()
    }
    template = copy.deepcopy(next(iter(base["checklist_items"].values())))
    template.update(id="abcdefabcdef", stage_id=stage, text="New item on the deleted stage")
    theirs["checklist_items"]["abcdefabcdef"] = template
    result = merge(base, ours, theirs)
    assert stage in result.tables["stages"]
    assert "abcdefabcdef" in result.tables["checklist_items"]
    assert any("deleted on one side" in note for note in result.notes)
    assert problems(result.tables) == []


def test_a_reference_to_a_record_that_exists_nowhere_is_unlinked(base):
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    item = first(base, "checklist_items")
    edit(theirs, "checklist_items", item, owner_id="0123456789ab")
    result = merge(base, ours, theirs)
    assert result.tables["checklist_items"][item]["owner_id"] is None
    assert problems(result.tables) == []


def test_two_people_added_with_the_same_name_are_told_apart(base):
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    person = copy.deepcopy(next(iter(base["people"].values())))
    ours["people"]["aaaaaaaaaaaa"] = {**person, "id": "aaaaaaaaaaaa", "name": "Noa Ben", "created_at": EARLIER}
    theirs["people"]["bbbbbbbbbbbb"] = {**person, "id": "bbbbbbbbbbbb", "name": "noa ben", "created_at": LATER}
    result = merge(base, ours, theirs)
    assert result.tables["people"]["aaaaaaaaaaaa"]["name"] == "Noa Ben"
    assert result.tables["people"]["bbbbbbbbbbbb"]["name"] == "noa ben (2)"
    assert problems(result.tables) == []


def test_votes_merge_by_person_and_appended_logs_keep_both_sides(base):
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    theme, work = first(base, "themes"), first(base, "work_items")
    p1, p2 = first(base, "people"), first(base, "people", 1)
    ours["themes"][theme]["votes"] = {**base["themes"][theme]["votes"], p1: 3}
    theirs["themes"][theme]["votes"] = {**base["themes"][theme]["votes"], p2: 2}
    log = base["work_items"][work]["time_log"]
    ours["work_items"][work]["time_log"] = log + [{"at": EARLIER, "minutes": 30, "person_id": p1, "note": "a"}]
    theirs["work_items"][work]["time_log"] = log + [{"at": LATER, "minutes": 15, "person_id": p2, "note": "b"}]
    result = merge(base, ours, theirs)
    assert result.clean
    assert result.tables["themes"][theme]["votes"][p1] == 3 and result.tables["themes"][theme]["votes"][p2] == 2
    assert [e["note"] for e in result.tables["work_items"][work]["time_log"][len(log):]] == ["a", "b"]


def test_fields_that_do_not_fit_together_take_the_later_record_whole(base):
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    pilot = first(base, "pilot")
    start, end = base["pilot"][pilot]["start_date"], base["pilot"][pilot]["end_date"]
    edit(ours, "pilot", pilot, LATER, start_date="2027-03-01", end_date="2027-04-01")
    edit(theirs, "pilot", pilot, EARLIER, end_date="2027-02-01")  # with ours' start, the end would come first
    result = merge(base, ours, theirs)
    merged = result.tables["pilot"][pilot]
    assert (merged["start_date"], merged["end_date"]) == ("2027-03-01", "2027-04-01")
    assert [(c.field, c.losing) for c in result.conflicts] == [("end_date", "2027-02-01")]
    assert problems(result.tables) == [] and (start, end) != ("2027-03-01", "2027-04-01")


def test_two_way_base_lets_the_later_copy_win_and_keeps_both_sides_additions(base):
    copy_version = copy.deepcopy(base)
    person = first(base, "people")
    edit(copy_version, "people", person, LATER, role="From the copy")
    copy_version["people"]["cccccccccccc"] = {**base["people"][person], "id": "cccccccccccc", "name": "New in copy"}
    mine = copy.deepcopy(base)
    mine["people"]["dddddddddddd"] = {**base["people"][person], "id": "dddddddddddd", "name": "New here"}
    result = merge(two_way_base(mine, copy_version), mine, copy_version)
    assert result.clean
    assert result.tables["people"][person]["role"] == "From the copy"
    assert {"cccccccccccc", "dddddddddddd"} <= result.tables["people"].keys()


def test_two_way_base_uses_the_files_history_to_find_true_conflicts(base):
    person = first(base, "people")
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    edit(mine, "people", person, EARLIER, role="Mine")
    edit(theirs, "people", person, LATER, team="Theirs")
    result = merge(two_way_base(mine, theirs, [base]), mine, theirs)
    assert result.clean  # the backup shows each side changed a different field
    assert (result.tables["people"][person]["role"], result.tables["people"][person]["team"]) == ("Mine", "Theirs")


@pytest.mark.parametrize(
    "name",
    [
        "pilot (conflicted copy).json",
        "pilot (Dana's conflicted copy 2026-11-18).json",
        "pilot (conflicted copy 2026-11-18 101500).json",
        "pilot.sync-conflict-20261118-101500-ABCDEFG.json",
        "pilot_conflict-20261118-101500.json",
        "pilot (1).json",
        "PILOT (2).json",
    ],
)
def test_conflict_copies_are_recognised(name):
    assert find_conflict_copies("pilot.json", [name, "pilot.json", "other.json"]) == [name]


@pytest.mark.parametrize(
    "name", ["pilot.json", "pilot-v2.json", "pilot (draft).json", "pilot (1).json.lock", "copilot (1).json"]
)
def test_other_files_are_not_taken_for_conflict_copies(name):
    assert find_conflict_copies("pilot.json", [name]) == []


def test_teammate_changes_are_summed_up_by_kind(base):
    after = copy.deepcopy(base)
    items = sorted(key for key, item in base["checklist_items"].items() if not item["done"])
    after["checklist_items"][items[0]]["done"] = True
    del after["checklist_items"][items[1]]
    after["people"][first(base, "people")]["role"] = "x"
    found = diff_tables(base, after)
    assert summary(found) == "2 checklist items, 1 person"
    assert teammate_message(found) == "Teammate changes: 2 checklist items, 1 person."
    assert teammate_message([]) == "The file was changed elsewhere and reloaded."


def _write(path: Path, tables: dict) -> str:
    path.write_bytes(orjson.dumps(tables))
    return str(path)


def test_cli_merge_writes_into_ours_and_exits_0_clean_1_conflicts_2_unreadable(base, tmp_path, capsys):
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    person = first(base, "people")
    edit(ours, "people", person, role="Ours")
    edit(theirs, "people", first(base, "people", 1), role="Theirs")
    paths = [_write(tmp_path / n, t) for n, t in (("base.json", base), ("ours.json", ours), ("theirs.json", theirs))]
    assert main(["merge", *paths]) == 0
    merged = read_file(paths[1])
    assert merged["people"][person]["role"] == "Ours" and merged["people"][first(base, "people", 1)]["role"] == "Theirs"

    edit(theirs, "people", person, LATER, role="Theirs wins")
    paths = [_write(tmp_path / n, t) for n, t in (("base.json", base), ("ours.json", ours), ("theirs.json", theirs))]
    assert main(["merge", *paths]) == 1
    merged = read_file(paths[1])
    assert merged["people"][person]["role"] == "Theirs wins"
    assert [c["losing"] for c in merged["conflicts"].values()] == ["Ours"]
    assert "1 conflict" in capsys.readouterr().err

    (tmp_path / "broken.json").write_text("{not json")
    before = Path(paths[1]).read_bytes()
    assert main(["merge", paths[0], paths[1], str(tmp_path / "broken.json")]) == 2
    assert Path(paths[1]).read_bytes() == before
    assert main(["merge", paths[0]]) == 2


def test_cli_merge_with_an_empty_base_merges_two_way(base, tmp_path):
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    edit(theirs, "people", first(base, "people"), LATER, role="Newer")
    (tmp_path / "base.json").write_bytes(b"")
    paths = [str(tmp_path / "base.json"), _write(tmp_path / "o.json", ours), _write(tmp_path / "t.json", theirs)]
    assert main(["merge", *paths]) == 0
    assert read_file(paths[1])["people"][first(base, "people")]["role"] == "Newer"


def test_two_people_ticking_different_steps_of_one_run_both_win(base):
    open_runs = [r for r in base["runs"].values() if r["ended_at"] is None and r["work_item_id"]]
    run = next(r for r in open_runs
               if sum(1 for s in base["checklist_items"].values() if s["run_id"] == r["id"] and not s["done"]) >= 2)
    first_step, second_step = sorted(s["id"] for s in base["checklist_items"].values()
                                     if s["run_id"] == run["id"] and not s["done"])[:2]
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    me, you = first(base, "people"), first(base, "people", 1)
    edit(ours, "checklist_items", first_step, done=True, done_by=me, done_at=EARLIER)
    edit(theirs, "checklist_items", second_step, LATER, done=True, done_by=you, done_at=LATER)
    result = merge(base, ours, theirs)
    assert result.clean
    steps = result.tables["checklist_items"]
    assert steps[first_step]["done"] and steps[first_step]["done_by"] == me
    assert steps[second_step]["done"] and steps[second_step]["done_by"] == you


def test_a_run_started_on_each_side_is_kept_on_both(base):
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    stage = first(base, "stages")
    for side, run_id in ((ours, "0a0a0a0a0a0a"), (theirs, "0b0b0b0b0b0b")):
        side["runs"][run_id] = {**next(iter(base["runs"].values())), "id": run_id, "stage_id": stage}
    result = merge(base, ours, theirs)
    assert {"0a0a0a0a0a0a", "0b0b0b0b0b0b"} <= set(result.tables["runs"])
