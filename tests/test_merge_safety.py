"""Merging gives the same bytes for the same inputs, refuses a result check would fail, and folds in only this pilot."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path

import orjson

from gtm_tui.cli.main import main
from gtm_tui.data import clock
from gtm_tui.data.model import Pilot
from gtm_tui.data.storage import read_file
from gtm_tui.data.workspace import Workspace

DEMO = Path(__file__).resolve().parent.parent / "sample_data" / "demo-pilot.json"
LATER = "2026-11-18T12:00:00+00:00"


def versions(tmp_path: Path, change_theirs) -> list[str]:
    base = orjson.loads(DEMO.read_bytes())
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    person = sorted(base["people"])[0]
    ours["people"][person].update(role="Ours", updated_at="2026-11-18T11:00:00+00:00")
    theirs["people"][person].update(role="Theirs", updated_at=LATER)
    change_theirs(theirs)
    paths = []
    for name, tables in (("base.json", base), ("ours.json", ours), ("theirs.json", theirs)):
        (tmp_path / name).write_bytes(orjson.dumps(tables))
        paths.append(str(tmp_path / name))
    return paths


def test_merging_the_same_inputs_at_another_time_gives_the_same_bytes(tmp_path: Path):
    results = []
    for run, moment in enumerate((datetime(2026, 11, 18, 13, 0, tzinfo=UTC), datetime(2027, 3, 1, 8, 30, tzinfo=UTC))):
        clock.freeze(moment)
        folder = tmp_path / f"run{run}"
        folder.mkdir()
        paths = versions(folder, lambda theirs: None)
        assert main(["merge", *paths]) == 1  # one conflict: the role
        results.append(Path(paths[1]).read_bytes())
    assert results[0] == results[1]
    conflict = next(iter(orjson.loads(results[0])["conflicts"].values()))
    assert conflict["when"] == LATER  # the later of the two versions, not the clock


def test_a_merge_whose_result_fails_check_exits_2_and_leaves_ours_alone(tmp_path: Path, capsys):
    def bad_date(theirs: dict) -> None:
        item = sorted(theirs["work_items"])[0]
        theirs["work_items"][item].update(due="next week", updated_at=LATER)  # text, but no date

    paths = versions(tmp_path, bad_date)
    before = Path(paths[1]).read_bytes()
    assert main(["merge", *paths]) == 2
    err = capsys.readouterr().err
    assert "would not pass gtm-tui check" in err and "next week" in err
    assert Path(paths[1]).read_bytes() == before


def test_merge_into_folds_in_only_copies_of_the_same_pilot(demo_file: Path, capsys):
    copy_path = demo_file.with_name("demo-pilot (1).json")
    tables = orjson.loads(demo_file.read_bytes())
    person = sorted(tables["people"])[0]
    tables["people"][person].update(role="From the copy", updated_at=LATER)
    copy_path.write_bytes(orjson.dumps(tables))
    other_team = demo_file.with_name("demo-pilot (2).json")
    assert main(["new", str(other_team), "--name", "Another team's pilot"]) == 0
    other_before = other_team.read_bytes()
    capsys.readouterr()

    assert main(["merge", "--into", str(demo_file)]) == 0
    err = capsys.readouterr().err
    assert "skipped: demo-pilot (2).json is another pilot ('Another team's pilot')" in err
    assert "folded in 1 copy" in err
    assert other_team.read_bytes() == other_before  # not merged, not moved
    assert not copy_path.exists()
    merged = read_file(demo_file)
    assert merged["people"][person]["role"] == "From the copy"
    assert [p["name"] for p in merged["pilot"].values()] == [Workspace.open(demo_file).pilot().name]
    assert len(merged["pilot"]) == 1 and Pilot.TABLE == "pilot"
