"""Regenerate sample_data/demo-pilot.json, the demo pilot at the fixed DEMO_TODAY.

Run after a change to the records or to gtm_tui/demo.py:

    python sample_data/make_demo.py

The file is committed; tests/test_demo.py fails while it is out of date.
"""

from __future__ import annotations

from pathlib import Path

from gtm_tui.data.demo import DEMO_TODAY, write_demo

OUTPUT = Path(__file__).resolve().parent / "demo-pilot.json"


def main() -> None:
    # Workspace.create refuses to overwrite a file, so the old one goes first.
    OUTPUT.unlink(missing_ok=True)
    write_demo(OUTPUT, DEMO_TODAY)
    print(f"wrote {OUTPUT} (today = {DEMO_TODAY})")


if __name__ == "__main__":
    main()
