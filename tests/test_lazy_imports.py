"""`layout --help` and `layout check` stay light: they import neither ReportLab nor
pikepdf (issue 11). Only the commands that write or read a PDF need those.

Each case runs the command in a fresh interpreter and reads back the names of the
modules it had imported when it exited.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2025-03-09.yaml"
HEAVY = ("reportlab", "pikepdf")

# runs `layout ARGS...` as the console script does, then lists sys.modules at exit
PROBE = """
import atexit, json, sys
out, sys.argv = sys.argv[1], ["layout", *sys.argv[2:]]
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
from layout.cli import main
main()
"""


def modules_after(tmp_path: Path, *args: str) -> tuple[int, set[str], str]:
    out = tmp_path / "modules.json"
    run = subprocess.run([sys.executable, "-c", PROBE, str(out), *args], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    return run.returncode, set(json.loads(out.read_text())), run.stdout + run.stderr


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["watch", "--help"]])
def test_help_imports_no_reportlab_or_pikepdf(tmp_path, args):
    code, modules, output = modules_after(tmp_path, *args)
    assert code == 0, output
    assert "Usage:" in output
    assert heavy(modules) == []


def test_check_imports_no_reportlab_or_pikepdf(tmp_path):
    code, modules, output = modules_after(tmp_path, "check", str(SAMPLE))
    assert code == 0, output
    assert "ok, 2 pages" in output
    assert "layout.compose" in modules and "layout.fonts" in modules   # it did compose
    assert heavy(modules) == []


def test_check_of_a_broken_issue_imports_no_reportlab_or_pikepdf(tmp_path):
    issue = tmp_path / "broken.yaml"
    issue.write_text(SAMPLE.read_text(encoding="utf-8").replace("headline:", "headlin:", 1),
                     encoding="utf-8")
    code, modules, output = modules_after(tmp_path, "check", str(issue))
    assert code == 2 and "unknown key 'headlin'" in output, output
    assert heavy(modules) == []


def test_the_probe_sees_what_a_build_imports(tmp_path):
    """The probe itself: a build does import both (else the tests above prove nothing)."""
    code, modules, output = modules_after(tmp_path, "build", str(SAMPLE), "-o",
                                          str(tmp_path / "s.pdf"))
    assert code == 0, output
    # pikepdf is imported by the build's helper process (layout/finish.py), which the
    # probe, in the build's own process, does not see; ReportLab by the build itself
    assert {m.split(".")[0] for m in heavy(modules)} == {"reportlab"}
    assert "layout.finish" in modules


def test_a_build_without_heic_photos_never_loads_libheif(tmp_path):
    # pillow-heif is registered for a .heic photo only: the sample builds without it
    code, modules, output = modules_after(tmp_path, "build", str(SAMPLE), "-o",
                                          str(tmp_path / "o.pdf"))
    assert code == 0, output
    assert "reportlab" in modules                      # it did build
    assert not any(m.split(".")[0] == "pillow_heif" for m in modules)
