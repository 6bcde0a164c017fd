"""The RACI matrix as CSV, for the spreadsheet people: one row per stage or activity, one column per person.

The first column is ``stage`` (or ``stage / activity`` when some row is an
activity inside a stage); each person's cell is R, A, C, I, A/R or empty.
Names are user text, so every cell (the header too) goes through
``cells.text_cell``: a person named ``=HYPERLINK(…)`` is no formula, and
``--from raci`` reads such a file back unchanged.
"""

from __future__ import annotations

import csv
import io

from gtm_tui.data.model import RACI_LAYERS, ValidationError
from gtm_tui.data.workspace import Workspace
from gtm_tui.io.cells import text_cell
from gtm_tui.raci.matrix import matrix_table

SUFFIX = ".csv"


def render(workspace: Workspace, layer: str = "pilot", **_options: object) -> str:
    """The ``layer`` ("pilot" by default, or "today") of the RACI as CSV text."""
    if layer not in RACI_LAYERS:
        raise ValidationError("layer", f"must be one of {', '.join(RACI_LAYERS)}, not {layer!r}")
    header, body = matrix_table(workspace, layer)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([text_cell(name) for name in header])
    writer.writerows([text_cell(cell) for cell in row] for row in body)
    return out.getvalue()
