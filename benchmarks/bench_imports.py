"""How long a RACI matrix import takes to plan (read, detect, check) and to apply, from a real size to a huge one.

    python benchmarks/bench_imports.py                  40×25, 200×30 and 500×40 cells, 3 runs each
    python benchmarks/bench_imports.py --sizes 40x25 --runs 5

Each size is a seeded CSV matrix (activities × people, a fifth of the cells
filled with R, A, C, I, A/R or RA) imported into a new empty pilot; the
figures are medians. Planning is this import's own work; applying is the
Workspace adding every cell (one save). Nothing here is a test: it prints.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
from pathlib import Path
from time import perf_counter

from gtm_tui.data.model import Pilot
from gtm_tui.data.workspace import Workspace
from gtm_tui.io.importing import apply_plan, plan_import

DEFAULT_SIZES = ((40, 25), (200, 30), (500, 40))
CODES = ("", "", "", "", "R", "A", "C", "I", "A/R", "RA")


def write_matrix(path: Path, rows: int, people: int, seed: int = 17) -> None:
    chance = random.Random(seed)
    names = [f"Person {index}" for index in range(people)]
    lines = ["Activity," + ",".join(names)]
    lines += [f"Activity {row}," + ",".join(chance.choice(CODES) for _ in names) for row in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def measure(rows: int, people: int, runs: int, folder: Path) -> tuple[float, float, int]:
    source = folder / f"raci-{rows}x{people}.csv"
    write_matrix(source, rows, people)
    plans, applies, cells = [], [], 0
    for run in range(runs):
        workspace = Workspace.create(folder / f"pilot-{rows}x{people}-{run}.json", Pilot(name="bench"))
        start = perf_counter()
        plan = plan_import(workspace, source, "raci")
        planned = perf_counter()
        apply_plan(workspace, plan)
        plans.append(planned - start)
        applies.append(perf_counter() - planned)
        cells = len(plan.planned)
    return statistics.median(plans), statistics.median(applies), cells


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(f"{r}x{p}" for r, p in DEFAULT_SIZES),
                        help="ROWSxPEOPLE, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    sizes = [tuple(int(part) for part in size.split("x")) for size in args.sizes.split(",")]
    print(f"{'matrix':>10} {'records':>8} {'plan':>9} {'apply':>9}")
    with tempfile.TemporaryDirectory() as folder:
        for rows, people in sizes:
            plan, apply, records = measure(rows, people, args.runs, Path(folder))
            print(f"{rows:>4} × {people:<3} {records:>8} {plan * 1000:>7.0f}ms {apply * 1000:>7.0f}ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
