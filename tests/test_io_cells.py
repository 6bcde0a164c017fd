"""Formula neutralisation: text a spreadsheet would run is quoted in CSV and Excel, and restored on import."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from gtm_tui.data.model import Person, Stage
from gtm_tui.io import csv_folder, xlsx
from gtm_tui.io.cells import neutralise, restore


@pytest.mark.parametrize("text", ["=1+2", "+1", "-5 days", "@SUM(A1)", "\tTab", "\rCR", '=HYPERLINK("http://x","y")'])
def test_formula_text_gets_a_quote(text):
    assert neutralise(text) == "'" + text
    assert restore(neutralise(text)) == text


@pytest.mark.parametrize("text", ["plain", "", "a=b", "1+1", "it's", "'quoted'", "Café ☕"])
def test_ordinary_text_is_left_alone(text):
    assert neutralise(text) == text
    assert restore(text) == text


def test_quote_before_a_formula_round_trips():
    """Text that already starts with a quote and a formula character keeps both after a round trip."""
    assert neutralise("'=x") == "''=x"
    assert restore("''=x") == "'=x"


@pytest.mark.parametrize("value", [None, 5, -3, 2.5, True])
def test_non_text_is_untouched(value):
    assert neutralise(value) == value
    assert restore(value) == value


def test_csv_and_xlsx_files_hold_quoted_formulas(workspace, tmp_path):
    person = workspace.add(Person(name="=cmd|' /C calc'!A0", role="+SUM(1)"))
    workspace.add(Stage(name="@risky", owner_id=person.id, bottleneck="-1"))
    csv_folder.write(workspace, tmp_path / "out")
    with (tmp_path / "out" / "people.csv").open(encoding="utf-8-sig") as handle:
        row = next(r for r in csv.DictReader(handle))
    assert row["name"] == "'=cmd|' /C calc'!A0"
    assert row["role"] == "'+SUM(1)"
    xlsx.write(workspace, tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx")["Stages"]
    headers = [cell.value for cell in sheet[1]]
    cells = dict(zip(headers, sheet[2], strict=True))
    assert cells["name"].value == "'@risky"
    assert cells["name"].data_type == "s"  # text, not a formula
    assert cells["owner"].value == "'=cmd|' /C calc'!A0"
    assert cells["bottleneck"].value == "'-1"
