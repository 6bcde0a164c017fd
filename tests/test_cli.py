"""The gtm-tui command: exit codes and messages, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from gtm_tui import __version__
from gtm_tui.cli.main import main
from gtm_tui.io.exporting import default_path


def test_check_a_sound_file_says_ok(demo_file: Path, capsys):
    assert main(["check", str(demo_file)]) == 0
    out = capsys.readouterr().out
    assert "OK" in out and "7 people" in out and "9 stages" in out


def test_check_knows_a_schema_1_file_and_checks_it_as_it_will_be_upgraded(tmp_path: Path, capsys):
    path = tmp_path / "old.json"
    path.write_bytes((Path(__file__).parent / "fixtures" / "demo-pilot-schema1.json").read_bytes())
    before = path.read_bytes()
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "schema 1, checked as upgraded to schema 2" in out and "37 steps" in out and "9 runs" in out
    assert path.read_bytes() == before


def test_check_garbage_exits_2_with_one_line_and_leaves_the_file(tmp_path: Path, capsys):
    path = tmp_path / "garbage.json"
    path.write_bytes(b"\x00\x01 not json at all")
    before = path.read_bytes()
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not valid JSON" in err
    assert path.read_bytes() == before


def test_check_lists_dangling_references_and_exits_1(demo_file: Path, capsys):
    tables = orjson.loads(demo_file.read_bytes())
    stage_id = next(iter(tables["stages"]))
    del tables["stages"][stage_id]
    demo_file.write_bytes(orjson.dumps(tables))
    assert main(["check", str(demo_file)]) == 1
    err = capsys.readouterr().err
    assert f"points to missing stages {stage_id}" in err


def test_check_a_missing_file(tmp_path: Path, capsys):
    assert main(["check", str(tmp_path / "nope.json")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_new_creates_a_sound_file_and_refuses_to_overwrite(tmp_path: Path, capsys):
    path = tmp_path / "spring-pilot.json"
    assert main(["new", str(path)]) == 0
    assert main(["check", str(path)]) == 0
    assert "'spring pilot'" in capsys.readouterr().out
    before = path.read_bytes()
    assert main(["new", str(path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_new_from_the_demo(tmp_path: Path):
    path = tmp_path / "mine.json"
    assert main(["new", str(path), "--from-demo"]) == 0
    assert main(["check", str(path)]) == 0


def test_opening_an_unusable_file_exits_2_without_starting_the_app(tmp_path: Path, capsys):
    path = tmp_path / "foreign.json"
    path.write_text('{"_default": {}}')
    assert main([str(path)]) == 2
    assert "not a gtm-tui workspace" in capsys.readouterr().err
    assert main([str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main([str(tmp_path / "no-such-folder" / "p.json")]) == 2


def test_version_and_errors_have_no_traceback(tmp_path: Path):
    run = subprocess.run([sys.executable, "-m", "gtm_tui.cli", "--version"], capture_output=True, text=True)
    assert run.returncode == 0 and __version__ in run.stdout
    garbage = tmp_path / "g.json"
    garbage.write_text("{")
    run = subprocess.run([sys.executable, "-m", "gtm_tui.cli", "check", str(garbage)], capture_output=True, text=True)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and run.stderr.startswith("gtm-tui: ")


def test_unknown_export_format_is_a_usage_error(demo_file: Path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["export", str(demo_file), "--format", "pdf"])
    assert exit_info.value.code == 2


def test_export_without_output_prints_text_and_writes_files_where_the_app_would(demo_file: Path, capsys):
    assert main(["export", str(demo_file), "--format", "md"]) == 0
    assert capsys.readouterr().out.startswith("# ")
    assert not list(demo_file.parent.glob("*.md"))
    assert main(["export", str(demo_file), "--format", "csv"]) == 0
    folder = default_path(demo_file, "csv")
    assert folder == demo_file.with_name("demo-pilot-csv") and (folder / "people.csv").is_file()
    assert f"Wrote {folder}" in capsys.readouterr().err


def test_export_into_a_missing_folder_exits_2_with_one_line(demo_file: Path, capsys):
    out = demo_file.parent / "nowhere" / "report.md"
    assert main(["export", str(demo_file), "--format", "md", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("gtm-tui: ") and err.count("\n") == 1 and "does not exist" in err
    assert not out.parent.exists()


def test_a_verb_loads_only_what_it_needs(demo_file: Path):
    probe = (
        "import sys\n"
        "from gtm_tui.cli.main import main\n"
        f"assert main(['check', {str(demo_file)!r}]) == 0\n"
        "print(sorted(name for name in ('textual', 'openpyxl', 'aiohttp') if name in sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().endswith("[]")
