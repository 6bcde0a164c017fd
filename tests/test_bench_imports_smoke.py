"""The import benchmark runs end to end on a small matrix and prints its figures (no timing asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_imports.py"


def test_import_benchmark_prints_a_row_per_size():
    done = subprocess.run([sys.executable, str(BENCH), "--sizes", "12x5", "--runs", "1"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["matrix", "records", "plan", "apply"]
    assert lines[1].split()[:3] == ["12", "×", "5"] and lines[1].endswith("ms")
