"""The benchmark script runs end to end on the smallest size; the generator writes sound workspaces.

No timing is asserted here: figures depend on the machine. ``bench.py`` is run
once, on 200 records with one run, which takes a few seconds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gtm_tui.data.check import problems
from gtm_tui.data.storage import read_file
from gtm_tui.data.workspace import Workspace

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from generate import counts, generate, record_count, write_workspace  # noqa: E402


def test_generated_workspace_is_sound_and_sized(tmp_path: Path):
    path = tmp_path / "pilot.json"
    written = write_workspace(path, 2000, seed=3)
    tables = read_file(path)
    assert problems(tables) == []
    assert abs(written - 2000) <= 20
    workspace = Workspace.open(path)
    assert workspace.pilot().status == "running"
    raci = tables["raci"].values()
    assert {doc["layer"] for doc in raci} == {"today", "pilot"}
    assert all(doc["stage_history"] for doc in tables["work_items"].values())


def test_generator_is_deterministic_and_keeps_demo_proportions():
    assert generate(200, seed=5) == generate(200, seed=5)
    assert generate(200, seed=5) != generate(200, seed=6)
    small = counts(200)
    assert sum(small.values()) == pytest.approx(200, abs=5)
    big = counts(50_000)
    # the team and the process grow slowly; checklists and RACI grow with the pilot
    assert big[next(k for k in big if k.TABLE == "people")] < 200
    assert record_count(generate(200)) == pytest.approx(200, abs=5)


def test_bench_runs_on_the_smallest_size_and_writes_json(tmp_path: Path):
    out = tmp_path / "results.json"
    done = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "bench.py"),
            "--sizes",
            "200",
            "--runs",
            "1",
            "--presses",
            "1",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,  # a busy machine is slow; no figure is checked
    )
    assert done.returncode == 0, done.stderr
    assert "| start-up ratio |" in done.stdout
    assert "| save ratio (stock ÷ ours) |" in done.stdout
    assert "Targets:" in done.stdout
    results = json.loads(out.read_text())
    figures = results["sizes"]["200"]
    assert figures["records"] == pytest.approx(200, abs=5)
    assert figures["startup"]["ours_ms"] > 0 and figures["startup"]["minimal_ms"] > 0
    assert figures["storage"]["save_ms"] > 0 and figures["memory"]["peak_mb"] > 0
    assert set(figures["export"]["formats"]) == {"xlsx", "csv", "ics", "handover", "html", "md"}
    assert figures["export"]["while_keys"]["written"]  # the app's worker wrote the workbook
    assert "| export xlsx, written (s) |" in done.stdout
    assert {check["verdict"] for check in results["targets"]} <= {"PASS", "MISS", "SKIP"}
    assert results["table"][0].startswith("gtm-tui benchmark")
