"""The RACI core: toggling roles, saving cells, activity rows, every check, the layer diff and the exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

import pytest

from gtm_tui.data.model import Person, RaciAssignment, Stage, ValidationError
from gtm_tui.data.workspace import Workspace
from gtm_tui.io import EXPORTERS, exporter
from gtm_tui.overview.summary import sections
from gtm_tui.raci import matrix as raci


def team(workspace: Workspace, *names: str) -> list[Person]:
    return [workspace.add(Person(name=name)) for name in names]


def stages(workspace: Workspace, *names: str) -> list[Stage]:
    return [workspace.add(Stage(name=name, position=index)) for index, name in enumerate(names)]


def assign(
    workspace: Workspace, layer: str, stage: Stage, grid: Iterable[tuple[Person, str]], activity: str = ""
) -> None:
    for person, role in grid:
        workspace.add(RaciAssignment(layer=layer, stage_id=stage.id, activity=activity, person_id=person.id, role=role))


def row_of(workspace: Workspace, stage: Stage, activity: str = "") -> raci.MatrixRow:
    return next(row for row in raci.rows(workspace) if row.key == raci.row_key(stage.id, activity))


def messages(workspace: Workspace, layer: str) -> list[str]:
    return [problem.message for problem in raci.problems(workspace, layer)]


# -- toggling ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "letter", "expected"),
    [
        (None, "r", "R"),
        (None, "a", "A"),
        (None, "c", "C"),
        (None, "i", "I"),
        ("R", "a", "A/R"),
        ("A", "r", "A/R"),
        ("A/R", "a", "R"),
        ("A/R", "r", "A"),
        ("R", "r", None),
        ("A", "a", None),
        ("C", "c", None),
        ("I", "i", None),
        ("C", "r", "R"),
        ("I", "a", "A"),
        ("R", "c", "C"),
        ("A/R", "i", "I"),
    ],
)
def test_toggle_role(current, letter, expected):
    assert raci.toggle_role(current, letter) == expected


def test_toggle_role_refuses_other_letters():
    with pytest.raises(ValidationError, match="not a RACI role"):
        raci.toggle_role(None, "x")


# -- saving cells ---------------------------------------------------------------------


def test_press_letter_adds_combines_and_clears_a_cell_in_the_file(workspace: Workspace):
    (dana,) = team(workspace, "Dana")
    (brief,) = stages(workspace, "Brief")
    row = row_of(workspace, brief)
    assert raci.press_letter(workspace, "pilot", row, dana.id, "r") == "R"
    assert raci.press_letter(workspace, "pilot", row, dana.id, "a") == "A/R"
    reopened = Workspace.open(workspace.path)
    assert [a.role for a in reopened.all(RaciAssignment)] == ["A/R"]
    assert raci.cells(workspace, "today") == {}
    assert raci.press_letter(workspace, "pilot", row, dana.id, "r") == "A"
    raci.set_cell(workspace, "pilot", row, dana.id, None)
    assert Workspace.open(workspace.path).count(RaciAssignment) == 0


def test_layers_are_separate_cells(workspace: Workspace):
    (dana,) = team(workspace, "Dana")
    (brief,) = stages(workspace, "Brief")
    row = row_of(workspace, brief)
    raci.press_letter(workspace, "today", row, dana.id, "c")
    raci.press_letter(workspace, "pilot", row, dana.id, "a")
    assert raci.cells(workspace, "today") == {row.key: {dana.id: "C"}}
    assert raci.cells(workspace, "pilot") == {row.key: {dana.id: "A"}}


# -- activity rows ----------------------------------------------------------------------


def test_activity_rows_follow_their_stage_and_rename_and_remove_in_both_layers(workspace: Workspace):
    dana, omar = team(workspace, "Dana", "Omar")
    review, launch = stages(workspace, "Review", "Launch")
    key = raci.add_activity(workspace, "pilot", review.id, "Approve copy", dana.id)
    raci.press_letter(workspace, "today", row_of(workspace, review, "approve copy"), omar.id, "r")
    assert [row.label for row in raci.rows(workspace)] == ["Review", "Review / Approve copy", "Launch"]
    assert raci.cells(workspace, "pilot")[key] == {dana.id: "A"}

    with pytest.raises(ValidationError, match="already an activity"):
        raci.add_activity(workspace, "pilot", review.id, " approve COPY ", omar.id)
    with pytest.raises(ValidationError, match="must not be empty"):
        raci.add_activity(workspace, "pilot", review.id, "  ", omar.id)

    new_key = raci.rename_activity(workspace, key, "Sign off copy")
    labels = [row.label for row in raci.rows(workspace)]
    assert "Review / Sign off copy" in labels and "Review / Approve copy" not in labels
    assert raci.cells(workspace, "today")[new_key] == {omar.id: "R"}

    assert raci.remove_activity(workspace, new_key) == 2
    assert workspace.count(RaciAssignment) == 0
    workspace.undo()
    assert workspace.count(RaciAssignment) == 2
    with pytest.raises(ValidationError):
        raci.remove_activity(workspace, raci.RowKey(review.id))


# -- checks ------------------------------------------------------------------------------


def test_a_sound_row_has_no_problem(workspace: Workspace):
    dana, omar, lea = team(workspace, "Dana", "Omar", "Lea")
    a, b, c = stages(workspace, "A", "B", "C")
    assign(workspace, "pilot", a, [(dana, "A/R"), (omar, "C"), (lea, "I")])
    assign(workspace, "pilot", b, [(omar, "A/R"), (dana, "I")])
    assign(workspace, "pilot", c, [(lea, "A/R")])
    assert raci.problems(workspace, "pilot") == []


def test_two_a_on_a_row_names_the_row_and_the_second_cell(workspace: Workspace):
    dana, omar = team(workspace, "Dana", "Omar")
    (brief,) = stages(workspace, "Brief")
    assign(workspace, "today", brief, [(dana, "A/R"), (omar, "A")])
    (problem,) = raci.problems(workspace, "today")
    assert problem.severity == "error"
    assert "2 people are Accountable (Dana and Omar)" in problem.message
    assert problem.key == raci.RowKey(brief.id) and problem.person_id == omar.id
    assert problem.cell == "Brief × Omar"


def test_no_a_and_no_r_are_errors_on_the_row(workspace: Workspace):
    dana, omar = team(workspace, "Dana", "Omar")
    brief, launch = stages(workspace, "Brief", "Launch")
    assign(workspace, "pilot", brief, [(dana, "R"), (omar, "C")])
    assign(workspace, "pilot", launch, [(omar, "A"), (dana, "I")])
    found = raci.problems(workspace, "pilot")
    assert [(p.severity, p.message, p.person_id) for p in found] == [
        ("error", "Brief: nobody is Accountable (no A)", None),
        ("error", "Launch: nobody is Responsible (no R)", None),
    ]


def test_more_than_three_c_is_a_warning(workspace: Workspace):
    people = team(workspace, "P1", "P2", "P3", "P4", "P5")
    (brief,) = stages(workspace, "Brief")
    assign(workspace, "pilot", brief, [(people[0], "A/R"), *((p, "C") for p in people[1:4]), (people[4], "I")])
    assert raci.problems(workspace, "pilot") == []
    raci.set_cell(workspace, "pilot", row_of(workspace, brief), people[4].id, "C")
    (problem,) = raci.problems(workspace, "pilot")
    assert problem.severity == "warning" and "4 people are Consulted" in problem.message
    assert problem.person_id == people[4].id


def test_r_on_more_than_a_third_of_rows_is_overload(workspace: Workspace):
    dana, omar = team(workspace, "Dana", "Omar")
    rows = stages(workspace, "S1", "S2", "S3", "S4", "S5", "S6")
    for stage in rows:
        assign(workspace, "pilot", stage, [(omar, "A/R" if stage is rows[0] else "A")])
    for stage in rows[1:3]:
        raci.set_cell(workspace, "pilot", row_of(workspace, stage), dana.id, "R")
    for stage in rows[3:]:
        raci.set_cell(workspace, "pilot", row_of(workspace, stage), omar.id, "A/R")
    # Dana: R on 2 of 6 (a third, fine); Omar: R on 4 of 6 (overload).
    found = raci.problems(workspace, "pilot")
    assert [p.message for p in found] == ["Omar is Responsible on 4 of 6 rows (more than a third: overload)"]
    assert found[0].person_id == omar.id and found[0].key == raci.RowKey(rows[0].id)


def test_a_person_with_no_role_is_a_warning(workspace: Workspace):
    dana, omar, lea = team(workspace, "Dana", "Omar", "Lea")
    brief, launch, measure = stages(workspace, "Brief", "Launch", "Measure")
    for stage, person in ((brief, dana), (launch, omar), (measure, dana)):
        assign(workspace, "pilot", stage, [(person, "A/R")])
    found = raci.problems(workspace, "pilot")
    assert [p.message for p in found] == [
        "Dana is Responsible on 2 of 3 rows (more than a third: overload)",
        "Lea has no role in the pilot RACI",
    ]
    assert found[1].person_id == lea.id and found[1].key is None


def test_focus_stage_whose_a_moves_to_someone_without_r_today(workspace: Workspace):
    dana, omar, lea = team(workspace, "Dana", "Omar", "Lea")
    review, launch = stages(workspace, "Review", "Launch")
    workspace.update(workspace.pilot(), focus_from_stage_id=review.id, focus_to_stage_id=launch.id)
    assign(workspace, "today", review, [(dana, "A"), (omar, "R"), (lea, "I")])
    assign(workspace, "pilot", review, [(lea, "A"), (omar, "R"), (dana, "I")])  # A moves to Lea, who had only I
    assign(workspace, "today", launch, [(dana, "A"), (omar, "R"), (lea, "I")])
    assign(workspace, "pilot", launch, [(omar, "A/R"), (dana, "C"), (lea, "I")])  # A moves to Omar, who was R: fine
    pilot_messages = messages(workspace, "pilot")
    assert pilot_messages == [
        "Review (focus stage): A moves from Dana to Lea, who has no R there today; agree the handover",
    ]
    assert messages(workspace, "today") == []


def test_activity_rows_are_checked_only_in_the_layer_that_names_them(workspace: Workspace):
    (dana,) = team(workspace, "Dana")
    (review,) = stages(workspace, "Review")
    assign(workspace, "today", review, [(dana, "A/R")])
    assign(workspace, "pilot", review, [(dana, "A/R")])
    raci.add_activity(workspace, "pilot", review.id, "approve copy", dana.id)
    assert messages(workspace, "today") == []
    assert messages(workspace, "pilot") == ["Review / approve copy: nobody is Responsible (no R)"]


def test_demo_today_flags_two_a_on_strategy_sign_off(demo: Workspace):
    found = raci.problems(demo, "today")
    two_a = [p for p in found if "Strategy sign-off" in p.message and "Accountable" in p.message]
    assert len(two_a) == 1 and two_a[0].cell == "Strategy sign-off × Maya Thornton"
    assert any(p.message == "Creative review: nobody is Accountable (no A)" for p in found)
    assert not [p for p in raci.problems(demo, "pilot") if p.severity == "error"]


# -- the layer diff -------------------------------------------------------------------------


def test_layer_diff_reports_added_removed_and_changed_cells(workspace: Workspace):
    dana, omar, lea = team(workspace, "Dana", "Omar", "Lea")
    (brief,) = stages(workspace, "Brief")
    assign(workspace, "today", brief, [(dana, "A/R"), (omar, "C")])
    assign(workspace, "pilot", brief, [(dana, "A"), (omar, "C"), (lea, "R")])
    raci.add_activity(workspace, "today", brief.id, "approve", omar.id)
    changes = raci.layer_diff(workspace)
    found = {(c.person_id, c.key.activity): (c.kind, c.today, c.pilot) for c in changes}
    assert found == {
        (dana.id, ""): ("changed", "A/R", "A"),
        (lea.id, ""): ("added", None, "R"),
        (omar.id, "approve"): ("removed", "A", None),
    }
    texts = {raci.overlay_text(c, None) for c in changes}
    assert texts == {"A/R→A", "+R", "−A"}
    assert raci.overlay_text(None, "C") == "C"


def test_demo_layers_differ_on_the_focus_stages(demo: Workspace):
    changes = raci.layer_diff(demo)
    review = next(s for s in demo.all(Stage) if s.name == "Creative review")
    on_review = {
        demo.name_of(Person, c.person_id): (c.today, c.pilot) for c in changes if c.key == raci.RowKey(review.id)
    }
    assert on_review["Daniel Okafor"] == ("C", "A")
    assert on_review["Maya Thornton"] == ("R", "I")
    assert {c.kind for c in changes} == {"added", "removed", "changed"}


# -- leaving the app ------------------------------------------------------------------------


def test_markdown_and_csv_of_the_demo(demo: Workspace):
    markdown = raci.raci_markdown(demo, "today")
    assert markdown.splitlines()[0].startswith("| stage | Aisha Karimi |")  # today names no activity
    assert "| Strategy sign-off | A | R |  | A |  |  |  |" in markdown
    assert "| **Creative review** |" in markdown
    assert "approve copy" not in markdown  # only the pilot names that activity

    assert EXPORTERS["raci-csv"] == "gtm_tui.io.raci_csv"
    module = exporter("raci-csv")
    table = list(csv.reader(io.StringIO(module.render(demo))))
    assert table[0][0] == "stage / activity" and len(table[0]) == 8
    assert ["Creative review / approve copy", "A", "C", "", "", "R", "", ""] in table
    assert {cell for line in table[1:] for cell in line[1:]} <= {"", "R", "A", "C", "I", "A/R"}
    with pytest.raises(ValidationError):
        module.render(demo, layer="tomorrow")


def test_csv_header_is_stage_without_activities_and_names_are_escaped_in_markdown(workspace: Workspace):
    (odd,) = team(workspace, "Pipe | Person")
    (brief,) = stages(workspace, "Brief")
    assign(workspace, "today", brief, [(odd, "A/R")])
    assert exporter("raci-csv").render(workspace, layer="today") == 'stage,Pipe | Person\nBrief,A/R\n'
    assert "Pipe \\| Person" in raci.raci_markdown(workspace, "today")


def test_overview_counts_problems_per_layer(demo: Workspace, workspace: Workspace):
    section = next(s for s in sections(demo) if s.title == "RACI")
    assert [(r.label, r.value, r.tone) for r in section.rows] == [
        ("Today RACI", "3 errors", "bad"),
        ("Pilot RACI", "2 warnings", "warning"),
        ("Pilot changes", "32 cells differ from today", ""),
    ]
    empty = next(s for s in sections(workspace) if s.title == "RACI")
    assert empty.rows[0].label == "No roles yet"


def test_cli_exports_either_layer_as_csv(demo_file, capsys):
    from gtm_tui.cli.main import main

    assert main(["export", str(demo_file), "--format", "raci-csv", "--layer", "today"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("stage,Aisha Karimi,")
    assert "Strategy sign-off,A,R,,A,,," in out.splitlines()
    assert main(["export", str(demo_file), "--format", "raci-csv"]) == 0
    assert "Creative review / approve copy,A,C,,,R,," in capsys.readouterr().out.splitlines()
