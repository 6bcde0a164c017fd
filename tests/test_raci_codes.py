"""Reading one RACI cell as real matrices write it."""

from __future__ import annotations

import pytest

from gtm_tui.io.raci_codes import combine, is_legend, letter_of_heading, read_code


@pytest.mark.parametrize("text, role", [
    ("R", "R"), ("A", "A"), ("C", "C"), ("I", "I"), ("A/R", "A/R"),
    ("r", "R"), ("a", "A"), (" c ", "C"), ("i", "I"),
    ("A / R", "A/R"), ("a/r", "A/R"), ("**R**", "R"), ("`A`", "A"),
])
def test_plain_codes_need_no_note(text: str, role: str):
    reading = read_code(text)
    assert (reading.role, reading.note, reading.unreadable) == (role, "", False)


@pytest.mark.parametrize("text", ["R/A", "RA", "AR", "R-A", "R, A", "R and A", "R + A", "Responsible/Accountable"])
def test_responsible_and_accountable_together_are_a_r_and_say_so(text: str):
    reading = read_code(text)
    assert reading.role == "A/R"
    assert reading.note == "read as A/R"


@pytest.mark.parametrize("text, role, dropped", [
    ("RAC", "A/R", "C was dropped"),
    ("RACI", None, ""),  # the method's name is a heading, not a cell
    ("CI", "C", "I was dropped"),
    ("C / I", "C", "I was dropped"),
    ("R/C", "R", "C was dropped"),
    ("A/C", "A", "C was dropped"),
    ("ACI", "A", "C, I were dropped"),
])
def test_combinations_the_model_cannot_hold_keep_the_strongest(text: str, role: str | None, dropped: str):
    reading = read_code(text)
    assert reading.role == role
    if role:
        assert reading.note == f"read as {role}: a cell holds one role, so {dropped}"
    else:
        assert reading.unreadable


@pytest.mark.parametrize("word, role", [
    ("Responsible", "R"), ("ACCOUNTABLE", "A"), ("consulted", "C"), ("Informed", "I"),
    ("Responsable", "R"), ("Aprobador", "A"), ("Consultado", "C"), ("Informado", "I"),
    ("Approbateur", "A"), ("Consulté", "C"), ("Informé", "I"),
    ("Verantwortlich", "R"), ("Informiert", "I"),
])
def test_full_words_in_several_languages(word: str, role: str):
    reading = read_code(word)
    assert reading.role == role
    assert reading.note == f"read as {role}"


@pytest.mark.parametrize("text", ["", "  ", "-", "—", "n/a", "N/A", "none"])
def test_empty_marks_are_empty_cells_not_errors(text: str):
    reading = read_code(text)
    assert reading.empty and not reading.unreadable


@pytest.mark.parametrize("text, reason", [
    ("S", "RASCI's Support"),
    ("X", "marks someone as involved but not which role"),
    ("✓", "marks someone as involved"),
    ("Lead", "is not a RACI role"),
    ("R/S", "is not a RACI role"),
])
def test_unknown_codes_are_unreadable_with_the_reason_never_guessed(text: str, reason: str):
    reading = read_code(text)
    assert reading.role is None and reading.unreadable
    assert reason in reading.note
    assert f"'{text}'" in reading.note


def test_a_qualifier_in_brackets_is_left_out_and_said():
    reading = read_code("A (final sign-off)")
    assert reading.role == "A"
    assert "'(final sign-off)' left out" in reading.note


def test_combine_orders_the_dropped_letters_strongest_first():
    assert combine({"I", "C", "R", "A"}) == ("A/R", ["C", "I"])
    assert combine({"I"}) == ("I", [])


@pytest.mark.parametrize("heading, letter", [
    ("R", "R"), ("Responsible", "R"), ("R (Responsible)", "R"), ("Accountable (A)", "A"),
    ("A = Accountable", "A"), ("Consulted:", "C"), ("Informed", "I"), ("Accountable/Approver", "A"),
])
def test_letter_headings(heading: str, letter: str):
    assert letter_of_heading(heading) == letter


@pytest.mark.parametrize("heading", ["R/A", "Approval", "Activity", "Maya Thornton", "RACI", ""])
def test_other_headings_are_not_letter_columns(heading: str):
    assert letter_of_heading(heading) is None


def test_legend_rows():
    assert is_legend(["R = Responsible", "A = Accountable", "C = Consulted", "I = Informed"])
    assert is_legend(["**R**", "Responsible", "Does the work"])
    assert not is_legend(["Copywriting", "R", "A", "C"])
    assert not is_legend(["Activity", "Responsible", "Accountable"])
